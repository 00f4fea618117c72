//! Parse stage output for rendered markdown: an HTML fragment with placeholders ("slots") where
//! links, embeds and tags go. The render stage fills the slots once links are resolved, so the
//! markdown is converted to HTML exactly once per note.

use serde::{Deserialize, Serialize};

/// Starts an inline slot placeholder in fragment HTML.
pub const INLINE: char = '\u{E000}';
/// Ends a slot placeholder.
pub const END: char = '\u{E001}';
/// Starts a block slot placeholder (an embed that may expand to block content).
pub const BLOCK: char = '\u{E002}';

/// Something the render stage writes into a fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Slot {
    /// A wikilink, written whole: `<a …>label</a>` (or plain text for a private target).
    Wiki {
        /// Index into the note's links.
        link: usize,
        /// Visible text.
        label: String,
    },
    /// The opening tag of a markdown link to a note or file.
    Open {
        /// Index into the note's links.
        link: usize,
    },
    /// The closing tag of a markdown link to a note or file.
    Close {
        /// Index into the note's links.
        link: usize,
    },
    /// The opening tag of a link to a web address.
    ExtOpen {
        /// The URL as written.
        url: String,
    },
    /// The closing tag of a link to a web address.
    ExtClose,
    /// An embed `![[…]]` or `![](…)`: a note, section, block, image, audio, video or PDF.
    Embed {
        /// Index into the note's links.
        link: usize,
        /// Alt text or caption.
        alt: String,
    },
    /// An image from the web.
    ExtImage {
        /// The URL as written.
        url: String,
        /// Alt text.
        alt: String,
    },
    /// An inline `#tag`.
    Tag {
        /// Tag name without `#`, as written.
        name: String,
    },
    /// A query block or inline query: index into the note's queries.
    Query {
        /// Index into [`crate::parse::ParsedNote::queries`] (or the converted text's queries).
        index: usize,
    },
}

/// HTML with slot placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// HTML; placeholders are `INLINE n END` or `BLOCK n END`, `n` indexing `slots`.
    pub html: String,
    /// The slots.
    pub slots: Vec<Slot>,
}

impl Fragment {
    /// Adds a slot and returns its inline placeholder text.
    pub fn push_inline(&mut self, slot: Slot) -> String {
        self.slots.push(slot);
        format!("{INLINE}{}{END}", self.slots.len() - 1)
    }

    /// Adds a slot and returns its block placeholder text.
    pub fn push_block(&mut self, slot: Slot) -> String {
        self.slots.push(slot);
        format!("{BLOCK}{}{END}", self.slots.len() - 1)
    }
}

/// A piece of fragment HTML: literal text or a slot reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// HTML to copy as is.
    Html(&'a str),
    /// Slot index.
    Slot(usize),
}

/// Where the next placeholder ([`INLINE`] or [`BLOCK`]) starts in `s`. Both are three bytes
/// `EE 80 8x` in UTF-8: a memchr for the first byte skips the HTML between them (a char-set
/// search decodes every character, and pages fill hundreds of thousands of fragments).
fn next_placeholder(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(0xEE, &b[from..]) {
        let i = from + i;
        if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x80 | 0x82)) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// Splits fragment HTML into literal pieces and slot references, in order.
pub fn pieces(html: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match next_placeholder(rest) {
            Some(0) => {
                let end = rest.find(END)?;
                let n = rest[3..end].parse().ok();
                rest = &rest[end + END.len_utf8()..];
                Some(n.map(Piece::Slot).unwrap_or(Piece::Html("")))
            }
            Some(i) => {
                let (a, b) = rest.split_at(i);
                rest = b;
                Some(Piece::Html(a))
            }
            None => {
                let a = rest;
                rest = "";
                Some(Piece::Html(a))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_among_look_alike_characters() {
        // U+E001 (the end mark), U+E003 and U+E040 share the placeholders' first byte.
        let s = "a\u{E001}\u{E003}é\u{E040}b\u{E002}7\u{E001}c\u{E000}1\u{E001}";
        assert_eq!(next_placeholder(s), s.find('\u{E002}'));
        let p: Vec<_> = pieces(s).collect();
        assert_eq!(
            p,
            vec![
                Piece::Html("a\u{E001}\u{E003}é\u{E040}b"),
                Piece::Slot(7),
                Piece::Html("c"),
                Piece::Slot(1),
            ]
        );
        assert_eq!(next_placeholder("plain <p>text</p> ü"), None);
    }

    #[test]
    fn placeholders_round_trip() {
        let mut f = Fragment::default();
        let a = f.push_inline(Slot::Tag { name: "x".into() });
        let b = f.push_block(Slot::ExtClose);
        f.html = format!("<p>hi {a} there</p>{b}");
        let p: Vec<_> = pieces(&f.html).collect();
        assert_eq!(
            p,
            vec![
                Piece::Html("<p>hi "),
                Piece::Slot(0),
                Piece::Html(" there</p>"),
                Piece::Slot(1)
            ]
        );
    }
}
