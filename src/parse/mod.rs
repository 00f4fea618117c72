//! Parse stage: turns each [`SourceNote`] into a [`ParsedNote`] — frontmatter, an HTML fragment
//! with slots for links, and the metadata the later stages need (links with positions, headings,
//! block ids, tags, tasks, plain text). Notes are parsed in parallel (rayon); a note never
//! depends on another here.

pub mod classify;
pub mod contexts;
pub mod format;
pub mod fragment;
pub mod frontmatter;
pub mod highlight;
pub mod inline_fields;
pub mod links;
pub mod markdown;
pub mod plain;
pub mod rescue;
pub mod sanitize;
pub mod tags;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::SourceNote;
use fragment::{Fragment, Slot};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

/// A link or embed found in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    /// Link path as written (decoded for markdown links); empty for `[[#Heading]]`.
    pub path: String,
    /// Heading chain (`H1#H2`) or block (`^id`) after the first `#`.
    pub subpath: Option<String>,
    /// Visible text (alias, or Obsidian's default display text).
    pub label: String,
    /// `![[…]]` or `![](…)`.
    pub embed: bool,
    /// Written as a markdown link rather than a wikilink.
    pub markdown: bool,
    /// Image size from `|300` or `|640x480`.
    pub size: Option<(u32, Option<u32>)>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Index into [`ParsedNote::contexts`]: the text around the link.
    pub context: Option<u32>,
    /// Byte range of the link's own text in that context, when known.
    pub mark: Option<(u32, u32)>,
}

/// A heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// Anchor id, unique in the note.
    pub id: String,
    /// 1-based line.
    pub line: usize,
}

/// A `^block-id` and the lines of the block it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockId {
    /// The id without `^`.
    pub id: String,
    /// First line of the block.
    pub start_line: usize,
    /// Last line of the block.
    pub end_line: usize,
}

/// A task list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// 1-based line.
    pub line: usize,
    /// The character between the brackets (`' '`, `x`, `-`, `/`, ...).
    pub status: char,
    /// Plain text of the item (its own line, without sub-items).
    pub text: String,
    /// Index of the item in [`ParsedNote::lists`].
    pub item: usize,
}

/// A list item, task or not (Dataview's `file.lists`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    /// 1-based first line.
    pub line: usize,
    /// Number of lines, sub-items included.
    pub line_count: usize,
    /// The checkbox character for a task, `None` for a plain item.
    pub task: Option<char>,
    /// Plain text of the item (without sub-items).
    pub text: String,
    /// Index of the enclosing item, if nested.
    pub parent: Option<usize>,
    /// Index into [`ParsedNote::headings`] of the section it is in.
    pub heading: Option<usize>,
}

/// Which language a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QueryLang {
    /// A ```` ```dataview ```` block.
    Dataview,
    /// A ```` ```dataviewjs ```` block (cannot be evaluated statically).
    DataviewJs,
    /// A ```` ```tasks ```` block.
    Tasks,
    /// Inline `` `= expression` ``.
    Inline,
    /// Inline DataviewJS `` `$= code` `` (cannot be evaluated statically).
    InlineJs,
}

/// A query found in a note: evaluated by the query stage, written by the render stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryBlock {
    /// Its language.
    pub lang: QueryLang,
    /// The query text (for inline queries: after the `=` prefix).
    pub source: String,
    /// 1-based line of the fence (or of the inline code).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// An inline field: `key:: value` on its own line, or `[key:: value]` / `(key:: value)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineField {
    /// The key as written, decoration (`**`) removed.
    pub key: String,
    /// The value text.
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// Which kind of page a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person.
    Person,
    /// A meeting.
    Meeting,
    /// A project.
    Project,
    /// Anything else.
    Note,
}

impl Kind {
    /// Lower-case name used in templates and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Meeting => "meeting",
            Kind::Project => "project",
            Kind::Note => "note",
        }
    }

    /// Plural label for headings.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "People",
            Kind::Meeting => "Meetings",
            Kind::Project => "Projects",
            Kind::Note => "Notes",
        }
    }
}

/// A parsed note: the output of the parse stage.
#[derive(Debug, Clone)]
pub struct ParsedNote {
    /// Vault path.
    pub path: String,
    /// Frontmatter `title`, else the file name without extension.
    pub title: String,
    /// Frontmatter aliases.
    pub aliases: Vec<String>,
    /// Frontmatter and inline tags, unique (first spelling kept), in order.
    pub tags: Vec<String>,
    /// The frontmatter as JSON (private fields removed).
    pub front: serde_json::Map<String, Value>,
    /// Properties table rows: key and value fragment.
    pub properties: Vec<(String, Fragment)>,
    /// `created`/`date` (`YYYY-MM-DD`).
    pub created: Option<String>,
    /// `updated`, else the file's modification date.
    pub updated: Option<String>,
    /// `cssclasses`.
    pub cssclasses: Vec<String>,
    /// Marked private (frontmatter or private folder).
    pub private: bool,
    /// Person, meeting, project or note.
    pub kind: Kind,
    /// The body.
    pub body: Fragment,
    /// Links, embeds (body first, then frontmatter links).
    pub links: Vec<LinkRef>,
    /// Headings.
    pub headings: Vec<Heading>,
    /// Block ids.
    pub blocks: Vec<BlockId>,
    /// Tasks.
    pub tasks: Vec<Task>,
    /// List items (tasks included).
    pub lists: Vec<ListItem>,
    /// Query blocks and inline queries, in order (slots refer to them by index).
    pub queries: Vec<QueryBlock>,
    /// Inline fields of the body.
    pub fields: Vec<InlineField>,
    /// Size of the source file in bytes.
    pub size: u64,
    /// The file's modification time (seconds since the epoch), if known.
    pub mtime: Option<i64>,
    /// The file's creation time (seconds since the epoch), if known.
    pub ctime: Option<i64>,
    /// Text around links, for backlinks.
    pub contexts: Vec<String>,
    /// Plain text of the body.
    pub plain: String,
    /// Byte ranges of `plain` that are headings, link labels or inline code (not mentions).
    pub masked: Vec<(u32, u32)>,
    /// The first paragraphs as plain text.
    pub lead: String,
    /// The body began with a level-1 heading repeating the title; it was left out of `body`.
    pub title_heading: bool,
    /// The note's source text (for section and block embeds).
    pub source: String,
}

/// The index of the note at vault path `path` in `notes`, sorted by path (as every stage keeps
/// them).
pub fn find(notes: &[ParsedNote], path: &str) -> Option<usize> {
    notes.binary_search_by(|n| n.path.as_str().cmp(path)).ok()
}

impl ParsedNote {
    /// Number of words in the body.
    pub fn word_count(&self) -> usize {
        self.plain.split_whitespace().count()
    }

    /// The first ~200 characters of the body's prose.
    pub fn excerpt(&self) -> String {
        truncate_chars(&self.lead, 200)
    }
}

/// Truncates to `max` characters at a word boundary, adding `…`.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Is `path` under one of the (lower-case) private folders?
pub fn in_private_folder(path: &str, private_folders: &[String]) -> bool {
    let l = crate::paths::key(path);
    private_folders
        .iter()
        .any(|f| l.starts_with(f.as_str()) && l[f.len()..].starts_with('/'))
}

/// Parses one note.
pub fn parse_note(src: &SourceNote, cfg: &Config) -> (ParsedNote, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let fm = frontmatter::parse(&src.path, &src.text, &mut diags);
    let text = crate::people::fields::blank_private_body_fields(
        &src.text,
        &cfg.private_fields,
        &cfg.people,
    );
    let mut md = markdown::convert(&src.path, &text, cfg.hard_line_breaks, true);
    diags.append(&mut md.diagnostics);
    let stem = crate::paths::strip_md(crate::paths::file_name(&src.path));
    let stem = stem.strip_suffix(".markdown").unwrap_or(stem);
    let title = fm.title.clone().unwrap_or_else(|| {
        crate::text::mojibake::repair(stem).map_or_else(|| stem.to_string(), |r| r.fixed)
    });
    let title_heading = strip_title_heading(&mut md, &title);
    let mut tags: Vec<String> = Vec::new();
    for t in fm.tags.iter().chain(md.tags.iter()) {
        if !tags
            .iter()
            .any(|x| x.eq_ignore_ascii_case(t) || crate::paths::key(x) == crate::paths::key(t))
        {
            tags.push(t.clone());
        }
    }
    let mut front = fm.data.clone();
    remove_private_fields(&mut front, &cfg.private_fields);
    let mut links = std::mem::take(&mut md.links);
    let properties = properties(&front, &fm.key_lines, &mut links);
    let private = fm.private || in_private_folder(&src.path, &cfg.private_folders);
    let kind = classify::classify(
        &src.path,
        fm.note_type.as_deref(),
        &tags,
        &front,
        &text,
        &cfg.kinds,
    );
    let updated = fm
        .updated
        .clone()
        .and_then(|u| crate::paths::parse_date(&u).map(crate::paths::format_date))
        .or_else(|| src.mtime.map(crate::paths::system_time_date));
    let created = fm
        .created
        .clone()
        .and_then(|c| crate::paths::parse_date(&c).map(crate::paths::format_date));
    let note = ParsedNote {
        path: src.path.clone(),
        title,
        aliases: fm.aliases,
        tags,
        front,
        properties,
        created,
        updated,
        cssclasses: fm.cssclasses,
        private,
        kind,
        body: md.fragment,
        links,
        headings: md.headings,
        blocks: md.blocks,
        tasks: md.tasks,
        lists: md.lists,
        queries: md.queries,
        fields: inline_fields::scan(&text),
        size: src.text.len() as u64,
        mtime: src.mtime.and_then(epoch_seconds),
        ctime: src.ctime.and_then(epoch_seconds),
        contexts: md.contexts,
        plain: md.plain,
        masked: md.masked,
        lead: md.excerpt,
        title_heading,
        source: text.into_owned(),
    };
    (note, diags)
}

fn epoch_seconds(t: std::time::SystemTime) -> Option<i64> {
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// Removes frontmatter keys listed in `[privacy] private_fields`, at any depth.
fn remove_private_fields(map: &mut serde_json::Map<String, Value>, fields: &[String]) {
    if fields.is_empty() {
        return;
    }
    map.retain(|k, _| !fields.contains(&k.to_lowercase()));
    for v in map.values_mut() {
        strip_value(v, fields);
    }
}

fn strip_value(v: &mut Value, fields: &[String]) {
    match v {
        Value::Object(m) => remove_private_fields(m, fields),
        Value::Array(a) => a.iter_mut().for_each(|x| strip_value(x, fields)),
        _ => {}
    }
}

/// Removes a leading `# Title` that repeats the note's title (the page shows the title already).
fn strip_title_heading(md: &mut markdown::Markdown, title: &str) -> bool {
    let Some(h) = md.headings.first() else {
        return false;
    };
    let html = md.fragment.html.trim_start();
    if h.level != 1
        || !h.text.trim().eq_ignore_ascii_case(title.trim())
        || !html.starts_with("<h1 ")
    {
        return false;
    }
    let Some(end) = html.find("</h1>") else {
        return false;
    };
    let anchor = format!(
        "<a class=\"block-anchor\" id=\"{}\"></a>",
        format::escape(&h.id)
    );
    let rest = html[end + 5..].trim_start_matches('\n');
    md.fragment.html = format!("{anchor}{rest}");
    true
}

/// Frontmatter keys shown elsewhere on the page or only meaningful to the build.
const HIDDEN_KEYS: &[&str] = &[
    "title",
    "tags",
    "tag",
    "publish",
    "private",
    "cssclasses",
    "cssclass",
    "permalink",
];

/// Builds the properties table; wikilinks in values become link slots (and links of the note).
fn properties(
    front: &serde_json::Map<String, Value>,
    key_lines: &[(String, usize)],
    links: &mut Vec<LinkRef>,
) -> Vec<(String, Fragment)> {
    let mut rows = Vec::new();
    // The first line of each key, looked up once per key (a note may hold thousands).
    let mut first_line: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(key_lines.len());
    for (key, line) in key_lines {
        first_line.entry(key.as_str()).or_insert(*line);
    }
    for (k, v) in front {
        if HIDDEN_KEYS.contains(&k.to_lowercase().as_str()) || is_empty_value(v) {
            continue;
        }
        let line = first_line.get(k.as_str()).copied().unwrap_or(1);
        let mut frag = Fragment::default();
        let mut html = String::new();
        value_html(v, line, links, &mut frag, &mut html);
        frag.html = html;
        rows.push((k.clone(), frag));
    }
    rows
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(is_empty_value),
        Value::Object(o) => o.values().all(is_empty_value),
        _ => false,
    }
}

fn value_html(
    v: &Value,
    line: usize,
    links: &mut Vec<LinkRef>,
    frag: &mut Fragment,
    out: &mut String,
) {
    match v {
        Value::String(s) => string_html(s, line, links, frag, out),
        Value::Array(a) => {
            let mut first = true;
            for x in a.iter().filter(|x| !is_empty_value(x)) {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                value_html(x, line, links, frag, out);
            }
        }
        Value::Object(o) => {
            let mut first = true;
            for (k, x) in o.iter().filter(|(_, x)| !is_empty_value(x)) {
                if !first {
                    out.push_str("; ");
                }
                first = false;
                format::escape_into(out, k);
                out.push_str(": ");
                value_html(x, line, links, frag, out);
            }
        }
        Value::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        other => out.push_str(&format::escape(&other.to_string())),
    }
}

fn string_html(
    s: &str,
    line: usize,
    links: &mut Vec<LinkRef>,
    frag: &mut Fragment,
    out: &mut String,
) {
    let t = s.trim();
    if (t.starts_with("http://") || t.starts_with("https://")) && !t.contains(char::is_whitespace) {
        out.push_str(&frag.push_inline(Slot::ExtOpen { url: t.to_string() }));
        format::escape_into(out, t);
        out.push_str(&frag.push_inline(Slot::ExtClose));
        return;
    }
    let mut last = 0;
    for l in links::find_wikilinks(s) {
        format::escape_into(out, &s[last..l.range.start]);
        let (path, subpath) = links::split_target(&l.target);
        let label = l
            .alias
            .clone()
            .unwrap_or_else(|| links::default_display(&path, subpath.as_deref()));
        links.push(LinkRef {
            path,
            subpath,
            label: label.clone(),
            embed: false,
            markdown: false,
            size: None,
            line,
            column: 1,
            context: None,
            mark: None,
        });
        out.push_str(&frag.push_inline(Slot::Wiki {
            link: links.len() - 1,
            label,
        }));
        last = l.range.end;
    }
    format::escape_into(out, &s[last..]);
}

/// A note that crashed the parser is still published: its text is shown as-is, and the crash is
/// reported as an error so it can be fixed.
fn parse_note_safely(src: &SourceNote, cfg: &Config) -> (ParsedNote, Vec<Diagnostic>) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_note(src, cfg))) {
        Ok(r) => r,
        Err(_) => {
            let plain = SourceNote {
                path: src.path.clone(),
                text: format!("```text\n{}\n```\n", src.text.replace("```", "'''")),
                mtime: src.mtime,
                ctime: src.ctime,
            };
            let (mut note, _) = parse_note(&plain, cfg);
            let mut d = Vec::new();
            let fm = frontmatter::parse(&src.path, &src.text, &mut d);
            note.private |= fm.private;
            note.source = src.text.clone();
            (
                note,
                vec![Diagnostic::new(
                    crate::diag::Severity::Error,
                    crate::diag::Code::InternalError,
                    &src.path,
                    0,
                    0,
                    "wikigen failed on this note (a bug); it is published as plain text",
                    "please report this note's markdown as a wikigen bug",
                )],
            )
        }
    }
}

/// Parses all notes in parallel (each guarded against parser crashes); output order follows the
/// input.
pub fn parse_all(notes: &[SourceNote], cfg: &Config) -> (Vec<ParsedNote>, Vec<Diagnostic>) {
    let results: Vec<(ParsedNote, Vec<Diagnostic>)> = notes
        .par_iter()
        .map(|n| parse_note_safely(n, cfg))
        .collect();
    let mut diags = Vec::new();
    let mut out = Vec::with_capacity(results.len());
    for (n, mut d) in results {
        diags.append(&mut d);
        out.push(n);
    }
    (out, diags)
}
