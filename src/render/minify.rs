//! Render stage, minification through minify-html (cargo feature `minify`, on by default). Kept
//! behind this module so the crate can be swapped or left out (`--no-default-features`).

/// Minifies a full HTML page (inline CSS and JS included).
#[cfg(feature = "minify")]
pub fn html(bytes: Vec<u8>) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(&bytes, &cfg)
}

/// Without the `minify` feature pages are written as rendered.
#[cfg(not(feature = "minify"))]
pub fn html(bytes: Vec<u8>) -> Vec<u8> {
    bytes
}

/// Minifies a CSS or JS asset by wrapping it in a `<style>`/`<script>` element.
#[cfg(feature = "minify")]
pub fn asset(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let (open, close): (&[u8], &[u8]) = if name.ends_with(".css") {
        (b"<style>", b"</style>")
    } else if name.ends_with(".js") {
        (b"<script>", b"</script>")
    } else {
        return bytes;
    };
    let mut doc = open.to_vec();
    doc.extend_from_slice(&bytes);
    doc.extend_from_slice(close);
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    let out = minify_html::minify(&doc, &cfg);
    match (out.strip_prefix(open), out.ends_with(close)) {
        (Some(inner), true) => inner[..inner.len() - close.len()].to_vec(),
        _ => bytes,
    }
}

/// Without the `minify` feature assets are written as they are.
#[cfg(not(feature = "minify"))]
pub fn asset(_name: &str, bytes: Vec<u8>) -> Vec<u8> {
    bytes
}
