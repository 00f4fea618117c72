//! How diagnostics reach the user: ten per code on the terminal, the counts, and the full list in
//! a file when some were left out.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn many_diagnostics_are_counted_on_the_terminal_and_listed_in_full_in_a_file() {
    let links: Vec<String> = (0..25).map(|i| format!("[[Missing {i}]]")).collect();
    let v = vault(&[("Note.md", &links.join("\n\n")), ("Other.md", "[[Gone]]\n")]);
    let tmp = v.dir().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let run = |files: &[(&str, &str)]| {
        for (p, c) in files {
            v.write(p, c);
        }
        Command::new(bin())
            .args(["build", v.root.to_str().unwrap(), "-o"])
            .arg(v.out())
            .args(["--today", TODAY])
            .env("TMPDIR", &tmp)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Ten per code on the terminal, then the counts and where the rest is.
    assert_eq!(
        stderr.matches("warning[unresolved-link]: Note.md").count(),
        10,
        "{stderr}"
    );
    assert!(stderr.contains("… and 16 more"), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("the full list is in"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.starts_with("26 warning[unresolved-link]"), "{line}");
    let file = line.rsplit("the full list is in ").next().unwrap();
    assert!(file.starts_with(tmp.to_str().unwrap()), "{file}");
    let full = std::fs::read_to_string(file).unwrap();
    for i in 0..25 {
        assert!(full.contains(&format!("`Missing {i}`")), "{i}: {full}");
    }
    assert!(full.contains("Other.md:1:1"));
    // Fixed: a build with few diagnostics prints them all and removes the stale list.
    let out = run(&[("Note.md", "[[Other]]\n")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("full list"), "{stderr}");
    assert!(!Path::new(file).exists());
}
