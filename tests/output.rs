//! The output folder: sub-path hosting (relative URLs, served over HTTP), the staging swap, the
//! output guard, `check`, `init`, configuration errors, `pretty_urls = false`, template overrides
//! and errors, URL collisions and the report.

mod common;

use common::*;
use std::io::{Read, Write};
use std::path::Path;

/// The `tests/vaults/basic` fixture: nested notes, a tag, an unresolved link and two images.
fn site_vault() -> Vault {
    fixture("basic")
}

// ---------------------------------------------------------------------------------------------
// Sub-path hosting
// ---------------------------------------------------------------------------------------------

#[test]
fn with_a_base_url_every_page_uses_relative_urls_except_404_and_canonical() {
    let v = site_vault();
    let b = v.build(&["--base-url", "/wiki/"]);
    b.ok();
    let mut pages = 0;
    for f in b.files().iter().filter(|f| f.ends_with(".html")) {
        pages += 1;
        let html = std::fs::read_to_string(b.out.join(f)).unwrap();
        let canonical = section(&html, "<link rel=\"canonical\"", ">");
        if f == "404.html" {
            // Served at any URL, the 404 page claims no canonical address.
            assert_eq!(canonical, "", "{f}");
        } else {
            let expected = if f == "index.html" {
                "/wiki/".to_string()
            } else {
                format!("/wiki/{}", f.strip_suffix("index.html").unwrap())
            };
            assert_eq!(
                attr(&canonical, "href").as_deref(),
                Some(expected.as_str()),
                "{f}"
            );
        }
        let without_canonical = html.replace(&canonical, "");
        for a in ["href", "src"] {
            for u in attr_values(&without_canonical, a) {
                if f == "404.html" {
                    // The 404 page is served from any path: its URLs are absolute.
                    assert!(
                        u.starts_with("/wiki/") || u.starts_with('#') || u.starts_with("data:"),
                        "{f}: {a}=\"{u}\""
                    );
                } else {
                    assert!(!u.starts_with('/'), "{f}: {a}=\"{u}\" is not relative");
                }
            }
        }
    }
    assert!(pages >= 9, "{:#?}", b.files());
    let nf = b.page("404.html");
    assert!(
        nf.contains("<link rel=\"stylesheet\" href=\"/wiki/_wikigen/style.css\">"),
        "{nf}"
    );
    assert!(
        nf.contains("<a class=\"button button-primary\" href=\"/wiki/\">"),
        "{nf}"
    );
    assert!(
        nf.contains("<script src=\"/wiki/_wikigen/wikigen.js\" defer></script>"),
        "{nf}"
    );
    let deep = b.page("deep/dir/deep-note/");
    assert!(
        deep.contains("<link rel=\"stylesheet\" href=\"../../../_wikigen/style.css\">"),
        "{deep}"
    );
    assert!(
        deep.contains("<img class=\"embed-image\" src=\"../../../assets/pic%20one.png\""),
        "{deep}"
    );
    let sitemap = std::fs::read_to_string(b.out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>/wiki/deep/dir/deep-note/</loc>"),
        "{sitemap}"
    );
    assert_eq!(broken_relative_links(&b), Vec::<String>::new());
    assert_eq!(dangling_fragments(&b), Vec::<String>::new());
}

/// Kills the server it holds when dropped.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let head_end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP response")
        + 4;
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status code");
    (status, buf[head_end..].to_vec())
}

/// Resolves a relative URL against a page URL path (both already percent-encoded).
fn join_url(page: &str, rel: &str) -> String {
    let base = &page[..page.rfind('/').unwrap() + 1];
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let rel = rel.split('#').next().unwrap();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut u = format!("/{}", parts.join("/"));
    if rel.ends_with('/') && !u.ends_with('/') {
        u.push('/');
    }
    u
}

#[test]
fn site_served_under_a_sub_path_loads_every_asset() {
    if Command::new("python3")
        .arg("--version")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        eprintln!("python3 is not available: skipping the HTTP test");
        return;
    }
    let v = site_vault();
    let served = v.dir().join("served");
    let out = served.join("wiki");
    let b = v.build_to(&out, &["--base-url", "/wiki/"]);
    b.ok();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
            "--directory",
        ])
        .arg(&served)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start python3 -m http.server");
    let _server = Server(child);
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the HTTP server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let page = "/wiki/deep/dir/deep-note/";
    let (status, body) = http_get(port, page);
    assert_eq!(status, 200);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("<h1 class=\"note-title\">Deep Note</h1>"),
        "{html}"
    );
    // Every stylesheet, script, image and page it references.
    let mut urls: Vec<String> = Vec::new();
    for a in ["href", "src"] {
        for u in attr_values(&html, a) {
            if is_site_relative(&u) {
                urls.push(join_url(page, &unescape(&u)));
            }
        }
    }
    urls.sort();
    urls.dedup();
    for must in [
        "/wiki/_wikigen/style.css",
        "/wiki/_wikigen/syntax-light.css",
        "/wiki/_wikigen/syntax-dark.css",
        "/wiki/_wikigen/wikigen.js",
        "/wiki/assets/pic%20one.png",
        "/wiki/assets/chart.svg",
        "/wiki/top/",
        "/wiki/",
    ] {
        assert!(
            urls.contains(&must.to_string()),
            "{must} not referenced: {urls:#?}"
        );
    }
    for u in &urls {
        let (status, body) = http_get(port, u);
        assert_eq!(status, 200, "GET {u}");
        assert!(!body.is_empty(), "GET {u} is empty");
    }
    let (status, body) = http_get(port, "/wiki/assets/pic%20one.png");
    assert_eq!((status, body.as_slice()), (200, b"fake png".as_slice()));
}

use std::process::Command;

// ---------------------------------------------------------------------------------------------
// Staging swap and output guard
// ---------------------------------------------------------------------------------------------

#[test]
fn a_second_build_replaces_the_first_and_leaves_no_staging_folder() {
    let v = vault(&[("Keep.md", "keep\n"), ("Gone.md", "gone #only-gone\n")]);
    let b = v.build(&[]);
    b.ok();
    assert!(b.has("gone/") && b.has("tags/only-gone/"));
    assert!(b.out.join(".wikigen-output").is_file());
    std::fs::write(b.out.join("stray.txt"), "left by hand").unwrap();
    v.remove("Gone.md");
    let b = v.build(&[]);
    b.ok();
    assert!(b.has("keep/"));
    assert!(
        !b.has("gone/") && !b.has("tags/only-gone/"),
        "{:#?}",
        b.files()
    );
    assert!(!b.out.join("stray.txt").exists());
    assert!(b.out.join(".wikigen-output").is_file());
    assert_eq!(leftovers(v.dir()), Vec::<String>::new());
    assert!(b.grep("Gone").is_empty(), "{:?}", b.grep("Gone"));
}

#[test]
fn a_build_that_fails_early_leaves_the_previous_site() {
    let v = vault(&[("Keep.md", "keep\n")]);
    v.build(&[]).ok();
    let before = list_files(&v.out());
    v.write("wikigen.toml", "[theme]\ndir = \"no-such-theme\"\n");
    let b = v.build(&[]);
    assert_eq!(b.run.code, 1);
    assert!(b.run.stderr.contains("no-such-theme"), "{}", b.run.stderr);
    assert_eq!(list_files(&v.out()), before);
    assert_eq!(leftovers(v.dir()), Vec::<String>::new());
}

#[test]
fn a_non_empty_folder_not_made_by_wikigen_is_refused_unless_forced() {
    let v = vault(&[("Note.md", "n\n")]);
    let out = v.dir().join("mine");
    write_file(&out.join("precious.txt"), "do not delete");
    write_file(&out.join("sub/data.csv"), "a,b");
    let b = v.build_to(&out, &[]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run
            .stderr
            .contains("is not empty and was not created by wikigen"),
        "{}",
        b.run.stderr
    );
    assert!(b.run.stderr.contains("--force"), "{}", b.run.stderr);
    assert_eq!(list_files(&out), vec!["precious.txt", "sub/data.csv"]);
    assert_eq!(
        std::fs::read_to_string(out.join("precious.txt")).unwrap(),
        "do not delete"
    );
    assert_eq!(leftovers(v.dir()), Vec::<String>::new());
    // --force replaces it.
    let b = v.build_to(&out, &["--force"]);
    b.ok();
    assert!(b.has("note/"));
    assert!(!out.join("precious.txt").exists() && !out.join("sub").exists());
    // An empty folder is fine without --force.
    let empty = v.dir().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    v.build_to(&empty, &[]).ok();
    assert!(empty.join("note/index.html").is_file());
}

#[test]
fn the_vault_or_a_parent_of_it_is_refused_as_output() {
    let v = vault(&[("Note.md", "n\n"), ("sub/Other.md", "o\n")]);
    let before = list_files(&v.root);
    let b = v.build_to(&v.root.clone(), &["--force"]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run.stderr.contains("refusing to write the site to"),
        "{}",
        b.run.stderr
    );
    assert!(b.run.stderr.contains("it is the vault"), "{}", b.run.stderr);
    let b = v.build_to(v.dir(), &["--force"]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run.stderr.contains("it contains the vault"),
        "{}",
        b.run.stderr
    );
    assert_eq!(list_files(&v.root), before);
    assert_eq!(
        std::fs::read_to_string(v.root.join("Note.md")).unwrap(),
        "n\n"
    );
}

#[test]
fn other_dangerous_outputs_are_refused() {
    let v = vault(&[("Note.md", "n\n")]);
    // A file.
    let file = v.dir().join("a-file");
    std::fs::write(&file, "data").unwrap();
    let b = v.build_to(&file, &["--force"]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run.stderr.contains("exists and is not a folder"),
        "{}",
        b.run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "data");
    // A symlink to the vault.
    #[cfg(unix)]
    {
        let link = v.dir().join("link-to-vault");
        std::os::unix::fs::symlink(&v.root, &link).unwrap();
        let b = v.build_to(&link, &["--force"]);
        assert_eq!(b.run.code, 1);
        assert!(
            b.run.stderr.contains("refusing to write the site"),
            "{}",
            b.run.stderr
        );
        assert_eq!(list_files(&v.root), vec!["Note.md"]);
    }
    // The home folder, even when empty and forced.
    let home = v.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new(bin())
        .args([
            "build",
            v.root.to_str().unwrap(),
            "-o",
            home.to_str().unwrap(),
            "--force",
        ])
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("home folder"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(list_files(&home), Vec::<String>::new());
    // The root of the file system, however it is spelled.
    for root in ["/", "//", "/.", "/tmp/.."] {
        let b = v.build_to(Path::new(root), &["--force"]);
        assert_eq!(b.run.code, 1, "{root}: {}", b.run.stderr);
        assert!(
            b.run.stderr.contains("refusing to write the site")
                && b.run.stderr.contains("root of the file system"),
            "{root}: {}",
            b.run.stderr
        );
    }
}

#[test]
fn an_output_folder_inside_the_vault_is_not_read_as_notes() {
    let v = vault(&[("Note.md", "n [[Other]]\n"), ("Other.md", "o\n")]);
    let out = v.root.join("public");
    v.build_to(&out, &[]).ok();
    let b = v.build_to(&out, &[]);
    b.ok();
    let paths: Vec<String> = b.outcomes().into_iter().map(|o| o.path).collect();
    assert_eq!(paths, vec!["Note.md", "Other.md"]);
    assert_eq!(b.report()["notes"], 2);
    assert!(
        !b.files().iter().any(|f| f.starts_with("public/")),
        "{:#?}",
        b.files()
    );
    // A third build sees the same.
    let b = v.build_to(&out, &[]);
    b.ok();
    assert_eq!(b.outcomes().len(), 2);
    assert_eq!(leftovers(&v.root), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// check, init, configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn check_writes_nothing_and_exits_0_or_1() {
    let v = vault(&[("Note.md", "n [[Nowhere]]\n")]);
    let c = v.check(&[]);
    assert_eq!(c.run.code, 0, "{}", c.run.stderr);
    assert!(c.run.stdout.contains("Checked 1 notes"), "{}", c.run.stdout);
    assert!(
        c.run
            .stderr
            .contains("warning[unresolved-link]: Note.md:1:3:"),
        "{}",
        c.run.stderr
    );
    assert_eq!(c.report()["files_written"], 0);
    let c = v.check(&["--strict"]);
    assert_eq!(c.run.code, 1);
    // Errors fail check without --strict.
    v.write("wikigen.toml", "[links]\nunresolved = \"error\"\n");
    let c = v.check(&[]);
    assert_eq!(c.run.code, 1, "{}", c.run.stderr);
    assert!(
        c.run
            .stderr
            .contains("error[unresolved-link]: Note.md:1:3:"),
        "{}",
        c.run.stderr
    );
    // Nothing was written anywhere: only the vault and the report exist.
    let mut top: Vec<String> = std::fs::read_dir(v.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    top.sort();
    assert_eq!(top, vec!["report.json", "vault"]);
    assert_eq!(list_files(&v.root), vec!["Note.md", "wikigen.toml"]);
}

#[test]
fn init_writes_a_config_that_build_accepts() {
    let v = vault(&[("Note.md", "n\n")]);
    let r = run(v.dir(), &["init", v.root.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let toml = std::fs::read_to_string(v.root.join("wikigen.toml")).unwrap();
    for key in [
        "[site]",
        "base_url = \"/\"",
        "[vault]",
        "private_folders = []",
        "[links]",
        "embed_depth = 5",
        "[theme]",
    ] {
        assert!(toml.contains(key), "{key}\n{toml}");
    }
    let b = v.build(&[]);
    b.ok();
    assert!(b.has("note/"));
    assert!(b.page("").contains("<title>Wiki</title>"));
    // A second init refuses to overwrite; --force overwrites.
    let r = run(v.dir(), &["init", v.root.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    let r = run(v.dir(), &["init", "--force", v.root.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn init_theme_copies_the_templates_and_a_build_uses_them() {
    let v = vault(&[("Note.md", "n\n")]);
    let r = run(v.dir(), &["init", "--theme", v.root.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let theme = v.root.join("theme");
    let mut templates = list_files(&theme.join("templates"));
    templates.sort();
    assert_eq!(
        templates,
        vec![
            "404.html",
            "_backlinks.html",
            "_date_leaf.html",
            "_local_graph.html",
            "_mentions.html",
            "_task_table.html",
            "_toc.html",
            "base.html",
            "folder.html",
            "graph.html",
            "index.html",
            "meeting.html",
            "meetings.html",
            "missing.html",
            "note.html",
            "people.html",
            "person.html",
            "project.html",
            "projects.html",
            "recent.html",
            "search.html",
            "tag.html",
            "tags.html",
            "tasks.html"
        ]
    );
    assert!(theme.join("static/style.css").is_file() && theme.join("static/wikigen.js").is_file());
    let toml = std::fs::read_to_string(v.root.join("wikigen.toml")).unwrap();
    assert!(toml.contains("dir = \"theme\""), "{toml}");
    // Unchanged, the ejected theme gives the same pages as the built-in one.
    let b = v.build(&[]);
    b.ok();
    let ejected = b.page("note/");
    // Edit the copies: the build uses them.
    let note_tpl = theme.join("templates/note.html");
    let t = std::fs::read_to_string(&note_tpl).unwrap();
    std::fs::write(
        &note_tpl,
        t.replace(
            "<article class=\"note\"",
            "<p class=\"from-ejected-theme\">EJECTED</p><article class=\"note\"",
        ),
    )
    .unwrap();
    let css = theme.join("static/style.css");
    let mut s = std::fs::read_to_string(&css).unwrap();
    s.push_str("\n.ejected-marker { color: red; }\n");
    std::fs::write(&css, s).unwrap();
    let b = v.build(&[]);
    b.ok();
    assert!(b
        .page("note/")
        .contains("<p class=\"from-ejected-theme\">EJECTED</p>"));
    assert!(!ejected.contains("EJECTED"));
    assert!(std::fs::read_to_string(b.out.join("_wikigen/style.css"))
        .unwrap()
        .contains(".ejected-marker"));
    // The theme folder is not published as notes or attachments.
    assert!(
        !b.files().iter().any(|f| f.starts_with("theme/")),
        "{:#?}",
        b.files()
    );
    assert!(
        b.outcomes()
            .iter()
            .all(|o| !o.path.starts_with("theme/") || o.outcome != "page"),
        "{:#?}",
        b.outcomes()
    );
}

#[test]
fn unknown_config_keys_fail_with_a_message_naming_the_key() {
    let v = vault(&[
        ("Note.md", "n\n"),
        ("wikigen.toml", "[site]\ntitle = \"T\"\ntitel = \"typo\"\n"),
    ]);
    let b = v.build(&[]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run.stderr.contains("unknown field `titel`"),
        "{}",
        b.run.stderr
    );
    assert!(b.run.stderr.contains("wikigen.toml"), "{}", b.run.stderr);
    assert!(!b.out.exists());
    v.write("wikigen.toml", "[sitee]\ntitle = \"T\"\n");
    let b = v.build(&[]);
    assert_eq!(b.run.code, 1);
    assert!(b.run.stderr.contains("sitee"), "{}", b.run.stderr);
    v.write("wikigen.toml", "[links]\nunresolved = \"loud\"\n");
    let b = v.build(&[]);
    assert_eq!(b.run.code, 1);
    assert!(
        b.run.stderr.contains("unresolved") && b.run.stderr.contains("loud"),
        "{}",
        b.run.stderr
    );
    assert!(!b.out.exists());
}

#[test]
fn pretty_urls_false_gives_html_files_that_link_relatively() {
    let v = vault(&[
        ("wikigen.toml", "[site]\npretty_urls = false\n"),
        ("Top.md", "to [[Page]] and [[Not Yet]] #t1\n"),
        ("sub/Page.md", "back [[Top]] #t1/x\n"),
    ]);
    let b = v.build(&["--base-url", "/docs/"]);
    b.ok();
    assert_eq!(b.outcome("Top.md").url.as_deref(), Some("top.html"));
    assert_eq!(
        b.outcome("sub/Page.md").url.as_deref(),
        Some("sub/page.html")
    );
    for f in [
        "top.html",
        "sub/page.html",
        "sub.html",
        "tags.html",
        "tags/t1.html",
        "tags/t1/x.html",
        "not-yet.html",
        "index.html",
        "404.html",
    ] {
        assert!(b.has(f), "{f}: {:#?}", b.files());
    }
    assert_eq!(b.link("top.html", "Page").href, "sub/page.html");
    assert_eq!(b.link("sub/page.html", "Top").href, "../top.html");
    assert_eq!(b.link("top.html", "Not Yet").href, "not-yet.html");
    assert!(b
        .page("sub/page.html")
        .contains("<link rel=\"canonical\" href=\"/docs/sub/page.html\">"));
    assert_eq!(broken_relative_links(&b), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// URLs and the report
// ---------------------------------------------------------------------------------------------

#[test]
fn notes_that_slug_to_the_same_url_both_get_pages_and_a_warning() {
    let v = vault(&[
        ("A b.md", "first A-B-FIRST\n"),
        ("a-b.md", "second A-B-SECOND\n"),
        ("tags.md", "a note named like the tag index TAGS-NOTE\n"),
        ("Links.md", "[[A b]] and [[a-b]] and [[tags]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(b.outcome("A b.md").url.as_deref(), Some("a-b/"));
    assert_eq!(b.outcome("a-b.md").url.as_deref(), Some("a-b-2/"));
    assert_eq!(b.outcome("tags.md").url.as_deref(), Some("tags-2/"));
    assert!(b.content("a-b/").contains("A-B-FIRST"));
    assert!(b.content("a-b-2/").contains("A-B-SECOND"));
    assert!(b.content("tags-2/").contains("TAGS-NOTE"));
    assert!(
        b.main("tags/").contains("Tags"),
        "the tag index keeps its URL"
    );
    assert_eq!(b.link("links/", "A b").href, "../a-b/");
    assert_eq!(b.link("links/", "a-b").href, "../a-b-2/");
    assert_eq!(b.link("links/", "tags").href, "../tags-2/");
    let d = b.diags_with("url-collision");
    let files: Vec<&str> = d.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, vec!["a-b.md", "tags.md"], "{d:?}");
    assert!(d[0].message.contains("`A b.md`"), "{:?}", d[0]);
    assert!(d.iter().all(|d| d.severity == "warning"));
    assert!(
        b.run.stderr.contains("warning[url-collision]: a-b.md:"),
        "{}",
        b.run.stderr
    );
}

#[test]
fn every_note_appears_in_the_report_as_page_or_private() {
    let v = vault(&[
        (
            "wikigen.toml",
            "[vault]\nprivate_folders = [\"Private\"]\nignore = [\"Drafts\"]\n",
        ),
        ("Home.md", "home\n"),
        ("a/b/Deep.md", "deep\n"),
        ("Hidden.md", "---\nprivate: true\n---\nh\n"),
        ("Private/Mine.md", "m\n"),
        ("Drafts/Later.md", "not published\n"),
        ("Upper.MD", "upper-case extension\n"),
        ("Long.markdown", "long extension\n"),
        ("pic.png", "png"),
        (".obsidian/app.json", "{}"),
        ("Broken.md", "---\ntitle: [x\n---\nbody\n"),
    ]);
    v.write_bytes("Latin.md", b"caf\xe9\n");
    let b = v.build(&[]);
    b.ok();
    let o = b.outcomes();
    let get = |p: &str| {
        o.iter()
            .find(|x| x.path == p)
            .unwrap_or_else(|| panic!("{p} missing from the report: {o:#?}"))
    };
    for p in [
        "Home.md",
        "a/b/Deep.md",
        "Upper.MD",
        "Long.markdown",
        "Broken.md",
        "Latin.md",
    ] {
        assert_eq!(get(p).outcome, "page", "{p}");
        let url = get(p).url.clone().expect("a page has a url");
        assert!(b.has(&url), "{p} → {url}");
    }
    for p in ["Hidden.md", "Private/Mine.md"] {
        assert_eq!(get(p).outcome, "private", "{p}");
    }
    assert_eq!(get("Drafts/Later.md").outcome, "ignored");
    assert_eq!(get("pic.png").outcome, "attachment-unused");
    assert!(!o.iter().any(|x| x.path.starts_with(".obsidian")), "{o:#?}");
    let r = b.report();
    assert_eq!(r["notes"], 8);
    assert_eq!(r["published"], 6);
    assert_eq!(r["private"], 2);
    assert_eq!(
        o.iter()
            .filter(|x| x.outcome == "page" || x.outcome == "private")
            .count(),
        8,
        "{o:#?}"
    );
}
