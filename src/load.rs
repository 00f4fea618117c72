//! Load stage: walks the vault (walkdir), skips what must not be published, and reads every note
//! as normalised text (BOM stripped, CRLF → LF, invalid UTF-8 decoded best-effort and reported).
//! Input: [`Config`]. Output: [`Vault`].

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity};
use crate::paths::nfc;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Marker file written into every output folder wikigen creates.
pub const OUTPUT_MARKER: &str = ".wikigen-output";

/// A markdown note as read from disk.
#[derive(Debug, Clone)]
pub struct SourceNote {
    /// Vault-relative path, NFC, `/`-separated (`People/Ada.md`).
    pub path: String,
    /// Normalised text, mojibake repaired.
    pub text: String,
    /// Last modification time.
    pub mtime: Option<SystemTime>,
    /// Creation time, where the file system records it.
    pub ctime: Option<SystemTime>,
}

/// A non-markdown file (image, PDF, ...).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Vault-relative path, NFC, `/`-separated.
    pub path: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
}

/// Why a file was not read as a note or attachment.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Vault-relative path.
    pub path: String,
    /// Human-readable reason.
    pub reason: String,
}

/// Everything read from the vault.
#[derive(Debug, Default)]
pub struct Vault {
    /// Markdown notes, sorted by path.
    pub notes: Vec<SourceNote>,
    /// Other files, sorted by path.
    pub attachments: Vec<Attachment>,
    /// Files deliberately not read (ignored, unreadable, symlinks out of the vault).
    pub skipped: Vec<Skipped>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// A note read from disk (with a decoding problem, if any), or the path and the I/O error.
pub type ReadResult = Result<(SourceNote, Vec<Diagnostic>), (String, std::io::Error)>;

/// Folders never read.
const ALWAYS_SKIPPED: &[&str] = &[".obsidian", ".trash", ".git", ".wikigen", "node_modules"];

/// Is this a markdown note by its extension?
pub fn is_note_path(p: &str) -> bool {
    matches!(crate::paths::extension(p).as_str(), "md" | "markdown")
}

/// The template folders configured in Obsidian's Templates and Templater plugins (lower case).
fn obsidian_template_folders(vault: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let read = |rel: &str, key: &str| -> Option<String> {
        let text = std::fs::read_to_string(vault.join(rel)).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let f = v.get(key)?.as_str()?.trim_matches('/').to_string();
        (!f.is_empty()).then(|| nfc(&f).to_lowercase())
    };
    out.extend(read(".obsidian/templates.json", "folder"));
    out.extend(read(
        ".obsidian/plugins/templater-obsidian/data.json",
        "templates_folder",
    ));
    out
}

/// The files of a vault, found but not read yet: what [`scan`] returns.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Notes as (vault path, absolute path), sorted by vault path.
    pub notes: Vec<(String, PathBuf)>,
    /// Everything else that is published as a file.
    pub attachments: Vec<Attachment>,
    /// Files left out, with the reason.
    pub skipped: Vec<Skipped>,
    /// Problems found while walking.
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks the vault described by `cfg` and sorts its files into notes, attachments and skipped
/// files, without reading any note (`serve` reads only the notes that changed).
pub fn scan(cfg: &Config) -> anyhow::Result<Scan> {
    let root = &cfg.vault;
    if !root.is_dir() {
        anyhow::bail!("vault folder {} does not exist", root.display());
    }
    let root_canon = root.canonicalize()?;
    let out_canon = cfg.output.canonicalize().ok();
    let templates = if cfg.skip_obsidian_templates {
        obsidian_template_folders(root)
    } else {
        Vec::new()
    };
    let mut vault = Scan::default();

    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_dir() {
                if ALWAYS_SKIPPED.contains(&name.as_ref()) || name.starts_with('.') {
                    return false;
                }
                if e.path().join(OUTPUT_MARKER).exists() {
                    return false;
                }
                if let Some(o) = &out_canon {
                    if e.path().canonicalize().ok().as_ref() == Some(o) {
                        return false;
                    }
                }
            } else if name.starts_with('.') {
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                vault.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    Code::UnreadableFile,
                    path.clone(),
                    0,
                    0,
                    format!("cannot read this part of the vault: {err}"),
                    "check the file permissions, or add the path to [vault] ignore",
                ));
                vault.skipped.push(Skipped {
                    path,
                    reason: "unreadable".into(),
                });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = match entry.path().strip_prefix(root) {
            Ok(r) => nfc(&r.to_string_lossy().replace('\\', "/")),
            Err(_) => continue,
        };
        let lower = rel.to_lowercase();
        if cfg.ignore.is_match(&rel)
            || templates
                .iter()
                .any(|t| lower.starts_with(t) && lower[t.len()..].starts_with('/'))
        {
            vault.skipped.push(Skipped {
                path: rel,
                reason: "ignored".into(),
            });
            continue;
        }
        let mut abs = entry.path().to_path_buf();
        if entry.file_type().is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&root_canon) && target.is_file() => abs = target,
                _ => {
                    vault.skipped.push(Skipped {
                        path: rel,
                        reason: "symlink to a file outside the vault (not followed)".into(),
                    });
                    continue;
                }
            }
        }
        if is_note_path(&rel) {
            vault.notes.push((rel, abs));
        } else {
            vault.attachments.push(Attachment { path: rel, abs });
        }
    }
    // By vault path, the order every later stage numbers notes in.
    vault.notes.sort_by(|a, b| a.0.cmp(&b.0));
    vault.attachments.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(vault)
}

/// Reads the vault described by `cfg`.
pub fn load(cfg: &Config) -> anyhow::Result<Vault> {
    let scan = scan(cfg)?;
    let mut vault = Vault {
        notes: Vec::with_capacity(scan.notes.len()),
        attachments: scan.attachments,
        skipped: scan.skipped,
        diagnostics: scan.diagnostics,
    };
    let read: Vec<ReadResult> = scan
        .notes
        .into_par_iter()
        .map(|(rel, abs)| read_note(rel, &abs))
        .collect();
    for r in read {
        match r {
            Ok((note, diag)) => {
                vault.diagnostics.extend(diag);
                vault.notes.push(note);
            }
            Err((rel, e)) => {
                vault.diagnostics.push(unreadable(&rel, &e));
                vault.skipped.push(Skipped {
                    path: rel,
                    reason: "unreadable".into(),
                });
            }
        }
    }
    vault.notes.sort_by(|a, b| a.path.cmp(&b.path));
    vault.attachments.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(vault)
}

/// Reads one note: decodes it (reporting invalid UTF-8) and repairs mojibake.
pub fn read_note(rel: String, abs: &Path) -> ReadResult {
    let bytes = std::fs::read(abs).map_err(|e| (rel.clone(), e))?;
    let meta = std::fs::metadata(abs).ok();
    let mtime = meta.as_ref().and_then(|m| m.modified().ok());
    let ctime = meta.as_ref().and_then(|m| m.created().ok());
    let (text, diag) = decode(&rel, &bytes);
    let (text, repaired) = repair_mojibake(&rel, text);
    Ok((
        SourceNote {
            path: rel,
            text,
            mtime,
            ctime,
        },
        diag.into_iter().chain(repaired).collect::<Vec<_>>(),
    ))
}

/// The diagnostic for a note that cannot be read.
pub fn unreadable(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        Code::UnreadableFile,
        rel.to_string(),
        0,
        0,
        format!("cannot read note: {e}"),
        "check the file permissions; the rest of the site is built without it",
    )
}

/// Repairs text that was UTF-8 read as cp1252, MacRoman or latin-1 (once or twice) and reports
/// it at the first changed line.
pub fn repair_mojibake(rel: &str, text: String) -> (String, Option<Diagnostic>) {
    let Some(r) = crate::text::mojibake::repair(&text) else {
        return (text, None);
    };
    let line = text
        .lines()
        .zip(r.fixed.lines())
        .position(|(a, b)| a != b)
        .map_or(1, |i| i + 1);
    // The message names the line and column only: quoting the text could leak a private note's
    // content into the build report.
    let first = text.lines().nth(line - 1).unwrap_or("");
    let fixed = r.fixed.lines().nth(line - 1).unwrap_or("");
    let column = first
        .chars()
        .zip(fixed.chars())
        .position(|(a, b)| a != b)
        .map_or(1, |i| i + 1);
    let d = Diagnostic::new(
        Severity::Info,
        Code::Mojibake,
        rel,
        line,
        column,
        format!(
            "repaired {} garbled run{} of text ({}), the first here",
            r.runs,
            if r.runs == 1 { "" } else { "s" },
            r.cause
        ),
        "the site shows the repaired text; to fix the note itself, retype the garbled characters (the file was once saved in the wrong encoding)",
    );
    (r.fixed, Some(d))
}

/// Decodes a note's bytes: UTF-8 (BOM stripped) or UTF-16 with BOM; invalid UTF-8 is decoded
/// with replacement characters and reported. Line endings become `\n`; the private-use
/// characters wikigen uses as placeholders and NUL become U+FFFD.
pub fn decode(rel: &str, bytes: &[u8]) -> (String, Option<Diagnostic>) {
    let mut diag = None;
    let text: String = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_utf8(rel, rest, &mut diag)
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        decode_utf8(rel, bytes, &mut diag)
    };
    (normalize_text(&text), diag)
}

fn decode_utf8(rel: &str, bytes: &[u8], diag: &mut Option<Diagnostic>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col =
                valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            *diag = Some(Diagnostic::new(
                Severity::Warning,
                Code::InvalidUtf8,
                rel,
                line,
                col,
                "this note is not valid UTF-8; invalid bytes are shown as \u{FFFD}",
                "re-save the file as UTF-8 (Obsidian reads and writes UTF-8)",
            ));
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// Normalises line endings and replaces characters reserved by wikigen.
pub fn normalize_text(s: &str) -> String {
    let needs = s.contains('\r') || s.contains(['\0', '\u{E000}', '\u{E001}']);
    if !needs {
        return s.to_string();
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.replace(['\0', '\u{E000}', '\u{E001}'], "\u{FFFD}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_crlf_and_bad_bytes() {
        let (t, d) = decode("a.md", b"\xEF\xBB\xBFhi\r\nthere\r");
        assert_eq!(t, "hi\nthere\n");
        assert!(d.is_none());
        let (t, d) = decode("a.md", b"ok\nbad \xFF here");
        assert!(t.contains('\u{FFFD}'));
        let d = d.unwrap();
        assert_eq!((d.line, d.column), (2, 5));
        let (t, _) = decode("a.md", b"\xFF\xFEh\0i\0");
        assert_eq!(t, "hi");
    }
}
