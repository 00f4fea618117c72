//! Enrich stage, unlinked mentions: the places where a note names another note's title or alias
//! in prose without linking it ("met Ada Lovelace" in a meeting summary). One Aho-Corasick
//! automaton over every published note's names scans each note's plain text once (rayon), so the
//! cost grows with the vault's text, not with notes × names. Link labels and inline code are not
//! prose and are skipped; a note that already links the target is not listed (it is a backlink).
//! Matching ignores case, except that a one-word name must be written with a capital.

use crate::parse::ParsedNote;
use crate::resolve::Resolved;
use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A name shared by more notes than this is too generic to point at any of them.
const MAX_OWNERS: usize = 3;

/// One note naming another: where in the naming note's plain text, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The naming note.
    pub source: u32,
    /// Byte range of the first mention in the source's `plain` text.
    pub start: u32,
    /// End of that range.
    pub end: u32,
    /// How many times the source names the target.
    pub count: u32,
}

/// Bytes of text shown on each side of a mention.
const SNIPPET_WIDTH: usize = 90;

impl Mention {
    /// The sentence around this mention in the naming note's `plain` text, as shown on the named
    /// note's page: text before, the name as written, text after.
    pub fn sentence(&self, plain: &str) -> (String, String, String) {
        snippet(plain, self.start as usize, self.end as usize, SNIPPET_WIDTH)
    }
}

/// Every unlinked mention of the site, by named note.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    /// For each published note, the notes naming it without linking it, in note order.
    pub by_target: Vec<Vec<Mention>>,
    /// For each note, the notes it names (to update `by_target` when it changes).
    by_source: Vec<Vec<u32>>,
    /// The names' automaton, kept while no title or alias changes.
    matcher: Option<Arc<Matcher>>,
}

impl Mentions {
    /// The notes that note `source` names without linking them.
    pub fn named_by(&self, source: usize) -> &[u32] {
        self.by_source.get(source).map_or(&[], |v| v.as_slice())
    }
}

/// Every note's names, folded, in one automaton.
impl Mentions {
    /// These mentions with the notes numbered as `r` says, for a rebuild to take over. The names'
    /// automaton is left out: it numbers the notes too, and a rebuild after a rename makes it
    /// again.
    pub fn renumbered(&self, r: &crate::renumber::Renumber) -> Mentions {
        Mentions {
            by_target: r.permute_with(&self.by_target, |list| {
                let mut v: Vec<Mention> = list
                    .iter()
                    .filter_map(|m| {
                        Some(Mention {
                            source: r.get32(m.source)?,
                            ..*m
                        })
                    })
                    .collect();
                v.sort_by_key(|m| m.source);
                v
            }),
            by_source: r.permute_with(&self.by_source, |list| {
                list.iter().filter_map(|&t| r.get32(t)).collect()
            }),
            matcher: None,
        }
    }
}

#[derive(Debug)]
struct Matcher {
    ac: AhoCorasick,
    /// The notes each pattern names.
    owners: Vec<Vec<u32>>,
    /// The pattern is one word: it counts only where written with a capital ("Mara", not the
    /// "people" of a note called People).
    one_word: Vec<bool>,
}

/// Finds the unlinked mentions of every note (none when `[links] unlinked_mentions = 0`). When
/// `prior` is given (the same notes, only those flagged dirty changed), its result is taken over
/// and only the dirty notes are scanned again. `renamed`: the titles and aliases that notes had
/// or have now, when some changed (a rename); the notes whose text holds one of them are scanned
/// again too, with a new automaton, since a name that comes or goes changes what they mention.
pub fn find_with(
    notes: &[ParsedNote],
    resolved: &Resolved,
    limit: usize,
    prior: Option<(&Mentions, &[bool])>,
    renamed: &[String],
) -> Mentions {
    let none = || Mentions {
        by_target: vec![Vec::new(); notes.len()],
        by_source: vec![Vec::new(); notes.len()],
        matcher: None,
    };
    if limit == 0 || notes.is_empty() {
        return none();
    }
    let reusable = prior.and_then(|(p, dirty)| {
        if p.by_target.len() != notes.len() || dirty.len() != notes.len() {
            return None;
        }
        if renamed.is_empty() {
            return Some((p, dirty.to_vec(), p.matcher.clone()?));
        }
        let matcher = Arc::new(Matcher::new(notes)?);
        Some((p, naming(notes, renamed, dirty), matcher))
    });
    let Some((prior, dirty, matcher)) = reusable else {
        let Some(matcher) = Matcher::new(notes) else {
            return none();
        };
        let found: Vec<Vec<(u32, Mention)>> = (0..notes.len())
            .into_par_iter()
            .map(|s| matcher.scan(notes, resolved, s))
            .collect();
        let mut by_target = vec![Vec::new(); notes.len()];
        let mut by_source = Vec::with_capacity(notes.len());
        for hits in found {
            by_source.push(hits.iter().map(|(t, _)| *t).collect());
            for (t, m) in hits {
                by_target[t as usize].push(m);
            }
        }
        return Mentions {
            by_target,
            by_source,
            matcher: Some(Arc::new(matcher)),
        };
    };
    let mut next = prior.clone();
    next.matcher = Some(matcher.clone());
    for s in (0..notes.len()).filter(|&s| dirty[s]) {
        for &t in &prior.by_source[s] {
            let list = &mut next.by_target[t as usize];
            if let Ok(i) = list.binary_search_by_key(&(s as u32), |m| m.source) {
                list.remove(i);
            }
        }
        let hits = matcher.scan(notes, resolved, s);
        next.by_source[s] = hits.iter().map(|(t, _)| *t).collect();
        for (t, m) in hits {
            let list = &mut next.by_target[t as usize];
            let at = list.partition_point(|x| x.source < m.source);
            list.insert(at, m);
        }
    }
    next
}

/// `dirty` with every note whose folded text holds one of `names` (folded) added.
fn naming(notes: &[ParsedNote], names: &[String], dirty: &[bool]) -> Vec<bool> {
    let patterns: Vec<String> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| usable(n))
        .map(fold)
        .collect();
    let Ok(ac) = AhoCorasick::new(&patterns) else {
        return vec![true; notes.len()];
    };
    notes
        .par_iter()
        .zip(dirty.par_iter())
        .map(|(n, &d)| d || (!patterns.is_empty() && ac.is_match(&fold(&n.plain))))
        .collect()
}

impl Matcher {
    /// The automaton over every note's title and aliases; `None` when no note has a usable name.
    fn new(notes: &[ParsedNote]) -> Option<Matcher> {
        let mut names: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, n) in notes.iter().enumerate() {
            for name in std::iter::once(&n.title).chain(&n.aliases) {
                let name = name.trim();
                if !usable(name) {
                    continue;
                }
                let owners = names.entry(fold(name)).or_default();
                if owners.last() != Some(&(i as u32)) {
                    owners.push(i as u32);
                }
            }
        }
        names.retain(|_, owners| owners.len() <= MAX_OWNERS);
        if names.is_empty() {
            return None;
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(names.keys())
            .ok()?;
        Some(Matcher {
            ac,
            one_word: names
                .keys()
                .map(|k| !k.contains(char::is_whitespace))
                .collect(),
            owners: names.into_values().collect(),
        })
    }

    /// The notes note `s` names in prose, each with its first mention and count.
    fn scan(&self, notes: &[ParsedNote], resolved: &Resolved, s: usize) -> Vec<(u32, Mention)> {
        let note = &notes[s];
        if note.plain.is_empty() {
            return Vec::new();
        }
        let folded = fold(&note.plain);
        let mut found: Vec<(usize, usize, usize)> = self
            .ac
            .find_overlapping_iter(&folded)
            .filter(|m| boundary(&folded, m.start(), m.end()))
            .filter(|m| !masked(&note.masked, m.start(), m.end()))
            .filter(|m| {
                !self.one_word[m.pattern().as_usize()]
                    || note.plain[m.start()..].starts_with(char::is_uppercase)
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        debug_assert_eq!(folded.len(), note.plain.len());
        // Leftmost-longest among the matches at word boundaries: "Ada Lovelace" over "Ada".
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let linked = if s < resolved.targets.len() {
            resolved.linked_notes(s)
        } else {
            Vec::new()
        };
        let mut hits: BTreeMap<u32, Mention> = BTreeMap::new();
        let mut taken_to = 0;
        for (start, end, p) in found {
            if start < taken_to {
                continue;
            }
            taken_to = end;
            for &t in &self.owners[p] {
                if t as usize == s || linked.binary_search(&(t as usize)).is_ok() {
                    continue;
                }
                hits.entry(t)
                    .and_modify(|m| m.count += 1)
                    .or_insert(Mention {
                        source: s as u32,
                        start: start as u32,
                        end: end as u32,
                        count: 1,
                    });
            }
        }
        hits.into_iter().collect()
    }
}

/// A name worth looking for: three characters or more, with a letter (daily notes' dates would
/// match every due date).
fn usable(name: &str) -> bool {
    name.chars().count() >= 3 && name.chars().any(char::is_alphabetic)
}

/// Lower case that keeps every character's byte length, so offsets in the folded text are
/// offsets in the original (the rare letters whose lower case is longer are kept as they are).
pub fn fold(s: &str) -> String {
    crate::text::lower_ascii_runs(s, |c, out| {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    })
}

/// The match `start..end` is a whole word or phrase: no letter or digit right before or after.
fn boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The range overlaps a link label or inline code (`masked` is sorted by start).
fn masked(masked: &[(u32, u32)], start: usize, end: usize) -> bool {
    let i = masked.partition_point(|&(_, e)| (e as usize) <= start);
    masked.get(i).is_some_and(|&(s, _)| (s as usize) < end)
}

/// The sentence around a mention in `plain`: text before, the name as written, text after,
/// about `width` bytes on each side, cut at spaces, with `…` where text was cut.
fn snippet(plain: &str, start: usize, end: usize, width: usize) -> (String, String, String) {
    let (start, end) = (start.min(plain.len()), end.min(plain.len()));
    let line_start = plain[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = plain[end..].find('\n').map_or(plain.len(), |i| end + i);
    let mut from = line_start.max(start.saturating_sub(width));
    while !plain.is_char_boundary(from) {
        from -= 1;
    }
    if from > line_start {
        from = plain[from..start].find(' ').map_or(from, |i| from + i + 1);
    }
    let mut to = line_end.min(end + width);
    while !plain.is_char_boundary(to) {
        to += 1;
    }
    if to < line_end {
        to = plain[end..to].rfind(' ').map_or(to, |i| end + i);
    }
    let mut before = plain[from..start].to_string();
    if from > line_start {
        before.insert(0, '…');
    }
    let mut after = plain[end..to].to_string();
    if to < line_end {
        after.push('…');
    }
    (before, plain[start..end].to_string(), after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_byte_offsets() {
        for s in ["Zoë KRÜGER", "İstanbul", "ÀÉÎ straße", "ASCII Only"] {
            assert_eq!(fold(s).len(), s.len(), "{s}");
        }
        assert_eq!(fold("Zoë KRÜGER"), "zoë krüger");
    }

    #[test]
    fn boundaries_are_words() {
        assert!(boundary("met ada today", 4, 7));
        assert!(!boundary("met adam today", 4, 7));
        assert!(!boundary("canada", 3, 6));
        assert!(boundary("ada’s plan", 0, 3));
    }

    #[test]
    fn masked_ranges_are_found() {
        let m = [(5, 10), (20, 25)];
        assert!(masked(&m, 6, 8));
        assert!(masked(&m, 0, 6));
        assert!(!masked(&m, 10, 20));
        assert!(masked(&m, 24, 30));
        assert!(!masked(&m, 25, 30));
    }

    #[test]
    fn snippets_cut_at_spaces_within_the_line() {
        let plain = "first line\nwe met Ada Lovelace at the offsite and talked for a long while\n";
        let s = plain.find("Ada").unwrap();
        let (b, n, a) = snippet(plain, s, s + 12, 12);
        assert_eq!(n, "Ada Lovelace");
        assert_eq!(b, "we met ");
        assert_eq!(a, " at the…");
        assert!(!b.contains("first"));
    }

    #[test]
    fn usable_names_have_letters() {
        assert!(usable("Ada"));
        assert!(!usable("2025-11-12"));
        assert!(!usable("Al"));
    }
}
