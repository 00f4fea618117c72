//! Filters of the tasks query language: parsing one instruction (including Boolean
//! combinations) and evaluating it against a task.
//!
//! `includes` needles are compiled once, at parse time, into case-insensitive literal
//! regexes (fast literal search, no allocation per task). Dates are resolved once per run
//! into day-number ranges (indexed by a slot assigned at parse time); filters on the task's
//! file (`path`, `folder`, `root`, `filename`) are memoised while consecutive tasks share a
//! file.

use std::collections::HashSet;

use regex::{Regex, RegexBuilder};
use time::Date;

use super::super::dates::{self, DateRange};
use super::super::meta::{status_name, status_type, StatusType, TaskMeta};
use super::boolean::{parse_boolean, starts_boolean};
use super::{strip_ci, strip_word, TaskRecord};

/// Counters for per-run state, threaded through parsing.
pub(super) struct Slots {
    pub dates: usize,
    pub files: usize,
    pub deps: bool,
}

/// A date property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    /// `📅`.
    Due,
    /// `⏳`.
    Scheduled,
    /// `🛫` (`starts …` filters also match tasks without one).
    Start,
    /// `➕`.
    Created,
    /// `✅`.
    Done,
    /// `❌`.
    Cancelled,
    /// The earliest of start, scheduled and due (filters match any of them).
    Happens,
}

impl DateField {
    pub(super) fn name(self) -> &'static str {
        match self {
            DateField::Due => "due",
            DateField::Scheduled => "scheduled",
            DateField::Start => "start",
            DateField::Created => "created",
            DateField::Done => "done",
            DateField::Cancelled => "cancelled",
            DateField::Happens => "happens",
        }
    }

    fn raw(self, m: &TaskMeta) -> &Option<String> {
        match self {
            DateField::Due | DateField::Happens => &m.due,
            DateField::Scheduled => &m.scheduled,
            DateField::Start => &m.start,
            DateField::Created => &m.created,
            DateField::Done => &m.done,
            DateField::Cancelled => &m.cancelled,
        }
    }

    /// The task's value: `Err(())` for a date that is written but invalid.
    pub(super) fn day(self, m: &TaskMeta) -> Option<Result<i32, ()>> {
        if self == DateField::Happens {
            let days = [DateField::Start, DateField::Scheduled, DateField::Due]
                .map(|f| f.day(m).and_then(Result::ok));
            return days.into_iter().flatten().min().map(Ok);
        }
        match self.raw(m) {
            Some(s) => Some(day_number(s).ok_or(())),
            None if m.invalid_dates.contains(&self.name()) => Some(Err(())),
            None => None,
        }
    }
}

/// `YYYY-MM-DD` → Julian day number.
pub(super) fn day_number(s: &str) -> Option<i32> {
    dates::parse_iso(s).map(Date::to_julian_day)
}

/// A date comparison keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateOp {
    Before,
    After,
    OnOrBefore,
    OnOrAfter,
    In,
}

/// A text property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextField {
    Description,
    Path,
    Folder,
    Root,
    Filename,
    Heading,
    Recurrence,
    Id,
    StatusName,
}

impl TextField {
    fn value<'a>(self, t: &TaskRecord<'a>) -> &'a str {
        match self {
            TextField::Description => &t.meta.text,
            TextField::Path => t.path,
            TextField::Folder => folder(t.path),
            TextField::Root => root(t.path),
            TextField::Filename => t.path.rsplit('/').next().unwrap_or(t.path),
            TextField::Heading => t.heading.unwrap_or(""),
            TextField::Recurrence => t.meta.recurrence.as_deref().unwrap_or(""),
            TextField::Id => t.meta.id.as_deref().unwrap_or(""),
            TextField::StatusName => status_name(t.status),
        }
    }

    fn per_file(self) -> bool {
        matches!(
            self,
            TextField::Path | TextField::Folder | TextField::Root | TextField::Filename
        )
    }
}

/// `a/b/c.md` → `a/b/`; a file at the top → `/`.
pub(super) fn folder(path: &str) -> &str {
    path.rfind('/').map_or("/", |i| &path[..=i])
}

/// `a/b/c.md` → `a/`; a file at the top → `/`.
pub(super) fn root(path: &str) -> &str {
    path.find('/').map_or("/", |i| &path[..=i])
}

/// A string test.
#[derive(Debug, Clone)]
pub(super) enum Matcher {
    /// Case-insensitive substring, compiled to a literal regular expression (Unicode case
    /// folding; fast literal search).
    Includes(Regex),
    /// A regular expression, with its source and flags for `explain`.
    Regex(Regex, String, String),
}

/// A case-insensitive literal search for `needle`, anchored at the start if asked.
fn literal(needle: &str, anchored: bool) -> Result<Regex, String> {
    let pattern = format!(
        "{}{}",
        if anchored { "^" } else { "" },
        regex::escape(needle)
    );
    RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| "the text to search for is too long".to_string())
}

impl Matcher {
    fn is_match(&self, hay: &str) -> bool {
        match self {
            Matcher::Includes(r) | Matcher::Regex(r, _, _) => r.is_match(hay),
        }
    }

    fn explain(&self) -> Option<String> {
        match self {
            Matcher::Includes(_) => None,
            Matcher::Regex(_, src, flags) => Some(match flags.len() {
                0 => format!("using regex:     '{src}' with no flags"),
                1 => format!("using regex:     '{src}' with flag '{flags}'"),
                _ => format!("using regex:     '{src}' with flags '{flags}'"),
            }),
        }
    }
}

/// Priority comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PriOp {
    Is,
    Above,
    Below,
    Not,
}

/// The priority number: highest 0, high 1, medium 2, none 3, low 4, lowest 5.
pub(super) fn priority_number(p: &str) -> u8 {
    match p {
        "highest" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 4,
        "lowest" => 5,
        _ => 3,
    }
}

/// One filter.
#[derive(Debug, Clone)]
pub(super) enum Filter {
    /// `done` (true) / `not done` (false).
    Done(bool),
    StatusType(StatusType, bool),
    Text {
        field: TextField,
        m: Matcher,
        negate: bool,
        memo: Option<usize>,
    },
    Tags(Matcher, bool),
    HasTags(bool),
    Date {
        field: DateField,
        op: DateOp,
        slot: usize,
        text: String,
        whole: String,
    },
    HasDate(DateField, bool),
    DateInvalid(DateField),
    Priority(PriOp, u8),
    Recurring(bool),
    HasId(bool),
    HasDependsOn(bool),
    Blocked(bool),
    Blocking(bool),
    ExcludeSubItems,
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Xor(Box<Node>, Box<Node>),
}

/// A filter with the text it was written as.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub src: String,
    pub f: Filter,
}

pub(super) type Parsed = Result<Filter, (String, String)>;

fn err(message: String, hint: &str) -> Option<Parsed> {
    Some(Err((message, hint.to_string())))
}

const DATE_HINT: &str = "use a date such as 2026-05-25, `25th May 2026`, `today`, `next monday`, \
`14 days ago`, `in two weeks`, or a range: `2026-01-01 2026-02-01`, `this week`, `next month`, \
`2026-W05`, `2026-03`, `2026-Q1`, `2026`";
const REGEX_HINT: &str = "write the pattern between slashes, optionally followed by flags: \
`/^Work\\//i`; wikigen uses Rust regex syntax (no look-around or back-references)";

/// Resolves a date filter's text for `today` (`None` when it is not understood).
pub(super) fn resolve(text: &str, whole: &str, today: Date) -> Option<DateRange> {
    dates::parse_date_range(text, today)
        .or_else(|| dates::parse_natural_date(whole, today).map(DateRange::day))
}

fn parse_regex(value: &str) -> Result<Matcher, String> {
    let v = value.trim();
    let body = v.strip_prefix('/').ok_or("the regex must start with /")?;
    let close = body
        .rfind('/')
        .ok_or("the regex must end with / (and optional flags)")?;
    let (pattern, flags) = (&body[..close], &body[close + 1..]);
    if pattern.is_empty() {
        return Err("the regex is empty".into());
    }
    if let Some(bad) = flags.chars().find(|c| !"gimsuyvd".contains(*c)) {
        return Err(format!("unknown regex flag '{bad}'"));
    }
    let built = RegexBuilder::new(&pattern.replace("\\/", "/"))
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let e = e.to_string();
            format!("invalid regex: {}", e.lines().last().unwrap_or(&e).trim())
        })?;
    Ok(Matcher::Regex(
        built,
        pattern.to_string(),
        flags.to_string(),
    ))
}

/// `includes|does not include|regex matches|regex does not match` (and the `tags` spellings).
fn parse_matcher(
    rest: &str,
    field: &str,
    tags: bool,
) -> Option<Result<(Matcher, bool), (String, String)>> {
    const OPS: [(&str, bool, bool); 8] = [
        ("includes", false, false),
        ("include", false, false),
        ("does not include", true, false),
        ("do not include", true, false),
        ("regex matches", false, true),
        ("regex match", false, true),
        ("regex does not match", true, true),
        ("regex do not match", true, true),
    ];
    let (value, negate, regex) = OPS.iter().find_map(|(op, neg, re)| {
        let after = strip_ci(rest, op)?;
        if after.is_empty() {
            Some(("", *neg, *re))
        } else {
            after.strip_prefix(' ').map(|v| (v, *neg, *re))
        }
    })?;
    if regex {
        Some(match parse_regex(value) {
            Ok(m) => Ok((m, negate)),
            Err(e) => Err((
                format!("cannot parse regex ({field}): {e}"),
                REGEX_HINT.to_string(),
            )),
        })
    } else {
        // Tags: `#x` must start the tag, `x` may be anywhere in it.
        let (needle, anchored) = match value.strip_prefix('#') {
            Some(n) if tags => (n, true),
            _ => (value, false),
        };
        Some(match literal(needle, anchored) {
            Ok(r) => Ok((Matcher::Includes(r), negate)),
            Err(e) => Err((format!("{e} ({field})"), "search for a shorter text".into())),
        })
    }
}

const TEXT_FIELDS: [(&str, TextField); 9] = [
    ("description", TextField::Description),
    ("path", TextField::Path),
    ("folder", TextField::Folder),
    ("root", TextField::Root),
    ("filename", TextField::Filename),
    ("heading", TextField::Heading),
    ("recurrence", TextField::Recurrence),
    ("id", TextField::Id),
    ("status.name", TextField::StatusName),
];

const DATE_WORDS: [(&str, DateField); 8] = [
    ("due", DateField::Due),
    ("scheduled", DateField::Scheduled),
    ("starts", DateField::Start),
    ("start", DateField::Start),
    ("created", DateField::Created),
    ("done", DateField::Done),
    ("cancelled", DateField::Cancelled),
    ("happens", DateField::Happens),
];

/// Parses one instruction into a filter. `None` when it is not a filter instruction.
pub(super) fn parse_instruction(line: &str, slots: &mut Slots) -> Option<Parsed> {
    let line = line.trim();
    if starts_boolean(line) {
        return Some(parse_boolean(line, slots));
    }
    let lower = line.to_ascii_lowercase();
    let simple = match lower.as_str() {
        "done" => Some(Filter::Done(true)),
        "not done" => Some(Filter::Done(false)),
        "has tags" | "has tag" => Some(Filter::HasTags(true)),
        "no tags" | "no tag" => Some(Filter::HasTags(false)),
        "is recurring" => Some(Filter::Recurring(true)),
        "is not recurring" => Some(Filter::Recurring(false)),
        "has id" => Some(Filter::HasId(true)),
        "no id" => Some(Filter::HasId(false)),
        "has depends on" => Some(Filter::HasDependsOn(true)),
        "no depends on" => Some(Filter::HasDependsOn(false)),
        "is blocked" => Some(Filter::Blocked(true)),
        "is not blocked" => Some(Filter::Blocked(false)),
        "is blocking" => Some(Filter::Blocking(true)),
        "is not blocking" => Some(Filter::Blocking(false)),
        "exclude sub-items" => Some(Filter::ExcludeSubItems),
        _ => None,
    };
    if let Some(f) = simple {
        if matches!(f, Filter::Blocked(_) | Filter::Blocking(_)) {
            slots.deps = true;
        }
        return Some(Ok(f));
    }
    if let Some(rest) = strip_word(line, "status.type") {
        let (negate, value) = match strip_word(rest, "is not") {
            Some(v) => (true, v),
            None => (false, strip_word(rest, "is").unwrap_or("\u{0}")),
        };
        return Some(match StatusType::from_name(value) {
            Some(t) => Ok(Filter::StatusType(t, negate)),
            None => Err((
                format!("invalid status.type instruction: \"{line}\""),
                "write `status.type is TYPE` or `status.type is not TYPE`, TYPE being one of \
                 TODO DONE IN_PROGRESS ON_HOLD CANCELLED NON_TASK (any case)"
                    .into(),
            )),
        });
    }
    for (word, field) in DATE_WORDS {
        let f = field.name();
        if lower == format!("has {f} date") {
            return Some(Ok(Filter::HasDate(field, true)));
        }
        if lower == format!("no {f} date") {
            return Some(Ok(Filter::HasDate(field, false)));
        }
        if field != DateField::Happens && lower == format!("{f} date is invalid") {
            return Some(Ok(Filter::DateInvalid(field)));
        }
        if let Some(rest) = strip_word(line, word).filter(|r| !r.is_empty()) {
            return Some(parse_date_filter(field, rest, slots));
        }
    }
    if let Some(rest) = strip_word(line, "priority") {
        return Some(parse_priority(rest, line));
    }
    for (word, field) in TEXT_FIELDS {
        if let Some(rest) = strip_ci(line, word).and_then(|r| r.strip_prefix(' ')) {
            let Some(res) = parse_matcher(rest, word, false) else {
                return err(
                    format!("do not understand query filter ({word}): \"{line}\""),
                    &format!(
                        "write `{word} includes TEXT`, `{word} does not include TEXT`, \
                         `{word} regex matches /RE/` or `{word} regex does not match /RE/`"
                    ),
                );
            };
            return Some(res.map(|(m, negate)| {
                let memo = field.per_file().then(|| {
                    slots.files += 1;
                    slots.files - 1
                });
                Filter::Text {
                    field,
                    m,
                    negate,
                    memo,
                }
            }));
        }
    }
    if let Some(rest) = strip_word(line, "tags").or_else(|| strip_word(line, "tag")) {
        return Some(match parse_matcher(rest, "tags", true) {
            Some(Ok((m, negate))) => Ok(Filter::Tags(m, negate)),
            Some(Err(e)) => Err(e),
            None => Err((
                format!("do not understand query filter (tags): \"{line}\""),
                "write `tags include #x`, `tags do not include #x`, `tags regex matches /re/`, \
                 `has tags` or `no tags`"
                    .into(),
            )),
        });
    }
    if strip_word(line, "urgency").is_some() {
        return err(
            format!("\"{line}\": filtering by urgency is not supported"),
            "use `sort by urgency` or `group by urgency`, or filter on due/priority instead",
        );
    }
    None
}

fn parse_date_filter(field: DateField, rest: &str, slots: &mut Slots) -> Parsed {
    const KEYWORDS: [(&str, DateOp); 8] = [
        ("on or before", DateOp::OnOrBefore),
        ("in or before", DateOp::OnOrBefore),
        ("on or after", DateOp::OnOrAfter),
        ("in or after", DateOp::OnOrAfter),
        ("before", DateOp::Before),
        ("after", DateOp::After),
        ("on", DateOp::In),
        ("in", DateOp::In),
    ];
    let (op, text) = KEYWORDS
        .iter()
        .find_map(|(k, op)| strip_word(rest, k).map(|t| (*op, t)))
        .unwrap_or((DateOp::In, rest));
    // Relative phrases give the same validity on every day: check against a fixed one.
    let reference = Date::from_calendar_date(2000, time::Month::January, 3).ok();
    if reference.and_then(|d| resolve(text, rest, d)).is_none() {
        let name = field.name();
        return Err((
            format!("do not understand {name} date: \"{rest}\""),
            DATE_HINT.to_string(),
        ));
    }
    slots.dates += 1;
    Ok(Filter::Date {
        field,
        op,
        slot: slots.dates - 1,
        text: text.to_string(),
        whole: rest.to_string(),
    })
}

fn parse_priority(rest: &str, line: &str) -> Parsed {
    let rest = strip_word(rest, "is").unwrap_or(rest);
    let mut words: Vec<String> = rest
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let op = match words.first().map(String::as_str) {
        Some("above") => PriOp::Above,
        Some("below") => PriOp::Below,
        Some("not") => PriOp::Not,
        _ => PriOp::Is,
    };
    if op != PriOp::Is {
        words.remove(0);
    }
    let level = match words.as_slice() {
        [w] => match w.as_str() {
            "highest" => Some(0),
            "high" => Some(1),
            "medium" => Some(2),
            "none" | "normal" => Some(3),
            "low" => Some(4),
            "lowest" => Some(5),
            _ => None,
        },
        _ => None,
    };
    match level {
        Some(l) => Ok(Filter::Priority(op, l)),
        None => Err((
            format!("do not understand priority: \"{line}\""),
            "write `priority is [above|below|not] LEVEL`, LEVEL being lowest, low, none \
             (or normal), medium, high or highest"
                .into(),
        )),
    }
}

/// Per-run evaluation state.
pub(super) struct Ctx<'t, 'a> {
    pub tasks: &'t [TaskRecord<'a>],
    pub today: i32,
    /// Resolved date ranges by slot, as Julian day numbers.
    pub ranges: Vec<(i32, i32)>,
    memo_key: (usize, usize),
    memo: Vec<u8>,
    /// Ids of tasks that are not done (for `is blocked`).
    open_ids: HashSet<&'a str>,
    /// Ids that tasks not done depend on (for `is blocking`).
    awaited: HashSet<&'a str>,
    buf: String,
}

impl<'t, 'a> Ctx<'t, 'a> {
    pub fn new(
        tasks: &'t [TaskRecord<'a>],
        today: Date,
        ranges: Vec<(i32, i32)>,
        files: usize,
        deps: bool,
    ) -> Self {
        let mut open_ids = HashSet::new();
        let mut awaited = HashSet::new();
        if deps {
            for t in tasks.iter().filter(|t| !status_type(t.status).is_done()) {
                if let Some(id) = t.meta.id.as_deref() {
                    open_ids.insert(id);
                }
                awaited.extend(t.meta.depends_on.iter().map(String::as_str));
            }
        }
        Ctx {
            tasks,
            today: today.to_julian_day(),
            ranges,
            memo_key: (0, usize::MAX),
            memo: vec![0; files],
            open_ids,
            awaited,
            buf: String::new(),
        }
    }

    /// Does task `i` pass `f`?
    pub fn eval(&mut self, f: &Filter, i: usize) -> bool {
        let t = self.tasks[i];
        let m = t.meta;
        match f {
            Filter::Done(want) => status_type(t.status).is_done() == *want,
            Filter::StatusType(ty, negate) => (status_type(t.status) == *ty) != *negate,
            Filter::Text {
                field,
                m: matcher,
                negate,
                memo,
            } => {
                if let Some(slot) = *memo {
                    let key = (t.path.as_ptr() as usize, t.path.len());
                    if key != self.memo_key {
                        self.memo_key = key;
                        self.memo.iter_mut().for_each(|v| *v = 0);
                    }
                    if self.memo[slot] != 0 {
                        return self.memo[slot] == 2;
                    }
                    let r = matcher.is_match(field.value(&t)) != *negate;
                    self.memo[slot] = if r { 2 } else { 1 };
                    return r;
                }
                matcher.is_match(field.value(&t)) != *negate
            }
            Filter::Tags(matcher, negate) => {
                let any = m.tags.iter().any(|tag| match matcher {
                    Matcher::Includes(r) => r.is_match(tag),
                    Matcher::Regex(r, _, _) => {
                        self.buf.clear();
                        self.buf.push('#');
                        self.buf.push_str(tag);
                        r.is_match(&self.buf)
                    }
                });
                any != *negate
            }
            Filter::HasTags(want) => m.tags.is_empty() != *want,
            Filter::Date {
                field, op, slot, ..
            } => {
                let (lo, hi) = self.ranges[*slot];
                let test = |d: i32| match op {
                    DateOp::Before => d < lo,
                    DateOp::After => d > hi,
                    DateOp::OnOrBefore => d <= hi,
                    DateOp::OnOrAfter => d >= lo,
                    DateOp::In => lo <= d && d <= hi,
                };
                if *field == DateField::Happens {
                    return [DateField::Start, DateField::Scheduled, DateField::Due]
                        .iter()
                        .any(|f| matches!(f.day(m), Some(Ok(d)) if test(d)));
                }
                match field.day(m) {
                    Some(Ok(d)) => test(d),
                    Some(Err(())) => false,
                    None => *field == DateField::Start,
                }
            }
            Filter::HasDate(field, want) => {
                let has = if *field == DateField::Happens {
                    [DateField::Start, DateField::Scheduled, DateField::Due]
                        .iter()
                        .any(|f| f.day(m).is_some())
                } else {
                    field.day(m).is_some()
                };
                has == *want
            }
            Filter::DateInvalid(field) => matches!(field.day(m), Some(Err(()))),
            Filter::Priority(op, level) => {
                let p = priority_number(&m.priority);
                match op {
                    PriOp::Is => p == *level,
                    PriOp::Above => p < *level,
                    PriOp::Below => p > *level,
                    PriOp::Not => p != *level,
                }
            }
            Filter::Recurring(want) => m.recurrence.is_some() == *want,
            Filter::HasId(want) => m.id.is_some() == *want,
            Filter::HasDependsOn(want) => m.depends_on.is_empty() != *want,
            Filter::Blocked(want) => {
                let blocked = !status_type(t.status).is_done()
                    && m.depends_on
                        .iter()
                        .any(|d| self.open_ids.contains(d.as_str()));
                blocked == *want
            }
            Filter::Blocking(want) => {
                let blocking = !status_type(t.status).is_done()
                    && m.id.as_deref().is_some_and(|id| self.awaited.contains(id));
                blocking == *want
            }
            Filter::ExcludeSubItems => t.parent.is_none(),
            Filter::Not(n) => !self.eval(&n.f, i),
            Filter::And(ns) => ns.iter().all(|n| self.eval(&n.f, i)),
            Filter::Or(ns) => ns.iter().any(|n| self.eval(&n.f, i)),
            Filter::Xor(a, b) => self.eval(&a.f, i) != self.eval(&b.f, i),
        }
    }
}

/// The explanation of a filter, when it says more than the instruction itself.
pub(super) fn explain(f: &Filter, ranges: &[(i32, i32)]) -> Option<String> {
    let day = |jd: i32| {
        Date::from_julian_day(jd)
            .map(dates::describe)
            .unwrap_or_default()
    };
    match f {
        Filter::Done(true) => Some("status type is DONE or CANCELLED or NON_TASK".into()),
        Filter::Done(false) => Some("status type is TODO or IN_PROGRESS or ON_HOLD".into()),
        Filter::Text { m, .. } | Filter::Tags(m, _) => m.explain(),
        Filter::Date {
            field, op, slot, ..
        } => {
            let (lo, hi) = ranges[*slot];
            let name = match field {
                DateField::Happens => "due, start or scheduled",
                f => f.name(),
            };
            let missing = if *field == DateField::Start {
                format!(" OR no {name} date")
            } else {
                String::new()
            };
            Some(match op {
                DateOp::Before => format!("{name} date is before {}{missing}", day(lo)),
                DateOp::After => format!("{name} date is after {}{missing}", day(hi)),
                DateOp::OnOrBefore => format!("{name} date is on or before {}{missing}", day(hi)),
                DateOp::OnOrAfter => format!("{name} date is on or after {}{missing}", day(lo)),
                DateOp::In if lo == hi => format!("{name} date is on {}{missing}", day(lo)),
                DateOp::In => format!(
                    "{name} date is between:\n  {} and\n  {} inclusive{}",
                    day(lo),
                    day(hi),
                    if missing.is_empty() {
                        String::new()
                    } else {
                        format!("\n  OR no {name} date")
                    }
                ),
            })
        }
        Filter::Priority(PriOp::Is, l) => {
            let names = ["highest", "high", "medium", "none", "low", "lowest"];
            Some(format!("priority is {}", names[*l as usize]))
        }
        _ => None,
    }
}
