//! Parse stage, code highlighting: syntect with the Oniguruma engine, CSS classes prefixed `hl-`
//! (a light and a dark stylesheet are written by the render stage). The syntax set is loaded
//! once per process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Finds a syntax by fence language (`rust`, `rs`, `py`, `sh`, ...).
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let l = lang.trim().to_ascii_lowercase();
    let alias = match l.as_str() {
        "sh" | "shell" | "zsh" | "console" => "bash",
        "js" | "javascript" | "ts" | "typescript" | "jsx" | "tsx" => "js",
        "py" | "python3" => "py",
        "yml" => "yaml",
        "c++" => "cpp",
        "golang" => "go",
        "rb" => "ruby",
        "md" | "markdown" => "md",
        "toml" | "ini" | "cfg" => "ini",
        other => other,
    };
    set.find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_extension(alias))
}

/// Highlighted blocks by language and code: notes made from templates repeat the same snippets,
/// and highlighting costs more than parsing the rest of the note. Bounded by [`CACHE_BYTES`].
static CACHE: std::sync::LazyLock<Mutex<Highlighted>> = std::sync::LazyLock::new(Default::default);

/// Bytes kept, and the highlighted HTML (`None`: unknown language) by language and code.
type Highlighted = (usize, HashMap<(String, String), Option<Arc<str>>>);

/// Code kept in [`CACHE`] at most (keys and highlighted HTML); blocks over 64 KB are not kept.
const CACHE_BYTES: usize = 32 << 20;

/// Highlights `code` as `lang` into HTML spans; `None` when the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() || code.len() > 512 * 1024 {
        return None;
    }
    let small = code.len() <= 64 * 1024;
    let key = (lang.to_string(), code.to_string());
    if small {
        let cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.1.get(&key) {
            return hit.as_deref().map(str::to_string);
        }
    }
    let html = highlight_uncached(code, lang);
    if small {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        let size = 2 * code.len() + html.as_ref().map_or(0, String::len);
        if cache.0 + size <= CACHE_BYTES {
            cache.0 += size;
            cache.1.insert(key, html.as_deref().map(Arc::from));
        }
    }
    html
}

fn highlight_uncached(code: &str, lang: &str) -> Option<String> {
    let syntax = find_syntax(lang)?;
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
}

/// The light (`InspiredGitHub`) and dark (`base16-ocean.dark`, scoped under
/// `html[data-theme="dark"]`) stylesheets for the highlighting classes.
pub fn stylesheets() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark_raw = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    (light, scope_css(&dark_raw, "html[data-theme=\"dark\"]"))
}

/// Prefixes every selector of a flat stylesheet with `scope`.
fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let selectors = rest[..open].trim();
        let body = &rest[open..open + close + 1];
        // Drop comments in front of the selector.
        let selectors = match selectors.rfind("*/") {
            Some(i) => selectors[i + 2..].trim(),
            None => selectors,
        };
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{scope} {}", s.trim()))
            .collect();
        out.push_str(&scoped.join(", "));
        out.push(' ');
        out.push_str(body);
        out.push('\n');
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_only() {
        let h = highlight("fn main() {}\n", "rust").unwrap();
        assert!(h.contains("hl-"), "{h}");
        assert!(highlight("x", "no-such-language").is_none());
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-"));
        assert!(dark.contains("html[data-theme=\"dark\"] .hl-"));
    }
}
