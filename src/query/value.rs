//! Dataview values: what fields hold and expressions produce. Strings, lists and objects are
//! reference-counted so that reading a field of a page is a pointer copy, not a deep clone.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Date, PrimitiveDateTime, Time};

/// A link to a note (resolved or not), a heading or a block in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// The target's vault path when resolved (`People/Ana.md`), else the target as written.
    pub path: String,
    /// Display text (`[[path|display]]`), if any.
    pub display: Option<String>,
    /// `#Heading` or `#^block`, without the `#`.
    pub subpath: Option<String>,
    /// `![[…]]`.
    pub embed: bool,
    /// Index of the published note it points to, when resolved.
    pub note: Option<usize>,
}

impl Link {
    /// The text a link shows: its display text, else the file name without `.md`.
    pub fn label(&self) -> String {
        if let Some(d) = &self.display {
            return d.clone();
        }
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        let name = name.strip_suffix(".md").unwrap_or(name);
        match &self.subpath {
            Some(s) => format!("{name} > {s}"),
            None => name.to_string(),
        }
    }

    /// Identity for comparisons: the path (case-insensitive) and subpath; display text ignored.
    fn key(&self) -> (String, Option<&str>) {
        let p = self.path.strip_suffix(".md").unwrap_or(&self.path);
        (p.to_lowercase(), self.subpath.as_deref())
    }
}

/// A duration: calendar months kept apart from exact milliseconds, as Luxon does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Duration {
    /// Whole months (a year is 12).
    pub months: i64,
    /// Milliseconds (a week is 7 days, a day 24 hours).
    pub millis: i64,
}

impl Duration {
    /// An approximate length in milliseconds (a month counted as 30 days), for ordering.
    pub fn approx_millis(&self) -> i64 {
        self.months
            .saturating_mul(30 * 86_400_000)
            .saturating_add(self.millis)
    }

    /// Negated.
    pub fn negated(self) -> Duration {
        Duration {
            months: -self.months,
            millis: -self.millis,
        }
    }

    /// `1 month, 2 days, 3 hours` (largest units first; `0 seconds` when empty).
    pub fn human(&self) -> String {
        let mut parts = Vec::new();
        let (years, months) = (self.months / 12, self.months % 12);
        let mut ms = self.millis;
        let days = ms / 86_400_000;
        ms %= 86_400_000;
        let hours = ms / 3_600_000;
        ms %= 3_600_000;
        let minutes = ms / 60_000;
        ms %= 60_000;
        let seconds = ms / 1000;
        ms %= 1000;
        for (n, unit) in [
            (years, "year"),
            (months, "month"),
            (days, "day"),
            (hours, "hour"),
            (minutes, "minute"),
            (seconds, "second"),
            (ms, "millisecond"),
        ] {
            if n != 0 {
                let s = if n.abs() == 1 { "" } else { "s" };
                parts.push(format!("{n} {unit}{s}"));
            }
        }
        if parts.is_empty() {
            "0 seconds".into()
        } else {
            parts.join(", ")
        }
    }
}

/// A user function value: `(x, y) => body`.
#[derive(Debug)]
pub struct Lambda {
    /// Parameter names.
    pub params: Vec<String>,
    /// The body.
    pub body: super::ast::Expr,
}

/// A Dataview value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// `null`, and every missing field.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Numbers are floating point, as in JavaScript.
    Number(f64),
    /// Text.
    String(Arc<str>),
    /// A date and time (local, no zone); a plain date has the time 00:00.
    Date(PrimitiveDateTime),
    /// A duration.
    Duration(Duration),
    /// A link.
    Link(Arc<Link>),
    /// A list.
    List(Arc<Vec<Value>>),
    /// An object (keys sorted).
    Object(Arc<BTreeMap<String, Value>>),
    /// A lambda.
    Lambda(Arc<Lambda>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        compare(self, other) == Ordering::Equal
    }
}

impl Value {
    /// A string value.
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::String(Arc::from(s.as_ref()))
    }

    /// A list value.
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Arc::new(v))
    }

    /// An object value.
    pub fn object(m: BTreeMap<String, Value>) -> Value {
        Value::Object(Arc::new(m))
    }

    /// A link value.
    pub fn link(l: Link) -> Value {
        Value::Link(Arc::new(l))
    }

    /// A date (midnight).
    pub fn date(d: Date) -> Value {
        Value::Date(PrimitiveDateTime::new(d, Time::MIDNIGHT))
    }

    /// Dataview's type name: `null boolean number string date duration link array object function`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Date(_) => "date",
            Value::Duration(_) => "duration",
            Value::Link(_) => "link",
            Value::List(_) => "array",
            Value::Object(_) => "object",
            Value::Lambda(_) => "function",
        }
    }

    /// Dataview truthiness: null, false, 0, "" and empty lists and objects are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Date(_) | Value::Link(_) | Value::Lambda(_) => true,
            Value::Duration(d) => d.approx_millis() != 0,
            Value::List(l) => !l.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }

    /// Is it null?
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string inside, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The list inside, if it is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The number inside, if it is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Plain-text form, as `string()` gives it: dates `2026-03-01` (with `THH:mm` when timed),
    /// links as their label, lists `a, b`.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => s.to_string(),
            Value::Date(d) => format_iso(d),
            Value::Duration(d) => d.human(),
            Value::Link(l) => l.label(),
            Value::List(l) => l.iter().map(Value::to_text).collect::<Vec<_>>().join(", "),
            Value::Object(o) => {
                let inner: Vec<String> = o
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.to_text()))
                    .collect();
                format!("{{ {} }}", inner.join(", "))
            }
            Value::Lambda(l) => format!("<function({})>", l.params.join(", ")),
        }
    }
}

/// `3`, `2.5`, `0.1`: no trailing `.0`, as JavaScript prints numbers.
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == n.trunc() && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n}");
        s
    }
}

/// `2026-03-01`, or `2026-03-01T09:30` / `…T09:30:15` when the time is not midnight.
pub fn format_iso(d: &PrimitiveDateTime) -> String {
    let date = crate::paths::format_date(d.date());
    let t = d.time();
    if t == Time::MIDNIGHT {
        date
    } else if t.second() == 0 {
        format!("{date}T{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{date}T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Bool(_) => 3,
        Value::Date(_) => 4,
        Value::Duration(_) => 5,
        Value::Link(_) => 6,
        Value::List(_) => 7,
        Value::Object(_) => 8,
        Value::Lambda(_) => 9,
    }
}

/// Dataview's total order: null first, then by type; numbers numerically, strings by code
/// point, links by path, lists and objects element by element.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::Duration(x), Value::Duration(y)) => x.approx_millis().cmp(&y.approx_millis()),
        (Value::Link(x), Value::Link(y)) => x.key().cmp(&y.key()),
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                let c = compare(p, q);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            for ((ka, va), (kb, vb)) in x.iter().zip(y.iter()) {
                let c = ka.cmp(kb).then_with(|| compare(va, vb));
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Lambda(x), Value::Lambda(y)) => Arc::as_ptr(x).cmp(&Arc::as_ptr(y)),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

/// Converts frontmatter YAML (as JSON) into a value: strings that look like dates become dates,
/// `[[links]]` become links (through `link`), everything else keeps its type.
pub fn from_json(v: &serde_json::Value, link: &dyn Fn(&str) -> Option<Link>) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => from_text(s, link),
        serde_json::Value::Array(a) => Value::list(a.iter().map(|x| from_json(x, link)).collect()),
        serde_json::Value::Object(o) => Value::object(
            o.iter()
                .map(|(k, x)| (k.clone(), from_json(x, link)))
                .collect(),
        ),
    }
}

/// Reads a single text value the way Dataview reads frontmatter strings and inline fields:
/// an ISO date or date-time, a `[[link]]`, else the text itself.
pub fn from_text(s: &str, link: &dyn Fn(&str) -> Option<Link>) -> Value {
    let t = s.trim();
    if let Some(d) = parse_datetime(t) {
        return Value::Date(d);
    }
    if t.starts_with("[[") && t.ends_with("]]") && t.matches("[[").count() == 1 {
        if let Some(l) = link(&t[2..t.len() - 2]) {
            return Value::link(l);
        }
    }
    Value::str(s)
}

/// Parses `2026-03-01`, `2026-03`, `2026-03-01T09:30[:15[.123]]` (a zone suffix is dropped).
pub fn parse_datetime(s: &str) -> Option<PrimitiveDateTime> {
    let b = s.as_bytes();
    if b.len() == 7 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        let y: i32 = s[..4].parse().ok()?;
        let m: u8 = s[5..7].parse().ok()?;
        let d = Date::from_calendar_date(y, time::Month::try_from(m).ok()?, 1).ok()?;
        return Some(PrimitiveDateTime::new(d, Time::MIDNIGHT));
    }
    if b.len() < 10 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let date = crate::paths::parse_date(s)?;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(PrimitiveDateTime::new(date, Time::MIDNIGHT));
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let end = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(end);
    if !(zone.is_empty()
        || zone == "Z"
        || zone.len() == 6 && zone[1..].chars().all(|c| c.is_ascii_digit() || c == ':'))
    {
        return None;
    }
    let mut it = clock.split(':');
    let h: u8 = it.next()?.parse().ok()?;
    let mi: u8 = it.next().unwrap_or("0").parse().ok()?;
    let sec = it.next().unwrap_or("0");
    let (s_whole, ms) = sec.split_once('.').unwrap_or((sec, "0"));
    let sec: u8 = s_whole.parse().ok()?;
    let ms: u16 = ms.get(..ms.len().min(3))?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    let t = Time::from_hms_milli(h, mi, sec, ms).ok()?;
    Some(PrimitiveDateTime::new(date, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_truth() {
        assert!(compare(&Value::Null, &Value::Number(0.0)).is_lt());
        assert!(compare(&Value::Number(2.0), &Value::Number(10.0)).is_lt());
        assert!(compare(&Value::str("b"), &Value::str("a")).is_gt());
        assert!(!Value::str("").truthy());
        assert!(Value::list(vec![Value::Null]).truthy());
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
    }

    #[test]
    fn dates() {
        let d = parse_datetime("2026-03-01T09:30").unwrap();
        assert_eq!(format_iso(&d), "2026-03-01T09:30");
        assert_eq!(
            format_iso(&parse_datetime("2026-03-01").unwrap()),
            "2026-03-01"
        );
        assert!(parse_datetime("2026-03-01T09:30+02:00").is_some());
        assert!(parse_datetime("2026-03-01 is a date").is_none());
        assert!(parse_datetime("hello").is_none());
        let none = |_: &str| None;
        assert_eq!(from_text("2026-03", &none).type_name(), "date");
        assert_eq!(from_text("March", &none).type_name(), "string");
    }

    #[test]
    fn durations() {
        let d = Duration {
            months: 14,
            millis: 86_400_000 * 3 + 3_600_000,
        };
        assert_eq!(d.human(), "1 year, 2 months, 3 days, 1 hour");
    }
}
