//! Query stage, renumbering (`wikigen serve`): the last results with the notes numbered as in
//! the next build (see [`crate::renumber`]): the links in the values, the tasks' notes, what each
//! query read, and the objects the index built.

use super::value::{Link, Value};
use super::{Cached, ListEntry, Output, Results, TaskGroup};
use crate::renumber::Renumber;
use std::collections::HashMap;
use std::sync::Arc;

impl Value {
    /// This value with the notes its links point to numbered as `r` says.
    pub fn renumbered(&self, r: &Renumber) -> Value {
        match self {
            Value::Link(l) => Value::Link(Arc::new(Link {
                note: l.note.map(|n| r.at(n)),
                ..(**l).clone()
            })),
            Value::List(v) => Value::list(v.iter().map(|x| x.renumbered(r)).collect()),
            Value::Object(m) => Value::Object(Arc::new(
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            // A `file` object's note, for the fields it builds when read.
                            Value::Number(n) if k == super::index::NOTE_KEY => {
                                Value::Number(r.at(*n as usize) as f64)
                            }
                            v => v.renumbered(r),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )),
            other => other.clone(),
        }
    }
}

fn values(v: &[Value], r: &Renumber) -> Vec<Value> {
    v.iter().map(|x| x.renumbered(r)).collect()
}

fn groups(g: &[TaskGroup], r: &Renumber) -> Vec<TaskGroup> {
    g.iter()
        .map(|g| TaskGroup {
            heading: values(&g.heading, r),
            tasks: g.tasks.iter().map(|&(n, i)| (r.at(n), i)).collect(),
        })
        .collect()
}

impl Output {
    /// This output with its links and tasks numbered as `r` says.
    pub fn renumbered(&self, r: &Renumber) -> Output {
        match self {
            Output::List { items, truncated } => Output::List {
                items: items
                    .iter()
                    .map(|e| ListEntry {
                        id: e.id.as_ref().map(|v| v.renumbered(r)),
                        value: e.value.as_ref().map(|v| v.renumbered(r)),
                        nested: values(&e.nested, r),
                    })
                    .collect(),
                truncated: *truncated,
            },
            Output::Table {
                headers,
                rows,
                truncated,
            } => Output::Table {
                headers: headers.clone(),
                rows: rows.iter().map(|row| values(row, r)).collect(),
                truncated: *truncated,
            },
            Output::Tasks {
                groups: g,
                truncated,
            } => Output::Tasks {
                groups: groups(g, r),
                truncated: *truncated,
            },
            Output::TasksBlock(t) => Output::TasksBlock(super::tasks_run::TasksOutput {
                groups: groups(&t.groups, r),
                ..t.clone()
            }),
            Output::Calendar { entries, truncated } => Output::Calendar {
                entries: entries.iter().map(|(d, v)| (*d, v.renumbered(r))).collect(),
                truncated: *truncated,
            },
            Output::Value(v) => Output::Value(v.renumbered(r)),
            other => other.clone(),
        }
    }
}

impl Results {
    /// These results with the notes numbered as `r` says, for a rebuild to take over. Outputs
    /// and reads shared by several queries stay shared.
    pub fn renumbered(&self, r: &Renumber) -> Results {
        let mut outputs: HashMap<*const Output, Arc<Output>> = HashMap::new();
        let per_note = r.permute_with(&self.per_note, |outs| {
            outs.iter()
                .map(|o| {
                    outputs
                        .entry(Arc::as_ptr(o))
                        .or_insert_with(|| Arc::new(o.renumbered(r)))
                        .clone()
                })
                .collect()
        });
        let mut reads: HashMap<*const super::reads::Reads, Arc<super::reads::Reads>> =
            HashMap::new();
        let cache = r.permute_with(&self.cache, |cs| {
            cs.iter()
                .map(|c| Cached {
                    reads: c.reads.as_ref().map(|x| {
                        reads
                            .entry(Arc::as_ptr(x))
                            .or_insert_with(|| Arc::new(x.renumbered(r)))
                            .clone()
                    }),
                    ..c.clone()
                })
                .collect()
        });
        Results {
            per_note,
            cache,
            built: self.built.renumbered(r),
        }
    }
}
