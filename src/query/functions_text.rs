//! The text half of the function library: strings, regular expressions, dates (Luxon format
//! tokens), durations and number formatting. Declared from `functions.rs`.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Captures, Regex, RegexBuilder};
use time::{Date, Month, PrimitiveDateTime, Time};

use super::{expects, opt, take, Duration, Env, Res, Value};

/// Compiled-program size cap: a hostile pattern errors instead of eating memory and time.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Distinct patterns kept per thread before the cache starts over.
const REGEX_CACHE_MAX: usize = 512;

thread_local! {
    /// Compiled regexes by pattern, `[case-sensitive, case-insensitive]`.
    static REGEXES: RefCell<[HashMap<String, Result<Regex, String>>; 2]> = RefCell::default();
}

/// Compiles a JavaScript-style pattern once per thread (`Regex` clones share the program).
pub(super) fn regex(pattern: &str, icase: bool, func: &str) -> Result<Regex, String> {
    REGEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let map = &mut cache[usize::from(icase)];
        if let Some(r) = map.get(pattern) {
            return r.clone().map_err(|e| format!("{func}(): {e}"));
        }
        if map.len() >= REGEX_CACHE_MAX {
            map.clear();
        }
        // JavaScript's `[^]` (any character) has no Rust spelling but `[\s\S]`.
        let source = pattern.replace("[^]", r"[\s\S]");
        let built = RegexBuilder::new(&source)
            .case_insensitive(icase)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                if let regex::Error::CompiledTooBig(_) = e {
                    return format!(
                        "regular expression '{pattern}' is too large once compiled (over 1 MiB)"
                    );
                }
                let msg = e.to_string();
                let last = msg.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(&msg);
                let last = last.trim().trim_start_matches("error: ");
                format!("invalid regular expression '{pattern}': {last}")
            });
        map.insert(pattern.to_string(), built.clone());
        built.map_err(|e| format!("{func}(): {e}"))
    })
}

/// Text, or `None` for null; any other type is an error.
fn text_arg<'a>(func: &str, v: &'a Value) -> Result<Option<&'a str>, String> {
    match v {
        Value::String(s) => Ok(Some(s)),
        Value::Null => Ok(None),
        _ => Err(expects(func, "text", v)),
    }
}

/// A number, or `None` for null.
fn num_arg(func: &str, v: &Value) -> Result<Option<f64>, String> {
    match v {
        Value::Number(n) => Ok(Some(*n)),
        Value::Null => Ok(None),
        _ => Err(expects(func, "a number", v)),
    }
}

/// Characters of `s` from `start` to `end` (char indexes, clamped).
fn char_slice(s: &str, start: usize, end: usize) -> String {
    s.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// JavaScript `ToIntegerOrInfinity` clamped to `0..=len`.
fn clamp_index(n: f64, len: usize) -> usize {
    if n.is_nan() || n <= 0.0 {
        0
    } else {
        (n.trunc() as usize).min(len)
    }
}

/// The string, regex, date and formatting functions; anything else is unknown.
pub(super) fn call(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Res {
    match name {
        "lower" | "upper" => {
            let [s] = take(name, args)?;
            Ok(match text_arg(name, &s)? {
                Some(t) if name == "lower" => Value::str(t.to_lowercase()),
                Some(t) => Value::str(t.to_uppercase()),
                None => Value::Null,
            })
        }
        "replace" | "regexreplace" => {
            let [s, p, r] = take(name, args)?;
            let (s, p, r) = match (
                text_arg(name, &s)?,
                text_arg(name, &p)?,
                text_arg(name, &r)?,
            ) {
                (Some(s), Some(p), Some(r)) => (s, p, r),
                _ => return Ok(Value::Null),
            };
            if name == "replace" {
                return Ok(Value::str(js_split_join(s, p, r)));
            }
            let re = regex(p, false, name)?;
            let named = re.capture_names().any(|n| n.is_some());
            Ok(Value::str(re.replace_all(s, |c: &Captures| {
                let mut out = String::new();
                expand_js(c, r, s, named, &mut out);
                out
            })))
        }
        "regextest" | "regexmatch" => {
            let [p, s] = take(name, args)?;
            let (p, s) = match (text_arg(name, &p)?, text_arg(name, &s)?) {
                (Some(p), Some(s)) => (p, s),
                _ => return Ok(Value::Bool(false)),
            };
            // Dataview anchors a regexmatch pattern only when it has neither `^` nor `$`.
            let anchored;
            let p = if name == "regexmatch" && !p.starts_with('^') && !p.ends_with('$') {
                anchored = format!("^{p}$");
                &anchored
            } else {
                p
            };
            Ok(Value::Bool(regex(p, false, name)?.is_match(s)))
        }
        "containsword" => {
            let [h, n] = take(name, args)?;
            let (h, n) = match (text_arg(name, &h)?, text_arg(name, &n)?) {
                (Some(h), Some(n)) => (h, n),
                _ => return Ok(Value::Null),
            };
            let re = regex(&format!(r"\b{}\b", regex::escape(n)), true, name)?;
            Ok(Value::Bool(re.is_match(h)))
        }
        "split" => {
            let [s, d, limit] = opt(name, args, 2)?;
            let s = text_arg(name, s.as_ref().unwrap_or(&Value::Null))?;
            let d = text_arg(name, d.as_ref().unwrap_or(&Value::Null))?;
            let limit = match &limit {
                None => Some(usize::MAX),
                // JavaScript's ToUint32: a negative limit wraps to "no limit".
                Some(l) => num_arg(name, l)?.map(|n| {
                    if n < 0.0 {
                        usize::MAX
                    } else {
                        n.min(u32::MAX as f64) as usize
                    }
                }),
            };
            match (s, d, limit) {
                (Some(s), Some(d), Some(limit)) => {
                    Ok(Value::list(js_split(s, &regex(d, false, name)?, limit)))
                }
                _ => Ok(Value::Null),
            }
        }
        "startswith" | "endswith" => {
            let [s, x] = take(name, args)?;
            Ok(match (text_arg(name, &s)?, text_arg(name, &x)?) {
                (Some(s), Some(x)) if name == "startswith" => Value::Bool(s.starts_with(x)),
                (Some(s), Some(x)) => Value::Bool(s.ends_with(x)),
                _ => Value::Null,
            })
        }
        "padleft" | "padright" => {
            let [s, n, pad] = opt(name, args, 2)?;
            let s = text_arg(name, s.as_ref().unwrap_or(&Value::Null))?;
            let n = num_arg(name, n.as_ref().unwrap_or(&Value::Null))?;
            let pad = match &pad {
                None => Some(" "),
                Some(p) => text_arg(name, p)?,
            };
            let (Some(s), Some(n), Some(pad)) = (s, n, pad) else {
                return Ok(Value::Null);
            };
            let len = s.chars().count();
            let want = clamp_index(n, 1 << 20);
            if want <= len || pad.is_empty() {
                return Ok(Value::str(s));
            }
            let fill: String = pad.chars().cycle().take(want - len).collect();
            Ok(Value::str(if name == "padleft" {
                fill + s
            } else {
                format!("{s}{fill}")
            }))
        }
        "substring" => {
            let [s, a, b] = opt(name, args, 2)?;
            let s = text_arg(name, s.as_ref().unwrap_or(&Value::Null))?;
            let a = num_arg(name, a.as_ref().unwrap_or(&Value::Null))?;
            let b = match &b {
                None => Some(f64::INFINITY),
                Some(b) => num_arg(name, b)?,
            };
            let (Some(s), Some(a), Some(b)) = (s, a, b) else {
                return Ok(Value::Null);
            };
            let len = s.chars().count();
            let (a, b) = (clamp_index(a, len), clamp_index(b, len));
            Ok(Value::str(char_slice(s, a.min(b), a.max(b))))
        }
        "truncate" => {
            let [s, n, suffix] = opt(name, args, 2)?;
            let s = text_arg(name, s.as_ref().unwrap_or(&Value::Null))?;
            let n = num_arg(name, n.as_ref().unwrap_or(&Value::Null))?;
            let suffix = match &suffix {
                None => Some("..."),
                Some(x) => text_arg(name, x)?,
            };
            let (Some(s), Some(n), Some(suffix)) = (s, n, suffix) else {
                return Ok(Value::Null);
            };
            let keep = n - suffix.chars().count() as f64;
            if s.chars().count() as f64 > keep {
                let kept = char_slice(s, 0, clamp_index(keep, usize::MAX));
                Ok(Value::str(kept + suffix))
            } else {
                Ok(Value::str(s))
            }
        }
        "date" => date(args, env),
        "dur" => {
            let [v] = take(name, args)?;
            match &v {
                Value::String(s) => Ok(parse_duration(s).map_or(Value::Null, Value::Duration)),
                Value::Duration(_) | Value::Null => Ok(v),
                _ => Err(expects(name, "text or a duration", &v)),
            }
        }
        "dateformat" => {
            let [d, f] = take(name, args)?;
            match (&d, &f) {
                (Value::Date(d), Value::String(f)) => Ok(Value::str(format_date(d, f))),
                (Value::Null, Value::String(_)) => Ok(Value::Null),
                (Value::Date(_) | Value::Null, _) => {
                    Err(expects(name, "a format text as its second argument", &f))
                }
                _ => Err(expects(name, "a date", &d)),
            }
        }
        "durationformat" => {
            let [d, f] = take(name, args)?;
            match (&d, &f) {
                (Value::Duration(d), Value::String(f)) => Ok(Value::str(format_duration(d, f))),
                (Value::Null, Value::String(_)) => Ok(Value::Null),
                (Value::Duration(_) | Value::Null, _) => {
                    Err(expects(name, "a format text as its second argument", &f))
                }
                _ => Err(expects(name, "a duration", &d)),
            }
        }
        "currencyformat" => {
            let [n, code] = opt(name, args, 1)?;
            let n = num_arg(name, n.as_ref().unwrap_or(&Value::Null))?;
            let code = match &code {
                None => Some("USD"),
                Some(c) => text_arg(name, c)?,
            };
            match (n, code) {
                (Some(n), Some(code)) => currency(n, code).map(Value::str),
                _ => Ok(Value::Null),
            }
        }
        _ => Err(format!("unknown function '{name}'")),
    }
}

/// `date(any)` and `date(text, format)`.
fn date(args: Vec<Value>, env: &mut dyn Env) -> Res {
    let [v, fmt] = opt("date", args, 1)?;
    let now = env.now();
    match (v, fmt) {
        (Some(Value::Null), _) => Ok(Value::Null),
        (Some(Value::String(s)), Some(Value::String(f))) => {
            if f.as_ref() == "x" || f.as_ref() == "X" {
                let Some(n) = first_number(&s) else {
                    return Err(format!("date(): '{s}' holds no number for format '{f}'"));
                };
                let ms = n.trunc() * if f.as_ref() == "X" { 1000.0 } else { 1.0 };
                return time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
                    .map(|t| Value::Date(PrimitiveDateTime::new(t.date(), t.time())))
                    .map_err(|_| format!("date(): timestamp '{s}' is out of range"));
            }
            parse_with_format(&s, &f, now).map(Value::Date)
        }
        (Some(v), Some(f)) => Err(expects(
            "date",
            "text and a format text",
            if v.as_str().is_some() { &f } else { &v },
        )),
        (Some(Value::String(s)), None) => {
            Ok(parse_date_arg(&s, now).map_or(Value::Null, Value::Date))
        }
        (Some(d @ Value::Date(_)), None) => Ok(d),
        (Some(Value::Link(l)), None) => {
            // The display, the path, then the file name; the linked note's own `date` field is
            // out of reach here (the evaluator can look it up before calling).
            let stem = l.path.rsplit('/').next().unwrap_or(&l.path);
            let stem = stem.strip_suffix(".md").unwrap_or(stem);
            let found = [l.display.as_deref(), Some(l.path.as_str()), Some(stem)]
                .into_iter()
                .flatten()
                .find_map(super::super::value::parse_datetime);
            Ok(found.map_or(Value::Null, Value::Date))
        }
        (Some(v), None) => Err(expects("date", "text, a date or a link", &v)),
        (None, _) => Err("date() takes 1 to 2 arguments, got 0".into()),
    }
}

/// Dataview's `/-?[0-9]+(\.[0-9]+)?/`: the first number in the text.
pub(super) fn first_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let mut from = start;
    if start > 0 && b[start - 1] == b'-' {
        from -= 1;
    }
    let mut end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    if end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        end += 1 + b[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    }
    s[from..end].parse().ok()
}

/// `str.split(pat).join(rep)`: every literal occurrence replaced; an empty pattern goes between
/// characters.
fn js_split_join(s: &str, pat: &str, rep: &str) -> String {
    if !pat.is_empty() {
        return s.replace(pat, rep);
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if i > 0 {
            out.push_str(rep);
        }
        out.push(c);
    }
    out
}

/// JavaScript replacement patterns: `$1`..`$99`, `$&`, `` $` ``, `$'`, `$$`, `$<name>`.
fn expand_js(caps: &Captures, rep: &str, hay: &str, named: bool, out: &mut String) {
    let whole = caps.get(0).map_or(0..0, |m| m.range());
    let group = |n: usize| caps.get(n).map_or("", |m| m.as_str());
    let mut rest = rep;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let b = after.as_bytes();
        let digit = |k: usize| {
            b.get(k)
                .filter(|c| c.is_ascii_digit())
                .map(|c| usize::from(c - b'0'))
        };
        let used = match b.first() {
            Some(b'$') => {
                out.push('$');
                1
            }
            Some(b'&') => {
                out.push_str(&hay[whole.clone()]);
                1
            }
            Some(b'`') => {
                out.push_str(&hay[..whole.start]);
                1
            }
            Some(b'\'') => {
                out.push_str(&hay[whole.end..]);
                1
            }
            Some(b'<') if named && after.contains('>') => {
                let close = after.find('>').unwrap_or(0);
                out.push_str(caps.name(&after[1..close]).map_or("", |m| m.as_str()));
                close + 1
            }
            _ => match (digit(0), digit(1)) {
                (Some(a), Some(b2)) if (1..caps.len()).contains(&(a * 10 + b2)) => {
                    out.push_str(group(a * 10 + b2));
                    2
                }
                (Some(a), _) if (1..caps.len()).contains(&a) => {
                    out.push_str(group(a));
                    1
                }
                _ => {
                    out.push('$');
                    0
                }
            },
        };
        rest = &after[used..];
    }
    out.push_str(rest);
}

/// JavaScript's `String.prototype.split(regex, limit)`: captures are spliced in, groups that
/// did not take part give empty strings.
fn js_split(s: &str, re: &Regex, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    if limit == 0 {
        return out;
    }
    if s.is_empty() {
        if !re.is_match(s) {
            out.push(Value::str(s));
        }
        return out;
    }
    let mut locs = re.capture_locations();
    let (mut p, mut q) = (0, 0);
    while q < s.len() {
        let Some(m) = re.captures_read_at(&mut locs, s, q) else {
            break;
        };
        if m.start() >= s.len() {
            break;
        }
        if m.end() == p {
            q = m.start() + s[m.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.push(Value::str(&s[p..m.start()]));
        if out.len() == limit {
            return out;
        }
        for g in 1..locs.len() {
            out.push(Value::str(locs.get(g).map_or("", |(a, b)| &s[a..b])));
            if out.len() == limit {
                return out;
            }
        }
        p = m.end();
        q = p;
    }
    out.push(Value::str(&s[p..]));
    out
}

/// What `display()` shows for text: markdown links by their label, emphasis markers dropped.
pub(super) fn strip_markdown(s: &str) -> String {
    if !s.contains(['[', '*', '_', '~', '=', '`']) {
        return s.to_string();
    }
    const RULES: [(&str, &str); 9] = [
        (r"!?\[\[[^\]|]*\|([^\]]*)\]\]", "$1"),
        (r"!?\[\[([^\]]*)\]\]", "$1"),
        (r"!?\[([^\]]*)\]\([^)]*\)", "$1"),
        (r"\*\*(.+?)\*\*", "$1"),
        (r"__(.+?)__", "$1"),
        (r"~~(.+?)~~", "$1"),
        (r"==(.+?)==", "$1"),
        (r"\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b", "$1$2"),
        (r"`([^`]*)`", "$1"),
    ];
    let mut out = s.to_string();
    for (pat, rep) in RULES {
        if let Ok(re) = regex(pat, false, "display") {
            out = re.replace_all(&out, rep).into_owned();
        }
    }
    out
}

// ----- dates -----

use crate::paths::MONTHS;
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn at(d: Date, h: u8, m: u8, s: u8, ms: u16) -> PrimitiveDateTime {
    PrimitiveDateTime::new(
        d,
        Time::from_hms_milli(h, m, s, ms).unwrap_or(Time::MIDNIGHT),
    )
}

fn end_of_day(d: Date) -> PrimitiveDateTime {
    at(d, 23, 59, 59, 999)
}

/// Resolves a date shorthand (`today`, `sow`, `start-of-month`, ...) or ISO text against `now`.
///
/// `now` is the build time; `today`/`yesterday`/`tomorrow` and the `s*` starts are midnight,
/// the `e*` ends are 23:59:59.999 on the period's last day. Weeks start on Monday (Luxon).
/// ISO forms: `2026-03-04`, `2026-03`, `2026-03-04T10:30[:15[.250]]`, a zone suffix dropped.
pub fn parse_date_arg(s: &str, now: PrimitiveDateTime) -> Option<PrimitiveDateTime> {
    let t = s.trim();
    let today = now.date();
    let midnight = |d: Date| PrimitiveDateTime::new(d, Time::MIDNIGHT);
    let sow = today.saturating_sub(time::Duration::days(i64::from(
        today.weekday().number_days_from_monday(),
    )));
    let som = today.replace_day(1).ok()?;
    let soy = Date::from_calendar_date(today.year(), Month::January, 1).ok()?;
    let d = match t.to_ascii_lowercase().as_str() {
        "now" => now,
        "today" => midnight(today),
        "yesterday" => midnight(today.previous_day()?),
        "tomorrow" => midnight(today.next_day()?),
        "sow" | "start-of-week" => midnight(sow),
        "eow" | "end-of-week" => end_of_day(sow.saturating_add(time::Duration::days(6))),
        "som" | "start-of-month" => midnight(som),
        "eom" | "end-of-month" => end_of_day(som.replace_day(som.month().length(som.year())).ok()?),
        "soy" | "start-of-year" => midnight(soy),
        "eoy" | "end-of-year" => end_of_day(
            soy.replace_month(Month::December)
                .ok()?
                .replace_day(31)
                .ok()?,
        ),
        _ => {
            let t = match (t.find('['), t.ends_with(']')) {
                (Some(i), true) => &t[..i],
                _ => t,
            };
            return super::super::value::parse_datetime(t);
        }
    };
    Some(d)
}

/// Luxon's `parseFormat`: runs of one letter are tokens, `'quoted'` text and whitespace literal.
fn luxon_tokens(fmt: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let (mut cur, mut quoted) = (String::new(), false);
    let flush = |cur: &mut String, quoted: bool, out: &mut Vec<(String, bool)>| {
        if !cur.is_empty() {
            let literal = quoted || cur.chars().all(char::is_whitespace);
            out.push((std::mem::take(cur), literal));
        }
    };
    for c in fmt.chars() {
        if c == '\'' {
            flush(&mut cur, quoted, &mut out);
            quoted = !quoted;
        } else if quoted || cur.ends_with(c) {
            cur.push(c);
        } else {
            flush(&mut cur, quoted, &mut out);
            cur.push(c);
        }
    }
    flush(&mut cur, quoted, &mut out);
    out
}

/// The en-US expansion of Luxon's localized macro tokens (`D`, `DD`, `t`, `f`, ...).
fn macro_format(tok: &str) -> Option<&'static str> {
    Some(match tok {
        "D" => "M/d/yyyy",
        "DD" => "MMM d, yyyy",
        "DDD" => "MMMM d, yyyy",
        "DDDD" => "EEEE, MMMM d, yyyy",
        "t" => "h:mm a",
        "tt" | "ttt" | "tttt" => "h:mm:ss a",
        "T" => "HH:mm",
        "TT" | "TTT" | "TTTT" => "HH:mm:ss",
        "f" => "M/d/yyyy, h:mm a",
        "ff" => "MMM d, yyyy, h:mm a",
        "fff" => "MMMM d, yyyy 'at' h:mm a",
        "ffff" => "EEEE, MMMM d, yyyy 'at' h:mm a",
        "F" => "M/d/yyyy, h:mm:ss a",
        "FF" => "MMM d, yyyy, h:mm:ss a",
        "FFF" => "MMMM d, yyyy 'at' h:mm:ss a",
        "FFFF" => "EEEE, MMMM d, yyyy 'at' h:mm:ss a",
        _ => return None,
    })
}

/// en-US local week (weeks start on Sunday, week 1 holds January 1st): `(week year, week)`.
fn local_week(d: Date) -> (i32, u8) {
    let saturday = d.saturating_add(time::Duration::days(
        6 - i64::from(d.weekday().number_days_from_sunday()),
    ));
    (saturday.year(), ((saturday.ordinal() - 1) / 7 + 1) as u8)
}

/// Formats a date with Luxon tokens (`yyyy-MM-dd`, `MMMM d, yyyy`, `EEE`, `HH:mm`, `'T'`, `WW`,
/// `kkkk`, the `D`/`t`/`f` macros in en-US). Unknown letters are copied, as Luxon does; the
/// zone tokens print UTC (dates carry no zone).
pub fn format_date(d: &PrimitiveDateTime, fmt: &str) -> String {
    let mut out = String::new();
    for (tok, literal) in luxon_tokens(fmt) {
        if literal {
            out.push_str(&tok);
        } else if let Some(m) = macro_format(&tok) {
            out.push_str(&format_date(d, m));
        } else {
            date_token(d, &tok, &mut out);
        }
    }
    out
}

fn date_token(d: &PrimitiveDateTime, tok: &str, out: &mut String) {
    use std::fmt::Write;
    let (y, mo, day) = (d.year(), u8::from(d.month()), d.day());
    let (h, mi, s, ms) = (d.hour(), d.minute(), d.second(), d.millisecond());
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let wd = d.weekday().number_days_from_monday() as usize;
    let (iso_year, iso_week, _) = d.date().to_iso_week_date();
    let unix_ms = (d.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let _ = match tok {
        "S" => write!(out, "{ms}"),
        "SSS" | "u" => write!(out, "{ms:03}"),
        "uu" => write!(out, "{:02}", ms / 10),
        "uuu" => write!(out, "{}", ms / 100),
        "s" => write!(out, "{s}"),
        "ss" => write!(out, "{s:02}"),
        "m" => write!(out, "{mi}"),
        "mm" => write!(out, "{mi:02}"),
        "h" => write!(out, "{h12}"),
        "hh" => write!(out, "{h12:02}"),
        "H" => write!(out, "{h}"),
        "HH" => write!(out, "{h:02}"),
        "Z" => write!(out, "+0"),
        "ZZ" => write!(out, "+00:00"),
        "ZZZ" => write!(out, "+0000"),
        "ZZZZ" | "z" => write!(out, "UTC"),
        "ZZZZZ" => write!(out, "Coordinated Universal Time"),
        "a" => write!(out, "{}", if h < 12 { "AM" } else { "PM" }),
        "d" => write!(out, "{day}"),
        "dd" => write!(out, "{day:02}"),
        "c" | "E" => write!(out, "{}", wd + 1),
        "ccc" | "EEE" => write!(out, "{}", &WEEKDAYS[wd][..3]),
        "cccc" | "EEEE" => write!(out, "{}", WEEKDAYS[wd]),
        "ccccc" | "EEEEE" => write!(out, "{}", &WEEKDAYS[wd][..1]),
        "L" | "M" => write!(out, "{mo}"),
        "LL" | "MM" => write!(out, "{mo:02}"),
        "LLL" | "MMM" => write!(out, "{}", &MONTHS[mo as usize - 1][..3]),
        "LLLL" | "MMMM" => write!(out, "{}", MONTHS[mo as usize - 1]),
        "LLLLL" | "MMMMM" => write!(out, "{}", &MONTHS[mo as usize - 1][..1]),
        "y" => write!(out, "{y}"),
        "yy" => write!(out, "{:02}", y.rem_euclid(100)),
        "yyyy" => write!(out, "{y:04}"),
        "yyyyyy" => write!(out, "{y:06}"),
        "G" => write!(out, "{}", if y > 0 { "AD" } else { "BC" }),
        "GG" => write!(
            out,
            "{}",
            if y > 0 {
                "Anno Domini"
            } else {
                "Before Christ"
            }
        ),
        "GGGGG" => write!(out, "{}", if y > 0 { "A" } else { "B" }),
        "kk" => write!(out, "{:02}", iso_year.rem_euclid(100)),
        "kkkk" => write!(out, "{iso_year:04}"),
        "W" => write!(out, "{iso_week}"),
        "WW" => write!(out, "{iso_week:02}"),
        "n" => write!(out, "{}", local_week(d.date()).1),
        "nn" => write!(out, "{:02}", local_week(d.date()).1),
        "ii" => write!(out, "{:02}", local_week(d.date()).0.rem_euclid(100)),
        "iiii" => write!(out, "{:04}", local_week(d.date()).0),
        "o" => write!(out, "{}", d.ordinal()),
        "ooo" => write!(out, "{:03}", d.ordinal()),
        "q" => write!(out, "{}", (mo - 1) / 3 + 1),
        "qq" => write!(out, "{:02}", (mo - 1) / 3 + 1),
        "X" => write!(out, "{}", unix_ms.div_euclid(1000)),
        "x" => write!(out, "{unix_ms}"),
        _ => write!(out, "{tok}"),
    };
}

/// What a token of a parse format captures.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Year,
    Year2,
    Month,
    MonthName,
    Day,
    Ordinal,
    Hour,
    Hour12,
    Minute,
    Second,
    Milli,
    Meridiem,
    Ignored,
}

/// Luxon's `DateTime.fromFormat` in en-US: the whole text must match; units above the largest
/// one given come from `now`, those below it start at their minimum.
pub(super) fn parse_with_format(
    text: &str,
    fmt: &str,
    now: PrimitiveDateTime,
) -> Result<PrimitiveDateTime, String> {
    let fail = || format!("date(): can't parse '{text}' with format '{fmt}'");
    let months = MONTHS.join("|");
    let short: Vec<&str> = MONTHS.iter().map(|m| &m[..3]).collect();
    let (days, short_days) = (WEEKDAYS.join("|"), WEEKDAYS.map(|d| &d[..3]).join("|"));
    let mut pattern = String::from("^");
    let mut parts = Vec::new();
    let mut tokens = luxon_tokens(fmt);
    let mut i = 0;
    while i < tokens.len() {
        if let (false, Some(m)) = (tokens[i].1, macro_format(&tokens[i].0)) {
            tokens.splice(i..=i, luxon_tokens(m));
            continue;
        }
        let (tok, literal) = &tokens[i];
        i += 1;
        let (re, part): (String, Part) = match tok.as_str() {
            _ if *literal => {
                pattern.push_str(&regex::escape(tok));
                continue;
            }
            "y" => (r"\d{1,6}".into(), Part::Year),
            "yy" => (r"\d{2,4}".into(), Part::Year2),
            "yyyy" => (r"\d{4}".into(), Part::Year),
            "yyyyy" => (r"\d{4,6}".into(), Part::Year),
            "yyyyyy" => (r"\d{6}".into(), Part::Year),
            "M" | "L" | "d" | "H" | "h" | "m" | "s" => {
                let part = match tok.as_str() {
                    "M" | "L" => Part::Month,
                    "d" => Part::Day,
                    "H" => Part::Hour,
                    "h" => Part::Hour12,
                    "m" => Part::Minute,
                    _ => Part::Second,
                };
                (r"\d{1,2}".into(), part)
            }
            "MM" | "LL" => (r"\d{2}".into(), Part::Month),
            "dd" => (r"\d{2}".into(), Part::Day),
            "HH" => (r"\d{2}".into(), Part::Hour),
            "hh" => (r"\d{2}".into(), Part::Hour12),
            "mm" => (r"\d{2}".into(), Part::Minute),
            "ss" => (r"\d{2}".into(), Part::Second),
            "MMM" | "LLL" => (short.join("|"), Part::MonthName),
            "MMMM" | "LLLL" => (months.clone(), Part::MonthName),
            "o" => (r"\d{1,3}".into(), Part::Ordinal),
            "ooo" => (r"\d{3}".into(), Part::Ordinal),
            "S" => (r"\d{1,3}".into(), Part::Milli),
            "SSS" => (r"\d{3}".into(), Part::Milli),
            "a" => ("AM|PM".into(), Part::Meridiem),
            "E" | "c" => (r"\d".into(), Part::Ignored),
            "EEE" | "ccc" => (short_days.clone(), Part::Ignored),
            "EEEE" | "cccc" => (days.clone(), Part::Ignored),
            "Z" | "ZZ" | "ZZZ" => (r"Z|[+-]\d{1,2}(?::?\d{2})?".into(), Part::Ignored),
            "z" => (r"[A-Za-z_+\-/0-9]+".into(), Part::Ignored),
            _ => {
                pattern.push_str(&regex::escape(tok));
                continue;
            }
        };
        pattern.push_str(&format!("({re})"));
        parts.push(part);
    }
    pattern.push('$');
    let re = regex(&pattern, true, "date")?;
    let caps = re.captures(text).ok_or_else(fail)?;
    // year, month, day, hour, minute, second, millisecond
    let mut units: [Option<i64>; 7] = [None; 7];
    let (mut ordinal, mut pm, mut h12) = (None, None, None);
    for (k, part) in parts.iter().enumerate() {
        let raw = caps.get(k + 1).map_or("", |m| m.as_str());
        let n = raw.parse::<i64>().ok();
        match part {
            Part::Year => units[0] = n,
            Part::Year2 => {
                units[0] = n.map(|y| {
                    if y > 99 {
                        y
                    } else if y > 60 {
                        1900 + y
                    } else {
                        2000 + y
                    }
                })
            }
            Part::Month => units[1] = n,
            Part::MonthName => {
                let low = raw.to_lowercase();
                units[1] = MONTHS
                    .iter()
                    .position(|m| m.to_lowercase().starts_with(&low))
                    .map(|i| i as i64 + 1);
            }
            Part::Day => units[2] = n,
            Part::Ordinal => ordinal = n,
            Part::Hour => units[3] = n,
            Part::Hour12 => h12 = n,
            Part::Minute => units[4] = n,
            Part::Second => units[5] = n,
            Part::Milli => units[6] = n,
            Part::Meridiem => pm = Some(raw.eq_ignore_ascii_case("pm")),
            Part::Ignored => {}
        }
    }
    if let Some(h) = h12 {
        units[3] = Some(match pm {
            Some(true) => h % 12 + 12,
            Some(false) => h % 12,
            None => h,
        });
    }
    if ordinal.is_some() {
        units[1] = Some(1);
        units[2] = Some(1);
    }
    let now_units = [
        i64::from(now.year()),
        i64::from(u8::from(now.month())),
        i64::from(now.day()),
        i64::from(now.hour()),
        i64::from(now.minute()),
        i64::from(now.second()),
        i64::from(now.millisecond()),
    ];
    let minimum = [0, 1, 1, 0, 0, 0, 0];
    let first = units.iter().position(Option::is_some).unwrap_or(7);
    let v: Vec<i64> = (0..7)
        .map(|k| units[k].unwrap_or(if k < first { now_units[k] } else { minimum[k] }))
        .collect();
    let month = Month::try_from(u8::try_from(v[1]).map_err(|_| fail())?).map_err(|_| fail())?;
    let mut date = Date::from_calendar_date(
        i32::try_from(v[0]).map_err(|_| fail())?,
        month,
        u8::try_from(v[2]).map_err(|_| fail())?,
    )
    .map_err(|_| fail())?;
    if let Some(o) = ordinal {
        date = Date::from_ordinal_date(date.year(), u16::try_from(o).map_err(|_| fail())?)
            .map_err(|_| fail())?;
    }
    let small = |k: usize| u8::try_from(v[k]).map_err(|_| fail());
    let t = Time::from_hms_milli(
        small(3)?,
        small(4)?,
        small(5)?,
        u16::try_from(v[6]).map_err(|_| fail())?,
    )
    .map_err(|_| fail())?;
    Ok(PrimitiveDateTime::new(date, t))
}

/// Adds whole calendar months, keeping the day (clamped to the month's length), as Luxon does.
pub(super) fn add_months(d: PrimitiveDateTime, months: i64) -> Option<PrimitiveDateTime> {
    let total = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = d.day().min(month.length(year));
    Some(PrimitiveDateTime::new(
        Date::from_calendar_date(year, month, day).ok()?,
        d.time(),
    ))
}

/// `date + duration`: months first, then the exact part.
pub(super) fn add_duration(d: PrimitiveDateTime, dur: Duration) -> Option<PrimitiveDateTime> {
    add_months(d, dur.months)?.checked_add(time::Duration::milliseconds(dur.millis))
}

/// `a - b` as whole months plus the remaining milliseconds.
pub(super) fn date_diff(a: PrimitiveDateTime, b: PrimitiveDateTime) -> Duration {
    if a < b {
        return date_diff(b, a).negated();
    }
    let mut months = (i64::from(a.year()) - i64::from(b.year())) * 12
        + i64::from(u8::from(a.month()))
        - i64::from(u8::from(b.month()));
    while months > 0 && add_months(b, months).is_none_or(|x| x > a) {
        months -= 1;
    }
    let base = add_months(b, months).unwrap_or(b);
    Duration {
        months,
        millis: (a - base).whole_milliseconds() as i64,
    }
}

// ----- durations -----

const MS: [(char, f64); 6] = [
    ('w', 604_800_000.0),
    ('d', 86_400_000.0),
    ('h', 3_600_000.0),
    ('m', 60_000.0),
    ('s', 1000.0),
    ('S', 1.0),
];

/// A duration from an amount of one unit; fractional months spill into days (30 a month).
pub(super) fn scaled(months: f64, millis: f64) -> Duration {
    let whole = months.trunc();
    Duration {
        months: whole as i64,
        millis: (millis + (months - whole) * 30.0 * 86_400_000.0).round() as i64,
    }
}

/// Parses `1 week`, `4hr2min`, `2 years, 3 months`, `1.5 days` (Dataview's units).
pub(super) fn parse_duration(s: &str) -> Option<Duration> {
    const UNITS: [(&str, char); 31] = [
        ("minutes", 'm'),
        ("seconds", 's'),
        ("minute", 'm'),
        ("months", 'M'),
        ("second", 's'),
        ("years", 'y'),
        ("month", 'M'),
        ("weeks", 'w'),
        ("hours", 'h'),
        ("year", 'y'),
        ("week", 'w'),
        ("days", 'd'),
        ("hour", 'h'),
        ("mins", 'm'),
        ("secs", 's'),
        ("yrs", 'y'),
        ("mos", 'M'),
        ("wks", 'w'),
        ("hrs", 'h'),
        ("day", 'd'),
        ("min", 'm'),
        ("sec", 's'),
        ("yr", 'y'),
        ("mo", 'M'),
        ("wk", 'w'),
        ("hr", 'h'),
        ("w", 'w'),
        ("d", 'd'),
        ("h", 'h'),
        ("m", 'm'),
        ("s", 's'),
    ];
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = Duration::default();
    let mut first = true;
    while !rest.is_empty() {
        if !first {
            rest = rest.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        }
        first = false;
        let neg = rest.starts_with('-');
        let body = &rest[usize::from(neg)..];
        let int = body.bytes().take_while(u8::is_ascii_digit).count();
        if int == 0 {
            return None;
        }
        let mut len = int;
        let b = body.as_bytes();
        if b.get(int) == Some(&b'.') && b.get(int + 1).is_some_and(u8::is_ascii_digit) {
            len += 1 + body[int + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
        }
        let n: f64 = body[..len].parse().ok()?;
        let n = if neg { -n } else { n };
        let after = body[len..].trim_start();
        let lower = after.to_ascii_lowercase();
        let (word, unit) = UNITS.iter().find(|(w, _)| lower.starts_with(w))?;
        rest = &after[word.len()..];
        let one = match unit {
            'y' => scaled(n * 12.0, 0.0),
            'M' => scaled(n, 0.0),
            u => scaled(
                0.0,
                n * MS.iter().find(|(c, _)| c == u).map_or(0.0, |x| x.1),
            ),
        };
        total = Duration {
            months: total.months + one.months,
            millis: total.millis + one.millis,
        };
    }
    Some(total)
}

/// Luxon's casual conversion: how many `small` units make one `big` unit
/// (indexes into `y M w d h m s S`).
fn casual(big: usize, small: usize) -> f64 {
    const DAYS: [f64; 4] = [365.0, 30.0, 7.0, 1.0];
    match (big, small) {
        (0, 1) => 12.0,
        (0, 2) => 52.0,
        (1, 2) => 4.0,
        (b, s) if b < 4 && s < 4 => DAYS[b] / DAYS[s],
        (b, s) => {
            let ms = |u: usize| {
                if u < 4 {
                    DAYS[u] * 86_400_000.0
                } else {
                    MS[u - 2].1
                }
            };
            ms(b) / ms(s)
        }
    }
}

/// Formats a duration with Luxon's `Duration.toFormat` tokens `y M w d h m s S` (repeats pad
/// with zeros, `'quoted'` text is literal): the value is shifted into exactly the units the
/// format uses, larger ones carried down and overflow rolled up, the last unit floored.
pub(super) fn format_duration(d: &Duration, fmt: &str) -> String {
    const ORDER: [char; 8] = ['y', 'M', 'w', 'd', 'h', 'm', 's', 'S'];
    let tokens = luxon_tokens(fmt);
    let wanted: Vec<bool> = ORDER
        .iter()
        .map(|c| tokens.iter().any(|(t, lit)| !lit && t.starts_with(*c)))
        .collect();
    let sign = if d.approx_millis() < 0 { -1.0 } else { 1.0 };
    let mut src = [0.0; 8];
    let (months, mut ms) = (d.months as f64 * sign, d.millis as f64 * sign);
    src[0] = (months / 12.0).trunc();
    src[1] = months - src[0] * 12.0;
    for (k, (_, size)) in MS.iter().enumerate().skip(1) {
        src[k + 2] = (ms / size).trunc();
        ms -= src[k + 2] * size;
    }
    // shiftTo: carry units the format lacks down into the next unit it has.
    let mut built = [0.0; 8];
    let mut carried: Vec<(usize, f64)> = Vec::new();
    let mut last = None;
    for k in 0..8 {
        if wanted[k] {
            let own: f64 = carried
                .drain(..)
                .map(|(u, v)| v * casual(u, k))
                .sum::<f64>()
                + src[k];
            built[k] = own.trunc();
            carried.push((k, own - own.trunc()));
            last = Some(k);
        } else if src[k] != 0.0 {
            carried.push((k, src[k]));
        }
    }
    let Some(last) = last else {
        return tokens.into_iter().map(|(t, _)| t).collect();
    };
    for (u, v) in carried {
        built[last] += if u == last { v } else { v / casual(last, u) };
    }
    // normalize: roll overflow up into the next larger unit the format has.
    let mut prev: Option<usize> = None;
    for k in (0..8).rev().filter(|&k| wanted[k]) {
        if let Some(p) = prev {
            let conv = casual(k, p);
            let up = (built[p] / conv).floor();
            built[k] += up;
            built[p] -= up * conv;
        }
        prev = Some(k);
    }
    let mut out = String::new();
    for (tok, literal) in tokens {
        match ORDER.iter().position(|c| tok.starts_with(*c)) {
            Some(k) if !literal => {
                let v = (built[k] * sign).floor() as i64;
                let digits = format!("{:0w$}", v.unsigned_abs(), w = tok.chars().count());
                out.push_str(if v < 0 { "-" } else { "" });
                out.push_str(&digits);
            }
            _ => out.push_str(&tok),
        }
    }
    out
}

// ----- numbers -----

/// JavaScript's `Number.prototype.toFixed`: rounds the exact binary value, ties away from zero.
pub(super) fn to_fixed(x: f64, digits: usize) -> String {
    if !x.is_finite() || x.abs() >= 1e21 {
        return super::super::value::format_number(x);
    }
    let s = format!("{:.*}", digits + 30, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut kept: Vec<u8> = int.bytes().chain(frac.bytes().take(digits)).collect();
    if frac.as_bytes().get(digits).is_some_and(|&c| c >= b'5') {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let split = kept.len() - digits;
    let mut out = String::from(if x < 0.0 && kept.iter().any(|&c| c != b'0') {
        "-"
    } else {
        ""
    });
    out.push_str(std::str::from_utf8(&kept[..split]).unwrap_or("0"));
    if digits > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&kept[split..]).unwrap_or(""));
    }
    out
}

/// `Intl.NumberFormat("en-US", {style: "currency", currency})`: `$1,234.50`, `€5.00`, `¥1,235`,
/// other codes as `CHF 12.00` (no-break space).
fn currency(n: f64, code: &str) -> Result<String, String> {
    if code.len() != 3 || !code.bytes().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!(
            "currencyformat(): '{code}' is not an ISO 4217 currency code (like USD or EUR)"
        ));
    }
    let code = code.to_ascii_uppercase();
    let symbol = match code.as_str() {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "ILS" => "₪",
        "VND" => "₫",
        "PHP" => "₱",
        "CNY" => "CN¥",
        "CAD" => "CA$",
        "AUD" => "A$",
        "NZD" => "NZ$",
        "HKD" => "HK$",
        "MXN" => "MX$",
        "BRL" => "R$",
        "TWD" => "NT$",
        _ => "",
    };
    let decimals = match code.as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "PYG" | "XAF" | "XOF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    };
    let fixed = to_fixed(n, decimals);
    let (neg, digits) = match fixed.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, fixed.as_str()),
    };
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped = format!("{grouped}.{f}");
    }
    let prefix = if symbol.is_empty() {
        format!("{code}\u{a0}")
    } else {
        symbol.to_string()
    };
    Ok(format!("{}{prefix}{grouped}", if neg { "-" } else { "" }))
}

/// Dataview's `hash`: cyrb53 (bryc, public domain) over the UTF-16 code units, seeded.
pub(super) fn cyrb53(s: &str, seed: f64) -> f64 {
    let seed = if seed.is_finite() {
        (seed.trunc() as i64) as u32
    } else {
        0
    };
    let (mut h1, mut h2) = (0xdeadbeef_u32 ^ seed, 0x41c6ce57_u32 ^ seed);
    for ch in s.encode_utf16() {
        h1 = (h1 ^ u32::from(ch)).wrapping_mul(2654435761);
        h2 = (h2 ^ u32::from(ch)).wrapping_mul(1597334677);
    }
    h1 = (h1 ^ (h1 >> 16)).wrapping_mul(2246822507);
    h1 ^= (h2 ^ (h2 >> 13)).wrapping_mul(3266489909);
    h2 = (h2 ^ (h2 >> 16)).wrapping_mul(2246822507);
    h2 ^= (h1 ^ (h1 >> 13)).wrapping_mul(3266489909);
    4294967296.0 * f64::from(2097151 & h2) + f64::from(h1)
}
