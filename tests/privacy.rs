//! Privacy: private notes (`private: true`, `publish: false`, `[vault] private_folders`), private
//! frontmatter fields and private attachments never reach any output file, however public notes
//! refer to them.
//!
//! Every secret in the fixture contains the marker `zqcanary`, so one byte search over every
//! output file (HTML, CSS, JS, XML, copied attachments) proves nothing leaked.

mod common;

use common::*;

const MARK: &str = "zqcanary";

const CONFIG: &str = "\
[vault]
private_folders = [\"Secret\"]

[privacy]
private_fields = [\"phone\", \"Salary\"]
";

const PRIVATE_DIARY: &str = "\
---
private: true
title: zqcanary-title Diary
tags: [shared, zqcanary-fmtag]
aliases: [Nickname Public, zqcanary-alias]
---
# zqcanary-h1 heading

## zqcanary-h2 heading

The body says zqcanary-body and links to [[Public]] with zqcanary-context around it.

A block zqcanary-block. ^privblk

Inline tag #zqcanary-inlinetag here and a link to [[zqcanary-missing-target]] nobody wrote.

![[only-private.png]]
";

const PUBLIC: &str = "\
---
phone: \"+1 555 zqcanary-phone\"
Salary: zqcanary-salary
status: fine
---
# Public

Link [[Private Diary]] and alias [[Private Diary|my diary]] and heading [[Private Diary#Some heading]].

Relative [[./Secret/Plans]] and markdown [md](Secret/Plans.md) and [[Unpublished Ledger]].

Forced [[Forced]] and broken [[Broken]] and caps [[CapsKey]] and [[Caps]] and [[Deep]].

By alias [[Nickname Public]] and by name mention: Private Diary is mentioned in plain text.

Shared tag #shared here.

Link to the private file [[Secret/diagram.png]].

Embed note:

![[Private Diary]]

Embed block:

![[Private Diary#^privblk]]

Embed folder note:

![[Secret/Plans]]

Embed private image:

![[diagram.png]]

![[Secret/diagram.png|300]]

![d](Secret/diagram.png)

Embed a public note that embeds a private one:

![[Middle]]
";

fn private_vault() -> Vault {
    let v = vault(&[
        ("wikigen.toml", CONFIG),
        ("Private Diary.md", PRIVATE_DIARY),
        ("Unpublished Ledger.md", "---\npublish: false\ntags: [zqcanary-unpubtag]\n---\nzqcanary-unpublished body [[Public]]\n"),
        ("Secret/Plans.md", "zqcanary-folder body #zqcanary-foldertag [[Public]]\n"),
        ("Secret/Forced.md", "---\npublish: true\n---\nzqcanary-forced body\n"),
        ("Secret/deeper/Deep.md", "zqcanary-deep body\n"),
        ("SECRET/Caps.md", "zqcanary-capsfolder body\n"),
        ("Broken.md", "---\nprivate: true\ntags: [unclosed\ntitle: x\n---\nzqcanary-brokenyaml body\n"),
        ("CapsKey.md", "---\nPrivate: True\n---\nzqcanary-capskey body\n"),
        ("index.md", "---\nprivate: true\n---\nzqcanary-home body\n"),
        ("Public.md", PUBLIC),
        ("Middle.md", "Middle text.\n\n![[Private Diary]]\n\nMiddle links [[Unpublished Ledger]].\n"),
        ("Secretariat/Open.md", "Not private: the folder only starts like Secret.\n"),
        ("Second.md", "---\nPHONE: zqcanary-phone-upper\n---\nSecond note. #shared\n"),
    ]);
    v.write("only-private.png", "zqcanary-attachment-bytes");
    v.write("Secret/diagram.png", "zqcanary-secret-png-bytes");
    v.write("public.png", "public image");
    v
}

#[test]
fn no_secret_reaches_any_output_file() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    let leaks = b.grep(MARK);
    assert_eq!(leaks, vec![], "secrets leaked into the site");
    // Not even the slugs or paths of private notes.
    for slug in [
        "private-diary",
        "unpublished-ledger",
        "secret/plans",
        "secret/forced",
        "secret/deeper",
        "caps-key",
        "capskey",
        "broken/",
        "only-private",
    ] {
        // A public note's text says "caps [[CapsKey]]": that word is shown on its page (as plain
        // text), so search may find the public note by it. Nothing else may hold it.
        let found: Vec<_> = b
            .grep(slug)
            .into_iter()
            .filter(|(f, _)| !(slug == "capskey" && f.starts_with("_wikigen/search/t/")))
            .collect();
        assert_eq!(found, vec![], "{slug} appears in the site");
    }
    assert!(
        !b.files()
            .iter()
            .any(|f| f.to_lowercase().starts_with("secret/")),
        "{:#?}",
        b.files()
    );
    assert!(b.has("secretariat/open/"));
    // Every file type was searched.
    let files = b.files();
    for ext in [".html", ".css", ".js", ".xml"] {
        assert!(
            files.iter().any(|f| f.ends_with(ext)),
            "no {ext} file: {files:#?}"
        );
    }
}

#[test]
fn links_to_private_notes_are_plain_text_and_embeds_of_them_render_nothing() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    let c = b.content("public/");
    // The note's own text, before the embedded public note.
    let own = &c[..c.find("<div class=\"embed\"").expect("the Middle embed")];
    for label in [
        "Private Diary",
        "my diary",
        "Private Diary &gt; Some heading",
        "./Secret/Plans",
        "md",
        "Unpublished Ledger",
        "Forced",
        "Broken",
        "CapsKey",
        "Caps",
        "Deep",
        "Nickname Public",
        "Secret/diagram.png",
    ] {
        let span = format!("<span class=\"private-link\">{label}</span>");
        assert_eq!(count(own, &span), 1, "{span}\n{c}");
    }
    // The only links left in the body: the shared tag and the embedded public note (a private
    // note's alias is known as private, though nothing else of it is).
    let hrefs: Vec<(String, String)> = anchors(&c)
        .into_iter()
        .filter(|a| a.class != "block-anchor")
        .map(|a| (a.class, a.href))
        .collect();
    assert_eq!(
        hrefs,
        vec![
            ("tag".to_string(), "../tags/shared/".to_string()),
            ("internal".to_string(), "../middle/".to_string()),
        ],
        "{c}"
    );
    // Embeds of private notes and private files leave nothing, not even an error box.
    assert!(!c.contains("<img") && !c.contains("embed-error"), "{c}");
    assert_eq!(count(&c, "<div class=\"embed\""), 1, "{c}");
    let middle = section(&c, "<div class=\"embed\"", "</div></div>");
    assert!(middle.contains("Middle text."), "{middle}");
    assert!(
        middle.contains("<span class=\"private-link\">Unpublished Ledger</span>"),
        "{middle}"
    );
    // Links to private notes are infos, not warnings.
    let d = b.diags_with("private-link");
    assert!(d.len() >= 12, "{d:?}");
    assert!(d.iter().all(|d| d.severity == "info"));
    assert!(
        b.diags_with("unresolved-link")
            .iter()
            .all(|d| d.message.contains("Nickname Public")),
        "{:?}",
        b.diags()
    );
}

#[test]
fn private_notes_leave_no_page_backlink_tag_or_listing() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    // Private notes link to Public: no backlink from them.
    let bl = b.backlinks("public/");
    assert!(
        bl.contains("Linked from <span class=\"count\">0</span>"),
        "{bl}"
    );
    // Tags only private notes use have no page; a shared tag lists only public notes.
    let tag_pages: Vec<String> = b
        .files()
        .into_iter()
        .filter(|f| f.starts_with("tags/"))
        .collect();
    assert_eq!(tag_pages, vec!["tags/index.html", "tags/shared/index.html"]);
    let shared = b.main("tags/shared/");
    assert!(
        shared.contains("<p class=\"listing-meta\">2 notes"),
        "{shared}"
    );
    assert_eq!(count(&shared, "<h3 class=\"card-title\">"), 2, "{shared}");
    // The home page has no intro from the private index.md and lists only public notes.
    let home = b.main("");
    assert!(home.contains("<li><strong>4</strong> notes</li>"), "{home}");
    let recent = section(
        &home,
        "<section class=\"home-section\" aria-labelledby=\"recent-title\">",
        "</section>",
    );
    let titles: Vec<String> = anchors(&recent)
        .into_iter()
        .filter(|a| a.class.is_empty())
        .map(|a| strip_tags(&a.inner))
        .collect();
    assert_eq!(
        titles,
        vec!["Middle", "Open", "Public", "Second"],
        "{recent}"
    );
    // Pages: exactly the public notes (plus generated pages).
    let pages: Vec<String> = b
        .outcomes()
        .into_iter()
        .filter(|o| o.outcome == "page")
        .map(|o| o.path)
        .collect();
    assert_eq!(
        pages,
        vec!["Middle.md", "Public.md", "Second.md", "Secretariat/Open.md"]
    );
    assert!(
        b.run.stdout.contains("Built ")
            && b.run.stdout.contains(" from 13 notes, 9 private left out"),
        "{}",
        b.run.stdout
    );
}

#[test]
fn report_lists_every_private_note_as_private() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    for p in [
        "Private Diary.md",
        "Unpublished Ledger.md",
        "Secret/Plans.md",
        "Secret/Forced.md",
        "Secret/deeper/Deep.md",
        "SECRET/Caps.md",
        "Broken.md",
        "CapsKey.md",
        "index.md",
    ] {
        let o = b.outcome(p);
        assert_eq!(o.outcome, "private", "{p}: {o:?}");
        assert_eq!(o.url, None, "{p}");
    }
    assert_eq!(b.report()["private"], 9);
    assert_eq!(b.report()["published"], 4);
    // `publish: true` does not override a private folder, and malformed YAML saying
    // `private: true` keeps the note private (with a warning).
    let broken = b.diags_with("frontmatter-syntax");
    assert_eq!(broken.len(), 1, "{:?}", b.diags());
    assert_eq!(broken[0].file, "Broken.md");
}

#[test]
fn private_fields_are_never_output() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    let page = b.page("public/");
    let props = section(&page, "<details class=\"properties\"", "</details>");
    assert!(
        props.contains("<tr><th scope=\"row\">status</th><td>fine</td></tr>"),
        "{props}"
    );
    assert!(
        props.contains("Properties <span class=\"count\">1</span>"),
        "{props}"
    );
    assert!(
        !page.contains("phone") && !page.contains("Salary"),
        "{page}"
    );
    // Field names are matched ignoring case.
    assert!(!b.page("second/").contains("PHONE"));
    assert_eq!(b.grep("zqcanary-phone"), vec![]);
    assert_eq!(b.grep("zqcanary-salary"), vec![]);
}

#[test]
fn private_attachments_are_not_copied() {
    let v = private_vault();
    let b = v.build(&[]);
    b.ok();
    let files = b.files();
    assert!(
        !files
            .iter()
            .any(|f| f.contains("only-private") || f.contains("diagram")),
        "{files:#?}"
    );
    assert_eq!(b.outcome("only-private.png").outcome, "attachment-unused");
    assert_eq!(b.outcome("Secret/diagram.png").outcome, "attachment-unused");
    assert_eq!(b.outcome("public.png").outcome, "attachment-unused");
    assert_eq!(b.grep("zqcanary-attachment-bytes"), vec![]);
    assert_eq!(b.grep("zqcanary-secret-png-bytes"), vec![]);
}

#[test]
fn check_reports_private_notes_and_writes_nothing() {
    let v = private_vault();
    let c = v.check(&[]);
    assert_eq!(c.run.code, 0, "{}", c.run.stderr);
    assert!(
        c.run
            .stdout
            .contains("Checked 13 notes, 9 private left out"),
        "{}",
        c.run.stdout
    );
    assert!(!c.out.exists());
}

#[test]
fn private_fields_do_not_leak_through_unusual_frontmatter_delimiters() {
    let v = vault(&[
        ("wikigen.toml", "[privacy]\nprivate_fields = [\"phone\"]\n"),
        (
            "Trailing.md",
            "--- \nphone: zqcanary-trailing-space\nstatus: a\n---\nbody one\n",
        ),
        (
            "Dots.md",
            "---\nphone: zqcanary-dots-closer\nstatus: b\n...\nbody two\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(b.grep(MARK), vec![], "private field values leaked");
}

/// The audit: private notes, a private folder and private fields hold canaries and are reached
/// from public notes by every route there is (links, aliases, embeds, Dataview and Tasks queries,
/// inline queries, tags, meeting participants, a duplicate person note that would merge, unlinked
/// mentions, attachments). No output file of any kind holds a canary or a private note's URL.
#[test]
fn canary_audit_every_route_from_public_notes_to_private_ones() {
    const CANARY: &str = "zqaudit";
    let v = vault(&[
        (
            "wikigen.toml",
            "[vault]\nprivate_folders = [\"Vault Private\"]\n[privacy]\nprivate_fields = [\"salary\"]\n",
        ),
        (
            "People/Ann Public.md",
            "---\ntype: person\nrole: Engineer\nsalary: zqaudit-salary-field\naliases: [Ann P]\n---\n# Ann Public\n\nWorks with [[Secret Sam]] and [[Sammy|Sam]] and [[Sammy]].\n",
        ),
        (
            "People/Ann Public (old).md",
            "---\ntype: person\nprivate: true\nrole: zqaudit-dup-role\ncompany: zqaudit-dup-company\n---\n# Ann Public\n\n- Role: zqaudit-dup-fact\n\nzqaudit-dup-body\n",
        ),
        (
            "People/Secret Sam.md",
            "---\ntype: person\nprivate: true\naliases: [Sammy, zqaudit-alias]\ntags: [shared, zqaudit-tag]\nrole: zqaudit-role\n---\n# Secret Sam\n\nzqaudit-person-body mood:: zqaudit-inline\n\n- [ ] zqaudit-task 📅 2026-03-02\n- [x] zqaudit-done ✅ 2026-02-01\n\n## Plans zqaudit-heading\n\nPara zqaudit-para. ^privblock\n\n![[Vault Private/secret.png]]\n",
        ),
        (
            "Vault Private/Plan.md",
            "---\nstatus: zqaudit-folder-status\ntags: [shared]\n---\nzqaudit-folder-body #shared #zqaudit-inline-tag\n\n- [ ] zqaudit-folder-task\n\nowner:: [[Ann Public]]\n",
        ),
        (
            "Meetings/2026-02-01 Sync.md",
            "---\ntype: meeting\ndate: 2026-02-01\nparticipants: [\"[[Secret Sam]]\", \"[[Ann Public]]\", \"[[Sammy]]\"]\nattendees: [Secret Sam]\n---\n# Sync\n\nDiscussed with Secret Sam, whose notes stay private.\n\n![[Secret Sam]]\n\n![[Secret Sam#Plans]]\n\n![[Secret Sam#^privblock]]\n\n![[Vault Private/Plan]]\n\n![[Vault Private/secret.png]]\n\n[deck](Vault%20Private/deck.pdf)\n\n- [ ] public task for [[Secret Sam]] 📅 2026-03-03\n",
        ),
        (
            "Dashboard.md",
            "# Dashboard\n\n```dataview\nTABLE mood, status, salary, role, company, file.tags, file.inlinks, file.outlinks FROM \"\"\n```\n\n```dataview\nLIST FROM #shared\n```\n\n```dataview\nLIST FROM [[Secret Sam]]\n```\n\n```dataview\nTABLE participants, attendees FROM \"Meetings\"\n```\n\n```dataview\nTASK FROM \"\"\n```\n\n```tasks\nnot done\n```\n\n```tasks\ndone\n```\n\nInline: `= [[Secret Sam]].mood` and `= [[Secret Sam]].role` and `= length(file.inlinks)`.\n\nPublic tag #shared.\n",
        ),
        ("Mentions.md", "Sammy and Secret Sam are named here without a link.\n"),
    ]);
    v.write("Vault Private/secret.png", "zqaudit-png-bytes");
    v.write("Vault Private/deck.pdf", "zqaudit-pdf-bytes");
    let b = v.build(&[]);
    b.ok();

    let leaks = b.grep(CANARY);
    assert_eq!(leaks, vec![], "canaries in the output");
    // Nor the URLs or paths of the private notes, in any file (pages, search, graph, explorer,
    // sitemap).
    for slug in ["secret-sam", "vault-private", "ann-public-old"] {
        assert_eq!(b.grep(slug), vec![], "{slug}");
    }
    let files = b.files();
    assert!(
        !files
            .iter()
            .any(|f| f.contains("secret") || f.contains("private") || f.contains("deck")),
        "{files:#?}"
    );
    // Every kind of output file was checked.
    for ext in [".html", ".js", ".json", ".xml", ".css"] {
        assert!(
            files.iter().any(|f| f.ends_with(ext)),
            "no {ext}: {files:#?}"
        );
    }
    // The routes were really taken: the public pages exist and show what they may.
    assert!(b.page("people/ann-public/").contains("Engineer"));
    assert!(b.page("dashboard/").contains("public task for"));
    assert!(b.has("meetings/2026-02-01-sync/"));
    // A link by a private note's alias is a link to a private note: plain text, with the
    // private-link warning, and no "not written yet" page.
    assert!(!b.has("sammy/"), "{files:#?}");
    let ann = b.page("people/ann-public/");
    assert!(
        ann.contains(
            "<span class=\"private-link\">Sam</span> and <span class=\"private-link\">Sammy</span>"
        ),
        "{ann}"
    );
    let private_links = b.diags_with("private-link");
    let on_ann: Vec<_> = private_links
        .iter()
        .filter(|d| d.file == "People/Ann Public.md")
        .collect();
    assert_eq!(
        on_ann.len(),
        3,
        "by name, alias with a label, alias: {on_ann:?}"
    );
    assert_eq!(b.outcome("People/Secret Sam.md").outcome, "private");
    assert_eq!(b.outcome("Vault Private/Plan.md").outcome, "private");
    assert_eq!(
        b.outcome("Vault Private/secret.png").outcome,
        "attachment-unused"
    );
}
