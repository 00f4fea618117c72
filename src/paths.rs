//! Paths and URLs: vault paths (NFC, `/`-separated), slugs, site URLs and the only conversions
//! between them; plus the date helpers shared by the stages.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters percent-encoded in URL paths we emit.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// NFC-normalises a string (cheap when it already is NFC).
pub fn nfc(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// The lookup key used by the link index: NFC and lower case.
pub fn key(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    nfc(s).to_lowercase()
}

/// Turns a title or path segment into a URL slug: lower case, letters and digits kept (any
/// script), every run of other characters becomes one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in nfc(s).chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "untitled".into()
    } else {
        out
    }
}

/// Slugs every segment of a vault path (without extension): `People/Ada L.md` → `people/ada-l`.
pub fn slug_path(vault_path: &str) -> String {
    let stem = strip_md(vault_path);
    stem.split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes a trailing `.md` (any case).
pub fn strip_md(p: &str) -> &str {
    match p
        .len()
        .checked_sub(3)
        .and_then(|i| p.get(i..).map(|e| (i, e)))
    {
        Some((i, ext)) if ext.eq_ignore_ascii_case(".md") => &p[..i],
        _ => p,
    }
}

/// The folder part of a vault path (`a/b/c.md` → `a/b`, `c.md` → ``).
pub fn parent(p: &str) -> &str {
    p.rfind('/').map(|i| &p[..i]).unwrap_or("")
}

/// The file name part of a vault path.
pub fn file_name(p: &str) -> &str {
    p.rfind('/').map(|i| &p[i + 1..]).unwrap_or(p)
}

/// The lower-case extension of a path, without the dot (`""` when none).
pub fn extension(p: &str) -> String {
    let name = file_name(p);
    match name.rfind('.') {
        Some(i) if i > 0 => name[i + 1..].to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Normalises `.` and `..` in a `/`-separated relative path. `None` when it climbs above the root.
pub fn normalize_rel(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Percent-encodes a site-relative URL path for use in `href`/`src`.
pub fn encode_url_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    push_encoded(&mut out, p);
    out
}

/// Appends `p` percent-encoded as [`encode_url_path`] does (without the formatting machinery:
/// links are written by the hundred thousand).
fn push_encoded(out: &mut String, p: &str) {
    // Which ASCII bytes `PATH_SET` encodes, worked out once from the set itself.
    static ENCODED: std::sync::LazyLock<[bool; 128]> = std::sync::LazyLock::new(|| {
        std::array::from_fn(|b| {
            let c = [b as u8];
            let s = std::str::from_utf8(&c).unwrap_or("");
            utf8_percent_encode(s, PATH_SET).next() != Some(s)
        })
    });
    let encoded = &*ENCODED;
    let bytes = p.as_bytes();
    let mut start = 0;
    // Runs of bytes kept as they are are copied whole; the rest is written as `%XX`.
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii() && !encoded[b as usize] {
            continue;
        }
        // A kept run ends in ASCII, so `i` is then a character boundary.
        if start < i {
            out.push_str(&p[start..i]);
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
        start = i + 1;
    }
    out.push_str(&p[start..]);
}

/// A page's site URL (`people/ada/` or `people/ada.html`) and the file it is written to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageUrl {
    /// Site-relative URL path, no leading `/` (`""` is the home page).
    pub url: String,
    /// Output file path relative to the output root (`people/ada/index.html`).
    pub file: String,
}

impl PageUrl {
    /// The URL and file for a slug path (`people/ada`); empty slug is the home page.
    pub fn from_slug(slug: &str, pretty: bool) -> PageUrl {
        if slug.is_empty() {
            return PageUrl {
                url: String::new(),
                file: "index.html".into(),
            };
        }
        if pretty {
            PageUrl {
                url: format!("{slug}/"),
                file: format!("{slug}/index.html"),
            }
        } else {
            PageUrl {
                url: format!("{slug}.html"),
                file: format!("{slug}.html"),
            }
        }
    }

    /// A directory-index style page (`tags/` → `tags/index.html`) regardless of `pretty_urls`.
    pub fn dir(slug: &str) -> PageUrl {
        if slug.is_empty() {
            return PageUrl::from_slug("", true);
        }
        PageUrl {
            url: format!("{slug}/"),
            file: format!("{slug}/index.html"),
        }
    }

    /// Relative prefix from this page to the site root (`../../`).
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.file.matches('/').count())
    }
}

/// An href from a page with root prefix `root` to the site path `target` (already a URL path).
pub fn href(root: &str, target: &str) -> String {
    if root.is_empty() && target.is_empty() {
        return "./".into();
    }
    let mut out = String::with_capacity(root.len() + target.len() + 8);
    out.push_str(root);
    push_encoded(&mut out, target);
    out
}

/// Today's date, `YYYY-MM-DD`, in local time when known.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    format_date(now.date())
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: time::Date) -> String {
    let (y, m, day) = (d.year(), u8::from(d.month()), d.day());
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{day:02}");
    }
    // Digit by digit: dates are formatted hundreds of thousands of times in a large vault.
    let y = y as u32;
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        u32::from(m / 10),
        u32::from(m % 10),
        u32::from(day / 10),
        u32::from(day % 10),
    ];
    let mut s = String::with_capacity(10);
    for (i, dg) in digits.into_iter().enumerate() {
        if i == 4 || i == 6 {
            s.push('-');
        }
        s.push(char::from(b'0' + dg as u8));
    }
    s
}

/// Parses the date at the start of `s` (`2026-03-01`, `2026-03-01T10:00`, `2026-03-01 10:00`).
pub fn parse_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = head[..4].parse().ok()?;
    let m: u8 = head[5..7].parse().ok()?;
    let d: u8 = head[8..10].parse().ok()?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// A file's modification time as a date.
pub fn system_time_date(t: std::time::SystemTime) -> String {
    format_date(time::OffsetDateTime::from(t).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Mara Quist"), "mara-quist");
        assert_eq!(
            slugify("2025-10-30 - Align roles, gaps"),
            "2025-10-30-align-roles-gaps"
        );
        assert_eq!(slugify("José Núñez"), "josé-núñez");
        assert_eq!(slugify("Jose\u{301}"), "josé");
        assert_eq!(slugify("???"), "untitled");
        assert_eq!(slug_path("People/Ada L.md"), "people/ada-l");
        assert_eq!(strip_md("Tóth"), "Tóth");
        assert_eq!(strip_md("Tóth.MD"), "Tóth");
        assert_eq!(strip_md("é"), "é");
    }

    #[test]
    fn rel_paths() {
        assert_eq!(normalize_rel("a/b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize_rel("a/../../x"), None);
        assert_eq!(normalize_rel("./x"), Some("x".into()));
    }

    #[test]
    fn urls() {
        let p = PageUrl::from_slug("people/ada", true);
        assert_eq!(p.url, "people/ada/");
        assert_eq!(p.root_prefix(), "../../");
        let p = PageUrl::from_slug("people/ada", false);
        assert_eq!(p.root_prefix(), "../");
        assert_eq!(PageUrl::from_slug("", true).root_prefix(), "");
        assert_eq!(href("", ""), "./");
        assert_eq!(href("../", "a b/c#d"), "../a%20b/c%23d");
        for p in [
            "",
            "a",
            "ü",
            "Zoë Müller/ä b",
            "x%y?z[1]|`{}'\"^<>",
            "\u{1F4C5} 2025",
            "\n\t\u{7f}ok",
        ] {
            let expected: String = utf8_percent_encode(p, PATH_SET).collect();
            assert_eq!(encode_url_path(p), expected, "{p:?}");
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-03-01").is_some());
        assert!(parse_date("2026-03-01T10:00:00").is_some());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("20260301").is_none());
        let d = |y, m, day| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
        };
        assert_eq!(format_date(d(2026, 3, 1)), "2026-03-01");
        assert_eq!(format_date(d(1999, 12, 31)), "1999-12-31");
        assert_eq!(format_date(d(7, 10, 9)), "0007-10-09");
        assert_eq!(format_date(d(9999, 1, 10)), "9999-01-10");
        assert_eq!(format_date(d(-1, 1, 1)), "-001-01-01");
        assert_eq!(format_date(parse_date("2025-10-30").unwrap()), "2025-10-30");
    }
}
