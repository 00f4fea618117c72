//! Dates in Tasks queries: the plugin hands them to the `chrono` natural-language parser; this
//! module implements the subset that queries use in practice, against a caller-supplied
//! `today` (the clock is never read).
//!
//! - Single dates ([`parse_natural_date`]): `2026-05-25`, `25th May 2026`, `May 25, 2026`,
//!   `14 October` (current year), `May` (the 1st, current year), `today`, `tomorrow`,
//!   `yesterday`, `monday` (the closest Monday, as chrono), `this|next|last monday`,
//!   `next|last week|month|quarter|year` (one unit from today), `in 3 days`, `in two weeks`,
//!   `14 days ago`, `a month ago`, `2 weeks from now`. Numbers are digits or the words
//!   `a`/`an`, `one` … `twelve`.
//! - Ranges ([`parse_date_range`]): `(last|this|next) (week|month|quarter|year)` (weeks run
//!   Monday to Sunday, as in Tasks), numbered ranges `2026-W05`, `2026-03`, `2026-Q1`, `2026`,
//!   two absolute dates `2026-01-01 2026-02-01` (in either order), and any single date.
//!
//! `next monday` is the Monday of next week (Monday-based weeks), which is what current
//! chrono returns on every weekday; `last monday` is the latest Monday strictly before today.

use time::{Date, Duration, Month, Weekday};

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day.
    pub start: Date,
    /// Last day (equal to `start` for a single date).
    pub end: Date,
}

impl DateRange {
    /// A range of one day.
    pub fn day(d: Date) -> Self {
        DateRange { start: d, end: d }
    }
}

const MONTHS: [(&str, u8); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: [(&str, Weekday); 17] = [
    ("monday", Weekday::Monday),
    ("mon", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("tue", Weekday::Tuesday),
    ("tues", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("wed", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("thu", Weekday::Thursday),
    ("thur", Weekday::Thursday),
    ("thurs", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("fri", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sat", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
    ("sun", Weekday::Sunday),
];

const NUMBER_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

fn month(tok: &str) -> Option<u8> {
    let t = tok.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == t).map(|(_, m)| *m)
}

fn weekday(tok: &str) -> Option<Weekday> {
    let t = tok.trim_end_matches('.');
    WEEKDAYS.iter().find(|(n, _)| *n == t).map(|(_, w)| *w)
}

fn number(tok: &str) -> Option<i64> {
    if !tok.is_empty() && tok.len() <= 5 && tok.bytes().all(|b| b.is_ascii_digit()) {
        return tok.parse().ok();
    }
    if tok == "a" || tok == "an" {
        return Some(1);
    }
    NUMBER_WORDS
        .iter()
        .position(|w| *w == tok)
        .map(|i| i as i64 + 1)
}

fn unit(tok: &str) -> Option<Unit> {
    match tok {
        "day" | "days" => Some(Unit::Day),
        "week" | "weeks" => Some(Unit::Week),
        "month" | "months" => Some(Unit::Month),
        "quarter" | "quarters" => Some(Unit::Quarter),
        "year" | "years" => Some(Unit::Year),
        _ => None,
    }
}

/// Adds whole months, clamping the day to the target month's length (Jan 31 + 1 month =
/// Feb 28/29), as moment.js does.
pub fn add_months(d: Date, months: i64) -> Option<Date> {
    let total = d.year() as i64 * 12 + (u8::from(d.month()) as i64 - 1) + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let m = Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?;
    let day = d.day().min(m.length(year));
    Date::from_calendar_date(year, m, day).ok()
}

fn shift(d: Date, n: i64, u: Unit) -> Option<Date> {
    match u {
        Unit::Day => d.checked_add(Duration::days(n)),
        Unit::Week => d.checked_add(Duration::weeks(n)),
        Unit::Month => add_months(d, n),
        Unit::Quarter => add_months(d, n * 3),
        Unit::Year => add_months(d, n * 12),
    }
}

fn days_forward(today: Date, w: Weekday) -> i64 {
    (w.number_days_from_monday() as i64 - today.weekday().number_days_from_monday() as i64)
        .rem_euclid(7)
}

/// The weekday relative to `today`: `None` = the closest (chrono's rule for a bare weekday),
/// `this` = today or later this week, `next` = in next (Monday-based) week, `last` = the
/// latest one strictly before today.
fn at_weekday(today: Date, w: Weekday, modifier: Option<&str>) -> Option<Date> {
    let fwd = days_forward(today, w);
    let back = if fwd == 0 { -7 } else { fwd - 7 };
    let n = match modifier {
        None => {
            if fwd < -back {
                fwd
            } else {
                back
            }
        }
        Some("this") => fwd,
        Some("next") => {
            let monday_next = 7 - today.weekday().number_days_from_monday() as i64;
            monday_next + w.number_days_from_monday() as i64
        }
        Some(_) => back,
    };
    today.checked_add(Duration::days(n))
}

/// Normalises phrase text: lower case, commas as spaces.
fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(',', " ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Parses a single date phrase relative to `today`. `None` when the text is not understood.
pub fn parse_natural_date(text: &str, today: Date) -> Option<Date> {
    let toks = tokens(text);
    let t: Vec<&str> = toks.iter().map(String::as_str).collect();
    natural(&t, today)
}

fn natural(t: &[&str], today: Date) -> Option<Date> {
    let t = match t {
        ["on", rest @ ..] if !rest.is_empty() => rest,
        _ => t,
    };
    match t {
        ["today"] | ["now"] => Some(today),
        ["tomorrow"] => shift(today, 1, Unit::Day),
        ["yesterday"] => shift(today, -1, Unit::Day),
        ["the", "day", "after", "tomorrow"] | ["day", "after", "tomorrow"] => {
            shift(today, 2, Unit::Day)
        }
        ["the", "day", "before", "yesterday"] | ["day", "before", "yesterday"] => {
            shift(today, -2, Unit::Day)
        }
        [w] if weekday(w).is_some() => at_weekday(today, weekday(w)?, None),
        [m @ ("this" | "next" | "last" | "past"), w] if weekday(w).is_some() => {
            at_weekday(today, weekday(w)?, Some(m))
        }
        [m @ ("this" | "next" | "last" | "past"), u] if unit(u).is_some() => {
            let n = match *m {
                "this" => 0,
                "next" => 1,
                _ => -1,
            };
            shift(today, n, unit(u)?)
        }
        ["in", n, u] | ["within", n, u] => shift(today, number(n)?, unit(u)?),
        [n, u, "ago"] | [n, u, "before"] => shift(today, -number(n)?, unit(u)?),
        [n, u, "from", "now"] | [n, u, "later"] | [n, u, "after"] | [n, u, "hence"] => {
            shift(today, number(n)?, unit(u)?)
        }
        _ => absolute(t, today.year()),
    }
}

/// Parses `YYYY-MM-DD` (optionally followed by a time) strictly.
pub fn parse_iso(tok: &str) -> Option<Date> {
    let b = tok.as_bytes();
    if b.len() < 10 || !(b.len() == 10 || b[10] == b'T' || b[10] == b't') {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    Date::from_calendar_date(y as i32, Month::try_from(m as u8).ok()?, d as u8).ok()
}

fn day_of_month(tok: &str) -> Option<u8> {
    let t = tok
        .strip_suffix("st")
        .or_else(|| tok.strip_suffix("nd"))
        .or_else(|| tok.strip_suffix("rd"))
        .or_else(|| tok.strip_suffix("th"))
        .unwrap_or(tok);
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = t.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(tok: &str) -> Option<i32> {
    (tok.len() == 4 && tok.bytes().all(|b| b.is_ascii_digit()))
        .then(|| tok.parse().ok())
        .flatten()
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// An absolute date written with digits or month names; a missing year is `default_year`.
fn absolute(t: &[&str], default_year: i32) -> Option<Date> {
    let mut t: Vec<&str> = t
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "the" | "of"))
        .collect();
    if t.len() > 1 && weekday(t[0]).is_some() {
        t.remove(0);
    }
    match t.as_slice() {
        [one] => parse_iso(one).or_else(|| ymd(default_year, month(one)?, 1)),
        [a, b] => {
            if let (Some(d), Some(m)) = (day_of_month(a), month(b)) {
                ymd(default_year, m, d)
            } else if let (Some(m), Some(d)) = (month(a), day_of_month(b)) {
                ymd(default_year, m, d)
            } else {
                ymd(year(b)?, month(a)?, 1)
            }
        }
        [a, b, c] => {
            let y = year(c)?;
            if let (Some(d), Some(m)) = (day_of_month(a), month(b)) {
                ymd(y, m, d)
            } else {
                ymd(y, month(a)?, day_of_month(b)?)
            }
        }
        _ => None,
    }
}

/// The Monday starting the week of `d`.
pub fn week_start(d: Date) -> Date {
    d - Duration::days(d.weekday().number_days_from_monday() as i64)
}

fn unit_range(today: Date, u: Unit, offset: i64) -> Option<DateRange> {
    let (start, len_months) = match u {
        Unit::Day => return shift(today, offset, Unit::Day).map(DateRange::day),
        Unit::Week => {
            let s = week_start(today).checked_add(Duration::weeks(offset))?;
            return Some(DateRange {
                start: s,
                end: s + Duration::days(6),
            });
        }
        Unit::Month => (ymd(today.year(), u8::from(today.month()), 1)?, 1),
        Unit::Quarter => {
            let q0 = (u8::from(today.month()) - 1) / 3 * 3 + 1;
            (ymd(today.year(), q0, 1)?, 3)
        }
        Unit::Year => (ymd(today.year(), 1, 1)?, 12),
    };
    let start = add_months(start, offset * len_months)?;
    let end = add_months(start, len_months)? - Duration::days(1);
    Some(DateRange { start, end })
}

/// `(last|this|next) (week|month|quarter|year)` anywhere in the text (as Tasks' unanchored
/// regex: `next weekend` reads as `next week`).
fn relative_range(t: &[&str], today: Date) -> Option<DateRange> {
    for w in t.windows(2) {
        let off = match w[0] {
            "last" => -1,
            "this" => 0,
            "next" => 1,
            _ => continue,
        };
        for (name, u) in [
            ("week", Unit::Week),
            ("month", Unit::Month),
            ("quarter", Unit::Quarter),
            ("year", Unit::Year),
        ] {
            if w[1].starts_with(name) {
                return unit_range(today, u, off);
            }
        }
    }
    None
}

/// `YYYY`, `YYYY-Qq`, `YYYY-MM`, `YYYY-Www`. `Some(None)` for a numbered range that does not
/// exist (`2023-Q5`, `2017-13`, `2018-W53`).
fn numbered_range(s: &str) -> Option<Option<DateRange>> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() < 4 || !digits(0..4) {
        return None;
    }
    let y: i32 = s[..4].parse().ok()?;
    let year_range = |u: Unit, n: i64| -> Option<DateRange> {
        let jan1 = ymd(y, 1, 1)?;
        let start = shift(jan1, n, u)?;
        let end = shift(start, 1, u)? - Duration::days(1);
        Some(DateRange { start, end })
    };
    match b.len() {
        4 => Some(year_range(Unit::Year, 0)),
        7 if b[4] == b'-' && (b[5] == b'q' || b[5] == b'Q') && digits(6..7) => {
            let q = (b[6] - b'0') as i64;
            Some(if (1..=4).contains(&q) {
                year_range(Unit::Quarter, q - 1)
            } else {
                None
            })
        }
        7 if b[4] == b'-' && digits(5..7) => {
            let m: i64 = s[5..7].parse().ok()?;
            Some(if (1..=12).contains(&m) {
                year_range(Unit::Month, m - 1)
            } else {
                None
            })
        }
        8 if b[4] == b'-' && (b[5] == b'w' || b[5] == b'W') && digits(6..8) => {
            let w: u8 = s[6..8].parse().ok()?;
            Some(
                Date::from_iso_week_date(y, w, Weekday::Monday)
                    .ok()
                    .map(|start| DateRange {
                        start,
                        end: start + Duration::days(6),
                    }),
            )
        }
        _ => None,
    }
}

/// Parses a date range (see the module docs) relative to `today`; a single date gives a
/// one-day range. `None` when the text is not understood.
pub fn parse_date_range(text: &str, today: Date) -> Option<DateRange> {
    let toks = tokens(text);
    let t: Vec<&str> = toks.iter().map(String::as_str).collect();
    if t.is_empty() {
        return None;
    }
    if let Some(r) = relative_range(&t, today) {
        return Some(r);
    }
    if t.len() == 1 {
        if let Some(r) = numbered_range(t[0]) {
            return r;
        }
    }
    if t.len() >= 2 {
        // Two `YYYY-MM-DD` values: an invalid one is ignored, as in Tasks.
        let iso_shaped = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-';
        if t.len() == 2 && iso_shaped(t[0]) && iso_shaped(t[1]) {
            return match (parse_iso(t[0]), parse_iso(t[1])) {
                (Some(a), Some(b)) => Some(DateRange {
                    start: a.min(b),
                    end: a.max(b),
                }),
                (Some(a), None) | (None, Some(a)) => Some(DateRange::day(a)),
                (None, None) => None,
            };
        }
        for k in 1..t.len() {
            if let (Some(a), Some(b)) = (
                absolute(&t[..k], today.year()),
                absolute(&t[k..], today.year()),
            ) {
                return Some(DateRange {
                    start: a.min(b),
                    end: a.max(b),
                });
            }
        }
    }
    natural(&t, today).map(DateRange::day)
}

/// English weekday name.
pub fn weekday_name(d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn month_name(m: Month) -> &'static str {
    MONTHS[u8::from(m) as usize - 1].0
}

fn ordinal(n: u8) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `2024-01-02 (Tuesday 2nd January 2024)`, the plugin's explanation format.
pub fn describe(d: Date) -> String {
    let m = month_name(d.month());
    let mut cap = m.to_string();
    cap[..1].make_ascii_uppercase();
    format!(
        "{} ({} {} {} {})",
        crate::paths::format_date(d),
        weekday_name(d),
        ordinal(d.day()),
        cap,
        d.year()
    )
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
