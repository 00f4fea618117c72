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

/// What the page of each note or "not written yet" page that a note links to, or names without
/// a link, shows of that note: for each target, in link order, a hash of each link's label,
/// context and kind, then a hash of the unlinked mention's sentence. A target whose list is the
/// same before and after an edit shows the same backlinks and mentions.
pub type LinkView = HashMap<(bool, usize), Vec<u64>>;

/// The [`LinkView`] of note `i` of `site` (`n`: that note, which may have been moved out).
pub fn link_view(n: &ParsedNote, i: usize, site: &Site) -> LinkView {
    let targets = site.resolved.targets.get(i).map_or(&[][..], |t| &t[..]);
    let mut view: LinkView = HashMap::new();
    for (l, t) in n.links.iter().zip(targets) {
        let key = match t {
            Target::Note { note, .. } => (true, *note),
            Target::Missing(m) => (false, *m),
            _ => continue,
        };
        let ctx = l.context.and_then(|c| n.contexts.get(c as usize));
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&l.label, ctx, l.mark, l.embed, &l.subpath).hash(&mut h);
        view.entry(key).or_default().push(h.finish());
    }
    for &t in site.mentions.named_by(i) {
        let Some(list) = site.mentions.by_target.get(t as usize) else {
            continue;
        };
        if let Ok(k) = list.binary_search_by_key(&(i as u32), |m| m.source) {
            let m = list[k];
            let words = m.sentence(&n.plain);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            ("mention", words, m.count, &n.updated).hash(&mut h);
            view.entry((true, t as usize)).or_default().push(h.finish());
        }
    }
    view
}

/// A hash of what the Tasks blocks read of a note's tasks: text, status, line, nesting, section.
pub fn task_signature(n: &ParsedNote) -> u64 {
    list_signature(n, true)
}

/// A hash of a note's list items as queries over items and tasks read them: text, checkbox,
/// line, extent, nesting, section.
pub fn items_signature(n: &ParsedNote) -> u64 {
    list_signature(n, false)
}

fn list_signature(n: &ParsedNote, tasks_only: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for it in n.lists.iter().filter(|it| !tasks_only || it.task.is_some()) {
        let heading = it.heading.and_then(|i| n.headings.get(i)).map(|x| &x.text);
        let place = (it.line, it.line_count, it.parent);
        (&it.text, it.task, place, heading).hash(&mut h);
    }
    h.finish()
}

/// A hash of what a note's card on folder, tag and index pages shows besides its title, kind and
/// tags (which are in its [`signature`]): its date and excerpt.
pub fn card_signature(n: &ParsedNote) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&n.updated, n.excerpt()).hash(&mut h);
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

/// The notes whose data a query result shows when it is rendered: tasks are rendered from their
/// note, so a change to it changes the result's HTML even when the result compares equal. (Links
/// are rendered from their target's URL, title and headings, which a change of structure
/// re-renders everything for.)
fn output_notes(o: &crate::query::Output) -> Vec<usize> {
    use crate::query::Output;
    let groups = |gs: &[crate::query::TaskGroup]| -> Vec<usize> {
        gs.iter()
            .flat_map(|g| g.tasks.iter().map(|(n, _)| *n))
            .collect()
    };
    match o {
        Output::Tasks { groups: g, .. } => groups(g),
        Output::TasksBlock(t) => groups(&t.groups),
        _ => Vec::new(),
    }
}

/// What the engine knows of a change besides the sites before and after it.
pub struct Change<'a> {
    /// Vault paths of the notes read again.
    pub paths: &'a HashSet<String>,
    /// Each published note's [`signature`] before the change.
    pub old_sigs: &'a HashMap<String, u64>,
    /// Each changed note's [`link_view`] before the change.
    pub old_views: &'a HashMap<String, LinkView>,
    /// The changed notes whose tasks changed ([`task_signature`]).
    pub tasks: &'a HashSet<String>,
    /// The changed notes whose card changed ([`card_signature`]).
    pub cards: &'a HashSet<String>,
}

/// The pages to render after a change of the notes at `changed` (vault paths), or `None` when
/// the change is structural and every page must be rendered. `old` is the previous build with
/// its notes moved out (only its derived data is read).
pub fn pages(old: &Site, new: &Site, change: &Change<'_>) -> Option<Selection> {
    let (changed, old_sigs) = (change.paths, change.old_sigs);
    if !same_structure(old, new) {
        return None;
    }
    let n_notes = new.notes.len();
    // Notes are sorted by path and the path list is unchanged, so indices match.
    let mut dirty: Vec<usize> = changed
        .iter()
        .filter_map(|p| crate::parse::find(&new.notes, p))
        .collect();
    dirty.sort_unstable();
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
    // The changed notes, and every note that embeds one of them (transitively), found through
    // the backlinks (those of the changed notes only, not every link of the vault).
    let mut stack = dirty.clone();
    let mut seen: HashSet<usize> = HashSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        add(&mut sel, i);
        for &(src, j) in new.resolved.backlinks.get(i).iter().flat_map(|b| b.iter()) {
            if new.notes[src].links.get(j).is_some_and(|l| l.embed) {
                stack.push(src);
            }
        }
    }
    let reached: Vec<usize> = seen.into_iter().collect();
    // Backlinks on the pages a changed note links to, before or now, where what they show of it
    // differs; "not written yet" pages likewise.
    for &i in &dirty {
        let n = &new.notes[i];
        let now = link_view(n, i, new);
        let before = match change.old_views.get(&n.path) {
            Some(v) => v,
            None => &old
                .resolved
                .targets
                .get(i)
                .into_iter()
                .flat_map(|t| t.iter())
                .filter_map(|t| match t {
                    Target::Note { note, .. } => Some(((true, *note), vec![u64::MAX])),
                    Target::Missing(m) => Some(((false, *m), vec![u64::MAX])),
                    _ => None,
                })
                .collect(),
        };
        for key in before.keys().chain(now.keys()) {
            if before.get(key) != now.get(key) {
                match key {
                    (true, note) => add(&mut sel, *note),
                    (false, m) => {
                        sel.missing.insert(*m);
                    }
                }
            }
        }
    }
    // Cards in its folder (and the folder note's page) and on its tag pages, when the card of a
    // changed note shows something new (a note embedding it has the same card).
    for &i in dirty
        .iter()
        .filter(|&&i| change.cards.contains(&new.notes[i].path))
    {
        let note = &new.notes[i];
        let folder = crate::paths::parent(&note.path).to_string();
        if let Some(f) = new.folders.get(&folder) {
            sel.folders.insert(folder.clone());
            if let Some(fnote) = f.folder_note {
                add(&mut sel, fnote);
            }
        }
        // Keyed as enrich keys the tag pages: each tag and its parents.
        for t in &note.tags {
            let pages = crate::parse::tags::with_parents(t);
            sel.tags.extend(pages.iter().map(|p| crate::paths::key(p)));
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
    // Query results that changed, or that show a task that changed, wherever they are.
    let task_notes: HashSet<usize> = dirty
        .iter()
        .copied()
        .filter(|&i| change.tasks.contains(&new.notes[i].path))
        .collect();
    // A result shared by many notes (the same query written in each) is hashed once.
    let mut hashes: HashMap<*const crate::query::Output, u64> = HashMap::new();
    let mut hash = |o: &std::sync::Arc<crate::query::Output>| -> u64 {
        *hashes
            .entry(std::sync::Arc::as_ptr(o))
            .or_insert_with(|| output_hash(o))
    };
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
                .any(|(x, y)| !std::sync::Arc::ptr_eq(x, y) && hash(x) != hash(y))
            || (!task_notes.is_empty()
                && a.iter()
                    .chain(b.iter())
                    .any(|o| output_notes(o).iter().any(|n| task_notes.contains(n))));
        if differs {
            add(&mut sel, i);
        }
    }
    people_pages(old, new, &reached, &task_notes, &mut sel, &mut add);
    // The directory pages show cards of people, meetings and projects (fields, dates, counts of
    // open tasks); the dashboard shows every task.
    sel.kinds = !task_notes.is_empty()
        || dirty.iter().any(|&i| {
            matches!(
                new.notes[i].kind,
                crate::parse::Kind::Person
                    | crate::parse::Kind::Meeting
                    | crate::parse::Kind::Project
            )
        });
    sel.dashboard = !task_notes.is_empty();
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
    task_notes: &HashSet<usize>,
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
            if task_notes.contains(&t.note) {
                profiles.extend(t.people.iter().copied());
                projects.extend(t.projects.iter().copied());
            }
        }
    }
    let (o, n) = (&old.people, &new.people);
    // People whose card (name, role, company) may differ: every page showing the card.
    let cards: HashSet<usize> = (0..o.profiles.len().min(n.profiles.len()))
        .filter(|&p| {
            !std::sync::Arc::ptr_eq(&o.profiles[p], &n.profiles[p])
                && o.profiles[p] != n.profiles[p]
        })
        .collect();
    if !cards.is_empty() {
        for dir in [o, n] {
            for pj in &dir.projects {
                if pj.people.iter().any(|p| cards.contains(p)) {
                    add(sel, pj.note);
                }
            }
            for mt in &dir.meetings {
                let shown = mt.participants.iter().filter_map(|x| x.profile);
                if shown
                    .chain(mt.mentioned.iter().copied())
                    .any(|p| cards.contains(&p))
                {
                    add(sel, mt.note);
                }
            }
        }
    }
    // Task lists hold indices into `tasks`, which a task added or removed anywhere shifts: they
    // are compared by the tasks they name.
    let same_tasks = |a: &[usize], b: &[usize]| {
        a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| o.tasks[x] == n.tasks[y])
    };
    for p in 0..o.profiles.len().min(n.profiles.len()) {
        if cards.contains(&p)
            || o.person_meetings.get(p) != n.person_meetings.get(p)
            || !same_tasks(
                o.person_tasks.get(p).map_or(&[][..], |v| &v[..]),
                n.person_tasks.get(p).map_or(&[][..], |v| &v[..]),
            )
            || o.person_projects.get(p) != n.person_projects.get(p)
        {
            profiles.insert(p);
        }
    }
    for (m, (a, b)) in o.meetings.iter().zip(&n.meetings).enumerate() {
        let same = (
            a.note,
            &a.date,
            &a.participants,
            &a.mentioned,
            &a.projects,
            a.prev,
            a.next,
        ) == (
            b.note,
            &b.date,
            &b.participants,
            &b.mentioned,
            &b.projects,
            b.prev,
            b.next,
        );
        if !same || !same_tasks(&a.tasks, &b.tasks) {
            meetings.insert(m);
        }
    }
    for (j, (a, b)) in o.projects.iter().zip(&n.projects).enumerate() {
        let same = (a.note, &a.status, &a.people, &a.meetings)
            == (b.note, &b.status, &b.people, &b.meetings);
        if !same || !same_tasks(&a.tasks, &b.tasks) {
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
