//! Parse stage, link syntax: splitting wikilink targets, Obsidian's default display text, image
//! sizes, classifying markdown link destinations, and finding wikilinks in frontmatter values.

use percent_encoding::percent_decode_str;

/// A link target split into its path and subpath: `Note#H1#H2` → (`Note`, `H1#H2`).
pub fn split_target(url: &str) -> (String, Option<String>) {
    let url = url.trim();
    match url.find('#') {
        Some(i) => {
            let sub = url[i + 1..].trim();
            (
                url[..i].trim().to_string(),
                (!sub.is_empty()).then(|| sub.to_string()),
            )
        }
        None => (url.to_string(), None),
    }
}

/// Obsidian's display text for a link without alias: `a`, `a > h`, `a > h > s`, `h`, `^id`.
pub fn default_display(path: &str, subpath: Option<&str>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !path.is_empty() {
        parts.push(path);
    }
    if let Some(s) = subpath {
        parts.extend(s.split('#').map(str::trim).filter(|p| !p.is_empty()));
    }
    parts.join(" > ")
}

/// Parses an image size label: `300` → (300, None), `640x480` → (640, Some(480)).
pub fn parse_size(label: &str) -> Option<(u32, Option<u32>)> {
    let l = label.trim();
    match l.split_once('x') {
        Some((w, h)) => Some((w.trim().parse().ok()?, Some(h.trim().parse().ok()?))),
        None => Some((l.parse().ok()?, None)),
    }
}

/// Splits a markdown image alt `photo|200x100` into alt text and size.
pub fn split_alt_size(alt: &str) -> (String, Option<(u32, Option<u32>)>) {
    if let Some((a, s)) = alt.rsplit_once('|') {
        if let Some(size) = parse_size(s) {
            return (a.trim().to_string(), Some(size));
        }
    }
    if let Some(size) = parse_size(alt) {
        return (String::new(), Some(size));
    }
    (alt.to_string(), None)
}

/// What a markdown link destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// A web (or mail, ...) address, kept as written.
    External(String),
    /// A `javascript:`, `vbscript:`, `data:` (non-image) or `file:` URL: never emitted.
    Unsafe(String),
    /// A path inside the vault (percent-decoded) with an optional `#subpath`.
    Internal(String, Option<String>),
}

/// Classifies a markdown link destination; `image` allows `data:image/...`.
pub fn classify_dest(url: &str, image: bool) -> Dest {
    let u = url.trim();
    if u.starts_with("//") {
        return Dest::External(u.to_string());
    }
    if let Some(colon) = u.find(':') {
        let scheme = &u[..colon];
        let is_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        // Windows drive letters (`C:`) are not schemes.
        if is_scheme && scheme.len() > 1 {
            let s = scheme.to_ascii_lowercase();
            let compact: String = u.chars().filter(|c| !c.is_whitespace()).collect();
            return match s.as_str() {
                "javascript" | "vbscript" | "file" => Dest::Unsafe(u.to_string()),
                "data"
                    if !(image
                        && compact.to_ascii_lowercase().starts_with("data:image/")
                        && !compact.to_ascii_lowercase().starts_with("data:image/svg")) =>
                {
                    Dest::Unsafe(u.to_string())
                }
                _ => Dest::External(u.to_string()),
            };
        }
    }
    let decoded = percent_decode_str(u).decode_utf8_lossy().into_owned();
    // Obsidian writes `#` unencoded inside file names: keep it when the whole thing is a note path.
    if crate::paths::strip_md(&decoded).len() != decoded.len() {
        return Dest::Internal(decoded, None);
    }
    let (p, s) = split_target(&decoded);
    Dest::Internal(p, s)
}

/// Splits the text between `[[` and `]]` as Obsidian does: the target is everything before the
/// first `|` (a `\\` before it, from a table's escaped pipe, dropped) and the alias everything
/// after it, more pipes included; a `|` with nothing before it is part of the target
/// (`[[|x]]` links to `|x`). `None` when there is no target at all (`[[]]`, `[[ ]]`).
pub fn split_wikilink_inner(inner: &str) -> Option<(String, Option<String>)> {
    if inner.trim().is_empty() {
        return None;
    }
    match inner.find('|') {
        Some(p) if !inner[..p].trim_end_matches('\\').trim().is_empty() => Some((
            inner[..p].trim_end_matches('\\').to_string(),
            Some(inner[p + 1..].to_string()),
        )),
        _ => Some((inner.to_string(), None)),
    }
}

/// A wikilink found in plain text (used for frontmatter values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLink {
    /// Byte range of the whole `[[...]]` (with a leading `!` for embeds).
    pub range: std::ops::Range<usize>,
    /// Target before the first `|`.
    pub target: String,
    /// Alias after the first `|`.
    pub alias: Option<String>,
}

/// Finds `[[target|alias]]` links in a plain string.
pub fn find_wikilinks(s: &str) -> Vec<TextLink> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s[i..].find("[[") {
        let start = i + off;
        let Some(end_off) = s[start + 2..].find("]]") else {
            break;
        };
        let inner = &s[start + 2..start + 2 + end_off];
        let end = start + 2 + end_off + 2;
        if let Some((target, alias)) = split_wikilink_inner(inner).filter(|_| !inner.contains('\n'))
        {
            out.push(TextLink {
                range: start..end,
                target,
                alias,
            });
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_text_matches_obsidian() {
        assert_eq!(default_display("a", None), "a");
        assert_eq!(default_display("a", Some("h")), "a > h");
        assert_eq!(default_display("a", Some("h#s")), "a > h > s");
        assert_eq!(default_display("", Some("h#s")), "h > s");
        assert_eq!(default_display("a", Some("^id")), "a > ^id");
        assert_eq!(default_display("", Some("^id")), "^id");
    }

    #[test]
    fn destinations() {
        assert_eq!(
            classify_dest("My%20Note.md#H", false),
            Dest::Internal("My Note.md".into(), Some("H".into()))
        );
        assert_eq!(
            classify_dest("Sub/Note#Heading", false),
            Dest::Internal("Sub/Note".into(), Some("Heading".into()))
        );
        assert!(matches!(
            classify_dest("JavaScript:alert(1)", false),
            Dest::Unsafe(_)
        ));
        assert!(matches!(
            classify_dest("data:text/html,x", true),
            Dest::Unsafe(_)
        ));
        assert!(matches!(
            classify_dest("data:image/png;base64,AA", true),
            Dest::External(_)
        ));
        assert!(matches!(
            classify_dest("https://x.org", false),
            Dest::External(_)
        ));
        assert!(matches!(
            classify_dest("C:/x.md", false),
            Dest::Internal(..)
        ));
    }

    #[test]
    fn sizes_and_text_links() {
        assert_eq!(parse_size("300"), Some((300, None)));
        assert_eq!(parse_size("640x480"), Some((640, Some(480))));
        assert_eq!(parse_size("big"), None);
        assert_eq!(
            split_alt_size("photo|200"),
            ("photo".into(), Some((200, None)))
        );
        let l = find_wikilinks("see [[Ada Lovelace|Ada]] and [[Bob]]");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].target, "Ada Lovelace");
        assert_eq!(l[0].alias.as_deref(), Some("Ada"));
    }

    #[test]
    fn wikilinks_split_at_the_first_pipe_as_obsidian_does() {
        let s = |i: &str| split_wikilink_inner(i);
        let some = |t: &str, a: Option<&str>| Some((t.to_string(), a.map(str::to_string)));
        assert_eq!(s("a|b"), some("a", Some("b")));
        assert_eq!(s("#h#s||x"), some("#h#s", Some("|x")));
        assert_eq!(s("a\\|b"), some("a", Some("b")));
        assert_eq!(s("|x"), some("|x", None));
        assert_eq!(s("|"), some("|", None));
        assert_eq!(s("Sq]uare"), some("Sq]uare", None));
        assert_eq!(s(""), None);
        assert_eq!(s("  "), None);
    }
}
