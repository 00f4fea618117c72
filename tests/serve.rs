//! `wikigen serve`: a real server on a free port, a real vault edited on disk; assertions on what
//! the server then returns (pages, backlinks, query results, profiles), on its reload events, on
//! the error overlay, on path escapes, and that after any series of edits it serves exactly what
//! a fresh `wikigen build` of the same vault writes.

mod common;

use common::browser::browser_ready;
use common::serve::{assert_same_as_build, next_event, wait_quiet, Server};
use std::path::Path;
use std::time::Duration;

#[test]
fn edits_renames_and_deletes_update_every_page_that_shows_them() {
    let v = common::fixture("queries");
    let server = Server::start(&v.root, &["--today", "2026-03-04"]);
    server.wait_builds(1);
    assert_same_as_build(&server, &v, "start");
    let events = server.events();

    // 1. Edit a body: the page changes, a reload event names it, and its link target's backlinks
    //    show the new sentence.
    let b = server.builds();
    let canal = "Projects/Canal Lights.md";
    v.append(
        canal,
        "\nThe pumps were inspected by [[Lena Park]] on Tuesday.\n",
    );
    let ev = next_event(&events, "reload");
    assert!(ev.data.contains("projects/canal-lights/"), "{ev:?}");
    let st = server.wait_builds(b + 1);
    assert_eq!(
        st["full"], false,
        "a body edit re-renders only what it reaches: {st}"
    );
    let page = server.get("/projects/canal-lights/");
    assert!(page.body.contains("pumps were inspected"));
    assert!(
        page.body.contains("/__wikigen/live.js"),
        "the page carries the reload script"
    );
    let lena = server.get("/people/lena-park/");
    assert!(
        lena.body.contains("pumps were inspected"),
        "backlink context on the linked person's page"
    );
    assert_same_as_build(&server, &v, "edit");

    // 2. Add a note: a Dataview LIST FROM "Projects" on Lena's page lists it (it links to her).
    let b = server.builds();
    v.write(
        "Projects/River Gauge.md",
        "---\nstatus: active\nowner: Lena Park\n---\n# River Gauge\n\nWith [[Lena Park]] and [[Canal Lights]].\n\n- [ ] Order the gauge @Lena 📅 2026-03-06\n",
    );
    server.wait_builds(b + 1);
    let lena = server.get("/people/lena-park/");
    assert!(
        lena.body.contains("River Gauge"),
        "query result and backlink"
    );
    assert_eq!(server.get("/projects/river-gauge/").status, 200);
    assert_same_as_build(&server, &v, "add");

    // 3. Rename it: the old URL is gone, the new one is there, other pages follow.
    let b = server.builds();
    std::fs::rename(
        v.root.join("Projects/River Gauge.md"),
        v.root.join("Projects/Weir Gauge.md"),
    )
    .unwrap();
    server.wait_builds(b + 1);
    assert_eq!(server.get("/projects/river-gauge/").status, 404);
    let renamed = server.get("/projects/weir-gauge/");
    assert_eq!(renamed.status, 200);
    let canal_page = server.get("/projects/canal-lights/");
    assert!(canal_page.body.contains("Weir Gauge") && !canal_page.body.contains("River Gauge"));
    assert_same_as_build(&server, &v, "rename");

    // 4. Delete it: backlinks, queries and the task dashboard forget it.
    let b = server.builds();
    v.remove("Projects/Weir Gauge.md");
    server.wait_builds(b + 1);
    assert_eq!(server.get("/projects/weir-gauge/").status, 404);
    assert!(!server.get("/people/lena-park/").body.contains("Weir Gauge"));
    assert!(!server.get("/tasks/").body.contains("Order the gauge"));
    assert_same_as_build(&server, &v, "delete");

    // 5. A person's field and a task in a meeting: the profile, the dashboard, the Tasks queries.
    let b = server.builds();
    let tomas = "People/Tomas Berg.md";
    let t = std::fs::read_to_string(v.root.join(tomas)).unwrap();
    v.write(tomas, &t.replace("City liaison", "Harbour liaison"));
    let sync = "Meetings/2026-03-02 Orchard sync.md";
    let m = std::fs::read_to_string(v.root.join(sync)).unwrap();
    v.write(
        sync,
        &m.replace("Draft the budget", "Draft the revised budget"),
    );
    server.wait_page("/people/tomas-berg/", |r| {
        r.body.contains("Harbour liaison")
    });
    server.wait_page("/tasks/", |r| r.body.contains("Draft the revised budget"));
    // (Files are written before the status counts the build.)
    server.wait_builds(b + 1);
    assert_same_as_build(&server, &v, "fields and tasks");

    // 6. A saved note made private, then published again: it leaves every page and comes back.
    let b = server.builds();
    let t = std::fs::read_to_string(v.root.join(tomas)).unwrap();
    v.write(tomas, &t.replacen("---\n", "---\nprivate: true\n", 1));
    server.wait_builds(b + 1);
    assert_eq!(server.get("/people/tomas-berg/").status, 404);
    assert!(!server.get("/queries/every-kind/").body.contains("CANARY"));
    assert_same_as_build(&server, &v, "made private");
    let b = server.builds();
    v.write(tomas, &t);
    server.wait_builds(b + 1);
    assert_eq!(server.get("/people/tomas-berg/").status, 200);
    assert_same_as_build(&server, &v, "published again");

    // 7. The configuration: a new site title reaches every page.
    let b = server.builds();
    let cfg = std::fs::read_to_string(v.root.join("wikigen.toml")).unwrap();
    v.write(
        "wikigen.toml",
        &format!("{cfg}\n[site]\ntitle = \"Canal Wiki Live\"\n"),
    );
    server.wait_builds(b + 1);
    assert!(server.get("/").body.contains("Canal Wiki Live"));
    assert_same_as_build(&server, &v, "config");
}

/// Edits that keep every note's title, aliases, tags and headings: the server takes over the
/// links, profiles and query results the edit cannot affect, and renders only the pages that can
/// show it. Each step must still serve exactly what a fresh build writes.
#[test]
fn the_open_page_reloads_first_and_no_page_is_older_than_the_reload() {
    let v = common::fixture("queries");
    let server = Server::start(&v.root, &["--today", "2026-03-04"]);
    server.wait_builds(1);
    // `/__wikigen/open` leads from a vault path to the note's page.
    let r = server.get("/__wikigen/open?note=Projects/Canal%20Lights.md");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/projects/canal-lights/"));
    assert_eq!(
        server.get("/__wikigen/open?note=Projects/Nope.md").status,
        404
    );

    // A tab on a page the edit does not reach: the reload comes at the end of the rebuild.
    let canal = "Projects/Canal Lights.md";
    let other = server.events_from(Some("/projects/no-such-page/"));
    let b = server.builds();
    v.append(canal, "\nThe gates were oiled.\n");
    next_event(&other, "reload");
    let st = server.wait_builds(b + 1);
    assert_eq!(st["early_reload"], false, "{st}");

    // A tab shows the project; its edit also changes the backlinks on Lena's page.
    let tab = server.events_from(Some("/projects/canal-lights/"));
    let b = server.builds();
    v.append(
        canal,
        "\nThe sluice was greased by [[Lena Park]] at dawn.\n",
    );
    let ev = next_event(&tab, "reload");
    assert!(ev.data.contains("projects/canal-lights/"), "{ev:?}");
    // Right after the reload: the open page has the edit, and a page still being rendered is
    // held until it is written, never sent as it was.
    assert!(server
        .get("/projects/canal-lights/")
        .body
        .contains("sluice was greased"));
    assert!(server
        .get("/people/lena-park/")
        .body
        .contains("sluice was greased"));
    let st = server.wait_builds(b + 1);
    assert_eq!(st["early_reload"], true, "{st}");
    // One save, one reload: the end of the rebuild does not reload the tab again.
    wait_quiet();
    assert!(
        tab.try_iter().all(|e| e.name != "reload"),
        "a second reload for one save"
    );
    assert_same_as_build(&server, &v, "early reload");

    // The open page's note renamed: the reload says where the page went, and the page there is
    // ready as soon as the reload comes (its tab goes there, not to a "not found" page).
    let b = server.builds();
    std::fs::rename(v.root.join(canal), v.root.join("Projects/Canal Lamps.md")).unwrap();
    let ev = next_event(&tab, "reload");
    assert!(
        ev.data
            .contains(r#""moved":{"projects/canal-lights/":"/projects/canal-lamps/"}"#),
        "{ev:?}"
    );
    let r = server.get("/projects/canal-lamps/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("sluice was greased"));
    let st = server.wait_builds(b + 1);
    assert_eq!(st["early_reload"], true, "{st}");
    assert_same_as_build(&server, &v, "the open page's note renamed");
}

#[test]
fn stopping_the_server_removes_its_site_folder() {
    let v = common::fixture("queries");
    let tmp = v.dir().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut server = Server::start_in(&v.root, &["--today", "2026-03-04"], &tmp);
    server.wait_builds(1);
    let folders = || std::fs::read_dir(&tmp).unwrap().count();
    assert_eq!(folders(), 1, "the site is built in a private folder");
    assert!(server.stop(), "`kill` stops the server cleanly");
    assert_eq!(folders(), 0, "its folder is removed");
}

#[test]
fn stopping_the_server_during_a_rebuild_removes_its_site_folder() {
    // Enough notes that rendering every page after a rename takes a while.
    let notes: Vec<(String, String)> = (0..1500)
        .map(|i| {
            let body = format!(
                "# Note {i}\n\nSee [[Hub]] and [[Note {}]].\n",
                (i + 1) % 1500
            );
            (format!("Notes/Note {i}.md"), body)
        })
        .collect();
    let mut files: Vec<(&str, &str)> = notes
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    files.push(("Hub.md", "# Hub\n"));
    let v = common::vault(&files);
    let tmp = v.dir().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut server = Server::start_in(&v.root, &[], &tmp);
    server.wait_builds(1);
    let b = server.builds();
    std::fs::rename(v.root.join("Hub.md"), v.root.join("Hub 2.md")).unwrap();
    // Stopped once the rebuild has begun (the watcher waits for a quiet moment first), while it
    // writes the pages.
    std::thread::sleep(Duration::from_millis(300));
    let during = server.builds() == b;
    assert!(server.stop(), "`kill` stops the server cleanly");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(
        left.is_empty(),
        "the site folder is removed (stopped during the rebuild: {during}): {left:?}"
    );
}

#[test]
fn one_save_is_one_rebuild_whatever_the_editor_does() {
    let v = common::fixture("queries");
    let server = Server::start(&v.root, &[]);
    server.wait_builds(1);
    let note = v.root.join("Home.md");

    // Write to a temporary file, then rename over the note (vim, VS Code, Obsidian on some OSs).
    let b = server.builds();
    std::fs::write(
        v.root.join(".Home.md.tmp"),
        "# Orchard & Canal\n\nSaved via rename.\n",
    )
    .unwrap();
    std::fs::rename(v.root.join(".Home.md.tmp"), &note).unwrap();
    server.wait_builds(b + 1);
    wait_quiet();
    assert_eq!(server.builds(), b + 1, "{}", server.status());
    assert!(server.get("/").body.contains("Saved via rename."));

    // Several writes in a row for one save (truncate, then write in pieces).
    let b = server.builds();
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&note).unwrap();
        for part in ["# Orchard & Canal\n\n", "Written ", "in ", "pieces.\n"] {
            f.write_all(part.as_bytes()).unwrap();
            f.flush().unwrap();
        }
    }
    server.wait_builds(b + 1);
    wait_quiet();
    assert_eq!(server.builds(), b + 1, "{}", server.status());
    assert!(server.get("/").body.contains("Written in pieces."));

    // Editor and Obsidian noise alone: no rebuild at all.
    let b = server.builds();
    std::fs::create_dir_all(v.root.join(".obsidian")).unwrap();
    for i in 0..5 {
        std::fs::write(
            v.root.join(".obsidian/workspace.json"),
            format!("{{\"n\":{i}}}"),
        )
        .unwrap();
    }
    std::fs::write(v.root.join(".Home.md.swp"), "swap").unwrap();
    std::fs::write(v.root.join("Home.md~"), "backup").unwrap();
    std::fs::write(v.root.join("4913"), "").unwrap();
    std::fs::remove_file(v.root.join("4913")).unwrap();
    std::fs::remove_file(v.root.join(".Home.md.swp")).unwrap();
    wait_quiet();
    assert_eq!(
        server.builds(),
        b,
        "noise must not rebuild: {}",
        server.status()
    );
    // Reading pages does not trigger the watcher either.
    for _ in 0..5 {
        server.get("/");
    }
    wait_quiet();
    assert_eq!(server.builds(), b, "serving pages must not rebuild");
}

#[test]
fn broken_template_shows_the_overlay_and_a_fix_clears_it() {
    let v = common::fixture("queries");
    v.write(
        ".wikigen/templates/note.html",
        "{% extends \"default/note.html\" %}{% block content %}<p class=\"custom\">custom</p>{{ super() }}{% endblock %}",
    );
    let server = Server::start(&v.root, &[]);
    server.wait_builds(1);
    let good = server.get("/queries/every-kind/");
    assert!(
        good.body.contains("class=\"custom\""),
        "the override is used"
    );
    let events = server.events();

    let b = server.builds();
    v.write(
        ".wikigen/templates/note.html",
        "{% extends \"default/note.html\" %}{% block content %}{% if %}{% endblock %}",
    );
    let ev = next_event(&events, "build-error");
    assert!(ev.data.contains("note.html"), "{ev:?}");
    let st = server.wait_builds(b + 1);
    let errors = st["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{st}");
    assert!(errors[0]["file"].as_str().unwrap().ends_with("note.html"));
    // The last good page is still served, and a page loaded now gets the errors at once.
    let still = server.get("/queries/every-kind/");
    assert_eq!(still.status, 200);
    assert!(still.body.contains("class=\"custom\""));
    let late = server.events_raw_first();
    assert_eq!(late.name, "build-error");

    // A broken configuration is shown the same way, with its line.
    let cfg = std::fs::read_to_string(v.root.join("wikigen.toml")).unwrap();
    v.write("wikigen.toml", &format!("{cfg}\n[site\ntitle = 1\n"));
    let ev = next_event(&events, "build-error");
    assert!(ev.data.contains("wikigen.toml"), "{ev:?}");
    v.write("wikigen.toml", &cfg);

    // Fix the template: the overlay clears and pages reload with the fix.
    v.write(
        ".wikigen/templates/note.html",
        "{% extends \"default/note.html\" %}{% block content %}<p class=\"custom\">fixed</p>{{ super() }}{% endblock %}",
    );
    next_event(&events, "clear");
    server.wait_page("/queries/every-kind/", |r| r.body.contains(">fixed<"));
    assert!(server.status()["errors"].as_array().unwrap().is_empty());
}

#[test]
fn the_server_serves_the_site_and_nothing_outside_it() {
    let v = common::fixture("queries");
    // A secret beside the vault, and a symlink from the vault to it.
    std::fs::write(v.dir().join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(v.dir().join("secret.txt"), v.root.join("leak.txt")).unwrap();
    let server = Server::start(&v.root, &[]);
    server.wait_builds(1);
    let escapes = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/.%2e/.%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "//etc/passwd",
        "/_wikigen/../../../etc/passwd",
        "/etc/passwd%00.html",
        "/leak.txt",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/./../secret.txt",
        // More encodings: mixed case, double and triple encoding, overlong and full-width dots,
        // encoded separators, `;` path parameters, NUL, drive letters, and a symlink target.
        "/%2e%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "/..%255csecret.txt",
        "/%25252e%25252e/secret.txt",
        "/..%c0%afsecret.txt",
        "/%c0%2e%c0%2e/secret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/%ef%bc%8e%ef%bc%8e/secret.txt",
        "/..;/secret.txt",
        "/.;/..;/secret.txt",
        "/%2e%2e;/secret.txt",
        "/..%00/secret.txt",
        "/%00../secret.txt",
        "/C:%5cWindows%5cwin.ini",
        "/%2fetc%2fpasswd",
        "/%2f%2fetc/passwd",
        "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fproc%2fself%2fenviron",
        "/_wikigen/..%2f..%2f..%2fsecret.txt",
        "/search/..%2f..%2f..%2fsecret.txt",
        "/leak.txt%00.html",
        "/LEAK.TXT",
    ];
    for e in escapes {
        let r = server.get(e);
        assert!(
            r.status == 404 || r.status == 400,
            "{e}: status {}",
            r.status
        );
        assert!(
            !r.body.contains("root:") && !r.body.contains("TOP-SECRET"),
            "{e} leaked: {}",
            r.body
        );
    }
    // The theme's 404 page, with the site's look.
    let nf = server.get("/no/such/page/");
    assert_eq!(nf.status, 404);
    assert!(
        nf.body.contains("_wikigen/style.css"),
        "the theme's 404 page"
    );
    // Content types.
    let types = [
        ("/", "text/html; charset=utf-8"),
        ("/_wikigen/style.css", "text/css; charset=utf-8"),
        ("/_wikigen/search.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
    ];
    for (p, ct) in types {
        let r = server.get(p);
        assert_eq!(r.status, 200, "{p}");
        let got = r
            .header("content-type")
            .unwrap_or_default()
            .replace("application/javascript", "text/javascript")
            .replace("application/xml", "text/xml");
        assert_eq!(got, ct, "{p}");
    }
    // Only GET and HEAD.
    assert_eq!(server.request("POST", "/").status, 405);
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // Nothing is written into the vault.
    assert!(!Path::new(&v.root.join("public")).exists());
}

#[test]
fn a_saved_edit_reloads_the_open_page_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let v = common::fixture("queries");
    let server = Server::start(&v.root, &[]);
    server.wait_builds(1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let url = format!("http://127.0.0.1:{}/projects/canal-lights/", server.port);
    let note = v.root.join("Projects/Canal Lights.md");
    let text = std::fs::read_to_string(&note).unwrap();
    assert!(text.contains("Canal Lights"));
    let out = std::process::Command::new("node")
        .arg(dir.join("serve.mjs"))
        .arg(&url)
        .arg(&note)
        .args([
            "Street lights along the canal",
            "Lanterns relit on the north quay",
        ])
        .env("VAULT", &v.root)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}\n{}\nserver:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        server.stderr()
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
}
