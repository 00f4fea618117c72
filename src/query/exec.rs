//! Query stage, running a Dataview query: `FROM` through the index (tag, folder and link lookups,
//! never a scan of every note's text), then the commands in the order written, then the result
//! shaped for the render stage.

use super::ast::{BinOp, Command, Expr, Header, Query, Source};
use super::eval::{Base, Evaluator, Row};
use super::index::Index;
use super::value::{compare, Value};
use super::{ListEntry, Output, TaskGroup};

/// A set of note indices (one bit per note).
#[derive(Clone)]
struct Set(Vec<u64>);

impl Set {
    fn empty(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    fn full(n: usize) -> Set {
        let mut s = Set(vec![u64::MAX; n.div_ceil(64)]);
        if !n.is_multiple_of(64) {
            if let Some(last) = s.0.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        s
    }
    fn add(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w & (1u64 << b) != 0)
                .map(move |b| wi * 64 + b)
        })
    }
}

/// Evaluates a `FROM` source to the set of notes it names.
fn source_set(src: &Source, idx: &Index<'_>, this: usize) -> Result<Set, String> {
    let n = idx.len();
    let site = idx.site;
    Ok(match src {
        Source::Tag(t) => {
            let mut s = Set::empty(n);
            let k = crate::paths::key(t.trim_start_matches('#'));
            if let Some(e) = site.tags.get(&k) {
                e.notes.iter().for_each(|&i| s.add(i));
            }
            s
        }
        Source::Folder(f) => {
            let f = f.trim().trim_matches('/');
            let mut s = Set::empty(n);
            if f.is_empty() {
                return Ok(Set::full(n));
            }
            let k = crate::paths::key(f);
            let keys = idx.path_keys();
            let mut found = false;
            for (i, p) in keys.iter().enumerate() {
                if p.len() > k.len() && p.starts_with(&k) && p.as_bytes()[k.len()] == b'/' {
                    s.add(i);
                    found = true;
                }
            }
            if !found {
                // Not a folder: an exact file, with or without `.md`.
                for (i, p) in keys.iter().enumerate() {
                    if *p == k || crate::paths::strip_md(p) == k {
                        s.add(i);
                    }
                }
            }
            s
        }
        Source::Link { target, outgoing } => {
            let t = target.trim().trim_start_matches('#');
            let note = if t.is_empty() {
                Some(this)
            } else {
                idx.resolve(this, target, None, false).note
            };
            let mut s = Set::empty(n);
            if let Some(note) = note {
                let list = if *outgoing {
                    idx.outlink_notes(note)
                } else {
                    idx.inlink_notes(note)
                };
                list.into_iter().for_each(|i| s.add(i));
            }
            s
        }
        Source::Not(a) => {
            let a = source_set(a, idx, this)?;
            let mut s = Set::full(n);
            for (w, x) in s.0.iter_mut().zip(a.0) {
                *w &= !x;
            }
            s
        }
        Source::And(a, b) => {
            let mut a = source_set(a, idx, this)?;
            let b = source_set(b, idx, this)?;
            for (w, x) in a.0.iter_mut().zip(b.0) {
                *w &= x;
            }
            a
        }
        Source::Or(a, b) => {
            let mut a = source_set(a, idx, this)?;
            let b = source_set(b, idx, this)?;
            for (w, x) in a.0.iter_mut().zip(b.0) {
                *w |= x;
            }
            a
        }
        Source::Unsupported(why) => return Err(why.clone()),
    })
}

/// Why the query's `FROM` cannot be evaluated at build time, if it cannot.
pub fn unsupported_source(q: &Query) -> Option<String> {
    fn find(s: &Source) -> Option<String> {
        match s {
            Source::Unsupported(why) => Some(why.clone()),
            Source::Not(a) => find(a),
            Source::And(a, b) | Source::Or(a, b) => find(a).or_else(|| find(b)),
            _ => None,
        }
    }
    q.source.as_ref().and_then(find)
}

/// Does the query read `this` (so its result depends on the note holding it)?
pub fn uses_this(q: &Query, text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains("this") || lower.contains("[[]]") || lower.contains("[[#]]") {
        return true;
    }
    // Link sources and link literals are resolved relative to the note.
    fn links(s: &Source) -> bool {
        match s {
            Source::Link { .. } => true,
            Source::Not(a) => links(a),
            Source::And(a, b) | Source::Or(a, b) => links(a) || links(b),
            _ => false,
        }
    }
    q.source.as_ref().is_some_and(links) || text.contains("[[")
}

/// The rows of the notes in `notes` that `q`'s source holds: their tasks for a `TASK` query,
/// their pages otherwise.
fn rows_of(q: &Query, notes: impl Iterator<Item = usize>, idx: &Index<'_>) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for n in notes {
        if matches!(q.header, Header::Task) {
            super::reads::read_row_items(n);
            for (i, it) in idx.site.notes[n].lists.iter().enumerate() {
                if it.task.is_some() {
                    rows.push(Row {
                        base: Base::Item(n, i),
                        extra: Vec::new(),
                    });
                }
            }
        } else {
            rows.push(Row::page(n));
        }
    }
    rows
}

/// The note a row comes from (`None` for a group).
fn row_note(r: &Row) -> Option<usize> {
    match r.base {
        Base::Page(n) | Base::Item(n, _) => Some(n),
        Base::Group(..) => None,
    }
}

/// Evaluates `e` for row `r`, the items it reads of the row's own note recorded as such (see
/// [`super::reads`]).
fn eval_row(ev: &mut Evaluator<'_, '_>, e: &Expr, r: &Row) -> Result<Value, String> {
    super::reads::for_row(row_note(r), || ev.eval(e, r))
}

/// How many of `q`'s commands are `WHERE`s before any other command.
fn leading_wheres(q: &Query) -> usize {
    q.commands
        .iter()
        .take_while(|c| matches!(c, Command::Where(_)))
        .count()
}

/// Whether a row of the notes in `notes`, held by `q`'s source, is left after `q`'s leading
/// `WHERE`s (an error counts as a row left). Everything after those `WHERE`s works on the rows
/// left only, so a note with no row left there cannot change the result (see
/// [`super::reads`]).
pub fn rows_left(q: &Query, idx: &Index<'_>, this: usize, notes: &[usize]) -> bool {
    let held: Vec<usize> = match &q.source {
        Some(s) => match source_set(s, idx, this) {
            Ok(set) => notes.iter().copied().filter(|&n| set.contains(n)).collect(),
            Err(_) => return true,
        },
        None => notes.to_vec(),
    };
    let mut rows = rows_of(q, held.into_iter(), idx);
    let mut ev = Evaluator::new(idx, this);
    for c in &q.commands[..leading_wheres(q)] {
        let Command::Where(e) = c else { break };
        match keep_where(&mut ev, e, rows) {
            Ok(kept) => rows = kept,
            Err(_) => return true,
        }
    }
    !rows.is_empty()
}

/// The rows for which `e` is true.
///
/// The shapes per-person task lists use on every row of a vault's tasks
/// (`WHERE !completed AND contains(text, "Name")`) are tested without the general evaluator:
/// a conjunction is applied one side after the other (the same rows: `and` evaluates its right
/// side only where the left is true), a bare or negated field is read once, and
/// `contains(field, "text")` searches the field's text with a prepared finder (any other value
/// goes through the evaluator). Each keeps the rows [`Evaluator::eval`] keeps; the one
/// difference is which error a failing query reports when both sides of an `and` fail, on
/// different rows (the left side's, here).
fn keep_where(ev: &mut Evaluator<'_, '_>, e: &Expr, rows: Vec<Row>) -> Result<Vec<Row>, String> {
    let mut kept = Vec::with_capacity(rows.len());
    if let Expr::Binary(BinOp::And, a, b) = e {
        let left = keep_where(ev, a, rows)?;
        return keep_where(ev, b, left);
    }
    if let Some((f, negated)) = field_test(e) {
        for r in rows {
            let v = super::reads::for_row(row_note(&r), || ev.field_of(f, &r));
            if v.truthy() != negated {
                kept.push(r);
            }
        }
        return Ok(kept);
    }
    let Some((name, f, lit, needle)) = contains_text(e).filter(|_| ev.no_vars()) else {
        return keep_all_where(ev, e, rows, kept);
    };
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    for r in rows {
        let keep = super::reads::for_row(row_note(&r), || match ev.field_of(f, &r) {
            Value::String(s) => Ok(finder.find(s.as_bytes()).is_some()),
            Value::Lambda(_) => ev.eval(e, &r).map(|v| v.truthy()),
            // A list, an object, a number...: the function itself, as the evaluator calls it.
            v => super::functions::call(name, vec![v, lit.clone()], ev).map(|v| v.truthy()),
        })?;
        if keep {
            kept.push(r);
        }
    }
    Ok(kept)
}

/// `field` or `!field`: the field's name and whether it is negated.
fn field_test(e: &Expr) -> Option<(&str, bool)> {
    match e {
        Expr::Field(f) => Some((f, false)),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Field(f) => Some((f, true)),
            _ => None,
        },
        _ => None,
    }
}

/// `contains(field, "text")`: the function's name as written, the field's name, and the text
/// as a value and as text.
fn contains_text(e: &Expr) -> Option<(&str, &str, &Value, &str)> {
    match e {
        Expr::Call(name, args) if name.eq_ignore_ascii_case("contains") => match args.as_slice() {
            [Expr::Field(f), Expr::Literal(v @ Value::String(s))] => Some((name, f, v, s)),
            _ => None,
        },
        _ => None,
    }
}

/// [`keep_where`] through the general evaluator, appending to `kept`.
fn keep_all_where(
    ev: &mut Evaluator<'_, '_>,
    e: &Expr,
    rows: Vec<Row>,
    mut kept: Vec<Row>,
) -> Result<Vec<Row>, String> {
    for r in rows {
        if eval_row(ev, e, &r)?.truthy() {
            kept.push(r);
        }
    }
    Ok(kept)
}

/// Runs a query held by note `this`. `max_rows` caps what is kept (the rest is counted).
pub fn run(q: &Query, idx: &Index<'_>, this: usize, max_rows: usize) -> Result<Output, String> {
    let set = match &q.source {
        Some(s) => source_set(s, idx, this)?,
        None => Set::full(idx.len()),
    };
    let mut ev = Evaluator::new(idx, this);
    let mut rows = rows_of(q, set.iter(), idx);
    let leading = leading_wheres(q);
    let mut grouped = false;
    for (ci, c) in q.commands.iter().enumerate() {
        if ci == leading {
            record_rows_left(&rows);
        }
        match c {
            Command::Where(e) => rows = keep_where(&mut ev, e, rows)?,
            Command::Sort(keys) => {
                let mut keyed: Vec<(Vec<Value>, Row)> = Vec::with_capacity(rows.len());
                for r in rows {
                    let k = keys
                        .iter()
                        .map(|(e, _)| eval_row(&mut ev, e, &r))
                        .collect::<Result<Vec<_>, _>>()?;
                    keyed.push((k, r));
                }
                keyed.sort_by(|(a, _), (b, _)| {
                    for (i, (_, desc)) in keys.iter().enumerate() {
                        let c = compare(&a[i], &b[i]);
                        let c = if *desc { c.reverse() } else { c };
                        if c.is_ne() {
                            return c;
                        }
                    }
                    std::cmp::Ordering::Equal
                });
                rows = keyed.into_iter().map(|(_, r)| r).collect();
            }
            Command::GroupBy(e, name) => {
                let mut groups: Vec<(Value, Vec<Row>)> = Vec::new();
                let mut keyed: Vec<(Value, Row)> = Vec::with_capacity(rows.len());
                for r in rows {
                    keyed.push((eval_row(&mut ev, e, &r)?, r));
                }
                keyed.sort_by(|(a, _), (b, _)| compare(a, b));
                for (k, r) in keyed {
                    match groups.last_mut() {
                        Some((last, v)) if compare(last, &k).is_eq() => v.push(r),
                        _ => groups.push((k, vec![r])),
                    }
                }
                rows = groups
                    .into_iter()
                    .map(|(k, rs)| Row {
                        extra: if name != "key" {
                            vec![(name.clone(), k.clone())]
                        } else {
                            Vec::new()
                        },
                        base: Base::Group(k, rs),
                    })
                    .collect();
                grouped = true;
            }
            Command::Flatten(e, name) => {
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    match eval_row(&mut ev, e, &r)? {
                        Value::List(items) if !items.is_empty() => {
                            for it in items.iter() {
                                let mut r2 = r.clone();
                                r2.extra.push((name.clone(), it.clone()));
                                out.push(r2);
                            }
                        }
                        Value::List(_) => {
                            let mut r2 = r.clone();
                            r2.extra.push((name.clone(), Value::Null));
                            out.push(r2);
                        }
                        v => {
                            let mut r2 = r;
                            r2.extra.push((name.clone(), v));
                            out.push(r2);
                        }
                    }
                }
                rows = out;
            }
            Command::Limit(e) => {
                let n = match ev.eval(e, &Row::page(this))? {
                    Value::Number(n) if n >= 0.0 => n as usize,
                    other => {
                        return Err(format!(
                            "LIMIT needs a number that is 0 or more, got {}",
                            other.to_text()
                        ))
                    }
                };
                rows.truncate(n);
            }
        }
    }
    if leading == q.commands.len() {
        record_rows_left(&rows);
    }
    let total = rows.len();
    rows.truncate(max_rows);
    let truncated = total - rows.len();
    shape(q, &mut ev, rows, grouped, truncated)
}

/// Records the notes of the rows left after the leading `WHERE`s.
fn record_rows_left(rows: &[Row]) {
    for r in rows {
        if let Some(n) = row_note(r) {
            super::reads::row_left(n);
        }
    }
}

fn id_of(ev: &Evaluator<'_, '_>, r: &Row) -> Value {
    match &r.base {
        Base::Group(k, _) => k.clone(),
        Base::Page(n) | Base::Item(n, _) => Value::link(ev.idx.note_link(*n)),
    }
}

fn shape(
    q: &Query,
    ev: &mut Evaluator<'_, '_>,
    rows: Vec<Row>,
    grouped: bool,
    truncated: usize,
) -> Result<Output, String> {
    Ok(match &q.header {
        Header::List { without_id, expr } => {
            let mut items = Vec::with_capacity(rows.len());
            for r in &rows {
                let value = match expr {
                    Some(e) => Some(eval_row(ev, e, r)?),
                    None => None,
                };
                let nested = match (&r.base, expr) {
                    (Base::Group(_, rs), None) => rs.iter().map(|x| id_of(ev, x)).collect(),
                    _ => Vec::new(),
                };
                items.push(ListEntry {
                    id: (!without_id || value.is_none()).then(|| id_of(ev, r)),
                    value,
                    nested,
                });
            }
            Output::List { items, truncated }
        }
        Header::Table {
            without_id,
            columns,
        } => {
            let mut headers = Vec::new();
            if !without_id {
                let first = if grouped { "Group" } else { "File" };
                headers.push(format!("{first} ({})", rows.len() + truncated));
            }
            headers.extend(columns.iter().map(|(_, h)| h.clone()));
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let mut cells = Vec::with_capacity(headers.len());
                if !without_id {
                    cells.push(id_of(ev, r));
                }
                for (e, _) in columns {
                    cells.push(eval_row(ev, e, r)?);
                }
                out.push(cells);
            }
            Output::Table {
                headers,
                rows: out,
                truncated,
            }
        }
        Header::Task => {
            let mut groups: Vec<TaskGroup> = Vec::new();
            if grouped {
                for r in &rows {
                    if let Base::Group(k, rs) = &r.base {
                        groups.push(TaskGroup {
                            heading: vec![k.clone()],
                            tasks: rs.iter().filter_map(item_of).collect(),
                        });
                    }
                }
            } else {
                // Without GROUP BY, Dataview groups tasks by the note they are in (notes in the
                // order their first task comes, tasks in result order).
                let mut group_of: std::collections::HashMap<usize, usize> = Default::default();
                for r in &rows {
                    let Some((n, i)) = item_of(r) else { continue };
                    let g = *group_of.entry(n).or_insert_with(|| {
                        groups.push(TaskGroup {
                            heading: vec![Value::link(ev.idx.note_link(n))],
                            tasks: Vec::new(),
                        });
                        groups.len() - 1
                    });
                    groups[g].tasks.push((n, i));
                }
            }
            Output::Tasks { groups, truncated }
        }
        Header::Calendar { expr } => {
            let mut entries = Vec::new();
            for r in &rows {
                if let Value::Date(d) = eval_row(ev, expr, r)? {
                    entries.push((d.date(), id_of(ev, r)));
                }
            }
            entries.sort_by_key(|e| e.0);
            Output::Calendar { entries, truncated }
        }
    })
}

fn item_of(r: &Row) -> Option<(usize, usize)> {
    match r.base {
        Base::Item(n, i) => Some((n, i)),
        _ => None,
    }
}
