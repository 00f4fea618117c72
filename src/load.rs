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

/// The template folders the walk leaves out: those configured in Obsidian's Templates and
/// Templater plugins (lower case), unless `[vault] skip_obsidian_templates` is off.
fn template_folders(cfg: &Config) -> Vec<String> {
    if cfg.skip_obsidian_templates {
        obsidian_template_folders(&cfg.vault)
    } else {
        Vec::new()
    }
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

/// Is `dir` (named `name`) a folder the walk does not enter: hidden or always skipped, a site
/// wikigen wrote, or the output folder?
fn skipped_folder(dir: &Path, name: &str, out_canon: Option<&Path>) -> bool {
    ALWAYS_SKIPPED.contains(&name)
        || name.starts_with('.')
        || dir.join(OUTPUT_MARKER).exists()
        || out_canon.is_some_and(|o| dir.canonicalize().ok().as_deref() == Some(o))
}

/// Is the file at vault path `rel` left out by `[vault] ignore`, or as an Obsidian template
/// (`templates`: [`template_folders`])?
fn ignored(cfg: &Config, templates: &[String], rel: &str) -> bool {
    let lower = rel.to_lowercase();
    cfg.ignore.is_match(rel)
        || templates
            .iter()
            .any(|t| lower.starts_with(t) && lower[t.len()..].starts_with('/'))
}

/// How [`scan`] would list the file at `abs`: its vault path, and whether it is a note (else an
/// attachment). `None` when the walk would not list it: not a regular file (a symbolic link, a
/// folder, gone), under a name or in a folder the walk skips, ignored, or outside the vault.
/// `serve` takes a file that came (created, renamed, moved) in this way without walking the
/// whole vault again.
pub fn listed_file(cfg: &Config, abs: &Path) -> Option<(String, bool)> {
    let root = &cfg.vault;
    let r = abs.strip_prefix(root).ok()?;
    let out_canon = cfg.output.canonicalize().ok();
    let parts: Vec<std::path::Component> = r.components().collect();
    let (file, folders) = parts.split_last()?;
    let mut dir = root.clone();
    for c in folders {
        let std::path::Component::Normal(name) = c else {
            return None;
        };
        dir.push(name);
        // A linked folder is not followed by the walk either.
        let is_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        if !is_dir || skipped_folder(&dir, &name.to_string_lossy(), out_canon.as_deref()) {
            return None;
        }
    }
    let std::path::Component::Normal(name) = file else {
        return None;
    };
    if name.to_string_lossy().starts_with('.')
        || !std::fs::symlink_metadata(abs).is_ok_and(|m| m.is_file())
    {
        return None;
    }
    let rel = nfc(&vault_path(r));
    if ignored(cfg, &template_folders(cfg), &rel) {
        return None;
    }
    let note = is_note_path(&rel);
    Some((rel, note))
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

/// A path relative to the vault as the vault path notes are known by: `/`-separated. Only on
/// Windows is `\\` a separator; elsewhere it is a character a file name may hold.
pub fn vault_path(rel: &Path) -> String {
    let s = rel.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
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
    let templates = template_folders(cfg);
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
                !skipped_folder(e.path(), &name, out_canon.as_deref())
            } else {
                !name.starts_with('.')
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(vault_path)
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
            Ok(r) => nfc(&vault_path(r)),
            Err(_) => continue,
        };
        if ignored(cfg, &templates, &rel) {
            vault.skipped.push(Skipped {
                path: rel,
                reason: "ignored".into(),
            });
            continue;
        }
        let mut abs = entry.path().to_path_buf();
        let not_followed = if entry.file_type().is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if !target.starts_with(&root_canon) => {
                    Some("a symbolic link to a place outside the vault")
                }
                Ok(target) if target.is_dir() => Some(
                    "a symbolic link to a folder (linked folders are not followed, so a link \
                     loop cannot make the build walk forever)",
                ),
                Ok(target) if target.is_file() => {
                    abs = target;
                    None
                }
                Ok(_) => Some("a symbolic link to something that is not a file"),
                Err(_) => Some("a symbolic link to a file that does not exist"),
            }
        } else if !entry.file_type().is_file() {
            // A FIFO would block the build on open; sockets and devices are no notes either.
            Some("not a regular file (a FIFO, socket or device)")
        } else {
            None
        };
        if let Some(why) = not_followed {
            vault
                .diagnostics
                .push(skipped_file(&rel, why, entry.file_type().is_symlink()));
            vault.skipped.push(Skipped {
                path: rel,
                reason: format!("{why}; not read"),
            });
            continue;
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
    // Never open what is not a regular file (a note replaced by a FIFO would block for ever).
    let meta = std::fs::metadata(abs).map_err(|e| (rel.clone(), e))?;
    if !meta.is_file() {
        return Err((rel, std::io::Error::other("not a regular file")));
    }
    let bytes = std::fs::read(abs).map_err(|e| (rel.clone(), e))?;
    let meta = Some(meta);
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

/// The warning for a file the walk does not read: a symbolic link it does not follow, or a
/// special file.
fn skipped_file(rel: &str, why: &str, symlink: bool) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        Code::SkippedFile,
        rel,
        0,
        0,
        format!("{why}; it is not read"),
        if symlink {
            "move or copy the file into the vault if it should be published, or add the path to [vault] ignore to silence this"
        } else {
            "remove it from the vault, or add the path to [vault] ignore to silence this"
        },
    )
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

/// Decodes a note's bytes: UTF-8 (BOM stripped) or UTF-16 (with a BOM, or recognised by its
/// zero bytes); invalid UTF-8 is decoded with replacement characters. Anything but clean UTF-8 is
/// reported, at the first bad byte. Line endings become `\n`; the private-use characters wikigen
/// uses as placeholders and NUL become U+FFFD.
pub fn decode(rel: &str, bytes: &[u8]) -> (String, Option<Diagnostic>) {
    let mut diag = None;
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((true, &bytes[2..]))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((false, &bytes[2..]))
    } else {
        utf16_without_bom(bytes).map(|le| (le, bytes))
    };
    let text: String = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_utf8(rel, rest, &mut diag)
    } else if let Some((le, body)) = utf16 {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        diag = Some(Diagnostic::new(
            Severity::Warning,
            Code::InvalidUtf8,
            rel,
            1,
            1,
            format!(
                "this note is UTF-16 ({}-endian), not UTF-8; wikigen converted it, but Obsidian shows it garbled",
                if le { "little" } else { "big" }
            ),
            "re-save the file as UTF-8 (Obsidian reads and writes UTF-8)",
        ));
        String::from_utf16_lossy(&units)
    } else {
        decode_utf8(rel, bytes, &mut diag)
    };
    if diag.is_none() {
        if let Some(at) = text.find('\0') {
            let (line, col) = line_col(&text, at);
            diag = Some(Diagnostic::new(
                Severity::Warning,
                Code::InvalidUtf8,
                rel,
                line,
                col,
                "this note contains NUL bytes, shown as \u{FFFD}; it may be a binary file or a broken save",
                "remove the NUL bytes, or move the file out of the vault (or into [vault] ignore) if it is not a note",
            ));
        }
    }
    (normalize_text(text), diag)
}

/// Line and column (1-based, in characters) of byte offset `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Is this UTF-16 without a byte-order mark (little-endian: `Some(true)`)? Text in Latin script
/// saved as UTF-16 has a zero in every other byte; UTF-8 text has none.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let zero_at = |odd: usize| {
        sample
            .chunks_exact(2)
            .filter(|c| c[odd] == 0 && c[1 - odd] != 0)
            .count()
    };
    let (odd, even) = (zero_at(1), zero_at(0));
    // Most pairs must be (ASCII, 0) or (0, ASCII), one way only.
    if odd * 10 >= pairs * 7 && even == 0 {
        Some(true)
    } else if even * 10 >= pairs * 7 && odd == 0 {
        Some(false)
    } else {
        None
    }
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
pub fn normalize_text(s: String) -> String {
    if !needs_normalizing(&s) {
        return s;
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.replace(['\0', '\u{E000}', '\u{E001}'], "\u{FFFD}")
}

/// Does `s` hold a `\r`, a NUL or one of the characters wikigen reserves (U+E000, U+E001)?
/// A byte search (`EE 80 80`/`EE 80 81` in UTF-8): notes are read by the ten thousand.
fn needs_normalizing(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr3_iter(b'\r', 0, 0xEE, b).any(|i| {
        b[i] != 0xEE || (b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x80 | 0x81)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_carriage_returns_nul_and_reserved_characters_are_normalised() {
        for (text, needs) in [
            ("plain é text", false),
            ("private use \u{E002} \u{E040} \u{E0FF}", false),
            ("a\r\nb", true),
            ("a\0b", true),
            ("slot \u{E000}", true),
            ("end \u{E001}", true),
        ] {
            assert_eq!(needs_normalizing(text), needs, "{text:?}");
        }
        assert_eq!(
            normalize_text("a\r\nb\rc\u{E000}".to_string()),
            "a\nb\nc\u{FFFD}"
        );
    }

    #[test]
    fn utf16_with_or_without_bom_and_nul_bytes_are_decoded_and_reported() {
        let le: Vec<u8> = "# Hi\nthere"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "# Hi\nthere"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            [&[0xFE, 0xFF][..], &be].concat(),
            le.clone(),
            be.clone(),
        ] {
            let (t, d) = decode("a.md", &bytes);
            assert_eq!(t, "# Hi\nthere");
            assert!(d.unwrap().message.contains("UTF-16"));
        }
        let (t, d) = decode("a.md", b"one\ntwo \0three");
        assert_eq!(t, "one\ntwo \u{FFFD}three");
        let d = d.unwrap();
        assert_eq!((d.line, d.column), (2, 5));
        assert!(d.message.contains("NUL"));
        // Plain UTF-8, even with an occasional zero-free pair pattern, is not UTF-16.
        assert!(decode("a.md", "ab\ncd".as_bytes()).1.is_none());
    }

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
