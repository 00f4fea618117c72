//! Profile stage, sections: splits a note's body fragment (HTML with link slots, from the parse
//! stage) into `##` sections and top-level blocks, splits lists into items, and recognises
//! template noise: italic prompts, placeholder-only paragraphs, lists and tables, empty
//! "Last updated" lines, and key/value field tables (shown in the profile card instead).

use super::config::PeopleConfig;
use super::fields::is_placeholder;
use crate::parse::fragment::{pieces, Piece, Slot};

/// A top-level block of fragment HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A list that is not a task list: its items' inner HTML and plain text.
    List(Vec<(String, String)>),
    /// Anything else, as HTML.
    Other(String),
}

/// A `##` section of a note (or the part before the first `##`, with an empty title).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteSection {
    /// Heading text (plain), empty for the part before the first heading.
    pub title: String,
    /// The heading's HTML id in the note.
    pub id: String,
    /// Blocks, in order, template noise removed.
    pub blocks: Vec<Block>,
    /// How many blocks were dropped as template noise.
    pub dropped: usize,
}

const VOID: [&str; 8] = ["br", "hr", "img", "input", "meta", "link", "source", "wbr"];

/// Splits HTML into top-level elements (and top-level text runs).
pub fn top_level(html: &str) -> Vec<&str> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let end = match memchr::memchr(b'>', &b[i..]) {
                Some(e) => i + e + 1,
                None => break,
            };
            let tag = &html[i + 1..end - 1];
            let closing = tag.starts_with('/');
            let bare = tag.trim_start_matches('/');
            let name = &bare[..bare.bytes().take_while(u8::is_ascii_alphanumeric).count()];
            let selfclose = tag.ends_with('/') || VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
            if tag.starts_with('!') {
                // Comment or doctype: part of the current run.
                if depth == 0 && start.is_none() {
                    start = Some(i);
                }
            } else if closing {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(s) = start.take() {
                        out.push(&html[s..end]);
                    }
                }
            } else if selfclose {
                if depth == 0 {
                    if let Some(s) = start.take() {
                        if !html[s..i].trim().is_empty() {
                            out.push(html[s..i].trim());
                        }
                    }
                    out.push(&html[i..end]);
                }
            } else {
                if depth == 0 {
                    if let Some(s) = start.take() {
                        if !html[s..i].trim().is_empty() {
                            out.push(html[s..i].trim());
                        }
                    }
                    start = Some(i);
                }
                depth += 1;
            }
            i = end;
        } else {
            // Text up to the next tag: at the top level, a run starts at its first
            // non-blank byte.
            let next = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |k| i + k);
            if depth == 0 && start.is_none() {
                start = b[i..next]
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .map(|k| i + k);
            }
            i = next;
        }
    }
    if let Some(s) = start {
        if !html[s..].trim().is_empty() {
            out.push(html[s..].trim());
        }
    }
    out
}

fn tag_name(block: &str) -> String {
    block
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The inner HTML of an element (`<ul …>inner</ul>` → `inner`).
fn inner(block: &str) -> &str {
    let open_end = block.find('>').map(|i| i + 1).unwrap_or(0);
    let close = block.rfind("</").unwrap_or(block.len());
    if close < open_end {
        ""
    } else {
        &block[open_end..close]
    }
}

/// Decodes the entities the formatter writes.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Plain text of fragment HTML: tags removed, entities decoded, slots replaced by their text.
pub fn plain(html: &str, slots: &[Slot]) -> String {
    let mut out = String::with_capacity(html.len());
    for p in pieces(html) {
        match p {
            Piece::Html(h) => {
                let mut in_tag = false;
                for c in h.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' if in_tag => {
                            in_tag = false;
                            out.push(' ');
                        }
                        _ if !in_tag => out.push(c),
                        _ => {}
                    }
                }
            }
            Piece::Slot(i) => match slots.get(i) {
                Some(Slot::Wiki { label, .. }) => out.push_str(label),
                Some(Slot::Tag { name }) => {
                    out.push('#');
                    out.push_str(name);
                }
                Some(Slot::Embed { alt, .. }) => out.push_str(alt),
                _ => {}
            },
        }
    }
    unescape(&collapse_whitespace(&out))
}

/// `s` with runs of whitespace turned into one space, and none at either end.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Splits `<ul>`/`<ol>` inner HTML into its top-level `<li>` items' inner HTML.
fn list_items(list: &str) -> Vec<String> {
    top_level(inner(list))
        .into_iter()
        .filter(|b| tag_name(b) == "li")
        .map(|li| inner(li).trim().to_string())
        .collect()
}

fn is_field_table(block: &str, slots: &[Slot]) -> bool {
    let rows: Vec<&str> = block.split("<tr").skip(1).collect();
    let Some(first) = rows.first() else {
        return false;
    };
    let cols = first
        .matches("<th")
        .count()
        .max(first.matches("<td").count());
    if cols != 2 {
        return false;
    }
    let header = first.contains("<th");
    let header_kv = header && {
        let h = plain(first, slots).to_lowercase();
        ["field", "key", "property", "attribute", "detail"]
            .iter()
            .any(|w| h.starts_with(w))
    };
    let body = if header { &rows[1..] } else { &rows[..] };
    header_kv
        || (!body.is_empty()
            && body.iter().all(|r| {
                r.split("<td").nth(1).is_some_and(|c| {
                    c.trim_start_matches(|ch| ch != '>')
                        .starts_with("><strong>")
                })
            }))
}

/// A paragraph made only of `**Key**: value` lines (read as fields, shown in the profile card).
fn is_field_paragraph(block: &str) -> bool {
    let body = inner(block);
    let mut lines = body
        .split(['\n'])
        .flat_map(|l| l.split("<br />"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    lines.peek().is_some()
        && lines.all(|l| {
            l.strip_prefix("<strong>")
                .and_then(|r| r.split_once("</strong>"))
                .is_some_and(|(k, rest)| {
                    k.chars().count() <= 40
                        && (k.trim_end().ends_with(':') || rest.trim_start().starts_with(':'))
                })
        })
}

/// Whether a block is template noise.
fn is_noise(block: &str, slots: &[Slot], cfg: &PeopleConfig) -> bool {
    let name = tag_name(block);
    match name.as_str() {
        // Placeholders and prompts are short; a long paragraph is content.
        "p" if block.len() > 400 => false,
        "p" => {
            let text = plain(block, slots);
            let inner_html = inner(block).trim();
            let italic_only = (inner_html.starts_with("<em>") && inner_html.ends_with("</em>"))
                || (inner_html.starts_with("<i>") && inner_html.ends_with("</i>"));
            // No character outside ASCII lower-cases to one of these letters.
            let empty_updated = text
                .trim_end_matches(|c: char| c == ':' || c.is_whitespace() || c == '*' || c == '_')
                .trim()
                .eq_ignore_ascii_case("last updated");
            empty_updated
                || (italic_only && is_placeholder(&format!("_{text}_"), cfg))
                || is_placeholder(&text, cfg)
        }
        // Lists are checked item by item in `split`.
        "ul" | "ol" => false,
        "table" => {
            // A table whose every value cell is a placeholder.
            let rows: Vec<&str> = block.split("<tr").skip(1).collect();
            rows.len() > 1
                && rows[1..].iter().all(|r| {
                    r.split("<td")
                        .skip(2)
                        .all(|c| is_placeholder(&plain(&format!("<td{c}"), slots), cfg))
                })
        }
        // Code, quotes, callouts, embeds: kept unless they hold nothing at all.
        _ => {
            block.len() < 200
                && !block.contains('\u{E002}')
                && !block.contains("<img")
                && plain(block, slots).is_empty()
        }
    }
}

/// Splits a note body fragment into sections with their blocks, dropping template noise and
/// key/value field tables.
pub fn split(html: &str, slots: &[Slot], cfg: &PeopleConfig) -> Vec<NoteSection> {
    split_where(html, slots, cfg, |_| true)
}

/// [`split`], keeping only the sections whose title `keep` accepts (the part before the first
/// heading has the title `""`): the blocks of the others are not looked at.
pub fn split_where(
    html: &str,
    slots: &[Slot],
    cfg: &PeopleConfig,
    keep: impl Fn(&str) -> bool,
) -> Vec<NoteSection> {
    let mut out = vec![NoteSection {
        title: String::new(),
        id: String::new(),
        blocks: Vec::new(),
        dropped: 0,
    }];
    let mut kept = keep("");
    for b in top_level(html) {
        let name = tag_name(b);
        if name == "h2" {
            let id = b
                .split("id=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string();
            let title = plain(b, slots);
            kept = keep(&title);
            out.push(NoteSection {
                title,
                id,
                blocks: Vec::new(),
                dropped: 0,
            });
            continue;
        }
        if !kept {
            continue;
        }
        let Some(sec) = out.last_mut() else { continue };
        let fields_only =
            (name == "table" && is_field_table(b, slots)) || (name == "p" && is_field_paragraph(b));
        if fields_only || is_noise(b, slots, cfg) {
            sec.dropped += 1;
            continue;
        }
        let task_list = b.contains("contains-task-list");
        if (name == "ul" || name == "ol") && !task_list {
            let all = list_items(b);
            let n = all.len();
            let items: Vec<(String, String)> = all
                .into_iter()
                .map(|i| {
                    let t = plain(&i, slots);
                    (i, t)
                })
                .filter(|(_, t)| t.len() > 200 || !is_placeholder(t, cfg))
                .collect();
            if items.is_empty() {
                // A list of placeholders only.
                sec.dropped += usize::from(n > 0);
                continue;
            }
            if let Some(Block::List(prev)) = sec.blocks.last_mut() {
                prev.extend(items);
            } else {
                sec.blocks.push(Block::List(items));
            }
        } else {
            sec.blocks.push(Block::Other(b.to_string()));
        }
    }
    out.retain(|s| (!s.blocks.is_empty() || !s.title.is_empty()) && keep(&s.title));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sections_and_drops_noise() {
        let html = "<p>Intro</p>\n<h2 id=\"key-facts\">Key Facts</h2>\n<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n<p><em>How do you work with this person?</em></p>\n<h2 id=\"contact\">Contact</h2>\n<table>\n<thead>\n<tr>\n<th>Field</th>\n<th>Value</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><strong>Role</strong></td>\n<td>VP</td>\n</tr>\n</tbody>\n</table>\n<h2 id=\"bg\">Background</h2>\n<p><em>Career history, expertise...</em></p>\n";
        let s = split(html, &[], &PeopleConfig::default());
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].blocks, vec![Block::Other("<p>Intro</p>".into())]);
        assert_eq!(s[1].title, "Key Facts");
        match &s[1].blocks[0] {
            Block::List(items) => {
                assert_eq!(items.len(), 2);
                assert!(items[1].0.contains("nested"));
                assert_eq!(items[1].1, "two nested");
            }
            b => panic!("{b:?}"),
        }
        assert_eq!(s[1].dropped, 1);
        assert!(s[2].blocks.is_empty(), "field table dropped");
        assert!(s[3].blocks.is_empty(), "prompt dropped");
    }

    #[test]
    fn keeps_only_the_sections_asked_for() {
        let html = "<p>Intro</p>\n<h2 id=\"notes\">Notes</h2>\n<ul>\n<li>a note</li>\n</ul>\n<h2 id=\"decisions\">Decisions</h2>\n<ul>\n<li>ship it</li>\n</ul>\n";
        let cfg = PeopleConfig::default();
        let all = split(html, &[], &cfg);
        let some = split_where(html, &[], &cfg, |t| t.contains("Decision"));
        assert_eq!(some.len(), 1);
        assert_eq!(some[0], all[2]);
    }

    #[test]
    fn plain_text_uses_slot_labels() {
        let slots = vec![Slot::Wiki {
            link: 0,
            label: "Ann".into(),
        }];
        assert_eq!(
            plain("<li>met \u{E000}0\u{E001} &amp; Bo</li>", &slots),
            "met Ann & Bo"
        );
    }
}
