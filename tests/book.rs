//! The user guide (`book/src`, an mdBook) has no broken links: every relative link names a page
//! of the book (or a file of the repository) and every `#anchor` a heading of that page, with
//! mdBook's heading ids; and every page is in SUMMARY.md.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

/// mdBook's id of a heading: lower case, spaces to `-`, other punctuation dropped; a repeated
/// id gets `-1`, `-2`, ...
fn heading_ids(text: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence || !line.starts_with('#') {
            continue;
        }
        let title = line.trim_start_matches('#').trim();
        // Inline code and links keep their text.
        let plain: String = title.replace(['`', '*'], "");
        let plain = strip_links(&plain);
        let id: String = plain
            .chars()
            .filter_map(|c| {
                if c.is_alphanumeric() || c == '_' || c == '-' {
                    Some(c.to_lowercase().next().unwrap())
                } else if c.is_whitespace() {
                    Some('-')
                } else {
                    None
                }
            })
            .collect();
        let n = seen.entry(id.clone()).or_insert(0);
        let unique = if *n == 0 {
            id.clone()
        } else {
            format!("{id}-{n}")
        };
        *n += 1;
        ids.insert(unique);
    }
    ids
}

/// `[text](target)` → `text`.
fn strip_links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("](") {
        let Some(j) = rest[i..].find(')') else { break };
        out.push_str(&rest[..i].replace('[', ""));
        rest = &rest[i + j + 1..];
    }
    out.push_str(&rest.replace('[', ""));
    out
}

/// The targets of the inline markdown links of a page (outside code).
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        // Drop inline code spans.
        let mut clean = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                clean.push_str(part);
            }
        }
        let mut rest = clean.as_str();
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(j) = after.find(')') else { break };
            out.push((n + 1, after[..j].trim().to_string()));
            rest = &after[j..];
        }
    }
    out
}

#[test]
fn the_book_has_no_broken_links_and_every_page_is_listed() {
    let src = book_src();
    let mut pages: HashMap<String, String> = HashMap::new();
    for e in walkdir(&src) {
        let rel = e
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".md") {
            pages.insert(rel, std::fs::read_to_string(&e).unwrap());
        }
    }
    let ids: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), heading_ids(t)))
        .collect();
    let mut broken = Vec::new();
    for (page, text) in &pages {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for (line, target) in link_targets(text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let resolved = if file.is_empty() {
                page.clone()
            } else {
                normalize(&dir.join(file))
            };
            let Some(page_ids) = ids.get(resolved.as_str()) else {
                // A link out of the book to a repository file.
                let repo = src.join(dir).join(file);
                if !repo.exists() {
                    broken.push(format!("{page}:{line}: {target} (no such page)"));
                }
                continue;
            };
            if let Some(a) = anchor {
                if !page_ids.contains(a) {
                    broken.push(format!("{page}:{line}: {target} (no heading #{a})"));
                }
            }
        }
    }
    broken.sort();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let summary = &pages["SUMMARY.md"];
    let listed: HashSet<String> = link_targets(summary).into_iter().map(|(_, t)| t).collect();
    let mut unlisted: Vec<&String> = pages
        .keys()
        .filter(|p| *p != "SUMMARY.md" && !listed.contains(*p))
        .collect();
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "pages missing from SUMMARY.md: {unlisted:?}"
    );
}

/// `a/../b.md` → `b.md`, with `/` separators.
fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every diagnostic code of `src/diag.rs` has its own heading in `diagnostics.md`.
#[test]
fn every_diagnostic_code_is_documented() {
    let src =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diag.rs")).unwrap();
    let codes: Vec<&str> = src
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Code::"))
        .filter_map(|l| {
            l.split_once("=> \"")
                .map(|(_, c)| c.trim_end_matches(['"', ',']))
        })
        .collect();
    assert!(codes.len() > 20, "{codes:?}");
    let ids = heading_ids(&std::fs::read_to_string(book_src().join("diagnostics.md")).unwrap());
    let missing: Vec<&&str> = codes.iter().filter(|c| !ids.contains(**c)).collect();
    assert!(
        missing.is_empty(),
        "codes without a section in diagnostics.md: {missing:?}"
    );
}

/// Every key of the default `wikigen.toml` is in a table row of `configuration.md`.
#[test]
fn every_configuration_key_is_documented() {
    let defaults = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/default_config.toml"),
    )
    .unwrap();
    let book = std::fs::read_to_string(book_src().join("configuration.md")).unwrap();
    let mut section = String::new();
    let mut missing = Vec::new();
    for line in defaults.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if line.starts_with('#') || key.is_empty() || key.contains(' ') {
            continue;
        }
        // Free-form tables ([extra], synonym lists) document their shape, not each key.
        if section == "[extra]" || section == "[people.synonyms]" {
            continue;
        }
        if !book.contains(&format!("| `{key}` |")) {
            missing.push(format!("{section} {key}"));
        }
    }
    assert!(
        missing.is_empty(),
        "keys without a row in configuration.md: {missing:?}"
    );
}

/// Every command and every flag of `wikigen --help` is in `cli.md`.
#[test]
fn every_command_and_flag_is_documented() {
    let book = std::fs::read_to_string(book_src().join("cli.md")).unwrap();
    let help = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_wikigen"))
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let mut missing = Vec::new();
    for cmd in ["build", "check", "serve", "init"] {
        if !book.contains(&format!("wikigen {cmd}")) {
            missing.push(format!("command {cmd}"));
        }
        for word in help(&[cmd, "--help"]).split_whitespace() {
            let flag = word.trim_end_matches([',', '.']);
            let flag = flag.split(['=', '<', '[']).next().unwrap();
            if flag.starts_with("--") && flag.len() > 2 && flag != "--help" && !book.contains(flag)
            {
                missing.push(format!("{cmd} {flag}"));
            }
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "not in cli.md: {missing:?}");
}
