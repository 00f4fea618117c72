//! Renumbering the notes of an analysis (`wikigen serve`): when a note is renamed so that its
//! path sorts elsewhere, every note between its old and new place changes its index. The last
//! build's link, profile, mention and query results are then renumbered by the permutation, so
//! that the next analysis can take them over as it does after a rename in place, instead of
//! analysing the whole vault again.

/// A permutation of note indices: the index in the last build → the index in this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumber {
    to_new: Vec<usize>,
    /// The notes from the first to the last that move (empty when none does).
    moving: std::ops::Range<usize>,
}

impl Renumber {
    /// The permutation that moves the notes of `pairs` ((old index, new index) of each renamed
    /// note) among `n` notes; every other note keeps its path, so the others keep their order and
    /// fill the remaining places in turn. `None` when `pairs` is not a set of moves among `n`
    /// notes (an index out of range or given twice).
    pub fn moving(n: usize, pairs: &[(usize, usize)]) -> Option<Renumber> {
        let mut to_new = vec![usize::MAX; n];
        let mut taken = vec![false; n];
        for &(o, t) in pairs {
            if o >= n || t >= n || to_new[o] != usize::MAX || taken[t] {
                return None;
            }
            to_new[o] = t;
            taken[t] = true;
        }
        let mut free = (0..n).filter(|&t| !taken[t]);
        for slot in to_new.iter_mut().filter(|s| **s == usize::MAX) {
            *slot = free.next()?;
        }
        Some(Renumber::new(to_new))
    }

    fn new(to_new: Vec<usize>) -> Renumber {
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
        Renumber { to_new, moving }
    }

    /// The notes from the first to the last that move (every note outside keeps its index).
    pub fn span(&self) -> std::ops::Range<usize> {
        self.moving.clone()
    }

    /// Every one of `n` notes keeps its index.
    pub fn identity(n: usize) -> Renumber {
        Renumber::new((0..n).collect())
    }

    /// Does every note keep its index?
    pub fn is_identity(&self) -> bool {
        self.moving.is_empty()
    }

    /// How many notes there are.
    pub fn len(&self) -> usize {
        self.to_new.len()
    }

    /// Whether there are no notes.
    pub fn is_empty(&self) -> bool {
        self.to_new.is_empty()
    }

    /// Does the note at `old` keep its index? (Results that name only such notes are taken
    /// over as they are, shared.)
    pub fn keeps(&self, old: usize) -> bool {
        !self.moving.contains(&old) || self.to_new[old] == old
    }

    /// The new index of the note at `old` (an index out of range stays as it is).
    pub fn at(&self, old: usize) -> usize {
        self.to_new.get(old).copied().unwrap_or(old)
    }

    /// [`Renumber::at`] for `u32` indices.
    pub fn at32(&self, old: u32) -> u32 {
        self.at(old as usize) as u32
    }

    /// A per-note list in the new order: the entry of old note `i` goes to [`Renumber::at`]`(i)`.
    /// A list of another length is returned as it is.
    pub fn permute<T: Clone>(&self, v: &[T]) -> Vec<T> {
        self.permute_with(v, T::clone)
    }

    /// [`Renumber::permute`], making each entry with `f` (which renumbers what it holds).
    pub fn permute_with<T, U>(&self, v: &[T], mut f: impl FnMut(&T) -> U) -> Vec<U> {
        if v.len() != self.to_new.len() {
            return v.iter().map(f).collect();
        }
        let mut out: Vec<Option<U>> = (0..v.len()).map(|_| None).collect();
        for (i, x) in v.iter().enumerate() {
            out[self.to_new[i]] = Some(f(x));
        }
        out.into_iter().flatten().collect()
    }

    /// Sorted note indices, renumbered and sorted again.
    pub fn sorted(&self, v: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = v.iter().map(|&i| self.at(i)).collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_moved_forward_shifts_the_notes_between() {
        // Note 4 of 6 becomes note 1: notes 1, 2, 3 move one place on.
        let r = Renumber::moving(6, &[(4, 1)]).unwrap();
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
        let r = Renumber::moving(5, &[(0, 3)]).unwrap();
        assert_eq!(r.permute(&[0, 1, 2, 3, 4]), [1, 2, 3, 0, 4]);
        let r = Renumber::moving(4, &[(0, 3), (3, 0)]).unwrap();
        assert_eq!(r.permute(&[0, 1, 2, 3]), [3, 1, 2, 0]);
        assert_eq!(r.sorted(&[0, 1]), [1, 3]);
        assert!(Renumber::moving(3, &[(1, 1)]).unwrap().is_identity());
    }

    #[test]
    fn pairs_that_are_not_moves_give_none() {
        assert_eq!(Renumber::moving(3, &[(0, 1), (2, 1)]), None);
        assert_eq!(Renumber::moving(3, &[(0, 1), (0, 2)]), None);
        assert_eq!(Renumber::moving(3, &[(0, 3)]), None);
    }
}
