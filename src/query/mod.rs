//! Query stage: evaluates every Dataview query (```` ```dataview ```` blocks and inline
//! `` `= expr` ``) and every Tasks query (```` ```tasks ````) at build time, against an index of
//! the published notes, so private notes can never appear in a result. Identical queries that do
//! not depend on their note are evaluated once. Input: the [`Site`]. Output: [`Results`], one
//! [`Output`] per query, turned into HTML by the render stage.

pub mod ast;
pub mod eval;
pub mod exec;
pub mod functions;
pub mod index;
pub mod parse;
pub mod reads;
mod renumber;
pub mod tasks_run;
pub mod value;

use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::Site;
use crate::parse::QueryLang;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use value::Value;

/// `[queries]` in `wikigen.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueryConfig {
    /// Evaluate ```` ```dataview ```` blocks and inline `= expr` (false: show them as code).
    pub dataview: bool,
    /// Evaluate ```` ```tasks ```` blocks (false: show them as code).
    pub tasks: bool,
    /// Rows a result shows at most; the rest are counted in a note under it.
    pub max_rows: usize,
    /// How dates are shown in results (Luxon tokens, as Dataview's setting).
    pub date_format: String,
    /// How dates with a time are shown.
    pub datetime_format: String,
    /// Build the task dashboard page (`tasks/`).
    pub dashboard: bool,
}

impl Default for QueryConfig {
    fn default() -> Self {
        QueryConfig {
            dataview: true,
            tasks: true,
            max_rows: 500,
            date_format: "MMMM dd, yyyy".into(),
            datetime_format: "h:mm a - MMMM dd, yyyy".into(),
            dashboard: true,
        }
    }
}

/// An entry of a LIST result.
#[derive(Debug, Clone)]
pub struct ListEntry {
    /// The page link (or group key), unless `WITHOUT ID`.
    pub id: Option<Value>,
    /// The value of the LIST expression, if any.
    pub value: Option<Value>,
    /// For a group without an expression: the links of its rows.
    pub nested: Vec<Value>,
}

/// A group of tasks in a result.
#[derive(Debug, Clone)]
pub struct TaskGroup {
    /// The group's heading, one value per grouping level (a note link, a group key); empty
    /// when ungrouped.
    pub heading: Vec<Value>,
    /// Tasks: note index and list item index.
    pub tasks: Vec<(usize, usize)>,
}

/// What a query produced.
#[derive(Debug, Clone)]
pub enum Output {
    /// LIST.
    List {
        /// Entries.
        items: Vec<ListEntry>,
        /// Rows left out by `[queries] max_rows`.
        truncated: usize,
    },
    /// TABLE.
    Table {
        /// Column headers (the first is `File (N)` / `Group (N)` unless `WITHOUT ID`).
        headers: Vec<String>,
        /// Cells.
        rows: Vec<Vec<Value>>,
        /// Rows left out.
        truncated: usize,
    },
    /// TASK, and ```` ```tasks ```` blocks.
    Tasks {
        /// Groups of tasks.
        groups: Vec<TaskGroup>,
        /// Tasks left out.
        truncated: usize,
    },
    /// A ```` ```tasks ```` block's result.
    TasksBlock(tasks_run::TasksOutput),
    /// CALENDAR: dated entries, shown as month grids.
    Calendar {
        /// Date and page link, by date.
        entries: Vec<(time::Date, Value)>,
        /// Rows left out by `[queries] max_rows`.
        truncated: usize,
    },
    /// An inline query's value.
    Value(Value),
    /// The query does not parse or failed.
    Error {
        /// What went wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// DataviewJS: not evaluated; shown as a notice with the code folded away.
    Script,
    /// Query evaluation is turned off: shown as code.
    Off,
}

impl Output {
    /// Does this result render to the same HTML on every page at the same depth (it holds no
    /// part of the note that wrote the query)? Results, yes; source boxes and errors, no.
    pub fn renders_alike(&self) -> bool {
        matches!(
            self,
            Output::List { .. }
                | Output::Table { .. }
                | Output::Tasks { .. }
                | Output::TasksBlock(_)
                | Output::Calendar { .. }
        )
    }
}

/// The results of every query, by note and by query index in the note.
#[derive(Debug, Default)]
pub struct Results {
    /// For each note, one output per [`crate::parse::ParsedNote::queries`] entry.
    pub per_note: Vec<Vec<Arc<Output>>>,
    /// For each query, what it read and reported, for the next rebuild (`wikigen serve`).
    cache: Vec<Vec<Cached>>,
    /// The page and item objects the queries built, for the next rebuild.
    built: index::Built,
}

/// What one query's evaluation read and reported.
#[derive(Debug, Clone, Default)]
struct Cached {
    /// The notes it read (for a Tasks block, which reads every task of the vault, only the
    /// notes with a matching task), when kept for the next rebuild.
    reads: Option<Arc<reads::Reads>>,
    /// Its diagnostics, at this query's place.
    diags: Vec<Diagnostic>,
    /// Its [`Job::key`], for the next rebuild (worked out again only when its note changed).
    key: Option<Arc<str>>,
}

/// What the previous evaluation over the same vault leaves for the next one (`wikigen serve`).
/// Valid only when the vault has the same notes with the same titles, tags, headings and links
/// resolving the same way for the clean notes.
pub struct Prior<'a> {
    /// The previous results.
    pub results: &'a Results,
    /// The notes that changed.
    pub changed: &'a [bool],
    /// The changed notes whose list items or tasks changed (text, status, line, nesting).
    pub items_changed: &'a [bool],
    /// The notes whose inlinks may differ: those the changed notes linked to before or link to
    /// now.
    pub linked: &'a [bool],
    /// Did the tasks of a changed note change (text, status, line, nesting, section)? Tasks
    /// blocks read every task of the vault: they run again unless none of the changed notes'
    /// tasks matched before or matches now.
    pub tasks_changed: bool,
    /// The previous build's tasks, whose metadata the unchanged notes' tasks still have.
    pub tasks: &'a [crate::people::TaskRef],
    /// The notes whose names (path, title, aliases) changed, among the changed ones (see
    /// `build::Prior::names_changed`).
    pub renamed: &'a [bool],
    /// Their names, before and now, as [`reads::name_hash`]es.
    pub names: &'a [u64],
}

impl Results {
    /// The output of query `q` of note `n`.
    pub fn get(&self, n: usize, q: usize) -> Option<&Output> {
        self.per_note.get(n)?.get(q).map(|a| a.as_ref())
    }

    /// What query `q` of note `n` read, when it was recorded (see [`evaluate_with`]).
    pub fn reads(&self, n: usize, q: usize) -> Option<&reads::Reads> {
        self.cache.get(n)?.get(q)?.reads.as_deref()
    }
}

/// The build's "now": `today` at the clock's time of day (midnight for a fixed `--today`).
pub fn now(today: &str) -> time::PrimitiveDateTime {
    let date = crate::paths::parse_date(today).unwrap_or(time::Date::MIN);
    let clock =
        time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let t = if crate::paths::format_date(clock.date()) == today {
        clock.time()
    } else {
        time::Time::MIDNIGHT
    };
    time::PrimitiveDateTime::new(date, t)
}

struct Job {
    note: usize,
    q: usize,
    /// For a query that does not depend on its note, its language and text: equal keys, equal
    /// results.
    key: Option<Arc<str>>,
}

/// The [`Job::key`] of a query block.
fn job_key(b: &crate::parse::QueryBlock) -> Option<Arc<str>> {
    match b.lang {
        QueryLang::Dataview => match parse::parse_query(&b.source) {
            Ok(q) if !exec::uses_this(&q, &b.source) => {
                Some(format!("dv\u{0}{}", b.source.trim()).into())
            }
            _ => None,
        },
        QueryLang::Tasks if !b.source.contains("{{") => {
            Some(format!("tasks\u{0}{}", b.source.trim()).into())
        }
        _ => None,
    }
}

fn evaluate_one(
    site: &Site,
    idx: &index::Index<'_>,
    tasks: &tasks_run::AllTasks,
    records: &[crate::tasks::query::TaskRecord<'_>],
    note: usize,
    q: usize,
    diags: &mut Vec<Diagnostic>,
) -> Output {
    let n = &site.notes[note];
    let block = &n.queries[q];
    let cfg = &site.cfg.queries;
    let report = |diags: &mut Vec<Diagnostic>,
                  sev,
                  code,
                  line: usize,
                  col: usize,
                  msg: String,
                  help: &str| {
        diags.push(Diagnostic::new(sev, code, &n.path, line, col, msg, help));
    };
    match block.lang {
        QueryLang::DataviewJs | QueryLang::InlineJs => {
            report(
                diags,
                Severity::Info,
                Code::QueryScript,
                block.line,
                block.column,
                "DataviewJS cannot run at build time; the page shows a notice with the code folded away".into(),
                "rewrite it as a ```dataview query (DQL) if it only lists, filters or sorts notes",
            );
            Output::Script
        }
        QueryLang::Tasks if !cfg.tasks => Output::Off,
        QueryLang::Dataview | QueryLang::Inline if !cfg.dataview => Output::Off,
        QueryLang::Tasks => tasks_run::run(site, tasks, records, note, q, diags),
        QueryLang::Dataview => match parse::parse_query(&block.source) {
            Err(e) => {
                report(
                    diags,
                    Severity::Warning,
                    Code::QueryError,
                    block.line + e.line,
                    e.column,
                    format!("Dataview query does not parse: {}", e.message),
                    &e.hint,
                );
                Output::Error {
                    message: format!("line {}, column {}: {}", e.line, e.column, e.message),
                    hint: e.hint,
                }
            }
            Ok(query) if exec::unsupported_source(&query).is_some() => {
                let why = exec::unsupported_source(&query).unwrap_or_default();
                let hint =
                    "filter with WHERE instead (for example WHERE file.folder = this.file.folder)";
                report(
                    diags,
                    Severity::Warning,
                    Code::QueryError,
                    block.line + 1,
                    0,
                    format!("Dataview query cannot be run at build time: {why}"),
                    hint,
                );
                Output::Error {
                    message: why,
                    hint: hint.into(),
                }
            }
            Ok(query) => match exec::run(&query, idx, note, cfg.max_rows) {
                Ok(out) => out,
                Err(msg) => {
                    report(
                        diags,
                        Severity::Warning,
                        Code::QueryError,
                        block.line + 1,
                        0,
                        format!("Dataview query failed: {msg}"),
                        "check the fields and functions the query uses (see the Dataview function reference in the guide)",
                    );
                    Output::Error {
                        message: msg,
                        hint: "check the fields and functions the query uses".into(),
                    }
                }
            },
        },
        QueryLang::Inline => {
            let r = parse::parse_expr(&block.source).map_err(|e| (e.message, e.hint));
            let r = r.and_then(|e| {
                let mut ev = eval::Evaluator::new(idx, note);
                ev.eval(&e, &eval::Row::page(note))
                    .map_err(|m| (m, "check the fields and functions it uses".to_string()))
            });
            match r {
                Ok(v) => Output::Value(v),
                Err((msg, hint)) => {
                    report(
                        diags,
                        Severity::Warning,
                        Code::QueryError,
                        block.line,
                        block.column,
                        format!("inline query `= {}` failed: {msg}", block.source),
                        &hint,
                    );
                    Output::Error { message: msg, hint }
                }
            }
        }
    }
}

/// Evaluates every query of every published note.
pub fn evaluate(site: &Site, diags: &mut Vec<Diagnostic>) -> Results {
    evaluate_with(site, diags, None, false)
}

/// The previous output of a query and what it recorded, if none of what it read changed (or,
/// for a changed note whose rows it read, no row of that note passes its leading `WHERE`s before
/// or now: see [`reads`]).
fn unchanged(
    site: &Site,
    idx: &index::Index<'_>,
    prior: Option<&Prior<'_>>,
    changes: reads::Changes<'_>,
    changed_tasks: &[crate::tasks::query::TaskRecord<'_>],
    matches_changed: &std::sync::Mutex<HashMap<Arc<str>, bool>>,
    job: &Job,
) -> Option<(Arc<Output>, Cached)> {
    let p = prior?;
    if p.changed.get(job.note) != Some(&false) {
        return None;
    }
    let out = p.results.per_note.get(job.note)?.get(job.q)?;
    let c = p.results.cache.get(job.note)?.get(job.q)?;
    let block = &site.notes[job.note].queries[job.q];
    let ok = match block.lang {
        QueryLang::Tasks if !p.tasks_changed => true,
        QueryLang::Tasks => {
            // Only the changed notes' tasks changed: the same matches if none of them matched
            // before or matches now.
            if c.reads.as_ref()?.rows.any(changes.items) {
                return None;
            }
            // The same text, the same answer (once per text when it needs no note).
            let known = job.key.as_ref().and_then(|k| {
                let memo = matches_changed.lock().unwrap_or_else(|e| e.into_inner());
                memo.get(k).copied()
            });
            let left = known.unwrap_or_else(|| {
                let left = tasks_run::rows_left(site, changed_tasks, job.note, job.q);
                if let Some(k) = &job.key {
                    let mut memo = matches_changed.lock().unwrap_or_else(|e| e.into_inner());
                    memo.insert(k.clone(), left);
                }
                left
            });
            !left
        }
        QueryLang::Dataview | QueryLang::Inline => match c.reads.as_ref()?.affected_by(changes) {
            reads::Affected::No => true,
            reads::Affected::Yes => false,
            reads::Affected::IfRowsLeft(notes) => {
                if block.lang != QueryLang::Dataview || matches!(**out, Output::Error { .. }) {
                    return None;
                }
                let q = parse::parse_query(&block.source).ok()?;
                let (left, more) = reads::recording(site.notes.len(), || {
                    exec::rows_left(&q, idx, job.note, &notes)
                });
                if left {
                    return None;
                }
                // What checking the rows read is read from now on too.
                let all = c.reads.as_ref()?.with(&more, site.notes.len());
                let kept = Cached {
                    reads: Some(Arc::new(all)),
                    diags: c.diags.clone(),
                    key: c.key.clone(),
                };
                return Some((out.clone(), kept));
            }
        },
        QueryLang::DataviewJs | QueryLang::InlineJs => true,
    };
    ok.then(|| (out.clone(), c.clone()))
}

/// [`evaluate`], taking over from `prior` the results of every query whose recorded reads the
/// change does not meet (see [`reads::Reads::affected_by`]). The results are the same as [`evaluate`]'s. `keep` records what each query
/// read, for the next rebuild (memory a one-off build does not need to spend).
pub fn evaluate_with(
    site: &Site,
    diags: &mut Vec<Diagnostic>,
    prior: Option<Prior<'_>>,
    keep: bool,
) -> Results {
    let mut per_note: Vec<Vec<Arc<Output>>> = vec![Vec::new(); site.notes.len()];
    let mut cache: Vec<Vec<Cached>> = vec![Vec::new(); site.notes.len()];
    if site.notes.iter().all(|n| n.queries.is_empty()) {
        return Results {
            per_note,
            cache,
            built: Default::default(),
        };
    }
    let n = site.notes.len();
    let prior = prior.filter(|p| {
        p.changed.len() == n
            && p.items_changed.len() == n
            && p.linked.len() == n
            && p.results.per_note.len() == n
            && p.results.cache.len() == n
    });
    let list = |flags: &[bool]| -> Vec<usize> { (0..flags.len()).filter(|&i| flags[i]).collect() };
    let renamed = prior.as_ref().map(|p| list(p.renamed)).unwrap_or_default();
    // A note's data shows the names and paths of the notes it links to and that link to it
    // (`file.outlinks`, `file.inlinks`): after a rename, the renamed notes' neighbours count as
    // changed too.
    let neighbours: Option<Vec<bool>> = prior.as_ref().filter(|_| !renamed.is_empty()).map(|p| {
        let mut flags: Vec<bool> = p
            .changed
            .iter()
            .zip(p.linked)
            .map(|(c, l)| *c || *l)
            .collect();
        for &r in &renamed {
            for &(src, _) in site.resolved.backlinks[r].iter() {
                flags[src] = true;
            }
        }
        flags
    });
    let changed = match (&neighbours, &prior) {
        (Some(flags), _) => list(flags),
        (None, Some(p)) => list(p.changed),
        (None, None) => Vec::new(),
    };
    let linked = prior.as_ref().map(|p| list(p.linked)).unwrap_or_default();
    let items = prior
        .as_ref()
        .map(|p| list(p.items_changed))
        .unwrap_or_default();
    let changes = reads::Changes {
        notes: &changed,
        items: &items,
        linked: &linked,
        renamed: &renamed,
        names: prior.as_ref().map_or(&[][..], |p| p.names),
    };
    let t0 = std::time::Instant::now();
    let idx = index::Index::with_built(
        site,
        now(&site.cfg.today),
        prior
            .as_ref()
            .map(|p| (&p.results.built, neighbours.as_deref().unwrap_or(p.changed))),
        renamed.is_empty(),
    );
    let mut jobs = Vec::new();
    for (ni, n) in site.notes.iter().enumerate() {
        // An unchanged note's queries have the keys they had.
        let before = prior
            .as_ref()
            .filter(|p| !p.changed[ni])
            .and_then(|p| p.results.cache.get(ni))
            .filter(|c| c.len() == n.queries.len());
        for (qi, b) in n.queries.iter().enumerate() {
            let key = match before {
                Some(c) => c[qi].key.clone(),
                None => job_key(b),
            };
            jobs.push(Job {
                note: ni,
                q: qi,
                key,
            });
        }
    }
    log::debug!(
        "{} queries, {} distinct; keys after {:.1} ms",
        jobs.len(),
        jobs.iter().filter(|j| j.key.is_none()).count()
            + jobs
                .iter()
                .filter_map(|j| j.key.as_deref())
                .collect::<std::collections::HashSet<_>>()
                .len(),
        t0.elapsed().as_secs_f64() * 1000.0
    );
    // The tasks of the changed notes, which Tasks blocks are checked against when a task changed.
    let changed_tasks = match &prior {
        Some(p) if p.tasks_changed => tasks_run::AllTasks::of(site, items.iter().copied()),
        _ => tasks_run::AllTasks::default(),
    };
    let changed_records = changed_tasks.records(site);
    let matches_changed = std::sync::Mutex::new(HashMap::new());
    // What a rebuild takes over; the rest is evaluated.
    let kept: Vec<Option<(Arc<Output>, Cached)>> = jobs
        .par_iter()
        .map(|job| {
            let p = prior.as_ref();
            unchanged(
                site,
                &idx,
                p,
                changes,
                &changed_records,
                &matches_changed,
                job,
            )
        })
        .collect();
    // Every task with its metadata, when a Tasks block is evaluated.
    let needs_tasks = jobs.iter().zip(&kept).any(|(job, k)| {
        k.is_none() && site.notes[job.note].queries[job.q].lang == QueryLang::Tasks
    });
    let tasks = if needs_tasks {
        tasks_run::AllTasks::new(site, prior.as_ref().map(|p| (p.tasks, p.changed)))
    } else {
        tasks_run::AllTasks::default()
    };
    let records = tasks.records(site);
    log::debug!(
        "task records: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
    // One evaluation per distinct note-independent query; the others one by one.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (j, job) in jobs.iter().enumerate() {
        if let (Some(k), None) = (&job.key, &kept[j]) {
            first.entry(&**k).or_insert(j);
        }
    }
    let n_notes = site.notes.len();
    if prior.is_some() {
        log::debug!(
            "queries: {} taken over, {} evaluated again",
            kept.iter().filter(|k| k.is_some()).count(),
            kept.iter().filter(|k| k.is_none()).count()
        );
    }
    type Evaluated = (
        usize,
        Arc<Output>,
        Vec<Diagnostic>,
        Option<Arc<reads::Reads>>,
    );
    let evaluated: Vec<Evaluated> = jobs
        .par_iter()
        .enumerate()
        .filter(|(j, job)| kept[*j].is_none() && job.key.as_deref().is_none_or(|k| first[k] == *j))
        .map(|(j, job)| {
            let mut d = Vec::new();
            let t0 = std::time::Instant::now();
            let (out, reads) = reads::recording(n_notes, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    evaluate_one(site, &idx, &tasks, &records, job.note, job.q, &mut d)
                }))
            });
            let reads = keep.then(|| Arc::new(reads));
            let out = out.unwrap_or_else(|_| {
                let n = &site.notes[job.note];
                d.push(Diagnostic::new(
                    Severity::Error,
                    Code::InternalError,
                    &n.path,
                    n.queries[job.q].line,
                    n.queries[job.q].column,
                    "wikigen failed on this query (a bug); the page shows an error box instead",
                    "please report the query and the notes it reads as a wikigen bug",
                ));
                Output::Error {
                    message: "wikigen failed on this query (a bug)".into(),
                    hint: "please report it".into(),
                }
            });
            let took = t0.elapsed();
            if took.as_millis() >= 20 {
                let n = &site.notes[job.note];
                log::debug!(
                    "slow query ({} ms): {}:{}",
                    took.as_millis(),
                    n.path,
                    n.queries[job.q].line
                );
            }
            (j, Arc::new(out), d, reads)
        })
        .collect();
    let mut by_job: HashMap<usize, (Arc<Output>, Cached)> = HashMap::with_capacity(evaluated.len());
    for (j, out, d, reads) in evaluated {
        let c = Cached {
            reads,
            diags: d,
            key: None,
        };
        by_job.insert(j, (out, c));
    }
    for (j, (job, kept)) in jobs.iter().zip(kept).enumerate() {
        let (out, c) = match (kept, &job.key) {
            (Some(k), _) => k,
            (None, Some(k)) if first[&**k] != j => {
                let src = first[&**k];
                let (shared, c) = &by_job[&src];
                // The same problem is reported at every place the query is written.
                let from = &site.notes[jobs[src].note].queries[jobs[src].q];
                let n = &site.notes[job.note];
                let to = &n.queries[job.q];
                let moved = c
                    .diags
                    .iter()
                    .map(|x| {
                        let mut x = x.clone();
                        x.file = n.path.clone();
                        x.line = (x.line + to.line).saturating_sub(from.line);
                        x
                    })
                    .collect();
                let c = Cached {
                    reads: c.reads.clone(),
                    diags: moved,
                    key: None,
                };
                (shared.clone(), c)
            }
            _ => by_job[&j].clone(),
        };
        diags.extend(c.diags.iter().cloned());
        per_note[job.note].push(out);
        cache[job.note].push(Cached {
            key: job.key.clone(),
            ..c
        });
    }
    let built = if keep {
        idx.into_built()
    } else {
        Default::default()
    };
    Results {
        per_note,
        cache,
        built,
    }
}
