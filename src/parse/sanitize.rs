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

/// How deeply the HTML of a note with raw HTML may nest for [`clean`]: html5ever, under ammonia,
/// looks through the open elements at every start tag, so 20 000 nested `<div>` or blockquotes
/// took a minute. Browsers stop nesting at 512 too.
pub const MAX_DEPTH: usize = 512;

/// Elements that hold nothing.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements the parser closes when a sibling starts, so they never nest by repetition alone.
const AUTO_CLOSED: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rp", "rtc", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption",
];

/// Do elements in `html` nest more than [`MAX_DEPTH`] deep? An approximation of the HTML
/// parser's stack of open elements that never counts less: a start tag opens an element (unless
/// void, closed by its next sibling, or `/>` inside SVG or MathML), an end tag closes up to the
/// last open element of its name and is ignored when there is none. Linear in `html`.
pub fn too_deep(html: &str) -> bool {
    let b = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut foreign = 0usize;
    let mut next_gt = 0usize;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        i = at + 1;
        if html[i..].starts_with("!--") {
            match html[i..].find("-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[start..start + len];
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if close {
            if let Some(pos) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                foreign -= open[pos..].iter().filter(|o| is_foreign(o)).count();
                open.truncate(pos);
            }
            continue;
        }
        if VOID.iter().any(|v| is(v)) || AUTO_CLOSED.iter().any(|v| is(v)) {
            continue;
        }
        if foreign > 0 {
            if next_gt <= start {
                next_gt = html[start..].find('>').map_or(html.len(), |g| start + g);
            }
            if next_gt < html.len() && b[next_gt - 1] == b'/' {
                continue;
            }
        }
        foreign += usize::from(is_foreign(name));
        open.push(name);
        if open.len() > MAX_DEPTH {
            return true;
        }
    }
    false
}

/// SVG and MathML, where `/>` closes an element.
fn is_foreign(name: &str) -> bool {
    name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math")
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
    fn nesting_depth_is_never_underestimated() {
        let nested = |open: &str, n: usize| open.repeat(n);
        assert!(!too_deep(&nested("<div>", MAX_DEPTH)));
        assert!(too_deep(&nested("<div>", MAX_DEPTH + 1)));
        assert!(too_deep(&nested("<BlockQuote class=x>", MAX_DEPTH + 1)));
        // Stray end tags close nothing; `<div/>` opens a div in HTML.
        assert!(too_deep(&nested("<b id=1></i>", MAX_DEPTH + 1)));
        assert!(too_deep(&nested("<div/>", MAX_DEPTH + 1)));
        // Closed, void, auto-closed, commented-out and SVG self-closed elements do not nest.
        assert!(!too_deep(&nested("<div><b>x</b></div>", 10_000)));
        assert!(!too_deep(&nested("<br><img src=x><p>a<li>b", 10_000)));
        assert!(!too_deep(&format!("<!--{}-->", nested("<div>", 10_000))));
        assert!(!too_deep(&format!(
            "<svg>{}</svg>",
            nested("<path d=\"M0\"/>", 10_000)
        )));
        assert!(!too_deep(&nested("a < b <3 </ >", 10_000)));
    }

    #[test]
    fn keeps_placeholders_and_data_attributes() {
        let out = clean("<p data-callout=\"x\">a \u{E000}3\u{E001} b</p>");
        assert!(out.contains("data-callout"));
        assert!(out.contains("\u{E000}3\u{E001}"));
    }
}
