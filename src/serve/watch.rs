//! `serve`, the watcher (notify): turns the file events of one save into one batch. Access
//! events, Obsidian's `.obsidian/` churn, hidden files, editor swap and backup files are dropped;
//! the events left are collected until the vault is quiet for a moment, so that write-to-temp
//! and rename, or several writes per save, cause exactly one rebuild.

use super::engine::Trigger;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the vault must be quiet before a batch is closed.
pub const QUIET: Duration = Duration::from_millis(40);
/// The longest a batch is held open while events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(1000);

/// What is watched and how a path is classified.
#[derive(Debug, Clone)]
pub struct Watched {
    /// The vault (canonical).
    pub vault: PathBuf,
    /// Theme override folders (canonical): `[theme] dir` and `VAULT/.wikigen`.
    pub themes: Vec<PathBuf>,
    /// The configuration file, when there is one.
    pub config: Option<PathBuf>,
}

/// Is this file name an editor's temporary, swap or backup file?
pub fn is_editor_noise(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".temp",
            ".bak",
            ".crswap",
            ".part",
            ".kate-swp",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
}

impl Watched {
    /// What a change to `p` means, or `None` when it does not matter.
    pub fn classify(&self, p: &Path) -> Option<Trigger> {
        if self.config.as_deref() == Some(p) {
            return Some(Trigger {
                config: true,
                ..Default::default()
            });
        }
        if self.themes.iter().any(|t| p.starts_with(t)) {
            // A theme folder created at once with its files (`.wikigen/`) counts as a change.
            let name = p.file_name()?.to_string_lossy();
            return (self.themes.iter().any(|t| t == p) || !is_editor_noise(&name)).then_some(
                Trigger {
                    theme: true,
                    ..Default::default()
                },
            );
        }
        let rel = p.strip_prefix(&self.vault).ok()?;
        // Hidden folders (.obsidian, .git, .trash) and hidden or editor files never matter.
        for c in rel.components() {
            let s = c.as_os_str().to_string_lossy();
            if s.starts_with('.') {
                return None;
            }
        }
        let name = rel.file_name()?.to_string_lossy();
        if is_editor_noise(&name) {
            return None;
        }
        Some(Trigger::default())
    }
}

/// How many file-system events the watcher has received (work that a new event makes stale, like
/// the search index, stops when this moves).
pub static EVENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Starts watching; events arrive on the returned channel. Keep the watcher alive.
pub fn start(
    w: &Watched,
) -> notify::Result<(notify::RecommendedWatcher, Receiver<notify::Result<Event>>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e| {
        EVENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _ = tx.send(e);
    })?;
    watcher.watch(&w.vault, RecursiveMode::Recursive)?;
    for t in &w.themes {
        if t.is_dir() && !t.starts_with(&w.vault) {
            watcher.watch(t, RecursiveMode::Recursive)?;
        }
    }
    if let Some(c) = &w.config {
        if !c.starts_with(&w.vault) {
            if let Some(parent) = c.parent() {
                watcher.watch(parent, RecursiveMode::NonRecursive)?;
            }
        }
    }
    Ok((watcher, rx))
}

fn relevant(w: &Watched, e: &Event) -> Option<Trigger> {
    if matches!(e.kind, EventKind::Access(_) | EventKind::Other) {
        return None;
    }
    // Writing into a file (data or times), creating, removing or renaming one: the engine looks
    // at each path it names (a note rewritten, come or gone is taken in without walking the
    // vault; a folder or anything else makes it walk). Other events make it walk.
    let listed = matches!(
        e.kind,
        EventKind::Modify(
            ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any | ModifyKind::Name(_)
        ) | EventKind::Create(_)
            | EventKind::Remove(_)
    );
    let mut out: Option<Trigger> = None;
    for p in &e.paths {
        if let Some(t) = w.classify(p) {
            let vault_file = !t.config && !t.theme && listed;
            let o = out.get_or_insert_with(|| Trigger {
                edits: Some(Vec::new()),
                ..Default::default()
            });
            merge(
                o,
                Trigger {
                    edits: vault_file.then(|| vec![p.clone()]),
                    ..t
                },
            );
        }
    }
    out
}

/// Adds `t` to the batch `b`: the edits stay a list only while every change is one.
fn merge(b: &mut Trigger, t: Trigger) {
    b.config |= t.config;
    b.theme |= t.theme;
    b.edits = match (b.edits.take(), t.edits) {
        (Some(mut a), Some(more)) => {
            a.extend(more);
            Some(a)
        }
        _ => None,
    };
}

/// What waiting for events gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// A batch of changes.
    Batch(Trigger),
    /// Nothing happened within the idle time.
    Idle,
    /// The watcher is gone.
    Closed,
}

/// Waits for the next batch of relevant events: blocks until one arrives (or `idle` passes),
/// then collects until the vault has been quiet for [`QUIET`].
pub fn next_batch(
    w: &Watched,
    rx: &Receiver<notify::Result<Event>>,
    idle: Option<Duration>,
) -> Next {
    let mut batch: Option<Trigger> = None;
    let mut opened = Instant::now();
    loop {
        let ev = if batch.is_none() {
            let r = match idle {
                Some(d) => rx.recv_timeout(d),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match r {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => return Next::Idle,
                Err(RecvTimeoutError::Disconnected) => return Next::Closed,
            }
        } else {
            let left = MAX_BATCH.saturating_sub(opened.elapsed());
            match rx.recv_timeout(QUIET.min(left)) {
                Ok(e) => e,
                Err(_) => return batch.map_or(Next::Closed, Next::Batch),
            }
        };
        match ev {
            Ok(e) => {
                if let Some(t) = relevant(w, &e) {
                    log::debug!("watch: {:?} {:?}", e.kind, e.paths);
                    if batch.is_none() {
                        opened = Instant::now();
                    }
                    match &mut batch {
                        Some(b) => merge(b, t),
                        None => batch = Some(t),
                    }
                }
            }
            Err(e) => {
                // The watch may have lost events (e.g. an inotify overflow): rebuild to be safe.
                log::warn!("file watcher: {e}");
                match &mut batch {
                    Some(b) => merge(b, Trigger::default()),
                    None => batch = Some(Trigger::default()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Watched {
        Watched {
            vault: "/v".into(),
            themes: vec!["/v/.wikigen".into(), "/t".into()],
            config: Some("/v/wikigen.toml".into()),
        }
    }

    #[test]
    fn classifies_paths() {
        let w = w();
        assert_eq!(w.classify(Path::new("/v/a.md")), Some(Trigger::default()));
        assert_eq!(
            w.classify(Path::new("/v/img/x.png")),
            Some(Trigger::default())
        );
        assert!(w.classify(Path::new("/v/wikigen.toml")).unwrap().config);
        assert!(
            w.classify(Path::new("/v/.wikigen/templates/note.html"))
                .unwrap()
                .theme
        );
        assert!(w.classify(Path::new("/t/static/style.css")).unwrap().theme);
        for noise in [
            "/v/.obsidian/workspace.json",
            "/v/.git/index",
            "/v/.trash/a.md",
            "/v/.a.md.swp",
            "/v/a.md~",
            "/v/4913",
            "/v/#a.md#",
            "/v/a.md.tmp",
            "/v/.goutputstream-XYZ",
            "/elsewhere/a.md",
            "/t/templates/.note.html.swp",
        ] {
            assert_eq!(w.classify(Path::new(noise)), None, "{noise}");
        }
    }

    #[test]
    fn file_events_are_listed_and_anything_else_walks_the_vault() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        let w = w();
        let ev = |kind, p: &str| Event::new(kind).add_path(PathBuf::from(p));
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let t = relevant(&w, &ev(write, "/v/a.md")).unwrap();
        assert_eq!(t.edits, Some(vec![PathBuf::from("/v/a.md")]));
        let created = relevant(&w, &ev(EventKind::Create(CreateKind::File), "/v/b.md")).unwrap();
        assert_eq!(created.edits, Some(vec![PathBuf::from("/v/b.md")]));
        let removed = relevant(&w, &ev(EventKind::Remove(RemoveKind::Any), "/v/old")).unwrap();
        assert_eq!(removed.edits, Some(vec![PathBuf::from("/v/old")]));
        // A rename names both paths; a temporary file's name is dropped.
        let renamed = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/v/c.md.tmp"))
            .add_path(PathBuf::from("/v/c.md"));
        assert_eq!(
            relevant(&w, &renamed).unwrap().edits,
            Some(vec![PathBuf::from("/v/c.md")])
        );
        // A batch stays a list while every event names files; anything else makes it a walk.
        let mut b = t.clone();
        merge(&mut b, relevant(&w, &ev(write, "/v/d.md")).unwrap());
        merge(&mut b, created);
        assert_eq!(b.edits.as_ref().map(Vec::len), Some(3));
        let other = EventKind::Modify(ModifyKind::Other);
        merge(&mut b, relevant(&w, &ev(other, "/v/e.md")).unwrap());
        assert_eq!(b.edits, None);
        // The configuration is never an edit of the vault.
        let cfg = relevant(&w, &ev(write, "/v/wikigen.toml")).unwrap();
        assert!(cfg.config && cfg.edits.is_none());
    }
}
