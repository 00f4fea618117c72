//! `serve`, change analysis: which pages an edit can change. Compares the previous build with the
//! new one; a structural change (a note added, removed or renamed, a title, alias, tag, heading,
//! kind, URL, folder, tag or profile membership that differs) means every page is rendered, and
//! otherwise only the pages that read a changed note, directly or through a link, an embed, a
//! backlink, a query, a profile, a meeting, a project or a task.

use crate::enrich::Site;
use crate::parse::ParsedNote;
use crate::render::Selection;
use crate::resolve::Target;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Hashes what other pages can see of a note without reading its body: when it changes, links,
/// anchors, tag lists and navigation elsewhere may change, so every page is rendered. (Its dates
/// are not part of it: they show on its own page, on the cards of its folder and tag pages and
/// on the site-wide pages, which are all rendered when the note changes.)
pub fn signature(n: &ParsedNote) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    n.path.hash(&mut h);
    n.title.hash(&mut h);
    n.aliases.hash(&mut h);
    n.tags.hash(&mut h);
    n.kind.hash(&mut h);
    n.private.hash(&mut h);
    for x in &n.headings {
        (&x.text, &x.id, x.level).hash(&mut h);
    }
    for b in &n.blocks {
        b.id.hash(&mut h);
    }
    h.finish()
}

fn same_structure(old: &Site, new: &Site) -> bool {
    let (o, n) = (&old.people, &new.people);
    let checks = [
        ("urls", old.urls == new.urls),
        ("missing", old.missing_urls == new.missing_urls),
        ("tags", old.tags == new.tags),
        ("folders", old.folders == new.folders),
        ("kind pages", old.kind_pages == new.kind_pages),
        ("home", old.home == new.home),
        ("dashboard", old.dashboard == new.dashboard),
        ("profile membership", o.profile_of == n.profile_of),
        ("meetings", o.meeting_of == n.meeting_of),
        ("projects", o.project_of == n.project_of),
        (
            "profiles",
            o.profiles.len() == n.profiles.len()
                && o.profiles
                    .iter()
                    .zip(&n.profiles)
                    .all(|(a, b)| a.name == b.name && a.primary == b.primary),
        ),
        ("meeting count", o.meetings.len() == n.meetings.len()),
        ("project count", o.projects.len() == n.projects.len()),
    ];
    match checks.iter().find(|(_, same)| !same) {
        Some((what, _)) => {
            log::debug!("serve: {what} changed: rendering every page");
            false
        }
        None => true,
    }
}

fn output_hash(o: &crate::query::Output) -> u64 {
    struct W(std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for W {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut w = W(Default::default());
    let _ = std::fmt::write(&mut w, format_args!("{o:?}"));
    w.0.finish()
}

fn value_notes(v: &crate::query::value::Value, out: &mut Vec<usize>) {
    use crate::query::value::Value;
    match v {
        Value::Link(l) => out.extend(l.note),
        Value::List(l) => l.iter().for_each(|x| value_notes(x, out)),
        Value::Object(o) => {
            if let Some(Value::Number(n)) = o.get(crate::query::index::NOTE_KEY) {
                out.push(*n as usize);
            }
            o.values().for_each(|x| value_notes(x, out));
        }
        _ => {}
    }
}

/// The notes whose data a query result shows when it is rendered (tasks are rendered from their
/// note, links with their target's title): a change to one of them changes the result's HTML
/// even when the result itself compares equal.
fn output_notes(o: &crate::query::Output) -> Vec<usize> {
    use crate::query::Output;
    let mut out = Vec::new();
    let groups = |gs: &[crate::query::TaskGroup], out: &mut Vec<usize>| {
        for g in gs {
            out.extend(g.tasks.iter().map(|(n, _)| *n));
            g.heading.iter().for_each(|v| value_notes(v, out));
        }
    };
    match o {
        Output::List { items, .. } => {
            for e in items {
                e.id.iter()
                    .chain(e.value.iter())
                    .chain(e.nested.iter())
                    .for_each(|v| value_notes(v, &mut out));
            }
        }
        Output::Table { rows, .. } => rows.iter().flatten().for_each(|v| value_notes(v, &mut out)),
        Output::Tasks { groups: g, .. } => groups(g, &mut out),
        Output::TasksBlock(t) => groups(&t.groups, &mut out),
        Output::Calendar { entries, .. } => {
            entries.iter().for_each(|(_, v)| value_notes(v, &mut out))
        }
        Output::Value(v) => value_notes(v, &mut out),
        Output::Error { .. } | Output::Script | Output::Off => {}
    }
    out
}

/// The pages to render after a change of the notes at `changed` (vault paths), or `None` when
/// the change is structural and every page must be rendered. `old` is the previous build with
/// its notes moved out (only its derived data is read).
pub fn pages(
    old: &Site,
    new: &Site,
    changed: &HashSet<String>,
    old_sigs: &HashMap<String, u64>,
) -> Option<Selection> {
    if !same_structure(old, new) {
        return None;
    }
    let n_notes = new.notes.len();
    // Notes are sorted by path and the path list is unchanged, so indices match.
    let mut dirty: Vec<usize> = Vec::new();
    for (i, n) in new.notes.iter().enumerate() {
        if changed.contains(&n.path) {
            dirty.push(i);
        }
    }
    for &i in &dirty {
        let n = &new.notes[i];
        if old_sigs.get(&n.path) != Some(&signature(n)) {
            log::debug!(
                "serve: {} changed its title, aliases, tags or headings",
                n.path
            );
            return None;
        }
    }
    let mut sel = Selection::default();
    let mut add = |sel: &mut Selection, i: usize| {
        if i < n_notes {
            sel.notes.insert(i);
            if let Some((p, false)) = new.people.profile_page(i) {
                sel.notes.insert(new.people.profiles[p].primary);
            }
        }
    };
    // The changed notes, and every note that embeds one of them (transitively).
    let mut embedders: HashMap<usize, Vec<usize>> = HashMap::new();
    for (src, ts) in new.resolved.targets.iter().enumerate() {
        for (li, t) in ts.iter().enumerate() {
            if let Target::Note { note, .. } = t {
                if new.notes[src].links.get(li).is_some_and(|l| l.embed) {
                    embedders.entry(*note).or_default().push(src);
                }
            }
        }
    }
    let mut stack = dirty.clone();
    let mut seen: HashSet<usize> = HashSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        add(&mut sel, i);
        if let Some(e) = embedders.get(&i) {
            stack.extend(e.iter().copied());
        }
    }
    let reached: Vec<usize> = seen.into_iter().collect();
    for &i in &reached {
        // Backlinks on the pages it links to, before and after; "not written yet" pages.
        for ts in [old.resolved.targets.get(i), new.resolved.targets.get(i)]
            .into_iter()
            .flatten()
        {
            for t in ts {
                match t {
                    Target::Note { note, .. } => add(&mut sel, *note),
                    Target::Missing(m) => {
                        sel.missing.insert(*m);
                    }
                    _ => {}
                }
            }
        }
        // Cards in its folder (and the folder note's page) and on its tag pages.
        let note = &new.notes[i];
        let folder = crate::paths::parent(&note.path).to_string();
        if let Some(f) = new.folders.get(&folder) {
            sel.folders.insert(folder.clone());
            if let Some(fnote) = f.folder_note {
                add(&mut sel, fnote);
            }
        }
        for t in &note.tags {
            let mut k = crate::paths::key(t);
            loop {
                sel.tags.insert(k.clone());
                match k.rfind('/') {
                    Some(p) => k.truncate(p),
                    None => break,
                }
            }
        }
    }
    // Missing pages whose referrers changed.
    for (m, (a, b)) in old
        .resolved
        .missing
        .iter()
        .zip(&new.resolved.missing)
        .enumerate()
    {
        if a != b {
            sel.missing.insert(m);
        }
    }
    // Query results that changed, or that show a changed note, wherever they are.
    let reached_set: HashSet<usize> = reached.iter().copied().collect();
    for (i, (a, b)) in old
        .queries
        .per_note
        .iter()
        .zip(&new.queries.per_note)
        .enumerate()
    {
        let differs = a.len() != b.len()
            || a.iter()
                .zip(b)
                .any(|(x, y)| !std::sync::Arc::ptr_eq(x, y) && output_hash(x) != output_hash(y))
            || a.iter()
                .chain(b.iter())
                .any(|o| output_notes(o).iter().any(|n| reached_set.contains(n)));
        if differs {
            add(&mut sel, i);
        }
    }
    people_pages(old, new, &reached, &reached_set, &mut sel, &mut add);
    if log::log_enabled!(log::Level::Debug) {
        let mut paths: Vec<&str> = sel
            .notes
            .iter()
            .map(|&i| new.notes[i].path.as_str())
            .collect();
        paths.sort();
        log::debug!(
            "serve: changed {:?} → note pages {paths:?}",
            dirty
                .iter()
                .map(|&i| &new.notes[i].path)
                .collect::<Vec<_>>()
        );
    }
    Some(sel)
}

/// Person, meeting and project pages that show something of a changed note, or whose part of the
/// directory changed.
fn people_pages(
    old: &Site,
    new: &Site,
    reached: &[usize],
    reached_set: &HashSet<usize>,
    sel: &mut Selection,
    add: &mut impl FnMut(&mut Selection, usize),
) {
    let mut profiles: HashSet<usize> = HashSet::new();
    let mut meetings: HashSet<usize> = HashSet::new();
    let mut projects: HashSet<usize> = HashSet::new();
    for &i in reached {
        if let Some(p) = new.people.profile_of[i] {
            profiles.insert(p);
        }
        if let Some(m) = new.people.meeting_of[i] {
            meetings.insert(m);
        }
        if let Some(j) = new.people.project_of[i] {
            projects.insert(j);
        }
    }
    for dir in [&old.people, &new.people] {
        for t in &dir.tasks {
            if reached_set.contains(&t.note) {
                profiles.extend(t.people.iter().copied());
                projects.extend(t.projects.iter().copied());
            }
        }
    }
    let (o, n) = (&old.people, &new.people);
    for (p, (a, b)) in o.profiles.iter().zip(&n.profiles).enumerate() {
        if a != b
            || o.person_meetings.get(p) != n.person_meetings.get(p)
            || o.person_tasks.get(p) != n.person_tasks.get(p)
            || o.person_projects.get(p) != n.person_projects.get(p)
        {
            profiles.insert(p);
        }
    }
    for (m, (a, b)) in o.meetings.iter().zip(&n.meetings).enumerate() {
        if a != b {
            meetings.insert(m);
        }
    }
    for (j, (a, b)) in o.projects.iter().zip(&n.projects).enumerate() {
        if a != b {
            projects.insert(j);
        }
    }
    for dir in [o, n] {
        for &m in &meetings {
            let Some(mt) = dir.meetings.get(m) else {
                continue;
            };
            add(sel, mt.note);
            for x in mt.prev.iter().chain(mt.next.iter()) {
                add(sel, dir.meetings[*x].note);
            }
            profiles.extend(mt.participants.iter().filter_map(|p| p.profile));
            profiles.extend(mt.mentioned.iter().copied());
            for &j in &mt.projects {
                if let Some(pj) = dir.projects.get(j) {
                    add(sel, pj.note);
                }
            }
        }
        for &j in &projects {
            let Some(pj) = dir.projects.get(j) else {
                continue;
            };
            add(sel, pj.note);
            profiles.extend(pj.people.iter().copied());
            for &m in &pj.meetings {
                if let Some(mt) = dir.meetings.get(m) {
                    add(sel, mt.note);
                }
            }
        }
    }
    for p in profiles {
        if let Some(pr) = new.people.profiles.get(p) {
            add(sel, pr.primary);
            for s in &pr.sources {
                add(sel, s.note);
            }
        }
    }
}
