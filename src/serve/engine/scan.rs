//! `serve`, the files of a rebuild: the last walk of the vault, updated with the files the
//! watcher names when each is a note or an attachment that was written, came or went (a save, a
//! new note, a rename, a move, a note put in the trash), or a new walk.

use super::Engine;
use crate::load::Scan;
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The files the watcher named, once taken into the last walk.
pub(super) struct Named {
    /// Which notes of the updated walk were written or came.
    pub touched: Vec<bool>,
    /// The vault paths of the notes that went (removed, renamed, moved away).
    pub went: Vec<String>,
}

impl Engine {
    /// The vault's files: the last walk's, updated, when the change only wrote, created, removed
    /// or renamed notes and attachments (see [`Engine::update_scan`]), or a new walk (then
    /// `None`: every file may have changed).
    pub(super) fn scan(
        &mut self,
        full: bool,
        edits: Option<&[PathBuf]>,
    ) -> Result<(Scan, Option<Named>)> {
        if let (false, Some(edits), Some(mut last)) = (full, edits, self.last_scan.take()) {
            if let Some(named) = self.update_scan(&mut last, edits) {
                return Ok((last, Some(named)));
            }
            log::debug!("serve: {edits:?} are not all notes: walking the vault");
        }
        let scan = crate::load::scan(&self.cfg)?;
        Ok((scan, None))
    }

    /// Takes the files the watcher names into the last walk, when each is a note or an
    /// attachment that was written, came or went. `None` (and `last` as it was) when the vault
    /// must be walked: a folder came or went, or a file the walk would skip.
    fn update_scan(&self, last: &mut Scan, edits: &[PathBuf]) -> Option<Named> {
        // The watcher names files under the canonical vault; the walk under the vault as given.
        let vault = &self.cfg.vault;
        let canon = vault.canonicalize().ok();
        let local = |p: &Path| -> PathBuf {
            match canon.as_deref().and_then(|c| p.strip_prefix(c).ok()) {
                Some(r) => vault.join(r),
                None => p.to_path_buf(),
            }
        };
        // A file on disk, and the notes it is (several when symbolic links point at it).
        let mut at: HashMap<&Path, Vec<usize>> = HashMap::with_capacity(last.notes.len());
        for (i, (_, abs)) in last.notes.iter().enumerate() {
            at.entry(abs.as_path()).or_default().push(i);
        }
        // A regular file (`Some(true)`), something else (`Some(false)`) or nothing.
        let file = |p: &Path| std::fs::symlink_metadata(p).ok().map(|m| m.is_file());
        let mut touched = vec![false; last.notes.len()];
        let mut went = vec![false; last.notes.len()];
        let mut came: Vec<(String, PathBuf)> = Vec::new();
        let mut attachments_went: Vec<PathBuf> = Vec::new();
        let mut attachments_came: Vec<crate::load::Attachment> = Vec::new();
        for p in edits.iter().map(|p| local(p)) {
            if let Some(is) = at.get(p.as_path()) {
                let linked = is.iter().any(|&i| vault.join(&last.notes[i].0) != p);
                for &i in is {
                    match file(&p) {
                        Some(true) => touched[i] = true,
                        // Gone, and no link to it is left dangling (the walk reports those).
                        None if !linked => went[i] = true,
                        // A folder now, or a dangling link.
                        _ => return None,
                    }
                }
            } else if last.attachments.iter().any(|a| a.abs == p) {
                match file(&p) {
                    Some(true) => {}
                    None => attachments_went.push(p),
                    Some(false) => return None,
                }
            } else if file(&p).is_some() {
                let (rel, note) = crate::load::listed_file(&self.cfg, &p)?;
                // Listed already, or left out before, under that path: the walk sorts it out.
                if last.skipped.iter().any(|s| s.path == rel)
                    || last.notes.binary_search_by(|(r, _)| r.cmp(&rel)).is_ok()
                    || last.attachments.iter().any(|a| a.path == rel)
                {
                    return None;
                }
                if note && !came.iter().any(|(r, _)| *r == rel) {
                    came.push((rel, p));
                } else if !note && !attachments_came.iter().any(|a| a.path == rel) {
                    attachments_came.push(crate::load::Attachment { path: rel, abs: p });
                }
            } else if last.notes.iter().any(|(_, a)| a.starts_with(&p))
                || last.attachments.iter().any(|a| a.abs.starts_with(&p))
                || last
                    .skipped
                    .iter()
                    .any(|s| vault.join(&s.path).starts_with(&p))
            {
                // A folder that went, with files the walk found in it.
                return None;
            }
            // Otherwise a file that came and went between two walks (a temporary file).
        }
        if !attachments_went.is_empty() || !attachments_came.is_empty() {
            last.attachments
                .retain(|a| !attachments_went.contains(&a.abs));
            last.attachments.append(&mut attachments_came);
            last.attachments.sort_by(|a, b| a.path.cmp(&b.path));
        }
        if came.is_empty() && !went.contains(&true) {
            return Some(Named {
                touched,
                went: Vec::new(),
            });
        }
        let mut gone = Vec::new();
        let mut notes: Vec<(String, PathBuf, bool)> = Vec::with_capacity(last.notes.len());
        for (((rel, abs), t), w) in std::mem::take(&mut last.notes)
            .into_iter()
            .zip(touched)
            .zip(went)
        {
            if w {
                gone.push(rel);
            } else {
                notes.push((rel, abs, t));
            }
        }
        notes.extend(came.into_iter().map(|(rel, abs)| (rel, abs, true)));
        notes.sort_by(|a, b| a.0.cmp(&b.0));
        let touched = notes.iter().map(|n| n.2).collect();
        last.notes = notes.into_iter().map(|(rel, abs, _)| (rel, abs)).collect();
        Some(Named {
            touched,
            went: gone,
        })
    }
}
