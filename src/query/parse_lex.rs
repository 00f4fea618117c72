//! The query lexer: character-level scanners (numbers, strings, `[[links]]`, dates and
//! durations, shared with the `date(…)`/`dur(…)` literals and inline field values), the tokens
//! and the [`Parser`] methods that read them on demand. Declared from `parse.rs`.

use super::super::ast::BinOp;
use super::super::value::{Duration, Link};
use super::{Parser, R};

/// Words that start a clause and cannot be bare field names (`row.where` still works).
const KEYWORDS: [&str; 6] = ["FROM", "WHERE", "SORT", "GROUP", "FLATTEN", "LIMIT"];
/// Duration unit names (case-sensitive, longest match wins) and milliseconds per unit; years
/// and months count calendar months instead.
const UNITS: [(&str, f64); 7] = [
    ("years year yrs yr", 0.0),
    ("months month mos mo", 0.0),
    ("weeks week wks wk w", 604_800_000.0),
    ("days day d", 86_400_000.0),
    ("hours hour hrs hr h", 3_600_000.0),
    ("minutes minute mins min m", 60_000.0),
    ("seconds second secs sec s", 1000.0),
];
/// Operators and punctuation, two-character ones first.
const SYMBOLS: &str = "!= <= >= => ( ) [ ] { } , . : + - * / % = < > & | ! #";

// Character-level scanners, shared by the lexer, the `date(…)`/`dur(…)` literals and field values.

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2300..=0x23FF | 0x2600..=0x27BF | 0x2B00..=0x2BFF
        | 0xFE0F | 0x200D | 0x20E3 | 0xE0020..=0xE007F)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || is_emoji(c)
}

pub(super) fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/') || is_emoji(c)
}

/// `-?[0-9]+(\.[0-9]+)?` at the start of `s`.
pub(super) fn scan_number(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let sign = usize::from(b.first() == Some(&b'-'));
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut end = sign + digits(sign);
    if end == sign {
        return None;
    }
    if b.get(end) == Some(&b'.') && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    Some((s[..end].parse().unwrap_or(0.0), end))
}

/// A `"…"` string at the start of `s`: its text (`\"`, `\\`, `\n`, `\t` decoded, other escapes
/// kept as written so regexes like `"\d+"` survive) and its length; `None` when unclosed.
pub(super) fn scan_string(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.strip_prefix('"')?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 2)),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                e @ ('"' | '\\') => out.push(e),
                e => out.extend(['\\', e]),
            },
            c => out.push(c),
        }
    }
    None
}

/// The text of a string token (which the lexer has checked is closed).
pub(super) fn unquote(raw: &str) -> String {
    scan_string(raw).map(|(s, _)| s).unwrap_or_default()
}

/// `[[inner]]` (no brackets inside) at the start of `s`: the inner text and the total length.
pub(super) fn link_at(s: &str) -> Option<(&str, usize)> {
    let body = s.strip_prefix("[[")?;
    let close = body.find(['[', ']'])?;
    body[close..]
        .starts_with("]]")
        .then(|| (&body[..close], close + 4))
}

/// The inside of `[[…]]` as a link: `path#subpath|display`, `\|` being an escaped pipe.
pub(super) fn parse_link(inner: &str, embed: bool) -> Link {
    let mut pipe = None;
    let mut prev = '\0';
    for (i, c) in inner.char_indices() {
        if c == '|' && prev != '\\' {
            pipe = Some(i);
            break;
        }
        prev = c;
    }
    let (target, display) = match pipe {
        Some(i) => (&inner[..i], Some(&inner[i + 1..])),
        None => (inner, None),
    };
    let target = target.replace("\\|", "|");
    let (path, subpath) = match target.split_once('#') {
        Some((p, s)) => (p, Some(s)),
        None => (target.as_str(), None),
    };
    let some = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let (display, subpath) = (some(display), some(subpath));
    let path = path.trim().to_string();
    Link {
        path,
        display,
        subpath,
        embed,
        note: None,
    }
}

/// `YYYY-MM[-DD[THH[:mm[:ss[.SSS]]]]][Z|±hh[:mm]|[zone]]` at the start of `s`: the length of the
/// date-time part and the length including the zone.
pub(super) fn scan_date(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let digits = |i: usize, n: usize| {
        b.get(i..i + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0, 4) && at(4, b'-') && digits(5, 2)) {
        return None;
    }
    let mut i = 7;
    for sep in [b'-', b'T', b':', b':'] {
        if !(at(i, sep) && digits(i + 1, 2)) {
            break;
        }
        i += 3;
    }
    if i == 19 && at(i, b'.') && digits(i + 1, 3) {
        i += 4;
    }
    let mut end = i;
    if i >= 13 {
        let run =
            |from: usize, ok: fn(&u8) -> bool| b[from..].iter().take_while(|&c| ok(c)).count();
        if at(i, b'Z') {
            end += 1;
        } else if (at(i, b'+') || at(i, b'-')) && digits(i + 1, 1) {
            end = i + 1 + run(i + 1, u8::is_ascii_digit).min(2);
            if at(end, b':') && digits(end + 1, 2) {
                end += 3;
            }
        } else if at(i, b'[') {
            let n = run(i + 1, |c| c.is_ascii_alphanumeric() || b"+-/_".contains(c));
            if n > 0 && at(i + 1 + n, b']') {
                end = i + n + 2;
            }
        }
    }
    Some((i, end))
}

/// A duration like `1 day`, `4hr2min`, `2 years, 3 months` at the start of `s`.
pub(super) fn scan_duration(s: &str) -> Option<(Duration, usize)> {
    let (mut months, mut millis) = (0.0f64, 0.0f64);
    let (mut i, mut end) = (0, None);
    while let Some((n, len)) = scan_number(&s[i..]) {
        let rest = s[i + len..].trim_start();
        let unit = UNITS
            .iter()
            .flat_map(|&(names, ms)| names.split(' ').map(move |name| (name, ms)))
            .filter(|(name, _)| rest.starts_with(name))
            .max_by_key(|(name, _)| name.len());
        let Some((name, ms)) = unit else { break };
        match name.as_bytes()[0] {
            b'y' => months += 12.0 * n,
            _ if ms == 0.0 => months += n,
            _ => millis += n * ms,
        }
        let after = s.len() - rest.len() + name.len();
        end = Some(after);
        let sep = s[after..].trim_start();
        i = s.len() - sep.strip_prefix(',').map_or(sep, str::trim_start).len();
    }
    let whole = months.trunc();
    millis += (months - whole) * 30.0 * 86_400_000.0;
    let d = Duration {
        months: whole as i64,
        millis: millis.round() as i64,
    };
    end.map(|e| (d, e))
}

// Lexer

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    Ident(&'a str),
    Num(f64),
    /// A closed string as written, quotes included.
    Str(&'a str),
    /// A tag without its `#`.
    Tag(&'a str),
    /// `[[inner]]`, and whether it had a leading `!`.
    Link(&'a str, bool),
    Sym(&'a str),
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub(super) tok: Tok<'a>,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn describe(t: Tok) -> String {
    match t {
        Tok::Ident(s) | Tok::Sym(s) => format!("\"{s}\""),
        Tok::Num(n) => format!("the number {}", super::super::value::format_number(n)),
        Tok::Str(s) => format!("the string {s}"),
        Tok::Tag(s) => format!("the tag #{s}"),
        Tok::Link(s, e) => format!("the link {}[[{s}]]", if e { "!" } else { "" }),
        Tok::Eof => "the end of the query".into(),
    }
}

pub(super) fn is_word(t: Tok, w: &str) -> bool {
    matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(w))
}

pub(super) fn keyword(t: Tok) -> Option<&'static str> {
    KEYWORDS.into_iter().find(|k| is_word(t, k))
}

/// The operator and its precedence: 0 `and or & |`, 1 comparisons, 2 `+ -`, 3 `* / %`.
pub(super) fn binop(t: Tok) -> Option<(BinOp, u8)> {
    use BinOp::*;
    const NAMES: &str = "and & or | = != < <= > >= + - * / %";
    const OPS: [BinOp; 15] = [
        And, And, Or, Or, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod,
    ];
    const LEVELS: [u8; 15] = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3];
    let (Tok::Sym(s) | Tok::Ident(s)) = t else {
        return None;
    };
    let i = NAMES.split(' ').position(|n| n.eq_ignore_ascii_case(s))?;
    Some((OPS[i], LEVELS[i]))
}

// Reading tokens

impl<'a> Parser<'a> {
    /// Skips whitespace and `//` comments from `i`.
    pub(super) fn skip_ws(&self, mut i: usize) -> usize {
        loop {
            i = self.skip_spaces(i);
            if !self.src[i..].starts_with("//") {
                return i;
            }
            i += self.src[i..].find('\n').unwrap_or(self.src.len() - i);
        }
    }

    pub(super) fn skip_spaces(&self, i: usize) -> usize {
        self.src.len() - self.src[i..].trim_start().len()
    }

    /// The token starting exactly at `start`.
    pub(super) fn lex_at(&self, start: usize) -> R<Token<'a>> {
        let rest = &self.src[start..];
        let tok = |tok, len: usize| {
            Ok(Token {
                tok,
                start,
                end: start + len,
            })
        };
        let Some(c) = rest.chars().next() else {
            return tok(Tok::Eof, 0);
        };
        if c == '"' {
            return match scan_string(rest) {
                Some((_, len)) => tok(Tok::Str(&rest[..len]), len),
                None => Err(self.err(start, "unclosed string".into(), "add the closing \"")),
            };
        }
        if let Some(body) = rest.strip_prefix('#') {
            let tag = body.len() - body.trim_start_matches(is_tag_char).len();
            if tag > 0 {
                return tok(Tok::Tag(&body[..tag]), tag + 1);
            }
        }
        let embed = usize::from(c == '!');
        if let Some((inner, len)) = link_at(&rest[embed..]) {
            return tok(Tok::Link(inner, embed == 1), len + embed);
        }
        if c.is_ascii_digit() {
            let (n, len) = scan_number(rest).unwrap_or((0.0, 1));
            return tok(Tok::Num(n), len);
        }
        if c.is_alphabetic() || is_emoji(c) {
            let len = rest.len() - rest.trim_start_matches(is_ident_char).len();
            return tok(Tok::Ident(&rest[..len]), len);
        }
        for (bad, good) in [("==", "="), ("&&", "and"), ("||", "or")] {
            if rest.starts_with(bad) {
                let message = format!("\"{bad}\" is not a Dataview operator");
                return Err(self.err(start, message, format!("write {good} instead")));
            }
        }
        if let Some(s) = SYMBOLS.split(' ').find(|s| rest.starts_with(s)) {
            return tok(Tok::Sym(&rest[..s.len()]), s.len());
        }
        let hint = match c {
            '\'' => "strings use double quotes: \"text\"",
            _ => "remove it, or put it inside a \"string\"",
        };
        Err(self.err(start, format!("unexpected character '{c}'"), hint))
    }

    pub(super) fn peek(&self) -> R<Token<'a>> {
        self.lex_at(self.skip_ws(self.pos))
    }

    pub(super) fn bump(&mut self) -> R<Token<'a>> {
        let t = self.peek()?;
        self.pos = t.end;
        Ok(t)
    }

    /// Consumes the symbol `sym` if it is next.
    pub(super) fn eat(&mut self, sym: &str) -> R<bool> {
        let t = self.peek()?;
        let hit = t.tok == Tok::Sym(sym);
        if hit {
            self.pos = t.end;
        }
        Ok(hit)
    }
}
