//! Parse stage, wikilinks comrak rejects: comrak's wikilink parser ends a target at any `[`, `]`
//! or second `|`, but Obsidian reads everything up to the first `]]` and splits it at the first
//! `|`. This pass, run on the tree right after parsing, turns the `[[…]]` left over in text into
//! wikilink nodes (`[[Sq]uare]]`, `[[#h||alias]]`, `[[a [[Inner]] c]]` → `Inner`) and re-reads
//! from the source the links comrak gave an empty target (`[[|alias]]` links to `|alias`;
//! `[[]]` is no link). Text that differs from the source (escaped `\[\[`, entities) is left alone:
//! Obsidian does not link escaped brackets.

use super::contexts::is_link_like;
use super::links::split_wikilink_inner;
use comrak::nodes::{AstNode, LineColumn, NodeValue, NodeWikiLink, Sourcepos};
use comrak::Arena;

type N<'a> = &'a AstNode<'a>;

/// The source text by line, split lazily (most notes need no rescue).
struct Lines<'s> {
    text: &'s str,
    starts: Option<Vec<usize>>,
}

impl<'s> Lines<'s> {
    /// The source from 1-based `line` and byte `column` to the end of that line.
    fn from(&mut self, line: usize, column: usize) -> Option<&'s str> {
        let text = self.text;
        let starts = self.starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |&e| e - 1);
        text.get(start + column.checked_sub(1)?..end)
    }
}

/// A `[[…]]` found in a text node: byte range (with a leading `!` for embeds) and its parts.
struct Found {
    start: usize,
    end: usize,
    embed: bool,
    target: String,
    alias: Option<String>,
}

/// The wikilinks in `t`, Obsidian's way: each `]]` closes the last `[[` before it.
fn find(t: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(c) = t[from..].find("]]") {
        let close = from + c;
        if let Some(o) = t[from..close].rfind("[[") {
            let open = from + o;
            if let Some((target, alias)) = split_wikilink_inner(&t[open + 2..close]) {
                let embed = t[..open].ends_with('!');
                out.push(Found {
                    start: open - usize::from(embed),
                    end: close + 2,
                    embed,
                    target,
                    alias,
                });
            }
        }
        from = close + 2;
    }
    out
}

/// Does `text` hold a `[[…]]` that comrak rejects or reads with an empty target (an empty or
/// pipe-led inner text, a bracket inside, two pipes)? A quick scan of the source that lets almost
/// every note skip the walk over its tree.
pub fn needs_rescue(text: &str) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("[["));
    static CLOSE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("]]"));
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(i) = OPEN.find(&b[at..]) {
        at += i + 2;
        let Some(close) = CLOSE.find(&b[at..]) else {
            return false;
        };
        let inner = &b[at..at + close];
        if memchr::memchr(b'\n', inner).is_some() {
            continue;
        }
        let t = inner.trim_ascii();
        if t.is_empty()
            || t[0] == b'|'
            || memchr::memchr2(b'[', b']', inner).is_some()
            || memchr::memchr_iter(b'|', inner).nth(1).is_some()
        {
            return true;
        }
    }
    false
}

/// Turns the wikilinks comrak left as text into wikilink nodes; `text` is the parsed source.
pub fn rescue_wikilinks<'a>(arena: &'a Arena<'a>, root: N<'a>, text: &str) {
    if !needs_rescue(text) {
        return;
    }
    let mut lines = Lines { text, starts: None };
    let nodes: Vec<N<'a>> = root
        .descendants()
        .filter(|n| match &n.data().value {
            NodeValue::Text(t) => t.contains("]]"),
            NodeValue::WikiLink(w) => w.url.trim().is_empty(),
            _ => false,
        })
        .collect();
    for n in nodes {
        let pos = n.data().sourcepos.start;
        let Some(src) = lines.from(pos.line, pos.column) else {
            continue;
        };
        let embed = match &n.data().value {
            NodeValue::WikiLink(w) => Some(w.embed),
            _ => None,
        };
        match embed {
            Some(embed) => empty_target(arena, n, src, embed),
            None => in_text(arena, n, src, pos),
        }
    }
}

/// A wikilink comrak read with an empty target: `[[|x]]` links to `|x`; `[[]]` is text.
fn empty_target<'a>(arena: &'a Arena<'a>, n: N<'a>, src: &str, embed: bool) {
    let open = if embed { "![[" } else { "[[" };
    let Some(inner) = src
        .strip_prefix(open)
        .and_then(|r| r.find("]]").map(|e| &r[..e]))
    else {
        return;
    };
    let raw = format!("{open}{inner}]]");
    let Some((target, alias)) = split_wikilink_inner(inner) else {
        n.insert_before(text_node(arena, raw, n.data().sourcepos));
        n.detach();
        return;
    };
    for c in n.children().collect::<Vec<_>>() {
        c.detach();
    }
    n.append(text_node(
        arena,
        alias.unwrap_or_else(|| target.clone()),
        n.data().sourcepos,
    ));
    n.data_mut().value = NodeValue::WikiLink(NodeWikiLink { url: target, embed });
}

/// Splits a text node around the wikilinks in it, when its text is exactly the source's.
fn in_text<'a>(arena: &'a Arena<'a>, n: N<'a>, src: &str, pos: LineColumn) {
    let mut anc = n.parent();
    while let Some(a) = anc {
        if is_link_like(&a.data().value) {
            return;
        }
        anc = a.parent();
    }
    let t = match &n.data().value {
        NodeValue::Text(t) if src.starts_with(&**t) => t.to_string(),
        _ => return,
    };
    let found = find(&t);
    if found.is_empty() {
        return;
    }
    let at = |i: usize| LineColumn {
        line: pos.line,
        column: pos.column + i,
    };
    let span = |a: usize, b: usize| Sourcepos {
        start: at(a),
        end: at(b.max(a + 1) - 1),
    };
    let mut last = 0;
    for f in found {
        if f.start > last {
            n.insert_before(text_node(
                arena,
                t[last..f.start].into(),
                span(last, f.start),
            ));
        }
        let link: N<'a> = arena.alloc(
            NodeValue::WikiLink(NodeWikiLink {
                url: f.target.clone(),
                embed: f.embed,
            })
            .into(),
        );
        link.data_mut().sourcepos = span(f.start, f.end);
        let label = f.alias.unwrap_or(f.target);
        link.append(text_node(arena, label, span(f.start, f.end)));
        n.insert_before(link);
        last = f.end;
    }
    if last < t.len() {
        n.data_mut().value = NodeValue::Text(t[last..].to_string().into());
        n.data_mut().sourcepos = span(last, t.len());
    } else {
        n.detach();
    }
}

fn text_node<'a>(arena: &'a Arena<'a>, s: String, pos: Sourcepos) -> N<'a> {
    let node: N<'a> = arena.alloc(NodeValue::Text(s.into()).into());
    node.data_mut().sourcepos = pos;
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(t: &str) -> Vec<(usize, usize, bool, String, Option<String>)> {
        find(t)
            .into_iter()
            .map(|f| (f.start, f.end, f.embed, f.target, f.alias))
            .collect()
    }

    #[test]
    fn each_close_ends_the_last_open_before_it() {
        assert_eq!(
            links("go [[Sq]uare]] now"),
            vec![(3, 14, false, "Sq]uare".into(), None)]
        );
        assert_eq!(
            links("[[a [[Inner]] c]]"),
            vec![(4, 13, false, "Inner".into(), None)]
        );
        assert_eq!(
            links("x ![[#h||y]] [[]] [[a[b]]"),
            vec![
                (2, 12, true, "#h".into(), Some("|y".into())),
                (18, 25, false, "a[b".into(), None)
            ]
        );
        assert!(links("a ]] b [[ c").is_empty());
    }

    #[test]
    fn the_quick_scan_finds_every_form_comrak_rejects() {
        for t in [
            "[[Sq]uare]]",
            "x [[a [[Inner]] c]] y",
            "[[#h||alias]]",
            "[[a|b|c]]",
            "[[]]",
            "[[ ]]",
            "[[|x]]",
            "![[ |x]]",
            "[[a[b]]",
            "[[ok]] then [[bad]one]]",
        ] {
            assert!(needs_rescue(t), "{t}");
        }
        for t in [
            "[[a]] [[b|c]] ![[d#e|f]]",
            "[[open\nclose]]",
            "no links",
            "[[never closed",
        ] {
            assert!(!needs_rescue(t), "{t}");
        }
    }
}
