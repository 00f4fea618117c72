//! Render stage: fills every note's link slots, builds each page's typed context and renders it
//! through the Tera theme, in parallel (rayon). Input: [`Site`] + [`theme::Theme`]. Output:
//! [`Page`]s (path + bytes) ready for the write stage.

pub mod context;
pub mod dashboard;
pub mod explorer;
pub mod fill;
pub mod minify;
pub mod pages;
pub mod people;
pub mod people_ctx;
pub mod query;
pub mod theme;

use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::Site;
use crate::paths::PageUrl;
use pages::Shared;
use rayon::prelude::*;
use std::collections::HashMap;

/// One output file.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the output folder.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A page to render.
enum Job {
    Note(usize),
    Home,
    Folder(String),
    Tag(String),
    Tags,
    Missing(usize),
    NotFound,
    Kind(usize),
    Dashboard,
    Search,
    Recent,
    Graph,
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut v: Vec<Job> = (0..site.notes.len()).map(Job::Note).collect();
    v.push(Job::Home);
    v.push(Job::Tags);
    v.push(Job::NotFound);
    v.extend(
        site.folders
            .iter()
            .filter(|(p, f)| {
                !p.is_empty()
                    && f.folder_note.is_none()
                    && !site.kind_pages.iter().any(|k| k.url.url == f.url.url)
            })
            .map(|(p, _)| Job::Folder(p.clone())),
    );
    v.extend(site.tags.keys().map(|k| Job::Tag(k.clone())));
    v.extend((0..site.resolved.missing.len()).map(Job::Missing));
    v.extend((0..site.kind_pages.len()).map(Job::Kind));
    if site.dashboard.is_some() {
        v.push(Job::Dashboard);
    }
    v.push(Job::Search);
    v.push(Job::Recent);
    if site.cfg.graph.enabled {
        v.push(Job::Graph);
    }
    v
}

/// Where rendered pages go: the write stage's staging folder, memory, or nowhere (`check`).
/// Called from many threads at once, as each page is rendered, so that writing overlaps
/// rendering and the whole site is never held in memory.
pub type Sink<'a> = dyn Fn(Page) -> anyhow::Result<()> + Sync + 'a;

/// Which pages to render: all of them (`build`), or the ones a change can affect (`serve`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Note pages, by note index.
    pub notes: std::collections::HashSet<usize>,
    /// Folder pages, by folder path.
    pub folders: std::collections::HashSet<String>,
    /// Tag pages, by lower-case tag.
    pub tags: std::collections::HashSet<String>,
    /// "Not written yet" pages, by missing-target index.
    pub missing: std::collections::HashSet<usize>,
    /// The people, meetings and projects directory pages.
    pub kinds: bool,
    /// The task dashboard.
    pub dashboard: bool,
    /// Only the pages listed above: not the home and recent-changes pages, the sitemap or the
    /// theme's assets (`serve` renders the pages open in a browser this way, before the rest).
    pub listed_only: bool,
}

impl Selection {
    fn wants(&self, job: &Job) -> bool {
        match job {
            Job::Note(n) => self.notes.contains(n),
            Job::Folder(f) => self.folders.contains(f),
            Job::Tag(t) => self.tags.contains(t),
            Job::Missing(m) => self.missing.contains(m),
            Job::Kind(_) => self.kinds,
            Job::Dashboard => self.dashboard,
            // The home and recently changed pages list recent changes; the tag index, search and
            // 404 pages change only with the site's structure (which renders every page).
            Job::Home | Job::Recent => !self.listed_only,
            // The graph page loads its data; the page itself is the same for any vault.
            Job::Tags | Job::Search | Job::NotFound | Job::Graph => false,
        }
    }
}

/// How long a page took to render, its path and its size in bytes.
type Slow = (std::time::Duration, String, usize);

/// Logs (at debug level) the pages that took longest to render.
fn log_slowest(mut pages: Vec<Slow>) {
    if pages.is_empty() {
        return;
    }
    pages.sort_unstable_by_key(|p| std::cmp::Reverse(p.0));
    let list: Vec<String> = pages
        .iter()
        .take(8)
        .map(|(d, p, n)| format!("{p} ({:.1} ms, {} kB)", d.as_secs_f64() * 1e3, n / 1000))
        .collect();
    log::debug!("slowest pages: {}", list.join(", "));
}

/// Renders every page and the static assets into `sink`; returns the number of HTML pages.
pub fn render(
    site: &Site,
    theme: &theme::Theme,
    diags: &mut Vec<Diagnostic>,
    progress: &(dyn Fn(u64) + Sync),
    sink: &Sink,
) -> anyhow::Result<usize> {
    render_selected(site, theme, None, diags, progress, sink)
}

/// Renders the pages `only` selects (every page when `None`), the sitemap and the static assets
/// into `sink`; returns the number of HTML pages.
pub fn render_selected(
    site: &Site,
    theme: &theme::Theme,
    only: Option<&Selection>,
    diags: &mut Vec<Diagnostic>,
    progress: &(dyn Fn(u64) + Sync),
    sink: &Sink,
) -> anyhow::Result<usize> {
    let shared = Shared::new(site);
    let mut jobs = jobs(site);
    if let Some(sel) = only {
        jobs.retain(|j| sel.wants(j));
    }
    // The first write error stops the pass (a full disk fails every page after it).
    type Rendered = (bool, Vec<Diagnostic>, Option<TemplateFailure>, Option<Slow>);
    let debug = log::log_enabled!(log::Level::Debug);
    let results: anyhow::Result<Vec<Rendered>> = jobs
        .par_iter()
        .map(|job| {
            let started = std::time::Instant::now();
            let (page, d, failure) = render_job(site, theme, &shared, job);
            let took = started.elapsed();
            progress(1);
            let (html, slow) = match page {
                Some(p) => {
                    // Kept only for the debug log: no copy of every path otherwise.
                    let slow = debug.then(|| (took, p.path.clone(), p.bytes.len()));
                    let html = p.path.ends_with(".html");
                    sink(p)?;
                    (html, slow)
                }
                None => (false, None),
            };
            Ok((html, d, failure, slow))
        })
        .collect();
    let mut html_pages = 0;
    let mut failures = Vec::new();
    let mut slowest: Vec<Slow> = Vec::new();
    for (html, d, failure, slow) in results? {
        diags.extend(d);
        failures.extend(failure);
        html_pages += usize::from(html);
        slowest.extend(slow);
    }
    log_slowest(slowest);
    diags.extend(template_errors(failures));
    if only.is_some_and(|sel| sel.listed_only) {
        return Ok(html_pages);
    }
    sink(sitemap(site))?;
    if only.is_none() {
        // Only a structural change (which renders every page) changes the folder tree.
        sink(Page {
            path: explorer::PATH.into(),
            bytes: explorer::json(site),
        })?;
    }
    let (light, dark) = crate::parse::highlight::stylesheets();
    let mut assets: Vec<(String, Vec<u8>)> = theme
        .assets
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assets.push(("syntax-light.css".into(), light.into_bytes()));
    assets.push(("syntax-dark.css".into(), dark.into_bytes()));
    for (name, bytes) in assets {
        let bytes = if site.cfg.minify.assets() {
            minify::asset(&name, bytes)
        } else {
            bytes
        };
        sink(Page {
            path: format!("_wikigen/{name}"),
            bytes,
        })?;
    }
    Ok(html_pages)
}

fn render_job(
    site: &Site,
    theme: &theme::Theme,
    shared: &Shared,
    job: &Job,
) -> (Option<Page>, Vec<Diagnostic>, Option<TemplateFailure>) {
    let pretty = site.cfg.pretty_urls;
    let mut diags = Vec::new();
    let mut ctx = tera::Context::new();
    let (template, url, source): (&str, PageUrl, String) = match job {
        Job::Note(n) => {
            let url = site.urls[*n].clone();
            let root = url.root_prefix();
            let note = &site.notes[*n];
            let (mut nc, d) = pages::note_ctx(site, shared, *n, &root);
            diags = d;
            let crumbs = pages::breadcrumbs(site, crate::paths::parent(&note.path), &root);
            let classes = note.cssclasses.clone();
            let dir = &site.people;
            let template = if let Some((p, true)) = dir.profile_page(*n) {
                let (pc, (backlinks, mentions), d) = people::person_ctx(site, shared, p, &root);
                diags.extend(d);
                nc.backlinks = backlinks;
                (nc.mentions, nc.mentions_total) = mentions;
                ctx.insert("person", &pc);
                "person.html"
            } else if let Some(m) = dir.meeting_of[*n] {
                ctx.insert("meeting", &people::meeting_ctx(site, shared, m, &root));
                "meeting.html"
            } else if let Some(pj) = dir.project_of[*n] {
                ctx.insert("project", &people::project_ctx(site, pj, &root));
                "project.html"
            } else {
                if let Some((p, false)) = dir.profile_page(*n) {
                    let pr = &dir.profiles[p];
                    nc.profile = Some(context::Link {
                        title: pr.name.clone(),
                        url: crate::paths::href(&root, &site.urls[pr.primary].url),
                    });
                }
                "note.html"
            };
            ctx.insert(
                "page",
                &pages::page(site, &note.title, "note", &url, crumbs, classes),
            );
            ctx.insert("note", &nc);
            ctx.insert_value("site", shared.site_value(&root, pretty));
            (template, url, note.path.clone())
        }
        Job::Home => {
            let url = PageUrl::from_slug("", true);
            let (home, d) = pages::home_ctx(site, shared, "");
            diags = d;
            ctx.insert(
                "page",
                &pages::page(site, &site.cfg.title, "index", &url, vec![], vec![]),
            );
            ctx.insert("home", &home);
            ctx.insert_value("site", shared.site_value("", pretty));
            ("index.html", url, "index.html".into())
        }
        Job::Folder(path) => {
            let url = site.folders[path].url.clone();
            let root = url.root_prefix();
            let f = pages::folder_ctx(site, shared, path, &root);
            let crumbs = pages::breadcrumbs(site, crate::paths::parent(path), &root);
            ctx.insert(
                "page",
                &pages::page(site, &f.title, "folder", &url, crumbs, vec![]),
            );
            ctx.insert("folder", &f);
            ctx.insert_value("site", shared.site_value(&root, pretty));
            ("folder.html", url, path.clone())
        }
        Job::Tag(k) => {
            let url = site.tags[k].url.clone();
            let root = url.root_prefix();
            let t = pages::tag_ctx(site, shared, k, &root);
            let crumbs = vec![
                context::Link {
                    title: "Home".into(),
                    url: crate::paths::href(&root, ""),
                },
                context::Link {
                    title: "Tags".into(),
                    url: crate::paths::href(&root, &PageUrl::from_slug("tags", pretty).url),
                },
            ];
            ctx.insert(
                "page",
                &pages::page(site, &format!("#{}", t.name), "tag", &url, crumbs, vec![]),
            );
            ctx.insert("tag", &t);
            ctx.insert_value("site", shared.site_value(&root, pretty));
            ("tag.html", url, format!("#{}", t.name))
        }
        Job::Tags => {
            let (url, root) = site_page(site, shared, &mut ctx, "tags", "Tags");
            let tags: Vec<context::TagLink> = site
                .tags
                .values()
                .filter_map(|t| pages::tag_link(site, &t.name, &root))
                .collect();
            ctx.insert("tags", &tags);
            ("tags.html", url, "tags".into())
        }
        Job::Missing(m) => {
            let url = site.missing_urls[*m].clone();
            let root = url.root_prefix();
            let mc = pages::missing_ctx(site, *m, &root);
            let crumbs = vec![context::Link {
                title: "Home".into(),
                url: crate::paths::href(&root, ""),
            }];
            ctx.insert(
                "page",
                &pages::page(
                    site,
                    &mc.name,
                    "missing",
                    &url,
                    crumbs,
                    vec!["missing".into()],
                ),
            );
            ctx.insert("missing", &mc);
            ctx.insert_value("site", shared.site_value(&root, pretty));
            ("missing.html", url, mc.name.clone())
        }
        Job::Kind(k) => {
            let kp = &site.kind_pages[*k];
            let url = kp.url.clone();
            let root = url.root_prefix();
            let crumbs = vec![context::Link {
                title: "Home".into(),
                url: crate::paths::href(&root, ""),
            }];
            let label = kp.kind.label();
            let template = match kp.kind {
                crate::parse::Kind::Person => {
                    ctx.insert("directory", &people::people_index(site, &root));
                    "people.html"
                }
                crate::parse::Kind::Meeting => {
                    ctx.insert("timeline", &people::meetings_index(site, &root));
                    "meetings.html"
                }
                _ => {
                    ctx.insert("projects", &people::projects_index(site, shared, &root));
                    "projects.html"
                }
            };
            let page_kind = label.to_lowercase();
            ctx.insert(
                "page",
                &pages::page(site, label, &page_kind, &url, crumbs, vec![]),
            );
            ctx.insert_value("site", shared.site_value(&root, pretty));
            (template, url, label.to_string())
        }
        Job::Dashboard => {
            let url = site
                .dashboard
                .clone()
                .unwrap_or_else(|| PageUrl::from_slug("tasks", pretty));
            let root = url.root_prefix();
            let crumbs = vec![context::Link {
                title: "Home".into(),
                url: crate::paths::href(&root, ""),
            }];
            ctx.insert("dashboard", &dashboard::dashboard(site, &root));
            ctx.insert(
                "page",
                &pages::page(site, "Tasks", "tasks", &url, crumbs, vec![]),
            );
            ctx.insert_value("site", shared.site_value(&root, pretty));
            ("tasks.html", url, "tasks.html".to_string())
        }
        Job::Search => {
            let (url, _) = site_page(site, shared, &mut ctx, "search", "Search");
            ("search.html", url, "search.html".to_string())
        }
        Job::Recent => {
            let (url, root) = site_page(site, shared, &mut ctx, "recent", "Recently changed");
            ctx.insert("recent", &pages::recent_ctx(site, shared, &root));
            ("recent.html", url, "recent.html".to_string())
        }
        Job::Graph => {
            let (url, _) = site_page(site, shared, &mut ctx, "graph", "Graph");
            ("graph.html", url, "graph.html".to_string())
        }
        Job::NotFound => {
            let url = PageUrl {
                url: "404.html".into(),
                file: "404.html".into(),
            };
            let root = site.cfg.base_url.clone();
            ctx.insert(
                "page",
                &pages::page(site, "Page not found", "404", &url, vec![], vec![]),
            );
            ctx.insert_value("site", shared.site_value(&root, pretty));
            ("404.html", url, "404.html".into())
        }
    };
    let mut failure = None;
    let rendered = render_bytes(&theme.tera, template, &ctx).map_err(|e| {
        // The failing template may be an override (or one it extends or includes): name it
        // with the line, and render the page with the built-in templates instead.
        let (name, line, column) =
            theme::tera_location(&e).unwrap_or_else(|| (template.to_string(), 0, 0));
        let file = theme
            .sources
            .get(&name)
            .or_else(|| theme.sources.get(template))
            .map(|p| p.display().to_string())
            .unwrap_or(name);
        let fallback = theme
            .fallback
            .as_ref()
            .and_then(|t| render_bytes(t, template, &ctx).ok());
        failure = Some(TemplateFailure {
            place: (file, line, column, theme::tera_error(&e)),
            source: source.to_string(),
            fallback: fallback.is_some(),
        });
        fallback
    });
    match rendered {
        Ok(html) | Err(Some(html)) => {
            let bytes = if site.cfg.minify.pages() {
                minify::html(html)
            } else {
                html
            };
            (
                Some(Page {
                    path: url.file,
                    bytes,
                }),
                diags,
                failure,
            )
        }
        Err(None) => (None, diags, failure),
    }
}

/// Renders `template` as bytes: into a buffer sized for a typical page (Tera's own `render`
/// starts from the template's size and grows it several times), without checking the UTF-8 of
/// the result again (every piece written is a `str`).
fn render_bytes(
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
) -> tera::TeraResult<Vec<u8>> {
    let mut out = Vec::with_capacity(32 * 1024);
    tera.render_to(template, ctx, &mut out)?;
    Ok(out)
}

/// A page whose template failed to render.
struct TemplateFailure {
    /// Template file, line, column and Tera's explanation.
    place: (String, usize, usize, String),
    /// The note (or page) being rendered.
    source: String,
    /// Was the page written with the built-in templates instead?
    fallback: bool,
}

/// One diagnostic per template error, not one per page: pages that failed at the same place of
/// a template for the same reason are counted in the first one's message.
fn template_errors(failures: Vec<TemplateFailure>) -> Vec<Diagnostic> {
    let mut groups: Vec<(TemplateFailure, usize)> = Vec::new();
    let mut at: HashMap<(String, usize, usize, String), usize> = HashMap::new();
    for f in failures {
        match at.get(&f.place) {
            Some(&g) => groups[g].1 += 1,
            None => {
                at.insert(f.place.clone(), groups.len());
                groups.push((f, 1));
            }
        }
    }
    groups
        .into_iter()
        .map(|(f, count)| {
            let (file, line, column, why) = f.place;
            let source = &f.source;
            Diagnostic::new(
                Severity::Error,
                Code::TemplateError,
                file,
                line,
                column,
                if count == 1 {
                    format!("rendering the page for `{source}` failed: {why}")
                } else {
                    format!("rendering {count} pages failed (the first for `{source}`): {why}")
                },
                if f.fallback {
                    "fix the template; the pages were written with the default template"
                } else {
                    "fix the template; these pages were not written, every other page was"
                },
            )
        })
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `sitemap.xml` with every published note, folder and tag page.
/// A site-level page at `slug` (`search/`, `recent/`, `graph/`) with a Home breadcrumb: puts
/// `page` (whose kind is the slug) and `site` into `ctx`; returns the URL and root prefix.
fn site_page(
    site: &Site,
    shared: &Shared,
    ctx: &mut tera::Context,
    slug: &str,
    title: &str,
) -> (PageUrl, String) {
    let pretty = site.cfg.pretty_urls;
    let url = PageUrl::from_slug(slug, pretty);
    let root = url.root_prefix();
    let crumbs = vec![context::Link {
        title: "Home".into(),
        url: crate::paths::href(&root, ""),
    }];
    ctx.insert(
        "page",
        &pages::page(site, title, slug, &url, crumbs, vec![]),
    );
    ctx.insert_value("site", shared.site_value(&root, pretty));
    (url, root)
}

fn sitemap(site: &Site) -> Page {
    let base = &site.cfg.base_url;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut push = |url: &str, lastmod: Option<&str>| {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&format!(
            "{base}{}",
            crate::paths::encode_url_path(url)
        )));
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(&xml_escape(d));
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    };
    push("", None);
    for (i, n) in site.notes.iter().enumerate() {
        push(&site.urls[i].url, n.updated.as_deref());
    }
    for (p, f) in &site.folders {
        if !p.is_empty() && f.folder_note.is_none() {
            push(&f.url.url, None);
        }
    }
    for t in site.tags.values() {
        push(&t.url.url, None);
    }
    for k in &site.kind_pages {
        if !site.folders.values().any(|f| f.url.url == k.url.url) {
            push(&k.url.url, None);
        }
    }
    out.push_str("</urlset>\n");
    Page {
        path: "sitemap.xml".into(),
        bytes: out.into_bytes(),
    }
}
