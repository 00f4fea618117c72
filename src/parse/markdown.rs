//! Parse stage, markdown: comrak parses the note once; one walk over the AST collects links,
//! headings, block ids, tags and tasks (with line and column) and replaces links, embeds and tags
//! by slot placeholders; the custom formatter (`format.rs`) then writes the HTML fragment.

use super::contexts::{is_link_like, Contexts};
use super::fragment::{Fragment, Slot};
use super::links::{
    classify_dest, default_display, parse_size, split_alt_size, split_target, Dest,
};
pub use super::plain::plain_text;
use super::plain::{child_text, plain_spans};
use super::{
    format, sanitize, tags, BlockId, Heading, LinkRef, ListItem, QueryBlock, QueryLang, Task,
};
use crate::diag::{Code, Diagnostic, Severity};
use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena, Options};
use rustc_hash::FxHashMap as HashMap;

type N<'a> = &'a AstNode<'a>;

/// What the markdown of one note (or one section of it) turns into.
#[derive(Debug, Default)]
pub struct Markdown {
    /// The HTML with slot placeholders.
    pub fragment: Fragment,
    /// Links and embeds, in document order.
    pub links: Vec<LinkRef>,
    /// Headings, in document order.
    pub headings: Vec<Heading>,
    /// Block ids.
    pub blocks: Vec<BlockId>,
    /// Task list items.
    pub tasks: Vec<Task>,
    /// List items, tasks included.
    pub lists: Vec<ListItem>,
    /// Query blocks and inline queries (replaced by slots).
    pub queries: Vec<QueryBlock>,
    /// Inline tags, as written, in order (repeats kept).
    pub tags: Vec<String>,
    /// Plain text of the blocks around links (indexed by `LinkRef::context`).
    pub contexts: Vec<String>,
    /// Plain text of the whole body (blocks separated by newlines, code blocks left out).
    pub plain: String,
    /// Byte ranges of `plain` that are headings, link labels or inline code (not mentions).
    pub masked: Vec<(u32, u32)>,
    /// The first paragraphs as plain text (no headings, tables or `key:: value` lines).
    pub excerpt: String,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// comrak options for notes: GFM, Obsidian callouts, comments, highlights, wikilinks.
pub fn options(hard_breaks: bool) -> Options<'static> {
    let mut o = Options::default();
    let e = &mut o.extension;
    e.strikethrough = true;
    e.table = true;
    e.autolink = true;
    e.tasklist = true;
    e.footnotes = true;
    e.inline_footnotes = true;
    e.ofm_callouts = true;
    e.ofm_comments = true;
    e.highlight = true;
    e.wikilinks_title_after_pipe = true;
    e.math_dollars = true;
    o.parse.relaxed_tasklist_matching = true;
    o.parse.relaxed_autolinks = false;
    o.render.hardbreaks = hard_breaks;
    o.render.r#unsafe = true;
    o.render.tasklist_classes = true;
    o
}

/// Converts markdown to a fragment and extracts its metadata. `path` is used in diagnostics;
/// `front_matter` says whether `text` is a whole note (with possible frontmatter) or a section.
pub fn convert(path: &str, text: &str, hard_breaks: bool, front_matter: bool) -> Markdown {
    let arena = Arena::new();
    let opts = options(hard_breaks);
    // The frontmatter is blanked out (same number of lines, so positions stay file positions):
    // exactly what the frontmatter reader took is never rendered, whatever its delimiters.
    let blanked;
    let text = match front_matter
        .then(|| super::frontmatter::split(text))
        .flatten()
    {
        Some(sp) => {
            let end = sp.yaml.as_ptr() as usize - text.as_ptr() as usize + sp.yaml.len();
            let close = text[end..].find('\n').map_or(text.len(), |i| end + i);
            let lines = text[..close].matches('\n').count();
            blanked = format!("{}{}", "\n".repeat(lines), &text[close..]);
            blanked.as_str()
        }
        None => text,
    };
    let root = parse_document(&arena, text, &opts);
    super::rescue::rescue_wikilinks(&arena, root, text);
    let mut md = Markdown::default();
    let mut walker = Walker {
        path,
        arena: &arena,
        md: &mut md,
        ctx: Contexts::default(),
        items: HashMap::default(),
        raw_html: None,
    };
    walker.collect_plain(root);
    let nodes: Vec<N<'_>> = root.descendants().collect();
    walker
        .ctx
        .collect(&nodes, &mut walker.md.contexts, &walker.md.plain);
    walker.first_pass(&nodes);
    walker.link_pass(&nodes);
    walker.query_pass(&nodes);
    let raw_html = walker.raw_html;
    let heading_ids: Vec<String> = md.headings.iter().map(|h| h.id.clone()).collect();
    let mut html = String::with_capacity(text.len() * 3 / 2);
    let state = format::State::new(heading_ids);
    if format::Formatter::format_document(root, &opts, &mut html, state).is_err() {
        html = format!("<pre>{}</pre>", format::escape(text));
    }
    md.fragment.html = match raw_html {
        None => html,
        Some(_) if !sanitize::too_deep(&html) => sanitize::clean(&html),
        // Too deep to sanitize in reasonable time: the raw HTML is shown as text instead.
        Some((line, column)) => {
            md.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Code::UnsafeHtml,
                path,
                line,
                column,
                format!(
                    "elements are nested more than {} deep; the raw HTML of this note is shown as text",
                    sanitize::MAX_DEPTH
                ),
                "nest blockquotes, lists and HTML elements less deeply",
            ));
            let mut escaped = opts.clone();
            escaped.render.escape = true;
            let mut out = String::with_capacity(html.len());
            let ids = md.headings.iter().map(|h| h.id.clone()).collect();
            let state = format::State::new(ids);
            if format::Formatter::format_document(root, &escaped, &mut out, state).is_err() {
                out = format!("<pre>{}</pre>", format::escape(text));
            }
            out
        }
    };
    md
}

struct Walker<'w, 'a> {
    path: &'w str,
    arena: &'a Arena<'a>,
    md: &'w mut Markdown,
    ctx: Contexts,
    items: HashMap<usize, usize>,
    /// Line and column of the first raw HTML, if any.
    raw_html: Option<(usize, usize)>,
}

/// The language of a fenced block that holds a query.
fn query_lang(info: &str) -> Option<QueryLang> {
    let lang = info.split_whitespace().next().unwrap_or("");
    match lang.to_ascii_lowercase().as_str() {
        "dataview" => Some(QueryLang::Dataview),
        "dataviewjs" => Some(QueryLang::DataviewJs),
        "tasks" => Some(QueryLang::Tasks),
        _ => None,
    }
}

/// Plain text of a list item without its sub-lists.
fn item_text(item: N<'_>) -> String {
    let mut out = String::new();
    for c in item.children() {
        if matches!(c.data().value, NodeValue::List(_)) {
            continue;
        }
        let t = plain_text(c);
        let t = t.trim();
        if !t.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t);
        }
    }
    out
}

/// Is this paragraph prose (not a callout title, a table cell, a footnote or `key:: value`)?
fn is_prose(n: N<'_>, text: &str) -> bool {
    let mut a = n.parent();
    while let Some(p) = a {
        if matches!(
            p.data().value,
            NodeValue::CalloutTitle | NodeValue::TableCell | NodeValue::FootnoteDefinition(_)
        ) {
            return false;
        }
        a = p.parent();
    }
    !text.split('\n').all(|l| l.contains("::")) && !text.starts_with('^') && !is_prompt(n, text)
}

/// A template's prompt or placeholder left in a note: a paragraph that is all italics and asks
/// something (`_How do you work with this person?_`), leads into nothing (`_Notes:_`, `_…_`) or
/// says nothing is known (`_Unknown_`, `_TBD_`). It is no summary of the note.
fn is_prompt(n: N<'_>, text: &str) -> bool {
    let mut children = n.children();
    let all_italic = match (children.next(), children.next()) {
        (Some(c), None) => matches!(c.data().value, NodeValue::Emph),
        _ => false,
    };
    if !all_italic {
        return false;
    }
    let t = text.trim().to_lowercase();
    t.ends_with('?')
        || t.ends_with(':')
        || t.ends_with('…')
        || t.ends_with("...")
        || matches!(
            t.as_str(),
            "unknown" | "tbd" | "tba" | "n/a" | "none" | "todo" | "to do" | "-" | "?"
        )
}

impl<'w, 'a> Walker<'w, 'a> {
    fn text_node(&self, s: String) -> N<'a> {
        self.arena.alloc(NodeValue::Text(s.into()).into())
    }

    /// Whole-body plain text, blocks on their own lines, code blocks and comments left out;
    /// and the excerpt: the first real paragraphs.
    fn collect_plain(&mut self, root: N<'a>) {
        let mut out = String::new();
        let mut excerpt = String::new();
        let mut masked = Vec::new();
        for n in root.descendants() {
            let v = &n.data().value;
            if matches!(
                v,
                NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
            ) {
                let mut spans = Vec::new();
                let t = plain_spans(n, &mut spans);
                let lead = t.len() - t.trim_start().len();
                let t = t.trim();
                if !t.is_empty() {
                    let base = out.len();
                    self.ctx.known(n, base, base + t.len(), lead, &spans);
                    if matches!(v, NodeValue::Heading(_)) {
                        // A heading labels a section ("## People"); it does not mention a note.
                        spans = vec![(n, 0, t.len() + lead)];
                    }
                    masked.extend(spans.into_iter().filter_map(|(_, a, b)| {
                        let a = a.saturating_sub(lead).min(t.len());
                        let b = b.saturating_sub(lead).min(t.len());
                        (a < b).then(|| ((base + a) as u32, (base + b) as u32))
                    }));
                    out.push_str(t);
                    out.push('\n');
                    if excerpt.len() < 200 && matches!(v, NodeValue::Paragraph) && is_prose(n, t) {
                        if !excerpt.is_empty() {
                            excerpt.push(' ');
                        }
                        excerpt.push_str(t);
                    }
                }
            }
        }
        self.md.plain = out;
        self.md.masked = masked;
        self.md.excerpt = excerpt;
    }

    /// Headings, raw HTML, tasks, block ids and tags.
    fn first_pass(&mut self, nodes: &[N<'a>]) {
        let mut ids: HashMap<String, usize> = HashMap::default();
        for &n in nodes {
            let pos = n.data().sourcepos;
            let value = n.data().value.clone_shallow();
            match value {
                Shallow::Heading(level) => {
                    let text = plain_text(n).trim().to_string();
                    let base = crate::paths::slugify(&text);
                    let mut id = base.clone();
                    let mut c = 0;
                    while ids.contains_key(&id) {
                        c += 1;
                        id = format!("{base}-{c}");
                    }
                    ids.insert(id.clone(), 0);
                    self.md.headings.push(Heading {
                        level,
                        text,
                        id,
                        line: pos.start.line,
                    });
                }
                Shallow::Html(raw) => {
                    self.raw_html = self.raw_html.or(Some((pos.start.line, pos.start.column)));
                    if sanitize::looks_unsafe(&raw) {
                        self.md.diagnostics.push(Diagnostic::new(
                            Severity::Info,
                            Code::UnsafeHtml,
                            self.path,
                            pos.start.line,
                            pos.start.column,
                            "raw HTML with a script, event handler or dangerous URL; it was removed",
                            "remove the script or handler from the note; wikigen never publishes them",
                        ));
                    }
                }
                Shallow::Item(task) => {
                    let mut parent = None;
                    let mut a = n.parent();
                    while let Some(p) = a {
                        if let Some(&i) = self.items.get(&(p as *const _ as usize)) {
                            parent = Some(i);
                            break;
                        }
                        a = p.parent();
                    }
                    let text = item_text(n);
                    let index = self.md.lists.len();
                    self.items.insert(n as *const _ as usize, index);
                    self.md.lists.push(ListItem {
                        line: pos.start.line,
                        line_count: pos.end.line.saturating_sub(pos.start.line) + 1,
                        task: task.map(|s| s.unwrap_or(' ')),
                        text: text.clone(),
                        parent,
                        heading: self.md.headings.len().checked_sub(1),
                    });
                    if let Some(symbol) = task {
                        self.md.tasks.push(Task {
                            line: pos.start.line,
                            status: symbol.unwrap_or(' '),
                            text,
                            item: index,
                        });
                    }
                }
                Shallow::Paragraph => self.block_id(n),
                Shallow::Text => {
                    self.inline_fields_in_text(n);
                    self.tags_in_text(n);
                }
                Shallow::Other => {}
            }
        }
    }

    fn block_id(&mut self, para: N<'a>) {
        let Some(last) = para.last_child() else {
            return;
        };
        let text = match &last.data().value {
            NodeValue::Text(t) => t.to_string(),
            _ => return,
        };
        let trimmed = text.trim_end();
        let Some(caret) = trimmed.rfind('^') else {
            return;
        };
        let id = &trimmed[caret + 1..];
        let before = &trimmed[..caret];
        let alone = before.trim().is_empty() && last.previous_sibling().is_none();
        if id.is_empty()
            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || !(alone || before.ends_with([' ', '\t']))
        {
            return;
        }
        let id = id.to_string();
        let anchor = format!("<a class=\"block-anchor\" id=\"^{id}\"></a>");
        if alone {
            // A standalone `^id` line names the block before it (a list, table, quote...).
            let target = para.previous_sibling();
            let range = target.unwrap_or(para).data().sourcepos;
            let html: N<'a> = self.arena.alloc(
                NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock {
                    block_type: 6,
                    literal: anchor,
                })
                .into(),
            );
            match target {
                Some(t) => t.insert_before(html),
                None => para.insert_before(html),
            }
            para.detach();
            self.md.blocks.push(BlockId {
                id,
                start_line: range.start.line,
                end_line: range.end.line,
            });
        } else {
            last.data_mut().value = NodeValue::Text(before.trim_end().to_string().into());
            let item = para
                .parent()
                .filter(|p| matches!(p.data().value, NodeValue::Item(_) | NodeValue::TaskItem(_)));
            let range = item.unwrap_or(para).data().sourcepos;
            para.prepend(self.arena.alloc(NodeValue::HtmlInline(anchor).into()));
            self.md.blocks.push(BlockId {
                id,
                start_line: range.start.line,
                end_line: range.end.line,
            });
        }
    }

    /// `[key:: value]` is shown as a labelled value and `(key:: value)` as its value alone, as
    /// Dataview shows them in reading view.
    fn inline_fields_in_text(&mut self, n: N<'a>) {
        let text = match &n.data().value {
            NodeValue::Text(t) if t.contains("::") => t.to_string(),
            _ => return,
        };
        let spans = super::inline_fields::bracket_spans(&text);
        if spans.is_empty() {
            return;
        }
        let html = |s: String| -> N<'a> { self.arena.alloc(NodeValue::HtmlInline(s).into()) };
        let mut last = 0;
        for (start, end, key, value) in spans {
            if start > last {
                n.insert_before(self.text_node(text[last..start].to_string()));
            }
            let hidden = text.as_bytes()[start] == b'(';
            let key_html = if hidden {
                String::new()
            } else {
                format!(
                    "<span class=\"inline-field-key\">{}</span>",
                    format::escape(key)
                )
            };
            n.insert_before(html(format!(
                "<span class=\"inline-field\" data-key=\"{}\">{key_html}<span class=\"inline-field-value\">",
                format::escape(key)
            )));
            n.insert_before(self.text_node(value.trim().to_string()));
            n.insert_before(html("</span></span>".into()));
            last = end + 1;
        }
        n.data_mut().value = NodeValue::Text(text[last..].to_string().into());
    }

    fn tags_in_text(&mut self, n: N<'a>) {
        let mut anc = n.parent();
        while let Some(a) = anc {
            if is_link_like(&a.data().value) {
                return;
            }
            anc = a.parent();
        }
        let text = match &n.data().value {
            NodeValue::Text(t) => t.to_string(),
            _ => return,
        };
        if !text.contains('#') {
            return;
        }
        let boundary = match n.previous_sibling() {
            None => true,
            Some(p) => match &p.data().value {
                NodeValue::SoftBreak | NodeValue::LineBreak => true,
                NodeValue::Text(t) => t.ends_with(char::is_whitespace),
                _ => false,
            },
        };
        let found = tags::find_tags(&text, boundary);
        if found.is_empty() {
            return;
        }
        let mut last = 0;
        for (range, name) in found {
            if range.start > last {
                n.insert_before(self.text_node(text[last..range.start].to_string()));
            }
            let marker = self
                .md
                .fragment
                .push_inline(Slot::Tag { name: name.clone() });
            n.insert_before(self.text_node(marker));
            self.md.tags.push(name);
            last = range.end;
        }
        n.data_mut().value = NodeValue::Text(text[last..].to_string().into());
    }

    /// Wikilinks, markdown links and images become slots.
    fn link_pass(&mut self, nodes: &[N<'a>]) {
        for &n in nodes {
            if !is_link_like(&n.data().value) {
                continue;
            }
            let pos = n.data().sourcepos;
            let (line, column) = (pos.start.line, pos.start.column);
            let (context, mark) = self.ctx.of(n);
            let value = n.data().value.clone();
            match value {
                NodeValue::WikiLink(w) if w.url.trim().is_empty() => {
                    // `[[|x]]` is no link: keep it as the text it was.
                    let inner = plain_text(n);
                    let bang = if w.embed { "!" } else { "" };
                    let t = self.text_node(format!("{bang}[[|{inner}]]"));
                    n.insert_before(t);
                    n.detach();
                }
                NodeValue::WikiLink(w) => {
                    let (path, subpath) = split_target(&w.url);
                    let child = child_text(n);
                    let has_alias = !child.is_empty() && child != w.url;
                    let mut size = None;
                    let mut alias = has_alias.then(|| child.clone());
                    if w.embed && has_alias {
                        if let Some(s) = parse_size(&child) {
                            size = Some(s);
                            alias = None;
                        }
                    }
                    let label = alias
                        .clone()
                        .unwrap_or_else(|| default_display(&path, subpath.as_deref()));
                    let idx = self.push_link(LinkRef {
                        path,
                        subpath,
                        label: label.clone(),
                        embed: w.embed,
                        markdown: false,
                        size,
                        line,
                        column,
                        context,
                        mark,
                    });
                    let slot = if w.embed {
                        Slot::Embed {
                            link: idx,
                            alt: alias.unwrap_or_default(),
                        }
                    } else {
                        Slot::Wiki { link: idx, label }
                    };
                    self.replace_with_marker(n, slot, w.embed);
                }
                NodeValue::Link(l) if l.url.trim().is_empty() => self.unwrap(n),
                NodeValue::Link(l) => {
                    let label = plain_text(n);
                    match classify_dest(&l.url, false) {
                        Dest::External(url) => self.wrap(n, Slot::ExtOpen { url }, Slot::ExtClose),
                        Dest::Unsafe(url) => {
                            self.unsafe_url(line, column, &url);
                            self.unwrap(n);
                        }
                        Dest::Internal(path, subpath) => {
                            let idx = self.push_link(LinkRef {
                                path,
                                subpath,
                                label,
                                embed: false,
                                markdown: true,
                                size: None,
                                line,
                                column,
                                context,
                                mark,
                            });
                            self.wrap(n, Slot::Open { link: idx }, Slot::Close { link: idx });
                        }
                    }
                }
                NodeValue::Image(l) => {
                    let (alt, size) = split_alt_size(&plain_text(n));
                    match classify_dest(&l.url, true) {
                        Dest::External(url) => {
                            self.replace_with_marker(n, Slot::ExtImage { url, alt }, false)
                        }
                        Dest::Unsafe(url) => {
                            self.unsafe_url(line, column, &url);
                            let t = self.text_node(alt);
                            n.insert_before(t);
                            n.detach();
                        }
                        Dest::Internal(path, subpath) => {
                            let idx = self.push_link(LinkRef {
                                path,
                                subpath,
                                label: alt.clone(),
                                embed: true,
                                markdown: true,
                                size,
                                line,
                                column,
                                context,
                                mark,
                            });
                            self.replace_with_marker(n, Slot::Embed { link: idx, alt }, true);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Query blocks (```` ```dataview ````, ```` ```dataviewjs ````, ```` ```tasks ````) and
    /// inline queries (`` `= expr` ``, `` `$= js` ``) become query slots.
    fn query_pass(&mut self, nodes: &[N<'a>]) {
        for &n in nodes {
            let pos = n.data().sourcepos;
            let found = match &n.data().value {
                NodeValue::CodeBlock(cb) if cb.fenced => {
                    query_lang(&cb.info).map(|lang| (lang, cb.literal.clone(), true))
                }
                NodeValue::Code(c) => {
                    let lit = c.literal.trim_start();
                    if let Some(js) = lit.strip_prefix("$=") {
                        Some((QueryLang::InlineJs, js.trim().to_string(), false))
                    } else {
                        // `= expr` is a query; `=x` only when it is an expression (so code
                        // such as `==mark==` or `=SUM(A1:A3)` stays code).
                        lit.strip_prefix('=')
                            .filter(|q| {
                                !q.trim().is_empty()
                                    && (q.starts_with(char::is_whitespace)
                                        || crate::query::parse::parse_expr(q.trim()).is_ok())
                            })
                            .map(|q| (QueryLang::Inline, q.trim().to_string(), false))
                    }
                }
                _ => None,
            };
            let Some((lang, source, block)) = found else {
                continue;
            };
            let index = self.md.queries.len();
            self.md.queries.push(QueryBlock {
                lang,
                source,
                line: pos.start.line,
                column: pos.start.column,
            });
            if block {
                let marker = self.md.fragment.push_block(Slot::Query { index });
                let html: N<'a> = self.arena.alloc(
                    NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock {
                        block_type: 6,
                        literal: marker,
                    })
                    .into(),
                );
                n.insert_before(html);
                n.detach();
            } else {
                self.replace_with_marker(n, Slot::Query { index }, false);
            }
        }
    }

    fn push_link(&mut self, l: LinkRef) -> usize {
        self.md.links.push(l);
        self.md.links.len() - 1
    }

    fn unsafe_url(&mut self, line: usize, column: usize, url: &str) {
        let shown: String = url.chars().take(40).collect();
        self.md.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            Code::UnsafeUrl,
            self.path,
            line,
            column,
            format!("link to `{shown}` was rendered as plain text: this kind of URL can run code"),
            "link to a web address (https://…) or to a note instead",
        ));
    }

    fn replace_with_marker(&mut self, n: N<'a>, slot: Slot, block: bool) {
        let marker = if block {
            self.md.fragment.push_block(slot)
        } else {
            self.md.fragment.push_inline(slot)
        };
        n.insert_before(self.text_node(marker));
        n.detach();
    }

    /// Replaces a link node by open marker + its children + close marker.
    fn wrap(&mut self, n: N<'a>, open: Slot, close: Slot) {
        let o = self.md.fragment.push_inline(open);
        n.insert_before(self.text_node(o));
        let c = self.md.fragment.push_inline(close);
        n.insert_after(self.text_node(c));
        self.unwrap(n);
    }

    /// Moves a node's children before it and removes it.
    fn unwrap(&mut self, n: N<'a>) {
        let children: Vec<N<'a>> = n.children().collect();
        for c in children {
            c.detach();
            n.insert_before(c);
        }
        n.detach();
    }
}

/// The parts of a node value the first pass needs, without cloning large literals needlessly.
enum Shallow {
    Heading(u8),
    Html(String),
    Item(Option<Option<char>>),
    Paragraph,
    Text,
    Other,
}

trait CloneShallow {
    fn clone_shallow(&self) -> Shallow;
}

impl CloneShallow for NodeValue {
    fn clone_shallow(&self) -> Shallow {
        match self {
            NodeValue::Heading(h) => Shallow::Heading(h.level),
            NodeValue::HtmlBlock(h) => Shallow::Html(h.literal.clone()),
            NodeValue::HtmlInline(s) => Shallow::Html(s.clone()),
            NodeValue::TaskItem(t) => Shallow::Item(Some(t.symbol)),
            NodeValue::Item(_) => Shallow::Item(None),
            NodeValue::Paragraph => Shallow::Paragraph,
            NodeValue::Text(_) => Shallow::Text,
            _ => Shallow::Other,
        }
    }
}
