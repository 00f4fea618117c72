//! Parse stage, frontmatter: splits the YAML block off a note, parses it with serde_norway (the
//! maintained drop-in fork of serde_yaml) and reads the keys wikigen understands.

use crate::diag::{Code, Diagnostic, Severity};
use serde_json::{Map, Value};

/// The frontmatter keys wikigen understands, read from the YAML.
#[derive(Debug, Clone, Default)]
pub struct Frontmatter {
    /// The whole YAML mapping as JSON (empty object when absent or malformed).
    pub data: Map<String, Value>,
    /// `title`.
    pub title: Option<String>,
    /// `aliases` (or legacy `alias`).
    pub aliases: Vec<String>,
    /// `tags` (or legacy `tag`), without `#`.
    pub tags: Vec<String>,
    /// `created` or `date`.
    pub created: Option<String>,
    /// `updated`, `modified`, `last_modified` or `last_updated`.
    pub updated: Option<String>,
    /// `publish: false` or `private: true`.
    pub private: bool,
    /// `cssclasses` (or legacy `cssclass`).
    pub cssclasses: Vec<String>,
    /// `type`.
    pub note_type: Option<String>,
    /// 1-based line of each top-level key, for diagnostics and link positions.
    pub key_lines: Vec<(String, usize)>,
}

/// Where the frontmatter sits in a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub first_line: usize,
}

/// Finds a `---` frontmatter block at the very start of `text`.
pub fn split(text: &str) -> Option<Split<'_>> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('\n')?;
    let start = text.len() - rest.len();
    let mut pos = start;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Some(Split {
                yaml: &text[start..pos],
                first_line: 2,
            });
        }
        pos += line.len();
    }
    None
}

/// Parses the frontmatter of the note at `path`; problems are pushed to `diags`.
pub fn parse(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Frontmatter {
    let mut fm = Frontmatter::default();
    let Some(sp) = split(text) else {
        return fm;
    };
    fm.key_lines = key_lines(sp.yaml, sp.first_line);
    if sp.yaml.trim().is_empty() {
        return fm;
    }
    let value: serde_norway::Value = match serde_norway::from_str(sp.yaml) {
        Ok(v) => v,
        Err(e) => {
            let (line, col) = e
                .location()
                .map(|l| (l.line() + sp.first_line - 1, l.column()))
                .unwrap_or((sp.first_line, 0));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            diags.push(Diagnostic::new(
                Severity::Warning,
                Code::FrontmatterSyntax,
                path,
                line,
                col,
                format!("the frontmatter is not valid YAML: {msg}"),
                "fix the YAML between the --- lines (quote values that contain ': ' or start with [ or {); the note is published without its properties",
            ));
            fm.private = scan_private_flags(sp.yaml);
            return fm;
        }
    };
    let json = to_json(value);
    let Value::Object(map) = json else {
        if !json.is_null() {
            diags.push(Diagnostic::new(
                Severity::Warning,
                Code::FrontmatterSyntax,
                path,
                sp.first_line,
                1,
                "the frontmatter is not a list of `key: value` properties",
                "write the frontmatter as `key: value` lines",
            ));
        }
        return fm;
    };
    let line_of = |k: &str| {
        fm.key_lines
            .iter()
            .find(|(key, _)| key == k)
            .map(|x| x.1)
            .unwrap_or(sp.first_line)
    };
    let mut type_warn = |key: &str, expected: &str| {
        diags.push(Diagnostic::new(
            Severity::Warning,
            Code::FrontmatterType,
            path,
            line_of(key),
            1,
            format!("`{key}` should be {expected}"),
            format!("write `{key}` as {expected}; the value was ignored"),
        ));
    };
    for (k, v) in &map {
        let lk = k.to_lowercase();
        match lk.as_str() {
            "title" => match v {
                Value::String(s) if !s.trim().is_empty() => fm.title = Some(s.trim().to_string()),
                Value::Number(n) => fm.title = Some(n.to_string()),
                Value::Null => {}
                Value::String(_) => {}
                _ => type_warn(k, "a text"),
            },
            "aliases" | "alias" => match string_list(v, false) {
                Some(l) => fm.aliases.extend(l),
                None => type_warn(k, "a list of names"),
            },
            "tags" | "tag" => match string_list(v, true) {
                Some(l) => fm.tags.extend(
                    l.into_iter()
                        .map(|t| t.trim_start_matches('#').to_string())
                        .filter(|t| crate::parse::tags::is_valid_tag(t)),
                ),
                None => type_warn(k, "a list of tags"),
            },
            "cssclasses" | "cssclass" => match string_list(v, true) {
                Some(l) => fm.cssclasses.extend(l),
                None => type_warn(k, "a list of CSS class names"),
            },
            "created" | "date" if fm.created.is_none() || lk == "created" => {
                fm.created = scalar_string(v);
            }
            "updated" | "modified" | "last_modified" | "last_updated" => {
                fm.updated = scalar_string(v).or(fm.updated.take());
            }
            "publish" => match truthy(v) {
                Some(b) => fm.private |= !b,
                None => type_warn(k, "true or false"),
            },
            "private" => match truthy(v) {
                Some(b) => fm.private |= b,
                None => type_warn(k, "true or false"),
            },
            "type" => fm.note_type = scalar_string(v),
            _ => {}
        }
    }
    fm.data = map;
    fm
}

/// Best-effort `private: true` / `publish: false` detection for YAML that does not parse, so a
/// typo elsewhere in the frontmatter never publishes a private note.
pub fn scan_private_flags(yaml: &str) -> bool {
    yaml.lines().any(|l| {
        let l = l.trim().to_lowercase().replace(['"', '\''], "");
        let Some((k, v)) = l.split_once(':') else {
            return false;
        };
        let v = v.trim();
        (k.trim() == "private" && matches!(v, "true" | "yes" | "on"))
            || (k.trim() == "publish" && matches!(v, "false" | "no" | "off"))
    })
}

fn key_lines(yaml: &str, first_line: usize) -> Vec<(String, usize)> {
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']) && l.contains(':'))
        .filter_map(|(i, l)| {
            let k = l
                .split(':')
                .next()?
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            (!k.is_empty()).then_some((k, first_line + i))
        })
        .collect()
}

fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        Value::Null => None,
        _ => None,
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string or list of strings. With `split`, a single string is split at commas and spaces.
fn string_list(v: &Value, split: bool) -> Option<Vec<String>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::String(s) => Some(if split {
            s.split([',', ' '])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect()
        } else if s.trim().is_empty() {
            Vec::new()
        } else {
            vec![s.trim().to_string()]
        }),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        _ => None,
    }
}

/// Converts a YAML value to JSON: non-string keys become strings, tags are dropped.
pub fn to_json(v: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(seq.into_iter().map(to_json).collect()),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".into(),
                    other => serde_norway::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_reads_known_keys() {
        let text = "---\ntitle: Ada\naliases: Countess\ntags: [a, '#b']\npublish: false\ncreated: 2026-01-02\n---\nbody";
        let mut d = Vec::new();
        let fm = parse("a.md", text, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("Ada"));
        assert_eq!(fm.aliases, vec!["Countess"]);
        assert_eq!(fm.tags, vec!["a", "b"]);
        assert!(fm.private);
        assert_eq!(fm.created.as_deref(), Some("2026-01-02"));
    }

    #[test]
    fn malformed_yaml_points_into_the_note_and_keeps_privacy() {
        let text = "---\ntitle: ok\nprivate: true\nbad: [unclosed\n---\nbody";
        let mut d = Vec::new();
        let fm = parse("a.md", text, &mut d);
        assert!(fm.private);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::FrontmatterSyntax);
        assert!(d[0].line >= 4, "{:?}", d[0]);
    }

    #[test]
    fn wrong_types_warn() {
        let mut d = Vec::new();
        let fm = parse("a.md", "---\ntags: {a: 1}\n---\n", &mut d);
        assert!(fm.tags.is_empty());
        assert_eq!(d[0].code, Code::FrontmatterType);
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn no_frontmatter() {
        assert!(split("# Title\n---\n").is_none());
        assert!(split("---\nunterminated").is_none());
    }
}
