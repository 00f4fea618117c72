//! `serve`, gathering the notes of a rebuild: the last build's notes, with the ones whose file
//! changed read and parsed again. A save of notes the last walk found takes the fast way: only
//! those files are looked at, and the other notes stay where they are. Notes created, removed or
//! renamed are read when new, and the others taken over by path; anything else (a walk of the
//! vault, a new configuration) compares every file's stamp.

use super::scan::Named;
use super::{stamp, Engine, Entry, Stamp};
use crate::build::Timings;
use crate::diag::Diagnostic;
use crate::enrich::Site;
use crate::load::Scan;
use crate::parse::ParsedNote;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

/// The notes of the next build and how they differ from the last one's.
pub(super) struct Gathered {
    /// The published notes, sorted by path.
    pub published: Vec<ParsedNote>,
    /// The private notes, sorted by path.
    pub private: Vec<ParsedNote>,
    /// Vault paths of the notes read again.
    pub changed: HashSet<String>,
    /// The last build's version of each published note not taken over (changed or gone), with
    /// its index in the last build.
    pub before: HashMap<String, (usize, ParsedNote)>,
    /// Which of the changed notes were private before (all of them, for the slow way).
    pub was_private: HashSet<String>,
    /// A note of the last build is gone (deleted, renamed, now ignored): a structural change.
    pub gone: bool,
    /// Notes read and parsed again.
    pub reparsed: usize,
    /// The reading and parsing diagnostics of every note.
    pub diags: Vec<Diagnostic>,
}

/// A note read and parsed again, with its stamp and diagnostics, or why it could not be read.
type Parsed = Result<(ParsedNote, Stamp, Vec<Diagnostic>), Diagnostic>;

/// A note taken over from the last build (no stamp), or read again (its stamp and diagnostics).
type KeptOrRead = Result<(ParsedNote, Option<(Stamp, Vec<Diagnostic>)>), Diagnostic>;

fn read_and_parse(rel: &str, abs: &Path, st: Stamp, cfg: &crate::config::Config) -> Parsed {
    let (src, mut d) = crate::load::read_note(rel.to_string(), abs)
        .map_err(|(rel, e)| crate::load::unreadable(&rel, &e))?;
    let (n, mut pd) = crate::parse::parse_all(std::slice::from_ref(&src), cfg);
    d.append(&mut pd);
    let n = n
        .into_iter()
        .next()
        .ok_or_else(|| crate::load::unreadable(rel, &std::io::Error::other("not parsed")))?;
    Ok((n, st, d))
}

impl Engine {
    /// The notes of the next build, from the files of `scan` (of which `named`, when the watcher
    /// named every file that changed, says which notes were written or came, and which went)
    /// and the last build.
    pub(super) fn gather(
        &mut self,
        scan: &Scan,
        named: Option<&Named>,
        old_site: Option<&mut Site>,
        t: &mut Timings,
    ) -> Gathered {
        let mut mark = Instant::now();
        let old_site = match (named, old_site) {
            (Some(named), Some(old)) => match self.gather_edits(scan, named, old) {
                Some(g) => {
                    super::lap(t, "gather (edits)", &mut mark);
                    return g;
                }
                None => Some(old),
            },
            (_, old) => old,
        };
        let g = self.gather_all(scan, named.map(|n| n.touched.as_slice()), old_site);
        super::lap(t, "gather", &mut mark);
        g
    }

    /// The fast way, for the notes the watcher named: those written or new are read, those gone
    /// removed, and the others stay where they are. `None` when a file cannot be read (the slow
    /// way reports it), with nothing changed.
    fn gather_edits(&mut self, scan: &Scan, named: &Named, old: &mut Site) -> Option<Gathered> {
        let touched = &named.touched;
        let cfg = &self.cfg;
        let entries = &self.entries;
        let fresh: Vec<(usize, Parsed)> = (0..scan.notes.len())
            .into_par_iter()
            .filter(|&i| touched[i])
            .filter_map(|i| {
                let (rel, abs) = &scan.notes[i];
                let st = stamp(abs);
                // An event that left the file as it was.
                if entries.get(rel).is_some_and(|e| e.stamp == st) {
                    return None;
                }
                Some((i, read_and_parse(rel, abs, st, cfg)))
            })
            .collect();
        if fresh.iter().any(|(_, p)| p.is_err()) {
            return None;
        }
        let mut published = std::mem::take(&mut old.notes);
        let mut private = std::mem::take(&mut self.private_notes);
        let mut changed = HashSet::new();
        let mut before = HashMap::new();
        let mut was_private = HashSet::new();
        // Notes that were private and are not, or never read (unreadable before), and the
        // reverse: rare, so moved one by one.
        let mut to_published = Vec::new();
        let mut to_private = Vec::new();
        // The notes that went: the published ones with their index in the last build (taken
        // before any note moves), the private ones removed at once.
        let mut went: Vec<(usize, &String)> = Vec::new();
        let mut gone = false;
        for p in &named.went {
            gone |= self.entries.remove(p).is_some();
            if let Some(k) = crate::parse::find(&published, p) {
                went.push((k, p));
            } else if let Some(k) = crate::parse::find(&private, p) {
                private.remove(k);
            }
        }
        for (_, p) in fresh {
            let Ok((n, stamp, diags)) = p else { continue };
            let path = n.path.clone();
            if let Some(k) = crate::parse::find(&published, &path) {
                if n.private {
                    before.insert(path.clone(), (k, published[k].clone()));
                    to_private.push(n);
                } else {
                    let o = std::mem::replace(&mut published[k], n);
                    before.insert(path.clone(), (k, o));
                }
            } else {
                if let Some(k) = crate::parse::find(&private, &path) {
                    private.remove(k);
                    was_private.insert(path.clone());
                }
                if n.private {
                    to_private.push(n);
                } else {
                    to_published.push(n);
                }
            }
            self.entries.insert(path.clone(), Entry { stamp, diags });
            changed.insert(path);
        }
        if !went.is_empty() {
            let mut out = vec![false; published.len()];
            for &(k, p) in &went {
                out[k] = true;
                before.insert(p.clone(), (k, published[k].clone()));
            }
            let mut k = 0;
            published.retain(|_| {
                k += 1;
                !out[k - 1]
            });
        }
        if !to_private.is_empty() {
            let gone: HashSet<&str> = to_private.iter().map(|n| n.path.as_str()).collect();
            published.retain(|n| !gone.contains(n.path.as_str()));
            private.append(&mut to_private);
            private.sort_by(|a, b| a.path.cmp(&b.path));
        }
        if !to_published.is_empty() {
            published.append(&mut to_published);
            published.sort_by(|a, b| a.path.cmp(&b.path));
        }
        let diags = self
            .entries
            .values()
            .flat_map(|e| e.diags.iter().cloned())
            .collect();
        Some(Gathered {
            published,
            private,
            reparsed: changed.len(),
            changed,
            before,
            was_private,
            gone,
            diags,
        })
    }

    /// The slow way: every file's stamp compared with the one it had, except the files `touched`
    /// says were not written (when the watcher named every file that changed).
    fn gather_all(
        &mut self,
        scan: &Scan,
        touched: Option<&[bool]>,
        old_site: Option<&mut Site>,
    ) -> Gathered {
        // The last site's notes by path, with their index in it.
        let mut before: HashMap<String, (usize, ParsedNote)> = match old_site {
            Some(s) => std::mem::take(&mut s.notes)
                .into_iter()
                .enumerate()
                .map(|(i, n)| (n.path.clone(), (i, n)))
                .collect(),
            None => HashMap::new(),
        };
        let was_private: HashSet<String> =
            self.private_notes.iter().map(|n| n.path.clone()).collect();
        let mut private_before: HashMap<String, ParsedNote> =
            std::mem::take(&mut self.private_notes)
                .into_iter()
                .map(|n| (n.path.clone(), n))
                .collect();
        let stamps: Vec<Stamp> = scan
            .notes
            .par_iter()
            .enumerate()
            .map(|(i, (rel, abs))| match (touched, self.entries.get(rel)) {
                // Not rewritten: its stamp is the one it had.
                (Some(touched), Some(e)) if !touched[i] => e.stamp,
                _ => stamp(abs),
            })
            .collect();
        let mut reuse: Vec<Option<ParsedNote>> = Vec::with_capacity(scan.notes.len());
        let mut changed: HashSet<String> = HashSet::new();
        for ((rel, _), st) in scan.notes.iter().zip(&stamps) {
            let kept = self
                .entries
                .get(rel)
                .filter(|e| e.stamp == *st)
                .and_then(|_| {
                    before
                        .remove(rel)
                        .map(|(_, n)| n)
                        .or_else(|| private_before.remove(rel))
                });
            if kept.is_none() {
                changed.insert(rel.clone());
            }
            reuse.push(kept);
        }
        let present: HashSet<&str> = scan.notes.iter().map(|(r, _)| r.as_str()).collect();
        let gone = self.entries.keys().any(|p| !present.contains(p.as_str()));
        let cfg = &self.cfg;
        let parsed: Vec<KeptOrRead> = scan
            .notes
            .par_iter()
            .zip(reuse.into_par_iter())
            .zip(stamps.par_iter())
            .map(|(((rel, abs), old), st)| match old {
                Some(n) => Ok((n, None)),
                None => read_and_parse(rel, abs, *st, cfg).map(|(n, st, d)| (n, Some((st, d)))),
            })
            .collect();
        let mut diags = Vec::new();
        let mut entries = HashMap::with_capacity(parsed.len());
        let mut notes = Vec::with_capacity(parsed.len());
        let mut reparsed = 0;
        for p in parsed {
            let (n, fresh) = match p {
                Ok(x) => x,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let e = match fresh {
                Some((stamp, d)) => {
                    reparsed += 1;
                    Entry { stamp, diags: d }
                }
                None => self.entries.remove(&n.path).unwrap_or(Entry {
                    stamp: (None, 0),
                    diags: Vec::new(),
                }),
            };
            diags.extend(e.diags.iter().cloned());
            entries.insert(n.path.clone(), e);
            notes.push(n);
        }
        self.entries = entries;
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        let (published, private) = notes.into_iter().partition(|n| !n.private);
        Gathered {
            published,
            private,
            changed,
            before,
            was_private,
            gone,
            reparsed,
            diags,
        }
    }
}
