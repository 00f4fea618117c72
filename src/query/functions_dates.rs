//! The date half of the function library: `date()` (ISO text, shorthands like `today` or `eom`,
//! Luxon parse formats), Luxon date formatting, date arithmetic and durations (`dur`,
//! `durationformat`). Declared from `functions.rs`.

use time::{Date, Month, PrimitiveDateTime, Time};

use super::text::{first_number, regex};
use super::{expects, opt, take, Duration, Env, Res, Value};
use crate::paths::MONTHS;

/// The date and duration functions: `date`, `dur`, `dateformat` and `durationformat`.
pub(super) fn call(name: &str, args: Vec<Value>, env: &mut dyn Env) -> Res {
    match name {
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

// ----- dates -----

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
