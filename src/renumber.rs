//! Renumbering the notes of an analysis (`wikigen serve`): when a note is renamed so that its
//! path sorts elsewhere, or a note comes or goes, every note after that place changes its index.
//! The last build's link, profile, mention and query results are then renumbered, so that the
//! next analysis can take them over as it does after a rename in place, instead of analysing the
//! whole vault again.

/// Note indices in the last build → indices in this one: a permutation, with places for the
/// notes new in this build and none for the notes that went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumber {
    to_new: Vec<usize>,
    /// How many notes this build has.
    new_len: usize,
    /// The notes from the first to the last that move (empty when none does).
    moving: std::ops::Range<usize>,
}

impl Renumber {
    /// The renumbering from the `old_len` notes of the last build to the `new_len` of this one
    /// that moves the notes of `pairs` ((old index, new index) of each renamed note), where
    /// `came` are the indices of the notes new in this build and `went` those of the last
    /// build's notes that went. Every other note keeps its path, so the others keep their order
    /// and fill the remaining places in turn. `None` when that does not add up (an index out of
    /// range or given twice, a count that does not match).
    pub fn with_new(
        old_len: usize,
        new_len: usize,
        pairs: &[(usize, usize)],
        came: &[usize],
        went: &[usize],
    ) -> Option<Renumber> {
        if new_len + went.len() != old_len + came.len() {
            return None;
        }
        let mut to_new = vec![usize::MAX; old_len];
        let mut gone = vec![false; old_len];
        for &o in went {
            if o >= old_len || gone[o] {
                return None;
            }
            gone[o] = true;
        }
        let mut taken = vec![false; new_len];
        for &t in came {
            if t >= new_len || taken[t] {
                return None;
            }
            taken[t] = true;
        }
        for &(o, t) in pairs {
            if o >= old_len || t >= new_len || to_new[o] != usize::MAX || gone[o] || taken[t] {
                return None;
            }
            to_new[o] = t;
            taken[t] = true;
        }
        let mut free = (0..new_len).filter(|&t| !taken[t]);
        for (o, slot) in to_new.iter_mut().enumerate() {
            if *slot == usize::MAX && !gone[o] {
                *slot = free.next()?;
            }
        }
        if free.next().is_some() {
            return None;
        }
        Some(Renumber::new(to_new, new_len))
    }

    fn new(to_new: Vec<usize>, new_len: usize) -> Renumber {
        let first = (0..to_new.len()).find(|&i| to_new[i] != i);
        let moving = match first {
            Some(lo) => {
                lo..(0..to_new.len())
                    .rev()
                    .find(|&i| to_new[i] != i)
                    .unwrap_or(lo)
                    + 1
            }
            None => 0..0,
        };
        Renumber {
            to_new,
            new_len,
            moving,
        }
    }

    /// The notes from the first to the last that move (every note outside keeps its index).
    pub fn span(&self) -> std::ops::Range<usize> {
        self.moving.clone()
    }

    /// Does every note keep its index, with no note new?
    pub fn is_identity(&self) -> bool {
        self.moving.is_empty() && self.new_len == self.to_new.len()
    }

    /// How many notes this build has.
    pub fn new_len(&self) -> usize {
        self.new_len
    }

    /// Does the note at `old` keep its index? (Results that name only such notes are taken
    /// over as they are, shared.)
    pub fn keeps(&self, old: usize) -> bool {
        !self.moving.contains(&old) || self.to_new[old] == old
    }

    /// The new index of the note at `old`, unless it went (an index out of range stays as it
    /// is).
    pub fn get(&self, old: usize) -> Option<usize> {
        match self.to_new.get(old) {
            Some(&usize::MAX) => None,
            Some(&n) => Some(n),
            None => Some(old),
        }
    }

    /// [`Renumber::get`] for `u32` indices.
    pub fn get32(&self, old: u32) -> Option<u32> {
        self.get(old as usize).map(|n| n as u32)
    }

    /// The new index of the note at `old`, for a record that only the last build's note can
    /// reach: a note that went gets `usize::MAX`, an index nothing can hold.
    pub fn at(&self, old: usize) -> usize {
        self.get(old).unwrap_or(usize::MAX)
    }

    /// A per-note list in the new order: the entry of old note `i` goes to [`Renumber::at`]`(i)`,
    /// and a new note's is empty (the default). A list of another length is returned as it is.
    pub fn permute<T: Clone + Default>(&self, v: &[T]) -> Vec<T> {
        self.permute_with(v, T::clone)
    }

    /// [`Renumber::permute`], making each entry with `f` (which renumbers what it holds).
    pub fn permute_with<T, U: Default>(&self, v: &[T], mut f: impl FnMut(&T) -> U) -> Vec<U> {
        if v.len() != self.to_new.len() {
            return v.iter().map(f).collect();
        }
        let mut out: Vec<U> = (0..self.new_len).map(|_| U::default()).collect();
        for (i, x) in v.iter().enumerate() {
            if let Some(slot) = out.get_mut(self.to_new[i]) {
                *slot = f(x);
            }
        }
        out
    }

    /// Sorted note indices, renumbered (without the notes that went) and sorted again.
    pub fn sorted(&self, v: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = v.iter().filter_map(|&i| self.get(i)).collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The renumbering that only moves the notes of `pairs` among `n`.
    fn moving(n: usize, pairs: &[(usize, usize)]) -> Option<Renumber> {
        Renumber::with_new(n, n, pairs, &[], &[])
    }

    #[test]
    fn a_note_moved_forward_shifts_the_notes_between() {
        // Note 4 of 6 becomes note 1: notes 1, 2, 3 move one place on.
        let r = moving(6, &[(4, 1)]).unwrap();
        let got: Vec<usize> = (0..6).map(|i| r.at(i)).collect();
        assert_eq!(got, vec![0, 2, 3, 4, 1, 5]);
        assert_eq!(
            r.permute(&["a", "b", "c", "d", "e", "f"]),
            ["a", "e", "b", "c", "d", "f"]
        );
        assert!(!r.is_identity());
        assert_eq!(r.span(), 1..5);
        assert!(r.keeps(0) && r.keeps(5) && !r.keeps(2));
    }

    #[test]
    fn a_note_moved_back_and_a_swap() {
        let r = moving(5, &[(0, 3)]).unwrap();
        assert_eq!(r.permute(&[0, 1, 2, 3, 4]), [1, 2, 3, 0, 4]);
        let r = moving(4, &[(0, 3), (3, 0)]).unwrap();
        assert_eq!(r.permute(&[0, 1, 2, 3]), [3, 1, 2, 0]);
        assert_eq!(r.sorted(&[0, 1]), [1, 3]);
        assert!(moving(3, &[(1, 1)]).unwrap().is_identity());
    }

    #[test]
    fn new_notes_get_empty_places() {
        // A note new at index 1 and one at the end, note 2 renamed to sort first.
        let r = Renumber::with_new(3, 5, &[(2, 0)], &[2, 4], &[]).unwrap();
        assert_eq!(r.permute(&["a", "b", "c"]), ["c", "a", "", "b", ""]);
        assert_eq!(r.new_len(), 5);
        // Only appended: every note keeps its index, yet the lists grow.
        let r = Renumber::with_new(2, 3, &[], &[2], &[]).unwrap();
        assert!(!r.is_identity() && r.keeps(0) && r.keeps(1));
        assert_eq!(r.permute(&[7, 8]), [7, 8, 0]);
        assert_eq!(
            Renumber::with_new(2, 3, &[], &[], &[]),
            None,
            "a note too few"
        );
    }

    #[test]
    fn notes_that_went_leave_no_place() {
        // Note 1 of 4 went, a note came at the end.
        let r = Renumber::with_new(4, 4, &[], &[3], &[1]).unwrap();
        assert_eq!(r.permute(&["a", "b", "c", "d"]), ["a", "c", "d", ""]);
        assert_eq!((r.get(1), r.get(2)), (None, Some(1)));
        assert!(!r.keeps(1));
        assert_eq!(r.sorted(&[0, 1, 3]), [0, 2]);
        assert_eq!(
            Renumber::with_new(4, 4, &[], &[], &[1]),
            None,
            "a note too many"
        );
    }

    #[test]
    fn pairs_that_are_not_moves_give_none() {
        assert_eq!(moving(3, &[(0, 1), (2, 1)]), None);
        assert_eq!(moving(3, &[(0, 1), (0, 2)]), None);
        assert_eq!(moving(3, &[(0, 3)]), None);
    }
}
