//! Render stage, people: builds the contexts of person (merged profile), meeting and project
//! pages, and of the people directory, meetings timeline and projects list.

use super::context::Link;
use super::fill::Filler;
use super::pages::{referrers, tag_link, Shared, MAX_BACKLINK_CONTEXTS};
use super::people_ctx::*;
use crate::enrich::Site;
use crate::paths::href;
use crate::people::{SectionBlock, TaskRef};

fn note_link(site: &Site, n: usize, root: &str) -> Link {
    Link {
        title: site.notes[n].title.clone(),
        url: href(root, &site.urls[n].url),
    }
}

/// `last_contact` → `Last contact`.
fn humanize(label: &str) -> String {
    let s = label.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) if s.chars().all(|ch| !ch.is_uppercase()) => f.to_uppercase().chain(c).collect(),
        _ => s,
    }
}

fn value_href(key: &str, v: &str) -> String {
    let t = v.trim();
    if t.starts_with("https://") || t.starts_with("http://") {
        t.to_string()
    } else if key == "email" && t.contains('@') && !t.contains(' ') {
        format!("mailto:{t}")
    } else if key == "phone" && t.chars().filter(|c| c.is_ascii_digit()).count() >= 5 {
        format!("tel:{}", t.replace(' ', ""))
    } else {
        String::new()
    }
}

const CARD_ORDER: [&str; 8] = [
    "role",
    "company",
    "department",
    "email",
    "phone",
    "linkedin",
    "location",
    "last_contact",
];

/// A task for a list.
pub fn task_ctx(site: &Site, t: &TaskRef, root: &str) -> TaskCtx {
    let due = t.meta.due.clone().unwrap_or_default();
    TaskCtx {
        text: t.meta.description.clone(),
        status: t.status.to_string(),
        done: !t.open(),
        overdue: t.open() && !due.is_empty() && due < site.cfg.today,
        due,
        priority: t.meta.priority.clone(),
        assignees: t.meta.assignees.clone(),
        source: {
            let mut l = note_link(site, t.note, root);
            l.url = format!("{}#L{}", l.url, t.line);
            l
        },
    }
}

/// A meeting for a list.
pub fn meeting_card(site: &Site, m: usize, root: &str) -> MeetingCard {
    let mt = &site.people.meetings[m];
    MeetingCard {
        title: site.notes[mt.note].title.clone(),
        url: href(root, &site.urls[mt.note].url),
        date: mt.date.clone().unwrap_or_default(),
        participants: mt.participants.iter().map(|p| p.name.clone()).collect(),
    }
}

/// A person for a list.
pub fn person_card(site: &Site, p: usize, root: &str) -> PersonCard {
    let pr = &site.people.profiles[p];
    let f = |k: &str| pr.field(k).unwrap_or_default().to_string();
    PersonCard {
        name: pr.name.clone(),
        url: href(root, &site.urls[pr.primary].url),
        role: f("role"),
        company: f("company"),
        location: f("location"),
        sources: pr.sources.len(),
        meetings: site.people.person_meetings[p].len(),
        last_contact: pr
            .field("last_contact")
            .map(str::to_string)
            .unwrap_or_else(|| pr.sources[0].recency.clone()),
    }
}

/// A project for a list.
pub fn project_card(site: &Site, shared: &Shared, pj: usize, root: &str) -> ProjectCard {
    let p = &site.people.projects[pj];
    ProjectCard {
        title: site.notes[p.note].title.clone(),
        url: href(root, &site.urls[p.note].url),
        status: p.status.clone().unwrap_or_default(),
        people: p.people.len(),
        meetings: p.meetings.len(),
        open_tasks: p.tasks.len(),
        excerpt: shared.excerpt(site, p.note),
    }
}

/// The backlinks of a page, and its unlinked mentions with their total count.
pub type Referrers = (
    Vec<super::context::Backlink>,
    (Vec<super::context::MentionCtx>, usize),
);

/// The merged profile of person `p`, and the backlinks and unlinked mentions of all its source
/// notes.
pub fn person_ctx(
    site: &Site,
    shared: &Shared,
    p: usize,
    root: &str,
) -> (PersonCtx, Referrers, Vec<crate::diag::Diagnostic>) {
    let dir = &site.people;
    let pr = &dir.profiles[p];
    let mut filler = Filler::new(site, root, Some(pr.primary)).cached(&shared.query_html);
    let links = |notes: &[usize]| -> Vec<Link> {
        notes.iter().map(|&n| note_link(site, n, root)).collect()
    };
    let mut fields: Vec<FieldCtx> = pr
        .fields
        .iter()
        .map(|f| FieldCtx {
            key: f.key.clone(),
            label: humanize(&f.label),
            rule: f.rule.to_string(),
            list: f.list,
            current: ValueCtx {
                value: f.current.value.clone(),
                href: value_href(&f.key, &f.current.value),
                sources: links(&f.current.notes),
            },
            others: f
                .others
                .iter()
                .map(|v| ValueCtx {
                    value: v.value.clone(),
                    href: value_href(&f.key, &v.value),
                    sources: links(&v.notes),
                })
                .collect(),
        })
        .collect();
    fields.sort_by_key(|f| {
        CARD_ORDER
            .iter()
            .position(|k| *k == f.key)
            .unwrap_or(CARD_ORDER.len())
    });
    let multi = pr.sources.len() > 1;
    let mut sections = Vec::new();
    for s in &pr.sections {
        let mut blocks = Vec::new();
        for b in &s.blocks {
            match b {
                SectionBlock::Facts(facts) => blocks.push(BlockCtx {
                    kind: "facts".into(),
                    facts: facts
                        .iter()
                        .map(|fa| FactCtx {
                            html: filler.body_part(fa.shown.note, &fa.shown.html),
                            count: fa.count,
                            others: fa
                                .others
                                .iter()
                                .map(|o| WordingCtx {
                                    html: filler.body_part(o.note, &o.html),
                                    source: note_link(site, o.note, root),
                                })
                                .collect(),
                            sources: links(&fa.sources),
                        })
                        .collect(),
                    html: String::new(),
                    source: None,
                }),
                SectionBlock::Html { note, html } => blocks.push(BlockCtx {
                    kind: "html".into(),
                    facts: Vec::new(),
                    html: filler.body_part(*note, html),
                    source: multi.then(|| note_link(site, *note, root)),
                }),
            }
        }
        sections.push(SectionCtx {
            title: s.title.clone(),
            id: s.id.clone(),
            blocks,
        });
    }
    let source_notes: Vec<usize> = pr.sources.iter().map(|s| s.note).collect();
    let mut refs: Vec<(usize, usize)> = source_notes
        .iter()
        .flat_map(|&n| site.resolved.backlinks[n].iter().copied())
        .filter(|(src, _)| !source_notes.contains(src))
        .collect();
    refs.sort_unstable();
    let backlinks = referrers(site, &refs, root, MAX_BACKLINK_CONTEXTS, 3);
    let mentions = super::pages::mentions(site, &source_notes, root);
    let ctx = PersonCtx {
        name: pr.name.clone(),
        role: pr.field("role").unwrap_or_default().into(),
        company: pr.field("company").unwrap_or_default().into(),
        location: pr.field("location").unwrap_or_default().into(),
        fields,
        aliases: pr.aliases.clone(),
        tags: pr
            .tags
            .iter()
            .filter_map(|t| tag_link(site, t, root))
            .collect(),
        sections,
        meetings: dir.person_meetings[p]
            .iter()
            .map(|&m| meeting_card(site, m, root))
            .collect(),
        tasks: dir.person_tasks[p]
            .iter()
            .map(|&t| task_ctx(site, &dir.tasks[t], root))
            .collect(),
        projects: dir.person_projects[p]
            .iter()
            .map(|&pj| project_card(site, shared, pj, root))
            .collect(),
        sources: pr
            .sources
            .iter()
            .map(|s| SourceCtx {
                title: site.notes[s.note].title.clone(),
                path: site.notes[s.note].path.clone(),
                url: href(root, &site.urls[s.note].url),
                date: s.recency.clone(),
                primary: s.note == pr.primary,
            })
            .collect(),
        dropped: pr.dropped,
    };
    (ctx, (backlinks, mentions), filler.diagnostics)
}

/// The meeting context of meeting `m`.
pub fn meeting_ctx(site: &Site, shared: &Shared, m: usize, root: &str) -> MeetingCtx {
    let dir = &site.people;
    let mt = &dir.meetings[m];
    let profile_url = |p: usize| href(root, &site.urls[dir.profiles[p].primary].url);
    let note = &site.notes[mt.note];
    let mut filler = Filler::new(site, root, Some(mt.note)).cached(&shared.query_html);
    let decisions = crate::people::sections::split_where(
        &note.body.html,
        &note.body.slots,
        &site.cfg.people,
        |title| title.to_lowercase().contains("decision"),
    )
    .into_iter()
    .flat_map(|s| s.blocks)
    .flat_map(|b| match b {
        crate::people::sections::Block::List(items) => {
            items.into_iter().map(|(html, _)| html).collect()
        }
        crate::people::sections::Block::Other(_) => Vec::new(),
    })
    .map(|h| filler.body_part(mt.note, &h))
    .collect();
    MeetingCtx {
        date: mt.date.clone().unwrap_or_default(),
        participants: mt
            .participants
            .iter()
            .map(|x| ParticipantCtx {
                name: x.name.clone(),
                url: x.profile.map(profile_url).unwrap_or_default(),
            })
            .collect(),
        mentioned: mt
            .mentioned
            .iter()
            .map(|&p| Link {
                title: dir.profiles[p].name.clone(),
                url: profile_url(p),
            })
            .collect(),
        projects: mt
            .projects
            .iter()
            .map(|&pj| note_link(site, dir.projects[pj].note, root))
            .collect(),
        action_items: mt
            .tasks
            .iter()
            .map(|&t| task_ctx(site, &dir.tasks[t], root))
            .collect(),
        decisions,
        prev: mt.prev.map(|x| meeting_card(site, x, root)),
        next: mt.next.map(|x| meeting_card(site, x, root)),
    }
}

/// The project context of project `pj`.
pub fn project_ctx(site: &Site, pj: usize, root: &str) -> ProjectCtx {
    let dir = &site.people;
    let p = &dir.projects[pj];
    ProjectCtx {
        status: p.status.clone().unwrap_or_default(),
        people: p
            .people
            .iter()
            .map(|&x| person_card(site, x, root))
            .collect(),
        meetings: p
            .meetings
            .iter()
            .map(|&m| meeting_card(site, m, root))
            .collect(),
        tasks: p
            .tasks
            .iter()
            .map(|&t| task_ctx(site, &dir.tasks[t], root))
            .collect(),
    }
}

/// The people directory, grouped by company.
pub fn people_index(site: &Site, root: &str) -> PeopleIndexCtx {
    let mut groups: Vec<PeopleGroup> = Vec::new();
    for p in 0..site.people.profiles.len() {
        let card = person_card(site, p, root);
        let name = if card.company.is_empty() {
            "No company".to_string()
        } else {
            card.company.clone()
        };
        match groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.people.push(card),
            None => groups.push(PeopleGroup {
                name,
                people: vec![card],
            }),
        }
    }
    groups.sort_by(|a, b| {
        (a.name == "No company")
            .cmp(&(b.name == "No company"))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    PeopleIndexCtx {
        count: site.people.profiles.len(),
        groups,
    }
}

use crate::paths::MONTHS;

/// The meetings timeline, newest month first.
pub fn meetings_index(site: &Site, root: &str) -> MeetingsIndexCtx {
    let mut months: Vec<MonthCtx> = Vec::new();
    let mut undated = Vec::new();
    for m in 0..site.people.meetings.len() {
        let card = meeting_card(site, m, root);
        let Some(key) = card.date.get(..7).map(str::to_string) else {
            undated.push(card);
            continue;
        };
        if months.last().map(|x| &x.key) != Some(&key) {
            let month: usize = key[5..].parse().unwrap_or(1);
            months.push(MonthCtx {
                label: format!("{} {}", MONTHS[month.clamp(1, 12) - 1], &key[..4]),
                key,
                meetings: Vec::new(),
            });
        }
        if let Some(last) = months.last_mut() {
            last.meetings.push(card);
        }
    }
    MeetingsIndexCtx {
        count: site.people.meetings.len(),
        months,
        undated,
    }
}

/// The projects list, grouped by status.
pub fn projects_index(site: &Site, shared: &Shared, root: &str) -> ProjectsIndexCtx {
    let mut groups: Vec<ProjectGroup> = Vec::new();
    for pj in 0..site.people.projects.len() {
        let card = project_card(site, shared, pj, root);
        let status = if card.status.is_empty() {
            "No status".to_string()
        } else {
            card.status.clone()
        };
        match groups
            .iter_mut()
            .find(|g| g.status.eq_ignore_ascii_case(&status))
        {
            Some(g) => g.projects.push(card),
            None => groups.push(ProjectGroup {
                status,
                projects: vec![card],
            }),
        }
    }
    let rank = |s: &str| match s.to_lowercase().as_str() {
        "active" | "in progress" | "in-progress" | "ongoing" => 0,
        "planned" | "planning" | "proposed" => 1,
        "on hold" | "paused" | "blocked" => 2,
        "no status" => 4,
        _ => 3,
    };
    groups.sort_by(|a, b| {
        rank(&a.status)
            .cmp(&rank(&b.status))
            .then(a.status.cmp(&b.status))
    });
    ProjectsIndexCtx {
        count: site.people.projects.len(),
        groups,
    }
}
