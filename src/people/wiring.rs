//! Profile stage, wiring: builds the [`Directory`] — groups person notes into profiles (merged in
//! parallel), finds each meeting's date and participants, each project's people, meetings and
//! tasks, and each person's meetings, tasks and projects. Every pass is linear in notes, links and
//! tasks (name lookups go through hash maps, never a scan per pair).

use super::merge::{self, name_key};
use super::*;
use crate::diag::{Code, Severity};
use crate::parse::Kind;
use crate::resolve::Target;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// What a directory keeps for the next rebuild to reuse.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cache {
    /// Raw fields of each person note.
    raw: HashMap<usize, Arc<Vec<super::fields::RawField>>>,
    /// Each group of person notes, and the index of its profile.
    groups: HashMap<Vec<usize>, usize>,
    /// The name lookup.
    names: std::sync::Arc<Names>,
    /// Each project's note and the name meetings find it by, in the projects' order.
    projects: Vec<(usize, String)>,
}

impl Cache {
    /// This cache with the notes numbered as `r` says (see [`Directory::renumbered`]).
    pub(super) fn renumbered(&self, r: &crate::renumber::Renumber) -> Cache {
        Cache {
            raw: self
                .raw
                .iter()
                .filter_map(|(&n, f)| Some((r.get(n)?, f.clone())))
                .collect(),
            // A group with a note that went is a group no more.
            groups: self
                .groups
                .iter()
                .filter_map(|(g, &p)| {
                    let g: Option<Vec<usize>> = g.iter().map(|&n| r.get(n)).collect();
                    Some((g?, p))
                })
                .collect(),
            names: self.names.clone(),
            projects: self
                .projects
                .iter()
                // A project that went stays, as no note: the projects are then not the same,
                // and what points to them by number is worked out again.
                .map(|(n, k)| (r.at(*n), k.clone()))
                .collect(),
        }
    }
}

/// Looks people up by name: full names, aliases, names without spaces (`@AdaLovelace`), and first
/// names that only one profile has.
#[derive(Debug, Default, PartialEq)]
struct Names {
    by_key: HashMap<String, usize>,
    /// The names of each profile, as [`Names::of`] lists them.
    lists: Vec<Arc<[String]>>,
}

impl Names {
    /// The names a profile goes by: its name, aliases, and the name of each of its notes.
    fn of(p: &Profile, notes: &[ParsedNote]) -> Arc<[String]> {
        let mut names = vec![p.name.clone()];
        names.extend(p.aliases.iter().cloned());
        names.extend(p.sources.iter().map(|s| merge::person_name(&notes[s.note])));
        names.into()
    }

    /// The lookup over these profiles. With `prior` (the last build's names), a profile taken
    /// over unchanged keeps its names, and when every profile has the names it had, the last
    /// lookup is the answer.
    fn new(
        profiles: &[Arc<Profile>],
        notes: &[ParsedNote],
        prior: Option<(&[Arc<Profile>], &Arc<Names>)>,
    ) -> Arc<Names> {
        let prior =
            prior.filter(|(old, n)| old.len() == profiles.len() && n.lists.len() == old.len());
        let lists: Vec<Arc<[String]>> = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| match prior {
                Some((old, n)) if Arc::ptr_eq(&old[i], p) => n.lists[i].clone(),
                _ => Names::of(p, notes),
            })
            .collect();
        match prior {
            Some((_, n)) if n.lists == lists => n.clone(),
            _ => Arc::new(Names::from_lists(lists)),
        }
    }

    fn from_lists(lists: Vec<Arc<[String]>>) -> Names {
        let mut by_key: HashMap<String, usize> = HashMap::default();
        let mut first: HashMap<String, Option<usize>> = HashMap::default();
        for (i, names) in lists.iter().enumerate() {
            for n in names.iter() {
                let k = name_key(n);
                if k.is_empty() {
                    continue;
                }
                by_key.entry(k.replace(' ', "")).or_insert(i);
                if let Some(f) = k.split(' ').next().filter(|_| k.contains(' ')) {
                    let e = first.entry(f.to_string()).or_insert(Some(i));
                    if *e != Some(i) {
                        *e = None;
                    }
                }
                by_key.insert(k, i);
            }
        }
        for (f, p) in first {
            if let Some(p) = p {
                by_key.entry(f).or_insert(p);
            }
        }
        Names { by_key, lists }
    }

    fn get(&self, name: &str) -> Option<usize> {
        let k = name_key(name);
        self.by_key
            .get(&k)
            .or_else(|| self.by_key.get(&k.replace(' ', "")))
            .copied()
    }

    /// Full names (two or three words) mentioned anywhere in a text.
    fn mentioned(&self, text: &str) -> Vec<usize> {
        let k = name_key(text);
        // Word starts and ends: a key's words are split by single spaces, so a run of words is
        // a slice of the key.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(k.match_indices(' ').map(|(i, _)| i + 1))
            .collect();
        let end = |w: usize| starts.get(w + 1).map_or(k.len(), |&s| s - 1);
        let mut out = Vec::new();
        for n in [2usize, 3] {
            for w in 0..starts.len().saturating_sub(n - 1) {
                if let Some(&p) = self.by_key.get(&k[starts[w]..end(w + n - 1)]) {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }
}

/// Values of a frontmatter key as strings (list or comma-separated string).
fn front_list(n: &ParsedNote, keys: &[&str]) -> Vec<String> {
    for k in keys {
        match n.front.get(*k) {
            Some(serde_json::Value::Array(a)) => {
                return a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                return split_names(s);
            }
            _ => {}
        }
    }
    Vec::new()
}

fn split_names(s: &str) -> Vec<String> {
    s.replace(" and ", ",")
        .replace(';', ",")
        .split(',')
        .map(|x| super::fields::plain_inline(x.trim()))
        .filter(|x| !x.is_empty())
        .collect()
}

fn meeting_date(n: &ParsedNote) -> Option<String> {
    let from = |s: &str| crate::paths::parse_date(s.trim()).map(crate::paths::format_date);
    for k in ["date", "meeting_date", "when"] {
        if let Some(d) = n.front.get(k).and_then(|v| v.as_str()).and_then(from) {
            return Some(d);
        }
    }
    for (k, v) in crate::parse::classify::head_fields(&n.source) {
        if k == "date" || k == "when" {
            if let Some(d) = v.get(..10).and_then(from) {
                return Some(d);
            }
        }
    }
    let stem = crate::paths::file_name(&n.path);
    if let Some(d) = stem.get(..10).and_then(from) {
        return Some(d);
    }
    n.created.clone()
}

fn participants(n: &ParsedNote) -> Vec<String> {
    let fm = front_list(n, &["participants", "attendees", "with", "people"]);
    if !fm.is_empty() {
        return fm.iter().map(|x| super::fields::plain_inline(x)).collect();
    }
    crate::parse::classify::head_fields(&n.source)
        .find(|(k, _)| matches!(k.as_str(), "with" | "participants" | "attendees"))
        .map(|(_, v)| split_names(v))
        .unwrap_or_default()
}

pub(super) fn build(
    notes: &[ParsedNote],
    resolved: &Resolved,
    cfg: &crate::config::Config,
    diags: &mut Vec<Diagnostic>,
    prior: Option<(&Directory, &[bool])>,
) -> Directory {
    let pc = &cfg.people;
    let n_notes = notes.len();
    let prior =
        prior.filter(|(old, dirty)| dirty.len() == n_notes && old.profile_of.len() == n_notes);
    // The previous directory, when note `n` did not change.
    let clean = |n: usize| prior.filter(|(_, dirty)| !dirty[n]).map(|(old, _)| old);
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        log::debug!(
            "profiles/{what}: {:.1} ms",
            t0.elapsed().as_secs_f64() * 1000.0
        )
    };
    let people: Vec<usize> = (0..n_notes)
        .filter(|&i| notes[i].kind == Kind::Person)
        .collect();
    let raw: Vec<Arc<Vec<super::fields::RawField>>> = people
        .par_iter()
        .map(|&n| {
            clean(n)
                .and_then(|old| old.cache.raw.get(&n).cloned())
                .unwrap_or_else(|| {
                    Arc::new(super::fields::extract(&notes[n], pc, &cfg.private_fields))
                })
        })
        .collect();
    let groups = merge::group(notes, &people, &raw, pc.merge);
    lap("fields+groups");
    let raw_by_note: HashMap<usize, Arc<Vec<super::fields::RawField>>> =
        people.iter().copied().zip(raw).collect();
    // A group of unchanged notes that was a group before has the same profile.
    let kept = |g: &Vec<usize>| -> Option<Arc<Profile>> {
        let (old, _) = prior?;
        if !g.iter().all(|&n| clean(n).is_some()) {
            return None;
        }
        old.cache
            .groups
            .get(g)
            .map(|&i| Arc::clone(&old.profiles[i]))
    };
    let merged: Vec<(Arc<Profile>, bool)> = groups
        .par_iter()
        .map(|g| match kept(g) {
            Some(p) => (p, true),
            None => (Arc::new(merge::profile(notes, g, &raw_by_note, pc)), false),
        })
        .collect();
    let all_kept = prior.is_some_and(|(old, _)| {
        merged.len() == old.profiles.len() && merged.iter().all(|(_, k)| *k)
    });
    let mut profiles: Vec<(Arc<Profile>, Vec<usize>)> = merged
        .into_iter()
        .zip(groups)
        .map(|((p, _), g)| (p, g))
        .collect();
    lap("merge");
    profiles.sort_by_cached_key(|(p, _)| (name_key(&p.name), notes[p.primary].path.clone()));
    let (profiles, groups): (Vec<Arc<Profile>>, Vec<Vec<usize>>) = profiles.into_iter().unzip();
    let mut profile_of = vec![None; n_notes];
    for (i, p) in profiles.iter().enumerate() {
        for s in &p.sources {
            profile_of[s.note] = Some(i);
        }
        if p.sources.len() > 1 {
            let others: Vec<&str> = p
                .sources
                .iter()
                .filter(|s| s.note != p.primary)
                .map(|s| notes[s.note].path.as_str())
                .collect();
            diags.push(Diagnostic::new(
                Severity::Info,
                Code::ProfileMerged,
                &notes[p.primary].path,
                0,
                0,
                format!(
                    "{} notes describe {}; merged into one profile with {}",
                    p.sources.len(),
                    p.name,
                    others.join(", ")
                ),
                "nothing to do; set [people] merge = false to keep them apart",
            ));
        }
    }
    // Every profile as before: so is the name lookup.
    let names = match prior {
        Some((old, _)) if all_kept => old.cache.names.clone(),
        _ => Names::new(
            &profiles,
            notes,
            prior.map(|(old, _)| (&old.profiles[..], &old.cache.names)),
        ),
    };
    // Same names, same profiles: a clean note's meeting and tasks are what they were.
    let same_people = prior.is_some_and(|(old, _)| {
        old.profile_of == profile_of
            && (all_kept || Arc::ptr_eq(&old.cache.names, &names) || *old.cache.names == *names)
    });
    let reusable = |n: usize| clean(n).filter(|_| same_people);
    let person_of_note = |n: usize| profile_of[n];

    lap("names");
    // Projects.
    let mut projects: Vec<Project> = (0..n_notes)
        .filter(|&i| notes[i].kind == Kind::Project)
        .map(|i| Project {
            note: i,
            status: notes[i]
                .front
                .get("status")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            people: Vec::new(),
            meetings: Vec::new(),
            tasks: Vec::new(),
        })
        .collect();
    projects.sort_by_key(|p| name_key(&notes[p.note].title));
    let mut project_of = vec![None; n_notes];
    for (i, p) in projects.iter().enumerate() {
        project_of[p.note] = Some(i);
    }
    let project_keys: Vec<(usize, String)> = projects
        .iter()
        .map(|p| (p.note, name_key(&notes[p.note].title)))
        .collect();
    let project_names: HashMap<&str, usize> = project_keys
        .iter()
        .enumerate()
        .map(|(i, (_, k))| (k.as_str(), i))
        .collect();
    // Same projects in the same order under the same names (none renamed): a clean note's
    // meeting and tasks point to the projects they did.
    let same_projects = prior.is_some_and(|(old, _)| old.cache.projects == project_keys);
    let reusable = |n: usize| reusable(n).filter(|_| same_projects);

    // Meetings.
    let mut meetings: Vec<Meeting> = (0..n_notes)
        .filter(|&i| notes[i].kind == Kind::Meeting)
        .map(|i| {
            let old = reusable(i).and_then(|old| Some(&old.meetings[old.meeting_of[i]?]));
            if let Some(m) = old {
                return Meeting {
                    tasks: Vec::new(),
                    prev: None,
                    next: None,
                    ..m.clone()
                };
            }
            let parts: Vec<Participant> = participants(&notes[i])
                .into_iter()
                .map(|name| Participant {
                    profile: names.get(&name),
                    name,
                })
                .collect();
            let linked = resolved.linked_notes(i);
            let mut mentioned: Vec<usize> =
                linked.iter().filter_map(|&t| person_of_note(t)).collect();
            mentioned.sort_unstable();
            mentioned.dedup();
            mentioned.retain(|p| !parts.iter().any(|x| x.profile == Some(*p)));
            let mut projs: Vec<usize> = linked.iter().filter_map(|&t| project_of[t]).collect();
            for name in front_list(&notes[i], &["project", "projects"]) {
                if let Some(&p) = project_names.get(name_key(&name).as_str()) {
                    projs.push(p);
                }
            }
            projs.sort_unstable();
            projs.dedup();
            Meeting {
                note: i,
                date: meeting_date(&notes[i]),
                participants: parts,
                mentioned,
                projects: projs,
                tasks: Vec::new(),
                prev: None,
                next: None,
            }
        })
        .collect();
    meetings.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then(b.date.cmp(&a.date))
            .then(notes[a.note].path.cmp(&notes[b.note].path))
    });
    let mut meeting_of = vec![None; n_notes];
    for (i, m) in meetings.iter().enumerate() {
        meeting_of[m.note] = Some(i);
    }
    link_prev_next(&mut meetings, profiles.len(), pc.owner_share);

    lap("meetings");
    // Tasks (a clean note's tasks are taken over as they were).
    let old_tasks: Vec<&[TaskRef]> = match prior {
        Some((old, _)) if same_people && same_projects => {
            let mut by_note: Vec<&[TaskRef]> = vec![&[]; n_notes];
            for chunk in old.tasks.chunk_by(|a, b| a.note == b.note) {
                by_note[chunk[0].note] = chunk;
            }
            by_note
        }
        _ => Vec::new(),
    };
    let tasks: Vec<TaskRef> = notes
        .par_iter()
        .enumerate()
        .filter(|(_, note)| !note.tasks.is_empty())
        .flat_map_iter(|(n, note)| {
            let names = &names;
            let project_of = &project_of;
            let profile_of = &profile_of;
            let old = reusable(n).and(old_tasks.get(n)).copied().unwrap_or(&[]);
            // The note's tasks are all taken over, or all read again.
            let (old, fresh) = if old.len() == note.tasks.len() {
                (old, None)
            } else {
                (&[][..], Some(note))
            };
            old.iter()
                .cloned()
                .chain(
                    fresh
                        .into_iter()
                        .flat_map(|note| note.tasks.iter())
                        .map(move |t| {
                            let meta = crate::tasks::meta::parse(&t.text);
                            let mut people: Vec<usize> =
                                meta.assignees.iter().filter_map(|a| names.get(a)).collect();
                            people.extend(names.mentioned(&t.text));
                            let mut projs: Vec<usize> = project_of[n].into_iter().collect();
                            for (li, l) in note.links.iter().enumerate() {
                                if l.line == t.line {
                                    if let Some(Target::Note { note: tn, .. }) =
                                        resolved.targets[n].get(li)
                                    {
                                        people.extend(profile_of[*tn]);
                                        projs.extend(project_of[*tn]);
                                    }
                                }
                            }
                            people.sort_unstable();
                            people.dedup();
                            projs.sort_unstable();
                            projs.dedup();
                            TaskRef {
                                note: n,
                                line: t.line,
                                status: t.status,
                                meta: Arc::new(meta),
                                people,
                                projects: projs,
                            }
                        }),
                )
        })
        .collect();
    for (i, t) in tasks.iter().enumerate() {
        if let Some(m) = meeting_of[t.note] {
            meetings[m].tasks.push(i);
        }
        if t.open() {
            for &p in &t.projects {
                projects[p].tasks.push(i);
            }
        }
    }

    lap("tasks");
    // People ↔ meetings, tasks, projects.
    let np = profiles.len();
    let mut person_meetings: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (mi, m) in meetings.iter().enumerate() {
        for p in m
            .participants
            .iter()
            .filter_map(|x| x.profile)
            .chain(m.mentioned.iter().copied())
        {
            if person_meetings[p].last() != Some(&mi) {
                person_meetings[p].push(mi);
            }
        }
        for &pj in &m.projects {
            projects[pj].meetings.push(mi);
        }
    }
    let mut person_tasks: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (ti, t) in tasks.iter().enumerate() {
        if t.open() {
            for &p in &t.people {
                person_tasks[p].push(ti);
            }
        }
    }
    let mut person_projects: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (pj, proj) in projects.iter_mut().enumerate() {
        let mut ppl: Vec<usize> = resolved
            .linked_notes(proj.note)
            .into_iter()
            .filter_map(&person_of_note)
            .collect();
        ppl.extend(
            resolved.backlinks[proj.note]
                .iter()
                .filter_map(|&(src, _)| person_of_note(src)),
        );
        for &mi in &proj.meetings {
            ppl.extend(meetings[mi].participants.iter().filter_map(|x| x.profile));
        }
        ppl.sort_unstable();
        ppl.dedup();
        for &p in &ppl {
            person_projects[p].push(pj);
        }
        proj.people = ppl;
    }
    Directory {
        profiles,
        profile_of,
        meetings,
        meeting_of,
        projects,
        project_of,
        tasks,
        person_meetings,
        person_tasks,
        person_projects,
        cache: Cache {
            raw: raw_by_note,
            groups: groups
                .into_iter()
                .enumerate()
                .map(|(i, g)| (g, i))
                .collect(),
            names,
            projects: project_keys,
        },
    }
}

/// Previous and next meeting sharing a participant, ignoring people present in more than
/// `owner_share` of all meetings (the vault's owner is in every one of them).
fn link_prev_next(meetings: &mut [Meeting], n_profiles: usize, owner_share: f64) {
    let mut freq = vec![0usize; n_profiles];
    for m in meetings.iter() {
        for p in m.participants.iter().filter_map(|x| x.profile) {
            freq[p] += 1;
        }
    }
    let total = meetings.len().max(1) as f64;
    // Too few meetings to tell who the owner is: everyone counts.
    let few = meetings.len() < 10;
    let counts = |p: usize| few || freq[p] < 3 || (freq[p] as f64) / total <= owner_share;
    // Oldest first: meetings are stored newest first, so walk backwards.
    let mut last: Vec<Option<usize>> = vec![None; n_profiles];
    for i in (0..meetings.len()).rev() {
        if meetings[i].date.is_none() {
            continue;
        }
        let ps: Vec<usize> = meetings[i]
            .participants
            .iter()
            .filter_map(|x| x.profile)
            .filter(|&p| counts(p))
            .collect();
        // The most recent earlier meeting is the one with the smallest index above i.
        meetings[i].prev = ps.iter().filter_map(|&p| last[p]).min();
        for q in ps.iter().filter_map(|&p| last[p]) {
            // Chronological walk: the first later meeting to get here is the next one.
            if meetings[q].next.is_none() {
                meetings[q].next = Some(i);
            }
        }
        for p in ps {
            last[p] = Some(i);
        }
    }
}
