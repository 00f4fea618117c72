//! Resolve stage, the link index: every note (published or private) and attachment, keyed by
//! every path suffix (`c`, `b/c`, `a/b/c` for `a/b/c.md`), plus the aliases and titles of
//! published notes. Built once; every lookup is a hash lookup.

use crate::paths::{key, parent, strip_md};
use rustc_hash::FxHashMap as HashMap;

/// What a candidate file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRef {
    /// A published note (index into the published notes).
    Note(usize),
    /// A private note or an attachment in a private folder: never linked.
    Private,
    /// An attachment (index into the vault's attachments).
    Attachment(usize),
}

/// One file the index knows.
#[derive(Debug, Clone)]
struct Cand {
    path: String,
    key: String,
    file: FileRef,
}

/// The index of the whole vault.
#[derive(Debug, Default)]
pub struct LinkIndex {
    cands: Vec<Cand>,
    notes: HashMap<String, Vec<u32>>,
    files: HashMap<String, Vec<u32>>,
    names: HashMap<String, Vec<usize>>,
    private_names: rustc_hash::FxHashSet<String>,
    loose: HashMap<String, usize>,
    /// Loose keys by first letter and length.
    near: HashMap<(char, usize), Vec<Near>>,
}

/// A loose key with its note and [`letter_mask`], for "did you mean".
#[derive(Debug)]
struct Near {
    key: String,
    note: usize,
    mask: u64,
}

/// The letters of `s` as a set of 64 bits (a letter's code point modulo 64). Each edit changes
/// at most two letters of a word, so two words whose masks differ in more than `2 × d` bits are
/// more than `d` edits apart: most candidates are ruled out without an edit distance.
fn letter_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | 1u64 << (c as u32 % 64))
}

fn suffixes(k: &str) -> impl Iterator<Item = &str> {
    std::iter::once(k).chain(k.match_indices('/').map(move |(i, _)| &k[i + 1..]))
}

/// Lower-case, letters and digits only: for "did you mean" suggestions.
pub fn loose_key(s: &str) -> String {
    key(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

impl LinkIndex {
    /// Whether it holds no note or file (as a renumbered result's index does).
    pub fn is_empty(&self) -> bool {
        self.cands.is_empty()
    }

    /// Adds a note at `path` (`.md` included).
    pub fn add_note(&mut self, path: &str, file: FileRef) {
        let k = key(strip_md(path.strip_suffix(".markdown").unwrap_or(path)));
        let id = self.cands.len() as u32;
        for s in suffixes(&k) {
            self.notes.entry(s.to_string()).or_default().push(id);
        }
        if let FileRef::Note(n) = file {
            self.add_loose(crate::paths::file_name(&k), n);
        }
        self.cands.push(Cand {
            path: path.to_string(),
            key: k,
            file,
        });
    }

    /// Adds an attachment at `path` (extension included).
    pub fn add_file(&mut self, path: &str, file: FileRef) {
        let k = key(path);
        let id = self.cands.len() as u32;
        for s in suffixes(&k) {
            self.files.entry(s.to_string()).or_default().push(id);
        }
        self.cands.push(Cand {
            path: path.to_string(),
            key: k,
            file,
        });
    }

    /// Adds an alias or title of a published note (wikigen's fallback beyond Obsidian).
    pub fn add_name(&mut self, name: &str, note: usize) {
        let k = key(name.trim());
        if k.is_empty() {
            return;
        }
        let v = self.names.entry(k).or_default();
        if !v.contains(&note) {
            v.push(note);
        }
        self.add_loose(name, note);
    }

    fn add_loose(&mut self, name: &str, note: usize) {
        let lk = loose_key(name);
        if let Some(c) = lk.chars().next() {
            self.near
                .entry((c, lk.chars().count()))
                .or_default()
                .push(Near {
                    key: lk.clone(),
                    note,
                    mask: letter_mask(&lk),
                });
        }
        self.loose.entry(lk).or_insert(note);
    }

    /// Obsidian's choice among files matching `k` for a link written in `source`:
    /// exact path, then the source's folder, then the shortest path; exact case breaks ties.
    fn choose(&self, ids: &[u32], k: &str, written: &str, source: &str) -> Option<FileRef> {
        let cands: Vec<&Cand> = ids.iter().map(|&i| &self.cands[i as usize]).collect();
        if cands.len() == 1 {
            return Some(cands[0].file);
        }
        let same_case = |c: &Cand| {
            let p = strip_md(&c.path);
            let w = strip_md(written);
            p == w || p.ends_with(&format!("/{w}"))
        };
        let prefer_case = |list: Vec<&&Cand>| -> Option<FileRef> {
            list.iter()
                .find(|c| same_case(c))
                .or(list.first())
                .map(|c| c.file)
        };
        let exact: Vec<&&Cand> = cands.iter().filter(|c| c.key == k).collect();
        if !exact.is_empty() {
            return prefer_case(exact);
        }
        let src_dir = key(parent(source));
        let same: Vec<&&Cand> = cands.iter().filter(|c| parent(&c.key) == src_dir).collect();
        if !same.is_empty() {
            return prefer_case(same);
        }
        let mut sorted = cands.clone();
        sorted.sort_by(|a, b| (a.path.len(), &a.path).cmp(&(b.path.len(), &b.path)));
        let best = sorted[0].path.len();
        let shortest: Vec<&&Cand> = sorted.iter().filter(|c| c.path.len() == best).collect();
        prefer_case(shortest)
    }

    /// Looks a vault path up by Obsidian's rules. `path` is NFC, without `./`/`../`.
    pub fn lookup(&self, path: &str, source: &str) -> Option<FileRef> {
        let k = key(path);
        let ext = crate::paths::extension(&k);
        let note_key = key(strip_md(path));
        let written = path;
        let note = || {
            self.notes
                .get(&note_key)
                .and_then(|ids| self.choose(ids, &note_key, strip_md(written), source))
        };
        let file = || {
            self.files
                .get(&k)
                .and_then(|ids| self.choose(ids, &k, written, source))
        };
        if ext == "md" || ext.is_empty() {
            note().or_else(file)
        } else {
            file().or_else(note)
        }
    }

    /// Looks up the file at exactly `path` (case-insensitive), for relative links.
    pub fn lookup_exact(&self, path: &str) -> Option<FileRef> {
        let k = key(path);
        let nk = key(strip_md(path));
        let pick = |map: &HashMap<String, Vec<u32>>, k: &str| {
            map.get(k).and_then(|ids| {
                ids.iter()
                    .map(|&i| &self.cands[i as usize])
                    .find(|c| c.key == k)
                    .map(|c| c.file)
            })
        };
        pick(&self.notes, &nk).or_else(|| pick(&self.files, &k))
    }

    /// Adds an alias or title of a private note: a link by that name is a link to a private note
    /// (plain text), not to a note that does not exist.
    pub fn add_private_name(&mut self, name: &str) {
        let k = key(name.trim());
        if !k.is_empty() {
            self.private_names.insert(k);
        }
    }

    /// Is `name` an alias or title of a private note?
    pub fn is_private_name(&self, name: &str) -> bool {
        !self.private_names.is_empty() && self.private_names.contains(&key(strip_md(name.trim())))
    }

    /// Looks a name up among published notes' aliases and titles.
    pub fn lookup_name(&self, name: &str) -> Option<usize> {
        let v = self.names.get(&key(strip_md(name.trim())))?;
        v.iter().copied().min()
    }

    /// A published note whose name is close to `name` (ignoring case, spaces and punctuation).
    /// Looks for the same letters first, then for names within a small edit distance
    /// (same first letter, so the search stays a few hash lookups).
    pub fn suggest(&self, name: &str) -> Option<usize> {
        let lk = loose_key(crate::paths::file_name(strip_md(name)));
        if let Some(&n) = self.loose.get(&lk) {
            return Some(n);
        }
        let first = lk.chars().next()?;
        let a: Vec<char> = lk.chars().collect();
        let len = a.len();
        let max = if len <= 4 { 1 } else { 2 };
        let mut best: Option<(usize, usize)> = None;
        let (mut row, mut b) = (Vec::new(), Vec::new());
        let ascii = lk.is_ascii();
        let mask = letter_mask(&lk);
        for l in len.saturating_sub(max)..=len + max {
            // Buckets of look-alike names (dated notes) are capped to keep this cheap.
            for near in self.near.get(&(first, l)).into_iter().flatten().take(256) {
                let (cand, note) = (&near.key, &near.note);
                let limit = best.map_or(max, |(bd, _)| bd.saturating_sub(1));
                if (mask ^ near.mask).count_ones() as usize > 2 * limit {
                    continue;
                }
                // ASCII names (most) are compared as bytes, without decoding them.
                let d = if ascii && cand.is_ascii() {
                    distance_within(lk.as_bytes(), cand.as_bytes(), limit, &mut row)
                } else {
                    b.clear();
                    b.extend(cand.chars());
                    distance_within(&a, &b, limit, &mut row)
                };
                if let Some(d) = d {
                    best = Some((d, *note));
                    if d == 0 {
                        return Some(*note);
                    }
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// The edit distance between `a` and `b` if it is at most `max`: stops as soon as every cell of
/// a row exceeds `max` (so a far-off candidate costs a row or two, not the whole table).
fn distance_within<T: PartialEq>(
    a: &[T],
    b: &[T],
    max: usize,
    row: &mut Vec<usize>,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        let mut low = row[0];
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            let v = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
            row[j + 1] = v;
            low = low.min(v);
        }
        if low > max {
            return None;
        }
    }
    let d = row[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(paths: &[&str]) -> LinkIndex {
        let mut i = LinkIndex::default();
        for (n, p) in paths.iter().enumerate() {
            i.add_note(p, FileRef::Note(n));
        }
        i
    }

    fn res(i: &LinkIndex, link: &str, src: &str) -> Option<usize> {
        match i.lookup(link, src) {
            Some(FileRef::Note(n)) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn obsidian_rules() {
        // 0 Note.md, 1 b/Note.md, 2 a/b/Note.md, 3 zzzz/Note.md
        let i = idx(&["Note.md", "b/Note.md", "a/b/Note.md", "zzzz/Note.md"]);
        assert_eq!(
            res(&i, "Note", "b/x.md"),
            Some(0),
            "exact path wins over same folder"
        );
        assert_eq!(res(&i, "b/Note", "x.md"), Some(1), "exact path");
        let i = idx(&["b/Note.md", "a/b/Note.md", "zzzz/Note.md"]);
        assert_eq!(
            res(&i, "Note", "zzzz/deep/x.md"),
            Some(0),
            "shortest path; ancestors don't count"
        );
        assert_eq!(res(&i, "Note", "a/b/x.md"), Some(1), "same folder");
        assert_eq!(res(&i, "note", "q.md"), Some(0), "case-insensitive");
        assert_eq!(res(&i, "b/note.MD", "q.md"), Some(0), "extension, case");
        assert_eq!(res(&i, "a/b/Note", "q.md"), Some(1));
        assert_eq!(res(&i, "Nope", "q.md"), None);
        assert_eq!(res(&i, "ote", "q.md"), None, "suffixes are whole segments");
    }

    #[test]
    fn case_ties_prefer_exact_case() {
        let i = idx(&["InfoFlow.md", "infoflow.md"]);
        assert_eq!(res(&i, "infoflow", "x.md"), Some(1));
        assert_eq!(res(&i, "InfoFlow", "x.md"), Some(0));
    }

    #[test]
    fn attachments_and_names() {
        let mut i = idx(&["People/Ada Lovelace.md"]);
        i.add_file("attachments/pic.png", FileRef::Attachment(7));
        i.add_name("Countess", 0);
        assert_eq!(i.lookup("pic.png", "x.md"), Some(FileRef::Attachment(7)));
        assert_eq!(i.lookup_name("countess"), Some(0));
        assert_eq!(i.suggest("ada-lovelace"), Some(0));
        assert_eq!(i.suggest("Ada Lovelaec"), Some(0));
        assert_eq!(i.suggest("Bob"), None);
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let d = |a: &str, b: &str, max| distance_within(&chars(a), &chars(b), max, &mut Vec::new());
        assert_eq!(d("glosary", "glossary", usize::MAX), Some(1));
        assert_eq!(d("kitten", "sitting", 3), Some(3));
        assert_eq!(d("kitten", "sitting", 2), None);
    }

    #[test]
    fn letter_masks_never_rule_out_a_close_name() {
        let words = [
            "aisha",
            "aihsa",
            "asiha",
            "zoe",
            "zoë",
            "zëo",
            "søren",
            "sørne",
            "kitten",
            "sitting",
            "glossary",
            "glosary",
            "2024-01-02",
            "2024-10-20",
            "ab",
            "ba",
            "aaaa",
        ];
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        for a in words {
            for b in words {
                let d = distance_within(&chars(a), &chars(b), usize::MAX, &mut Vec::new());
                let bits = (letter_mask(a) ^ letter_mask(b)).count_ones() as usize;
                assert!(
                    bits <= 2 * d.unwrap(),
                    "{a} / {b}: {bits} bits, distance {d:?}"
                );
            }
        }
        let i = idx(&["People/Aisha Simon.md", "People/Sven Tanaka.md"]);
        assert_eq!(i.suggest("Aihsa Simon"), Some(0));
        assert_eq!(i.suggest("Svne Tanaka"), Some(1));
        assert_eq!(i.suggest("Zed Tanaka"), None);
    }
}
