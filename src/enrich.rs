//! Enrich stage: the site-wide structure built from resolved notes — stable, collision-free URLs
//! for every page, the tag tree, the folder tree with folder notes, and the home note.
//! Input: published notes + [`Resolved`]. Output: [`Site`], read-only for the render stage.

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity};
use crate::load::Attachment;
use crate::parse::{tags::with_parents, ParsedNote};
use crate::paths::{key, parent, slug_path, slugify, PageUrl};
use crate::resolve::Resolved;
use std::collections::{BTreeMap, HashSet};

/// A tag and the notes carrying it (or one of its sub-tags).
#[derive(Debug, Clone, PartialEq)]
pub struct TagEntry {
    /// Name as first written.
    pub name: String,
    /// Notes with this tag or a sub-tag, by index.
    pub notes: Vec<usize>,
    /// Notes with exactly this tag (listed on its page; sub-tags are linked).
    pub direct: Vec<usize>,
    /// Page URL.
    pub url: PageUrl,
}

/// A folder of the vault that holds published notes.
#[derive(Debug, Clone, PartialEq)]
pub struct FolderEntry {
    /// Last path segment.
    pub name: String,
    /// Notes directly in it.
    pub notes: Vec<usize>,
    /// Paths of sub-folders.
    pub subfolders: Vec<String>,
    /// Notes in it and below.
    pub total: usize,
    /// The note named like the folder (`People.md` next to `People/`), which is its page.
    pub folder_note: Option<usize>,
    /// Page URL (the folder note's, when there is one).
    pub url: PageUrl,
}

/// Everything the render stage needs.
#[derive(Debug)]
pub struct Site {
    /// Validated configuration.
    pub cfg: Config,
    /// Published notes, sorted by path.
    pub notes: Vec<ParsedNote>,
    /// Link resolutions and backlinks.
    pub resolved: Resolved,
    /// All attachments of the vault (only used ones are copied).
    pub attachments: Vec<Attachment>,
    /// URL of each note.
    pub urls: Vec<PageUrl>,
    /// URL of each missing target's page.
    pub missing_urls: Vec<PageUrl>,
    /// Tags by lower-case name.
    pub tags: BTreeMap<String, TagEntry>,
    /// Folders by path (`""` is the vault root).
    pub folders: BTreeMap<String, FolderEntry>,
    /// The note shown on the home page.
    pub home: Option<usize>,
    /// The people directory, meetings timeline and projects list pages, for kinds with notes.
    pub kind_pages: Vec<KindPage>,
    /// Profiles, meetings, projects and tasks (filled by the profile stage).
    pub people: crate::people::Directory,
    /// The task dashboard page, when the vault has tasks and `[queries] dashboard` is on.
    pub dashboard: Option<PageUrl>,
    /// Query results (filled by the query stage).
    pub queries: crate::query::Results,
    /// The search index's version (filled by the search stage, before rendering).
    pub search_version: String,
    /// Unlinked mentions of each note (filled after the profiles).
    pub mentions: crate::mentions::Mentions,
    /// The graph data's version (filled by the graph stage, before rendering).
    pub graph_version: String,
    /// What this stage reported (URL collisions), for a rebuild that takes its work over.
    enrich_diags: Vec<Diagnostic>,
}

/// The index page of a kind of note (people directory, meetings timeline, projects list).
#[derive(Debug, Clone, PartialEq)]
pub struct KindPage {
    /// Person, meeting or project.
    pub kind: crate::parse::Kind,
    /// Page URL.
    pub url: PageUrl,
}

impl Site {
    /// The index page of a kind, if the site has one.
    pub fn kind_page(&self, kind: crate::parse::Kind) -> Option<&PageUrl> {
        self.kind_pages
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| &k.url)
    }

    /// The URL links to a note go to: a merged person note's profile page, else its own page.
    pub fn link_url(&self, note: usize) -> &PageUrl {
        match self.people.profile_page(note) {
            Some((p, false)) => &self.urls[self.people.profiles[p].primary],
            _ => &self.urls[note],
        }
    }
}

impl Site {
    /// The analysis of this site with the notes numbered as `r` says, for a rebuild to take over
    /// after notes were renamed to sort elsewhere, created or deleted (`wikigen serve`). It has
    /// no notes (the rebuild has them); the URLs stay those of the old paths (a new note has an
    /// empty one), which the rebuild makes again when names change (see
    /// [`crate::build::Prior::names_changed`]).
    pub fn renumbered(&self, r: &crate::renumber::Renumber) -> Site {
        let (resolved, (people, (queries, mentions))) = rayon::join(
            || self.resolved.renumbered(r),
            || {
                rayon::join(
                    || self.people.renumbered(r),
                    || {
                        rayon::join(
                            || self.queries.renumbered(r),
                            || self.mentions.renumbered(r),
                        )
                    },
                )
            },
        );
        Site {
            cfg: self.cfg.clone(),
            notes: Vec::new(),
            resolved,
            attachments: self.attachments.clone(),
            urls: r.permute(&self.urls),
            missing_urls: self.missing_urls.clone(),
            tags: self
                .tags
                .iter()
                .map(|(k, t)| {
                    let t = TagEntry {
                        notes: r.sorted(&t.notes),
                        direct: r.sorted(&t.direct),
                        ..t.clone()
                    };
                    (k.clone(), t)
                })
                .collect(),
            folders: self
                .folders
                .iter()
                .map(|(k, f)| {
                    let f = FolderEntry {
                        notes: r.sorted(&f.notes),
                        folder_note: f.folder_note.and_then(|n| r.get(n)),
                        ..f.clone()
                    };
                    (k.clone(), f)
                })
                .collect(),
            home: self.home.and_then(|n| r.get(n)),
            kind_pages: self.kind_pages.clone(),
            people,
            dashboard: self.dashboard.clone(),
            queries,
            search_version: self.search_version.clone(),
            mentions,
            graph_version: self.graph_version.clone(),
            enrich_diags: self.enrich_diags.clone(),
        }
    }
}

/// Hands out page URLs, never the same file twice.
#[derive(Default)]
struct Urls {
    used: HashSet<String>,
    pretty: bool,
}

impl Urls {
    fn claim(&mut self, slug: &str) -> (PageUrl, bool) {
        let mut n = 1;
        loop {
            let s = if n == 1 {
                slug.to_string()
            } else {
                format!("{slug}-{n}")
            };
            let u = PageUrl::from_slug(&s, self.pretty);
            if self.used.insert(u.file.clone()) {
                return (u, n > 1);
            }
            n += 1;
        }
    }
}

/// URL of an attachment: its vault path.
pub fn attachment_url(a: &Attachment) -> String {
    a.path.clone()
}

/// Builds the [`Site`].
pub fn enrich(
    cfg: Config,
    notes: Vec<ParsedNote>,
    resolved: Resolved,
    attachments: Vec<Attachment>,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let mut own = Vec::new();
    let site = enrich_inner(cfg, notes, resolved, attachments, &mut own);
    diags.extend(own.iter().cloned());
    Site {
        enrich_diags: own,
        ..site
    }
}

/// [`enrich`], taking URLs, tags, folders and index pages over from `prior` (the last build of
/// the same vault) when they cannot differ: the same notes with the same kinds and tags (the
/// caller's guarantee), and the same missing targets, used attachments and presence of tasks
/// (checked here). The result is the same as [`enrich`]'s.
pub fn enrich_with(
    cfg: Config,
    notes: Vec<ParsedNote>,
    resolved: Resolved,
    attachments: Vec<Attachment>,
    diags: &mut Vec<Diagnostic>,
    prior: &Site,
) -> Site {
    let has_tasks = notes.iter().any(|n| !n.tasks.is_empty());
    let had_tasks = !prior.people.tasks.is_empty();
    let same = prior.urls.len() == notes.len()
        && prior.resolved.used_attachments == resolved.used_attachments
        && prior.resolved.missing.len() == resolved.missing.len()
        && prior
            .resolved
            .missing
            .iter()
            .zip(&resolved.missing)
            .all(|(a, b)| a.path == b.path)
        && prior.attachments.len() == attachments.len()
        && has_tasks == had_tasks;
    if !same {
        return enrich(cfg, notes, resolved, attachments, diags);
    }
    diags.extend(prior.enrich_diags.iter().cloned());
    Site {
        cfg,
        notes,
        resolved,
        attachments,
        urls: prior.urls.clone(),
        missing_urls: prior.missing_urls.clone(),
        tags: prior.tags.clone(),
        folders: prior.folders.clone(),
        home: prior.home,
        kind_pages: prior.kind_pages.clone(),
        people: Default::default(),
        dashboard: prior.dashboard.clone(),
        queries: Default::default(),
        search_version: String::new(),
        mentions: Default::default(),
        graph_version: String::new(),
        enrich_diags: prior.enrich_diags.clone(),
    }
}

fn enrich_inner(
    cfg: Config,
    notes: Vec<ParsedNote>,
    resolved: Resolved,
    attachments: Vec<Attachment>,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let mut urls = Urls {
        pretty: cfg.pretty_urls,
        ..Default::default()
    };
    for reserved in ["", "tags", "_wikigen", "404", "sitemap", "search", "recent"] {
        urls.claim(reserved);
    }
    if cfg.graph.enabled {
        urls.claim("graph");
    }
    // Attachment files occupy their paths too.
    for (i, a) in attachments.iter().enumerate() {
        if resolved.used_attachments[i] {
            urls.used.insert(a.path.clone());
        }
    }
    let mut first_owner: std::collections::HashMap<String, usize> = Default::default();
    let mut note_urls = Vec::with_capacity(notes.len());
    for (i, n) in notes.iter().enumerate() {
        // URLs use the repaired form of a file name with mojibake in it.
        let slug = match crate::text::mojibake::repair(&n.path) {
            Some(r) => slug_path(&r.fixed),
            None => slug_path(&n.path),
        };
        let (u, collided) = urls.claim(&slug);
        if collided {
            let other = first_owner
                .get(&slug)
                .map(|&o| notes[o].path.as_str())
                .unwrap_or("a page wikigen generates");
            diags.push(Diagnostic::new(
                Severity::Warning,
                Code::UrlCollision,
                &n.path,
                0,
                0,
                format!(
                    "this note and `{other}` would both be at `{slug}/`; this one is at `{}`",
                    u.url
                ),
                "rename one of the notes so their names differ in more than case and punctuation",
            ));
        } else {
            first_owner.insert(slug, i);
        }
        note_urls.push(u);
    }

    // Kind index pages: `people/`, `meetings/`, `projects/` (a note already there keeps it).
    let mut kind_pages = Vec::new();
    for kind in [
        crate::parse::Kind::Person,
        crate::parse::Kind::Meeting,
        crate::parse::Kind::Project,
    ] {
        if notes.iter().any(|n| n.kind == kind) {
            let mut slug = kind.label().to_lowercase();
            // A note at `people/` (often `People.md`, the folder note of `People/`) keeps it;
            // the directory then lives below it, at `people/all/`.
            if urls
                .used
                .contains(&PageUrl::from_slug(&slug, urls.pretty).file)
            {
                slug.push_str("/all");
            }
            kind_pages.push(KindPage {
                kind,
                url: urls.claim(&slug).0,
            });
        }
    }

    // The task dashboard: `tasks/` (below a note that already holds it: `tasks/all/`).
    let dashboard =
        (cfg.queries.dashboard && notes.iter().any(|n| !n.tasks.is_empty())).then(|| {
            let mut slug = String::from("tasks");
            if urls
                .used
                .contains(&PageUrl::from_slug(&slug, urls.pretty).file)
            {
                slug.push_str("/all");
            }
            urls.claim(&slug).0
        });

    // Folders.
    let mut folders: BTreeMap<String, FolderEntry> = BTreeMap::new();
    let by_path: std::collections::HashMap<String, usize> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (key(crate::paths::strip_md(&n.path)), i))
        .collect();
    fn folder<'f>(
        folders: &'f mut BTreeMap<String, FolderEntry>,
        dir: &str,
    ) -> &'f mut FolderEntry {
        folders
            .entry(dir.to_string())
            .or_insert_with(|| FolderEntry {
                name: crate::paths::file_name(dir).to_string(),
                notes: Vec::new(),
                subfolders: Vec::new(),
                total: 0,
                folder_note: None,
                url: PageUrl::from_slug("", true),
            })
    }
    for (i, n) in notes.iter().enumerate() {
        let mut d = parent(&n.path).to_string();
        folder(&mut folders, &d).notes.push(i);
        loop {
            folder(&mut folders, &d).total += 1;
            if d.is_empty() {
                break;
            }
            let up = parent(&d).to_string();
            let f = folder(&mut folders, &up);
            if !f.subfolders.contains(&d) {
                f.subfolders.push(d.clone());
            }
            d = up;
        }
    }
    for (path, f) in folders.iter_mut() {
        if path.is_empty() {
            continue;
        }
        f.folder_note = by_path.get(&key(path)).copied();
        let slug = slug_path(path);
        f.url = match f.folder_note {
            Some(n) => note_urls[n].clone(),
            // A `People/` folder's page is the people directory.
            None => match kind_pages
                .iter()
                .find(|k| k.kind.label().to_lowercase() == slug)
            {
                Some(k) => k.url.clone(),
                None => urls.claim(&slug).0,
            },
        };
    }

    // Tags.
    let mut tags: BTreeMap<String, TagEntry> = BTreeMap::new();
    for (i, n) in notes.iter().enumerate() {
        for t in &n.tags {
            let exact = key(t);
            for p in with_parents(t) {
                let k = key(&p);
                let is_exact = k == exact;
                let e = tags.entry(k).or_insert_with(|| TagEntry {
                    name: p.clone(),
                    notes: Vec::new(),
                    direct: Vec::new(),
                    url: PageUrl::from_slug("", true),
                });
                if e.notes.last() != Some(&i) {
                    e.notes.push(i);
                }
                if is_exact && e.direct.last() != Some(&i) {
                    e.direct.push(i);
                }
            }
        }
    }
    for e in tags.values_mut() {
        let slug = format!(
            "tags/{}",
            e.name.split('/').map(slugify).collect::<Vec<_>>().join("/")
        );
        e.url = urls.claim(&slug).0;
    }

    let missing_urls = resolved
        .missing
        .iter()
        .map(|m| urls.claim(&slug_path(&m.path)).0)
        .collect();

    let home = if cfg.home.trim().is_empty() {
        ["index", "home", "readme"]
            .iter()
            .find_map(|n| by_path.get(*n).copied())
    } else {
        by_path
            .get(&key(crate::paths::strip_md(cfg.home.trim())))
            .copied()
    };

    Site {
        cfg,
        notes,
        resolved,
        attachments,
        urls: note_urls,
        missing_urls,
        tags,
        folders,
        home,
        kind_pages,
        people: Default::default(),
        dashboard,
        queries: Default::default(),
        search_version: String::new(),
        mentions: Default::default(),
        graph_version: String::new(),
        enrich_diags: Vec::new(),
    }
}
