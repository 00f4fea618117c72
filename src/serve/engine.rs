//! `serve`, rebuild engine: keeps the last build in memory and, on a change, re-reads and
//! re-parses only the notes whose file changed, re-runs the link, profile and query stages,
//! renders only the pages the change can reach ([`super::affected`]), and writes only the files
//! whose bytes changed into a private folder that the server reads.

use super::early::Live;
use super::files::{hash_bytes, lock, site_path, write_atomic};
use crate::build::{analyze_with, stage, Timings};
use crate::config::{Config, Overrides};
use crate::diag::{Code, Diagnostic, Severity};
use crate::enrich::Site;
use crate::load::Scan;
use crate::parse::ParsedNote;
use crate::render::{theme::Theme, Page};
use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

mod gather;
mod scan;

/// Where the configuration comes from, so that a changed `wikigen.toml` can be read again.
#[derive(Debug, Clone)]
pub struct Source {
    /// The vault folder.
    pub vault: PathBuf,
    /// `--config`, when given.
    pub config: Option<PathBuf>,
    /// Command-line overrides.
    pub overrides: Overrides,
}

impl Source {
    /// Reads and validates the configuration, adjusted for serving: the site lives at `/`,
    /// pages are not minified, and the output is `out`.
    pub fn config(&self, out: &Path) -> Result<Config> {
        let mut cfg = crate::config::load(&self.vault, self.config.as_deref(), &self.overrides)?;
        cfg.base_url = "/".into();
        cfg.minify = crate::config::Minify::None;
        cfg.output = out.to_path_buf();
        Ok(cfg)
    }
}

/// Size and modification time: a note whose stamp is unchanged is not read again.
type Stamp = (Option<SystemTime>, u64);

fn stamp(p: &Path) -> Stamp {
    match std::fs::metadata(p) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, u64::MAX),
    }
}

/// What is remembered of one note file between rebuilds.
struct Entry {
    stamp: Stamp,
    /// Decoding and parsing diagnostics (replayed while the note is unchanged).
    diags: Vec<Diagnostic>,
}

/// What kind of change triggered a rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trigger {
    /// `wikigen.toml` changed.
    pub config: bool,
    /// A template or theme file changed.
    pub theme: bool,
    /// `Some`: the change only wrote, created, removed or renamed these files of the vault: when
    /// each is a note (or a rewritten attachment), the vault need not be walked again. `None`:
    /// walk it.
    pub edits: Option<Vec<PathBuf>>,
}

/// The result of one rebuild.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Site paths (`people/ada/`, `_wikigen/style.css`) whose file was written or removed.
    pub changed: Vec<String>,
    /// Whether every page was rendered (a structural change) or only the affected ones.
    pub full: bool,
    /// Pages rendered.
    pub rendered: usize,
    /// Notes read and parsed again.
    pub reparsed: usize,
    /// Whether the vault was walked (not when the watcher named every file that changed, and
    /// each was a note, or a rewritten attachment).
    pub walked: bool,
    /// Whether links, profiles and queries were taken over from the last build where the change
    /// cannot affect them (every note kept its title, aliases, tags and headings).
    pub incremental: bool,
    /// Errors that break the build (template, configuration): shown as an overlay.
    pub errors: Vec<Diagnostic>,
    /// Every diagnostic of the build.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of each stage.
    pub timings: Timings,
    /// Total wall time, up to the reload.
    pub elapsed: Duration,
    /// The reload was sent during the rebuild, once the pages open in a browser were written
    /// (see [`super::early`]); `elapsed` is then the time up to that moment.
    pub early_reload: bool,
    /// Note pages that moved with a renamed note (open tabs follow them).
    pub moved: Vec<super::moved::Moved>,
}

/// The serve engine: the last build, kept in memory.
pub struct Engine {
    source: Source,
    out: PathBuf,
    cfg: Config,
    theme: Theme,
    entries: HashMap<String, Entry>,
    site: Option<Site>,
    /// Hash of every file in the output folder, by site-relative file path.
    written: Mutex<HashMap<String, u64>>,
    /// Attachments copied, with the stamp of their source.
    copied: HashMap<String, Stamp>,
    /// Errors of the theme files that are being held back (the last good theme stays in use).
    theme_errors: Vec<Diagnostic>,
    /// [`super::affected::signature`] of every note of the last build, by path.
    signatures: HashMap<String, u64>,
    /// Private notes, parsed (they have no page, but resolution needs their paths).
    private_notes: Vec<ParsedNote>,
    /// The titles and aliases of the private notes, as of the last rebuild.
    private_names: Vec<String>,
    /// The vault's files as last walked.
    last_scan: Option<Scan>,
    /// Diagnostics found while rendering, kept for the pages a partial rebuild does not render.
    render_diags: Vec<Diagnostic>,
    /// The graph layout, redone only when the links change.
    graph: crate::graph::Cache,
}

/// Records the time since `mark` as the step `name` (the bookkeeping between stages).
fn lap(t: &mut Timings, name: &'static str, mark: &mut Instant) {
    t.push((name, mark.elapsed()));
    *mark = Instant::now();
}

impl Engine {
    /// Reads the configuration and the theme; the first [`Engine::rebuild`] builds the site into
    /// `out` (a folder the caller created for the server).
    pub fn new(source: Source, out: PathBuf) -> Result<Engine> {
        let cfg = source.config(&out)?;
        let mut diags = Vec::new();
        let theme = crate::render::theme::load(cfg.theme_dir.as_deref(), &cfg.vault, &mut diags)?;
        Ok(Engine {
            source,
            out,
            cfg,
            theme,
            entries: HashMap::new(),
            site: None,
            written: Mutex::new(HashMap::new()),
            copied: HashMap::new(),
            theme_errors: diags
                .into_iter()
                .filter(|d| d.code == Code::TemplateError)
                .collect(),
            signatures: HashMap::new(),
            private_notes: Vec::new(),
            private_names: Vec::new(),
            last_scan: None,
            render_diags: Vec::new(),
            graph: crate::graph::Cache::default(),
        })
    }

    /// The URL of each published note's page (site-relative), by vault path.
    pub fn note_urls(&self) -> HashMap<String, String> {
        self.site
            .iter()
            .flat_map(|site| {
                site.notes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.path.clone(), site.link_url(i).url.clone()))
            })
            .collect()
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The theme override folders and the configuration file: what is watched besides the vault.
    pub fn watched_extras(&self) -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Some(t) = &self.cfg.theme_dir {
            v.push(t.clone());
        }
        if let Some(c) =
            crate::config::find_config_file(&self.source.vault, self.source.config.as_deref())
        {
            v.push(c);
        }
        v
    }

    /// Rebuilds after a change: reads what changed, renders what it can affect, writes what
    /// differs. Never panics on bad input: a broken template or configuration is returned in
    /// [`Outcome::errors`] and the last good site stays in place.
    pub fn rebuild(&mut self, trigger: Trigger, live: &dyn Live) -> Outcome {
        let o = self.rebuild_held(trigger, live);
        // Whatever happened, requests held for the rebuild are served again.
        live.release();
        o
    }

    fn rebuild_held(&mut self, trigger: Trigger, live: &dyn Live) -> Outcome {
        let start = Instant::now();
        let mut t: Timings = Vec::new();
        let mut errors = Vec::new();
        let mut full = self.site.is_none();
        if trigger.config {
            match self.source.config(&self.out) {
                Ok(cfg) => {
                    self.cfg = cfg;
                    // Parsing depends on the configuration: read every note again.
                    self.entries.clear();
                    full = true;
                }
                Err(e) => errors.push(config_error(&self.source, &e)),
            }
        }
        if trigger.theme || trigger.config {
            let mut diags = Vec::new();
            match crate::render::theme::load(
                self.cfg.theme_dir.as_deref(),
                &self.cfg.vault,
                &mut diags,
            ) {
                Ok(theme) => {
                    self.theme_errors = diags
                        .into_iter()
                        .filter(|d| d.code == Code::TemplateError)
                        .collect();
                    if self.theme_errors.is_empty() {
                        self.theme = theme;
                        full = true;
                    }
                }
                Err(e) => errors.push(Diagnostic::new(
                    Severity::Error,
                    Code::TemplateError,
                    "theme",
                    0,
                    0,
                    format!("{e:#}"),
                    "fix the theme; the last good theme stays in use",
                )),
            }
        }
        errors.extend(self.theme_errors.iter().cloned());
        if !errors.is_empty() && self.site.is_some() {
            // A broken configuration or theme: keep the last good site, show the errors.
            return Outcome {
                errors: errors.clone(),
                diagnostics: errors,
                elapsed: start.elapsed(),
                ..Default::default()
            };
        }
        match self.rebuild_site(full, trigger.edits.as_deref(), &mut t, live, start) {
            Ok(mut o) => {
                o.errors.extend(errors);
                o.timings = t;
                if !o.early_reload {
                    o.elapsed = start.elapsed();
                }
                o
            }
            Err(e) => {
                let d = Diagnostic::new(
                    Severity::Error,
                    Code::InternalError,
                    self.source.vault.display().to_string(),
                    0,
                    0,
                    format!("{e:#}"),
                    "fix the problem; the last good site stays in place",
                );
                Outcome {
                    errors: vec![d.clone()],
                    diagnostics: vec![d],
                    elapsed: start.elapsed(),
                    ..Default::default()
                }
            }
        }
    }

    fn rebuild_site(
        &mut self,
        mut full: bool,
        edits: Option<&[PathBuf]>,
        t: &mut Timings,
        live: &dyn Live,
        start: Instant,
    ) -> Result<Outcome> {
        let pb = ProgressBar::hidden();
        let mut diags: Vec<Diagnostic> = Vec::new();
        // Neither the theme nor the configuration changed: the theme's files stay as they are.
        let assets_same = !full;
        // Load: walk the vault (unless the watcher named every file that changed and each is a
        // note or an attachment); read only the notes written or new.
        let (scan, named) = stage(t, "load", || self.scan(full, edits))?;
        let walked = named.is_none();
        diags.extend(scan.diagnostics.iter().cloned());
        let mut old_site = self.site.take();
        let g = self.gather(&scan, named.as_ref(), old_site.as_mut(), t);
        let mut mark = Instant::now();
        let attachments = scan.attachments.clone();
        self.last_scan = Some(scan);
        let gone = g.gone;
        full |= gone;
        diags.extend(g.diags);
        let (notes, private, changed_paths, old_notes, was_private, reparsed) = (
            g.published,
            g.private,
            g.changed,
            g.before,
            g.was_private,
            g.reparsed,
        );
        // The changed notes, by index (notes are sorted by path).
        let changed_at: Vec<usize> = {
            let mut v: Vec<usize> = changed_paths
                .iter()
                .filter_map(|p| crate::parse::find(&notes, p))
                .collect();
            v.sort_unstable();
            v
        };
        // The stages can reuse the last analysis when the vault has the same files and every
        // changed note kept what other notes depend on (see `affected::signature`); for private
        // notes, that is their names, which links may use.
        let private_links = crate::resolve::Private::of(&private);
        let same_files = private_links.names == self.private_names
            && old_site.as_ref().is_some_and(|old| {
                old.attachments.len() == attachments.len()
                    && old
                        .attachments
                        .iter()
                        .zip(&attachments)
                        .all(|(a, b)| a.path == b.path)
            })
            && changed_paths
                .iter()
                .filter(|p| crate::parse::find(&private, p).is_some())
                .all(|p| {
                    !self.signatures.contains_key(p.as_str()) && was_private.contains(p.as_str())
                });
        let same_signature =
            |n: &ParsedNote| self.signatures.get(&n.path) == Some(&super::affected::signature(n));
        let stable = !full && same_files && changed_at.iter().all(|&i| same_signature(&notes[i]));
        // Renamed notes, paired with what they were (a tab open on one follows it), new notes and
        // deleted ones.
        let renamed = super::moved::renames(&old_notes, &changed_paths, &notes);
        let went: Vec<&ParsedNote> = old_notes
            .values()
            .filter(|(j, _)| renamed.went.contains(j))
            .map(|(_, o)| o)
            .collect();
        // How the last build's notes are numbered in this one: as before, unless renamed notes
        // sort elsewhere or notes came or went (not needed when the notes kept their names).
        let renumber = old_site
            .as_ref()
            .filter(|_| !stable)
            .and_then(|old| renamed.renumber(old.urls.len(), notes.len()));
        // The names those notes had and have now, and where they are.
        let mut names: Vec<String> = Vec::new();
        let mut renamed_at: Vec<usize> = Vec::new();
        // The names a note goes by: title, aliases, file name.
        let names_of = |n: &ParsedNote, names: &mut Vec<String>| {
            names.push(n.title.clone());
            names.extend(n.aliases.iter().cloned());
            let file = crate::paths::file_name(&n.path);
            names.push(crate::paths::strip_md(file).to_string());
        };
        // A change of names: notes renamed or moved (wherever their new path sorts: the last
        // analysis is renumbered), given another title, aliases, tags or headings, each staying
        // the kind of note it was (plain note, person, meeting, project), new notes and deleted
        // ones. Links are resolved again and the stages that read names run again; profiles,
        // meetings and tasks are taken over wherever nothing they read changed.
        let renamed_in_place = !stable
            && assets_same
            && same_files
            && renumber.is_some()
            && changed_at.iter().all(|&i| {
                let n = &notes[i];
                if renamed.came.contains(&i) {
                    // A new note: the names it brings can find it.
                    names_of(n, &mut names);
                    renamed_at.push(i);
                    return true;
                }
                if same_signature(n) {
                    return true;
                }
                let old = old_notes
                    .get(&n.path)
                    .or_else(|| {
                        old_notes.values().find(|(j, o)| {
                            renumber.as_ref().and_then(|r| r.get(*j)) == Some(i) && o.path != n.path
                        })
                    })
                    .map(|(_, o)| o);
                match old {
                    Some(o) if o.kind == n.kind => {
                        names_of(o, &mut names);
                        names_of(n, &mut names);
                        renamed_at.push(i);
                        true
                    }
                    _ => false,
                }
            });
        if renamed_in_place {
            // Deleted notes: the names they went by find other notes, or none, now.
            for o in &went {
                names_of(o, &mut names);
            }
        }
        // The changed notes whose tasks, list items, or card on folder and tag pages changed.
        let differs = |sig: fn(&ParsedNote) -> u64| -> Vec<usize> {
            changed_at
                .iter()
                .copied()
                .filter(|&i| {
                    let n = &notes[i];
                    old_notes.get(&n.path).map(|(_, o)| sig(o)) != Some(sig(n))
                })
                .collect()
        };
        let paths = |at: &[usize]| -> HashSet<String> {
            at.iter().map(|&i| notes[i].path.clone()).collect()
        };
        let task_paths = paths(&differs(super::affected::task_signature));
        let card_paths = paths(&differs(super::affected::card_signature));
        // (Tasks blocks read every task: a deleted note's tasks count too.)
        let tasks_changed = !task_paths.is_empty() || went.iter().any(|o| !o.tasks.is_empty());
        // Flags over the published notes.
        let published = |at: &[usize]| -> Vec<bool> {
            let mut flags = vec![false; notes.len()];
            at.iter().for_each(|&i| flags[i] = true);
            flags
        };
        let items_changed = published(&differs(super::affected::items_signature));
        let dirty = published(&changed_at);
        // What the pages a changed note links to showed of it.
        let old_views: HashMap<String, super::affected::LinkView> = match &old_site {
            Some(old) => old_notes
                .iter()
                .map(|(p, (i, n))| (p.clone(), super::affected::link_view(n, *i, old)))
                .collect(),
            None => HashMap::new(),
        };
        drop(old_notes);
        lap(t, "entries", &mut mark);
        // Private notes stay here for the next rebuild; no stage after this sees their content.
        self.private_names = private_links.names.clone();
        self.private_notes = private;
        // After notes were renamed to sort elsewhere, created or deleted: the last analysis,
        // numbered as the notes are now.
        let renumbered = match (&old_site, &renumber) {
            (Some(old), Some(r)) if renamed_in_place && !r.is_identity() => {
                Some(stage(t, "renumber", || old.renumbered(r)))
            }
            _ => None,
        };
        let prior = match renumbered.as_ref().or(old_site.as_ref()) {
            Some(old) if stable || renamed_in_place => Some(crate::build::Prior {
                site: old,
                dirty,
                tasks_changed,
                items_changed,
                names_changed: renamed_in_place,
                names,
                renamed: if renamed_in_place {
                    published(&renamed_at)
                } else {
                    Vec::new()
                },
            }),
            _ => None,
        };
        lap(t, "reuse", &mut mark);
        let mut site = analyze_with(
            self.cfg.clone(),
            notes,
            private_links,
            attachments,
            t,
            &mut diags,
            &pb,
            prior,
            true,
        );
        site.search_version = "serve".into();
        site.graph_version = "serve".into();
        // The graph is the same when the analysis was taken over (same notes, titles, tags,
        // kinds) and no changed note links elsewhere than before.
        // The changed published notes, by index in the site.
        let changed_pages: Vec<usize> = changed_paths
            .iter()
            .filter_map(|p| crate::parse::find(&site.notes, p))
            .collect();
        let graph_same = stable
            && old_site.as_ref().is_some_and(|old| {
                old.resolved.missing.len() == site.resolved.missing.len()
                    && changed_pages
                        .iter()
                        .all(|&i| old.resolved.targets.get(i) == site.resolved.targets.get(i))
            });
        let selection = match (&old_site, full) {
            (Some(old), false) => stage(t, "affected", || {
                let change = super::affected::Change {
                    paths: &changed_paths,
                    old_sigs: &self.signatures,
                    old_views: &old_views,
                    tasks: &task_paths,
                    cards: &card_paths,
                };
                super::affected::pages(old, &site, &change)
            }),
            _ => None,
        };
        let moved = match &old_site {
            Some(old) => super::moved::pages(old, &site, &renamed.pairs),
            None => Vec::new(),
        };
        // Freeing the last site takes tens of milliseconds on a large vault: not on the way
        // to the reload.
        std::thread::spawn(move || drop((old_site, renumbered)));
        self.signatures = stage(t, "signatures", || {
            if stable {
                // Same notes: only the changed ones can have a new signature.
                let mut sigs = std::mem::take(&mut self.signatures);
                for n in changed_pages.iter().map(|&i| &site.notes[i]) {
                    sigs.insert(n.path.clone(), super::affected::signature(n));
                }
                sigs
            } else {
                site.notes
                    .iter()
                    .map(|n| (n.path.clone(), super::affected::signature(n)))
                    .collect()
            }
        });
        let full = selection.is_none();
        let produced: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
        let changed: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let sink = |p: Page| -> Result<()> {
            self.put(&p, &changed)?;
            lock(&produced).insert(p.path);
            Ok(())
        };
        let mut render_diags = Vec::new();
        // The pages open in a browser first; once they are written, the reload goes out and
        // requests for anything else wait for the rest.
        let open = super::moved::follow(&live.open_pages(), &moved);
        let first = super::early::first(&site, selection.as_ref(), &open);
        let mut early = None;
        let mut rendered = stage(t, "render (open pages)", || -> Result<usize> {
            let Some(first) = &first else { return Ok(0) };
            let mut d = Vec::new();
            let n = crate::render::render_selected(
                &site,
                &self.theme,
                Some(first),
                &mut d,
                &|_| {},
                &sink,
            )?;
            let broken = d.iter().any(|x| x.code == Code::TemplateError);
            render_diags.extend(d);
            if !broken && selection.is_none() && assets_same {
                // A structural change: the folder tree is the one theme file that changes.
                sink(Page {
                    path: crate::render::explorer::PATH.into(),
                    bytes: crate::render::explorer::json(&site),
                })?;
            }
            let now: Vec<String> = lock(&changed).iter().map(|f| site_path(f)).collect();
            if !broken && !now.is_empty() {
                live.hold(super::early::Fresh {
                    files: lock(&produced).clone(),
                    assets: assets_same,
                });
                live.reload(&now, &moved);
                early = Some(start.elapsed());
            }
            Ok(n)
        })?;
        let rest = super::early::rest(selection.as_ref(), first.as_ref());
        let n = stage(t, "render+write", || {
            crate::render::render_selected(
                &site,
                &self.theme,
                rest.as_ref(),
                &mut render_diags,
                &|_| {},
                &sink,
            )
        })?;
        // A full rebuild renders the open pages again (unchanged, so not written again).
        rendered = if rest.is_some() { rendered + n } else { n };
        if let Some(sel) = &selection {
            // Pages not rendered this time keep the diagnostics of their last rendering.
            let rendered_paths: HashSet<&str> = sel
                .notes
                .iter()
                .map(|&i| site.notes[i].path.as_str())
                .collect();
            let kept: Vec<Diagnostic> = std::mem::take(&mut self.render_diags)
                .into_iter()
                .filter(|d| !rendered_paths.contains(d.file.as_str()))
                .collect();
            render_diags.extend(kept);
        }
        diags.extend(render_diags.iter().cloned());
        self.render_diags = render_diags;
        let mut produced = produced.into_inner().unwrap_or_default();
        let mut changed = changed.into_inner().unwrap_or_default();
        // The graph data, unless it cannot have changed; laid out again only when the links
        // changed.
        if site.cfg.graph.enabled {
            produced.insert(crate::graph::DATA_PATH.to_string());
            if !graph_same {
                if let Some(g) = stage(t, "graph", || crate::graph::data(&site, &mut self.graph)) {
                    let c = Mutex::new(Vec::new());
                    self.put(&g, &c)?;
                    changed.extend(c.into_inner().unwrap_or_default());
                }
            }
        }
        stage(t, "attachments", || {
            self.copy_attachments(&site, &mut produced, &mut changed)
        })?;
        if full {
            self.remove_stale(&produced, &mut changed, |p| {
                !p.starts_with("_wikigen/search/")
            });
        }
        stage(t, "diagnostics", || {
            crate::diag::sort(&mut diags);
            diags.dedup();
        });
        let errors: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.code == Code::TemplateError)
            .cloned()
            .collect();
        self.site = Some(site);
        Ok(Outcome {
            changed: changed.iter().map(|f| site_path(f)).collect(),
            full,
            rendered,
            reparsed,
            walked,
            incremental: stable || renamed_in_place,
            errors,
            diagnostics: diags,
            elapsed: early.unwrap_or_default(),
            early_reload: early.is_some(),
            moved,
            ..Default::default()
        })
    }

    /// Rebuilds the search index of the current site and writes the files that changed
    /// (after the reload, so that search never delays it). Gives up, returning `None`, as soon
    /// as `stop` says so.
    pub fn update_search(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Vec<String>>> {
        let Some(site) = &self.site else {
            return Ok(Some(Vec::new()));
        };
        let Some(index) = crate::search::build_unless(site, stop) else {
            return Ok(None);
        };
        let changed = Mutex::new(Vec::new());
        let mut produced = HashSet::new();
        for p in &index {
            self.put(p, &changed)?;
            produced.insert(p.path.clone());
        }
        let mut changed = changed.into_inner().unwrap_or_default();
        self.remove_stale(&produced, &mut changed, |p| {
            p.starts_with("_wikigen/search/")
        });
        Ok(Some(changed))
    }

    /// Writes one file if its bytes differ from what the folder holds.
    fn put(&self, p: &Page, changed: &Mutex<Vec<String>>) -> Result<()> {
        let h = hash_bytes(&p.bytes);
        {
            let written = lock(&self.written);
            if written.get(&p.path) == Some(&h) {
                return Ok(());
            }
        }
        write_atomic(&self.out.join(&p.path), &p.bytes)?;
        lock(&self.written).insert(p.path.clone(), h);
        lock(changed).push(p.path.clone());
        Ok(())
    }

    fn copy_attachments(
        &mut self,
        site: &Site,
        produced: &mut HashSet<String>,
        changed: &mut Vec<String>,
    ) -> Result<()> {
        for (i, a) in site.attachments.iter().enumerate() {
            if !site.resolved.used_attachments[i] {
                continue;
            }
            let to = crate::enrich::attachment_url(a);
            let st = stamp(&a.abs);
            produced.insert(to.clone());
            if self.copied.get(&to) == Some(&st) {
                continue;
            }
            super::files::not_stopping()?;
            let target = self.out.join(&to);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(&a.abs, &target).with_context(|| {
                format!(
                    "cannot copy `{}` to `{}`",
                    a.abs.display(),
                    target.display()
                )
            })?;
            self.copied.insert(to.clone(), st);
            changed.push(to);
        }
        Ok(())
    }

    /// Removes files of earlier builds that this one no longer produces (among those `scope`
    /// accepts).
    fn remove_stale(
        &mut self,
        produced: &HashSet<String>,
        changed: &mut Vec<String>,
        scope: impl Fn(&str) -> bool,
    ) {
        let written = self.written.get_mut().unwrap_or_else(|e| e.into_inner());
        let stale: Vec<String> = written
            .keys()
            .chain(self.copied.keys())
            .filter(|p| scope(p) && !produced.contains(*p))
            .cloned()
            .collect();
        for p in stale {
            let _ = std::fs::remove_file(self.out.join(&p));
            written.remove(&p);
            self.copied.remove(&p);
            changed.push(p);
        }
    }
}

fn config_error(source: &Source, e: &anyhow::Error) -> Diagnostic {
    let file = crate::config::find_config_file(&source.vault, source.config.as_deref())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "wikigen.toml".into());
    Diagnostic::new(
        Severity::Error,
        Code::ConfigError,
        file,
        0,
        0,
        format!("{e:#}"),
        "fix the configuration; the last good one stays in use",
    )
}
