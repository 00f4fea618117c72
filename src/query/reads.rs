//! Query stage, dependency recording: which notes a query's evaluation read, so that a rebuild
//! (`wikigen serve`) re-runs only the queries a change can affect. Every accessor of the query
//! index records the note it reads into a thread-local set while [`recording`] runs (a query is
//! evaluated on one thread). Three kinds of reads are recorded apart: a note's data (fields,
//! links, objects), only its list items and tasks (text, status, line), and its inlinks. A note
//! that a changed note links to has new inlinks but the same data; a changed note whose list
//! items are the same leaves queries over its tasks alone.

use std::cell::RefCell;

thread_local! {
    /// Notes whose data, list items and inlinks the query running on this thread has read.
    static READS: RefCell<Option<[Vec<u64>; 3]>> = const { RefCell::new(None) };
}

/// A set of notes: a sorted list when few, one bit per note otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteSet {
    /// Note indices, sorted.
    List(Vec<u32>),
    /// One bit per note.
    Bits(Vec<u64>),
}

impl NoteSet {
    fn from_bits(bits: Vec<u64>) -> NoteSet {
        let count: u32 = bits.iter().map(|w| w.count_ones()).sum();
        if (count as usize) * 32 >= bits.len() * 64 {
            return NoteSet::Bits(bits);
        }
        let mut list = Vec::with_capacity(count as usize);
        for (wi, &w) in bits.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                list.push((wi * 64) as u32 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        NoteSet::List(list)
    }

    /// Is note `n` in the set?
    pub fn contains(&self, n: usize) -> bool {
        match self {
            NoteSet::List(l) => u32::try_from(n).is_ok_and(|n| l.binary_search(&n).is_ok()),
            NoteSet::Bits(b) => b.get(n / 64).is_some_and(|w| w & (1 << (n % 64)) != 0),
        }
    }

    /// Is any of these notes in the set?
    pub fn any(&self, notes: &[usize]) -> bool {
        notes.iter().any(|&n| self.contains(n))
    }
}

/// What one query's evaluation read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reads {
    /// Notes whose data it read (fields, `file.*`, item objects, outlinks).
    pub data: NoteSet,
    /// Notes of which it read only list items and tasks: which there are, and their text,
    /// status, line and nesting.
    pub items: NoteSet,
    /// Notes whose inlinks it read (`file.inlinks`, `FROM [[note]]`).
    pub inlinks: NoteSet,
}

/// What a change altered, as note indices.
#[derive(Debug, Clone, Copy)]
pub struct Changes<'a> {
    /// The changed notes.
    pub notes: &'a [usize],
    /// The changed notes whose list items or tasks changed.
    pub items: &'a [usize],
    /// The notes whose inlinks may have changed (those the changed notes link to, before or now).
    pub linked: &'a [usize],
}

impl Reads {
    /// Can this change alter the result?
    pub fn affected_by(&self, c: Changes<'_>) -> bool {
        self.data.any(c.notes)
            || self.items.any(c.items)
            || self.inlinks.any(c.notes)
            || self.inlinks.any(c.linked)
    }
}

fn mark(n: usize, kind: usize) {
    READS.with(|r| {
        if let Some(sets) = r.borrow_mut().as_mut() {
            if let Some(w) = sets[kind].get_mut(n / 64) {
                *w |= 1 << (n % 64);
            }
        }
    });
}

/// Records that the running query reads note `n`'s data.
pub fn read(n: usize) {
    mark(n, 0);
}

/// Records that the running query reads note `n`'s list items or tasks (text, status, line,
/// nesting), and nothing else of it.
pub fn read_items(n: usize) {
    mark(n, 1);
}

/// Records that the running query reads which notes link to note `n`.
pub fn read_inlinks(n: usize) {
    mark(n, 2);
}

/// Runs `f` (one query's evaluation, on this thread) over `notes` notes and returns what it read.
pub fn recording<T>(notes: usize, f: impl FnOnce() -> T) -> (T, Reads) {
    let words = notes.div_ceil(64);
    let empty = || vec![0; words];
    READS.with(|r| *r.borrow_mut() = Some([empty(), empty(), empty()]));
    let out = f();
    let [data, items, inlinks] = READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    let reads = Reads {
        data: NoteSet::from_bits(data),
        items: NoteSet::from_bits(items),
        inlinks: NoteSet::from_bits(inlinks),
    };
    (out, reads)
}
