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
        self.moved(r).unwrap_or_else(|| self.clone())
    }

    /// [`Value::renumbered`], or `None` when no note it names moves (it is then shared).
    fn moved(&self, r: &Renumber) -> Option<Value> {
        match self {
            Value::Link(l) => {
                let n = l.note?;
                // A link to a note that went leads nowhere now.
                (!r.keeps(n)).then(|| {
                    Value::Link(Arc::new(Link {
                        note: r.get(n),
                        ..(**l).clone()
                    }))
                })
            }
            Value::List(v) => {
                let moved: Vec<Option<Value>> = v.iter().map(|x| x.moved(r)).collect();
                moved.iter().any(Option::is_some).then(|| {
                    Value::list(
                        moved
                            .into_iter()
                            .zip(v.iter())
                            .map(|(m, x)| m.unwrap_or_else(|| x.clone()))
                            .collect(),
                    )
                })
            }
            Value::Object(m) => {
                let moved: Vec<Option<Value>> = m
                    .iter()
                    .map(|(k, v)| match v {
                        // A `file` object's note, for the fields it builds when read.
                        Value::Number(n) if k == super::index::NOTE_KEY => {
                            let n = *n as usize;
                            (!r.keeps(n)).then(|| Value::Number(r.at(n) as f64))
                        }
                        v => v.moved(r),
                    })
                    .collect();
                moved.iter().any(Option::is_some).then(|| {
                    Value::Object(Arc::new(
                        m.iter()
                            .zip(moved)
                            .map(|((k, v), x)| (k.clone(), x.unwrap_or_else(|| v.clone())))
                            .collect(),
                    ))
                })
            }
            _ => None,
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
            tasks: g
                .tasks
                .iter()
                .filter_map(|&(n, i)| Some((r.get(n)?, i)))
                .collect(),
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
        let mut reads: HashMap<*const super::reads::Reads, Option<Arc<super::reads::Reads>>> =
            HashMap::new();
        let cache = r.permute_with(&self.cache, |cs| {
            cs.iter()
                .map(|c| Cached {
                    // A query that read a note that went has no record: it runs again.
                    reads: c.reads.as_ref().and_then(|x| {
                        reads
                            .entry(Arc::as_ptr(x))
                            .or_insert_with(|| x.renumbered(r).map(Arc::new))
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
