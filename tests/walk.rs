//! The walk of the vault and its file-by-file twin: `wikigen serve` takes a file that came
//! (created, renamed, moved) with `load::listed_file` instead of walking the vault again, so that
//! must list every file exactly as `load::scan` does: notes, attachments, and nothing the walk
//! skips.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// Every file and symbolic link under `dir`, hidden and skipped ones included.
fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let m = std::fs::symlink_metadata(&p).unwrap();
        if m.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn a_file_is_listed_one_by_one_as_the_walk_lists_it() {
    let v = vault(&[
        ("Notes/Plain.md", "A note.\n"),
        ("Notes/Other.markdown", "Another.\n"),
        ("Notes/img/photo.png", "png"),
        ("Notes/.hidden.md", "Hidden file.\n"),
        (".obsidian/workspace.md", "Obsidian's own.\n"),
        (".trash/Deleted.md", "In the trash.\n"),
        ("node_modules/pkg/README.md", "Not a note.\n"),
        ("Drafts/Skip me.md", "Ignored by a glob.\n"),
        ("Templates/Meeting.md", "An Obsidian template.\n"),
        ("Old site/.wikigen-output", ""),
        ("Old site/index.md", "A site wikigen wrote.\n"),
        ("Notes/Café.md", "An accented name.\n"),
        ("wikigen.toml", "[vault]\nignore = [\"Drafts/**\"]\n"),
        (".obsidian/templates.json", "{\"folder\": \"Templates\"}"),
    ]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(v.root.join("Notes/Plain.md"), v.root.join("Notes/Link.md"))
            .unwrap();
        std::os::unix::fs::symlink(v.root.join("Notes"), v.root.join("Linked folder")).unwrap();
    }
    let cfg = wikigen::config::load(&v.root, None, &Default::default()).unwrap();
    let scan = wikigen::load::scan(&cfg).unwrap();
    let mut files = Vec::new();
    all_files(&v.root, &mut files);
    // Through a linked folder too: the walk does not follow it.
    files.push(v.root.join("Linked folder/Plain.md"));
    let mut listed = 0;
    for f in &files {
        let rel = f
            .strip_prefix(&v.root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let walk = if scan.notes.iter().any(|(r, _)| *r == rel) {
            Some((rel.clone(), true))
        } else {
            scan.attachments
                .iter()
                .any(|a| a.path == rel)
                .then(|| (rel.clone(), false))
        };
        listed += usize::from(walk.is_some());
        // A linked file the walk lists makes `serve` walk: it is no regular file.
        let linked = std::fs::symlink_metadata(f).is_ok_and(|m| m.file_type().is_symlink());
        let expected = if linked { None } else { walk };
        assert_eq!(
            wikigen::load::listed_file(&cfg, f),
            expected,
            "{}",
            f.display()
        );
    }
    // The notes and the attachment, the configuration file as an attachment.
    let notes: Vec<&str> = scan.notes.iter().map(|(r, _)| r.as_str()).collect();
    let mut expected = vec!["Notes/Café.md", "Notes/Other.markdown", "Notes/Plain.md"];
    if cfg!(unix) {
        expected.insert(1, "Notes/Link.md");
    }
    assert_eq!(notes, expected);
    assert_eq!(listed, expected.len() + scan.attachments.len());
    assert!(scan
        .attachments
        .iter()
        .any(|a| a.path == "Notes/img/photo.png"));
}
