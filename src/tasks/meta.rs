//! Task-line metadata as the Obsidian Tasks plugin reads it, plus the status table.
//!
//! **Emoji format** (`DefaultTaskSerializer`): fields are taken from the *end* of the text
//! backwards, in any order, until none is left: `📅`/`📆`/`🗓` due, `⏳`/`⌛` scheduled,
//! `🛫` start, `✅` done, `➕` created, `❌` cancelled, `🔺 ⏫ 🔼 🔽 ⏬` priority, `🔁` recurrence,
//! `🆔` id, `⛔` depends on, `🏁` on completion. An optional U+FE0F may follow each emoji and
//! spaces (also NBSP, which the plugin itself rejects) may separate it from the value.
//! `#tags` mixed among the trailing fields are kept and put back at the end of the
//! description, as the plugin does; a trailing ` ^block-id` is split off first. Fields that
//! are followed by ordinary text are *not* fields (they stay in the description).
//!
//! **Dataview format**: `[due:: 2026-04-16]`, `[scheduled:: …]`, `[start:: …]`,
//! `[created:: …]`, `[completion:: …]`, `[cancelled:: …]`, `[priority:: high]`,
//! `[repeat:: every day]`, `[onCompletion:: delete]`, `[id:: x]`, `[dependsOn:: a,b]` (or with
//! round brackets), anywhere in the text; they are removed from the description.
//!
//! Then `@Name` mentions (at the start, or after a space or `(`) become assignees and are
//! removed, and runs of whitespace collapse to one space. A value shaped `YYYY-MM-DD` that is
//! not a real date (`📅 2026-02-30`) is removed from the text, left unset, and listed in
//! [`TaskMeta::invalid_dates`] (the plugin's "Invalid date").

use serde::Serialize;

/// A task's parsed metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaskMeta {
    /// Text without the metadata (tags stay in it) and without `@` mentions.
    pub description: String,
    /// The description as the Tasks plugin sees it: without the metadata, `@` mentions kept
    /// (what `description includes …` and `sort by description` read).
    pub text: String,
    /// Due date (`📅`, `📆`, `🗓`, `[due::]`), `YYYY-MM-DD`.
    pub due: Option<String>,
    /// Scheduled date (`⏳`, `⌛`, `[scheduled::]`).
    pub scheduled: Option<String>,
    /// Start date (`🛫`, `[start::]`).
    pub start: Option<String>,
    /// Done date (`✅`, `[completion::]`).
    pub done: Option<String>,
    /// Created date (`➕`, `[created::]`).
    pub created: Option<String>,
    /// `highest`, `high`, `medium`, `low`, `lowest`, or empty (normal).
    pub priority: String,
    /// Recurrence rule text (`🔁 every week`, `[repeat::]`), as written.
    pub recurrence: Option<String>,
    /// `@Name` mentions, without `@`.
    pub assignees: Vec<String>,
    /// Cancelled date (`❌`, `[cancelled::]`).
    pub cancelled: Option<String>,
    /// Task id (`🆔`, `[id::]`).
    pub id: Option<String>,
    /// Ids this task waits for (`⛔ a,b`, `[dependsOn::]`).
    pub depends_on: Vec<String>,
    /// `keep` or `delete` (`🏁`, `[onCompletion::]`).
    pub on_completion: Option<String>,
    /// Tags in the description, without `#`, first occurrence order, no duplicates.
    pub tags: Vec<String>,
    /// Trailing `^block-id`, without `^`.
    pub block_id: Option<String>,
    /// Date fields whose value was not a real date: `"due"`, `"scheduled"`, `"start"`,
    /// `"done"`, `"created"`, `"cancelled"`.
    pub invalid_dates: Vec<&'static str>,
}

/// The plugin's status types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum StatusType {
    /// Not started.
    Todo,
    /// Started.
    InProgress,
    /// Waiting on something (`not done`, like Todo).
    OnHold,
    /// Completed.
    Done,
    /// Dropped.
    Cancelled,
    /// Not a task (pro/con lists and the like).
    NonTask,
}

impl StatusType {
    /// The plugin's name: `TODO`, `IN_PROGRESS`, `ON_HOLD`, `DONE`, `CANCELLED`, `NON_TASK`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusType::Todo => "TODO",
            StatusType::InProgress => "IN_PROGRESS",
            StatusType::OnHold => "ON_HOLD",
            StatusType::Done => "DONE",
            StatusType::Cancelled => "CANCELLED",
            StatusType::NonTask => "NON_TASK",
        }
    }

    /// Parses a type name, case-insensitively (`in_progress` works).
    pub fn from_name(s: &str) -> Option<StatusType> {
        let all = [
            StatusType::Todo,
            StatusType::InProgress,
            StatusType::OnHold,
            StatusType::Done,
            StatusType::Cancelled,
            StatusType::NonTask,
        ];
        all.into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the `done` filter matches it (DONE, CANCELLED, NON_TASK).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            StatusType::Done | StatusType::Cancelled | StatusType::NonTask
        )
    }

    /// Order used by `sort by status.type` / `group by status.type`: IN_PROGRESS, TODO,
    /// ON_HOLD, DONE, CANCELLED, NON_TASK (1..=6).
    pub fn rank(self) -> u8 {
        match self {
            StatusType::InProgress => 1,
            StatusType::Todo => 2,
            StatusType::OnHold => 3,
            StatusType::Done => 4,
            StatusType::Cancelled => 5,
            StatusType::NonTask => 6,
        }
    }
}

/// The status table: the plugin's core and default statuses, `h` = On Hold (the Tasks docs'
/// example), and the "Minimal" theme collection, which the plugin imports with type TODO.
const STATUSES: [(char, StatusType, &str); 24] = [
    (' ', StatusType::Todo, "Todo"),
    ('x', StatusType::Done, "Done"),
    ('X', StatusType::Done, "Done"),
    ('/', StatusType::InProgress, "In Progress"),
    ('-', StatusType::Cancelled, "Cancelled"),
    ('h', StatusType::OnHold, "On Hold"),
    ('>', StatusType::Todo, "Forwarded"),
    ('<', StatusType::Todo, "Scheduling"),
    ('?', StatusType::Todo, "Question"),
    ('!', StatusType::Todo, "Important"),
    ('*', StatusType::Todo, "Star"),
    ('"', StatusType::Todo, "Quote"),
    ('l', StatusType::Todo, "Location"),
    ('b', StatusType::Todo, "Bookmark"),
    ('i', StatusType::Todo, "Information"),
    ('S', StatusType::Todo, "Savings"),
    ('I', StatusType::Todo, "Idea"),
    ('p', StatusType::Todo, "Pros"),
    ('c', StatusType::Todo, "Cons"),
    ('f', StatusType::Todo, "Fire"),
    ('k', StatusType::Todo, "Key"),
    ('w', StatusType::Todo, "Win"),
    ('u', StatusType::Todo, "Up"),
    ('d', StatusType::Todo, "Down"),
];

/// Status character → type: `' '` Todo, `x`/`X` Done, `/` In Progress, `-` Cancelled,
/// `h` On Hold, the Minimal theme's `> < ? ! * " l b i S I p c f k w u d` Todo; any other
/// character is Todo (the plugin's rule for unknown symbols).
pub fn status_type(c: char) -> StatusType {
    STATUSES
        .iter()
        .find(|s| s.0 == c)
        .map_or(StatusType::Todo, |s| s.1)
}

/// Status name ("Todo", "Done", "In Progress", "Cancelled", "On Hold", "Question", …;
/// "Unknown" for a character outside the table, as the plugin names it).
pub fn status_name(c: char) -> &'static str {
    STATUSES
        .iter()
        .find(|s| s.0 == c)
        .map_or("Unknown", |s| s.2)
}

const DUE: &[&str] = &["📅", "📆", "🗓"];
const SCHEDULED: &[&str] = &["⏳", "⌛"];
const PRIORITIES: [(&str, &str); 5] = [
    ("🔺", "highest"),
    ("⏫", "high"),
    ("🔼", "medium"),
    ("🔽", "low"),
    ("⏬", "lowest"),
];

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Characters that end a tag (the plugin's `#[^ !@#$%^&*(),.?":{}|<>]+`, plus any space).
fn ends_tag(c: char) -> bool {
    c.is_whitespace() || " !@#$%^&*(),.?\":{}|<>".contains(c)
}

/// Strips, from the end of `before`, optional spaces, an optional U+FE0F and one of
/// `emojis`. Returns what is left (trimmed).
fn strip_emoji<'a>(before: &'a str, emojis: &[&str]) -> Option<&'a str> {
    let b = before.trim_end();
    let b = b.strip_suffix('\u{FE0F}').unwrap_or(b);
    emojis
        .iter()
        .find_map(|e| b.strip_suffix(e))
        .map(str::trim_end)
}

/// `<emoji> YYYY-MM-DD` at the end.
fn take_date<'a>(s: &'a str, emojis: &[&str]) -> Option<(&'a str, &'a str)> {
    let cut = s.len().checked_sub(10)?;
    let value = s.get(cut..)?;
    let shape = value.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    Some((strip_emoji(&s[..cut], emojis)?, value))
}

fn take_priority(s: &str) -> Option<(&str, &'static str)> {
    let b = s.strip_suffix('\u{FE0F}').unwrap_or(s);
    PRIORITIES
        .iter()
        .find_map(|(e, p)| b.strip_suffix(e).map(|rest| (rest.trim_end(), *p)))
}

/// The longest suffix made of `ok` characters, and what precedes it.
fn split_suffix(s: &str, ok: impl Fn(char) -> bool) -> (&str, &str) {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| ok(*c))
        .last()
        .map_or(s.len(), |(i, _)| i);
    (&s[..start], &s[start..])
}

fn take_recurrence(s: &str) -> Option<(&str, &str)> {
    let pos = s.rfind('🔁')?;
    let after = &s[pos + '🔁'.len_utf8()..];
    let after = after.strip_prefix('\u{FE0F}').unwrap_or(after);
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, ',' | ' ' | '!');
    let value = after.trim();
    (!value.is_empty() && value.chars().all(ok)).then(|| (s[..pos].trim_end(), value))
}

fn take_tag(s: &str) -> Option<(&str, &str)> {
    let pos = s.rfind('#')?;
    let tag = &s[pos..];
    let ok = tag.len() > 1 && !tag[1..].chars().any(ends_tag);
    let at_boundary = s[..pos].chars().next_back().is_none_or(char::is_whitespace);
    (ok && at_boundary).then(|| (s[..pos].trim_end(), tag))
}

fn take_id(s: &str) -> Option<(&str, &str)> {
    let (before, value) = split_suffix(s, is_id_char);
    if value.is_empty() {
        return None;
    }
    Some((strip_emoji(before, &["🆔"])?, value))
}

fn take_depends_on(s: &str) -> Option<(&str, Vec<String>)> {
    let (before, value) = split_suffix(s, |c| is_id_char(c) || c == ',' || c == ' ');
    let ids: Vec<&str> = value.split(',').map(str::trim).collect();
    if ids
        .iter()
        .any(|i| i.is_empty() || !i.chars().all(is_id_char))
    {
        return None;
    }
    let rest = strip_emoji(before, &["⛔"])?;
    Some((rest, ids.into_iter().map(str::to_string).collect()))
}

fn take_on_completion(s: &str) -> Option<(&str, String)> {
    let (before, value) = split_suffix(s, |c| c.is_ascii_alphabetic());
    if value.is_empty() {
        return None;
    }
    Some((strip_emoji(before, &["🏁"])?, value.to_ascii_lowercase()))
}

/// Which date a field sets.
#[derive(Clone, Copy)]
enum DateSlot {
    Due,
    Scheduled,
    Start,
    Done,
    Created,
    Cancelled,
}

impl TaskMeta {
    fn set_date(&mut self, slot: DateSlot, value: &str) {
        let (field, name) = match slot {
            DateSlot::Due => (&mut self.due, "due"),
            DateSlot::Scheduled => (&mut self.scheduled, "scheduled"),
            DateSlot::Start => (&mut self.start, "start"),
            DateSlot::Done => (&mut self.done, "done"),
            DateSlot::Created => (&mut self.created, "created"),
            DateSlot::Cancelled => (&mut self.cancelled, "cancelled"),
        };
        *field = crate::paths::parse_date(value).map(crate::paths::format_date);
        self.invalid_dates.retain(|n| *n != name);
        if field.is_none() {
            self.invalid_dates.push(name);
        }
    }

    fn set_priority(&mut self, p: &str) {
        let p = p.trim().to_ascii_lowercase();
        self.priority = match p.as_str() {
            "highest" | "high" | "medium" | "low" | "lowest" => p,
            _ => String::new(),
        };
    }

    /// Applies a Dataview field; `false` for a key that is not a Tasks field.
    fn dataview_field(&mut self, key: &str, value: &str) -> bool {
        let v = value.trim();
        match key.to_ascii_lowercase().as_str() {
            "due" => self.set_date(DateSlot::Due, v),
            "scheduled" => self.set_date(DateSlot::Scheduled, v),
            "start" => self.set_date(DateSlot::Start, v),
            "created" => self.set_date(DateSlot::Created, v),
            "completion" => self.set_date(DateSlot::Done, v),
            "cancelled" => self.set_date(DateSlot::Cancelled, v),
            "priority" => self.set_priority(v),
            "repeat" => self.recurrence = (!v.is_empty()).then(|| v.to_string()),
            "oncompletion" => self.on_completion = Some(v.to_ascii_lowercase()),
            "id" => self.id = (!v.is_empty()).then(|| v.to_string()),
            "dependson" => {
                self.depends_on = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => return false,
        }
        true
    }
}

/// Removes the Dataview-format Tasks fields (`[key:: value]` / `(key:: value)`) anywhere.
fn dataview_pass(text: &str, m: &mut TaskMeta) -> String {
    if !text.contains("::") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let open = rest.as_bytes()[0];
        if open == b'[' || open == b'(' {
            let close = if open == b'[' { ']' } else { ')' };
            if let Some(end) = rest.find(close) {
                let inner = &rest[1..end];
                if let Some((key, value)) = inner.split_once("::") {
                    let key = key.trim();
                    if !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_alphabetic())
                        && m.dataview_field(key, value)
                    {
                        out.push(' ');
                        i += end + 1;
                        continue;
                    }
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Removes `@Name` mentions (the rule wikigen has always used) and collapses whitespace.
fn take_assignees(s: &str, m: &mut TaskMeta) -> String {
    if !s.contains('@') {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut desc = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('@')
            && (i == 0 || s[..i].ends_with(|c: char| c.is_whitespace() || c == '('))
        {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            let name = name.trim_end_matches(['.', '-']).to_string();
            if !name.is_empty() {
                i += 1 + name.len();
                m.assignees.push(name);
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        desc.push(c);
        i += c.len_utf8();
    }
    desc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags in a description (`#` at the start or after whitespace), without `#`.
pub fn extract_tags(desc: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut prev_ws = true;
    for (i, c) in desc.char_indices() {
        if c == '#' && prev_ws {
            let body = &desc[i + 1..];
            let end = body.find(ends_tag).unwrap_or(body.len());
            let tag = &body[..end];
            if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        prev_ws = c.is_whitespace();
    }
    tags
}

/// Parses the metadata of a task's text (the part after the checkbox).
pub fn parse(text: &str) -> TaskMeta {
    let mut m = TaskMeta::default();
    let line = dataview_pass(text, &mut m);
    let mut s = line.trim();
    // A trailing block link ` ^id` is not part of the description.
    if let Some(pos) = s.rfind('^') {
        let id = &s[pos + 1..];
        let spaced = s[..pos].ends_with(char::is_whitespace);
        if spaced && !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            m.block_id = Some(id.to_string());
            s = s[..pos].trim_end();
        }
    }
    let mut trailing_tags: Vec<&str> = Vec::new();
    // Cheap checks that spare the scans for fields the text cannot hold.
    let (has_rec, has_id) = (s.contains('🔁'), s.contains('🆔'));
    let (has_dep, has_oc) = (s.contains('⛔'), s.contains('🏁'));
    for _ in 0..=20 {
        let mut matched = false;
        if let Some((rest, p)) = take_priority(s) {
            m.priority = p.to_string();
            (s, matched) = (rest, true);
        }
        let dates: [(&[&str], DateSlot); 3] = [
            (&["✅"], DateSlot::Done),
            (&["❌"], DateSlot::Cancelled),
            (DUE, DateSlot::Due),
        ];
        for (emojis, slot) in dates {
            if let Some((rest, v)) = take_date(s, emojis) {
                m.set_date(slot, v);
                (s, matched) = (rest, true);
            }
        }
        let dates: [(&[&str], DateSlot); 3] = [
            (SCHEDULED, DateSlot::Scheduled),
            (&["🛫"], DateSlot::Start),
            (&["➕"], DateSlot::Created),
        ];
        for (emojis, slot) in dates {
            if let Some((rest, v)) = take_date(s, emojis) {
                m.set_date(slot, v);
                (s, matched) = (rest, true);
            }
        }
        if let Some((rest, r)) = has_rec.then(|| take_recurrence(s)).flatten() {
            m.recurrence = Some(r.to_string());
            (s, matched) = (rest, true);
        }
        if let Some((rest, tag)) = take_tag(s) {
            trailing_tags.push(tag);
            (s, matched) = (rest, true);
        }
        if let Some((rest, id)) = has_id.then(|| take_id(s)).flatten() {
            m.id = Some(id.to_string());
            (s, matched) = (rest, true);
        }
        if let Some((rest, ids)) = has_dep.then(|| take_depends_on(s)).flatten() {
            m.depends_on = ids;
            (s, matched) = (rest, true);
        }
        if let Some((rest, v)) = has_oc.then(|| take_on_completion(s)).flatten() {
            m.on_completion = Some(v);
            (s, matched) = (rest, true);
        }
        if !matched {
            break;
        }
    }
    let mut desc = s.to_string();
    for tag in trailing_tags.iter().rev() {
        desc.push(' ');
        desc.push_str(tag);
    }
    m.text = desc.split_whitespace().collect::<Vec<_>>().join(" ");
    m.description = take_assignees(&desc, &mut m);
    m.tags = extract_tags(&m.description);
    m
}

/// Parses a whole Markdown task line (`- [ ] text`, `  * [x] text`, `1. [/] text`,
/// `> - [ ] text` in a callout): the status character and the metadata. `None` when the line
/// is not a task.
pub fn parse_line(line: &str) -> Option<(char, TaskMeta)> {
    let s = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
    let s = if let Some(r) = s.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        s[digits..].strip_prefix(['.', ')'])?
    };
    let r = s.trim_start_matches(' ');
    if r.len() == s.len() {
        return None;
    }
    let r = r.strip_prefix('[')?;
    let mut chars = r.chars();
    let status = chars.next()?;
    let text = chars.as_str().strip_prefix(']')?;
    Some((status, parse(text)))
}

#[cfg(test)]
#[path = "meta_tests.rs"]
mod tests;
