//! Query stage, Tasks blocks: every task of the published notes with its Tasks-plugin metadata
//! (parsed once per build), and the evaluation of a ```` ```tasks ```` block over them.

use super::value::{Link, Value};
use super::TaskGroup;
use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::Site;
use crate::people::TaskRef;
use crate::tasks::meta::TaskMeta;
use crate::tasks::query::{Layout, TaskRecord};
use rayon::prelude::*;
use std::sync::Arc;

/// Every task of the site, with its metadata.
#[derive(Default)]
pub struct AllTasks {
    /// Note index and list item index of each task.
    pub at: Vec<(usize, usize)>,
    metas: Vec<Arc<TaskMeta>>,
}

/// The note and list item index of each task of these notes.
fn positions(site: &Site, notes: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    notes
        .flat_map(|n| site.notes[n].tasks.iter().map(move |t| (n, t.item)))
        .collect()
}

/// A ```` ```tasks ```` block's result.
#[derive(Debug, Clone)]
pub struct TasksOutput {
    /// Groups (headings are the group names, one per `group by` level).
    pub groups: Vec<TaskGroup>,
    /// Matching tasks before `limit`.
    pub total: usize,
    /// Tasks left out by `[queries] max_rows`.
    pub truncated: usize,
    /// What to hide.
    pub layout: Layout,
    /// `explain`: the query in words.
    pub explanation: Option<String>,
    /// Lines that could not be used: line in the block, message, hint.
    pub errors: Vec<(usize, String, String)>,
}

impl AllTasks {
    /// Collects the tasks of every published note, with their metadata: the last build's for
    /// the notes that did not change (`before`: its tasks, and which notes changed), else
    /// parsed. (The profile stage, which parses it too, runs at the same time.)
    pub fn new(site: &Site, before: Option<(&[TaskRef], &[bool])>) -> AllTasks {
        let at = positions(site, 0..site.notes.len());
        let line = |(n, i): (usize, usize)| site.notes[n].lists[i].line;
        let Some((old, changed)) = before.filter(|(_, c)| c.len() == site.notes.len()) else {
            return AllTasks::parsed(site, at);
        };
        let mut by_note: Vec<&[TaskRef]> = vec![&[]; site.notes.len()];
        for chunk in old.chunk_by(|a, b| a.note == b.note) {
            if let Some(slot) = by_note.get_mut(chunk[0].note) {
                *slot = chunk;
            }
        }
        let metas = at
            .par_iter()
            .map(|&(n, i)| {
                let kept = (!changed[n])
                    .then(|| by_note[n].iter().find(|t| t.line == line((n, i))))
                    .flatten();
                match kept {
                    Some(t) => t.meta.clone(),
                    None => Arc::new(crate::tasks::meta::parse(&site.notes[n].lists[i].text)),
                }
            })
            .collect();
        AllTasks { at, metas }
    }

    /// Collects and parses the tasks of these notes (in this order).
    pub fn of(site: &Site, notes: impl Iterator<Item = usize>) -> AllTasks {
        AllTasks::parsed(site, positions(site, notes))
    }

    fn parsed(site: &Site, at: Vec<(usize, usize)>) -> AllTasks {
        let metas = at
            .par_iter()
            .map(|&(n, i)| Arc::new(crate::tasks::meta::parse(&site.notes[n].lists[i].text)))
            .collect();
        AllTasks { at, metas }
    }

    /// The note at a vault path (`path#heading` gives the heading as the subpath).
    pub fn note_at(&self, site: &Site, path: &str) -> Option<(usize, Option<String>)> {
        let (p, sub) = match path.split_once('#') {
            Some((p, s)) => (p, Some(s.to_string())),
            None => (path, None),
        };
        site.notes
            .binary_search_by(|n| n.path.as_str().cmp(p))
            .ok()
            .or_else(|| site.notes.iter().position(|n| n.path == p))
            .map(|n| (n, sub))
    }

    /// The tasks as the Tasks query engine sees them.
    pub fn records<'a>(&'a self, site: &'a Site) -> Vec<TaskRecord<'a>> {
        let mut first_of_note: Vec<usize> = vec![usize::MAX; site.notes.len()];
        for (k, &(n, _)) in self.at.iter().enumerate() {
            if first_of_note[n] == usize::MAX {
                first_of_note[n] = k;
            }
        }
        self.at
            .iter()
            .zip(&self.metas)
            .map(|(&(n, i), meta)| {
                let note = &site.notes[n];
                let item = &note.lists[i];
                // The parent task, when the enclosing list item is a task too.
                let parent = item.parent.and_then(|p| {
                    let base = first_of_note[n];
                    self.at[base..]
                        .iter()
                        .take_while(|(m, _)| *m == n)
                        .position(|&(_, j)| j == p)
                        .map(|off| base + off)
                });
                TaskRecord {
                    path: &note.path,
                    heading: item
                        .heading
                        .and_then(|h| note.headings.get(h))
                        .map(|h| h.text.as_str()),
                    line: item.line,
                    status: note.lists[i].task.unwrap_or(' '),
                    meta,
                    parent,
                }
            })
            .collect()
    }
}

/// Runs query `q` of note `note` (a ```` ```tasks ```` block).
pub fn run(
    site: &Site,
    all: &AllTasks,
    records: &[TaskRecord<'_>],
    note: usize,
    q: usize,
    diags: &mut Vec<Diagnostic>,
) -> super::Output {
    let n = &site.notes[note];
    let block = &n.queries[q];
    let query = crate::tasks::query::parse(&block.source, &n.path);
    let today = crate::paths::parse_date(&site.cfg.today).unwrap_or(time::Date::MIN);
    let result = crate::tasks::query::run(&query, records, today);
    // The notes with a matching task (see `rows_left`).
    for &t in &result.matched {
        super::reads::row_left(all.at[t].0);
    }
    let errors: Vec<(usize, String, String)> = query
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone(), e.hint.clone()))
        .collect();
    report(site, note, q, &errors, diags);
    // At most `[queries] max_rows` tasks are shown; the rest are counted.
    let mut room = site.cfg.queries.max_rows;
    let mut groups: Vec<TaskGroup> = Vec::new();
    for g in &result.groups {
        if room == 0 {
            break;
        }
        let heading = g
            .headings
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty())
            .map(|(l, h)| {
                match g
                    .links
                    .get(l)
                    .and_then(|p| p.as_deref())
                    .and_then(|p| all.note_at(site, p))
                {
                    Some((note, sub)) => Value::link(Link {
                        path: site.notes[note].path.clone(),
                        display: Some(h.clone()),
                        subpath: sub,
                        embed: false,
                        note: Some(note),
                    }),
                    None => Value::str(h),
                }
            })
            .collect();
        let tasks: Vec<(usize, usize)> = g.tasks.iter().take(room).map(|&t| all.at[t]).collect();
        room -= tasks.len();
        groups.push(TaskGroup { heading, tasks });
    }
    let shown: usize = groups.iter().map(|g| g.tasks.len()).sum();
    let listed: usize = result.groups.iter().map(|g| g.tasks.len()).sum();
    super::Output::TasksBlock(TasksOutput {
        groups,
        truncated: listed - shown,
        total: result.total,
        layout: result.layout,
        explanation: result.explanation,
        errors,
    })
}

/// Whether one of `tasks` (those of the changed notes) passes the filters of query `q` of note
/// `note` (a ```` ```tasks ```` block), or the block's matches depend on other tasks. A block
/// whose matches came from other notes before, and still do, shows the same tasks: its sorting,
/// grouping and limits work on the matches only (see [`super::reads`]).
pub fn rows_left(site: &Site, tasks: &[TaskRecord<'_>], note: usize, q: usize) -> bool {
    let n = &site.notes[note];
    let query = crate::tasks::query::parse(&n.queries[q].source, &n.path);
    if query.reads_other_tasks() {
        return true;
    }
    let today = crate::paths::parse_date(&site.cfg.today).unwrap_or(time::Date::MIN);
    crate::tasks::query::any_match(&query, tasks, today)
}

/// Reports the unusable lines of a tasks block held by query `q` of note `note`.
pub fn report(
    site: &Site,
    note: usize,
    q: usize,
    errors: &[(usize, String, String)],
    diags: &mut Vec<Diagnostic>,
) {
    let n = &site.notes[note];
    let block = &n.queries[q];
    for (line, msg, hint) in errors {
        diags.push(Diagnostic::new(
            Severity::Warning,
            Code::TasksQuery,
            &n.path,
            block.line + line,
            0,
            format!("Tasks query line not used: {msg}"),
            hint.clone(),
        ));
    }
}
