//! Render stage, page contexts: builds the typed context of every page (see `context.rs`) from
//! the [`Site`]. Every URL is made relative to the page being rendered.

use super::context::*;
use super::fill::{context_html, Filler};
use crate::enrich::Site;
use crate::parse::Kind;
use crate::paths::{href, PageUrl};

/// Values shared by every page, computed once.
pub struct Shared {
    /// Site context with an empty root (cloned and adjusted per page).
    pub site: SiteCtx,
    /// Excerpt of each note, made on first use (a rebuild in `serve` shows a few cards only).
    excerpts: Vec<std::sync::OnceLock<String>>,
    /// Query results shared by several notes, rendered once per folder depth.
    pub query_html: super::fill::QueryHtml,
    /// The site context as a template value, by root prefix (one per folder depth).
    site_values: std::sync::Mutex<std::collections::HashMap<String, tera::Value>>,
}

impl Shared {
    /// Prepares the shared values.
    pub fn new(site: &Site) -> Shared {
        Shared {
            site: SiteCtx {
                title: site.cfg.title.clone(),
                description: site.cfg.description.clone(),
                base_url: site.cfg.base_url.clone(),
                language: site.cfg.language.clone(),
                root: String::new(),
                assets: String::new(),
                home_url: String::new(),
                tags_url: String::new(),
                search_url: String::new(),
                recent_url: String::new(),
                search_version: site.search_version.clone(),
                graph: site.cfg.graph.enabled.then(|| GraphLinks {
                    url: PageUrl::from_slug("graph", site.cfg.pretty_urls).url,
                    script: format!("_wikigen/graph.js?v={}", site.graph_version),
                    data: format!("{}?v={}", crate::graph::DATA_PATH, site.graph_version),
                    local_depth: site.cfg.graph.local_depth,
                }),
                nav: site
                    .kind_pages
                    .iter()
                    .map(|k| Link {
                        title: k.kind.label().to_string(),
                        url: k.url.url.clone(),
                    })
                    .chain(site.dashboard.iter().map(|u| Link {
                        title: "Tasks".to_string(),
                        url: u.url.clone(),
                    }))
                    .collect(),
                generator: format!("wikigen {}", env!("CARGO_PKG_VERSION")),
                build_date: site.cfg.today.clone(),
                note_count: site.notes.len(),
                extra: site.cfg.extra.clone(),
            },
            excerpts: site
                .notes
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            query_html: Default::default(),
            site_values: Default::default(),
        }
    }

    /// The excerpt of note `n` (see [`crate::parse::ParsedNote::excerpt`]).
    pub fn excerpt(&self, site: &Site, n: usize) -> String {
        self.excerpts[n]
            .get_or_init(|| site.notes[n].excerpt())
            .clone()
    }

    /// The site context for a page whose root prefix is `root`.
    /// [`Shared::site_for`] as a template value, made once per root prefix (cloning it is
    /// cheap: template values share their contents).
    pub fn site_value(&self, root: &str, pretty: bool) -> tera::Value {
        let mut values = self
            .site_values
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        values
            .entry(root.to_string())
            .or_insert_with(|| tera::Value::from_serializable(&self.site_for(root, pretty)))
            .clone()
    }

    /// The site context for a page at `root`.
    pub fn site_for(&self, root: &str, pretty: bool) -> SiteCtx {
        let mut s = self.site.clone();
        s.root = root.to_string();
        s.assets = format!("{root}_wikigen/");
        s.home_url = href(root, "");
        s.tags_url = href(root, &PageUrl::from_slug("tags", pretty).url);
        s.search_url = href(root, &PageUrl::from_slug("search", pretty).url);
        s.recent_url = href(root, &PageUrl::from_slug("recent", pretty).url);
        for l in &mut s.nav {
            l.url = href(root, &l.url);
        }
        if let Some(g) = &mut s.graph {
            g.url = href(root, &g.url);
            g.script = format!("{root}{}", g.script);
            g.data = format!("{root}{}", g.data);
        }
        s
    }
}

/// The tag named `name` (in any case).
pub fn tag_entry<'s>(site: &'s Site, name: &str) -> Option<&'s crate::enrich::TagEntry> {
    // Most tags are written in lower-case ASCII, which is their key already.
    if name
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        site.tags.get(name)
    } else {
        site.tags.get(&crate::paths::key(name))
    }
}

/// A tag link for `name` seen from `root`.
pub fn tag_link(site: &Site, name: &str, root: &str) -> Option<TagLink> {
    let t = tag_entry(site, name)?;
    Some(TagLink {
        name: t.name.clone(),
        url: href(root, &t.url.url),
        count: t.notes.len(),
        depth: t.name.matches('/').count(),
    })
}

/// A card for note `n` seen from `root`.
pub fn card(site: &Site, shared: &Shared, n: usize, root: &str) -> NoteCard {
    let mut c = compact_card(site, n, root);
    let note = &site.notes[n];
    c.excerpt = shared.excerpt(site, n);
    c.tags = note
        .tags
        .iter()
        .filter_map(|t| tag_link(site, t, root))
        .collect();
    c
}

/// A card for note `n` without its excerpt and tags (for long lists).
fn compact_card(site: &Site, n: usize, root: &str) -> NoteCard {
    let note = &site.notes[n];
    NoteCard {
        title: note.title.clone(),
        url: href(root, &site.link_url(n).url),
        kind: note.kind.as_str().into(),
        folder: crate::paths::parent(&note.path).to_string(),
        updated: note.updated.clone().unwrap_or_default(),
        excerpt: String::new(),
        tags: Vec::new(),
    }
}

/// Backlinking notes shown with the text around their links; the rest are listed by title.
pub const MAX_BACKLINK_CONTEXTS: usize = 40;

/// Lists longer than this get compact cards (no excerpt, no tags) to keep pages small.
pub const COMPACT_AFTER: usize = 60;

/// Cards for notes `ids` seen from `root`; compact when the list is long.
pub fn cards(site: &Site, shared: &Shared, ids: &[usize], root: &str) -> Vec<NoteCard> {
    let compact = ids.len() > COMPACT_AFTER;
    ids.iter()
        .map(|&n| {
            if compact {
                compact_card(site, n, root)
            } else {
                card(site, shared, n, root)
            }
        })
        .collect()
}

/// Breadcrumbs for a vault folder path: Home, then each folder.
pub fn breadcrumbs(site: &Site, folder: &str, root: &str) -> Vec<Link> {
    let mut out = vec![Link {
        title: "Home".into(),
        url: href(root, ""),
    }];
    let mut acc = String::new();
    for seg in folder.split('/').filter(|s| !s.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(seg);
        if let Some(f) = site.folders.get(&acc) {
            out.push(Link {
                title: seg.to_string(),
                url: href(root, &f.url.url),
            });
        }
    }
    out
}

/// A page context.
pub fn page(
    site: &Site,
    title: &str,
    kind: &str,
    url: &PageUrl,
    crumbs: Vec<Link>,
    classes: Vec<String>,
) -> PageCtx {
    PageCtx {
        title: title.to_string(),
        kind: kind.to_string(),
        canonical: if kind == "404" {
            String::new()
        } else {
            format!(
                "{}{}",
                site.cfg.base_url,
                crate::paths::encode_url_path(&url.url)
            )
        },
        path: crate::paths::encode_url_path(&url.url),
        breadcrumbs: crumbs,
        body_classes: classes,
    }
}

/// Notes sorted newest first (by `updated`, then title).
pub fn newest_first(site: &Site, mut ids: Vec<usize>) -> Vec<usize> {
    ids.sort_by(|&a, &b| {
        let (na, nb) = (&site.notes[a], &site.notes[b]);
        nb.updated
            .cmp(&na.updated)
            .then_with(|| na.title.cmp(&nb.title))
    });
    ids
}

/// The context of note `n`'s page; returns it with the filler's diagnostics.
pub fn note_ctx(
    site: &Site,
    shared: &Shared,
    n: usize,
    root: &str,
) -> (NoteCtx, Vec<crate::diag::Diagnostic>) {
    let note = &site.notes[n];
    let mut filler = Filler::new(site, root, Some(n)).cached(&shared.query_html);
    let content = filler.body(n);
    let properties = note
        .properties
        .iter()
        .map(|(k, f)| Property {
            key: k.clone(),
            value: filler.property(n, f),
        })
        .collect();
    let backlinks = referrers(
        site,
        &site.resolved.backlinks[n],
        root,
        MAX_BACKLINK_CONTEXTS,
        3,
    );
    let (mentions, mentions_total) = mentions(site, &[n], root);
    let folder_path = crate::paths::strip_md(&note.path);
    let children = site
        .folders
        .get(folder_path)
        .filter(|f| f.folder_note == Some(n))
        .map(|f| cards(site, shared, &newest_first(site, f.notes.clone()), root))
        .unwrap_or_default();
    let word_count = note.word_count();
    let ctx = NoteCtx {
        title: note.title.clone(),
        path: note.path.clone(),
        kind: note.kind.as_str().into(),
        folder: crate::paths::parent(&note.path).to_string(),
        tags: note
            .tags
            .iter()
            .filter_map(|t| tag_link(site, t, root))
            .collect(),
        aliases: note.aliases.clone(),
        created: note.created.clone().unwrap_or_default(),
        updated: note.updated.clone().unwrap_or_default(),
        properties,
        toc: note
            .headings
            .iter()
            .skip(usize::from(note.title_heading))
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.text.clone(),
            })
            .collect(),
        content,
        backlinks,
        mentions,
        mentions_total,
        children,
        word_count,
        reading_minutes: (word_count / 200).max(1),
        frontmatter: serde_json::Value::Object(note.front.clone()),
        profile: None,
    };
    (ctx, filler.diagnostics)
}

/// The home page context.
pub fn home_ctx(
    site: &Site,
    shared: &Shared,
    root: &str,
) -> (HomeCtx, Vec<crate::diag::Diagnostic>) {
    let mut diags = Vec::new();
    let intro = match site.home {
        Some(h) => {
            let mut f = Filler::new(site, root, Some(h)).cached(&shared.query_html);
            let html = f.body(h);
            diags = f.diagnostics;
            html
        }
        None => String::new(),
    };
    let all = newest_first(site, (0..site.notes.len()).collect());
    let recent = all
        .iter()
        .take(12)
        .map(|&n| card(site, shared, n, root))
        .collect();
    let kinds = [Kind::Person, Kind::Meeting, Kind::Project, Kind::Note]
        .into_iter()
        .filter_map(|k| {
            let ids: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&n| site.notes[n].kind == k)
                .collect();
            (!ids.is_empty()).then(|| KindGroup {
                kind: k.as_str().into(),
                label: k.label().into(),
                count: ids.len(),
                notes: ids
                    .iter()
                    .take(8)
                    .map(|&n| card(site, shared, n, root))
                    .collect(),
            })
        })
        .collect();
    let mut tags: Vec<TagLink> = site
        .tags
        .values()
        .filter(|t| !t.name.contains('/'))
        .filter_map(|t| tag_link(site, &t.name, root))
        .collect();
    tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    tags.truncate(60);
    let folders = site
        .folders
        .get("")
        .map(|r| folder_links(site, &r.subfolders, root))
        .unwrap_or_default();
    (
        HomeCtx {
            intro,
            recent,
            kinds,
            tags,
            folders,
            missing_count: site.resolved.missing.len(),
        },
        diags,
    )
}

/// Links to the given folders, sorted by name.
pub fn folder_links(site: &Site, paths: &[String], root: &str) -> Vec<FolderLink> {
    let mut v: Vec<FolderLink> = paths
        .iter()
        .filter_map(|p| site.folders.get(p))
        .map(|f| FolderLink {
            title: f.name.clone(),
            url: href(root, &f.url.url),
            count: f.total,
        })
        .collect();
    v.sort_by_key(|a| a.title.to_lowercase());
    v
}

/// A folder page context.
pub fn folder_ctx(site: &Site, shared: &Shared, path: &str, root: &str) -> FolderCtx {
    let f = &site.folders[path];
    let mut notes: Vec<NoteCard> = f
        .notes
        .iter()
        .map(|&n| card(site, shared, n, root))
        .collect();
    notes.sort_by_key(|a| a.title.to_lowercase());
    FolderCtx {
        title: f.name.clone(),
        path: path.to_string(),
        subfolders: folder_links(site, &f.subfolders, root),
        notes,
    }
}

/// A tag page context.
pub fn tag_ctx(site: &Site, shared: &Shared, key: &str, root: &str) -> TagCtx {
    let t = &site.tags[key];
    let parent = t
        .name
        .rfind('/')
        .and_then(|i| tag_link(site, &t.name[..i], root));
    let prefix = format!("{key}/");
    let children = site
        .tags
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(k, _)| !k[prefix.len()..].contains('/'))
        .filter_map(|(_, c)| tag_link(site, &c.name, root))
        .collect();
    TagCtx {
        name: t.name.clone(),
        parent,
        children,
        notes: cards(site, shared, &newest_first(site, t.direct.clone()), root),
    }
}

/// The notes behind `(note, link)` pairs (sorted by note), one entry per note with the text around
/// each of its links: at most `per_note` texts each, and texts only for the first `with_text`
/// notes (the rest are listed by title).
pub(crate) fn referrers(
    site: &Site,
    refs: &[(usize, usize)],
    root: &str,
    with_text: usize,
    per_note: usize,
) -> Vec<Backlink> {
    let mut out: Vec<Backlink> = Vec::new();
    for run in refs.chunk_by(|a, b| a.0 == b.0) {
        let src = run[0].0;
        let s = &site.notes[src];
        let mut contexts: Vec<String> = Vec::new();
        if out.len() < with_text && per_note > 0 {
            // The note's links here, grouped by the block they sit in (a note may link here
            // thousands of times; only `per_note` blocks are ever shown), each link marked.
            let mut groups: Vec<(u32, Vec<(u32, u32)>)> = Vec::new();
            for &(_, li) in run {
                let link = &s.links[li];
                let Some(c) = link.context else { continue };
                if let Some(g) = groups.iter_mut().find(|g| g.0 == c) {
                    g.1.extend(link.mark);
                } else if groups.len() < per_note {
                    groups.push((c, link.mark.into_iter().collect()));
                }
            }
            for (c, marks) in groups {
                if let Some(t) = s.contexts.get(c as usize) {
                    let html = context_html(t, &marks);
                    if !contexts.contains(&html) {
                        contexts.push(html);
                    }
                }
            }
        }
        out.push(Backlink {
            title: s.title.clone(),
            url: href(root, &site.urls[src].url),
            kind: s.kind.as_str().into(),
            contexts,
        });
    }
    out
}

/// Notes listed on the recently changed page.
pub const RECENT_SHOWN: usize = 200;

/// The recently changed page: the [`RECENT_SHOWN`] most recently updated notes by day.
pub fn recent_ctx(site: &Site, shared: &Shared, root: &str) -> RecentCtx {
    let dated: Vec<usize> = (0..site.notes.len())
        .filter(|&n| site.notes[n].updated.is_some())
        .collect();
    let total = dated.len();
    let mut days: Vec<RecentDay> = Vec::new();
    let newest = newest_first(site, dated);
    for &n in newest.iter().take(RECENT_SHOWN) {
        let mut c = compact_card(site, n, root);
        c.excerpt = shared.excerpt(site, n);
        match days.last_mut() {
            Some(d) if d.date == c.updated => d.notes.push(c),
            _ => days.push(RecentDay {
                date: c.updated.clone(),
                notes: vec![c],
            }),
        }
    }
    RecentCtx {
        days,
        shown: total.min(RECENT_SHOWN),
        total,
    }
}

/// The unlinked mentions of the notes `targets` (one page: a note, or a person's merged source
/// notes), most recently updated naming note first: the listed ones and the total count.
pub(crate) fn mentions(site: &Site, targets: &[usize], root: &str) -> (Vec<MentionCtx>, usize) {
    let mut found: Vec<crate::mentions::Mention> = targets
        .iter()
        .filter_map(|&t| site.mentions.by_target.get(t))
        .flatten()
        .filter(|m| !targets.contains(&(m.source as usize)))
        .copied()
        .collect();
    found.sort_by_key(|m| m.source);
    found.dedup_by_key(|m| m.source);
    let total = found.len();
    let notes = &site.notes;
    let order = |a: &crate::mentions::Mention, b: &crate::mentions::Mention| {
        let (na, nb) = (&notes[a.source as usize], &notes[b.source as usize]);
        nb.updated
            .cmp(&na.updated)
            .then_with(|| na.path.cmp(&nb.path))
    };
    // Only the first few are shown: those are picked out, then sorted (paths are unique, so
    // the order is total and the list the same as a full sort's).
    let keep = site.cfg.unlinked_mentions;
    if keep == 0 {
        found.clear();
    } else if found.len() > keep {
        found.select_nth_unstable_by(keep - 1, order);
        found.truncate(keep);
    }
    found.sort_by(order);
    let list = found
        .iter()
        .map(|m| {
            let s = m.source as usize;
            let note = &notes[s];
            let (before, name, after) = m.sentence(&note.plain);
            MentionCtx {
                title: note.title.clone(),
                url: href(root, &site.urls[s].url),
                kind: note.kind.as_str().into(),
                before,
                name,
                after,
                count: m.count,
            }
        })
        .collect();
    (list, total)
}

/// Texts shown per linking note on a "not written yet" page.
pub const MISSING_CONTEXTS: usize = 5;

/// A missing page context.
pub fn missing_ctx(site: &Site, m: usize, root: &str) -> MissingCtx {
    let miss = &site.resolved.missing[m];
    // Every linking note, each with the text around a few of its links (one note may name a
    // missing note thousands of times).
    let referrers = referrers(site, &miss.referrers, root, usize::MAX, MISSING_CONTEXTS);
    MissingCtx {
        name: miss.name.clone(),
        referrers,
    }
}
