//! Query stage, the data index: each published note as a Dataview page object (frontmatter,
//! inline fields, `file.*`), its list items and tasks as objects, and the lookups `FROM` needs
//! (tags, folders, inlinks, outlinks). Objects are built once, on first use, and shared by every
//! query (reading a field is a pointer copy).

use super::parse::field_value;
use super::value::{from_json, Link, Value};
use crate::enrich::Site;
use crate::parse::{LinkRef, ParsedNote};
use crate::resolve::{Lookup, Target};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use time::{OffsetDateTime, PrimitiveDateTime};

/// The fields a list item object has besides its inline fields.
pub const ITEM_KEYS: [&str; 22] = [
    "text",
    "visual",
    "line",
    "lineCount",
    "task",
    "status",
    "checked",
    "completed",
    "fullyCompleted",
    "path",
    "link",
    "section",
    "parent",
    "children",
    "tags",
    "outlinks",
    "annotated",
    "due",
    "scheduled",
    "start",
    "completion",
    "created",
];

/// The hidden key of a `file` object that holds its note's index (for lazy `file.tasks`).
pub const NOTE_KEY: &str = "\u{0}note";

/// Everything queries read, built lazily from the site.
pub struct Index<'s> {
    /// The site.
    pub site: &'s Site,
    /// "now": the build's date at the build's time of day (fixed per build).
    pub now: PrimitiveDateTime,
    pages: Vec<OnceLock<Value>>,
    items: Vec<OnceLock<Vec<Value>>>,
    texts: Vec<OnceLock<Vec<Value>>>,
    keys: OnceLock<Vec<String>>,
}

use super::reads::{read, read_inlinks, read_items};

/// The objects an [`Index`] built, kept for the next rebuild (`wikigen serve`): a note's page
/// object, item objects and item texts depend on that note only (and on the vault's structure),
/// so those of unchanged notes are taken over.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pages: Vec<OnceLock<Value>>,
    items: Vec<OnceLock<Vec<Value>>>,
    texts: Vec<OnceLock<Vec<Value>>>,
    keys: OnceLock<Vec<String>>,
}

impl Built {
    /// These objects with the notes numbered as `r` says (see [`crate::renumber`]); the paths'
    /// keys are left to be made again.
    pub fn renumbered(&self, r: &crate::renumber::Renumber) -> Built {
        fn each<T>(
            v: &[OnceLock<T>],
            r: &crate::renumber::Renumber,
            f: impl Fn(&T) -> T,
        ) -> Vec<OnceLock<T>> {
            r.permute_with(v, |cell| match cell.get() {
                Some(x) => OnceLock::from(f(x)),
                None => OnceLock::new(),
            })
        }
        let list = |v: &Vec<Value>| v.iter().map(|x| x.renumbered(r)).collect();
        Built {
            pages: each(&self.pages, r, |v| v.renumbered(r)),
            items: each(&self.items, r, list),
            texts: each(&self.texts, r, list),
            keys: OnceLock::new(),
        }
    }
}

/// Dataview's canonical field name: lower case, whitespace runs become `-`, other punctuation
/// dropped (`Last Contact` → `last-contact`).
pub fn canonical(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut space = false;
    for c in key.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push('-');
        }
        space = false;
        if c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Inserts a field under its name and its canonical name; a repeated key accumulates a list.
fn put(map: &mut BTreeMap<String, Value>, key: &str, v: Value, accumulate: bool) {
    let canon = canonical(key);
    let keys = if canon == key {
        vec![canon]
    } else {
        vec![key.to_string(), canon]
    };
    for k in keys {
        if k.is_empty() {
            continue;
        }
        match map.get_mut(&k) {
            Some(old) if accumulate => {
                let mut list = match &*old {
                    Value::List(l) => l.as_ref().clone(),
                    other => vec![other.clone()],
                };
                // `status: done` in the frontmatter and `Status:: done` in the body: one value.
                if !list.contains(&v) {
                    list.push(v.clone());
                    *old = Value::list(list);
                }
            }
            Some(_) => {}
            None => {
                map.insert(k, v.clone());
            }
        }
    }
}

fn epoch_datetime(secs: i64) -> Option<PrimitiveDateTime> {
    let t = OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some(PrimitiveDateTime::new(t.date(), t.time()))
}

/// A date from a file name: `2026-03-01…` or `20260301…`.
fn day_from_name(name: &str) -> Option<PrimitiveDateTime> {
    let b = name.as_bytes();
    for i in 0..b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        let rest = &name[i..];
        if let Some(d) = rest.get(..10).and_then(crate::paths::parse_date) {
            return Some(PrimitiveDateTime::new(d, time::Time::MIDNIGHT));
        }
        if rest.len() >= 8 && rest.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
            let iso = format!("{}-{}-{}", &rest[..4], &rest[4..6], &rest[6..8]);
            if let Some(d) = crate::paths::parse_date(&iso) {
                return Some(PrimitiveDateTime::new(d, time::Time::MIDNIGHT));
            }
        }
    }
    None
}

impl<'s> Index<'s> {
    /// An index over the site's published notes.
    pub fn new(site: &'s Site, now: PrimitiveDateTime) -> Self {
        Self::with_built(site, now, None, true)
    }

    /// An index that starts from the objects `prior` built for the notes it does not mark
    /// changed. Valid only for the same notes (see `build::Prior`); `same_paths`: no note has
    /// another path than before either.
    pub fn with_built(
        site: &'s Site,
        now: PrimitiveDateTime,
        prior: Option<(&Built, &[bool])>,
        same_paths: bool,
    ) -> Self {
        let n = site.notes.len();
        let prior = prior.filter(|(b, changed)| b.pages.len() == n && changed.len() == n);
        fn carry<T: Clone>(old: Option<(&[OnceLock<T>], &[bool])>, n: usize) -> Vec<OnceLock<T>> {
            match old {
                Some((old, changed)) => old
                    .iter()
                    .zip(changed)
                    .map(|(o, &c)| if c { OnceLock::new() } else { o.clone() })
                    .collect(),
                None => (0..n).map(|_| OnceLock::new()).collect(),
            }
        }
        Index {
            site,
            now,
            pages: carry(prior.map(|(b, c)| (&b.pages[..], c)), n),
            items: carry(prior.map(|(b, c)| (&b.items[..], c)), n),
            texts: carry(prior.map(|(b, c)| (&b.texts[..], c)), n),
            keys: prior
                .filter(|_| same_paths)
                .map(|(b, _)| b.keys.clone())
                .unwrap_or_default(),
        }
    }

    /// What this index built, for the next rebuild.
    pub fn into_built(self) -> Built {
        Built {
            pages: self.pages,
            items: self.items,
            texts: self.texts,
            keys: self.keys,
        }
    }

    /// Each note's vault path in lower case (NFC), for folder sources.
    pub fn path_keys(&self) -> &[String] {
        self.keys.get_or_init(|| {
            self.site
                .notes
                .iter()
                .map(|n| crate::paths::key(&n.path))
                .collect()
        })
    }

    /// Number of pages.
    pub fn len(&self) -> usize {
        self.site.notes.len()
    }

    /// No pages at all?
    pub fn is_empty(&self) -> bool {
        self.site.notes.is_empty()
    }

    /// The link value of note `n`.
    pub fn note_link(&self, n: usize) -> Link {
        Link {
            path: self.site.notes[n].path.clone(),
            display: None,
            subpath: None,
            embed: false,
            note: Some(n),
        }
    }

    /// Resolves a link target written in note `from` (`Ana`, `People/Ana#Role`, `Ana|Display`).
    pub fn resolve(&self, from: usize, target: &str, display: Option<&str>, embed: bool) -> Link {
        let (t, alias) = match target.split_once('|') {
            Some((t, a)) => (t, Some(a.trim())),
            None => (target, None),
        };
        let display = display.or(alias).map(str::to_string);
        let (path, subpath) = crate::parse::links::split_target(t.trim());
        super::reads::read_name(&path);
        let link = LinkRef {
            path: path.clone(),
            subpath: subpath.clone(),
            label: String::new(),
            embed,
            markdown: false,
            size: None,
            line: 0,
            column: 0,
            context: None,
            mark: None,
        };
        let note = match self.site.resolved.lookup(&self.site.notes, from, &link) {
            Lookup::Found(Target::Note { note, .. }) => Some(note),
            Lookup::FoundWithoutAnchor(note, _) => Some(note),
            _ => None,
        };
        Link {
            path: note.map_or(path, |n| self.site.notes[n].path.clone()),
            display,
            subpath,
            embed,
            note,
        }
    }

    /// The page object of note `n`.
    pub fn page(&self, n: usize) -> &Value {
        read(n);
        self.page_unrecorded(n)
    }

    /// [`Index::page`] without recording a read: for the parts of it that change only with
    /// the vault's structure (the file's name, path, folder and link), which only a row's own
    /// note is read for (see [`super::reads::Changes::renamed`]).
    pub fn page_unrecorded(&self, n: usize) -> &Value {
        self.pages[n].get_or_init(|| self.build_page(n))
    }

    /// The list item objects of note `n` (tasks are the ones with `task: true`).
    pub fn items(&self, n: usize) -> &[Value] {
        read(n);
        self.items[n].get_or_init(|| self.build_items(n))
    }

    /// A field of list item `i` of note `n` that needs no item object (the fields queries over
    /// thousands of tasks read most), or `None` to read it from [`Index::items`].
    pub fn item_field(&self, n: usize, i: usize, name: &str) -> Option<Value> {
        read_items(n);
        let it = self.site.notes[n].lists.get(i)?;
        let status = it.task.unwrap_or(' ');
        Some(match name {
            "text" | "visual" => self.texts[n]
                .get_or_init(|| {
                    self.site.notes[n]
                        .lists
                        .iter()
                        .map(|x| Value::str(&x.text))
                        .collect()
                })
                .get(i)?
                .clone(),
            "completed" => Value::Bool(matches!(status, 'x' | 'X')),
            "checked" => Value::Bool(it.task.is_some() && status != ' '),
            "task" => Value::Bool(it.task.is_some()),
            "status" => Value::str(status.to_string()),
            "line" => Value::Number(it.line as f64),
            "lineCount" => Value::Number(it.line_count as f64),
            "path" => Value::str(&self.site.notes[n].path),
            _ => return None,
        })
    }

    fn field(&self, n: usize, raw: &str) -> Value {
        let v = field_value(raw);
        self.resolve_links(n, v)
    }

    /// Resolves the unresolved links inside a value (as written in note `n`).
    pub fn resolve_links(&self, n: usize, v: Value) -> Value {
        match v {
            Value::Link(l) if l.note.is_none() => {
                let mut r = self.resolve(n, &l.path, l.display.as_deref(), l.embed);
                if r.subpath.is_none() {
                    r.subpath = l.subpath.clone();
                }
                Value::link(r)
            }
            Value::List(list) => Value::list(
                list.iter()
                    .map(|x| self.resolve_links(n, x.clone()))
                    .collect(),
            ),
            other => other,
        }
    }

    fn build_page(&self, n: usize) -> Value {
        let note: &ParsedNote = &self.site.notes[n];
        let mut map = BTreeMap::new();
        let link = |t: &str| Some(self.resolve(n, t, None, false));
        for (k, v) in &note.front {
            put(&mut map, k, from_json(v, &link), false);
        }
        for f in &note.fields {
            put(&mut map, &f.key, self.field(n, &f.value), true);
        }
        map.insert("file".into(), self.file_object(n));
        Value::object(map)
    }

    fn file_object(&self, n: usize) -> Value {
        let site = self.site;
        let note = &site.notes[n];
        let mut f = BTreeMap::new();
        let name = crate::paths::strip_md(crate::paths::file_name(&note.path));
        let folder = crate::paths::parent(&note.path);
        f.insert("name".into(), Value::str(name));
        f.insert("path".into(), Value::str(&note.path));
        f.insert("folder".into(), Value::str(folder));
        f.insert("ext".into(), Value::str("md"));
        f.insert("link".into(), Value::link(self.note_link(n)));
        f.insert("size".into(), Value::Number(note.size as f64));
        f.insert("starred".into(), Value::Bool(false));
        f.insert(NOTE_KEY.into(), Value::Number(n as f64));
        let front_date = |k: &str| {
            note.front
                .get(k)
                .and_then(|v| v.as_str())
                .and_then(super::value::parse_datetime)
        };
        let mtime = note
            .mtime
            .and_then(epoch_datetime)
            .or_else(|| front_date("updated"))
            .or_else(|| front_date("modified"));
        let ctime = front_date("created")
            .or_else(|| note.ctime.and_then(epoch_datetime))
            .or(mtime);
        for (k, day, t) in [("mtime", "mday", mtime), ("ctime", "cday", ctime)] {
            let v = t.map_or(Value::Null, Value::Date);
            let d = t.map_or(Value::Null, |t| Value::date(t.date()));
            f.insert(k.into(), v);
            f.insert(day.into(), d);
        }
        let day = day_from_name(name)
            .or_else(|| front_date("date"))
            .map_or(Value::Null, Value::Date);
        f.insert("day".into(), day);
        let etags: Vec<Value> = note
            .tags
            .iter()
            .map(|t| Value::str(format!("#{t}")))
            .collect();
        let mut all: Vec<String> = Vec::new();
        for t in &note.tags {
            for p in crate::parse::tags::with_parents(t) {
                let p = format!("#{p}");
                if !all.contains(&p) {
                    all.push(p);
                }
            }
        }
        f.insert(
            "tags".into(),
            Value::list(all.into_iter().map(Value::str).collect()),
        );
        f.insert("etags".into(), Value::list(etags));
        f.insert(
            "aliases".into(),
            Value::list(note.aliases.iter().map(Value::str).collect()),
        );
        // `inlinks`, `outlinks`, `frontmatter`, `tasks` and `lists` are computed when read
        // (see [`Index::lazy_file_field`]): most queries never read them.
        Value::object(f)
    }

    /// The `file.*` fields built on first read, for note `n`.
    pub fn lazy_file_field(&self, n: usize, name: &str) -> Option<Value> {
        if name != "inlinks" {
            read(n);
        }
        let note = &self.site.notes[n];
        Some(match name {
            "inlinks" => {
                let list = self.inlink_notes(n);
                Value::list(
                    list.into_iter()
                        .map(|s| Value::link(self.note_link(s)))
                        .collect(),
                )
            }
            "outlinks" => Value::list(self.outlinks(n)),
            "frontmatter" => Value::object(
                note.front
                    .iter()
                    .map(|(k, v)| (k.clone(), from_json(v, &|_| None)))
                    .collect(),
            ),
            "tasks" | "lists" => {
                let want_tasks = name == "tasks";
                Value::list(
                    self.items(n)
                        .iter()
                        .zip(&note.lists)
                        .filter(|(_, it)| !want_tasks || it.task.is_some())
                        .map(|(v, _)| v.clone())
                        .collect(),
                )
            }
            _ => return None,
        })
    }

    /// The links of note `n` (resolved notes as links to them; unresolved ones as written).
    fn outlinks(&self, n: usize) -> Vec<Value> {
        let site = self.site;
        let note = &site.notes[n];
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, l) in note.links.iter().enumerate() {
            let v = match site.resolved.targets[n].get(i) {
                Some(Target::Note { note: t, .. }) => {
                    if !seen.insert(*t) {
                        continue;
                    }
                    self.note_link(*t)
                }
                Some(Target::Missing(_)) => Link {
                    path: l.path.clone(),
                    display: None,
                    subpath: None,
                    embed: false,
                    note: None,
                },
                _ => continue,
            };
            out.push(Value::link(v));
        }
        out
    }

    /// The published notes note `n` links to.
    pub fn outlink_notes(&self, n: usize) -> Vec<usize> {
        read(n);
        self.site.resolved.linked_notes(n)
    }

    /// The published notes linking to note `n`.
    pub fn inlink_notes(&self, n: usize) -> Vec<usize> {
        read_inlinks(n);
        let mut v: Vec<usize> = self.site.resolved.backlinks[n]
            .iter()
            .map(|&(s, _)| s)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn build_items(&self, n: usize) -> Vec<Value> {
        let note = &self.site.notes[n];
        let mut objs: Vec<BTreeMap<String, Value>> = Vec::with_capacity(note.lists.len());
        let lines: Vec<&str> = note.source.lines().collect();
        for (i, it) in note.lists.iter().enumerate() {
            let mut m = BTreeMap::new();
            let raw = lines.get(it.line.wrapping_sub(1)).copied().unwrap_or("");
            // The fields queries read without an object: one definition for both ways.
            for k in ITEM_KEYS {
                if let Some(v) = self.item_field(n, i, k) {
                    m.insert(k.to_string(), v);
                }
            }
            m.insert("link".into(), Value::link(self.note_link(n)));
            let section = it.heading.and_then(|h| note.headings.get(h)).map(|h| Link {
                subpath: Some(h.text.clone()),
                ..self.note_link(n)
            });
            m.insert("section".into(), section.map_or(Value::Null, Value::link));
            m.insert(
                "parent".into(),
                it.parent
                    .and_then(|p| note.lists.get(p))
                    .map_or(Value::Null, |p| Value::Number(p.line as f64)),
            );
            let tags: Vec<Value> = crate::parse::tags::find_tags(raw, true)
                .into_iter()
                .map(|(_, t)| Value::str(format!("#{t}")))
                .collect();
            m.insert("tags".into(), Value::list(tags));
            let end = it.line + it.line_count.max(1) - 1;
            let outlinks: Vec<Value> = note
                .links
                .iter()
                .enumerate()
                .filter(|(_, l)| l.line >= it.line && l.line <= end && !l.embed)
                .filter_map(|(i, _)| match self.site.resolved.targets[n].get(i) {
                    Some(Target::Note { note: t, .. }) => Some(Value::link(self.note_link(*t))),
                    _ => None,
                })
                .collect();
            m.insert("outlinks".into(), Value::list(outlinks));
            let mut annotated = false;
            for f in note.fields.iter().filter(|f| f.line == it.line) {
                annotated = true;
                put(&mut m, &f.key, self.field(n, &f.value), true);
            }
            m.insert("annotated".into(), Value::Bool(annotated));
            if it.task.is_some() {
                let meta = crate::tasks::meta::parse(&it.text);
                for (k, v) in [
                    ("due", &meta.due),
                    ("scheduled", &meta.scheduled),
                    ("start", &meta.start),
                    ("completion", &meta.done),
                    ("created", &meta.created),
                ] {
                    if let Some(d) = v.as_deref().and_then(super::value::parse_datetime) {
                        // `[due:: …]` was read as a field already: the same date, once.
                        m.entry(k.to_string()).or_insert(Value::Date(d));
                    }
                }
            }

            objs.push(m);
        }
        // Children (deepest first, so each child is complete when its parent takes it).
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); note.lists.len()];
        for (i, it) in note.lists.iter().enumerate() {
            if let Some(p) = it.parent {
                children[p].push(i);
            }
        }
        let mut done: Vec<Option<Value>> = vec![None; objs.len()];
        let mut full: Vec<bool> = vec![false; objs.len()];
        for i in (0..objs.len()).rev() {
            let kids: Vec<Value> = children[i]
                .iter()
                .filter_map(|&c| done[c].clone())
                .collect();
            let me_done =
                matches!(note.lists[i].task, Some('x' | 'X')) || note.lists[i].task.is_none();
            full[i] = me_done && children[i].iter().all(|&c| full[c]);
            let mut m = std::mem::take(&mut objs[i]);
            m.insert("children".into(), Value::list(kids));
            m.insert("fullyCompleted".into(), Value::Bool(full[i]));
            done[i] = Some(Value::object(m));
        }
        done.into_iter().map(Option::unwrap_or_default).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names() {
        assert_eq!(canonical("Last Contact"), "last-contact");
        assert_eq!(canonical("Basic Field"), "basic-field");
        assert_eq!(canonical("Bold Field!"), "bold-field");
        assert_eq!(canonical("due"), "due");
        assert_eq!(canonical("Été"), "été");
    }

    #[test]
    fn days_from_names() {
        let d = |s: &str| day_from_name(s).map(|d| crate::paths::format_date(d.date()));
        assert_eq!(d("2026-03-01 Standup").as_deref(), Some("2026-03-01"));
        assert_eq!(d("Notes 20260301").as_deref(), Some("2026-03-01"));
        assert_eq!(d("Standup"), None);
        assert_eq!(d("Room 2026"), None);
        assert_eq!(d("Chris García 2026-03-01").as_deref(), Some("2026-03-01"));
        assert_eq!(d("García"), None);
    }
}
