//! Write stage: writes the rendered pages, the theme assets and the attachments published notes
//! use into a staging folder beside the output, then swaps it in (an atomic exchange on Linux),
//! so a server never sees a half-written site and a failed build leaves the previous one.
//! Guards: never writes into the vault, its parents, the home folder or `/`, and never replaces
//! a non-empty folder it did not create (marker file) unless forced.

use crate::load::OUTPUT_MARKER;
use crate::render::Page;
use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A file copied from the vault into the site.
#[derive(Debug, Clone)]
pub struct CopyFile {
    /// Absolute source path.
    pub from: PathBuf,
    /// Path relative to the output folder.
    pub to: String,
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Refuses output folders that would destroy something: the vault, a parent of it, the home
/// folder, `/`, or a non-empty folder without wikigen's marker (unless `force`).
pub fn check_output(output: &Path, vault: &Path, force: bool) -> Result<()> {
    let out = std::path::absolute(output)?;
    let out_c = out.canonicalize().unwrap_or_else(|_| out.clone());
    let vault_c = vault.canonicalize().unwrap_or_else(|_| vault.to_path_buf());
    if out_c.parent().is_none() {
        bail!("refusing to write the site to `{}`: that is the root of the file system; choose an empty folder with -o", out.display());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if home.canonicalize().map(|h| h == out_c).unwrap_or(false) {
            bail!("refusing to write the site to your home folder `{}`; choose a folder such as `public` with -o", out.display());
        }
    }
    if vault_c.starts_with(&out_c) {
        bail!(
            "refusing to write the site to `{}`: it {} the vault `{}` and replacing it would delete your notes; choose another folder with -o",
            out.display(),
            if vault_c == out_c { "is" } else { "contains" },
            vault.display()
        );
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "`{}` exists and is not a folder; choose another output with -o",
                out.display()
            );
        }
        if !force && !is_empty_dir(&out) && !out.join(OUTPUT_MARKER).exists() {
            bail!(
                "`{}` is not empty and was not created by wikigen; it would be replaced by the site. Choose an empty folder with -o, or pass --force to replace it",
                out.display()
            );
        }
    }
    Ok(())
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.wikigen-{what}-{}", std::process::id()))
}

/// Removes the staging and old-site folders left behind by interrupted builds: the ones holding
/// the marker, and the ones named by [`sibling`] for a process that no longer runs (a build killed
/// before it wrote the marker, or while it removed the previous site).
fn remove_stale(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.wikigen-", name.to_string_lossy());
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let ours_and_dead = ["staging-", "old-"].iter().any(|what| {
            rest.strip_prefix(what)
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
        });
        if e.path().is_dir() && (ours_and_dead || e.path().join(OUTPUT_MARKER).exists()) {
            remove_tree(&e.path());
        }
    }
}

/// Does process `pid` still run? (A build in progress owns its staging folder.)
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The error of a build that failed while writing, with what it means for the user: the
/// previous site is still there (the staging folder is removed), and a full disk says so.
pub fn explain(e: anyhow::Error, output: &Path) -> anyhow::Error {
    let os = e
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .and_then(|io| io.raw_os_error());
    let why = match os {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => {
            "the disk is full (or over quota): free some space and build again"
        }
        Some(libc::EFBIG) => "a file is larger than this system allows (ulimit -f)",
        Some(libc::EACCES) | Some(libc::EPERM) | Some(libc::EROFS) => {
            "check that you may write beside the output folder"
        }
        _ => "fix the cause and build again",
    };
    anyhow::anyhow!(
        "{e:#}\n  = {why}; the previous site in `{}` was left in place",
        output.display()
    )
}

/// A staging folder beside the output that pages are written into as they are rendered, then
/// swapped in by [`Staging::finish`]. Dropped without `finish` (a failed build), it is removed and
/// the previous site stays in place.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: std::sync::atomic::AtomicUsize,
    done: bool,
}

impl Staging {
    /// Creates the staging folder for `output` (and removes ones left by interrupted builds).
    pub fn create(output: &Path) -> Result<Staging> {
        let out = std::path::absolute(output)?;
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        remove_stale(&out);
        let dir = sibling(&out, "staging");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the staging folder `{}`", dir.display()))?;
        std::fs::write(
            dir.join(OUTPUT_MARKER),
            "This folder was generated by wikigen. It is replaced on every build.\n",
        )
        .with_context(|| format!("cannot write into `{}`", dir.display()))?;
        Ok(Staging {
            out,
            dir,
            files: Default::default(),
            done: false,
        })
    }

    fn target(&self, rel: &str) -> Result<PathBuf> {
        let target = self.dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(target)
    }

    /// Writes one page (safe to call from many threads at once).
    pub fn put(&self, page: &Page) -> Result<()> {
        let target = self.target(&page.path)?;
        std::fs::write(&target, &page.bytes)
            .with_context(|| format!("cannot write `{}`", target.display()))
    }

    /// Copies attachments, in parallel.
    pub fn copy_all(&self, copies: &[CopyFile]) -> Result<()> {
        copies.par_iter().try_for_each(|c| -> Result<()> {
            let target = self.target(&c.to)?;
            std::fs::copy(&c.from, &target)
                .map(|_| ())
                .with_context(|| {
                    format!(
                        "cannot copy `{}` to `{}`",
                        c.from.display(),
                        target.display()
                    )
                })
        })
    }

    /// Swaps the staging folder in as the output; returns the number of files written.
    pub fn finish(mut self) -> Result<usize> {
        swap_in(&self.dir, &self.out)?;
        self.done = true;
        Ok(self.files.load(std::sync::atomic::Ordering::Relaxed))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree using both cores: top-level entries in parallel, the marker last (so a
/// removal cut short still carries it, and the next build finishes the job).
fn remove_tree(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        let marker = dir.join(OUTPUT_MARKER);
        let entries: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| *p != marker)
            .collect();
        entries.par_iter().for_each(|p| {
            if p.is_dir() && !p.is_symlink() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not keep the pointers.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this platform"))
}

fn swap_in(staging: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        std::fs::rename(staging, out)
            .with_context(|| format!("cannot move the new site into `{}`", out.display()))?;
        return Ok(());
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site.
        remove_tree(staging);
        return Ok(());
    }
    let old = sibling(out, "old");
    std::fs::rename(out, &old)
        .with_context(|| format!("cannot move the previous site `{}` aside", out.display()))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e)
            .with_context(|| format!("cannot move the new site into `{}`", out.display()));
    }
    if old.exists() {
        remove_tree(&old);
    }
    Ok(())
}
