//! The pipeline driver: load → parse → privacy filter → resolve → enrich → render → write, each
//! stage a plain function over the previous stage's output. Content problems become diagnostics;
//! only fatal plumbing (unreadable vault, bad theme, unwritable output) is an `Err`.

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::load::Vault;
use crate::parse::ParsedNote;
use crate::write::CopyFile;
use anyhow::Result;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use std::time::{Duration, Instant};

/// What to do with the rendered site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Write the site.
    Build,
    /// Everything but writing (`wikigen check`).
    Check,
    /// `check`, and keep the merged profiles whose name contains this text (`check --profiles`).
    Profiles(String),
}

/// What happened to one file of the vault.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    /// Vault path.
    pub path: String,
    /// `page`, `private`, `ignored`, `attachment-copied`, `attachment-unused`, `failed`.
    pub outcome: &'static str,
    /// URL of the page, for `page`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why, for `ignored` and `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The result of a build.
#[derive(Debug, Serialize)]
pub struct BuildReport {
    /// Markdown notes found.
    pub notes: usize,
    /// Notes published as pages.
    pub published: usize,
    /// Notes left out as private.
    pub private: usize,
    /// HTML pages rendered (notes, folders, tags, missing, home, 404).
    pub pages: usize,
    /// Files written (pages, assets, attachments), 0 for `check`.
    pub files_written: usize,
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file of the vault and what happened to it.
    pub files: Vec<FileOutcome>,
    /// The merged profiles (`check --profiles` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profiles: Option<serde_json::Value>,
    /// Wall time of each stage.
    #[serde(skip)]
    pub timings: Vec<(&'static str, Duration)>,
    /// Total wall time.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl BuildReport {
    /// Counts of diagnostics by severity.
    pub fn counts(&self) -> diag::Counts {
        diag::count(&self.diagnostics)
    }
}

/// Splits parsed notes into published ones and what links need of the private ones (their paths,
/// titles and aliases). This is the one place private notes are removed: nothing after this stage
/// ever sees their content.
pub fn publishable(notes: Vec<ParsedNote>) -> (Vec<ParsedNote>, crate::resolve::Private) {
    let private = crate::resolve::Private::of(&notes);
    let published = notes.into_iter().filter(|n| !n.private).collect();
    (published, private)
}

/// Wall time of each stage, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// Runs one stage, logging and recording its wall time.
pub fn stage<T>(timings: &mut Timings, name: &'static str, f: impl FnOnce() -> T) -> T {
    let (r, d) = timed(name, f);
    timings.push((name, d));
    r
}

/// What the previous analysis of the same vault leaves for the next one (`wikigen serve`). Valid
/// only when the vault has the same files, and each changed note kept its title, aliases, tags,
/// kind, headings, block ids and privacy: then only the changed notes' links, profiles and the
/// queries that read them need work. With `names_changed`, notes may also have been renamed,
/// created or deleted: `site` is then the last analysis renumbered (see [`crate::renumber`]),
/// so that a note has the same index in both.
pub struct Prior<'a> {
    /// The previous site (its notes may have been moved out).
    pub site: &'a crate::enrich::Site,
    /// Which published notes changed, by index (the same in both builds).
    pub dirty: Vec<bool>,
    /// Did the tasks of a changed note change (text, status, line, nesting or section)?
    pub tasks_changed: bool,
    /// Which changed notes have other list items or tasks than before (by index).
    pub items_changed: Vec<bool>,
    /// Changed notes have other names (path, title, aliases), tags or headings than before, and
    /// each is of the kind it was (a plain note, person, meeting or project). Links are then
    /// resolved again, with the notes whose links now go elsewhere counted as changed;
    /// profiles, meetings, tasks, unlinked mentions and query results are taken over where
    /// nothing they read changed (queries record the names and paths they read apart from the
    /// data; meetings and tasks the people and projects they name).
    pub names_changed: bool,
    /// With `names_changed`: the titles and aliases those notes had, and have now, and their
    /// file names.
    pub names: Vec<String>,
    /// With `names_changed`: which notes have other names (by index; empty otherwise).
    pub renamed: Vec<bool>,
}

/// The stages between parse and render: privacy filter, resolve, enrich, profiles and queries.
/// Returns the site ready to render and the paths of the private notes left out.
pub fn analyze(
    cfg: Config,
    parsed: Vec<ParsedNote>,
    attachments: Vec<crate::load::Attachment>,
    t: &mut Timings,
    diags: &mut Vec<Diagnostic>,
    progress: &ProgressBar,
) -> (crate::enrich::Site, Vec<String>) {
    let (notes, private) = publishable(parsed);
    let private_paths = private.paths.clone();
    let site = analyze_with(
        cfg,
        notes,
        private,
        attachments,
        t,
        diags,
        progress,
        None,
        false,
    );
    (site, private_paths)
}

/// [`analyze`] over the published notes and what links need of the private ones (see
/// [`publishable`]),
/// reusing what `prior` says is still valid, and keeping (`keep`) what the next rebuild can
/// reuse. The site is the same as [`analyze`]'s.
#[allow(clippy::too_many_arguments)]
pub fn analyze_with(
    cfg: Config,
    notes: Vec<ParsedNote>,
    private: crate::resolve::Private,
    attachments: Vec<crate::load::Attachment>,
    t: &mut Timings,
    diags: &mut Vec<Diagnostic>,
    progress: &ProgressBar,
    prior: Option<Prior<'_>>,
    keep: bool,
) -> crate::enrich::Site {
    use crate::resolve::Target;
    let mut prior = prior
        .filter(|p| p.dirty.len() == notes.len() && p.site.resolved.targets.len() == notes.len());
    let names_changed = prior.as_ref().is_some_and(|p| p.names_changed);
    progress.set_message("resolving links");
    // The renamed notes' names, as the link and query stages compare them.
    let name_hashes: Vec<u64> = match &prior {
        Some(p) if p.names_changed => {
            let mut v: Vec<u64> = p
                .names
                .iter()
                .map(|n| crate::query::reads::name_hash(n))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        _ => Vec::new(),
    };
    let resolved = stage(t, "resolve", || {
        let before = prior.as_ref().map(|p| crate::resolve::Prior {
            resolved: &p.site.resolved,
            dirty: &p.dirty,
            renamed: &name_hashes,
            names: if name_hashes.is_empty() {
                &[]
            } else {
                &p.names
            },
        });
        crate::resolve::resolve_with(&notes, &private, &attachments, &cfg, diags, before, keep)
    });
    if let Some(p) = prior.as_mut().filter(|p| p.names_changed) {
        // Names changed: the notes whose links now resolve differently count as changed too.
        let old = &p.site.resolved;
        for (i, d) in p.dirty.iter_mut().enumerate() {
            *d = *d || !crate::resolve::same_targets(old, i, &resolved, i);
        }
    }
    // The notes the changed notes link to, before or now: their inlinks may differ.
    let linked: Vec<bool> = match &prior {
        Some(p) => {
            let mut linked = vec![false; notes.len()];
            for i in (0..notes.len()).filter(|&i| p.dirty[i]) {
                for t in p.site.resolved.targets[i]
                    .iter()
                    .chain(resolved.targets[i].iter())
                {
                    if let Target::Note { note, .. } = t {
                        linked[*note] = true;
                    }
                }
            }
            linked
        }
        None => Vec::new(),
    };
    let tasks_changed = prior.as_ref().is_some_and(|p| p.tasks_changed);
    let mut site = stage(t, "enrich", || match &prior {
        Some(p) if !names_changed => {
            crate::enrich::enrich_with(cfg, notes, resolved, attachments, diags, p.site)
        }
        _ => crate::enrich::enrich(cfg, notes, resolved, attachments, diags),
    });
    // Profiles and unlinked mentions on one side, queries on the other: neither reads what the
    // other makes (queries take the tasks' metadata from the last build, or parse it).
    progress.set_message("merging profiles, running queries");
    let (mut people_diags, mut query_diags) = (Vec::new(), Vec::new());
    let ((people, mentions), queries) = rayon::join(
        || {
            let people = timed("profiles", || match &prior {
                Some(p) => crate::people::build_with(
                    &site.notes,
                    &site.resolved,
                    &site.cfg,
                    &mut people_diags,
                    &p.site.people,
                    &p.dirty,
                ),
                None => {
                    crate::people::build(&site.notes, &site.resolved, &site.cfg, &mut people_diags)
                }
            });
            let mentions = timed("mentions", || {
                let limit = site.cfg.unlinked_mentions;
                let before = prior
                    .as_ref()
                    .map(|p| (&p.site.mentions, p.dirty.as_slice()));
                let names = prior.as_ref().map_or(&[][..], |p| &p.names[..]);
                crate::mentions::find_with(&site.notes, &site.resolved, limit, before, names)
            });
            (people, mentions)
        },
        || {
            timed("queries", || {
                let before = prior.as_ref().map(|p| crate::query::Prior {
                    results: &p.site.queries,
                    changed: &p.dirty,
                    items_changed: &p.items_changed,
                    linked: &linked,
                    tasks_changed,
                    tasks: &p.site.people.tasks,
                    renamed: &p.renamed,
                    names: &name_hashes,
                });
                crate::query::evaluate_with(&site, &mut query_diags, before, keep)
            })
        },
    );
    for (name, d) in [
        ("profiles", people.1),
        ("mentions", mentions.1),
        ("queries", queries.1),
    ] {
        t.push((name, d));
    }
    diags.append(&mut people_diags);
    diags.append(&mut query_diags);
    site.people = people.0;
    site.mentions = mentions.0;
    site.queries = queries.0;
    site
}

/// Runs `f`, logging its wall time as stage `name`, and returns its result with that time.
fn timed<T>(name: &'static str, f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    let d = t.elapsed();
    log::info!(
        "{name}: {:.1} ms{}",
        d.as_secs_f64() * 1000.0,
        resident()
            .map(|mb| format!(" (resident {mb} MB)"))
            .unwrap_or_default()
    );
    (r, d)
}

/// The process's resident memory in MB, where the system tells it (Linux), for the stage log.
fn resident() -> Option<u64> {
    if !log::log_enabled!(log::Level::Info) {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Runs the whole pipeline.
pub fn build(cfg: Config, mode: Mode, force: bool, progress: &ProgressBar) -> Result<BuildReport> {
    let start = Instant::now();
    let mut t = Vec::new();
    if mode == Mode::Build {
        crate::write::check_output(&cfg.output, &cfg.vault, force)?;
    }
    let mut diags = Vec::new();
    let theme = crate::render::theme::load(cfg.theme_dir.as_deref(), &cfg.vault, &mut diags)?;
    progress.set_message("reading the vault");
    let mut vault: Vault = stage(&mut t, "load", || crate::load::load(&cfg))?;
    diags.append(&mut vault.diagnostics);
    progress.set_message("parsing notes");
    // The parsed notes keep their text: the read copy is freed (its memory serves the stages
    // after, which then need fewer fresh pages from the system).
    let sources = std::mem::take(&mut vault.notes);
    let (parsed, mut d) = stage(&mut t, "parse", || crate::parse::parse_all(&sources, &cfg));
    drop(sources);
    diags.append(&mut d);
    let note_count = parsed.len();
    let (mut site, private_paths) = analyze(
        cfg,
        parsed,
        std::mem::take(&mut vault.attachments),
        &mut t,
        &mut diags,
        progress,
    );
    // The search index and the graph's data (with its layout) are built before the pages, which
    // name their versions; side by side, since each has steps that run on one core.
    let ((index, search_time), (graph, graph_time)) = rayon::join(
        || timed("search", || crate::search::build(&site)),
        || {
            timed("graph", || {
                crate::graph::data(&site, &mut crate::graph::Cache::default())
            })
        },
    );
    t.push(("search", search_time));
    t.push(("graph", graph_time));
    site.search_version = crate::search::version(&index);
    site.graph_version = graph
        .as_ref()
        .map(|g| crate::search::version(std::slice::from_ref(g)))
        .unwrap_or_default();
    progress.set_message("rendering pages");
    let page_jobs =
        site.notes.len() + site.folders.len() + site.tags.len() + site.resolved.missing.len() + 3;
    progress.set_length(page_jobs as u64);
    progress.set_position(0);
    let inc = |n: u64| progress.inc(n);
    let copies: Vec<CopyFile> = site
        .attachments
        .iter()
        .enumerate()
        .filter(|(i, _)| site.resolved.used_attachments[*i])
        .map(|(_, a)| CopyFile {
            from: a.abs.clone(),
            to: crate::enrich::attachment_url(a),
        })
        .collect();
    // Render and write are one parallel pass: each page goes to the staging folder as soon as it
    // is rendered (the write stage's `Staging`), so I/O overlaps rendering and no page is kept.
    let (html_pages, files_written) = if mode == Mode::Build {
        let staging = crate::write::Staging::create(&site.cfg.output)?;
        let write = || -> Result<(usize, usize)> {
            let html = stage(&mut t, "render+write", || {
                crate::render::render(&site, &theme, &mut diags, &inc, &|p| staging.put(&p))
            })?;
            stage(&mut t, "search (write)", || {
                index.into_par_iter().try_for_each(|p| staging.put(&p))
            })?;
            if let Some(g) = graph {
                staging.put(&g)?;
            }
            progress.set_message("writing the site");
            let files = stage(&mut t, "swap", || {
                staging.copy_all(&copies)?;
                staging.finish()
            })?;
            Ok((html, files))
        };
        write().map_err(|e| crate::write::explain(e, &site.cfg.output))?
    } else {
        let html = stage(&mut t, "render", || {
            crate::render::render(&site, &theme, &mut diags, &inc, &|_| Ok(()))
        })?;
        drop((index, graph));
        (html, 0)
    };
    let files = outcomes(&site, &vault, &private_paths);
    let profiles = match &mode {
        Mode::Profiles(filter) => Some(crate::people::summary::profiles(
            &site.people,
            &site.notes,
            filter,
        )),
        _ => None,
    };
    diag::sort(&mut diags);
    diags.dedup();
    let published = site.notes.len();
    drop_in_background(site);
    Ok(BuildReport {
        notes: note_count,
        published,
        private: private_paths.len(),
        pages: html_pages,
        files_written,
        diagnostics: diags,
        files,
        profiles,
        timings: t,
        elapsed: start.elapsed(),
    })
}

/// Frees a large value on a thread of its own: taking apart the site's millions of strings and
/// maps costs about 1% of a build's CPU, which the command line, about to exit, need not wait
/// for. (If no thread can be started, it is freed here.)
fn drop_in_background<T: Send + 'static>(v: T) {
    let _ = std::thread::Builder::new()
        .name("wikigen-free".into())
        .spawn(move || drop(v));
}

fn outcomes(site: &crate::enrich::Site, vault: &Vault, private: &[String]) -> Vec<FileOutcome> {
    let mut v: Vec<FileOutcome> = Vec::new();
    for (i, n) in site.notes.iter().enumerate() {
        v.push(FileOutcome {
            path: n.path.clone(),
            outcome: "page",
            url: Some(site.urls[i].url.clone()),
            reason: None,
        });
    }
    for p in private {
        v.push(FileOutcome {
            path: p.clone(),
            outcome: "private",
            url: None,
            reason: None,
        });
    }
    for (i, a) in site.attachments.iter().enumerate() {
        let used = site.resolved.used_attachments[i];
        v.push(FileOutcome {
            path: a.path.clone(),
            outcome: if used {
                "attachment-copied"
            } else {
                "attachment-unused"
            },
            url: used.then(|| crate::enrich::attachment_url(a)),
            reason: None,
        });
    }
    for s in &vault.skipped {
        let failed = s.reason == "unreadable";
        v.push(FileOutcome {
            path: s.path.clone(),
            outcome: if failed { "failed" } else { "ignored" },
            url: None,
            reason: Some(s.reason.clone()),
        });
    }
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}
