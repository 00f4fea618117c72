//! Profile stage, fields: reads a person note's fields from its frontmatter, from the rows of
//! key/value tables (`| **Role** | VP Sales |`, or any table headed `Field | Value`) and from
//! `**Role**: VP Sales` lines, and tells placeholders (`_Unknown_`, `TBD`, template prompts) from
//! real values.

use super::config::PeopleConfig;
use crate::parse::classify::bold_field_line;
use crate::parse::ParsedNote;
use serde::Serialize;
use serde_json::Value;

/// Where a field value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The YAML frontmatter.
    Frontmatter,
    /// A key/value table row.
    Table,
    /// A `**Key**: value` line.
    Line,
}

/// One value of one field in one note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawField {
    /// Canonical key: lower case, `_` for spaces, synonyms applied (`organisation` → `company`).
    pub key: String,
    /// The key as written.
    pub label: String,
    /// The value as plain text (markdown links reduced to their text).
    pub value: String,
    /// 1-based line in the note (0 for the frontmatter as a whole).
    pub line: usize,
    /// Where it was read.
    pub origin: Origin,
}

/// Frontmatter keys that are about the note, not the person.
const META_KEYS: [&str; 16] = [
    "title",
    "type",
    "tags",
    "aliases",
    "cssclasses",
    "cssclass",
    "publish",
    "private",
    "auto_created",
    "permalink",
    "source",
    "source_ref",
    "source_file",
    "original",
    "status",
    "date",
];

/// The canonical form of a field name.
pub fn canonical_key(k: &str, cfg: &PeopleConfig) -> String {
    let mut s: String = k
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ':')
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    let dashed = k.trim().trim_matches(['*', '_', ':']).trim().to_lowercase();
    match cfg.synonyms.get(&s).or_else(|| cfg.synonyms.get(&dashed)) {
        Some(t) => t.clone(),
        None => s,
    }
}

/// Reduces inline markdown to text: `[[a|b]]` → `b`, `[[a]]` → `a`, `[t](u)` → `t`, `**x**` → `x`.
pub fn plain_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for l in crate::parse::links::find_wikilinks(s) {
        out.push_str(&s[last..l.range.start]);
        let shown = match &l.alias {
            Some(a) => a.as_str(),
            None => l.target.split('#').next().unwrap_or(&l.target),
        };
        out.push_str(shown.rsplit('/').next().unwrap_or(shown).trim());
        last = l.range.end;
    }
    out.push_str(&s[last..]);
    // [text](url) → text
    let mut s2 = String::with_capacity(out.len());
    let mut r = out.as_str();
    while let Some(i) = r.find('[') {
        let tail = &r[i..];
        let parsed = tail.find("](").and_then(|j| {
            let close = tail[j..].find(')')?;
            Some((j, j + close))
        });
        match parsed {
            Some((j, end)) if !tail[1..j].contains('[') => {
                s2.push_str(&r[..i]);
                s2.push_str(&tail[1..j]);
                r = &tail[end + 1..];
            }
            _ => {
                s2.push_str(&r[..=i]);
                r = &r[i + 1..];
            }
        }
    }
    s2.push_str(r);
    let s2 = s2.replace("**", "").replace("__", "").replace('`', "");
    let t = s2.trim();
    // <a@b.c> → a@b.c
    let t = t
        .strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .filter(|x| x.contains('@') && !x.contains(' '))
        .unwrap_or(t);
    t.to_string()
}

/// Whether a value is a placeholder rather than a real value: empty, one of the configured
/// placeholder words (`Unknown`, `TBD`, `?`, …), a `[TODO…]` marker, or an italic template prompt
/// (`_How do you work with this person?_`).
pub fn is_placeholder(raw: &str, cfg: &PeopleConfig) -> bool {
    let t = raw.trim();
    let italic = (t.len() > 2 && t.starts_with('_') && t.ends_with('_'))
        || (t.len() > 2 && t.starts_with('*') && t.ends_with('*') && !t.starts_with("**"));
    let inner = t.trim_matches(|c: char| c == '_' || c == '*' || c.is_whitespace());
    // Most values are ASCII: compared ignoring case without a lower-cased copy.
    let lower;
    let l = if inner.is_ascii() {
        inner
    } else {
        lower = inner.to_lowercase();
        lower.as_str()
    };
    let starts = |p: &str| l.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if l.is_empty() || cfg.placeholders.iter().any(|p| p.eq_ignore_ascii_case(l)) {
        return true;
    }
    if starts("[todo") || starts("todo:") || l == "[]" || l == "{}" {
        return true;
    }
    italic && (l.ends_with('?') || l.ends_with("...") || l.ends_with('…') || l.ends_with(':'))
}

fn json_values(v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec![],
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(json_values).collect(),
        Value::Object(_) => vec![],
        other => vec![other.to_string()],
    }
}

/// Splits a table row into trimmed cells (`\|` stays inside a cell).
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut out = vec![String::new()];
    let mut prev = '\0';
    for c in t.chars() {
        if c == '|' && prev != '\\' {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
        prev = c;
    }
    out.into_iter()
        .map(|c| c.trim().replace("\\|", "|"))
        .collect()
}

fn is_separator_row(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Lines of the note's body outside fenced code blocks, with 1-based numbers.
fn body_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut in_front = false;
    source.lines().enumerate().filter_map(move |(i, line)| {
        let t = line.trim_start();
        if i == 0 && t.trim_end() == "---" {
            in_front = true;
            return None;
        }
        if in_front {
            if t.trim_end() == "---" || t.trim_end() == "..." {
                in_front = false;
            }
            return None;
        }
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            return None;
        }
        if t.starts_with("```") {
            fence = Some("```");
            return None;
        }
        if t.starts_with("~~~") {
            fence = Some("~~~");
            return None;
        }
        Some((i + 1, line))
    })
}

/// Whether a field (canonical `key`, `label` as written) is one of the `private` fields.
fn is_private(private: &[String], key: &str, label: &str) -> bool {
    private
        .iter()
        .any(|p| p == key || p.eq_ignore_ascii_case(label))
}

/// Every field value of a person note, in note order (frontmatter first). Keys named in
/// `private` (after synonyms) are never read.
pub fn extract(note: &ParsedNote, cfg: &PeopleConfig, private: &[String]) -> Vec<RawField> {
    let mut out = Vec::new();
    let allowed = |key: &str, label: &str| !is_private(private, key, label);
    for (k, v) in &note.front {
        let key = canonical_key(k, cfg);
        if META_KEYS.contains(&key.as_str()) || !allowed(&key, k) {
            continue;
        }
        let values = json_values(v);
        if values.is_empty() {
            out.push(RawField {
                key,
                label: k.clone(),
                value: String::new(),
                line: 0,
                origin: Origin::Frontmatter,
            });
            continue;
        }
        for s in values {
            out.push(RawField {
                key: key.clone(),
                label: k.clone(),
                value: plain_inline(&s),
                line: 0,
                origin: Origin::Frontmatter,
            });
        }
    }
    let mut table_kv = false;
    let mut in_table = false;
    for (line_no, line) in body_lines(&note.source) {
        let t = line.trim();
        if t.starts_with('|') {
            let c = cells(t);
            if !in_table {
                in_table = true;
                let h = c.first().map(|x| x.to_lowercase()).unwrap_or_default();
                let h = h.trim_matches('*');
                table_kv = c.len() == 2
                    && matches!(h, "field" | "key" | "property" | "attribute" | "detail");
                continue;
            }
            if is_separator_row(&c) || c.len() < 2 {
                continue;
            }
            let first = c[0].trim();
            let bold = first.len() > 4 && first.starts_with("**") && first.ends_with("**");
            if bold || table_kv {
                let label = first.trim_matches('*').trim().to_string();
                let key = canonical_key(&label, cfg);
                if !label.is_empty() && allowed(&key, &label) {
                    out.push(RawField {
                        key,
                        label,
                        value: plain_inline(&c[1]),
                        line: line_no,
                        origin: Origin::Table,
                    });
                }
            }
            continue;
        }
        in_table = false;
        if let Some((label, value)) = bold_field_line(line) {
            let key = canonical_key(&label, cfg);
            if allowed(&key, &label) {
                out.push(RawField {
                    key,
                    label,
                    value: plain_inline(value),
                    line: line_no,
                    origin: Origin::Line,
                });
            }
        }
    }
    out
}

/// Blanks the values of private fields written in the body (`| **Phone** | … |` rows and
/// `**Phone**: …` lines), keeping line numbers, so that no page shows them.
pub fn blank_private_body_fields<'a>(
    source: &'a str,
    private: &[String],
    cfg: &PeopleConfig,
) -> std::borrow::Cow<'a, str> {
    if private.is_empty() {
        return source.into();
    }
    let mut changed = false;
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let t = body.trim_start();
        let mut replaced: Option<String> = None;
        if t.starts_with('|') {
            let c = cells(t);
            if c.len() >= 2 {
                let label = c[0].trim_matches('*').trim();
                let key = canonical_key(label, cfg);
                if is_private(private, &key, label) {
                    let mut row = format!("| {} |", c[0]);
                    for _ in 1..c.len() {
                        row.push_str("  |");
                    }
                    replaced = Some(row);
                }
            }
        } else if let Some((label, value)) = bold_field_line(body) {
            let key = canonical_key(&label, cfg);
            if !value.is_empty() && is_private(private, &key, &label) {
                let cut = body.len() - value.len();
                replaced = Some(body[..cut].trim_end().to_string());
            }
        }
        // Dataview inline fields: `phone:: …`, `[phone:: …]`, `(phone:: …)`.
        if replaced.is_none() {
            replaced = crate::parse::inline_fields::blank_private(body, |label| {
                is_private(private, &canonical_key(label, cfg), label)
            });
        }
        match replaced {
            Some(r) => {
                changed = true;
                out.push_str(&r);
                out.push_str(ending);
            }
            None => out.push_str(line),
        }
    }
    if changed {
        out.into()
    } else {
        source.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        let c = PeopleConfig::default();
        for p in [
            "_Unknown_",
            "",
            " ",
            "TBD",
            "?",
            "Unclear",
            "*unknown*",
            "[TODO: Add answer]",
            "_How do you work with this person?_",
            "_Career history, expertise..._",
            "_Action items this person is responsible for:_",
        ] {
            assert!(is_placeholder(p, &c), "{p:?}");
        }
        for v in [
            "VP Business Development",
            "Unknown Pleasures fan",
            "_Important_",
            "0",
        ] {
            assert!(!is_placeholder(v, &c), "{v:?}");
        }
        // Non-ASCII values are lower-cased first; ASCII ones are compared ignoring case.
        for p in [
            "_Unbekannt? Ä_",
            "ÜNKNOWN",
            "Todo: Écrire",
            "[TODO] Überprüfen",
            "_Qui êtes-vous…_",
        ] {
            let l = p.to_lowercase();
            assert_eq!(is_placeholder(p, &c), is_placeholder(&l, &c), "{p:?}");
        }
        assert!(is_placeholder("TODO: call back", &c));
        assert!(is_placeholder("Todo: Écrire", &c));
        assert!(!is_placeholder("Todos los días", &c));
    }

    #[test]
    fn inline_plain() {
        assert_eq!(plain_inline("[[Acme Corp]]"), "Acme Corp");
        assert_eq!(plain_inline("[[Orgs/Acme|Acme]] lead"), "Acme lead");
        assert_eq!(plain_inline("**VP** [site](https://x.y)"), "VP site");
        assert_eq!(plain_inline("<ann@x.org>"), "ann@x.org");
    }

    #[test]
    fn keys() {
        let c = PeopleConfig::default();
        assert_eq!(canonical_key("**Organisation**", &c), "company");
        assert_eq!(canonical_key("Last Contact", &c), "last_contact");
        assert_eq!(canonical_key("LinkedIn", &c), "linkedin");
        assert_eq!(canonical_key("E-mail", &c), "email");
    }

    #[test]
    fn private_body_fields_are_blanked() {
        let c = PeopleConfig::default();
        let src = "| **Phone** | +1 555 |\n**Mobile**: 555-1\n| **Role** | VP |\n";
        let out = blank_private_body_fields(src, &["phone".into()], &c);
        assert!(!out.contains("555"), "{out}");
        assert!(out.contains("VP"));
        assert_eq!(out.lines().count(), 3);
    }
}
