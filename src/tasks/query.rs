//! The ```` ```tasks ```` query language of the Obsidian Tasks plugin, evaluated at build time.
//!
//! [`parse`] reads a block into a [`TasksQuery`]; [`run`] applies it to the vault's tasks for
//! a given `today`. One instruction per line, all filter lines must match (implicit AND).
//! Lines starting with `#` and `{{! … }}` are comments; a trailing `\` continues a line;
//! `{{query.file.path}}`, `…pathWithoutExtension`, `…folder`, `…filename`,
//! `…filenameWithoutExtension` and `…root` are replaced by the query note's values.
//! Instruction keywords are case-insensitive; Boolean operators must be upper case.
//!
//! Lines that cannot be used (JavaScript `filter|sort|group by function`, `preset`,
//! `view columns`, unknown or malformed instructions) are reported in
//! [`TasksQuery::errors`] with their 1-based line in the block; the rest of the query runs.
//!
//! Filters are in `query_filter.rs`, Boolean combinations in `query_bool.rs`, sorting,
//! grouping and `explain` in `query_run.rs`.

use std::collections::BTreeSet;

use super::meta::TaskMeta;

#[path = "query_bool.rs"]
mod boolean;
#[path = "query_run.rs"]
mod exec;
#[path = "query_filter.rs"]
mod filter;

pub use exec::{any_match, run};
use filter::{DateField, Node};

/// One task as queries see it.
#[derive(Debug, Clone, Copy)]
pub struct TaskRecord<'a> {
    /// Vault path, e.g. `Projects/Harbor/Plan.md`.
    pub path: &'a str,
    /// Nearest heading above the task.
    pub heading: Option<&'a str>,
    /// 1-based line.
    pub line: usize,
    /// The checkbox character.
    pub status: char,
    /// Parsed metadata.
    pub meta: &'a TaskMeta,
    /// Index (in the same slice) of the parent task, for sub-items. `exclude sub-items` keeps
    /// only tasks without one.
    pub parent: Option<usize>,
}

/// An instruction that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based line within the block (the first line of a continued instruction).
    pub line: usize,
    /// What is wrong, quoting the instruction.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Which components are hidden and how tasks are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Hidden components, normalised: `tree`, `task count`, `backlink`, `urgency`,
    /// `edit button`, `postpone button`, `priority`, `recurrence rule`, `created date`,
    /// `start date`, `scheduled date`, `due date`, `done date`, `cancelled date`, `id`,
    /// `depends on`, `on completion`, `tags`. By default `tree` and `urgency` (as in Tasks).
    pub hide: BTreeSet<String>,
    /// `short mode` (fields shown as icons only).
    pub short_mode: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            hide: ["tree", "urgency"].iter().map(|s| s.to_string()).collect(),
            short_mode: false,
        }
    }
}

/// Layout component names accepted by `hide`/`show`.
const COMPONENTS: [&str; 18] = [
    "tree",
    "task count",
    "backlink",
    "urgency",
    "edit button",
    "postpone button",
    "priority",
    "recurrence rule",
    "created date",
    "start date",
    "scheduled date",
    "due date",
    "done date",
    "cancelled date",
    "id",
    "depends on",
    "on completion",
    "tags",
];

/// A sort property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Status,
    StatusName,
    StatusType,
    Date(DateField),
    Priority,
    Urgency,
    Recurring,
    Description,
    Tag(usize),
    Path,
    Filename,
    Heading,
    Id,
    Random,
}

/// A grouping property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKey {
    Status,
    StatusName,
    StatusType,
    Date(DateField),
    Priority,
    Urgency,
    Recurring,
    Recurrence,
    Tags,
    Path,
    Root,
    Folder,
    Filename,
    Backlink,
    Heading,
    Id,
}

/// A `sort by` or `group by` instruction.
#[derive(Debug, Clone)]
struct Order<K> {
    key: K,
    reverse: bool,
    /// The instruction, for `explain`.
    text: String,
}

/// A filter line: the instruction as written, after placeholders, and the parsed filter.
#[derive(Debug, Clone)]
struct FilterLine {
    raw: String,
    node: Node,
}

/// The plugin's urgency score of a task on `today` (used by `sort by urgency`,
/// `group by urgency` and the default sort).
pub fn urgency(meta: &TaskMeta, today: time::Date) -> f64 {
    exec::urgency(meta, today.to_julian_day())
}

/// A parsed tasks block.
#[derive(Debug, Clone, Default)]
pub struct TasksQuery {
    filters: Vec<FilterLine>,
    sorts: Vec<Order<SortKey>>,
    groups: Vec<Order<GroupKey>>,
    /// `limit N`: at most N tasks (after sorting, before grouping).
    pub limit: Option<usize>,
    /// `limit groups N`: at most N tasks in each group.
    pub group_limit: Option<usize>,
    /// `hide`/`show`, `short mode`/`full mode`.
    pub layout: Layout,
    /// Instructions that could not be used.
    pub errors: Vec<QueryError>,
    /// `explain`: [`TasksResult::explanation`] is filled.
    pub explain: bool,
    /// `ignore global query` (accepted; wikigen has no global query).
    pub ignore_global_query: bool,
    /// Number of date filters (each resolved once per run).
    date_slots: usize,
    /// Number of file-level text filters (memoised per file during a run).
    file_slots: usize,
    /// Whether `is blocked` / `is blocking` filters need the dependency index.
    needs_deps: bool,
}

impl TasksQuery {
    /// Whether a task's match depends on other tasks (`is blocked`, `is blocking`).
    pub fn reads_other_tasks(&self) -> bool {
        self.needs_deps
    }

    /// Whether the block has no filters (every task matches).
    pub fn matches_everything(&self) -> bool {
        self.filters.is_empty()
    }
}

/// The tasks that match, grouped and sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct TasksResult {
    /// The groups in display order; one group with no headings when there is no `group by`.
    pub groups: Vec<TaskGroup>,
    /// Number of matching tasks before `limit` / `limit groups`.
    pub total: usize,
    /// The matching tasks before `limit` (indices into the tasks run over).
    pub matched: Vec<usize>,
    /// Number of distinct tasks in `groups` (after the limits).
    pub shown: usize,
    /// With `explain`: the instructions in plain words, relative dates resolved.
    pub explanation: Option<String>,
    /// The layout options of the query.
    pub layout: Layout,
}

/// One group of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskGroup {
    /// One heading per `group by` level (empty when there is no grouping). An empty string
    /// means "no heading at this level" (for example `group by id` for tasks without id).
    pub headings: Vec<String>,
    /// Per level, the vault path (with `#heading` for `group by backlink`) the heading names,
    /// for `group by path|filename|backlink`, so it can be rendered as a link.
    pub links: Vec<Option<String>>,
    /// Indices into the `tasks` slice given to [`run`], in display order.
    pub tasks: Vec<usize>,
}

/// ASCII-case-insensitive `strip_prefix`.
pub(crate) fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `strip_ci` that also requires a word boundary (end or whitespace) after the prefix, and
/// trims what follows.
pub(crate) fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let rest = strip_ci(s, word)?;
    if rest.is_empty() {
        Some(rest)
    } else if rest.starts_with(char::is_whitespace) {
        Some(rest.trim_start())
    } else {
        None
    }
}

/// The query note's values for `{{query.file.*}}`.
fn placeholder(name: &str, file: &str) -> Option<String> {
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let filename = file.rsplit('/').next().unwrap_or(file);
    Some(match name {
        "query.file.path" => file.to_string(),
        "query.file.pathWithoutExtension" => stem.to_string(),
        "query.file.folder" => match file.rfind('/') {
            Some(i) => file[..=i].to_string(),
            None => "/".to_string(),
        },
        "query.file.filename" => filename.to_string(),
        "query.file.filenameWithoutExtension" => {
            filename.strip_suffix(".md").unwrap_or(filename).to_string()
        }
        "query.file.root" => match file.find('/') {
            Some(i) => file[..=i].to_string(),
            None => "/".to_string(),
        },
        _ => return None,
    })
}

/// Removes `{{! … }}` comments and expands placeholders.
fn expand(line: &str, file: &str) -> Result<String, (String, String)> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let inner = after[..close].trim();
        if !inner.starts_with('!') {
            match placeholder(inner, file) {
                Some(v) => out.push_str(&v),
                None => {
                    return Err((
                        format!("unknown placeholder {{{{{inner}}}}}"),
                        "wikigen knows {{query.file.path}}, {{query.file.pathWithoutExtension}}, \
                         {{query.file.folder}}, {{query.file.filename}}, \
                         {{query.file.filenameWithoutExtension}} and {{query.file.root}}"
                            .into(),
                    ))
                }
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Splits the block into statements: `(first line number, text)`, joining continued lines.
fn statements(src: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in src.lines().enumerate() {
        let trimmed = raw.trim_end();
        let (text, continues) = match trimmed.strip_suffix('\\') {
            Some(t) => (t.trim_end(), true),
            None => (trimmed, false),
        };
        let (n, mut acc) = pending.take().unwrap_or((i + 1, String::new()));
        if !acc.is_empty() {
            acc.push(' ');
            acc.push_str(text.trim_start());
        } else {
            acc.push_str(text);
        }
        if continues {
            pending = Some((n, acc));
        } else {
            out.push((n, acc));
        }
    }
    out.extend(pending);
    out
}

fn error(line: usize, message: String, hint: &str) -> QueryError {
    QueryError {
        line,
        message,
        hint: hint.to_string(),
    }
}

const FUNCTION_HINT: &str = "JavaScript cannot run when the site is built: use the built-in \
instructions (for example `description includes …`, `sort by due`, `group by folder`) or \
remove the line";

/// Parses a block. `file` is the vault path of the note holding it (for `{{query.file.*}}`).
pub fn parse(src: &str, file: &str) -> TasksQuery {
    let mut q = TasksQuery::default();
    for (n, text) in statements(src) {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let line = match expand(trimmed, file) {
            Ok(l) => l.trim().to_string(),
            Err((message, hint)) => {
                q.errors.push(error(n, message, &hint));
                continue;
            }
        };
        if line.is_empty() {
            continue;
        }
        if let Err((message, hint)) = parse_line(&mut q, trimmed, &line) {
            q.errors.push(error(n, message, &hint));
        }
    }
    q
}

type LineResult = Result<(), (String, String)>;

fn fail(message: String, hint: &str) -> LineResult {
    Err((message, hint.to_string()))
}

fn parse_line(q: &mut TasksQuery, raw: &str, line: &str) -> LineResult {
    let lower = line.to_ascii_lowercase();
    if lower.starts_with("short") {
        q.layout.short_mode = true;
    } else if lower.starts_with("full") {
        q.layout.short_mode = false;
    } else if lower.starts_with("explain") {
        q.explain = true;
    } else if lower.starts_with("ignore global query") {
        q.ignore_global_query = true;
    } else if let Some(rest) = strip_word(line, "limit") {
        return parse_limit(q, rest, line);
    } else if let Some(rest) = strip_word(line, "sort by") {
        return parse_sort(q, rest, line);
    } else if let Some(rest) = strip_word(line, "group by") {
        return parse_group(q, rest, line);
    } else if let Some(rest) = strip_word(line, "hide").or_else(|| strip_word(line, "show")) {
        let c = rest.to_ascii_lowercase();
        let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
        if !COMPONENTS.contains(&c.as_str()) {
            return fail(
                format!("do not understand hide/show option: \"{line}\""),
                &format!("components are: {}", COMPONENTS.join(", ")),
            );
        }
        if lower.starts_with("hide") {
            q.layout.hide.insert(c);
        } else {
            q.layout.hide.remove(&c);
        }
    } else if lower == "view list" {
    } else if lower.starts_with("view ") {
        return fail(
            format!("\"{line}\" is not supported"),
            "wikigen shows query results as a list: remove the line or use `view list`",
        );
    } else if lower.starts_with("preset ") || lower == "preset" {
        return fail(
            format!("\"{line}\": presets are not available"),
            "presets live in the Tasks plugin's settings, which the site build cannot read: \
             paste the preset's instructions into the block instead",
        );
    } else if lower.starts_with("filter by function") {
        return fail(format!("\"{line}\" cannot be evaluated"), FUNCTION_HINT);
    } else {
        let mut slots = filter::Slots {
            dates: q.date_slots,
            files: q.file_slots,
            deps: q.needs_deps,
        };
        match filter::parse_instruction(line, &mut slots) {
            Some(Ok(f)) => {
                q.date_slots = slots.dates;
                q.file_slots = slots.files;
                q.needs_deps = slots.deps;
                q.filters.push(FilterLine {
                    raw: raw.to_string(),
                    node: Node {
                        src: line.to_string(),
                        f,
                    },
                });
            }
            Some(Err((message, hint))) => return Err((message, hint)),
            None => {
                return fail(
                    format!("do not understand query: \"{line}\""),
                    "check the spelling against the Tasks documentation (filters such as \
                     `not done`, `due before tomorrow`, `path includes …`, `tags include #x`; \
                     `sort by …`, `group by …`, `limit …`, `hide …`)",
                )
            }
        }
    }
    Ok(())
}

fn parse_limit(q: &mut TasksQuery, rest: &str, line: &str) -> LineResult {
    let (groups, rest) = match strip_word(rest, "groups") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = strip_word(rest, "to").unwrap_or(rest);
    let mut words = rest.split_whitespace();
    let n = words.next().and_then(|w| w.parse::<usize>().ok());
    let tail = words.next();
    let ok_tail = matches!(
        tail.map(str::to_ascii_lowercase).as_deref(),
        None | Some("task" | "tasks")
    );
    match n {
        Some(n) if ok_tail && words.next().is_none() => {
            if groups {
                q.group_limit = Some(n);
            } else {
                q.limit = Some(n);
            }
            Ok(())
        }
        _ => fail(
            format!("do not understand query limit: \"{line}\""),
            "write `limit 10`, `limit to 10 tasks`, `limit groups 5` or `limit groups to 5 tasks`",
        ),
    }
}

/// Splits an optional trailing `reverse`.
fn reverse_suffix(s: &str) -> (&str, bool) {
    let t = s.trim_end();
    match t
        .len()
        .checked_sub(8)
        .and_then(|i| t.get(i..).map(|e| (i, e)))
    {
        Some((i, e)) if e.eq_ignore_ascii_case(" reverse") => (t[..i].trim_end(), true),
        _ if t.eq_ignore_ascii_case("reverse") => ("", true),
        _ => (t, false),
    }
}

fn date_field(name: &str) -> Option<DateField> {
    Some(match name {
        "due" => DateField::Due,
        "scheduled" => DateField::Scheduled,
        "start" => DateField::Start,
        "created" => DateField::Created,
        "done" => DateField::Done,
        "cancelled" => DateField::Cancelled,
        "happens" => DateField::Happens,
        _ => return None,
    })
}

const SORT_HINT: &str = "sortable: status, status.name, status.type, done, due, scheduled, start, \
created, cancelled, happens, priority, urgency, recurring, description, tag [n], path, filename, \
heading, id, random; add `reverse` to invert";

fn parse_sort(q: &mut TasksQuery, rest: &str, line: &str) -> LineResult {
    if strip_word(rest, "function").is_some() {
        return fail(format!("\"{line}\" cannot be evaluated"), FUNCTION_HINT);
    }
    let (mut prop, mut reverse) = reverse_suffix(rest);
    let lower = prop.to_ascii_lowercase();
    let key = if let Some(n) = strip_word(&lower, "tag") {
        // `sort by tag [reverse] [n]` or `sort by tag n [reverse]`.
        let (n, r) = match strip_word(n, "reverse") {
            Some(after) => (after, true),
            None => (n, false),
        };
        reverse |= r;
        if n.is_empty() {
            SortKey::Tag(1)
        } else {
            match n.parse::<usize>() {
                Ok(k) if k >= 1 => SortKey::Tag(k),
                _ => {
                    return fail(
                        format!("do not understand sort instruction: \"{line}\""),
                        SORT_HINT,
                    )
                }
            }
        }
    } else {
        prop = lower.as_str();
        match prop {
            "status" => SortKey::Status,
            "status.name" => SortKey::StatusName,
            "status.type" => SortKey::StatusType,
            "priority" => SortKey::Priority,
            "urgency" => SortKey::Urgency,
            "recurring" => SortKey::Recurring,
            "description" => SortKey::Description,
            "path" => SortKey::Path,
            "filename" => SortKey::Filename,
            "heading" => SortKey::Heading,
            "id" => SortKey::Id,
            "random" => SortKey::Random,
            p => match date_field(p) {
                Some(f) => SortKey::Date(f),
                None => {
                    return fail(
                        format!("do not understand sort instruction: \"{line}\""),
                        SORT_HINT,
                    )
                }
            },
        }
    };
    q.sorts.push(Order {
        key,
        reverse,
        text: line.to_string(),
    });
    Ok(())
}

const GROUP_HINT: &str = "groupable: status, status.name, status.type, due, scheduled, start, \
created, done, cancelled, happens, priority, urgency, recurring, recurrence, tags, path, root, \
folder, filename, backlink, heading, id; add `reverse` to invert";

fn parse_group(q: &mut TasksQuery, rest: &str, line: &str) -> LineResult {
    if strip_word(rest, "function").is_some() {
        return fail(format!("\"{line}\" cannot be evaluated"), FUNCTION_HINT);
    }
    let (prop, reverse) = reverse_suffix(rest);
    let key = match prop.to_ascii_lowercase().as_str() {
        "status" => GroupKey::Status,
        "status.name" => GroupKey::StatusName,
        "status.type" => GroupKey::StatusType,
        "priority" => GroupKey::Priority,
        "urgency" => GroupKey::Urgency,
        "recurring" => GroupKey::Recurring,
        "recurrence" => GroupKey::Recurrence,
        "tags" | "tag" => GroupKey::Tags,
        "path" => GroupKey::Path,
        "root" => GroupKey::Root,
        "folder" => GroupKey::Folder,
        "filename" => GroupKey::Filename,
        "backlink" => GroupKey::Backlink,
        "heading" => GroupKey::Heading,
        "id" => GroupKey::Id,
        p => match date_field(p) {
            Some(f) => GroupKey::Date(f),
            None => {
                return fail(
                    format!("do not understand group instruction: \"{line}\""),
                    GROUP_HINT,
                )
            }
        },
    };
    q.groups.push(Order {
        key,
        reverse,
        text: line.to_string(),
    });
    Ok(())
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "query_run_tests.rs"]
mod run_tests;
