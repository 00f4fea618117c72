//! Render stage, link slots: writes the final HTML of a fragment for one page — links with
//! page-relative URLs and classes, tags, and embeds (notes, sections, blocks, images, audio,
//! video, PDFs), nested up to `[links] embed_depth` with cycle detection.

use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::{attachment_url, Site};
use crate::parse::format::{escape, escape_into};
use crate::parse::fragment::{pieces, Fragment, Piece, Slot};
use crate::parse::markdown;
use crate::parse::LinkRef;
use crate::paths::href;
use crate::resolve::Target;

/// Where a fragment is being written: the page's root prefix and the embed path.
pub struct Filler<'s> {
    /// The site.
    pub site: &'s Site,
    /// Relative prefix from the page to the site root.
    pub root: String,
    /// Notes being embedded, outermost first (the page's own note first).
    stack: Vec<usize>,
    /// Problems found (embed cycles, depth).
    pub diagnostics: Vec<Diagnostic>,
    /// While a group of tasks under a heading naming note `n` is written: `Some(n)`.
    pub(super) under_own_note: std::cell::Cell<Option<usize>>,
    /// The HTML of query results shared by several notes, for pages at the same depth.
    pub(super) cache: Option<&'s QueryHtml>,
}

/// Rendered results of queries that several notes share (the same query text, not reading
/// `this`), by result and root prefix: one rendering per folder depth instead of one per page.
pub type QueryHtml =
    std::sync::Mutex<std::collections::HashMap<(usize, String), std::sync::Arc<str>>>;

/// The links of a fragment and how they resolve.
struct Links<'a> {
    refs: &'a [LinkRef],
    targets: std::borrow::Cow<'a, [Target]>,
    note: usize,
}

impl<'s> Filler<'s> {
    /// A filler for a page of note `note` (or `None` for generated pages) at `root`.
    pub fn new(site: &'s Site, root: &str, note: Option<usize>) -> Self {
        Filler {
            site,
            root: root.to_string(),
            stack: note.into_iter().collect(),
            diagnostics: Vec::new(),
            under_own_note: std::cell::Cell::new(None),
            cache: None,
        }
    }

    /// This filler, rendering shared query results once per depth through `cache`.
    pub fn cached(mut self, cache: &'s QueryHtml) -> Self {
        self.cache = Some(cache);
        self
    }

    /// The page-relative URL of a note.
    pub fn note_href(&self, n: usize) -> String {
        href(&self.root, &self.site.urls[n].url)
    }

    /// Final HTML of note `n`'s body.
    pub fn body(&mut self, n: usize) -> String {
        let site = self.site;
        self.property(n, &site.notes[n].body)
    }

    /// Final HTML of a fragment of note `n` (its body or a property value).
    pub fn property(&mut self, n: usize, frag: &Fragment) -> String {
        let note = &self.site.notes[n];
        self.fill(
            frag,
            &Links {
                refs: &note.links,
                targets: std::borrow::Cow::Borrowed(&self.site.resolved.targets[n]),
                note: n,
            },
        )
    }

    /// Final HTML of a piece of note `n`'s body fragment (a section or list item split off it).
    pub fn body_part(&mut self, n: usize, html: &str) -> String {
        let note = &self.site.notes[n];
        self.fill_html(
            html,
            &note.body.slots,
            &Links {
                refs: &note.links,
                targets: std::borrow::Cow::Borrowed(&self.site.resolved.targets[n]),
                note: n,
            },
        )
    }

    fn fill(&mut self, frag: &Fragment, links: &Links<'_>) -> String {
        self.fill_html(&frag.html, &frag.slots, links)
    }

    fn fill_html(&mut self, html: &str, slots: &[Slot], links: &Links<'_>) -> String {
        let mut out = String::with_capacity(html.len() + slots.len() * 40);
        for p in pieces(html) {
            match p {
                Piece::Html(h) => out.push_str(h),
                Piece::Slot(i) => {
                    if let Some(slot) = slots.get(i) {
                        self.slot(slot, links, &mut out);
                    }
                }
            }
        }
        out
    }

    /// `<a …>label</a>` for link `l` of note `n` as seen from this page (none when the target
    /// is private or outside the vault).
    pub fn link_html(&self, n: usize, l: usize, label: &str) -> Option<String> {
        let t = self.site.resolved.targets.get(n)?.get(l)?;
        let (url, class) = self.target_href(t, usize::MAX)?;
        Some(format!("<a class=\"{class}\" href=\"{url}\">{label}</a>"))
    }

    /// The page-relative URL of a link target and the class attribute's value (which may close
    /// the attribute and add others); none for private targets and those outside the vault.
    pub(super) fn target_href(&self, t: &Target, current: usize) -> Option<(String, &'static str)> {
        let site = self.site;
        match t {
            Target::Note { note, anchor } => {
                let redirected = site.link_url(*note).url != site.urls[*note].url;
                let url = match anchor.as_deref() {
                    Some(a) if *note == current && self.stack.len() <= 1 => {
                        let mut u = String::with_capacity(a.len() + 1);
                        u.push('#');
                        escape_into(&mut u, a);
                        u
                    }
                    // A merged person note: links go to the profile (its anchors are not there).
                    _ if redirected => href(&self.root, &site.link_url(*note).url),
                    Some(a) => {
                        let mut u = self.note_href(*note);
                        u.push('#');
                        escape_into(&mut u, a);
                        u
                    }
                    None => self.note_href(*note),
                };
                let class = match site.notes[*note].kind {
                    crate::parse::Kind::Person => "internal\" data-kind=\"person",
                    crate::parse::Kind::Meeting => "internal\" data-kind=\"meeting",
                    crate::parse::Kind::Project => "internal\" data-kind=\"project",
                    crate::parse::Kind::Note => "internal\" data-kind=\"note",
                };
                Some((url, class))
            }
            Target::Attachment(a) => Some((
                href(&self.root, &attachment_url(&site.attachments[*a])),
                "internal attachment",
            )),
            Target::Missing(m) => Some((
                href(&self.root, &site.missing_urls[*m].url),
                "internal unresolved\" title=\"Not written yet",
            )),
            Target::Private | Target::Outside => None,
        }
    }

    fn slot(&mut self, slot: &Slot, links: &Links<'_>, out: &mut String) {
        match slot {
            Slot::Wiki { link, label } => match links
                .targets
                .get(*link)
                .and_then(|t| self.target_href(t, links.note))
            {
                Some((url, class)) => {
                    push_link_open(out, class, &url);
                    escape_into(out, label);
                    out.push_str("</a>");
                }
                None => {
                    for part in [
                        "<span class=\"",
                        plain_class(links.targets.get(*link)),
                        "\">",
                    ] {
                        out.push_str(part);
                    }
                    escape_into(out, label);
                    out.push_str("</span>");
                }
            },
            Slot::Open { link } => match links
                .targets
                .get(*link)
                .and_then(|t| self.target_href(t, links.note))
            {
                Some((url, class)) => push_link_open(out, class, &url),
                None => out.push_str(&format!(
                    "<span class=\"{}\">",
                    plain_class(links.targets.get(*link))
                )),
            },
            Slot::Close { link } => match links
                .targets
                .get(*link)
                .and_then(|t| self.target_href(t, links.note))
            {
                Some(_) => out.push_str("</a>"),
                None => out.push_str("</span>"),
            },
            Slot::ExtOpen { url } => out.push_str(&format!(
                "<a class=\"external\" href=\"{}\" rel=\"noopener noreferrer\">",
                escape(url)
            )),
            Slot::ExtClose => out.push_str("</a>"),
            Slot::ExtImage { url, alt } => out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                escape(url),
                escape(alt)
            )),
            Slot::Tag { name } => match super::pages::tag_entry(self.site, name) {
                Some(t) => {
                    out.push_str("<a class=\"tag\" href=\"");
                    out.push_str(&href(&self.root, &t.url.url));
                    out.push_str("\">#");
                    escape_into(out, name);
                    out.push_str("</a>");
                }
                None => {
                    out.push_str("<span class=\"tag\">#");
                    escape_into(out, name);
                    out.push_str("</span>");
                }
            },
            Slot::Query { index } => {
                let q = self.query(links.note, *index);
                out.push_str(&q);
            }
            Slot::Embed { link, alt } => {
                let (Some(r), Some(t)) = (links.refs.get(*link), links.targets.get(*link)) else {
                    return;
                };
                let t = t.clone();
                self.embed(r, &t, alt, links.note, out);
            }
        }
    }

    fn embed(&mut self, r: &LinkRef, t: &Target, alt: &str, current: usize, out: &mut String) {
        let site = self.site;
        match t {
            Target::Private => {}
            Target::Outside => out.push_str(&format!(
                "<div class=\"embed embed-error\">Not embedded: <code>{}</code> is outside the vault.</div>",
                escape(&r.path)
            )),
            Target::Missing(m) => out.push_str(&format!(
                "<div class=\"embed embed-error\"><a class=\"internal unresolved\" href=\"{}\">{}</a> is not written yet.</div>",
                href(&self.root, &site.missing_urls[*m].url),
                escape(&site.resolved.missing[*m].name)
            )),
            Target::Attachment(a) => self.media(*a, r, alt, out),
            Target::Note { note, anchor } => self.embed_note(r, *note, anchor.as_deref(), current, out),
        }
    }

    fn media(&self, a: usize, r: &LinkRef, alt: &str, out: &mut String) {
        let att = &self.site.attachments[a];
        let src = href(&self.root, &attachment_url(att));
        let name = crate::paths::file_name(&att.path);
        let ext = crate::paths::extension(&att.path);
        let size = match r.size {
            Some((w, Some(h))) => format!(" width=\"{w}\" height=\"{h}\""),
            Some((w, None)) => format!(" width=\"{w}\""),
            None => String::new(),
        };
        let alt = if alt.is_empty() { name } else { alt };
        match ext.as_str() {
            "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "bmp" | "ico" => out
                .push_str(&format!(
                    "<img class=\"embed-image\" src=\"{src}\" alt=\"{}\"{size} loading=\"lazy\">",
                    escape(alt)
                )),
            "mp3" | "wav" | "m4a" | "ogg" | "flac" | "3gp" => out.push_str(&format!(
                "<audio controls preload=\"none\" src=\"{src}\"></audio>"
            )),
            "mp4" | "webm" | "mov" | "mkv" | "ogv" => out.push_str(&format!(
                "<video controls preload=\"metadata\" src=\"{src}\"{size}></video>"
            )),
            "pdf" => out.push_str(&format!(
                "<iframe class=\"embed-pdf\" src=\"{src}\" title=\"{}\"></iframe>",
                escape(name)
            )),
            _ => out.push_str(&format!(
                "<a class=\"internal attachment\" href=\"{src}\">{}</a>",
                escape(alt)
            )),
        }
    }

    fn embed_error(
        &mut self,
        r: &LinkRef,
        current: usize,
        code: Code,
        msg: String,
        help: &str,
        out: &mut String,
    ) {
        let src = &self.site.notes[current];
        self.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            code,
            &src.path,
            r.line,
            r.column,
            msg.clone(),
            help,
        ));
        out.push_str(&format!(
            "<div class=\"embed embed-error\">{}</div>",
            escape(&msg)
        ));
    }

    fn embed_note(
        &mut self,
        r: &LinkRef,
        n: usize,
        anchor: Option<&str>,
        current: usize,
        out: &mut String,
    ) {
        let site = self.site;
        let title = &site.notes[n].title;
        if self.stack.contains(&n) {
            let chain: Vec<&str> = self
                .stack
                .iter()
                .map(|&i| site.notes[i].title.as_str())
                .collect();
            return self.embed_error(
                r,
                current,
                Code::EmbedCycle,
                format!(
                    "Embed cycle: {} → {title} is not embedded again",
                    chain.join(" → ")
                ),
                "remove one of the embeds so that notes do not embed each other",
                out,
            );
        }
        if self.stack.len() > site.cfg.embed_depth {
            return self.embed_error(
                r,
                current,
                Code::EmbedTooDeep,
                format!(
                    "`{title}` is not embedded: embeds are nested more than {} deep",
                    site.cfg.embed_depth
                ),
                "raise [links] embed_depth in wikigen.toml, or embed less deeply",
                out,
            );
        }
        self.stack.push(n);
        let content = match anchor {
            None => self.body(n),
            Some(a) => self.section(n, a),
        };
        self.stack.pop();
        let url = self.note_href(n);
        let link = match anchor {
            Some(a) => format!("{url}#{}", escape(a)),
            None => url,
        };
        out.push_str(&format!(
            "<div class=\"embed\" data-embed=\"note\"><div class=\"embed-title\"><a class=\"internal\" data-kind=\"{}\" href=\"{link}\">{}</a></div><div class=\"embed-content\">{content}</div></div>",
            site.notes[n].kind.as_str(),
            escape(&r.label)
        ));
    }

    /// The HTML of a heading section or block of note `n`, converted from its source lines.
    fn section(&mut self, n: usize, anchor: &str) -> String {
        let note = &self.site.notes[n];
        let lines: Vec<&str> = note.source.lines().collect();
        let range = if let Some(id) = anchor.strip_prefix('^') {
            note.blocks
                .iter()
                .find(|b| b.id == id)
                .map(|b| (b.start_line, b.end_line))
        } else {
            note.headings.iter().position(|h| h.id == anchor).map(|i| {
                let h = &note.headings[i];
                let end = note.headings[i + 1..]
                    .iter()
                    .find(|x| x.level <= h.level)
                    .map(|x| x.line - 1)
                    .unwrap_or(lines.len());
                (h.line, end)
            })
        };
        let Some((start, end)) = range else {
            return self.body(n);
        };
        let start = start.max(1);
        let end = end.min(lines.len()).max(start);
        let text = lines[start - 1..end].join("\n");
        let mut md = markdown::convert(&note.path, &text, self.site.cfg.hard_line_breaks, false);
        // Queries of the section are the note's own (same lines): point the slots at them.
        for slot in md.fragment.slots.iter_mut() {
            if let crate::parse::fragment::Slot::Query { index } = slot {
                let line = md.queries.get(*index).map_or(0, |b| b.line + start - 1);
                *index = note
                    .queries
                    .iter()
                    .position(|b| b.line == line)
                    .unwrap_or(usize::MAX);
            }
        }
        let targets: Vec<Target> = md
            .links
            .iter()
            .map(|l| self.site.resolved.target_of(&self.site.notes, n, l))
            .collect();
        self.fill(
            &md.fragment,
            &Links {
                refs: &md.links,
                targets: std::borrow::Cow::Owned(targets),
                note: n,
            },
        )
    }
}

/// Class of a link rendered as plain text: `private-link`, or `broken-link` outside the vault.
/// Appends `<a class="…" href="…">` for a link target (see [`Filler::target_href`]).
fn push_link_open(out: &mut String, class: &str, url: &str) {
    for part in ["<a class=\"", class, "\" href=\"", url, "\">"] {
        out.push_str(part);
    }
}

fn plain_class(t: Option<&Target>) -> &'static str {
    match t {
        Some(Target::Outside) => "broken-link",
        _ => "private-link",
    }
}

/// HTML of a backlink context: the text around the links, each link's own text (`marks`, byte
/// ranges of `text`) in `<mark>`; a long text is cut to a window around the marks.
pub fn context_html(text: &str, marks: &[(u32, u32)]) -> String {
    const WINDOW: usize = 110;
    let mut spans: Vec<(usize, usize)> = marks
        .iter()
        .map(|&(a, e)| (a as usize, e as usize))
        .filter(|&(a, e)| {
            a < e && e <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(e)
        })
        .collect();
    spans.sort_unstable();
    spans.dedup();
    let mut last_end = 0;
    spans.retain(|&(a, e)| {
        let keep = a >= last_end;
        if keep {
            last_end = e;
        }
        keep
    });
    let (start, end) = match (spans.first(), spans.last()) {
        (Some(f), Some(l)) => (f.0.saturating_sub(WINDOW), (l.1 + WINDOW).min(text.len())),
        _ => (0, text.len().min(2 * WINDOW)),
    };
    let mut s = start;
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end;
    while !text.is_char_boundary(e) {
        e += 1;
    }
    let mut out = String::with_capacity(e - s + 24 + 13 * spans.len());
    if s > 0 {
        out.push('…');
    }
    let mut at = s;
    for (a, b) in spans {
        escape_into(&mut out, &text[at..a]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[a..b]);
        out.push_str("</mark>");
        at = b;
    }
    escape_into(&mut out, &text[at..e]);
    if e < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::context_html;

    #[test]
    fn backlink_contexts_mark_the_given_ranges_and_cut_long_texts_around_them() {
        let t = "Target practice; read Target & more";
        // The second `Target` is the link: only it is marked, and the text is escaped.
        assert_eq!(
            context_html(t, &[(22, 28)]),
            "Target practice; read <mark>Target</mark> &amp; more"
        );
        // Several links, out of order, one given twice; ranges that are empty, overlap, run
        // past the end or cut a character are ignored.
        let t = "a [x] b [y] ü";
        assert_eq!(
            context_html(
                t,
                &[(8, 11), (2, 5), (8, 11), (3, 9), (12, 13), (5, 5), (9, 99)]
            ),
            "a <mark>[x]</mark> b <mark>[y]</mark> ü"
        );
        // A long text is cut to a window around the marks, with an ellipsis on each cut side.
        let long = format!("{}LINK{}", "w ".repeat(200), " z".repeat(200));
        let html = context_html(&long, &[(400, 404)]);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains(" <mark>LINK</mark> z"), "{html}");
        assert!(html.len() < 260, "{}", html.len());
        // No mark: the start of the text.
        assert!(context_html(&long, &[]).starts_with("w w"));
    }
}
