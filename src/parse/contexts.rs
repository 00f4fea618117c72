//! Parse stage, backlink contexts: the plain text of the block (paragraph, heading, table cell)
//! around each link, and where in that text the link's own words are, so that a backlink shows
//! the sentence with the link itself highlighted, not an earlier word that reads the same.

use super::plain::plain_spans;
use comrak::nodes::{AstNode, NodeValue};
use rustc_hash::FxHashMap as HashMap;

type N<'a> = &'a AstNode<'a>;

/// Longest context kept whole; a longer block keeps, for each link, a window around it.
pub const MAX_CONTEXT: usize = 600;
/// Bytes kept on each side of a link in a block longer than [`MAX_CONTEXT`].
const WINDOW: usize = 250;

/// Where each link's context is: an index into the note's context texts and the byte range of
/// the link's text in it.
#[derive(Default)]
pub struct Contexts {
    /// Block node → its context (the first [`MAX_CONTEXT`] bytes of a long block).
    by_block: HashMap<usize, u32>,
    /// Link node → (context, start, end) of its text.
    marks: HashMap<usize, (u32, u32, u32)>,
    /// Blocks whose plain text the body's plain text already holds (see [`Contexts::known`]).
    known: HashMap<usize, Known>,
}

/// A block's trimmed plain text as a range of the body's plain text, and its links' ranges in it.
struct Known {
    start: usize,
    end: usize,
    links: Vec<(usize, usize, usize)>,
}

fn key(n: N<'_>) -> usize {
    n as *const _ as usize
}

pub(super) fn is_link_like(v: &NodeValue) -> bool {
    matches!(
        v,
        NodeValue::Link(_) | NodeValue::Image(_) | NodeValue::WikiLink(_)
    )
}

fn is_context_block(v: &NodeValue) -> bool {
    matches!(
        v,
        NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
    )
}

/// The largest char boundary of `s` at or below `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The links among `spans` (ranges of a text with `lead` bytes of leading space), as (link node,
/// start, end) in that text trimmed to `len` bytes.
fn link_spans(
    spans: &[(N<'_>, usize, usize)],
    lead: usize,
    len: usize,
) -> Vec<(usize, usize, usize)> {
    spans
        .iter()
        .filter(|(n, _, _)| is_link_like(&n.data().value))
        .map(|&(n, a, e)| {
            let a = a.saturating_sub(lead).min(len);
            (key(n), a, e.saturating_sub(lead).clamp(a, len))
        })
        .collect()
}

impl Contexts {
    /// Records that block `b`'s trimmed plain text is `plain[start..end]`, with `links` (link
    /// node, start, end, relative to the untrimmed text that had `lead` bytes of leading space)
    /// in it, so that [`Contexts::collect`] need not walk the block again.
    pub fn known<'a>(
        &mut self,
        b: N<'a>,
        start: usize,
        end: usize,
        lead: usize,
        links: &[(N<'a>, usize, usize)],
    ) {
        let links = link_spans(links, lead, end - start);
        // A block without links is never asked for.
        if !links.is_empty() {
            self.known.insert(key(b), Known { start, end, links });
        }
    }

    /// Computes the context of every link among `nodes`, appending the texts to `texts`
    /// (one per block, shared by its links; one per link in a long block). `plain` is the
    /// body's plain text, which holds the blocks given to [`Contexts::known`].
    pub fn collect<'a>(&mut self, nodes: &[N<'a>], texts: &mut Vec<String>, plain: &str) {
        for &n in nodes {
            if !is_link_like(&n.data().value) || self.marks.contains_key(&key(n)) {
                continue;
            }
            let mut block = n.parent();
            while let Some(b) = block {
                if is_context_block(&b.data().value) {
                    break;
                }
                block = b.parent();
            }
            let Some(b) = block else { continue };
            if self.by_block.contains_key(&key(b)) {
                continue;
            }
            match self.known.remove(&key(b)) {
                Some(k) => self.add_block(key(b), &plain[k.start..k.end], k.links, texts),
                None => {
                    let mut spans = Vec::new();
                    let text = plain_spans(b, &mut spans);
                    let lead = text.len() - text.trim_start().len();
                    let t = text.trim();
                    let links = link_spans(&spans, lead, t.len());
                    self.add_block(key(b), t, links, texts);
                }
            }
        }
        self.known = HashMap::default();
    }

    /// Adds the context of block `b` (text `t`, trimmed) for its `links` (node, start, end).
    fn add_block(
        &mut self,
        b: usize,
        t: &str,
        links: Vec<(usize, usize, usize)>,
        texts: &mut Vec<String>,
    ) {
        if t.len() <= MAX_CONTEXT {
            let index = texts.len() as u32;
            texts.push(t.to_string());
            self.by_block.insert(b, index);
            for (n, a, e) in links {
                self.marks.insert(n, (index, a as u32, e as u32));
            }
            return;
        }
        let cut = floor(t, MAX_CONTEXT);
        texts.push(format!("{}…", &t[..cut]));
        self.by_block.insert(b, (texts.len() - 1) as u32);
        for (n, a, e) in links {
            let (s, end) = (floor(t, a.saturating_sub(WINDOW)), ceil(t, e + WINDOW));
            let mut w = String::with_capacity(end - s + 6);
            if s > 0 {
                w.push('…');
            }
            let offset = w.len();
            w.push_str(&t[s..end]);
            if end < t.len() {
                w.push('…');
            }
            let (ma, me) = (offset + a - s, offset + e - s);
            texts.push(w);
            self.marks
                .insert(n, ((texts.len() - 1) as u32, ma as u32, me as u32));
        }
    }

    /// The context of link node `n` and the byte range of its text there, when known.
    pub fn of(&self, n: N<'_>) -> (Option<u32>, Option<(u32, u32)>) {
        if let Some(&(c, a, e)) = self.marks.get(&key(n)) {
            return (Some(c), Some((a, e)));
        }
        let mut block = n.parent();
        while let Some(b) = block {
            if let Some(&i) = self.by_block.get(&key(b)) {
                return (Some(i), None);
            }
            block = b.parent();
        }
        (None, None)
    }
}
