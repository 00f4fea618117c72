//! Profile stage, renumbering (`wikigen serve`): the last directory with the notes numbered as
//! in the next build (see [`crate::renumber`]). Profiles, meetings and projects keep their order
//! and numbers; the tasks are put in the new note order. A profile, meeting or project whose note
//! went keeps it as `usize::MAX` ([`Renumber::at`]): nothing reaches it any more (the rebuild
//! finds it by the note, or by a group of notes that all stayed).

use super::*;
use crate::renumber::Renumber;
use std::sync::Arc;

fn item(i: &Item, r: &Renumber) -> Item {
    Item {
        note: r.at(i.note),
        ..i.clone()
    }
}

fn value(v: &FieldValue, r: &Renumber) -> FieldValue {
    FieldValue {
        notes: v.notes.iter().filter_map(|&n| r.get(n)).collect(),
        ..v.clone()
    }
}

impl Profile {
    /// This profile with its notes numbered as `r` says.
    pub fn renumbered(&self, r: &Renumber) -> Profile {
        Profile {
            primary: r.at(self.primary),
            sources: self
                .sources
                .iter()
                .map(|s| SourceRef {
                    note: r.at(s.note),
                    recency: s.recency.clone(),
                })
                .collect(),
            fields: self
                .fields
                .iter()
                .map(|f| Field {
                    current: value(&f.current, r),
                    others: f.others.iter().map(|v| value(v, r)).collect(),
                    ..f.clone()
                })
                .collect(),
            sections: self
                .sections
                .iter()
                .map(|s| Section {
                    blocks: s
                        .blocks
                        .iter()
                        .map(|b| match b {
                            SectionBlock::Facts(facts) => SectionBlock::Facts(
                                facts
                                    .iter()
                                    .map(|f| Fact {
                                        shown: item(&f.shown, r),
                                        others: f.others.iter().map(|i| item(i, r)).collect(),
                                        count: f.count,
                                        sources: f
                                            .sources
                                            .iter()
                                            .filter_map(|&n| r.get(n))
                                            .collect(),
                                    })
                                    .collect(),
                            ),
                            SectionBlock::Html { note, html } => SectionBlock::Html {
                                note: r.at(*note),
                                html: html.clone(),
                            },
                        })
                        .collect(),
                    ..s.clone()
                })
                .collect(),
            ..self.clone()
        }
    }
}

impl Directory {
    /// This directory with the notes numbered as `r` says, for a rebuild to take over.
    pub fn renumbered(&self, r: &Renumber) -> Directory {
        // The tasks in the new note order (a note's tasks stay together, in their order), without
        // those of the notes that went.
        let mut order: Vec<usize> = (0..self.tasks.len())
            .filter(|&t| r.get(self.tasks[t].note).is_some())
            .collect();
        order.sort_by_key(|&t| r.at(self.tasks[t].note));
        let mut task_at = vec![None; self.tasks.len()];
        for (new, &old) in order.iter().enumerate() {
            task_at[old] = Some(new);
        }
        let tasks_of = |v: &[usize]| -> Vec<usize> {
            let mut out: Vec<usize> = v.iter().filter_map(|&t| task_at[t]).collect();
            out.sort_unstable();
            out
        };
        Directory {
            profiles: self
                .profiles
                .iter()
                .map(|p| {
                    if r.keeps(p.primary) && p.sources.iter().all(|s| r.keeps(s.note)) {
                        p.clone()
                    } else {
                        Arc::new(p.renumbered(r))
                    }
                })
                .collect(),
            profile_of: r.permute(&self.profile_of),
            meetings: self
                .meetings
                .iter()
                .map(|m| Meeting {
                    note: r.at(m.note),
                    tasks: tasks_of(&m.tasks),
                    ..m.clone()
                })
                .collect(),
            meeting_of: r.permute(&self.meeting_of),
            projects: self
                .projects
                .iter()
                .map(|p| Project {
                    note: r.at(p.note),
                    tasks: tasks_of(&p.tasks),
                    ..p.clone()
                })
                .collect(),
            project_of: r.permute(&self.project_of),
            tasks: order
                .iter()
                .map(|&t| TaskRef {
                    note: r.at(self.tasks[t].note),
                    ..self.tasks[t].clone()
                })
                .collect(),
            person_meetings: self.person_meetings.clone(),
            person_tasks: self.person_tasks.iter().map(|v| tasks_of(v)).collect(),
            person_projects: self.person_projects.clone(),
            cache: self.cache.renumbered(r),
        }
    }
}
