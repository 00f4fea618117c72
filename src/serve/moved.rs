//! `serve`, renamed notes: which note of the last build each new note was, so that a browser tab
//! open on a renamed or moved note's page follows the note to its new URL instead of reloading
//! into a "not found" page.

use crate::enrich::Site;
use crate::parse::ParsedNote;
use std::collections::{HashMap, HashSet};

/// A note page that moved, by site path (`people/ada/` → `people/ada-lovelace/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Where the page was.
    pub from: String,
    /// Where it is now.
    pub to: String,
}

/// The published notes gone since the last build, paired with the published notes new in this
/// one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// (index in the last build, index in this one) of each renamed note.
    pub pairs: Vec<(usize, usize)>,
    /// The new notes paired with none that went (new notes, not renamed ones), by index in
    /// this build.
    pub came: Vec<usize>,
    /// The notes that went paired with no new one (deleted, not renamed), by index in the last
    /// build.
    pub went: Vec<usize>,
}

impl Renames {
    /// How the `old_len` notes of the last build are numbered among the `new_len` of this one:
    /// renamed notes where their new paths sort, new notes in their places, deleted notes
    /// nowhere, and the others in their order.
    pub fn renumber(&self, old_len: usize, new_len: usize) -> Option<crate::renumber::Renumber> {
        crate::renumber::Renumber::with_new(old_len, new_len, &self.pairs, &self.came, &self.went)
    }
}

/// Pairs the published notes gone since the last build with the published notes new in this
/// one: first those with the same source text (a rename or a move), then, when exactly one note
/// went and one came, those two (a note renamed and edited at once).
///
/// `before`: the last build's version of each changed or gone note, with its index there;
/// `changed`: the vault paths read again; `notes`: this build's published notes, sorted by path.
pub fn renames(
    before: &HashMap<String, (usize, ParsedNote)>,
    changed: &HashSet<String>,
    notes: &[ParsedNote],
) -> Renames {
    let mut gone: Vec<(&str, usize, &ParsedNote)> = before
        .iter()
        .filter(|(p, _)| crate::parse::find(notes, p).is_none())
        .map(|(p, (i, n))| (p.as_str(), *i, n))
        .collect();
    let mut added: Vec<usize> = changed
        .iter()
        .filter(|p| !before.contains_key(p.as_str()))
        .filter_map(|p| crate::parse::find(notes, p))
        .collect();
    added.sort_unstable();
    if gone.is_empty() {
        return Renames {
            came: added,
            ..Default::default()
        };
    }
    gone.sort_unstable_by_key(|g| g.1);
    let mut pairs = Vec::new();
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, g) in gone.iter().enumerate() {
        by_text.entry(g.2.source.as_str()).or_default().push(k);
    }
    let mut taken = vec![false; gone.len()];
    let mut unpaired = Vec::new();
    for &a in &added {
        let name = crate::paths::file_name(&notes[a].path);
        let same = by_text
            .get(notes[a].source.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&k| !taken[k]);
        // Of several notes with the same text, the one with the same file name (a move).
        let mut best = None;
        for k in same {
            if best.is_none() || crate::paths::file_name(gone[k].0) == name {
                best = Some(k);
            }
        }
        match best {
            Some(k) => {
                taken[k] = true;
                pairs.push((gone[k].1, a));
            }
            None => unpaired.push(a),
        }
    }
    let mut left: Vec<usize> = (0..gone.len()).filter(|&k| !taken[k]).collect();
    if let ([k], [a]) = (&left[..], &unpaired[..]) {
        pairs.push((gone[*k].1, *a));
        unpaired.clear();
        left.clear();
    }
    Renames {
        pairs,
        came: unpaired,
        went: left.iter().map(|&k| gone[k].1).collect(),
    }
}

/// The note pages that moved with the renamed notes `pairs` (see [`renames`]) between the sites
/// `old` and `new`.
pub fn pages(old: &Site, new: &Site, pairs: &[(usize, usize)]) -> Vec<Moved> {
    pairs
        .iter()
        .filter_map(|&(o, n)| {
            let from = super::files::site_path(&old.urls.get(o)?.file);
            let to = super::files::site_path(&new.urls.get(n)?.file);
            (from != to).then_some(Moved { from, to })
        })
        .collect()
}

/// `open` (site paths of the pages open in a browser) with the new place of each open page that
/// moved.
pub fn follow(open: &HashSet<String>, moved: &[Moved]) -> HashSet<String> {
    let mut open = open.clone();
    for m in moved {
        if open.contains(&m.from) {
            open.insert(m.to.clone());
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(path: &str, text: &str) -> ParsedNote {
        let dir = tempfile::tempdir().unwrap();
        let cfg = crate::config::load(dir.path(), None, &Default::default()).unwrap();
        let src = crate::load::SourceNote {
            path: path.into(),
            text: text.into(),
            mtime: None,
            ctime: None,
        };
        crate::parse::parse_note(&src, &cfg).0
    }

    #[test]
    fn renames_pair_the_same_text_then_a_lone_pair() {
        let before: HashMap<String, (usize, ParsedNote)> = [
            ("a/Ada.md", 0, "ada text"),
            ("b/Bo.md", 3, "bo text"),
            ("c/Cy.md", 5, "cy text"),
        ]
        .into_iter()
        .map(|(p, i, s)| (p.to_string(), (i, note(p, s))))
        .collect();
        // Ada moved to another folder, Bo was renamed and edited, Cy was deleted, Di is new:
        // only Ada pairs by text, and two notes went while one other came.
        let notes = vec![
            note("a/Di.md", "di text"),
            note("x/Ada.md", "ada text"),
            note("z/Bo2.md", "bo text, edited"),
        ];
        let changed: HashSet<String> = ["a/Di.md", "x/Ada.md", "z/Bo2.md"]
            .into_iter()
            .map(String::from)
            .collect();
        let r = renames(&before, &changed, &notes);
        assert_eq!(
            (r.pairs, r.came, r.went),
            (vec![(0, 1)], vec![0, 2], vec![3, 5])
        );
        // Without Cy's deletion and Di, Bo's rename pairs too.
        let before: HashMap<_, _> = before.into_iter().filter(|(p, _)| p != "c/Cy.md").collect();
        let notes = vec![note("x/Ada.md", "ada text"), note("z/Bo2.md", "bo 2")];
        let changed: HashSet<String> = ["x/Ada.md", "z/Bo2.md"]
            .into_iter()
            .map(String::from)
            .collect();
        let r = renames(&before, &changed, &notes);
        assert_eq!(r.pairs, vec![(0, 0), (3, 1)]);
        assert!(r.came.is_empty());
        // Bo moved from index 3 to 1; the notes between move on.
        let renumber = r.renumber(4, 4).unwrap();
        assert_eq!(renumber.permute(&[0, 1, 2, 3]), [0, 3, 1, 2]);
        assert!(r.went.is_empty());
        // One renamed, one new, one deleted.
        let r = Renames {
            pairs: vec![(0, 0)],
            came: vec![1],
            went: vec![2],
        };
        let renumber = r.renumber(4, 4).unwrap();
        assert_eq!(renumber.permute(&[0, 1, 2, 3]), [0, 0, 1, 3]);
        assert_eq!(r.renumber(4, 5), None, "the counts do not add up");
    }

    #[test]
    fn follow_adds_the_new_place_of_open_pages() {
        let open: HashSet<String> = ["a/".to_string(), "b/".to_string()].into();
        let moved = vec![
            Moved {
                from: "a/".into(),
                to: "a2/".into(),
            },
            Moved {
                from: "c/".into(),
                to: "c2/".into(),
            },
        ];
        let f = follow(&open, &moved);
        assert!(f.contains("a2/") && f.contains("a/") && f.contains("b/"));
        assert!(!f.contains("c2/"));
    }
}
