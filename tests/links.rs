//! Link resolution matrix: every Obsidian rule (reference obsidian.md §1.1–1.2) plus wikigen's
//! alias/title fallback, headings and blocks, unresolved links, backlinks and diagnostics.

mod common;

use common::*;

/// The href of the one link with `text` in the body of `page`.
fn href(b: &Build, page: &str, text: &str) -> String {
    b.link(page, text).href
}

// ---------------------------------------------------------------------------------------------
// Obsidian's resolution order
// ---------------------------------------------------------------------------------------------

#[test]
fn exact_vault_path_beats_same_folder() {
    let v = vault(&[
        ("Note.md", "root note\n"),
        ("b/Note.md", "b note\n"),
        ("b/src.md", "See [[Note]] here.\n"),
        ("src.md", "See [[b/Note]] here.\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    // From b/, the bare name is also the exact vault path of the root note: that wins.
    assert_eq!(href(&b, "b/src/", "Note"), "../../note/");
    assert_eq!(href(&b, "src/", "b/Note"), "../b/note/");
}

#[test]
fn same_folder_beats_shortest_path() {
    let v = vault(&[
        ("b/Note.md", "b\n"),
        ("a/b/Note.md", "ab\n"),
        ("zzzz/Note.md", "z\n"),
        ("a/b/src.md", "See [[Note]].\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    // b/Note.md is shorter, but a/b/Note.md sits in the source's folder.
    assert_eq!(href(&b, "a/b/src/", "Note"), "../../../a/b/note/");
}

#[test]
fn shortest_full_path_wins_and_ancestors_do_not_count() {
    let v = vault(&[
        ("b/Note.md", "b\n"),
        ("a/b/Note.md", "ab\n"),
        ("zzzz/Note.md", "z\n"),
        // zzzz/ is an ancestor of the source: that gives zzzz/Note.md no advantage.
        ("zzzz/deep/src.md", "See [[Note]].\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "zzzz/deep/src/", "Note"), "../../../b/note/");
}

#[test]
fn shortest_is_by_string_length_not_by_depth() {
    // a/b/Note.md (11 chars, 3 segments) beats zzzz/Note.md (12 chars, 2 segments).
    let v = vault(&[
        ("a/b/Note.md", "ab\n"),
        ("zzzz/Note.md", "z\n"),
        ("q/src.md", "See [[Note]].\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "q/src/", "Note"), "../../a/b/note/");
}

#[test]
fn equal_length_paths_are_broken_alphabetically() {
    let v = vault(&[
        ("yy/Item.md", "y\n"),
        ("xx/Item.md", "x\n"),
        ("qq/src.md", "See [[Item]].\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "qq/src/", "Item"), "../../xx/item/");
}

#[test]
fn links_are_case_insensitive() {
    let v = vault(&[
        ("Log.md", "log\n"),
        ("Deep/Dir/Journal Entry.md", "j\n"),
        (
            "src.md",
            "[[log]] and [[LOG]] and [[journal entry]] and [[deep/dir/JOURNAL ENTRY]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "log"), "../log/");
    assert_eq!(href(&b, "src/", "LOG"), "../log/");
    assert_eq!(
        href(&b, "src/", "journal entry"),
        "../deep/dir/journal-entry/"
    );
    assert_eq!(
        href(&b, "src/", "deep/dir/JOURNAL ENTRY"),
        "../deep/dir/journal-entry/"
    );
    assert!(
        b.diags_with("unresolved-link").is_empty(),
        "{:?}",
        b.diags()
    );
}

#[test]
fn exact_case_wins_a_case_only_tie() {
    let v = vault(&[
        ("InfoFlow.md", "camel\n"),
        ("infoflow.md", "lower\n"),
        ("src.md", "[[InfoFlow]] and [[infoflow]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    // Both notes get a page; the second one (by path order) gets the suffixed URL.
    assert_eq!(b.outcome("InfoFlow.md").url.as_deref(), Some("infoflow/"));
    assert_eq!(b.outcome("infoflow.md").url.as_deref(), Some("infoflow-2/"));
    assert_eq!(href(&b, "src/", "InfoFlow"), "../infoflow/");
    assert_eq!(href(&b, "src/", "infoflow"), "../infoflow-2/");
}

#[test]
fn exact_case_wins_a_case_only_tie_in_a_subfolder() {
    let v = vault(&[
        ("cases/InfoFlow.md", "camel\n"),
        ("cases/infoflow.md", "lower\n"),
        ("cases/src.md", "[[InfoFlow]] and [[infoflow]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(
        b.outcome("cases/infoflow.md").url.as_deref(),
        Some("cases/infoflow-2/")
    );
    assert_eq!(href(&b, "cases/src/", "InfoFlow"), "../../cases/infoflow/");
    assert_eq!(
        href(&b, "cases/src/", "infoflow"),
        "../../cases/infoflow-2/"
    );
}

#[test]
fn nfc_and_nfd_file_names_and_links_match() {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.nfc().collect::<String>();
    let nfd = |s: &str| s.nfd().collect::<String>();
    assert_ne!(nfc("Zoë Ångström"), nfd("Zoë Ångström"));
    let v = vault(&[]);
    // One file name written decomposed (as macOS does), one composed.
    v.write(&format!("{}.md", nfd("Zoë Ångström")), "decomposed name\n");
    v.write(&format!("{}.md", nfc("Éloïse Brûlé")), "composed name\n");
    v.write(
        "src.md",
        &format!(
            "one [[{}]] two [[{}]] three [[{}]]\n",
            nfc("Zoë Ångström"),
            nfd("Éloïse Brûlé"),
            nfd("zoë ångström")
        ),
    );
    let b = v.build(&[]);
    b.ok();
    assert!(
        b.diags_with("unresolved-link").is_empty(),
        "{:?}",
        b.diags()
    );
    let links = anchors(&b.content("src/"));
    let hrefs: Vec<&str> = links.iter().map(|a| a.href.as_str()).collect();
    assert_eq!(
        hrefs,
        vec![
            "../zo%C3%AB-%C3%A5ngstr%C3%B6m/",
            "../%C3%A9lo%C3%AFse-br%C3%BBl%C3%A9/",
            "../zo%C3%AB-%C3%A5ngstr%C3%B6m/",
        ]
    );
    assert!(links.iter().all(|a| a.class == "internal"), "{links:?}");
    // Page folders are written in NFC whatever the file name's form.
    assert!(
        b.has(&format!("{}/", nfc("zoë-ångström"))),
        "{:#?}",
        b.files()
    );
    assert!(
        b.has(&format!("{}/", nfc("éloïse-brûlé"))),
        "{:#?}",
        b.files()
    );
}

#[test]
fn link_text_ending_in_a_multibyte_character_does_not_crash() {
    let v = vault(&[
        ("José Núñez.md", "person\n"),
        ("Señor.md", "title\n"),
        ("東京2.md", "city\n"),
        ("src.md", "[[José Núñez]] and [[Señor]] and [[東京2]]\n"),
    ]);
    let b = v.build(&[]);
    assert_eq!(b.run.code, 0, "stderr:\n{}", b.run.stderr);
    assert_eq!(
        href(&b, "src/", "José Núñez"),
        "../jos%C3%A9-n%C3%BA%C3%B1ez/"
    );
    assert_eq!(href(&b, "src/", "Señor"), "../se%C3%B1or/");
    assert_eq!(href(&b, "src/", "東京2"), "../%E6%9D%B1%E4%BA%AC2/");
}

#[test]
fn spaces_and_punctuation_in_names() {
    let v = vault(&[
        ("We!rd (name) [x].md", "weird\n"),
        ("Plain (name) & co!.md", "plain\n"),
        ("Sub/My Note.md", "mine\n"),
        (
            "src.md",
            "[pct](We!rd%20(name)%20[x].md) [angle](<We!rd (name) [x].md>) [[Plain (name) & co!]] [[Sub/My Note]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(
        b.outcome("We!rd (name) [x].md").url.as_deref(),
        Some("we-rd-name-x/")
    );
    assert_eq!(href(&b, "src/", "pct"), "../we-rd-name-x/");
    assert_eq!(href(&b, "src/", "angle"), "../we-rd-name-x/");
    assert_eq!(href(&b, "src/", "Plain (name) & co!"), "../plain-name-co/");
    assert_eq!(href(&b, "src/", "Sub/My Note"), "../sub/my-note/");
    assert!(
        b.diags_with("unresolved-link").is_empty(),
        "{:?}",
        b.diags()
    );
}

#[test]
fn single_bracket_inside_a_wikilink_target() {
    let v = vault(&[("Sq]uare.md", "sq\n"), ("src.md", "go [[Sq]uare]] now\n")]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "Sq]uare"), "../sq-uare/");
}

#[test]
fn wikilinks_comrak_rejects_are_read_the_obsidian_way() {
    let v = vault(&[
        ("Target.md", "# Part\n\nt\n"),
        ("Inner.md", "i\n"),
        ("Sq]uare.md", "embedded square text\n"),
        (
            "src.md",
            "- é [[Target#Part||odd alias]] x\n\
             - outer [[a [[Inner]] c]] end\n\
             - empty [[]] and [[|lead]] and \\[\\[Target]] escaped\n\
             \n\
             ![[Sq]uare]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    // Split at the first pipe: the alias keeps the second one.
    let odd = b.link("src/", "|odd alias");
    assert_eq!(odd.href, "../target/#part");
    // Each `]]` closes the last `[[` before it.
    assert_eq!(href(&b, "src/", "Inner"), "../inner/");
    let c = b.content("src/");
    assert!(c.contains("outer [[a "), "{c}");
    assert!(c.contains(" c]] end"), "{c}");
    // `[[]]` is text; `[[|lead]]` links to a note named `|lead`; escaped brackets are text.
    assert!(c.contains("empty [[]] and"), "{c}");
    assert_eq!(b.link("src/", "|lead").class, "internal unresolved");
    assert!(c.contains("[[Target]] escaped"), "{c}");
    // An embed whose target holds a `]`.
    assert!(c.contains("embedded square text"), "{c}");
    // Positions point at the rescued links (line, byte column).
    let unresolved = b.diag_locations("unresolved-link");
    assert_eq!(
        unresolved,
        vec![("src.md".to_string(), 3, 18)],
        "{unresolved:?}"
    );
    // The backlink context of a rescued link marks it.
    let bl = b.backlinks("target/");
    assert!(bl.contains("é <mark>|odd alias</mark> x"), "{bl}");
}

#[test]
fn md_extension_is_optional_and_case_insensitive_other_files_need_theirs() {
    let v = vault(&[
        ("Note.md", "n\n"),
        ("Chart.png", "not really a png"),
        (
            "src.md",
            "[[Note.md]] [[Note.MD]] [[note.Md]] [[Chart.png]] [[Chart]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    for t in ["Note.md", "Note.MD", "note.Md"] {
        assert_eq!(href(&b, "src/", t), "../note/", "{t}");
    }
    let chart = b.link("src/", "Chart.png");
    assert_eq!(chart.href, "../Chart.png");
    assert_eq!(chart.class, "internal attachment");
    assert!(b.files().contains(&"Chart.png".to_string()));
    // Without its extension an attachment is not found (Obsidian's rule).
    let bare = b.link("src/", "Chart");
    assert_eq!(bare.class, "internal unresolved");
    assert_eq!(bare.href, "../chart/");
    let unresolved = b.diags_with("unresolved-link");
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert_eq!((unresolved[0].line, unresolved[0].column), (1, 51));
}

#[test]
fn path_suffix_links_match_whole_segments() {
    let v = vault(&[
        ("deep/sub/Note.md", "n\n"),
        (
            "src.md",
            "[[sub/note]] and [[deep/sub/Note]] and [[ub/Note]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "sub/note"), "../deep/sub/note/");
    assert_eq!(href(&b, "src/", "deep/sub/Note"), "../deep/sub/note/");
    let partial = b.link("src/", "ub/Note");
    assert_eq!(partial.class, "internal unresolved");
    assert_eq!(b.diags_with("unresolved-link").len(), 1);
}

#[test]
fn relative_links_resolve_against_the_source_folder() {
    let v = vault(&[
        ("Note.md", "root\n"),
        ("dir/Note.md", "dir\n"),
        ("sibling/Sib.md", "sib\n"),
        (
            "dir/src.md",
            "[[./Note]] [[../sibling/Sib]] [[../Note]] [[./Ghost]] [[Note]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "dir/src/", "./Note"), "../../dir/note/");
    assert_eq!(href(&b, "dir/src/", "../sibling/Sib"), "../../sibling/sib/");
    assert_eq!(href(&b, "dir/src/", "../Note"), "../../note/");
    // A bare name still follows the exact-path rule: the root note.
    assert_eq!(href(&b, "dir/src/", "Note"), "../../note/");
    let ghost = b.link("dir/src/", "./Ghost");
    assert_eq!(ghost.class, "internal unresolved");
    assert_eq!(ghost.href, "../../dir/ghost/");
    assert!(b.has("dir/ghost/"));
}

#[test]
fn leading_slash_means_the_vault_root() {
    let v = vault(&[
        ("Note.md", "root\n"),
        ("dir/Note.md", "dir\n"),
        ("dir/src.md", "[[/Note]] and [[/dir/Note]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "dir/src/", "/Note"), "../../note/");
    assert_eq!(href(&b, "dir/src/", "/dir/Note"), "../../dir/note/");
}

#[test]
fn links_that_leave_the_vault_are_plain_text_and_nothing_outside_is_read() {
    let v = vault(&[
        ("Note.md", "inside\n"),
        (
            "sub/src.md",
            "A [[../../../etc/passwd]] B [text](../../../../etc/passwd) C [[../../outside-secret]] D\n\n![pic](../../outside.png)\n\n![[../../outside-secret]]\n",
        ),
    ]);
    // Files beside the vault that the links point at.
    write_file(&v.dir().join("outside-secret.md"), "CANARY-OUTSIDE-7731\n");
    write_file(&v.dir().join("outside.png"), "CANARY-OUTSIDE-PNG-7732");
    #[cfg(unix)]
    std::os::unix::fs::symlink(v.dir().join("outside-secret.md"), v.root.join("leak.md")).unwrap();
    let before = list_files(v.dir());
    let b = v.build(&[]);
    b.ok();
    let c = b.content("sub/src/");
    // Rendered as text, never as a link or an image.
    assert_eq!(anchors(&c).len(), 0, "{c}");
    assert!(c.contains("<p>A <span class=\"broken-link\">../../../etc/passwd</span> B <span class=\"broken-link\">text</span> C <span class=\"broken-link\">../../outside-secret</span> D</p>"), "{c}");
    assert!(c.contains("<div class=\"embed embed-error\">Not embedded: <code>../../outside.png</code> is outside the vault.</div>"), "{c}");
    assert!(!c.contains("<img"), "{c}");
    assert_eq!(count(&c, "embed-error"), 2, "{c}");
    let locs = b.diag_locations("link-outside-vault");
    assert_eq!(
        locs,
        vec![
            ("sub/src.md".to_string(), 1, 3),
            ("sub/src.md".to_string(), 1, 29),
            ("sub/src.md".to_string(), 1, 62),
            ("sub/src.md".to_string(), 3, 1),
            ("sub/src.md".to_string(), 5, 1),
        ]
    );
    assert!(
        b.run
            .stderr
            .contains("warning[link-outside-vault]: sub/src.md:1:3:"),
        "{}",
        b.run.stderr
    );
    // Nothing from outside the vault reached the site, and nothing was written beside it.
    assert!(
        b.grep("CANARY-OUTSIDE").is_empty(),
        "{:?}",
        b.grep("CANARY-OUTSIDE")
    );
    // No attribute points at the file (the search index does hold the word, as written).
    assert!(b
        .grep("passwd\"")
        .iter()
        .all(|(f, _)| f.starts_with("_wikigen/search/t/")));
    assert!(
        !b.files()
            .iter()
            .any(|f| f.contains("outside") || f.contains("etc/") || f.contains("leak")),
        "{:#?}",
        b.files()
    );
    let after: Vec<String> = list_files(v.dir())
        .into_iter()
        .filter(|f| !f.starts_with("out/") && f != "report.json")
        .collect();
    assert_eq!(after, before);
    #[cfg(unix)]
    assert_eq!(b.outcome("leak.md").outcome, "ignored");
}

// ---------------------------------------------------------------------------------------------
// wikigen's fallbacks: aliases and titles
// ---------------------------------------------------------------------------------------------

#[test]
fn aliases_and_titles_resolve_when_no_file_matches() {
    let v = vault(&[
        ("People/Ada Byron.md", "---\naliases: [Countess, \"The Enchantress\"]\n---\nAda\n"),
        ("People/Solo.md", "---\naliases: Lone Wolf\n---\nsolo\n"),
        ("Projects/2024-kestrel.md", "---\ntitle: Project Kestrel\n---\nkestrel\n"),
        ("Countess Cathy.md", "---\naliases: [Cathy]\n---\nc\n"),
        ("Decoy.md", "---\naliases: [Ada Byron]\n---\ndecoy\n"),
        (
            "src.md",
            "[[Countess]] [[the enchantress]] [[Lone Wolf]] [[Project Kestrel]] [[Cathy]] [[Ada Byron]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "Countess"), "../people/ada-byron/");
    assert_eq!(href(&b, "src/", "the enchantress"), "../people/ada-byron/");
    assert_eq!(href(&b, "src/", "Lone Wolf"), "../people/solo/");
    assert_eq!(
        href(&b, "src/", "Project Kestrel"),
        "../projects/2024-kestrel/"
    );
    assert_eq!(href(&b, "src/", "Cathy"), "../countess-cathy/");
    // A real file always beats another note's alias.
    assert_eq!(href(&b, "src/", "Ada Byron"), "../people/ada-byron/");
    assert!(
        b.diags_with("unresolved-link").is_empty(),
        "{:?}",
        b.diags()
    );
    // The title-fallback target lists the link as a backlink.
    assert!(b
        .backlinks("projects/2024-kestrel/")
        .contains("<a class=\"backlink-title\" href=\"../../src/\">src</a>"));
}

// ---------------------------------------------------------------------------------------------
// Markdown links
// ---------------------------------------------------------------------------------------------

#[test]
fn markdown_links_are_decoded_and_looked_up_like_wikilinks() {
    let v = vault(&[
        ("Sub/My Note.md", "intro\n\n## Heading\n\ntext\n"),
        ("Sub/src.md", "[from sub](Sub/My%20Note.md)\n"),
        (
            "src.md",
            "[pct](My%20Note.md) [angle](<My Note.md>) [deep](Sub/My%20Note.md#Heading) [ext](https://example.org/x)\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "pct"), "../sub/my-note/");
    assert_eq!(href(&b, "src/", "angle"), "../sub/my-note/");
    assert_eq!(href(&b, "src/", "deep"), "../sub/my-note/#heading");
    let ext = b.link("src/", "ext");
    assert_eq!(ext.href, "https://example.org/x");
    assert_eq!(ext.class, "external");
    // A vault path is taken from the vault root, not from the source folder (no Sub/Sub/…).
    assert_eq!(href(&b, "sub/src/", "from sub"), "../../sub/my-note/");
    assert!(
        b.diags().iter().all(|d| d.severity != "warning"),
        "{:?}",
        b.diags()
    );
}

#[test]
fn markdown_links_to_anchors_relative_paths_and_files() {
    let v = vault(&[
        (
            "sub/S.md",
            "## My Heading\n\n[same](#My%20Heading) [rel](./Sib.md) [up](../Top.md) [blk](Top.md#^b1) [pdf](doc.pdf)\n",
        ),
        ("sub/Sib.md", "sib\n"),
        ("Top.md", "top para ^b1\n"),
        ("doc.pdf", "%PDF"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "sub/s/", "same"), "#my-heading");
    assert_eq!(href(&b, "sub/s/", "rel"), "../../sub/sib/");
    assert_eq!(href(&b, "sub/s/", "up"), "../../top/");
    assert_eq!(href(&b, "sub/s/", "blk"), "../../top/#^b1");
    let pdf = b.link("sub/s/", "pdf");
    assert_eq!(
        (pdf.class.as_str(), pdf.href.as_str()),
        ("internal attachment", "../../doc.pdf")
    );
    assert!(b.files().contains(&"doc.pdf".to_string()));
    assert!(b.diags().is_empty(), "{:?}", b.diags());
    assert_eq!(dangling_fragments(&b), Vec::<String>::new());
    assert_eq!(broken_relative_links(&b), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Headings and blocks
// ---------------------------------------------------------------------------------------------

const TARGET: &str = "# Top\n\n## The Solution: Regenerate\ntext\n\n# A\n## Setup\na setup\n# B\n## Setup\nb setup\n\nPara with id ^blk\n\n## Local Heading\n\nsee [[#Local Heading]] and [[#^blk]] here\n";

#[test]
fn heading_links_are_lenient_and_chains_pick_the_sub_heading() {
    let v = vault(&[
        ("Note.md", TARGET),
        (
            "src.md",
            "x [[Note#the solution regenerate]] [[Note#THE SOLUTION: REGENERATE|caps]] [[Note#B#Setup]] [[Note#A#Setup]] [[Note#Setup|plain]] [[Note#^blk]] [[Note#^BLK|upper]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    // Obsidian's default display text: `note > heading > sub`.
    assert_eq!(
        href(&b, "src/", "Note > the solution regenerate"),
        "../note/#the-solution-regenerate"
    );
    assert_eq!(href(&b, "src/", "caps"), "../note/#the-solution-regenerate");
    assert_eq!(href(&b, "src/", "Note > B > Setup"), "../note/#setup-1");
    assert_eq!(href(&b, "src/", "Note > A > Setup"), "../note/#setup");
    assert_eq!(href(&b, "src/", "plain"), "../note/#setup");
    assert_eq!(href(&b, "src/", "Note > ^blk"), "../note/#^blk");
    assert_eq!(href(&b, "src/", "upper"), "../note/#^blk");
    assert!(b.diags().is_empty(), "{:?}", b.diags());
    assert_eq!(dangling_fragments(&b), Vec::<String>::new());
    // The targets exist on the page.
    let note = b.content("note/");
    for id in [
        "the-solution-regenerate",
        "setup",
        "setup-1",
        "^blk",
        "local-heading",
    ] {
        assert_eq!(count(&note, &format!("id=\"{id}\"")), 1, "{id}\n{note}");
    }
}

#[test]
fn same_page_heading_and_block_links_are_fragment_only() {
    let v = vault(&[("Note.md", TARGET)]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "note/", "Local Heading"), "#local-heading");
    assert_eq!(href(&b, "note/", "^blk"), "#^blk");
    // A self-link is not a backlink.
    assert!(b
        .backlinks("note/")
        .contains("<span class=\"count\">0</span>"));
}

#[test]
fn links_to_a_leading_title_heading_point_at_an_existing_anchor() {
    let v = vault(&[
        (
            "Guide.md",
            "# Guide\n\nintro\n\n## Part\n\nx [[#Guide|top]]\n",
        ),
        ("Src.md", "[[Guide#Guide]] and [[Guide#Part]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "src/", "Guide > Part"), "../guide/#part");
    assert_eq!(dangling_fragments(&b), Vec::<String>::new());
}

#[test]
fn missing_heading_links_to_the_note_top_with_a_warning() {
    let v = vault(&[
        ("Note.md", TARGET),
        (
            "notes/src.md",
            "first line\n\nsee [[Note#Nope]] and [[Note#^gone]].\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    assert_eq!(href(&b, "notes/src/", "Note > Nope"), "../../note/");
    assert_eq!(href(&b, "notes/src/", "Note > ^gone"), "../../note/");
    let h = b.diags_with("missing-heading");
    assert_eq!(h.len(), 1, "{:?}", b.diags());
    assert_eq!(
        (h[0].file.as_str(), h[0].line, h[0].column),
        ("notes/src.md", 3, 5)
    );
    assert_eq!(h[0].severity, "warning");
    let k = b.diags_with("missing-block");
    assert_eq!(k.len(), 1, "{:?}", b.diags());
    assert_eq!(
        (k[0].file.as_str(), k[0].line, k[0].column),
        ("notes/src.md", 3, 23)
    );
    assert!(
        b.run
            .stderr
            .contains("warning[missing-heading]: notes/src.md:3:5: `Note` has no heading `Nope`"),
        "{}",
        b.run.stderr
    );
}

#[test]
fn aliased_link_inside_a_table_keeps_the_table_intact() {
    let v = vault(&[
        ("Note.md", "n\n"),
        ("src.md", "| who | what |\n|---|---|\n| [[Note\\|shown]] | second |\n| [[Note#Top\\|deep]] | third |\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("src/");
    assert_eq!(count(&c, "<td>"), 4, "{c}");
    assert!(c.contains("<td><a class=\"internal\" data-kind=\"note\" href=\"../note/\">shown</a></td>\n<td>second</td>"), "{c}");
    assert_eq!(href(&b, "src/", "deep"), "../note/");
    assert!(!c.contains("\\|"), "{c}");
}

// ---------------------------------------------------------------------------------------------
// Unresolved links and backlinks
// ---------------------------------------------------------------------------------------------

#[test]
fn unresolved_links_point_at_a_not_written_yet_page_listing_every_referrer() {
    let v = vault(&[
        (
            "Alpha.md",
            "We should visit [[Ghost Town]] soon.\n\nLater: [[ghost town|the town]] again.\n",
        ),
        ("notes/Beta.md", "- Rumours about [[Ghost Town]] persist.\n"),
        ("Gamma.md", "No links.\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let a = b.link("alpha/", "Ghost Town");
    assert_eq!(a.class, "internal unresolved");
    assert_eq!(a.href, "../ghost-town/");
    assert!(a.tag.contains("title=\"Not written yet\""), "{}", a.tag);
    assert_eq!(b.link("alpha/", "the town").href, "../ghost-town/");
    assert_eq!(
        b.link("notes/beta/", "Ghost Town").href,
        "../../ghost-town/"
    );
    // One page for both spellings.
    assert_eq!(
        b.files().iter().filter(|f| f.contains("ghost")).count(),
        1,
        "{:#?}",
        b.files()
    );
    let m = b.main("ghost-town/");
    assert!(
        m.contains("<h1 class=\"note-title\">Ghost Town</h1>"),
        "{m}"
    );
    assert!(
        m.contains("Mentioned in <span class=\"count\">2</span>"),
        "{m}"
    );
    assert_eq!(count(&m, "class=\"backlink-title\""), 2, "{m}");
    assert!(
        m.contains("<a class=\"backlink-title\" href=\"../alpha/\">Alpha</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a class=\"backlink-title\" href=\"../notes/beta/\">Beta</a>"),
        "{m}"
    );
    assert!(
        m.contains("We should visit <mark>Ghost Town</mark> soon."),
        "{m}"
    );
    assert!(m.contains("Later: <mark>the town</mark> again."), "{m}");
    assert!(
        m.contains("Rumours about <mark>Ghost Town</mark> persist."),
        "{m}"
    );
    assert!(!m.contains("Gamma"), "{m}");
    let locs = b.diag_locations("unresolved-link");
    assert_eq!(
        locs,
        vec![
            ("Alpha.md".to_string(), 1, 17),
            ("Alpha.md".to_string(), 3, 8),
            ("notes/Beta.md".to_string(), 1, 17),
        ]
    );
    assert!(
        b.run
            .stderr
            .contains("warning[unresolved-link]: Alpha.md:1:17: "),
        "{}",
        b.run.stderr
    );
}

#[test]
fn backlinks_list_each_linking_note_once_with_the_text_around_each_link() {
    let v = vault(&[
        ("Target.md", "I am the target. I link to [[Target]] myself.\n"),
        (
            "Alpha.md",
            "First we met [[Target]] at the station.\n\nSecond paragraph mentions [[Target|the goal]] twice over.\n",
        ),
        ("notes/Beta.md", "- An item about [[Target]] here.\n- Another item.\n"),
        ("Gamma.md", "Unrelated note.\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let bl = b.backlinks("target/");
    assert!(
        bl.contains("Linked from <span class=\"count\">2</span>"),
        "{bl}"
    );
    assert_eq!(count(&bl, "class=\"backlink-title\""), 2, "{bl}");
    assert_eq!(count(&bl, "href=\"../alpha/\">Alpha</a>"), 1, "{bl}");
    assert_eq!(count(&bl, "href=\"../notes/beta/\">Beta</a>"), 1, "{bl}");
    assert!(
        !bl.contains("Gamma") && !bl.contains("href=\"../target/\""),
        "{bl}"
    );
    assert!(
        bl.contains("<li>First we met <mark>Target</mark> at the station.</li>"),
        "{bl}"
    );
    assert!(
        bl.contains("<li>Second paragraph mentions <mark>the goal</mark> twice over.</li>"),
        "{bl}"
    );
    assert!(
        bl.contains("<li>An item about <mark>Target</mark> here.</li>"),
        "{bl}"
    );
    assert!(!bl.contains("Another item"), "{bl}");
}

#[test]
fn backlink_context_marks_the_link_not_an_earlier_word() {
    let v = vault(&[
        ("Target.md", "t\n"),
        (
            "Alpha.md",
            "Target practice is fun; read [[Target]] for the rules.\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    let bl = b.backlinks("target/");
    assert!(
        bl.contains("Target practice is fun; read <mark>Target</mark> for the rules."),
        "{bl}"
    );
}

#[test]
fn backlink_context_marks_every_link_of_a_block_and_finds_links_deep_in_long_paragraphs() {
    let filler = "Lorem ipsum dolor sit amet, the target of much talk. ".repeat(20);
    let v = vault(&[
        ("Target.md", "t\n"),
        (
            "Alpha.md",
            "See [[Target|the target]] and [the target](Target.md) again.\n",
        ),
        ("Beta.md", &format!("{filler}At last, [[Target]] itself.\n")),
    ]);
    let b = v.build(&[]);
    b.ok();
    let bl = b.backlinks("target/");
    // Two links in one paragraph: the paragraph once, both links marked.
    assert!(
        bl.contains("See <mark>the target</mark> and <mark>the target</mark> again."),
        "{bl}"
    );
    assert_eq!(bl.matches("See <mark>").count(), 1, "{bl}");
    // A link 1,000 bytes into a paragraph: the text around it, not the paragraph's start.
    assert!(bl.contains("At last, <mark>Target</mark> itself."), "{bl}");
}

// ---------------------------------------------------------------------------------------------
// Diagnostics and --strict
// ---------------------------------------------------------------------------------------------

#[test]
fn diagnostics_show_file_line_and_column() {
    let v = vault(&[(
        "notes/src.md",
        "---\ntitle: S\n---\n# S\n\nText then [[Nowhere]] end.\n",
    )]);
    let b = v.build(&[]);
    b.ok();
    let d = b.diags_with("unresolved-link");
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].column),
        ("notes/src.md", 6, 11)
    );
    assert!(
        b.run.stderr.contains("warning[unresolved-link]: notes/src.md:6:11: `Nowhere` links to `Nowhere`, which does not exist"),
        "{}",
        b.run.stderr
    );
    assert!(b.run.stdout.contains("(1 warning)"), "{}", b.run.stdout);
}

#[test]
fn strict_turns_warnings_into_exit_code_1_but_still_writes_the_site() {
    let v = vault(&[("A.md", "see [[Nowhere]]\n"), ("B.md", "fine\n")]);
    let normal = v.build(&[]);
    assert_eq!(normal.run.code, 0);
    let strict = v.build(&["--strict"]);
    assert_eq!(strict.run.code, 1, "{}", strict.run.stderr);
    assert!(
        strict
            .run
            .stderr
            .contains("warning[unresolved-link]: A.md:1:5:"),
        "{}",
        strict.run.stderr
    );
    for p in ["a/", "b/", "nowhere/", "", "404.html"] {
        assert!(strict.has(p), "{p} missing: {:#?}", strict.files());
    }
    // Infos alone do not fail a strict build.
    let v = vault(&[
        ("A.md", "---\nprivate: true\n---\nx\n"),
        ("B.md", "see [[A]]\n"),
    ]);
    let b = v.build(&["--strict"]);
    assert_eq!(b.run.code, 0, "{}", b.run.stderr);
    assert_eq!(b.diags_with("private-link")[0].severity, "info");
}
