//! Query stage, dependency recording: which notes a query's evaluation read, so that a rebuild
//! (`wikigen serve`) re-runs only the queries a change can affect. Every accessor of the query
//! index records the note it reads into a thread-local set while [`recording`] runs (a query is
//! evaluated on one thread). Three kinds of reads are recorded apart: a note's data (fields,
//! links, objects), only its list items and tasks (text, status, line), and its inlinks. A note
//! that a changed note links to has new inlinks but the same data; a changed note whose list
//! items are the same leaves queries over its tasks alone.
//!
//! A query's rows come from the notes of its `FROM`; what a row reads of its own note (fields,
//! list items) is recorded apart from what is read of other notes, and so are the notes that
//! have a row left after the query's leading `WHERE`s. A changed note that had no row left
//! before, and has none now ([`super::exec::rows_left`]), leaves the result alone: everything
//! after those `WHERE`s works on the rows left, and no other row read it. This keeps the
//! `TASK FROM "Meetings" WHERE contains(text, "Ada")` written on each person page from running
//! again for every task added to a meeting, and `TABLE role FROM "People" WHERE contains(tags,
//! "client")` for every edit of a person who is not a client.

use std::cell::{Cell, RefCell};

/// The kinds of reads, as indices into the recorded sets.
const DATA: usize = 0;
const ITEMS: usize = 1;
const INLINKS: usize = 2;
const OWN_DATA: usize = 3;
const OWN_ITEMS: usize = 4;
const ROWS: usize = 5;

/// Bits of the filter of names a query resolved links by (see [`read_name`]).
const NAME_BITS: usize = 1024;

thread_local! {
    /// Notes whose data, list items and inlinks the query running on this thread has read (for
    /// another note's row, or no row), the notes it read for their own rows, and the notes with
    /// rows left after its leading `WHERE`s.
    static READS: RefCell<Option<[Vec<u64>; 6]>> = const { RefCell::new(None) };
    /// The names the query running on this thread resolved links by, as a Bloom-style filter.
    static NAMES: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    /// The note of the row being evaluated (`usize::MAX`: none).
    static ROW: Cell<usize> = const { Cell::new(usize::MAX) };
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

    /// The notes of both sets, over `notes` notes.
    fn union(&self, other: &NoteSet, notes: usize) -> NoteSet {
        let mut bits = vec![0u64; notes.div_ceil(64)];
        for set in [self, other] {
            match set {
                NoteSet::List(l) => {
                    for &n in l {
                        if let Some(w) = bits.get_mut(n as usize / 64) {
                            *w |= 1 << (n % 64);
                        }
                    }
                }
                NoteSet::Bits(b) => {
                    for (w, x) in bits.iter_mut().zip(b) {
                        *w |= x;
                    }
                }
            }
        }
        NoteSet::from_bits(bits)
    }
}

impl NoteSet {
    /// This set with the notes numbered as `r` says; `None` when it holds a note that went.
    pub fn renumbered(&self, r: &crate::renumber::Renumber) -> Option<NoteSet> {
        Some(match self {
            NoteSet::List(l) if l.iter().all(|&n| r.keeps(n as usize)) => self.clone(),
            NoteSet::List(l) => {
                let mut v: Vec<u32> = l.iter().map(|&n| r.get32(n)).collect::<Option<_>>()?;
                v.sort_unstable();
                NoteSet::List(v)
            }
            NoteSet::Bits(b) => {
                // Only the bits of the notes that move are placed again.
                let moving = r.span();
                let mut bits = b.clone();
                bits.resize(r.new_len().div_ceil(64).max(b.len()), 0);
                for n in moving.clone() {
                    if let Some(w) = bits.get_mut(n / 64) {
                        *w &= !(1 << (n % 64));
                    }
                }
                for n in moving.filter(|&n| self.contains(n)) {
                    let n = r.get(n)?;
                    if let Some(w) = bits.get_mut(n / 64) {
                        *w |= 1 << (n % 64);
                    }
                }
                NoteSet::Bits(bits)
            }
        })
    }
}

impl Reads {
    /// What was read, with the notes numbered as `r` says; `None` when it read a note that went
    /// (the query must run again).
    pub fn renumbered(&self, r: &crate::renumber::Renumber) -> Option<Reads> {
        Some(Reads {
            data: self.data.renumbered(r)?,
            items: self.items.renumbered(r)?,
            inlinks: self.inlinks.renumbered(r)?,
            own_data: self.own_data.renumbered(r)?,
            own_items: self.own_items.renumbered(r)?,
            rows: self.rows.renumbered(r)?,
            names: self.names.clone(),
        })
    }
}

/// What one query's evaluation read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reads {
    /// Notes whose data it read (fields, `file.*`, item objects, outlinks) for another note's
    /// row, or for no row.
    pub data: NoteSet,
    /// Notes of which it read only list items and tasks (which there are, and their text,
    /// status, line and nesting) while working on a row of another note, or on no row.
    pub items: NoteSet,
    /// Notes whose inlinks it read (`file.inlinks`, `FROM [[note]]`).
    pub inlinks: NoteSet,
    /// Notes whose data it read only for their own rows.
    pub own_data: NoteSet,
    /// Notes whose list items it read only for their own rows: the rows themselves (the tasks
    /// of a `TASK` query), and what a row reads of its own note's items.
    pub own_items: NoteSet,
    /// Notes with a row left after the leading `WHERE`s.
    pub rows: NoteSet,
    /// The names it resolved links by (`[[Ada]]` in the query, link fields of the notes it read),
    /// hashed into a filter of [`NAME_BITS`] bits: a name that comes or goes can change what
    /// they resolve to.
    pub names: Vec<u64>,
}

/// Whether a change can alter a query's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// It cannot.
    No,
    /// It can: evaluate the query again.
    Yes,
    /// Only if one of these changed notes has a row left after the leading `WHERE`s now (it had
    /// none before, and no other row read it): see [`super::exec::rows_left`].
    IfRowsLeft(Vec<usize>),
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
    /// The notes whose names (path, title, aliases) changed: a rename, a new title.
    pub renamed: &'a [usize],
    /// Those notes' names, before and now, as [`name_hash`]es.
    pub names: &'a [u64],
}

impl Reads {
    /// Can this change alter the result?
    pub fn affected_by(&self, c: Changes<'_>) -> Affected {
        if self.data.any(c.notes)
            || self.items.any(c.items)
            || self.inlinks.any(c.notes)
            || self.inlinks.any(c.linked)
            || self.rows.any(c.renamed)
            || c.names.iter().any(|&h| self.names_may_hold(h))
        {
            return Affected::Yes;
        }
        let mut own: Vec<usize> = c
            .notes
            .iter()
            .copied()
            .filter(|&n| self.own_data.contains(n))
            .chain(
                c.items
                    .iter()
                    .copied()
                    .filter(|&n| self.own_items.contains(n)),
            )
            // A renamed note may have rows now that it had none (its name or folder is read
            // for its own row without being recorded): checked like a changed row.
            .chain(c.renamed.iter().copied())
            .collect();
        own.sort_unstable();
        own.dedup();
        if own.is_empty() {
            Affected::No
        } else if self.rows.any(&own) {
            Affected::Yes
        } else {
            Affected::IfRowsLeft(own)
        }
    }

    /// Might the query have resolved a link by a name with this [`name_hash`]?
    fn names_may_hold(&self, h: u64) -> bool {
        let bit = (h as usize) % NAME_BITS;
        self.names
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    /// These reads and `more` (what checking the changed notes' rows read), over `notes` notes.
    pub fn with(&self, more: &Reads, notes: usize) -> Reads {
        let mut names = self.names.clone();
        names.resize(names.len().max(more.names.len()), 0);
        for (w, x) in names.iter_mut().zip(&more.names) {
            *w |= x;
        }
        Reads {
            data: self.data.union(&more.data, notes),
            items: self.items.union(&more.items, notes),
            inlinks: self.inlinks.union(&more.inlinks, notes),
            own_data: self.own_data.union(&more.own_data, notes),
            own_items: self.own_items.union(&more.own_items, notes),
            rows: self.rows.union(&more.rows, notes),
            names,
        }
    }
}

/// The hash a link's target name is known by: its last path segment, without `.md` (or
/// `.markdown`), in NFC and
/// lower case (as the link index compares names). A note is named by its file name, title and
/// aliases this way; a link can find a note only if their hashes are equal.
pub fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let name = name.trim();
    let last = name.rsplit('/').next().unwrap_or(name);
    let last = last.trim();
    let last = last.strip_suffix(".markdown").unwrap_or(last);
    let last = crate::paths::strip_md(last);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    crate::paths::key(last.trim()).hash(&mut h);
    h.finish()
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
    mark(n, if ROW.get() == n { OWN_DATA } else { DATA });
}

/// Records that the running query reads note `n`'s list items or tasks (text, status, line,
/// nesting), and nothing else of it.
pub fn read_items(n: usize) {
    mark(n, if ROW.get() == n { OWN_ITEMS } else { ITEMS });
}

/// Records that the running query resolves a link written as `target` (`People/Ada`, `Ada`).
pub fn read_name(target: &str) {
    let bit = (name_hash(target) as usize) % NAME_BITS;
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(w) = names.get_mut(bit / 64) {
            *w |= 1 << (bit % 64);
        }
    });
}

/// Records that the running query reads which notes link to note `n`.
pub fn read_inlinks(n: usize) {
    mark(n, INLINKS);
}

/// Records that the running query makes rows of note `n`'s list items (a `TASK` query).
pub fn read_row_items(n: usize) {
    mark(n, OWN_ITEMS);
}

/// Records that note `n` has a row left after the running query's leading `WHERE`s.
pub fn row_left(n: usize) {
    mark(n, ROWS);
}

/// Runs `f` (the evaluation of an expression) for a row of note `n` (`None`: a group, or no row):
/// what it reads of that note is the row's own.
pub fn for_row<T>(n: Option<usize>, f: impl FnOnce() -> T) -> T {
    let before = ROW.replace(n.unwrap_or(usize::MAX));
    let out = f();
    ROW.set(before);
    out
}

/// Runs `f` (one query's evaluation, on this thread) over `notes` notes and returns what it read.
pub fn recording<T>(notes: usize, f: impl FnOnce() -> T) -> (T, Reads) {
    let words = notes.div_ceil(64);
    let empty = || vec![0; words];
    READS.with(|r| *r.borrow_mut() = Some(std::array::from_fn(|_| empty())));
    NAMES.with(|n| *n.borrow_mut() = vec![0; NAME_BITS / 64]);
    let before = ROW.replace(usize::MAX);
    let out = f();
    ROW.set(before);
    let [data, items, inlinks, own_data, own_items, rows] =
        READS.with(|r| r.borrow_mut().take()).unwrap_or_default();
    let mut names = NAMES.with(|n| std::mem::take(&mut *n.borrow_mut()));
    if names.iter().all(|&w| w == 0) {
        names = Vec::new();
    }
    let reads = Reads {
        data: NoteSet::from_bits(data),
        items: NoteSet::from_bits(items),
        inlinks: NoteSet::from_bits(inlinks),
        own_data: NoteSet::from_bits(own_data),
        own_items: NoteSet::from_bits(own_items),
        rows: NoteSet::from_bits(rows),
        names,
    };
    (out, reads)
}
