//! Resolve stage: builds one [`LinkIndex`] over the vault, resolves every link of every published
//! note exactly as Obsidian does (then by aliases and titles), and computes backlinks once from
//! the resolved edges. Input: published [`ParsedNote`]s, private paths, attachments. Output:
//! [`Resolved`]. The render stage only looks resolutions up; it never decides them.

pub mod index;
mod renumber;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity};
use crate::load::Attachment;
use crate::parse::{LinkRef, ParsedNote};
use crate::paths::{key, normalize_rel, parent, strip_md};
use index::{FileRef, LinkIndex};
use std::collections::HashMap;
use std::sync::Arc;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A published note, with the anchor of the heading or block (`intro`, `^abc`).
    Note {
        /// Index of the note.
        note: usize,
        /// Anchor id on the target page.
        anchor: Option<String>,
    },
    /// An attachment (index into the vault's attachments).
    Attachment(usize),
    /// A note that does not exist (index into [`Resolved::missing`]).
    Missing(usize),
    /// A private note or file: rendered as plain text, never linked.
    Private,
    /// A path that leaves the vault: rendered as plain text.
    Outside,
}

/// A link target that does not exist, and who links to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    /// The target as first written (`.md` removed).
    pub name: String,
    /// Vault path the note would have (`Projects/Zeppelin`), used for its URL.
    pub path: String,
    /// (note, link) pairs that point here.
    pub referrers: Vec<(usize, usize)>,
}

/// The output of the resolve stage.
#[derive(Debug, Default)]
pub struct Resolved {
    /// For each note, the target of each of its links.
    pub targets: Vec<Arc<[Target]>>,
    /// For each note, the (note, link) pairs that link to it, by source note (shared, so that a
    /// rebuild takes the unchanged lists over).
    pub backlinks: Vec<Arc<[(usize, usize)]>>,
    /// Missing targets.
    pub missing: Vec<Missing>,
    /// Which attachments a published note uses.
    pub used_attachments: Vec<bool>,
    /// The index (kept for resolving links of embedded sections; shared with the next rebuild).
    pub index: Arc<LinkIndex>,
    missing_by_key: HashMap<String, usize>,
    /// Each link's raw lookup, kept so that a rebuild can reuse those of unchanged notes.
    lookups: Vec<Arc<[Lookup]>>,
    /// "Did you mean" answers by missing key, kept for the same reason.
    suggestions: HashMap<String, Option<usize>>,
    /// Missing keys in the order they are numbered, kept for the same reason.
    missing_keys: Vec<String>,
    /// What each note's links reported, kept for the same reason.
    note_diags: Vec<Arc<[Diagnostic]>>,
}

/// What a previous resolve of the same vault leaves for the next one (`wikigen serve`). Valid only
/// when the vault has the same files, and every changed note the same title, aliases, headings
/// and block ids: then the index is the same, and so is every lookup of an unchanged note. When
/// `renamed` holds names, changed notes were renamed in place or given other titles or aliases:
/// the index is built again, and so is every lookup of a link written with one of those names.
#[derive(Clone, Copy)]
pub struct Prior<'a> {
    /// The previous result.
    pub resolved: &'a Resolved,
    /// Which notes changed, by index (the same in both builds).
    pub dirty: &'a [bool],
    /// The names (file names, titles, aliases) renamed notes had and have now, as
    /// [`crate::query::reads::name_hash`]es; empty when no note was renamed.
    pub renamed: &'a [u64],
    /// The same names, as written.
    pub names: &'a [String],
}

/// The raw outcome of one lookup, before missing targets get numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Found.
    Found(Target),
    /// The subpath is missing in the found note (heading or block).
    FoundWithoutAnchor(usize, String),
    /// Not found: the missing key and display name.
    NotFound(String, String),
}

/// Normalises a heading for lenient matching: `# | ^ : [ ] \` and `%%` become spaces.
fn loose_heading(s: &str) -> String {
    let s = s.replace("%%", " ");
    let s: String = s
        .chars()
        .map(|c| if "#|^:[]\\".contains(c) { ' ' } else { c })
        .collect();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Finds the anchor for a subpath (`H1#H2` or `^id`) in `note`.
pub fn find_anchor(note: &ParsedNote, subpath: &str) -> Option<String> {
    if let Some(id) = subpath.strip_prefix('^') {
        return note
            .blocks
            .iter()
            .find(|b| b.id.eq_ignore_ascii_case(id.trim()))
            .map(|b| format!("^{}", b.id));
    }
    let parts: Vec<&str> = subpath
        .split('#')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let last = *parts.last()?;
    let exact: Vec<usize> = (0..note.headings.len())
        .filter(|&i| note.headings[i].text == last)
        .collect();
    let matches = if exact.is_empty() {
        let l = loose_heading(last);
        (0..note.headings.len())
            .filter(|&i| loose_heading(&note.headings[i].text) == l)
            .collect()
    } else {
        exact
    };
    let pick = if parts.len() > 1 {
        let parent_l = loose_heading(parts[parts.len() - 2]);
        matches
            .iter()
            .copied()
            .find(|&i| {
                let lvl = note.headings[i].level;
                note.headings[..i]
                    .iter()
                    .rev()
                    .find(|h| h.level < lvl)
                    .is_some_and(|h| loose_heading(&h.text) == parent_l)
            })
            .or(matches.first().copied())
    } else {
        matches.first().copied()
    };
    pick.map(|i| note.headings[i].id.clone())
}

/// Do the links of note `i` in `a` go where those of note `j` in `b` go? "Not written yet"
/// targets compare by path, since their numbers may differ between two resolutions.
pub fn same_targets(a: &Resolved, i: usize, b: &Resolved, j: usize) -> bool {
    let (Some(x), Some(y)) = (a.targets.get(i), b.targets.get(j)) else {
        return false;
    };
    x.len() == y.len()
        && x.iter().zip(y.iter()).all(|(s, t)| match (s, t) {
            (Target::Missing(m), Target::Missing(n)) => {
                a.missing.get(*m).map(|m| &m.path) == b.missing.get(*n).map(|n| &n.path)
            }
            _ => s == t,
        })
}

impl Resolved {
    /// The published notes note `n` links to, each once, by index.
    pub fn linked_notes(&self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.targets[n]
            .iter()
            .filter_map(|t| match t {
                Target::Note { note, .. } => Some(*note),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Looks up one link written in note `src` (pure: nothing is recorded).
    pub fn lookup(&self, notes: &[ParsedNote], src: usize, link: &LinkRef) -> Lookup {
        lookup(&self.index, notes, src, link)
    }

    /// Resolves a link of an embedded section to a target, using the missing pages known.
    pub fn target_of(&self, notes: &[ParsedNote], src: usize, link: &LinkRef) -> Target {
        match self.lookup(notes, src, link) {
            Lookup::Found(t) => t,
            Lookup::FoundWithoutAnchor(n, _) => Target::Note {
                note: n,
                anchor: None,
            },
            Lookup::NotFound(k, _) => self
                .missing_by_key
                .get(&k)
                .map(|&m| Target::Missing(m))
                .unwrap_or(Target::Outside),
        }
    }
}

fn lookup(index: &LinkIndex, notes: &[ParsedNote], src: usize, link: &LinkRef) -> Lookup {
    let source = &notes[src].path;
    let raw = crate::paths::nfc(link.path.trim());
    let (found, path) = if raw.is_empty() {
        (Some(FileRef::Note(src)), String::new())
    } else {
        let rel = raw.starts_with("./") || raw.starts_with("../");
        let joined = match (rel, parent(source)) {
            (true, "") => raw.clone(),
            (true, dir) => format!("{dir}/{raw}"),
            (false, _) => raw.trim_start_matches('/').to_string(),
        };
        let Some(path) = normalize_rel(&joined) else {
            return Lookup::Found(Target::Outside);
        };
        if path.is_empty() {
            return Lookup::Found(Target::Outside);
        }
        let found = if rel {
            index.lookup_exact(&path)
        } else {
            index.lookup(&path, source).or_else(|| {
                (!path.contains('/'))
                    .then(|| {
                        index
                            .lookup_name(&path)
                            .map(FileRef::Note)
                            .or_else(|| index.is_private_name(&path).then_some(FileRef::Private))
                    })
                    .flatten()
            })
        };
        (found, path)
    };
    match found {
        None => {
            let name = strip_md(&path).to_string();
            Lookup::NotFound(key(&name), name)
        }
        Some(FileRef::Private) => Lookup::Found(Target::Private),
        Some(FileRef::Attachment(a)) => Lookup::Found(Target::Attachment(a)),
        Some(FileRef::Note(n)) => match &link.subpath {
            None => Lookup::Found(Target::Note {
                note: n,
                anchor: None,
            }),
            Some(sub) => match find_anchor(&notes[n], sub) {
                Some(a) => Lookup::Found(Target::Note {
                    note: n,
                    anchor: Some(a),
                }),
                None => Lookup::FoundWithoutAnchor(n, sub.clone()),
            },
        },
    }
}

/// Resolves every link of every published note and computes backlinks.
pub fn resolve(
    notes: &[ParsedNote],
    private: &Private,
    attachments: &[Attachment],
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    resolve_with(notes, private, attachments, cfg, diags, None, false)
}

/// What the link index knows of the private notes: enough to recognise a link to one (it is then
/// shown as plain text), nothing of their content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Private {
    /// Their vault paths.
    pub paths: Vec<String>,
    /// Their frontmatter titles and aliases.
    pub names: Vec<String>,
}

impl Private {
    /// The paths, titles and aliases of the private notes among `notes`.
    pub fn of<'a>(notes: impl IntoIterator<Item = &'a ParsedNote>) -> Private {
        let mut p = Private::default();
        for n in notes.into_iter().filter(|n| n.private) {
            p.paths.push(n.path.clone());
            p.names.extend(n.aliases.iter().cloned());
            p.names.push(n.title.clone());
        }
        p.names.sort();
        p.names.dedup();
        p
    }
}

/// The link index over every note (published or private) and attachment.
fn build_index(
    notes: &[ParsedNote],
    private: &Private,
    attachments: &[Attachment],
    cfg: &Config,
) -> LinkIndex {
    let mut index = LinkIndex::default();
    // A file name with mojibake in it is found under its repaired name too.
    let repaired = |p: &str| crate::text::mojibake::repair(p).map(|r| r.fixed);
    for (i, n) in notes.iter().enumerate() {
        index.add_note(&n.path, FileRef::Note(i));
        if let Some(fixed) = repaired(&n.path) {
            index.add_note(&fixed, FileRef::Note(i));
        }
    }
    for p in &private.paths {
        index.add_note(p, FileRef::Private);
        if let Some(fixed) = repaired(p) {
            index.add_note(&fixed, FileRef::Private);
        }
    }
    for name in &private.names {
        index.add_private_name(name);
    }
    for (i, a) in attachments.iter().enumerate() {
        let f = if crate::parse::in_private_folder(&a.path, &cfg.private_folders) {
            FileRef::Private
        } else {
            FileRef::Attachment(i)
        };
        index.add_file(&a.path, f);
    }
    for (i, n) in notes.iter().enumerate() {
        for a in &n.aliases {
            index.add_name(a, i);
        }
        index.add_name(&n.title, i);
    }
    index
}

/// [`resolve`], reusing what `prior` says is still valid: its index, the lookups of the notes
/// it does not mark dirty, and its "did you mean" answers. The result is the same as
/// [`resolve`]'s; only the work differs. `keep` keeps every lookup for the next rebuild.
pub fn resolve_with(
    notes: &[ParsedNote],
    private: &Private,
    attachments: &[Attachment],
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
    prior: Option<Prior>,
    keep: bool,
) -> Resolved {
    use rayon::prelude::*;
    let prior =
        prior.filter(|p| p.dirty.len() == notes.len() && p.resolved.lookups.len() == notes.len());
    let reuse: Vec<Option<Arc<[Lookup]>>> = match &prior {
        Some(p) => {
            // After a rename, only links written with one of the names can find another note
            // than before.
            let names: std::collections::HashSet<u64> = p.renamed.iter().copied().collect();
            p.resolved
                .lookups
                .par_iter()
                .zip(p.dirty.par_iter())
                .enumerate()
                .map(|(i, (l, &d))| {
                    let named = !names.is_empty()
                        && notes[i]
                            .links
                            .iter()
                            .any(|k| names.contains(&crate::query::reads::name_hash(&k.path)));
                    (!d && !named).then(|| l.clone())
                })
                .collect()
        }
        None => vec![None; notes.len()],
    };
    let (index, mut suggestions) = match &prior {
        Some(p) if p.renamed.is_empty() && !p.resolved.index.is_empty() => {
            (p.resolved.index.clone(), p.resolved.suggestions.clone())
        }
        Some(p) => (
            Arc::new(build_index(notes, private, attachments, cfg)),
            suggestions_kept(p),
        ),
        None => (
            Arc::new(build_index(notes, private, attachments, cfg)),
            HashMap::new(),
        ),
    };
    // The notes whose lookups are taken over.
    let kept: Vec<bool> = reuse.iter().map(Option::is_some).collect();
    let lookups: Vec<Arc<[Lookup]>> = {
        let idx = &*index;
        reuse
            .into_par_iter()
            .enumerate()
            .map(|(i, old)| {
                old.unwrap_or_else(|| {
                    notes[i]
                        .links
                        .iter()
                        .map(|l| lookup(idx, notes, i, l))
                        .collect()
                })
            })
            .collect()
    };
    // One "did you mean" search per distinct missing target, in parallel.
    if cfg.unresolved.is_some() {
        let mut wanted: Vec<(&str, &str)> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for l in lookups.iter().flat_map(|l| l.iter()) {
            if let Lookup::NotFound(k, name) = l {
                if !suggestions.contains_key(k) && seen.insert(k) {
                    wanted.push((k, name));
                }
            }
        }
        let found: Vec<(String, Option<usize>)> = wanted
            .par_iter()
            .map(|(k, name)| (k.to_string(), index.suggest(name)))
            .collect();
        suggestions.extend(found);
    }
    let mut r = Resolved {
        used_attachments: vec![false; attachments.len()],
        ..Default::default()
    };
    // Missing targets, numbered in the order they first appear.
    let mut missing_keys: Vec<String> = Vec::new();
    for l in lookups.iter().flat_map(|l| l.iter()) {
        if let Lookup::NotFound(k, name) = l {
            if !r.missing_by_key.contains_key(k) {
                r.missing_by_key.insert(k.clone(), r.missing.len());
                missing_keys.push(k.clone());
                r.missing.push(Missing {
                    name: crate::paths::file_name(name).to_string(),
                    path: name.clone(),
                    referrers: Vec::new(),
                });
            }
        }
    }
    // An unchanged note's targets and reports are what they were (with the "not written yet"
    // targets numbered anew), unless one of its links' "did you mean" answers changed.
    let same = prior.filter(|p| {
        p.resolved.targets.len() == notes.len() && p.resolved.note_diags.len() == notes.len()
    });
    let redo: Vec<bool> = match same {
        Some(p) => (0..notes.len())
            .into_par_iter()
            .map(|i| {
                !kept[i]
                    || (!p.renamed.is_empty()
                        && lookups[i].iter().any(|l| match l {
                            Lookup::NotFound(k, _) => {
                                suggestions.get(k) != p.resolved.suggestions.get(k)
                            }
                            _ => false,
                        }))
            })
            .collect(),
        None => Vec::new(),
    };
    let renumber: Option<Vec<usize>> = same
        .filter(|p| p.resolved.missing_keys != missing_keys)
        .map(|p| {
            p.resolved
                .missing_keys
                .iter()
                .map(|k| r.missing_by_key.get(k).copied().unwrap_or(usize::MAX))
                .collect()
        });
    type NoteLinks = (Arc<[Target]>, Arc<[Diagnostic]>);
    let per_note: Vec<NoteLinks> = (0..notes.len())
        .into_par_iter()
        .map(|i| match same {
            Some(p) if !redo[i] => (
                renumbered(&p.resolved.targets[i], renumber.as_deref()),
                p.resolved.note_diags[i].clone(),
            ),
            _ => {
                let (t, d) =
                    note_targets(notes, i, &lookups[i], &r.missing_by_key, &suggestions, cfg);
                (t.into(), d.into())
            }
        })
        .collect();
    // Backlinks: with the same targets for the unchanged notes, only the lists of the notes the
    // changed ones link to, before or now, are made again.
    let mut backlinks: Vec<Vec<(usize, usize)>> = match same {
        Some(_) => Vec::new(),
        None => vec![Vec::new(); notes.len()],
    };
    if let Some(p) = same {
        r.backlinks = p.resolved.backlinks.clone();
        let dirty: Vec<usize> = (0..notes.len()).filter(|&i| redo[i]).collect();
        let links_to = |i: usize, ts: &[Target]| -> Vec<(usize, usize)> {
            ts.iter()
                .enumerate()
                .filter_map(|(j, t)| match t {
                    Target::Note { note: n, .. } if *n != i => Some((*n, j)),
                    _ => None,
                })
                .collect()
        };
        let mut fresh: Vec<(usize, usize, usize)> = Vec::new();
        let mut reached: Vec<usize> = Vec::new();
        for &i in &dirty {
            reached.extend(links_to(i, &p.resolved.targets[i]).iter().map(|&(n, _)| n));
            for (n, j) in links_to(i, &per_note[i].0) {
                reached.push(n);
                fresh.push((n, i, j));
            }
        }
        reached.sort_unstable();
        reached.dedup();
        for n in reached {
            let mut v: Vec<(usize, usize)> = r.backlinks[n]
                .iter()
                .copied()
                .filter(|&(src, _)| !redo[src])
                .chain(fresh.iter().filter(|f| f.0 == n).map(|&(_, i, j)| (i, j)))
                .collect();
            v.sort_unstable();
            r.backlinks[n] = v.into();
        }
    }
    for (i, (targets, reports)) in per_note.into_iter().enumerate() {
        for (j, t) in targets.iter().enumerate() {
            match t {
                Target::Note { note: n, .. } if *n != i && same.is_none() => {
                    backlinks[*n].push((i, j))
                }
                Target::Attachment(a) => r.used_attachments[*a] = true,
                Target::Missing(m) => r.missing[*m].referrers.push((i, j)),
                _ => {}
            }
        }
        diags.extend(reports.iter().cloned());
        r.targets.push(targets);
        if keep {
            r.note_diags.push(reports);
        }
    }
    if same.is_none() {
        r.backlinks = backlinks.into_iter().map(Into::into).collect();
    }
    r.index = index;
    if keep {
        r.lookups = lookups;
        r.suggestions = suggestions;
        r.missing_keys = missing_keys;
    }
    r
}

/// The first letter of `name` as "did you mean" compares names (see `LinkIndex::suggest`).
fn initial(name: &str) -> Option<char> {
    index::loose_key(name).chars().next()
}

/// The last resolve's "did you mean" answers that a rename (`prior.names`) cannot change: those
/// for names that begin otherwise than every one of the renamed notes' names, old or new.
fn suggestions_kept(prior: &Prior<'_>) -> HashMap<String, Option<usize>> {
    let firsts: std::collections::HashSet<char> = prior
        .names
        .iter()
        .flat_map(|n| {
            let n = strip_md(n.trim());
            [initial(n), initial(crate::paths::file_name(n))]
        })
        .flatten()
        .collect();
    let mut names: HashMap<&str, &str> = HashMap::new();
    for l in prior.resolved.lookups.iter().flat_map(|l| l.iter()) {
        if let Lookup::NotFound(k, name) = l {
            names.insert(k, name);
        }
    }
    let mut kept = prior.resolved.suggestions.clone();
    kept.retain(|k, _| {
        names.get(k.as_str()).is_some_and(|name| {
            initial(crate::paths::file_name(strip_md(name))).is_some_and(|c| !firsts.contains(&c))
        })
    });
    kept
}

/// `targets` with each "not written yet" target numbered as `renumber` says (old number to new),
/// or as they are.
fn renumbered(targets: &Arc<[Target]>, renumber: Option<&[usize]>) -> Arc<[Target]> {
    match renumber {
        Some(map) if targets.iter().any(|t| matches!(t, Target::Missing(_))) => targets
            .iter()
            .map(|t| match t {
                Target::Missing(m) => Target::Missing(map.get(*m).copied().unwrap_or(*m)),
                other => other.clone(),
            })
            .collect(),
        _ => targets.clone(),
    }
}

/// The targets of note `i`'s links from their lookups (missing targets numbered by
/// `missing_by_key`), and what they report: missing headings and blocks, unresolved links (with a
/// "did you mean"), links to private notes and out of the vault.
fn note_targets(
    notes: &[ParsedNote],
    i: usize,
    looks: &[Lookup],
    missing_by_key: &HashMap<String, usize>,
    suggestions: &HashMap<String, Option<usize>>,
    cfg: &Config,
) -> (Vec<Target>, Vec<Diagnostic>) {
    let note = &notes[i];
    let mut diags = Vec::new();
    let mut targets = Vec::with_capacity(looks.len());
    for (link, look) in note.links.iter().zip(looks) {
        let t = match look {
            Lookup::Found(t) => t.clone(),
            Lookup::FoundWithoutAnchor(n, sub) => {
                let n = *n;
                let block = sub.starts_with('^');
                if let Some(sev) = cfg.missing_heading {
                    diags.push(Diagnostic::new(
                        sev,
                        if block { Code::MissingBlock } else { Code::MissingHeading },
                        &note.path,
                        link.line,
                        link.column,
                        format!(
                            "`{}` has no {} `{}`; the link goes to the top of the note",
                            notes[n].title,
                            if block { "block" } else { "heading" },
                            sub
                        ),
                        if block {
                            "add ` ^id` at the end of the paragraph you mean, or fix the id"
                        } else {
                            "fix the heading name in the link (headings are matched ignoring case and # | ^ : [ ])"
                        },
                    ));
                }
                Target::Note {
                    note: n,
                    anchor: None,
                }
            }
            Lookup::NotFound(k, name) => {
                if let Some(sev) = cfg.unresolved {
                    let help = match suggestions.get(k).copied().flatten() {
                        Some(s) => format!("did you mean [[{}]]? Otherwise create the note `{}.md`", crate::paths::strip_md(&notes[s].path), name),
                        None => format!("create the note `{name}.md`, or fix the link; the page lists it as not written yet"),
                    };
                    diags.push(Diagnostic::new(
                        sev,
                        Code::UnresolvedLink,
                        &note.path,
                        link.line,
                        link.column,
                        format!(
                            "`{}` links to `{}`, which does not exist",
                            link.label, link.path
                        ),
                        help,
                    ));
                }
                match missing_by_key.get(k) {
                    Some(&m) => Target::Missing(m),
                    None => Target::Outside,
                }
            }
        };
        match &t {
            Target::Private => {
                if let Some(sev) = cfg.private_link {
                    diags.push(Diagnostic::new(
                        sev,
                        Code::PrivateLink,
                        &note.path,
                        link.line,
                        link.column,
                        "this links to a private note; it is shown as plain text",
                        "nothing to do if intended; remove the link to hide the text too",
                    ));
                }
            }
            Target::Outside => diags.push(Diagnostic::new(
                Severity::Warning,
                Code::LinkOutsideVault,
                &note.path,
                link.line,
                link.column,
                format!(
                    "`{}` points outside the vault; it is shown as plain text",
                    link.path
                ),
                "link to notes inside the vault only",
            )),
            _ => {}
        }
        targets.push(t);
    }
    (targets, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_matching_is_lenient() {
        let md = crate::parse::markdown::convert(
            "n.md",
            "# Top\n## The solution: Regenerate\n### Sub\n## Other\n### Sub\npara ^blk\n",
            true,
            true,
        );
        let note = ParsedNote {
            path: "n.md".into(),
            title: "n".into(),
            aliases: vec![],
            tags: vec![],
            front: Default::default(),
            properties: vec![],
            created: None,
            updated: None,
            cssclasses: vec![],
            private: false,
            kind: crate::parse::Kind::Note,
            body: md.fragment,
            links: vec![],
            headings: md.headings,
            blocks: md.blocks,
            tasks: vec![],
            lists: vec![],
            queries: vec![],
            fields: vec![],
            size: 0,
            mtime: None,
            ctime: None,
            contexts: vec![],
            plain: String::new(),
            masked: vec![],
            lead: String::new(),
            title_heading: false,
            source: String::new(),
        };
        assert_eq!(
            find_anchor(&note, "the solution regenerate").as_deref(),
            Some("the-solution-regenerate")
        );
        assert_eq!(find_anchor(&note, "Other#Sub").as_deref(), Some("sub-1"));
        assert_eq!(find_anchor(&note, "Sub").as_deref(), Some("sub"));
        assert_eq!(find_anchor(&note, "^BLK").as_deref(), Some("^blk"));
        assert_eq!(find_anchor(&note, "Nope"), None);
    }
}
