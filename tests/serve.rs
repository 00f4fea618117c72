//! `wikigen serve`: a real server on a free port, a real vault edited on disk; assertions on what
//! the server then returns (pages, backlinks, query results, profiles), on its reload events, on
//! the error overlay, on path escapes, and that after any series of edits it serves exactly what
//! a fresh `wikigen build` of the same vault writes.

mod common;

use common::browser::browser_ready;
use common::serve::{next_event, Server};
use std::path::Path;
use std::time::Duration;

/// Normalises what legitimately differs between `serve` and `build` output: the injected
/// live-reload script and the search index version.
fn normalise(html: &str) -> String {
    let re = regex::Regex::new(r"(search\.js|graph\.js|explorer\.json)\?v=[0-9A-Za-z]+").unwrap();
    let s = html.replace("<script src=\"/__wikigen/live.js\"></script>", "");
    re.replace_all(&s, "$1?v=V").to_string()
}

/// The first lines where `served` and `built` differ, with the line before them.
fn first_difference(served: &str, built: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (served.lines().collect(), built.lines().collect());
    let at = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    let show = |v: &[&str]| v[at.saturating_sub(1).min(v.len())..(at + 3).min(v.len())].join("\n");
    format!(
        "line {}:\nserved:\n{}\nbuilt:\n{}",
        at + 1,
        show(&a),
        show(&b)
    )
}

/// Every HTML page a fresh build of `vault` writes is served identically by `server`, and no
/// page is served that the build does not write.
fn assert_same_as_build(server: &Server, vault: &common::Vault, label: &str) {
    server.settle();
    let out = vault.dir().join(format!("fresh-{label}"));
    let b = vault.build_configured_to(&out, &["--base-url", "/"]);
    b.ok();
    let mut pages = 0;
    for f in b.files() {
        if !f.ends_with(".html") {
            continue;
        }
        let built = std::fs::read_to_string(out.join(&f)).unwrap();
        assert!(
            !built.contains("__wikigen/live.js"),
            "build output must not carry the live-reload script: {f}"
        );
        let site_path = format!("/{}", f.strip_suffix("index.html").unwrap_or(&f));
        let served = server.get(&site_path);
        assert_eq!(served.status, 200, "{label}: {site_path}");
        let (served, built) = (normalise(&served.body), normalise(&built));
        assert!(
            served == built,
            "{label}: {site_path} differs between serve and a fresh build:\n{}",
            first_difference(&served, &built)
        );
        pages += 1;
    }
    assert!(pages > 20, "{label}: only {pages} pages compared");
    // The graph data follows the links (a new link, a new note not written yet).
    let graph = std::fs::read_to_string(out.join("_wikigen/graph-data.js")).unwrap();
    assert_eq!(
        server.get("/_wikigen/graph-data.js").body,
        graph,
        "{label}: the graph data differs between serve and a fresh build"
    );
    // So does the folder tree.
    let tree = std::fs::read_to_string(out.join("_wikigen/explorer.json")).unwrap();
    assert_eq!(
        server.get("/_wikigen/explorer.json").body,
        tree,
        "{label}: the explorer data differs between serve and a fresh build"
    );
}

fn wait_quiet() {
    // Longer than the watcher's quiet window, so that a batch is surely closed.
    std::thread::sleep(Duration::from_millis(400));
}

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
fn incremental_rebuilds_match_a_fresh_build() {
    let v = common::fixture("queries");
    let server = Server::start(&v.root, &["--today", "2026-03-04"]);
    server.wait_builds(1);
    // Replaces the first `from` in the note at `path` with `to`.
    let rewrite = |path: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(v.root.join(path)).unwrap();
        assert!(text.contains(from), "{path} has no {from:?}");
        v.write(path, &text.replacen(from, to, 1));
    };
    let edit_as = |path: &str, from: &str, to: &str, what: &str, full: bool| {
        let b = server.builds();
        rewrite(path, from, to);
        let st = server.wait_builds(b + 1);
        assert_eq!(st["full"], full, "{what}: every page rendered? {st}");
        assert_eq!(
            st["incremental"], true,
            "{what}: the analysis is taken over: {st}"
        );
        assert_same_as_build(&server, &v, what);
    };
    let edit = |path: &str, from: &str, to: &str, what: &str| edit_as(path, from, to, what, false);
    // A field a TABLE on another page reads and sorts by.
    edit(
        "Projects/Orchard Sensors.md",
        "Budget:: 12000",
        "Budget:: 30000",
        "a field another page's query reads",
    );
    assert!(server.get("/queries/every-kind/").body.contains("30000"));
    // The sentence around a link: the backlink on the linked page.
    edit(
        "Meetings/2026-02-10 Canal review.md",
        "About [[Canal Lights]].",
        "Mostly about [[Canal Lights]] and its lamps.",
        "a backlink's context",
    );
    assert!(server
        .get("/projects/canal-lights/")
        .body
        .contains("and its lamps"));
    // A new link from a note that did not link before: a query on the target's page that lists
    // the notes linking to it, and the target's backlinks.
    edit(
        "Projects/Archive/Old Bridge.md",
        "Finished last year.",
        "Finished last year with [[Lena Park]].",
        "a new link",
    );
    assert!(server.get("/people/lena-park/").body.contains("Old Bridge"));
    // A task done: Tasks blocks, TASK queries, the dashboard, the person's open tasks.
    edit(
        "Meetings/2026-02-10 Canal review.md",
        "- [ ] Send lamp photos @Tomas",
        "- [x] Send lamp photos @Tomas",
        "a task done",
    );
    // A task no TASK query or Tasks block on other pages matches but the "not done" ones (their
    // results are taken over without running them), then the same task where more match it.
    edit(
        "Meetings/2026-02-10 Canal review.md",
        "📅 2026-03-09\n",
        "📅 2026-03-09\n- [ ] Order spare fuses\n",
        "a task most queries do not match",
    );
    edit(
        "Meetings/2026-02-10 Canal review.md",
        "- [ ] Order spare fuses",
        "- [ ] Order spare fuses @Lena 📅 2026-03-05",
        "the task, now matched",
    );
    assert!(server
        .get("/people/lena-park/")
        .body
        .contains("Order spare fuses"));
    // A person a TABLE with a WHERE leaves out, then the same person now in it.
    edit(
        "People/Tomas Berg.md",
        "company: Canal Works",
        "company: Canal Works Ltd",
        "a field of a person a query leaves out",
    );
    edit(
        "People/Tomas Berg.md",
        "role: City liaison",
        "role: Field engineer",
        "a field that brings a person into a query",
    );
    assert!(server
        .get("/queries/every-kind/")
        .body
        .contains("Canal Works Ltd"));
    // A person's field: their profile and a TABLE over people.
    edit(
        "People/Lena Park.md",
        "role: Field engineer",
        "role: Lead field engineer",
        "a person's field",
    );
    assert!(server
        .get("/people/lena-park/")
        .body
        .contains("Lead field engineer"));
    // A person named without a link: the unlinked mentions on the person's page, whose
    // sentence changes with a second edit.
    edit(
        "Projects/Archive/Old Bridge.md",
        "Finished last year",
        "Tomas Berg signed it off. Finished last year",
        "a new unlinked mention",
    );
    assert!(server
        .get("/people/tomas-berg/")
        .body
        .contains("<mark>Tomas Berg</mark> signed it off."));
    edit(
        "Projects/Archive/Old Bridge.md",
        "signed it off.",
        "signed the handover off.",
        "an unlinked mention's sentence",
    );
    assert!(server
        .get("/people/tomas-berg/")
        .body
        .contains("<mark>Tomas Berg</mark> signed the handover off."));
    // A link to a note not written yet: a new "not written yet" page (its URL is new, so every
    // page is rendered), but the analysis is still taken over.
    edit_as(
        "Daily/2026-03-03.md",
        "\n",
        "\nSee [[Weir Survey]] later.\n",
        "a new missing target",
        true,
    );
    assert_eq!(server.get("/weir-survey/").status, 200);

    // Changes of names. After each, the site is the one a fresh build writes; `incremental` says
    // whether the last analysis was taken over (notes renamed, moved, given another title or
    // aliases, new or deleted), and every page is rendered.
    let after = |b: u64, what: &str, incremental: bool| {
        let st = server.wait_builds(b + 1);
        assert_same_as_build(&server, &v, what);
        assert_eq!(st["full"], true, "{what}: every page rendered: {st}");
        assert_eq!(st["incremental"], incremental, "{what}: {st}");
        st
    };
    // A save that keeps every name: the site is the one a fresh build writes.
    let append = |path: &str, text: &str, what: &str| {
        let b = server.builds();
        v.append(path, text);
        server.wait_builds(b + 1);
        assert_same_as_build(&server, &v, what);
    };
    let lamp = "---\ntags: [log]\n---\nLamp readings for [[Canal Lights]]. Lena Park checked them.\n\n- [ ] Replace lamp 4 @Lena\n";
    // Queries that read names: a folder's notes, the links of a note that links to it by an
    // alias (which a rename leaves as it is), a WHERE on the file name, the notes linking to a
    // note named by an alias or by the name a rename gives it, a task's note.
    let queries = "# Logs\n\n```dataview\nLIST FROM \"Notes\"\n```\n\n```dataview\nTABLE file.outlinks AS Out FROM \"Meetings\" WHERE file.name = \"2026-02-10 Canal review\"\n```\n\n```dataview\nLIST WHERE file.name = \"Lamp log 2\"\n```\n\n```dataview\nLIST FROM [[Lamps]]\n```\n\n```dataview\nLIST FROM [[Lamp log 2]]\n```\n\n```dataview\nTASK WHERE contains(text, \"lamp 4\")\n```\n";
    let b = server.builds();
    v.write("Queries/Logs.md", queries);
    after(b, "a note of queries added", true);
    // A new note in a new folder: the vault is walked again.
    let b = server.builds();
    v.write("Notes/Lamp log.md", lamp);
    let st = after(b, "a plain note added", true);
    assert_eq!(st["walked"], true, "{st}");
    let b = server.builds();
    v.append(
        "Meetings/2026-03-02 Orchard sync.md",
        "\nSee [[Lamp log]] and [[Lamps]].\n",
    );
    after(
        b,
        "a meeting links to it, and to a note not written yet",
        true,
    );
    // Another meeting links to the same name: it will go on linking to the note when the note
    // is renamed (its links resolve the same way), while a query shows that link.
    append(
        "Meetings/2026-02-10 Canal review.md",
        "\nLamps are listed in [[Lamps]].\n",
        "another meeting links to the same name",
    );
    // A note after those, by path, links to a note not written yet: "not written yet" pages
    // are numbered in the order links to them come, so its number shifts with the ones above.
    append(
        "People/Tomas Berg.md",
        "\nAsked about the [[Tram depot]].\n",
        "a later note links to a note not written yet",
    );
    // A note naming the title the next step gives it: an unlinked mention that comes with it.
    append(
        "Daily/2026-03-03.md",
        "\nRead the Lamp journal before the walk.\n",
        "a note names a title no note has yet",
    );
    let titled = lamp.replace("tags: [log]", "title: Lamp journal\ntags: [log]");
    let b = server.builds();
    v.write("Notes/Lamp log.md", &titled);
    after(b, "a plain note's title", true);
    assert!(server
        .get("/projects/canal-lights/")
        .body
        .contains("Lamp journal"));
    assert!(server
        .get("/notes/lamp-log/")
        .body
        .contains("<mark>Lamp journal</mark> before the walk."));
    let b = server.builds();
    v.write(
        "Notes/Lamp log.md",
        &titled.replace("tags: [log]", "aliases: [Lamps]\ntags: [log]"),
    );
    after(b, "an alias that a meeting's link now finds", true);
    assert_eq!(server.get("/lamps/").status, 404, "no longer missing");
    let rename = |from: &str, to: &str| {
        std::fs::rename(v.root.join(from), v.root.join(to)).unwrap();
    };
    let b = server.builds();
    rename("Notes/Lamp log.md", "Notes/Lamp log 2.md");
    let st = after(b, "a plain note renamed in its place", true);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/lamp-log/").status, 200, "now missing");
    assert_eq!(server.get("/notes/lamp-log-2/").status, 200);
    let logs = server.get("/queries/logs/").body;
    assert!(logs.matches("notes/lamp-log-2/").count() >= 4, "{logs}");
    let b = server.builds();
    rename("Notes/Lamp log 2.md", "Daily/Lamp log 2.md");
    let st = after(b, "a plain note moved before other notes", true);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/daily/lamp-log-2/").status, 200);

    // People, meetings and projects renamed in place: their profiles, meetings and tasks are
    // worked out again where a name they go by changed. A meeting names a project in its
    // properties, by the title the last step takes away.
    let b = server.builds();
    rewrite(
        "Meetings/2026-02-10 Canal review.md",
        "type: meeting",
        "type: meeting\nproject: Orchard Sensors",
    );
    server.wait_builds(b + 1);
    assert_same_as_build(&server, &v, "a meeting names a project in its properties");
    for (from, to, what) in [
        (
            "Projects/Canal Lights.md",
            "Projects/Canal Lights 2.md",
            "a project",
        ),
        (
            "Meetings/2026-03-02 Orchard sync.md",
            "Meetings/2026-03-02 Orchard sync 2.md",
            "a meeting",
        ),
        ("People/Tomas Berg.md", "People/Tomas Berg 2.md", "a person"),
    ] {
        let b = server.builds();
        rename(from, to);
        let st = after(b, &format!("{what} renamed in its place"), true);
        assert_eq!(st["walked"], false, "{st}");
    }
    // Renamed or moved so that they sort elsewhere: the last analysis is renumbered, and taken
    // over as after a rename in place.
    for (from, to, what) in [
        (
            "Projects/Canal Lights 2.md",
            "Daily/Canal Lights.md",
            "a project moved before other notes",
        ),
        (
            "Meetings/2026-03-02 Orchard sync 2.md",
            "Meetings/2026-01-20 Orchard sync.md",
            "a meeting renamed to an earlier date",
        ),
        (
            "People/Tomas Berg 2.md",
            "Daily/Tomas Berg.md",
            "a person moved before other notes",
        ),
        (
            "Daily/Tomas Berg.md",
            "Queries/Tomas Berg.md",
            "a person moved after other notes",
        ),
        (
            "Daily/Canal Lights.md",
            "Projects/Canal Lights.md",
            "a project moved back after other notes",
        ),
    ] {
        let b = server.builds();
        rename(from, to);
        let st = after(b, what, true);
        assert_eq!(st["walked"], false, "{st}");
    }
    // New notes of every kind: the last analysis is renumbered around them and taken over. A
    // project that links written earlier were waiting for (its title sorts it before the other
    // projects, whose numbers shift), a person that a new meeting has as participant and that a
    // task names, a note naming them without a link, and a second note about a person.
    for (path, text, what) in [
        (
            "Projects/Weir Survey.md",
            "---\ntype: project\ntitle: Abbey Weir Survey\nstatus: active\n---\n# Weir Survey\n\n- [ ] Measure the weir @Lena\n",
            "a new project that links were waiting for",
        ),
        (
            "People/Mara Quist.md",
            "---\ntype: person\nrole: Surveyor\n---\n# Mara Quist\n\nWorks on [[Weir Survey]].\n",
            "a new person",
        ),
        (
            "Meetings/2026-03-03 Weir kickoff.md",
            "---\ntype: meeting\nparticipants: [\"[[Mara Quist]]\", \"[[Lena Park]]\"]\nproject: Abbey Weir Survey\n---\n# Weir kickoff\n\n- [ ] Book the boat @Mara 📅 2026-03-06\n",
            "a new meeting with the new person",
        ),
        (
            "Daily/2026-03-04.md",
            "# Today\n\nThe Weir Survey starts; Mara Quist leads it.\n",
            "a new note naming them without links",
        ),
        (
            "People/Lena Park (2024).md",
            "---\ntype: person\naliases: [Lena Park]\nrole: Junior engineer\n---\n# Lena Park\n\n## Notes\n\n- Likes soil probes\n",
            "a second note about a person, merged into her profile",
        ),
    ] {
        let b = server.builds();
        v.write(path, text);
        let st = after(b, what, true);
        assert_eq!(st["walked"], false, "{st}");
    }
    assert!(server
        .get("/people/mara-quist/")
        .body
        .contains("Weir kickoff"));
    let lena = server.get("/people/lena-park/").body;
    assert!(
        lena.contains("Likes soil probes"),
        "the two notes are one profile"
    );
    // And deleted again, one by one: the note naming them, the meeting with its tasks, the
    // person it had as participant, and the project, whose links wait again.
    for (path, what) in [
        ("Daily/2026-03-04.md", "a note naming others deleted"),
        (
            "People/Lena Park (2024).md",
            "one of a person's two notes deleted",
        ),
        ("Meetings/2026-03-03 Weir kickoff.md", "a meeting deleted"),
        ("People/Mara Quist.md", "a person deleted"),
        (
            "Projects/Weir Survey.md",
            "a project with links to it deleted",
        ),
    ] {
        let b = server.builds();
        std::fs::remove_file(v.root.join(path)).unwrap();
        let st = after(b, what, true);
        assert_eq!(st["walked"], false, "{st}");
    }
    assert_eq!(
        server.get("/weir-survey/").status,
        200,
        "not written yet again"
    );
    // The title of the project the meeting names (and does not link to).
    edit_as(
        "Projects/Orchard Sensors.md",
        "type: project",
        "type: project\ntitle: Orchard Probes",
        "a project's title",
        true,
    );

    // Files that come or go without a walk of the vault, and what still walks it.
    // Obsidian's delete moves the note into the hidden `.trash` folder: the note is gone.
    std::fs::create_dir_all(v.root.join(".trash")).unwrap();
    wait_quiet();
    let b = server.builds();
    rename("Daily/Lamp log 2.md", ".trash/Lamp log 2.md");
    let st = after(b, "a note moved to the trash", true);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/daily/lamp-log-2/").status, 404);
    // Back from the trash, under a name that is not a note, then as a note.
    let b = server.builds();
    rename(".trash/Lamp log 2.md", "Daily/Lamp log 2.txt");
    let st = server.wait_builds(b + 1);
    assert_eq!(st["walked"], false, "{st}");
    assert_same_as_build(&server, &v, "a file that is not a note");
    let b = server.builds();
    rename("Daily/Lamp log 2.txt", "Daily/Lamp log 2.md");
    let st = after(b, "the file renamed into a note", false);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/daily/lamp-log-2/").status, 200);
    // A new note in a folder the last walk found: taken in without a walk.
    let b = server.builds();
    v.write("Notes/Spares.md", "Spare lamps for [[Canal Lights]].\n");
    let st = after(b, "a note added to a folder", true);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/notes/spares/").status, 200);
    // A note moved into a private folder leaves the site, and comes back when moved out.
    let b = server.builds();
    rename("Notes/Spares.md", "Private/Spares.md");
    let st = after(b, "a note moved into a private folder", false);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/notes/spares/").status, 404);
    let b = server.builds();
    rename("Private/Spares.md", "Notes/Spares.md");
    let st = after(b, "the note moved out of it", false);
    assert_eq!(st["walked"], false, "{st}");
    assert_eq!(server.get("/notes/spares/").status, 200);
    // A linked note is the file it links to: a new link walks the vault, and a save of that
    // file changes both pages.
    #[cfg(unix)]
    {
        let b = server.builds();
        std::os::unix::fs::symlink(
            v.root.join("Notes/Spares.md"),
            v.root.join("Notes/Spares link.md"),
        )
        .unwrap();
        let st = after(b, "a link to a note", true);
        assert_eq!(st["walked"], true, "{st}");
        let b = server.builds();
        v.write("Notes/Spares.md", "Spare fuses for [[Canal Lights]].\n");
        let st = server.wait_builds(b + 1);
        assert_eq!(st["walked"], false, "{st}");
        assert_same_as_build(&server, &v, "a linked note saved");
        assert!(server
            .get("/notes/spares-link/")
            .body
            .contains("Spare fuses"));
    }
    // A folder renamed: its notes went with it, so the vault is walked; each note is paired
    // with the one it was, and the last analysis is taken over.
    let b = server.builds();
    rename("Projects/Archive", "Projects/Done");
    let st = after(b, "a folder renamed", true);
    assert_eq!(st["walked"], true, "{st}");
    assert_eq!(server.get("/projects/done/old-bridge/").status, 200);
    assert_eq!(server.get("/projects/archive/old-bridge/").status, 404);
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
