//! Parse stage, raw HTML: notes that contain raw HTML are passed through ammonia with an
//! allowlist that keeps what notes legitimately use (`<details>`, tables, `<mark>`, classes,
//! `data-*`) and drops scripts, event handlers and dangerous URLs. Notes without raw HTML skip
//! this step: comrak escapes everything else and wikigen writes every URL itself.

use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "details",
            "summary",
            "input",
            "mark",
            "figure",
            "figcaption",
            "audio",
            "video",
            "source",
            "section",
            "kbd",
            "sup",
            "sub",
            "u",
            "s",
            "center",
            "font",
        ]);
        b.add_generic_attributes(["class", "id", "title", "lang", "dir", "align", "style"]);
        b.generic_attribute_prefixes(HashSet::from(["data-", "aria-"]));
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tag_attributes("details", ["open"]);
        b.add_tag_attributes("img", ["width", "height", "loading"]);
        b.add_tag_attributes("audio", ["src", "controls"]);
        b.add_tag_attributes("video", ["src", "controls", "width", "height"]);
        b.add_tag_attributes("source", ["src", "type"]);
        b.add_tag_attributes("font", ["color"]);
        b.add_tag_attributes("ol", ["start"]);
        b.attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            (_, "style") if is_dangerous_css(value) => None,
            _ => Some(value.into()),
        });
        b.link_rel(Some("noopener noreferrer"));
        b
    })
}

fn is_dangerous_css(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.contains("url(")
        || l.contains("expression")
        || l.contains("javascript:")
        || l.contains("@import")
}

/// Sanitizes an HTML fragment.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Does a raw HTML snippet contain something the sanitizer will remove?
pub fn looks_unsafe(raw: &str) -> bool {
    let l = raw.to_ascii_lowercase();
    [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<style",
        "javascript:",
        "vbscript:",
        "<form",
    ]
    .iter()
    .any(|p| l.contains(p))
        || has_event_handler(&l)
}

fn has_event_handler(l: &str) -> bool {
    let b = l.as_bytes();
    let mut i = 0;
    while let Some(off) = l[i..].find("on") {
        let at = i + off;
        let before_ok = at > 0
            && (b[at - 1].is_ascii_whitespace()
                || b[at - 1] == b'/'
                || b[at - 1] == b'"'
                || b[at - 1] == b'\'');
        let mut j = at + 2;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if before_ok && j > at + 2 && j < b.len() && b[j] == b'=' {
            return true;
        }
        i = at + 2;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_and_handlers_keeps_details() {
        let out = clean("<details open class=\"x\"><summary onclick=\"e()\">S</summary><script>alert(1)</script><a href=\"javascript:x\">a</a><img src=x onerror=alert(1)></details>");
        assert!(
            out.contains("<details open=\"\" class=\"x\">")
                || out.contains("<details class=\"x\" open=\"\">"),
            "{out}"
        );
        assert!(!out.contains("script"));
        assert!(!out.contains("onclick"));
        assert!(!out.contains("onerror"));
        assert!(!out.contains("javascript"));
        assert!(looks_unsafe("<img src=x onerror=alert(1)>"));
        assert!(looks_unsafe("<a href='JavaScript:x'>"));
        assert!(!looks_unsafe("<details><summary>ok</summary></details>"));
    }

    #[test]
    fn keeps_placeholders_and_data_attributes() {
        let out = clean("<p data-callout=\"x\">a \u{E000}3\u{E001} b</p>");
        assert!(out.contains("data-callout"));
        assert!(out.contains("\u{E000}3\u{E001}"));
    }
}
