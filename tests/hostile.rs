//! A hostile vault: broken encodings, binary files, absurd nesting, malformed and explosive
//! frontmatter, embed cycles, links aimed out of the vault, file names no URL should hold,
//! symbolic-link loops and escapes, special files, broken queries and a broken template, all in
//! one vault beside a few ordinary notes. The corpus is generated here, at test time (a 20 MB
//! note and 10,000-deep nesting do not belong in git).
//!
//! For every input: the build finishes (no panic, no hang, no abort), what is wrong is reported
//! with the file (and the line, when there is one), every ordinary note is published, and every
//! file of the vault is accounted for in the report.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Ordinary notes that must come out intact whatever their neighbours are.
const GOOD: usize = 5;

fn good_notes(v: &Vault) {
    for i in 0..GOOD {
        v.write(
            &format!("Good/Good {i}.md"),
            &format!(
                "# Good {i}\n\ngoodmarker{i} links [[Good {}]].\n",
                (i + 1) % GOOD
            ),
        );
    }
}

/// The vault of broken inputs (the big ones are in [`big_inputs_are_built_in_bounded_time`]).
/// Returns it with the expected diagnostics: (file, code, line; 0 = any line).
fn hostile_vault() -> (Vault, Vec<(&'static str, &'static str, u64)>) {
    let v = vault(&[]);
    good_notes(&v);
    let mut expect = Vec::new();

    // Encodings.
    v.write_bytes(
        "invalid-utf8.md",
        b"# Bad bytes\n\nbefore \xff\xfe\xc3\x28 after\n",
    );
    expect.push(("invalid-utf8.md", "invalid-utf8", 3));
    v.write_bytes(
        "truncated-utf8.md",
        b"# Cut\n\nends inside a character \xe2\x82",
    );
    expect.push(("truncated-utf8.md", "invalid-utf8", 3));
    let utf16 = |text: &str, le: bool, bom: bool| -> Vec<u8> {
        let mut b = Vec::new();
        if bom {
            b.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        b
    };
    v.write_bytes(
        "utf16le.md",
        &utf16("# UTF-16\n\nutf16lemarker [[Good 1]]\n", true, true),
    );
    v.write_bytes(
        "utf16be.md",
        &utf16("# UTF-16\n\nutf16bemarker\n", false, true),
    );
    v.write_bytes(
        "utf16-nobom.md",
        &utf16("# UTF-16\n\nutf16nobommarker\n", true, false),
    );
    for f in ["utf16le.md", "utf16be.md", "utf16-nobom.md"] {
        expect.push((f, "invalid-utf8", 1));
    }
    v.write_bytes(
        "bom.md",
        b"\xef\xbb\xbf---\ntitle: Bom Title\n---\nbommarker\n",
    );
    v.write_bytes("nul.md", b"# Nul\n\nbefore\x00after nulmarker\n");
    expect.push(("nul.md", "invalid-utf8", 3));
    let mut binary = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x: u32 = 7;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        binary.push((x >> 16) as u8);
    }
    v.write_bytes("binary.md", &binary);
    expect.push(("binary.md", "invalid-utf8", 0));

    // Nesting 10,000 levels deep.
    v.write(
        "deep-list.md",
        &format!(
            "{}item\n\n{}ordered\n\n{}mixed\n",
            "- ".repeat(10_000),
            "1. ".repeat(10_000),
            "> - ".repeat(5_000)
        ),
    );
    v.write(
        "deep-quote.md",
        &format!("{} deep quote\n", ">".repeat(10_000)),
    );
    v.write(
        "deep-brackets.md",
        &format!(
            "{}x{}\n\n{}\n\n{}\n\n{}em{}\n\n{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000),
            "(".repeat(10_000),
            "[[".repeat(5_000),
            "*".repeat(10_000),
            "*".repeat(10_000),
            "![[".repeat(3_000),
        ),
    );
    v.write(
        "deep-html.md",
        &format!("{}x{}\n", "<div>".repeat(10_000), "</div>".repeat(10_000)),
    );
    let callouts: String = (1..2_000)
        .map(|i| format!("{}[!note] level {i}\n", "> ".repeat(i)))
        .collect();
    v.write("deep-callout.md", &callouts);
    let indented: String = (0..1_000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect();
    v.write("deep-indent.md", &indented);

    // Frontmatter.
    v.write(
        "bad-yaml.md",
        "---\ntags: [unclosed\ntitle: x\n---\nbadyamlmarker\n",
    );
    expect.push(("bad-yaml.md", "frontmatter-syntax", 3));
    let keys: String = (0..60_000)
        .map(|i| format!("key{i}: value {i}\n"))
        .collect();
    v.write("huge-yaml.md", &format!("---\n{keys}---\nhugeyamlmarker\n"));
    let mut laughs = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        laughs.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    laughs.push_str("---\nlaughsmarker\n");
    v.write("laughs.md", &laughs);
    expect.push(("laughs.md", "frontmatter-syntax", 2));
    // Aliases that expand to 9 million values from 15 KB, and flow nesting 20,000 deep.
    v.write(
        "alias-bomb.md",
        &format!(
            "---\na: &a [{}]\nb: [{}]\n---\naliasbombmarker\n",
            vec!["x"; 3_000].join(","),
            vec!["*a"; 3_000].join(",")
        ),
    );
    expect.push(("alias-bomb.md", "frontmatter-syntax", 0));
    v.write(
        "flow-depth.md",
        &format!("---\na: {}\n---\nflowdepthmarker\n", "[".repeat(20_000)),
    );
    expect.push(("flow-depth.md", "frontmatter-syntax", 0));
    v.write(
        "anchors.md",
        "---\nbase: &base {role: Engineer, team: Core}\nperson:\n  <<: *base\n  name: Ann\ntags: &t [x, y]\nmore: *t\n---\nanchorsmarker\n",
    );
    v.write(
        "dup-keys.md",
        "---\ntitle: First\ntitle: Second\n---\ndupkeysmarker\n",
    );
    expect.push(("dup-keys.md", "frontmatter-syntax", 0));

    // Embeds: a cycle, and a chain 100 deep.
    v.write("cycle-a.md", "# A\n\n![[cycle-b]]\n");
    v.write("cycle-b.md", "# B\n\n![[cycle-a]]\n");
    expect.push(("cycle-a.md", "embed-cycle", 3));
    for i in 0..100 {
        v.write(
            &format!("Chain/chain-{i}.md"),
            &format!("chain {i}\n\n![[chain-{}]]\n", i + 1),
        );
    }
    v.write("Chain/chain-100.md", "chain end\n");
    expect.push(("Chain/chain-10.md", "embed-too-deep", 3));

    // Links and embeds aimed out of the vault, at the system and at the output folder.
    v.write(
        "escapes.md",
        "# Escapes\n\n[[../../etc/passwd]] ![[../../etc/passwd]] [[/etc/passwd]] ![[/etc/shadow]] [x](../../../etc/passwd) ![y](/etc/passwd) [f](file:///etc/passwd) [j](javascript:alert(1)) ![u](https://example.com/x.png) [[public/index]] ![[public/index.html]] [[C:\\Windows\\system32]]\n",
    );
    expect.push(("escapes.md", "link-outside-vault", 3));
    expect.push(("escapes.md", "unsafe-url", 3));

    // File names.
    for name in [
        "hash#name",
        "question?name",
        "percent%20name",
        "pipe|name",
        "quote\"name",
        "apos'name",
        "new\nline",
        "emoji 🦀 note",
        "tab\tname",
        "lt<gt>name",
        "back\\slash",
        "[[brackets]]",
        "..dots",
    ] {
        v.write(&format!("Names/{name}.md"), "weirdnamemarker [[Good 0]]\n");
    }
    v.write("Names/Cafe\u{301} nfd.md", "nfdmarker\n");
    v.write("Names/Link to nfd.md", "[[Café nfd]]\n");
    v.write("Names/Case.md", "uppercasemarker\n");
    v.write("Names/case.md", "lowercasemarker\n");
    expect.push(("Names/case.md", "url-collision", 0));

    // Symbolic links: a loop, out of the vault (file and folder), dangling; and special files.
    let outside = v.dir().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), "outsidecanary\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink("..", v.root.join("Good/loop")).unwrap();
        symlink(&outside, v.root.join("escape-dir")).unwrap();
        symlink(outside.join("secret.md"), v.root.join("escape-file.md")).unwrap();
        symlink("does-not-exist.md", v.root.join("dangling.md")).unwrap();
        symlink("Good/Good 0.md", v.root.join("inside-link.md")).unwrap();
        for f in ["Good/loop", "escape-dir", "escape-file.md", "dangling.md"] {
            expect.push((f, "skipped-file", 0));
        }
        for fifo in ["fifo.md", "fifo.png"] {
            let c = std::ffi::CString::new(v.root.join(fifo).to_str().unwrap()).unwrap();
            // SAFETY: mkfifo with a valid C string.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }
        expect.push(("fifo.md", "skipped-file", 0));
        expect.push(("fifo.png", "skipped-file", 0));
        use std::os::unix::fs::PermissionsExt;
        v.write("unreadable.md", "unreadablemarker\n");
        std::fs::set_permissions(
            v.root.join("unreadable.md"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    std::fs::create_dir_all(v.root.join("folder.md")).unwrap();
    v.write("folder.md/inside.md", "insidefoldermarker\n");

    // Broken queries, and a broken template.
    v.write(
        "bad-queries.md",
        "# Queries\n\n```dataview\nTABLE FROM WHERE (((\n```\n\n```dataview\nLIST WHERE file.name = \n```\n\n```tasks\nnot done\ndue befor tomorrow\nsort by nonsense\n```\n\n```dataviewjs\ndv.list([1,2])\n```\n\n`= this.nosuch(((`\n",
    );
    expect.push(("bad-queries.md", "query-error", 4));
    expect.push(("bad-queries.md", "query-error", 9));
    expect.push(("bad-queries.md", "tasks-query", 13));
    expect.push(("bad-queries.md", "tasks-query", 14));
    v.write(
        ".wikigen/templates/note.html",
        "{% extends \"default/note.html\" %}\n{% block content %}{{ page.nope.deeper }}{% endblock %}",
    );
    v.write(
        ".wikigen/templates/folder.html",
        "{% extends \"base.html\" %}{% block content %}{{ broken syntax %}{% endblock %}",
    );
    expect.push((".wikigen/templates/note.html", "template-error", 2));
    expect.push((".wikigen/templates/folder.html", "template-error", 1));
    (v, expect)
}

/// Every file under `root` that the build must account for (hidden folders aside), as vault paths.
fn vault_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
    {
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(root).unwrap().to_string_lossy();
        out.push(unicode_normalization::UnicodeNormalization::nfc(rel.as_ref()).collect());
    }
    out
}

fn outcomes(b: &Build) -> BTreeMap<String, String> {
    b.outcomes()
        .into_iter()
        .map(|o| (o.path, o.outcome))
        .collect()
}

#[test]
fn every_hostile_input_is_built_or_reported_and_nothing_else_is_lost() {
    let (v, expect) = hostile_vault();
    // The output folder lives inside the vault, and a second build must not read the first.
    let out = v.root.join("public");
    let first = v.build_to(&out, &[]);
    let b = v.build_to(&out, &[]);
    for b in [&first, &b] {
        assert!(
            b.run.code == 0 || b.run.code == 1,
            "the build must finish with a verdict, not crash: code {}\n{}",
            b.run.code,
            b.run.stderr
        );
        assert!(!b.run.stderr.contains("panicked"), "{}", b.run.stderr);
    }
    assert_eq!(b.run.code, 1, "template errors are errors");

    // Every expected problem is reported, at its line.
    let diags = b.diags();
    for (file, code, line) in &expect {
        let found = diags.iter().any(|d| {
            (d.file == *file || d.file.ends_with(&format!("/{file}")))
                && d.code == *code
                && (*line == 0 || d.line == *line)
        });
        assert!(
            found,
            "expected {code} at {file}:{line}; got {:#?}",
            diags
                .iter()
                .filter(|d| d.file.ends_with(file))
                .collect::<Vec<_>>()
        );
    }
    // Every diagnostic names a file; content problems name a line.
    let whole_file = [
        "skipped-file",
        "unreadable-file",
        "url-collision",
        "profile-merged",
    ];
    for d in &diags {
        assert!(!d.file.is_empty(), "{d:?}");
        if !whole_file.contains(&d.code.as_str()) {
            assert!(d.line >= 1, "no line: {d:?}");
        }
    }

    // Every file of the vault is in the report, and every note is a page unless reported.
    let outcomes = outcomes(&b);
    let reported: std::collections::BTreeSet<&str> =
        diags.iter().map(|d| d.file.as_str()).collect();
    let unreadable_as_root = std::fs::read(v.root.join("unreadable.md")).is_ok();
    for f in vault_files(&v.root) {
        if f.starts_with("public/") {
            continue;
        }
        let outcome = outcomes
            .get(&f)
            .unwrap_or_else(|| panic!("`{f}` is missing from the report"));
        if f.ends_with(".md") && outcome != "page" {
            assert!(
                reported.contains(f.as_str()),
                "`{f}` is `{outcome}` without a diagnostic saying why"
            );
        }
        if f == "unreadable.md" && !unreadable_as_root {
            assert_eq!(outcome, "failed");
        }
    }
    assert!(
        !outcomes.keys().any(|p| p.starts_with("public/")),
        "the output folder was read as part of the vault: {outcomes:#?}"
    );

    // The ordinary notes, and the readable broken ones, are published with their text.
    for i in 0..GOOD {
        let p = b.page(&format!("good/good-{i}/"));
        assert!(p.contains(&format!("goodmarker{i}")), "good {i}");
        assert!(p.contains("class=\"internal\""), "good {i} keeps its links");
    }
    for (path, marker) in [
        ("utf16le/", "utf16lemarker"),
        ("utf16be/", "utf16bemarker"),
        ("utf16-nobom/", "utf16nobommarker"),
        ("bom/", "bommarker"),
        ("nul/", "nulmarker"),
        ("bad-yaml/", "badyamlmarker"),
        ("huge-yaml/", "hugeyamlmarker"),
        ("laughs/", "laughsmarker"),
        ("anchors/", "anchorsmarker"),
        ("dup-keys/", "dupkeysmarker"),
        ("alias-bomb/", "aliasbombmarker"),
        ("flow-depth/", "flowdepthmarker"),
        ("folder-md/inside/", "insidefoldermarker"),
        ("names/case/", "uppercasemarker"),
        ("names/case-2/", "lowercasemarker"),
    ] {
        assert!(b.page(path).contains(marker), "{path} lacks {marker}");
    }
    assert!(b.page("bom/").contains("Bom Title"));
    // Every odd file name got a page, and the NFD name is found from an NFC link.
    let weird = outcomes
        .iter()
        .filter(|(p, o)| p.starts_with("Names/") && *o == "page")
        .count();
    // 13 odd names (`..dots` starts with a dot: hidden, as in Obsidian), NFD, its link, 2 cases.
    assert_eq!(weird, 16, "{outcomes:#?}");
    let link = b.page("names/link-to-nfd/");
    assert!(link.contains("names/caf%C3%A9-nfd/\">Café nfd"), "{link}");
    // The pages of the deep and broken notes exist (their content is whatever Markdown makes
    // of them).
    for p in [
        "deep-list/",
        "deep-quote/",
        "deep-brackets/",
        "deep-html/",
        "deep-callout/",
        "deep-indent/",
        "binary/",
        "cycle-a/",
        "chain/chain-0/",
        "escapes/",
        "bad-queries/",
    ] {
        assert!(b.has(p), "{p}");
    }

    // Nothing from outside the vault reached the site, and no link points there.
    assert_eq!(b.grep("outsidecanary"), vec![]);
    assert_eq!(b.grep("root:x:0:0"), vec![]);
    let esc = b.page("escapes/");
    for bad in [
        "href=\"/etc",
        "href=\"../../etc",
        "file://",
        "javascript:",
        "src=\"/etc",
    ] {
        assert!(!esc.contains(bad), "{bad} in {esc}");
    }
    assert!(!v.dir().join("etc").exists());
    // The Good/loop symlink was not followed (no page under it).
    assert!(!outcomes.keys().any(|p| p.starts_with("Good/loop/")));
    // The broken template did not cost any page: the default one was used.
    assert!(b.page("good/good-0/").contains("goodmarker0"));
}

#[test]
fn big_inputs_are_built_in_bounded_time() {
    let v = vault(&[]);
    good_notes(&v);
    // A 20 MB note linking the good notes 260,000 times.
    let mut huge = String::from("# Huge\n\n");
    let mut i = 0;
    while huge.len() < 20 * 1024 * 1024 {
        huge.push_str(&format!(
            "Paragraph {i} links [[Good {}]] with **bold** and `code`.\n\n",
            i % GOOD
        ));
        i += 1;
    }
    huge.push_str("hugeendmarker\n");
    v.write("huge.md", &huge);
    // A line of 1 MB, and thousands of links on one line, most of them to missing notes.
    v.write(
        "long-line.md",
        &format!("# Long\n\n{}longlinemarker\n", "word ".repeat(210_000)),
    );
    let links: Vec<String> = (0..5_000).map(|i| format!("[[Target {i}]]")).collect();
    v.write("many-links.md", &links.join(" "));
    // Queries that would return 100,000 rows and tasks.
    let items: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    v.write(
        "many-rows.md",
        &format!(
            "---\nitems: [{}]\n---\n```dataview\nTABLE item FROM \"many-rows\" FLATTEN items AS item\n```\n",
            items.join(",")
        ),
    );
    let tasks: String = (0..100_000)
        .map(|i| format!("- [ ] task {i} 📅 2026-01-{:02}\n", i % 28 + 1))
        .collect();
    v.write(
        "many-tasks.md",
        &format!("{tasks}\n```tasks\nnot done\n```\n"),
    );

    let b = v.build(&[]);
    b.ok();
    assert!(b.page("huge/").contains("hugeendmarker"));
    assert!(b.page("long-line/").contains("longlinemarker"));
    // One note linking a page 52,000 times is one backlink with a few texts, not 52,000.
    let good = b.page("good/good-0/");
    assert!(good.len() < 200_000, "good-0 is {} bytes", good.len());
    // A missing note linked thousands of times by one note: one referrer, a few texts.
    let missing = b.page("target-0/");
    assert!(missing.len() < 100_000);
    // The row caps hold: the pages say how much was left out instead of holding it all.
    let rows = b.page("many-rows/");
    assert!(
        rows.contains("99500 more") || rows.contains("99,500 more"),
        "{}",
        &rows[..rows.len().min(3000)]
    );
    assert!(rows.len() < 2_000_000, "many-rows is {} bytes", rows.len());
    let tasks = b.page("many-tasks/");
    assert!(tasks.contains("99500 more") || tasks.contains("99,500 more"));
}
