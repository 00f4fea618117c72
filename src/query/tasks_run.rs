//! Query stage, Tasks blocks: every task of the published notes with its Tasks-plugin metadata
//! (parsed once per build), and the evaluation of a ```` ```tasks ```` block over them.

use super::value::Value;
use super::TaskGroup;
use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::Site;
use crate::tasks::meta::TaskMeta;
use crate::tasks::query::{Layout, TaskRecord};
use rayon::prelude::*;

/// Every task of the site, with its metadata.
pub struct AllTasks {
    /// Note index and list item index of each task.
    pub at: Vec<(usize, usize)>,
    metas: Vec<TaskMeta>,
}

/// A ```` ```tasks ```` block's result.
#[derive(Debug, Clone)]
pub struct TasksOutput {
    /// Groups (headings are the group names, one per `group by` level).
    pub groups: Vec<TaskGroup>,
    /// Headings of each group, one per level.
    pub headings: Vec<Vec<String>>,
    /// Matching tasks before `limit`.
    pub total: usize,
    /// What to hide.
    pub layout: Layout,
    /// `explain`: the query in words.
    pub explanation: Option<String>,
    /// Lines that could not be used: line in the block, message, hint.
    pub errors: Vec<(usize, String, String)>,
}

impl AllTasks {
    /// Collects and parses the tasks of every published note.
    pub fn new(site: &Site) -> AllTasks {
        let at: Vec<(usize, usize)> = site
            .notes
            .iter()
            .enumerate()
            .flat_map(|(n, note)| note.tasks.iter().map(move |t| (n, t.item)))
            .collect();
        let metas = at
            .par_iter()
            .map(|&(n, i)| crate::tasks::meta::parse(&site.notes[n].lists[i].text))
            .collect();
        AllTasks { at, metas }
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
    let errors: Vec<(usize, String, String)> = query
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone(), e.hint.clone()))
        .collect();
    report(site, note, q, &errors, diags);
    let headings: Vec<Vec<String>> = result.groups.iter().map(|g| g.headings.clone()).collect();
    let groups = result
        .groups
        .iter()
        .map(|g| TaskGroup {
            heading: (!g.headings.is_empty()).then(|| Value::str(g.headings.join(" › "))),
            tasks: g.tasks.iter().map(|&t| all.at[t]).collect(),
        })
        .collect();
    super::Output::TasksBlock(TasksOutput {
        groups,
        headings,
        total: result.total,
        layout: result.layout,
        explanation: result.explanation,
        errors,
    })
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
