//! Plain text of markdown nodes, for search, excerpts, backlink sentences and unlinked mentions.

use super::links::{default_display, split_target};
use comrak::arena_tree::NodeEdge;
use comrak::nodes::{AstNode, NodeValue};

type N<'a> = &'a AstNode<'a>;

/// Plain text of a node: text, code, wikilink display text; line breaks as spaces.
pub fn plain_text(node: N<'_>) -> String {
    plain_spans(node, &mut Vec::new())
}

/// [`plain_text`], also recording in `masked` the byte ranges that are link labels (wikilinks,
/// markdown links, image alt text) or inline code, each with its node: text that names a note
/// without being a mention of it in prose, and where backlinks mark the link.
pub fn plain_spans<'a>(node: N<'a>, masked: &mut Vec<(N<'a>, usize, usize)>) -> String {
    let mut out = String::new();
    let mut skip_until: Option<N<'a>> = None;
    let mut link: Option<(N<'a>, usize)> = None;
    for edge in node.traverse() {
        match edge {
            NodeEdge::Start(n) => {
                if skip_until.is_some() {
                    continue;
                }
                match &n.data().value {
                    NodeValue::Text(t) => out.push_str(t),
                    NodeValue::Code(c) => {
                        let start = out.len();
                        out.push_str(&c.literal);
                        masked.push((n, start, out.len()));
                    }
                    NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
                    NodeValue::WikiLink(w) => {
                        let start = out.len();
                        out.push_str(&wiki_label(n, &w.url));
                        masked.push((n, start, out.len()));
                        skip_until = Some(n);
                    }
                    NodeValue::Link(_) | NodeValue::Image(_) if link.is_none() => {
                        link = Some((n, out.len()));
                    }
                    NodeValue::CommentInline(_) | NodeValue::FootnoteReference(_) => {
                        skip_until = Some(n)
                    }
                    _ => {}
                }
            }
            NodeEdge::End(n) => {
                if skip_until.is_some_and(|s| std::ptr::eq(s, n)) {
                    skip_until = None;
                }
                if let Some((l, start)) = link {
                    if std::ptr::eq(l, n) {
                        masked.push((l, start, out.len()));
                        link = None;
                    }
                }
            }
        }
    }
    out
}

/// The text children of a node, concatenated (a wikilink's label).
pub fn child_text(n: N<'_>) -> String {
    n.children()
        .filter_map(|c| match &c.data().value {
            NodeValue::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

/// The visible text of a wikilink node: its alias, else Obsidian's default display text.
fn wiki_label(n: N<'_>, url: &str) -> String {
    let child = child_text(n);
    if child.is_empty() || child == url {
        let (p, s) = split_target(url);
        default_display(&p, s.as_deref())
    } else {
        child
    }
}
