//! Profile stage, merging: groups the person notes that describe one person (same name once
//! case, accents and spacing are ignored — the title, the file name, or the folder of a
//! `README.md` folder note — a shared specific alias (two words or more, no initials), or a
//! shared email), and merges their fields and
//! sections into one [`Profile`].
//!
//! Rules, as documented in the book:
//! - sources are ordered by recency: the latest of the frontmatter dates `updated`/`modified`,
//!   `last_contact` and `created`; without any, the file's modification date; ties by path;
//! - a field's current value is the most recent source's real value; placeholders never win;
//!   the other distinct real values stay visible as alternates, each with its notes;
//! - `created`-like dates take the earliest value, `last_contact`-like dates the latest;
//! - list fields (tags, expertise, …) are united without repeats;
//! - same-named sections are merged; their list items are folded by [`crate::text::facts`].

use super::config::PeopleConfig;
use super::fields::{is_placeholder, Origin, RawField};
use super::sections::{self, Block, NoteSection};
use super::{Fact, Field, FieldValue, Item, Profile, Section, SectionBlock};
use crate::parse::ParsedNote;
use rustc_hash::FxHashMap as HashMap;

/// A name compared without case, accents, punctuation or extra spaces.
pub fn name_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let push = |out: &mut String, c: char| {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    };
    // ASCII characters decompose to themselves and are never reordered with their neighbours,
    // so only the runs between them go through NFKD (most names are all ASCII).
    for (ascii, run) in crate::text::ascii_runs(s) {
        if ascii {
            run.chars().for_each(|c| push(&mut out, c));
        } else {
            run.nfkd()
                .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
                .for_each(|c| push(&mut out, c));
        }
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

/// The person's name as the note gives it: its title, or for a folder note (`Name/README.md`)
/// titled like its file, the folder's name.
pub fn person_name(n: &ParsedNote) -> String {
    let stem = crate::paths::strip_md(crate::paths::file_name(&n.path));
    let folder_note = ["readme", "index", "_index"].contains(&stem.to_lowercase().as_str());
    if folder_note && n.title.eq_ignore_ascii_case(stem) {
        let parent = crate::paths::parent(&n.path);
        let name = crate::paths::file_name(parent);
        if !name.is_empty() {
            return name.to_string();
        }
    }
    n.title.clone()
}

/// Whether an alias is specific enough to identify a person: two or more words of two or more
/// letters. `Sam` or `A. Hall` could be several people and never merge notes on their own.
pub fn is_specific(key: &str) -> bool {
    let words: Vec<&str> = key.split(' ').collect();
    words.len() >= 2 && words.iter().all(|w| w.chars().count() >= 2)
}

fn find(p: &mut [usize], mut x: usize) -> usize {
    while p[x] != x {
        p[x] = p[p[x]];
        x = p[x];
    }
    x
}

/// Groups person notes (indices into `notes`) into people; each group sorted by path.
pub fn group(
    notes: &[ParsedNote],
    people: &[usize],
    fields: &[std::sync::Arc<Vec<RawField>>],
    merge: bool,
) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..people.len()).collect();
    if merge {
        let mut owner: HashMap<String, usize> = HashMap::default();
        for (i, &n) in people.iter().enumerate() {
            let note = &notes[n];
            let mut keys: Vec<String> = vec![name_key(&person_name(note))];
            keys.extend(
                note.aliases
                    .iter()
                    .map(|a| name_key(a))
                    .filter(|k| is_specific(k)),
            );
            keys.extend(
                fields[i]
                    .iter()
                    .filter(|f| f.key == "email" && f.value.contains('@'))
                    .map(|f| format!("@{}", f.value.trim().to_lowercase())),
            );
            for k in keys {
                if k.is_empty() || k == "@" {
                    continue;
                }
                match owner.get(&k) {
                    Some(&o) => {
                        let (a, b) = (find(&mut parent, o), find(&mut parent, i));
                        if a != b {
                            parent[b] = a;
                        }
                    }
                    None => {
                        owner.insert(k, i);
                    }
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, &note) in people.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(note);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    for g in &mut out {
        g.sort_by(|a, b| notes[*a].path.cmp(&notes[*b].path));
    }
    out.sort_by(|a, b| notes[a[0]].path.cmp(&notes[b[0]].path));
    out
}

/// How recent a source is (ISO date, comparable as text).
pub fn recency(n: &ParsedNote) -> String {
    let mut best = String::new();
    for k in ["updated", "modified", "last_contact", "created"] {
        if let Some(d) = n
            .front
            .get(k)
            .and_then(|v| v.as_str())
            .and_then(crate::paths::parse_date)
            .map(crate::paths::format_date)
        {
            if d > best {
                best = d;
            }
        }
    }
    if best.is_empty() {
        // No date in the frontmatter: the file's modification date.
        best = n.updated.clone().unwrap_or_default();
    }
    best
}

fn norm_value(v: &str) -> String {
    v.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(['.', ','])
        .to_string()
}

fn add_value(list: &mut Vec<FieldValue>, f: &RawField, note: usize) {
    let k = norm_value(&f.value);
    if let Some(v) = list.iter_mut().find(|v| norm_value(&v.value) == k) {
        if !v.notes.contains(&note) {
            v.notes.push(note);
        }
        return;
    }
    list.push(FieldValue {
        value: f.value.trim().to_string(),
        notes: vec![note],
        origin: f.origin,
        line: f.line,
    });
}

/// Merges the fields of a group's sources, given newest first.
fn merge_fields(
    order: &[usize],
    raw: &HashMap<usize, std::sync::Arc<Vec<RawField>>>,
    cfg: &PeopleConfig,
) -> (Vec<Field>, usize) {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut real: HashMap<String, Vec<FieldValue>> = HashMap::default();
    let mut placeholders = 0;
    for &n in order {
        for f in raw.get(&n).into_iter().flat_map(|v| v.iter()) {
            if !keys.iter().any(|(k, _)| *k == f.key) {
                keys.push((f.key.clone(), f.label.clone()));
            }
            if is_placeholder(&f.value, cfg) {
                placeholders += 1;
                continue;
            }
            let list = cfg.list_fields.contains(&f.key);
            if list && f.origin != Origin::Frontmatter && f.value.contains(',') {
                for part in f.value.split(',') {
                    let mut p = f.clone();
                    p.value = part.trim().to_string();
                    if !p.value.is_empty() {
                        add_value(real.entry(f.key.clone()).or_default(), &p, n);
                    }
                }
            } else {
                add_value(real.entry(f.key.clone()).or_default(), f, n);
            }
        }
    }
    let mut out = Vec::new();
    for (key, label) in keys {
        let Some(mut values) = real.remove(&key) else {
            continue;
        };
        let list = cfg.list_fields.contains(&key);
        let dated =
            |v: &FieldValue| crate::paths::parse_date(&v.value).map(crate::paths::format_date);
        let rule;
        if cfg.earliest.contains(&key) && values.iter().all(|v| dated(v).is_some()) {
            values.sort_by_key(|v| dated(v));
            rule = "earliest";
        } else if cfg.latest.contains(&key) && values.iter().all(|v| dated(v).is_some()) {
            values.sort_by_key(|v| std::cmp::Reverse(dated(v)));
            rule = "latest";
        } else if list {
            rule = "union";
        } else {
            rule = "most recent source";
        }
        let current = values.remove(0);
        out.push(Field {
            key,
            label,
            list,
            rule,
            current,
            others: values,
        });
    }
    (out, placeholders)
}

/// Builds one profile from a group of person notes.
pub fn profile(
    notes: &[ParsedNote],
    group: &[usize],
    raw: &HashMap<usize, std::sync::Arc<Vec<RawField>>>,
    cfg: &PeopleConfig,
) -> Profile {
    let mut order: Vec<usize> = group.to_vec();
    let rec: HashMap<usize, String> = order.iter().map(|&n| (n, recency(&notes[n]))).collect();
    order.sort_by(|a, b| {
        rec[b]
            .cmp(&rec[a])
            .then(notes[*a].path.cmp(&notes[*b].path))
    });
    // The page the profile lives at: a note named after the person beats a folder note, then
    // the shorter path.
    let primary = *group
        .iter()
        .min_by_key(|&&n| {
            let stem =
                crate::paths::strip_md(crate::paths::file_name(&notes[n].path)).to_lowercase();
            (
                ["readme", "index", "_index"].contains(&stem.as_str()),
                notes[n].path.len(),
                notes[n].path.clone(),
            )
        })
        .unwrap_or(&group[0]);
    let name = person_name(&notes[primary]);
    let (fields, mut dropped) = merge_fields(&order, raw, cfg);
    let mut aliases: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for &n in &order {
        for a in &notes[n].aliases {
            if name_key(a) != name_key(&name) && !aliases.iter().any(|x| name_key(x) == name_key(a))
            {
                aliases.push(a.clone());
            }
        }
        for t in &notes[n].tags {
            if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                tags.push(t.clone());
            }
        }
    }
    // Sections, newest source first, in order of first appearance.
    let mut secs: Vec<(String, Vec<(usize, NoteSection)>)> = Vec::new();
    for &n in &order {
        for s in sections::split(&notes[n].body.html, &notes[n].body.slots, cfg) {
            dropped += s.dropped;
            if s.blocks.is_empty() {
                continue;
            }
            let k = name_key(&s.title);
            match secs.iter_mut().find(|(t, _)| *t == k) {
                Some((_, v)) => v.push((n, s)),
                None => secs.push((k, vec![(n, s)])),
            }
        }
    }
    // The untitled introduction comes first.
    secs.sort_by_key(|(k, _)| !k.is_empty());
    let sections = secs
        .into_iter()
        .map(|(_, parts)| merge_section(notes, parts, cfg))
        .collect();
    let sources = order
        .iter()
        .map(|&n| super::SourceRef {
            note: n,
            recency: rec[&n].clone(),
        })
        .collect();
    Profile {
        name,
        primary,
        sources,
        fields,
        aliases,
        tags,
        sections,
        dropped,
    }
}

const TIMELINE_WORDS: [&str; 6] = [
    "context",
    "timeline",
    "interactions",
    "history",
    "log",
    "updates",
];

fn merge_section(
    notes: &[ParsedNote],
    parts: Vec<(usize, NoteSection)>,
    cfg: &PeopleConfig,
) -> Section {
    let title = parts[0].1.title.clone();
    let id = parts[0].1.id.clone();
    let mut blocks: Vec<SectionBlock> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut facts_at: Option<usize> = None;
    let mut seen_other: Vec<String> = Vec::new();
    // Content repeated by several sources is shown once (only worth checking with several).
    let several = parts.iter().any(|(n, _)| *n != parts[0].0);
    for (n, s) in parts {
        let slots = &notes[n].body.slots;
        for b in s.blocks {
            match b {
                Block::List(list) => {
                    if facts_at.is_none() {
                        facts_at = Some(blocks.len());
                        blocks.push(SectionBlock::Facts(Vec::new()));
                    }
                    items.extend(list.into_iter().map(|(html, text)| Item {
                        text,
                        html,
                        note: n,
                    }));
                }
                Block::Other(html) => {
                    if several {
                        let key = norm_value(&sections::plain(&html, slots));
                        if !key.is_empty() && seen_other.contains(&key) {
                            continue;
                        }
                        seen_other.push(key);
                    }
                    blocks.push(SectionBlock::Html { note: n, html });
                }
            }
        }
    }
    if let Some(at) = facts_at {
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        let groups = crate::text::facts::fold(&texts, &cfg.facts);
        let mut facts: Vec<Fact> = groups
            .into_iter()
            .map(|g| {
                let shown = items[g.shown].clone();
                let others = g
                    .members
                    .iter()
                    .filter(|&&m| m != g.shown)
                    .map(|&m| items[m].clone())
                    .collect();
                let mut sources: Vec<usize> = g.members.iter().map(|&m| items[m].note).collect();
                sources.sort_unstable();
                sources.dedup();
                Fact {
                    count: g.members.len(),
                    shown,
                    others,
                    sources,
                }
            })
            .collect();
        let lower = title.to_lowercase();
        if TIMELINE_WORDS.iter().any(|w| lower.contains(w)) {
            // Newest first when items start with a date.
            facts.sort_by_key(|f| std::cmp::Reverse(leading_date(&f.shown.text)));
        }
        blocks[at] = SectionBlock::Facts(facts);
    }
    Section { title, id, blocks }
}

/// A `YYYY-MM-DD` date at the start of a text.
pub fn leading_date(s: &str) -> Option<String> {
    let t = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let d = t.get(..10)?;
    crate::paths::parse_date(d).map(crate::paths::format_date)
}

#[cfg(test)]
mod tests {
    use super::name_key;

    /// The definition `name_key` keeps: NFKD over the whole text, marks dropped, letters and
    /// digits lower-cased, every other run one space.
    fn reference(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        for c in s.nfkd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        out.trim_end().to_string()
    }

    #[test]
    fn name_keys_match_a_whole_text_decomposition() {
        for s in [
            "Ada Lovelace",
            "  Zoë  Müller-Schmidt ",
            "Søren Çelik, Ş. Şahin",
            "e\u{301}mile Zola",
            "Ａｄａ　ＬＯＶＥＬＡＣＥ",
            "ﬁnance ½ ②",
            "İstanbul ΣΊΣΥΦΟΣ",
            "Andy‚Äôs notes — 1:1 with Noah",
            "x\u{0327}\u{0301}y",
            "",
            "!!",
        ] {
            assert_eq!(name_key(s), reference(s), "{s:?}");
        }
        assert_eq!(name_key("Zoë  Müller"), "zoe muller");
    }
}
