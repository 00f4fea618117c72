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
    let value = match read_yaml(sp.yaml) {
        Ok(v) => v,
        Err((at, msg)) => {
            let (line, col) = at
                .map(|(l, c)| (l + sp.first_line - 1, c))
                .unwrap_or((sp.first_line, 0));
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

/// How deeply `[` and `{` may nest in frontmatter: serde_norway's own limit (deeper YAML never
/// parses). It is checked before parsing because libyaml's scanner spends time proportional to
/// the nesting depth on every token, so a long run of `[` would take minutes.
const MAX_FLOW_DEPTH: usize = 128;

/// How many values (scalars, lists and maps) frontmatter may hold beyond one per byte of YAML:
/// only aliases (`*name`) expand to more, and repeated aliases of a long list would otherwise
/// build billions of values from a few kilobytes.
const EXTRA_VALUES: usize = 10_000;

/// Parses frontmatter YAML into a value, or says where (1-based line and column within `yaml`,
/// when known) and why it failed. Nesting deeper than [`MAX_FLOW_DEPTH`] and alias expansion
/// beyond [`EXTRA_VALUES`] are errors, so no frontmatter takes long to read.
fn read_yaml(yaml: &str) -> Result<serde_norway::Value, (Option<(usize, usize)>, String)> {
    if let Some(at) = flow_too_deep(yaml) {
        let msg = format!("lists or maps are nested more than {MAX_FLOW_DEPTH} deep");
        return Err((Some(at), msg));
    }
    use serde::de::DeserializeSeed as _;
    let budget = std::cell::Cell::new(yaml.len() + EXTRA_VALUES);
    Budget(&budget)
        .deserialize(serde_norway::Deserializer::from_str(yaml))
        .map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            let msg = e.to_string();
            (
                at,
                msg.split(" at line ").next().unwrap_or(&msg).to_string(),
            )
        })
}

/// Where (1-based line and column) `[` and `{` first nest deeper than [`MAX_FLOW_DEPTH`],
/// counting every bracket (in strings and comments too: real frontmatter is nowhere near).
fn flow_too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1, 0);
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let column = yaml[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, i + 1),
            _ => {}
        }
    }
    None
}

/// Deserializes a [`serde_norway::Value`] exactly as its own `Deserialize` does, spending one
/// unit of the budget per value and failing when it runs out.
struct Budget<'b>(&'b std::cell::Cell<usize>);

impl Budget<'_> {
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.get().checked_sub(1) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(
                "it expands to too many values (aliases repeating a long list?)",
            )),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Budget<'_> {
    type Value = serde_norway::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Budget<'_> {
    type Value = serde_norway::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::Bool(b))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::Number(i.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::Number(u.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::Number(f.into()))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::String(s.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::String(s))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(serde_norway::Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        use serde::de::DeserializeSeed as _;
        self.deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.spend()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Budget(self.0))? {
            out.push(v);
        }
        Ok(serde_norway::Value::Sequence(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.spend()?;
        let mut out = serde_norway::Mapping::new();
        while let Some(k) = map.next_key_seed(Budget(self.0))? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(duplicate_key(&k)));
            }
            let v = map.next_value_seed(Budget(self.0))?;
            out.insert(k, v);
        }
        Ok(serde_norway::Value::Mapping(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess as _;
        self.spend()?;
        let (tag, contents) = data.variant::<String>()?;
        if tag.is_empty() {
            return Err(serde::de::Error::custom("empty YAML tag is not allowed"));
        }
        let value = contents.newtype_variant_seed(Budget(self.0))?;
        let tag = serde_norway::value::Tag::new(tag);
        let tagged = serde_norway::value::TaggedValue { tag, value };
        Ok(serde_norway::Value::Tagged(Box::new(tagged)))
    }
}

/// serde_norway's message for a key given twice.
fn duplicate_key(k: &serde_norway::Value) -> String {
    use serde_norway::Value as Y;
    match k {
        Y::Null => "duplicate entry with null key".into(),
        Y::Bool(b) => format!("duplicate entry with key `{b}`"),
        Y::Number(n) => format!("duplicate entry with key {n}"),
        Y::String(s) => format!("duplicate entry with key {s:?}"),
        Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => "duplicate entry in YAML map".into(),
    }
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
    fn deep_nesting_and_alias_bombs_are_errors_not_hangs() {
        // 100 000 `[` took minutes in libyaml's scanner; 3 000 aliases of a 3 000-item list
        // built nine million values.
        let deep = format!("---\nprivate: true\na: {}\n---\n", "[".repeat(100_000));
        let items = vec!["x"; 3000].join(",");
        let aliases = vec!["*a"; 3000].join(",");
        let bomb = format!("---\nprivate: true\na: &a [{items}]\nb: [{aliases}]\n---\n");
        for (text, why) in [(deep, "nested more than 128"), (bomb, "too many values")] {
            let mut d = Vec::new();
            let fm = parse("a.md", &text, &mut d);
            assert!(fm.private && fm.data.is_empty());
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].code, Code::FrontmatterSyntax);
            assert!(d[0].message.contains(why), "{}", d[0].message);
        }
        let mut d = Vec::new();
        let deep = format!("---\na: {}x{}\n---\n", "[".repeat(129), "]".repeat(129));
        parse("a.md", &deep, &mut d);
        assert_eq!((d[0].line, d[0].column), (2, 132), "{d:?}");
    }

    #[test]
    fn aliases_tags_and_duplicates_read_as_serde_norway_reads_them() {
        let mut d = Vec::new();
        let text = "---\nbase: &b [x, y]\ncopy: *b\nwhen: !date 2026-01-02\n---\n";
        let fm = parse("a.md", text, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.data["copy"], serde_json::json!(["x", "y"]));
        assert_eq!(fm.data["when"], "2026-01-02");
        parse("a.md", "---\na: 1\na: 2\n---\n", &mut d);
        assert!(
            d[0].message.contains("duplicate entry with key \"a\""),
            "{d:?}"
        );
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
