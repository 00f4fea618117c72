//! Running a query: filtering, sorting (user sorts, then the plugin's default
//! `status.type, urgency, due, priority, path`), `limit`, grouping, `limit groups`, and the
//! `explain` text.

use std::cmp::Ordering;
use std::collections::HashMap;

use time::Date;

use super::super::meta::{status_name, status_type, TaskMeta};
use super::filter::{self, folder, priority_number, root, Ctx, DateField, Filter, Node};
use super::{GroupKey, Order, SortKey, TaskGroup, TaskRecord, TasksQuery, TasksResult};

/// The plugin's urgency score for a task on `today` (Julian day number).
pub fn urgency(m: &TaskMeta, today: i32) -> f64 {
    let mut u = 0.0;
    if let Some(Ok(due)) = DateField::Due.day(m) {
        let overdue = (today - due) as f64;
        let mult = if overdue >= 7.0 {
            1.0
        } else if overdue >= -14.0 {
            (overdue + 14.0) * 0.8 / 21.0 + 0.2
        } else {
            0.2
        };
        u += mult * 12.0;
    }
    if matches!(DateField::Scheduled.day(m), Some(Ok(d)) if today >= d) {
        u += 5.0;
    }
    if matches!(DateField::Start.day(m), Some(Ok(d)) if today < d) {
        u -= 3.0;
    }
    u + match priority_number(&m.priority) {
        0 => 9.0,
        1 => 6.0,
        2 => 3.9,
        3 => 1.95,
        4 => 0.0,
        _ => -1.8,
    }
}

/// A byte string whose order is the natural order of `s`: case-insensitive, digit runs
/// compared as numbers (like `localeCompare(…, {numeric: true})`), ties broken by the raw
/// text. Comparing keys is a `memcmp`, much cheaper than comparing the strings char by char.
pub fn natural_key(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut k = Vec::with_capacity(2 * b.len() + 8);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            while i + 1 < j && b[i] == b'0' {
                i += 1;
            }
            // A digit run sorts where a digit would, then by length, then by digits.
            k.push(b'0');
            k.extend_from_slice(&((j - i).min(u16::MAX as usize) as u16).to_be_bytes());
            k.extend_from_slice(&b[i..j]);
            i = j;
        } else if c.is_ascii() {
            k.push(c.to_ascii_lowercase());
            i += 1;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            let mut buf = [0u8; 4];
            for l in ch.to_lowercase() {
                k.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
            i += ch.len_utf8();
        }
    }
    k.push(0);
    k.extend_from_slice(b);
    k
}

/// Compares two strings in natural order (see [`natural_key`]).
#[cfg(test)]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_key(a).cmp(&natural_key(b))
}

/// The description as sorted by the plugin: leading `[[link|alias]]`, `**`, `__`, `==`,
/// `*`, `_` markup removed.
fn sortable_description(d: &str) -> String {
    let mut s = d.to_string();
    if let Some(rest) = s.strip_prefix("[[") {
        if let Some(end) = rest.find("]]") {
            let inner = &rest[..end];
            let shown = inner.rsplit('|').next().unwrap_or(inner);
            s = format!("{shown}{}", &rest[end + 2..]);
        }
    }
    for mark in ["**", "__", "==", "*", "_"] {
        if let Some(rest) = s.strip_prefix(mark) {
            if let Some(end) = rest.find(mark) {
                s = format!("{}{}", &rest[..end], &rest[end + mark.len()..]);
            }
            break;
        }
    }
    s
}

/// Orders dates the plugin's way: invalid first, then by date, undated last.
fn date_key(d: Option<Result<i32, ()>>) -> i64 {
    match d {
        Some(Err(())) => i64::MIN,
        Some(Ok(v)) => v as i64,
        None => i64::MAX,
    }
}

/// An `i64` ordered like `f64::total_cmp`.
fn float_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

fn fnv(seed: i32, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed as u64;
    for b in s.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Each value's position in the natural order of the distinct values.
fn ranks<S: AsRef<str>>(vals: &[S]) -> Vec<i64> {
    // Matched tasks come file by file, so collapsing runs first makes this cheap.
    let mut uniq: Vec<&str> = Vec::new();
    for v in vals.iter().map(AsRef::as_ref) {
        if uniq.last() != Some(&v) {
            uniq.push(v);
        }
    }
    uniq.sort_unstable();
    uniq.dedup();
    let keys: Vec<Vec<u8>> = uniq.iter().map(|s| natural_key(s)).collect();
    let mut order: Vec<usize> = (0..uniq.len()).collect();
    order.sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut rank = vec![0i64; uniq.len()];
    for (r, &u) in order.iter().enumerate() {
        rank[u] = r as i64;
    }
    let mut last: Option<(&str, i64)> = None;
    vals.iter()
        .map(|v| {
            let v = v.as_ref();
            match last {
                Some((s, r)) if s == v => r,
                _ => {
                    let r = uniq.binary_search(&v).map_or(0, |i| rank[i]);
                    last = Some((v, r));
                    r
                }
            }
        })
        .collect()
}

/// The sort key of every matched task for one property (ascending order).
fn sort_column(key: SortKey, rows: &[usize], tasks: &[TaskRecord<'_>], today: i32) -> Vec<i64> {
    let meta = |i: usize| tasks[i].meta;
    let col = |f: &dyn Fn(usize) -> i64| rows.iter().map(|&i| f(i)).collect::<Vec<i64>>();
    match key {
        SortKey::Status => col(&|i| status_type(tasks[i].status).is_done() as i64),
        SortKey::StatusType => col(&|i| status_type(tasks[i].status).rank() as i64),
        SortKey::Date(f) => col(&|i| date_key(f.day(meta(i)))),
        SortKey::Priority => col(&|i| priority_number(&meta(i).priority) as i64),
        SortKey::Urgency => col(&|i| !float_key(urgency(meta(i), today))),
        SortKey::Recurring => col(&|i| meta(i).recurrence.is_none() as i64),
        SortKey::Random => col(&|i| fnv(today, &meta(i).text) as i64),
        SortKey::StatusName => ranks(
            &rows
                .iter()
                .map(|&i| status_name(tasks[i].status))
                .collect::<Vec<_>>(),
        ),
        SortKey::Description => ranks(
            &rows
                .iter()
                .map(|&i| sortable_description(&meta(i).text))
                .collect::<Vec<_>>(),
        ),
        SortKey::Path => ranks(&rows.iter().map(|&i| tasks[i].path).collect::<Vec<_>>()),
        SortKey::Filename => ranks(
            &rows
                .iter()
                .map(|&i| file_stem(tasks[i].path))
                .collect::<Vec<_>>(),
        ),
        SortKey::Id => ranks(
            &rows
                .iter()
                .map(|&i| meta(i).id.as_deref().unwrap_or(""))
                .collect::<Vec<_>>(),
        ),
        SortKey::Heading => {
            let r = ranks(
                &rows
                    .iter()
                    .map(|&i| tasks[i].heading.unwrap_or(""))
                    .collect::<Vec<_>>(),
            );
            rows.iter()
                .zip(r)
                .map(|(&i, k)| if tasks[i].heading.is_some() { k } else { -1 })
                .collect()
        }
        SortKey::Tag(n) => {
            let tag = |i: usize| meta(i).tags.get(n - 1).map(String::as_str);
            let r = ranks(
                &rows
                    .iter()
                    .map(|&i| tag(i).unwrap_or(""))
                    .collect::<Vec<_>>(),
            );
            rows.iter()
                .zip(r)
                .map(|(&i, k)| if tag(i).is_some() { k } else { i64::MAX })
                .collect()
        }
    }
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

const DEFAULT_SORT: [SortKey; 5] = [
    SortKey::StatusType,
    SortKey::Urgency,
    SortKey::Date(DateField::Due),
    SortKey::Priority,
    SortKey::Path,
];

/// A group heading with its place in the order.
#[derive(Clone)]
struct GroupVal {
    rank: i64,
    text: String,
    link: Option<String>,
}

fn val(rank: i64, text: impl Into<String>) -> GroupVal {
    GroupVal {
        rank,
        text: text.into(),
        link: None,
    }
}

/// The group(s) a task belongs to for one `group by` property.
fn group_vals(key: GroupKey, t: &TaskRecord<'_>, today: i32) -> Vec<GroupVal> {
    let m = t.meta;
    let one = |v: GroupVal| vec![v];
    match key {
        GroupKey::Status => {
            let done = status_type(t.status).is_done();
            one(val(0, if done { "Done" } else { "Todo" }))
        }
        GroupKey::StatusName => one(val(0, status_name(t.status))),
        GroupKey::StatusType => {
            let ty = status_type(t.status);
            one(val(ty.rank() as i64, ty.as_str()))
        }
        GroupKey::Date(f) => one(match f.day(m) {
            Some(Ok(jd)) => {
                let d = Date::from_julian_day(jd).ok();
                let text = d.map(|d| {
                    format!(
                        "{} {}",
                        crate::paths::format_date(d),
                        super::super::dates::weekday_name(d)
                    )
                });
                val(jd as i64, text.unwrap_or_default())
            }
            Some(Err(())) => val(i64::MIN, format!("Invalid {} date", f.name())),
            None => val(i64::MAX, format!("No {} date", f.name())),
        }),
        GroupKey::Priority => {
            let n = priority_number(&m.priority);
            let names = ["Highest", "High", "Medium", "Normal", "Low", "Lowest"];
            one(val(n as i64, format!("{} priority", names[n as usize])))
        }
        GroupKey::Urgency => {
            let u = urgency(m, today);
            one(val(-(u * 100.0).round() as i64, format!("{u:.2}")))
        }
        GroupKey::Recurring => one(val(
            0,
            if m.recurrence.is_some() {
                "Recurring"
            } else {
                "Not Recurring"
            },
        )),
        GroupKey::Recurrence => one(val(0, m.recurrence.as_deref().unwrap_or("None"))),
        GroupKey::Tags if m.tags.is_empty() => one(val(0, "(No tags)")),
        GroupKey::Tags => m.tags.iter().map(|tag| val(1, format!("#{tag}"))).collect(),
        GroupKey::Path => one(GroupVal {
            link: Some(t.path.to_string()),
            ..val(0, t.path.strip_suffix(".md").unwrap_or(t.path))
        }),
        GroupKey::Root => one(val(0, root(t.path))),
        GroupKey::Folder => one(val(0, folder(t.path))),
        GroupKey::Filename => one(GroupVal {
            link: Some(t.path.to_string()),
            ..val(0, file_stem(t.path))
        }),
        GroupKey::Backlink => {
            let stem = file_stem(t.path);
            one(match t.heading {
                Some(h) => GroupVal {
                    link: Some(format!("{}#{h}", t.path)),
                    ..val(0, format!("{stem} > {h}"))
                },
                None => GroupVal {
                    link: Some(t.path.to_string()),
                    ..val(0, stem)
                },
            })
        }
        GroupKey::Heading => one(match t.heading {
            Some(h) => val(1, h),
            None => val(0, "(No heading)"),
        }),
        GroupKey::Id => one(val(0, m.id.as_deref().unwrap_or(""))),
    }
}

/// A group heading's rank and natural-order key.
type SortableHeading = (i64, Vec<u8>);

/// Orders groups level by level: rank, then natural order of the heading.
fn cmp_vals(groups: &[Order<GroupKey>], a: &[SortableHeading], b: &[SortableHeading]) -> Ordering {
    for ((g, x), y) in groups.iter().zip(a).zip(b) {
        let o = x.cmp(y);
        let o = if g.reverse { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Whether any of `tasks` passes the query's filters (`wikigen serve` checks the tasks of a
/// changed note with it).
pub fn any_match(q: &TasksQuery, tasks: &[TaskRecord<'_>], today: Date) -> bool {
    let ranges: Vec<(i32, i32)> = collect_ranges(q, today);
    let mut ctx = Ctx::new(tasks, today, ranges, q.file_slots, q.needs_deps);
    (0..tasks.len()).any(|i| q.filters.iter().all(|f| ctx.eval(&f.node.f, i)))
}

/// The tasks that match, grouped and sorted. `today` is the build's date.
pub fn run(q: &TasksQuery, tasks: &[TaskRecord<'_>], today: Date) -> TasksResult {
    let ranges: Vec<(i32, i32)> = collect_ranges(q, today);
    let mut ctx = Ctx::new(tasks, today, ranges, q.file_slots, q.needs_deps);
    let matched: Vec<usize> = (0..tasks.len())
        .filter(|&i| q.filters.iter().all(|f| ctx.eval(&f.node.f, i)))
        .collect();
    let total = matched.len();
    let today_jd = ctx.today;

    let sorts: Vec<(SortKey, bool)> = q
        .sorts
        .iter()
        .map(|s| (s.key, s.reverse))
        .chain(DEFAULT_SORT.iter().map(|k| (*k, false)))
        .collect();
    // One row of integer keys per task, so sorting compares integers only.
    let k = sorts.len();
    let mut keys = vec![0i64; matched.len() * k];
    for (c, (key, reverse)) in sorts.iter().enumerate() {
        let col = sort_column(*key, &matched, tasks, today_jd);
        for (r, v) in col.into_iter().enumerate() {
            keys[r * k + c] = if *reverse { !v } else { v };
        }
    }
    let mut order: Vec<usize> = (0..matched.len()).collect();
    order.sort_by(|&a, &b| keys[a * k..(a + 1) * k].cmp(&keys[b * k..(b + 1) * k]));
    let mut sorted: Vec<usize> = order.into_iter().map(|r| matched[r]).collect();
    if let Some(n) = q.limit {
        sorted.truncate(n);
    }

    let mut groups: Vec<TaskGroup> = if q.groups.is_empty() {
        vec![TaskGroup {
            headings: Vec::new(),
            links: Vec::new(),
            tasks: sorted,
        }]
    } else {
        let mut keyed: Vec<(Vec<GroupVal>, Vec<usize>)> = Vec::new();
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for &i in &sorted {
            let mut combos: Vec<Vec<GroupVal>> = vec![Vec::new()];
            for g in &q.groups {
                let vals = group_vals(g.key, &tasks[i], today_jd);
                combos = combos
                    .iter()
                    .flat_map(|c| {
                        vals.iter().map(move |v| {
                            let mut c = c.clone();
                            c.push(v.clone());
                            c
                        })
                    })
                    .collect();
            }
            for combo in combos {
                let key: Vec<String> = combo.iter().map(|v| v.text.clone()).collect();
                let at = *index.entry(key).or_insert_with(|| {
                    keyed.push((combo, Vec::new()));
                    keyed.len() - 1
                });
                if keyed[at].1.last() != Some(&i) {
                    keyed[at].1.push(i);
                }
            }
        }
        let mut keyed: Vec<(Vec<SortableHeading>, Vec<GroupVal>, Vec<usize>)> = keyed
            .into_iter()
            .map(|(vals, tasks)| {
                let keys = vals
                    .iter()
                    .map(|v| (v.rank, natural_key(&v.text)))
                    .collect();
                (keys, vals, tasks)
            })
            .collect();
        keyed.sort_by(|a, b| cmp_vals(&q.groups, &a.0, &b.0));
        keyed
            .into_iter()
            .map(|(_, vals, tasks)| TaskGroup {
                headings: vals.iter().map(|v| v.text.clone()).collect(),
                links: vals.into_iter().map(|v| v.link).collect(),
                tasks,
            })
            .collect()
    };
    if let Some(n) = q.group_limit {
        if !q.groups.is_empty() {
            groups.iter_mut().for_each(|g| g.tasks.truncate(n));
        }
    }
    // Only `group by tags` can list a task twice.
    let shown = if q.groups.iter().any(|g| g.key == GroupKey::Tags) {
        let mut all: Vec<usize> = groups
            .iter()
            .flat_map(|g| g.tasks.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    } else {
        groups.iter().map(|g| g.tasks.len()).sum()
    };
    TasksResult {
        groups,
        total,
        matched,
        shown,
        explanation: q.explain.then(|| explanation(q, &ctx.ranges)),
        layout: q.layout.clone(),
    }
}

/// Resolves every date filter of the query for `today`.
fn collect_ranges(q: &TasksQuery, today: Date) -> Vec<(i32, i32)> {
    fn walk(f: &Filter, today: Date, out: &mut Vec<(i32, i32)>) {
        match f {
            Filter::Date {
                slot, text, whole, ..
            } => {
                let r = filter::resolve(text, whole, today)
                    .map(|r| (r.start.to_julian_day(), r.end.to_julian_day()))
                    .unwrap_or((i32::MAX, i32::MIN));
                out[*slot] = r;
            }
            Filter::Not(n) => walk(&n.f, today, out),
            Filter::Xor(a, b) => {
                walk(&a.f, today, out);
                walk(&b.f, today, out);
            }
            Filter::And(ns) | Filter::Or(ns) => ns.iter().for_each(|n| walk(&n.f, today, out)),
            _ => {}
        }
    }
    let mut out = vec![(i32::MAX, i32::MIN); q.date_slots];
    for f in &q.filters {
        walk(&f.node.f, today, &mut out);
    }
    out
}

fn push_indented(out: &mut String, indent: usize, text: &str) {
    for line in text.lines() {
        out.push_str(&" ".repeat(indent));
        out.push_str(line);
        out.push('\n');
    }
}

/// Explains a filter node: its text, then (indented) what it means.
fn explain_node(out: &mut String, n: &Node, indent: usize, ranges: &[(i32, i32)]) {
    let (title, children): (&str, Vec<&Node>) = match &n.f {
        Filter::And(ns) => ("AND (All of):", ns.iter().collect()),
        Filter::Or(ns) => ("OR (At least one of):", ns.iter().collect()),
        Filter::Xor(a, b) => ("XOR (Exactly one of):", vec![a.as_ref(), b.as_ref()]),
        Filter::Not(a) => ("NOT:", vec![a.as_ref()]),
        f => {
            match filter::explain(f, ranges).filter(|e| *e != n.src) {
                Some(e) => {
                    push_indented(out, indent, &format!("{} =>", n.src));
                    push_indented(out, indent + 2, &e);
                }
                None => push_indented(out, indent, &n.src),
            }
            return;
        }
    };
    push_indented(out, indent, title);
    for c in children {
        explain_node(out, c, indent + 2, ranges);
    }
}

/// The `explain` text.
fn explanation(q: &TasksQuery, ranges: &[(i32, i32)]) -> String {
    let mut out = String::from("Explanation of this Tasks code block query:\n\n");
    if q.filters.is_empty() {
        out.push_str("  No filters supplied. All tasks will match the query.\n");
    }
    for (k, f) in q.filters.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        if f.raw != f.node.src {
            push_indented(&mut out, 2, &format!("{} =>", f.raw));
        }
        match &f.node.f {
            Filter::And(_) | Filter::Or(_) | Filter::Xor(..) | Filter::Not(_) => {
                push_indented(&mut out, 2, &format!("{} =>", f.node.src));
                explain_node(&mut out, &f.node, 4, ranges);
            }
            _ => explain_node(&mut out, &f.node, 2, ranges),
        }
    }
    let orders: Vec<&str> = q
        .groups
        .iter()
        .map(|g| g.text.as_str())
        .chain(q.sorts.iter().map(|s| s.text.as_str()))
        .collect();
    if !orders.is_empty() {
        out.push('\n');
        for o in orders {
            push_indented(&mut out, 2, o);
        }
    }
    let plural = |n: usize| if n == 1 { "task" } else { "tasks" };
    if let Some(n) = q.limit {
        out.push_str(&format!("\n  At most {n} {}.\n", plural(n)));
    }
    if let Some(n) = q.group_limit {
        out.push_str(&format!(
            "\n  At most {n} {} per group (if any \"group by\" options are supplied).\n",
            plural(n)
        ));
    }
    out.trim_end().to_string()
}
