//! Resolve stage, renumbering (`wikigen serve`): the last resolve's results with the notes
//! numbered as in the next build (see [`crate::renumber`]).

use super::{Lookup, Missing, Resolved, Target};
use crate::renumber::Renumber;
use std::sync::Arc;

/// A target, renumbered. A link to a note that went is read again (it is written with one of
/// that note's names, which count as renamed); until then it leads nowhere, like a link to a
/// private note.
fn target(t: &Target, r: &Renumber) -> Target {
    match t {
        Target::Note { note, anchor } => match r.get(*note) {
            Some(note) => Target::Note {
                note,
                anchor: anchor.clone(),
            },
            None => Target::Private,
        },
        other => other.clone(),
    }
}

/// Note-and-link pairs, renumbered (without the notes that went) and sorted again.
fn pairs(v: &[(usize, usize)], r: &Renumber) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = v
        .iter()
        .filter_map(|&(n, l)| Some((r.get(n)?, l)))
        .collect();
    out.sort_unstable();
    out
}

/// A note's targets, shared when none of them moves.
fn targets(ts: &Arc<[Target]>, r: &Renumber) -> Arc<[Target]> {
    let moves = |t: &Target| matches!(t, Target::Note { note, .. } if !r.keeps(*note));
    if !ts.iter().any(moves) {
        return ts.clone();
    }
    ts.iter().map(|t| target(t, r)).collect()
}

/// A note's lookups, shared when none of them moves.
fn lookups(ls: &Arc<[Lookup]>, r: &Renumber) -> Arc<[Lookup]> {
    let moves = |l: &Lookup| match l {
        Lookup::Found(Target::Note { note, .. }) | Lookup::FoundWithoutAnchor(note, _) => {
            !r.keeps(*note)
        }
        _ => false,
    };
    if !ls.iter().any(moves) {
        return ls.clone();
    }
    ls.iter()
        .map(|l| match l {
            Lookup::Found(t) => Lookup::Found(target(t, r)),
            Lookup::FoundWithoutAnchor(n, s) => match r.get(*n) {
                Some(n) => Lookup::FoundWithoutAnchor(n, s.clone()),
                None => Lookup::Found(Target::Private),
            },
            other => other.clone(),
        })
        .collect()
}

impl Resolved {
    /// This result with the notes numbered as `r` says, for a rebuild to take over. The link
    /// index is left out (empty): it holds the notes' names, so a rebuild after a rename makes it
    /// again (see [`super::resolve_with`], which uses the last index only when no name changed).
    pub fn renumbered(&self, r: &Renumber) -> Resolved {
        Resolved {
            targets: r.permute_with(&self.targets, |ts| targets(ts, r)),
            backlinks: r.permute_with(&self.backlinks, |b| {
                if b.iter().all(|&(n, _)| r.keeps(n)) {
                    b.clone()
                } else {
                    pairs(b, r).into()
                }
            }),
            missing: self
                .missing
                .iter()
                .map(|m| Missing {
                    referrers: pairs(&m.referrers, r),
                    ..m.clone()
                })
                .collect(),
            used_attachments: self.used_attachments.clone(),
            index: Arc::default(),
            missing_by_key: self.missing_by_key.clone(),
            lookups: r.permute_with(&self.lookups, |ls| lookups(ls, r)),
            suggestions: self
                .suggestions
                .iter()
                .map(|(k, s)| (k.clone(), s.and_then(|n| r.get(n))))
                .collect(),
            missing_keys: self.missing_keys.clone(),
            note_diags: r.permute(&self.note_diags),
        }
    }
}
