//! `serve`, the site folder's files: atomic writes, content hashes and site paths.

use anyhow::{Context as _, Result};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

/// Locks `m`, taking the data over from a thread that panicked while holding it.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A hash of a file's bytes, to tell whether it changed.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    b.hash(&mut h);
    h.finish()
}

/// Set when the server stops: no file is written into the site folder any more, so that the
/// folder can be removed while a rebuild is under way.
pub static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Fails once the server is stopping (see [`STOPPING`]).
pub fn not_stopping() -> Result<()> {
    if STOPPING.load(std::sync::atomic::Ordering::Relaxed) {
        anyhow::bail!("the server is stopping");
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so the server never reads a
/// half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    not_stopping()?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.wikigen-tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))
}

/// The site path a file is served at (`a/index.html` → `a/`).
pub fn site_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.to_string(),
        _ => file.to_string(),
    }
}
