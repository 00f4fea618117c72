//! The text half of the function library: strings, regular expressions and number formatting
//! (the date functions live in `functions_dates.rs`). Declared from `functions.rs`.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Captures, Regex, RegexBuilder};

use super::{expects, opt, take, Env, Res, Value};

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

/// The string, regex and formatting functions, passing the date ones on to [`super::dates`];
/// anything else is unknown.
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
        "date" | "dur" | "dateformat" | "durationformat" => super::dates::call(name, args, env),
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
