//! `wikigen serve`, incremental rebuilds: one server, a long series of edits, renames, moves,
//! new and deleted notes of every kind; after each, the server serves exactly what a fresh
//! `wikigen build` of the same vault writes, and its status says whether the last analysis was
//! taken over.

mod common;

use common::serve::{assert_same_as_build, wait_quiet, Server};

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
    // Then renamed or moved so that they sort elsewhere: the last analysis is renumbered, and
    // taken over as after a rename in place.
    for (from, to, what) in [
        (
            "Projects/Canal Lights.md",
            "Projects/Canal Lights 2.md",
            "a project renamed in its place",
        ),
        (
            "Meetings/2026-03-02 Orchard sync.md",
            "Meetings/2026-03-02 Orchard sync 2.md",
            "a meeting renamed in its place",
        ),
        (
            "People/Tomas Berg.md",
            "People/Tomas Berg 2.md",
            "a person renamed in its place",
        ),
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
