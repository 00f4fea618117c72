//! Embeds: whole notes, heading sections, blocks, images with sizes, PDF/audio/video, cycles,
//! depth limits and missing targets.

mod common;

use common::*;

const SOURCE: &str = "\
# Source

Intro paragraph SRC-INTRO with [[Other]].

## Part One

ONE-TEXT here, see [[Other|the other]].

### Sub of one

SUB-TEXT.

## Part Two

TWO-TEXT here.

A block para BLOCK-PARA. ^para1

- item one ITEM-ONE ^item1
- item two ITEM-TWO

Between the lists BETWEEN-TEXT.

- list a LIST-A
- list b LIST-B

^listid

After list AFTER-LIST.
";

fn embed_vault(host: &str) -> Vault {
    vault(&[
        ("deep/Source.md", SOURCE),
        ("Other.md", "other note\n"),
        ("Host.md", host),
    ])
}

/// The `<div class="embed-content">` of the one note embed in `html` whose title is `title`.
fn embed_content<'a>(html: &'a str, title: &str) -> &'a str {
    let marker = format!("\">{title}</a></div><div class=\"embed-content\">");
    let starts: Vec<usize> = html
        .match_indices(&marker)
        .map(|(i, _)| i + marker.len())
        .collect();
    assert_eq!(
        starts.len(),
        1,
        "expected one embed titled {title:?} in\n{html}"
    );
    let rest = &html[starts[0]..];
    // Embeds here are not nested, so the first closing pair ends the content.
    let end = rest.find("</div></div>").expect("end of embed");
    &rest[..end]
}

#[test]
fn whole_note_embed_shows_the_note_with_a_link_to_its_source() {
    let v = embed_vault("Before.\n\n![[Source]]\n\nAfter.\n");
    let b = v.build(&[]);
    b.ok();
    let c = b.content("host/");
    assert_eq!(
        count(&c, "<div class=\"embed\" data-embed=\"note\">"),
        1,
        "{c}"
    );
    assert!(
        c.contains("<div class=\"embed\" data-embed=\"note\"><div class=\"embed-title\"><a class=\"internal\" data-kind=\"note\" href=\"../deep/source/\">Source</a></div><div class=\"embed-content\">"),
        "{c}"
    );
    let e = embed_content(&c, "Source");
    for t in [
        "SRC-INTRO",
        "ONE-TEXT",
        "SUB-TEXT",
        "TWO-TEXT",
        "BLOCK-PARA",
        "ITEM-ONE",
        "LIST-B",
        "AFTER-LIST",
    ] {
        assert_eq!(count(e, t), 1, "{t} in\n{e}");
    }
    // Links inside the embedded note are relative to the embedding page, not the source's.
    assert_eq!(anchors_with_text(e, "Other")[0].href, "../other/");
    assert_eq!(anchors_with_text(e, "the other")[0].href, "../other/");
    // The block id text is hidden.
    assert!(
        !e.contains("^para1</p>") && !e.contains("BLOCK-PARA. ^para1"),
        "{e}"
    );
    // The embed counts as a link for the source's backlinks.
    assert!(b
        .backlinks("deep/source/")
        .contains("href=\"../../host/\">Host</a>"));
}

#[test]
fn heading_embed_shows_only_that_section_and_its_sub_sections() {
    let v = embed_vault("![[Source#Part One]]\n\n![[Source#part two|Second]]\n");
    let b = v.build(&[]);
    b.ok();
    let c = b.content("host/");
    let one = embed_content(&c, "Source &gt; Part One");
    assert!(
        one.starts_with("<h2 id=\"part-one\">Part One</h2>"),
        "{one}"
    );
    assert!(
        one.contains("ONE-TEXT") && one.contains("SUB-TEXT"),
        "{one}"
    );
    for t in [
        "SRC-INTRO",
        "TWO-TEXT",
        "Part Two",
        "BLOCK-PARA",
        "AFTER-LIST",
    ] {
        assert!(
            !one.contains(t),
            "{t} leaked into the section embed:\n{one}"
        );
    }
    assert_eq!(anchors_with_text(one, "the other")[0].href, "../other/");
    assert_eq!(anchors_with_text(&c, "Source &gt; Part One").len(), 0);
    assert_eq!(
        b.link("host/", "Source > Part One").href,
        "../deep/source/#part-one"
    );
    // The last section runs to the end of the note.
    let two = embed_content(&c, "Second");
    assert!(
        two.starts_with("<h2 id=\"part-two\">Part Two</h2>"),
        "{two}"
    );
    for t in ["TWO-TEXT", "BLOCK-PARA", "ITEM-ONE", "LIST-B", "AFTER-LIST"] {
        assert!(two.contains(t), "{t} missing from\n{two}");
    }
    for t in ["SRC-INTRO", "ONE-TEXT", "SUB-TEXT"] {
        assert!(!two.contains(t), "{t} leaked into\n{two}");
    }
    assert_eq!(b.link("host/", "Second").href, "../deep/source/#part-two");
}

#[test]
fn block_embeds_show_only_the_block() {
    let v = embed_vault("Para:\n\n![[Source#^para1]]\n\nItem:\n\n![[Source#^item1]]\n\nList:\n\n![[Source#^listid]]\n");
    let b = v.build(&[]);
    b.ok();
    let c = b.content("host/");
    let para = embed_content(&c, "Source &gt; ^para1");
    assert_eq!(
        para,
        "<p><a class=\"block-anchor\" id=\"^para1\"></a>A block para BLOCK-PARA.</p>\n"
    );
    let item = embed_content(&c, "Source &gt; ^item1");
    assert!(item.contains("ITEM-ONE"), "{item}");
    for t in ["ITEM-TWO", "TWO-TEXT", "LIST-A", "BLOCK-PARA"] {
        assert!(
            !item.contains(t),
            "{t} leaked into the list-item embed:\n{item}"
        );
    }
    // A standalone `^id` line after a list names the whole list.
    let list = embed_content(&c, "Source &gt; ^listid");
    assert!(list.contains("LIST-A") && list.contains("LIST-B"), "{list}");
    assert_eq!(count(list, "<li>"), 2, "{list}");
    for t in ["ITEM-ONE", "BETWEEN-TEXT", "AFTER-LIST", "^listid</p>"] {
        assert!(!list.contains(t), "{t} leaked into the list embed:\n{list}");
    }
    assert_eq!(
        b.link("host/", "Source > ^listid").href,
        "../deep/source/#^listid"
    );
    assert!(b.diags().is_empty(), "{:?}", b.diags());
}

#[test]
fn image_embeds_with_sizes() {
    let v = vault(&[
        ("img.png", "fake png"),
        ("media/pic.jpg", "fake jpg"),
        ("media/my pic.webp", "fake webp"),
        ("unused.png", "never embedded"),
        (
            "Host.md",
            "![[img.png]]\n\n![[img.png|300]]\n\n![[img.png|640x480]]\n\n![A photo|200](media/pic.jpg)\n\n![[img.png|A caption]]\n\n![[my pic.webp]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("host/");
    let imgs: Vec<&str> = c
        .match_indices("<img ")
        .map(|(i, _)| &c[i..i + c[i..].find('>').unwrap() + 1])
        .collect();
    assert_eq!(
        imgs,
        vec![
            "<img class=\"embed-image\" src=\"../img.png\" alt=\"img.png\" loading=\"lazy\">",
            "<img class=\"embed-image\" src=\"../img.png\" alt=\"img.png\" width=\"300\" loading=\"lazy\">",
            "<img class=\"embed-image\" src=\"../img.png\" alt=\"img.png\" width=\"640\" height=\"480\" loading=\"lazy\">",
            "<img class=\"embed-image\" src=\"../media/pic.jpg\" alt=\"A photo\" width=\"200\" loading=\"lazy\">",
            "<img class=\"embed-image\" src=\"../img.png\" alt=\"A caption\" loading=\"lazy\">",
            "<img class=\"embed-image\" src=\"../media/my%20pic.webp\" alt=\"my pic.webp\" loading=\"lazy\">",
        ]
    );
    let files = b.files();
    for f in ["img.png", "media/pic.jpg", "media/my pic.webp"] {
        assert!(files.contains(&f.to_string()), "{f} not copied: {files:#?}");
    }
    assert_eq!(
        std::fs::read(b.out.join("media/pic.jpg")).unwrap(),
        b"fake jpg"
    );
    assert!(!files.contains(&"unused.png".to_string()));
    assert_eq!(b.outcome("unused.png").outcome, "attachment-unused");
    assert_eq!(b.outcome("img.png").outcome, "attachment-copied");
}

#[test]
fn pdf_audio_and_video_embeds() {
    let v = vault(&[
        ("files/doc.pdf", "%PDF fake"),
        ("files/song.mp3", "fake mp3"),
        ("files/clip.mp4", "fake mp4"),
        ("files/data.csv", "a,b"),
        (
            "sub/Host.md",
            "![[doc.pdf]]\n\n![[song.mp3]]\n\n![[clip.mp4]]\n\n![[data.csv]]\n",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("sub/host/");
    assert!(
        c.contains(
            "<iframe class=\"embed-pdf\" src=\"../../files/doc.pdf\" title=\"doc.pdf\"></iframe>"
        ),
        "{c}"
    );
    assert!(
        c.contains("<audio controls preload=\"none\" src=\"../../files/song.mp3\"></audio>"),
        "{c}"
    );
    assert!(
        c.contains("<video controls preload=\"metadata\" src=\"../../files/clip.mp4\"></video>"),
        "{c}"
    );
    // Other files become a download link.
    let csv = b.link("sub/host/", "data.csv");
    assert_eq!(
        (csv.class.as_str(), csv.href.as_str()),
        ("internal attachment", "../../files/data.csv")
    );
    for f in [
        "files/doc.pdf",
        "files/song.mp3",
        "files/clip.mp4",
        "files/data.csv",
    ] {
        assert!(b.files().contains(&f.to_string()), "{f}");
    }
}

#[test]
fn embed_cycles_stop_with_a_visible_marker_and_a_warning() {
    let v = vault(&[
        ("A.md", "A-TEXT\n\n![[B]]\n"),
        ("B.md", "B-TEXT\n\n![[A]]\n"),
        ("Self.md", "SELF-TEXT\n\n![[Self]]\n"),
    ]);
    let started = std::time::Instant::now();
    let b = v.build(&[]);
    b.ok();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let a = b.content("a/");
    assert_eq!(count(&a, "A-TEXT"), 1, "{a}");
    assert_eq!(count(&a, "B-TEXT"), 1, "{a}");
    assert_eq!(count(&a, "<div class=\"embed embed-error\">"), 1, "{a}");
    assert!(
        a.contains(
            "<div class=\"embed embed-error\">Embed cycle: A → B → A is not embedded again</div>"
        ),
        "{a}"
    );
    let s = b.content("self/");
    assert_eq!(count(&s, "SELF-TEXT"), 1, "{s}");
    assert!(
        s.contains(
            "<div class=\"embed embed-error\">Embed cycle: Self → Self is not embedded again</div>"
        ),
        "{s}"
    );
    let d = b.diags_with("embed-cycle");
    let locs: Vec<(&str, u64, u64)> = d
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        locs,
        vec![("A.md", 3, 1), ("B.md", 3, 1), ("Self.md", 3, 1)],
        "{d:?}"
    );
    assert!(d.iter().all(|d| d.severity == "warning"));
    assert!(
        b.run.stderr.contains("warning[embed-cycle]: A.md:3:1:"),
        "{}",
        b.run.stderr
    );
}

#[test]
fn embeds_deeper_than_embed_depth_are_refused() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("C{i}.md"),
                format!("LVL{i}-TEXT\n\n![[C{}]]\n", i + 1),
            )
        })
        .collect();
    files.push(("C6.md".into(), "LVL6-TEXT\n".into()));
    files.push(("wikigen.toml".into(), "[links]\nembed_depth = 2\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let v = vault(&refs);
    let b = v.build(&[]);
    b.ok();
    let c1 = b.content("c1/");
    for t in ["LVL1-TEXT", "LVL2-TEXT", "LVL3-TEXT"] {
        assert_eq!(count(&c1, t), 1, "{t}\n{c1}");
    }
    assert!(!c1.contains("LVL4-TEXT"), "{c1}");
    assert!(
        c1.contains("<div class=\"embed embed-error\">`C4` is not embedded: embeds are nested more than 2 deep</div>"),
        "{c1}"
    );
    let d = b.diags_with("embed-too-deep");
    assert!(
        d.iter()
            .any(|d| d.file == "C3.md" && d.line == 3 && d.column == 1),
        "{d:?}"
    );
    assert!(b.diags_with("embed-cycle").is_empty());
    // With the default depth (5) the same chain embeds fully.
    v.remove("wikigen.toml");
    let b = v.build(&[]);
    b.ok();
    let c1 = b.content("c1/");
    for i in 1..=6 {
        assert_eq!(count(&c1, &format!("LVL{i}-TEXT")), 1, "LVL{i}\n{c1}");
    }
    assert!(b.diags_with("embed-too-deep").is_empty(), "{:?}", b.diags());
}

#[test]
fn embedding_a_missing_note_shows_a_marker_linking_to_its_page() {
    let v = vault(&[(
        "notes/Host.md",
        "Here:\n\n![[Ghost Story]]\n\n![[Ghost Story#Chapter]]\n",
    )]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("notes/host/");
    assert_eq!(
        count(&c, "<div class=\"embed embed-error\"><a class=\"internal unresolved\" href=\"../../ghost-story/\">Ghost Story</a> is not written yet.</div>"),
        2,
        "{c}"
    );
    assert!(b.has("ghost-story/"));
    assert!(b
        .main("ghost-story/")
        .contains("href=\"../notes/host/\">Host</a>"));
    let d = b.diags_with("unresolved-link");
    let locs: Vec<(&str, u64, u64)> = d
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(locs, vec![("notes/Host.md", 3, 1), ("notes/Host.md", 5, 1)]);
}

#[test]
fn embedding_a_missing_heading_embeds_the_whole_note_with_a_warning() {
    let v = embed_vault("![[Source#No Such Part]]\n");
    let b = v.build(&[]);
    b.ok();
    let c = b.content("host/");
    assert!(c.contains("SRC-INTRO") && c.contains("AFTER-LIST"), "{c}");
    let d = b.diags_with("missing-heading");
    assert_eq!(d.len(), 1, "{:?}", b.diags());
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].column),
        ("Host.md", 1, 1)
    );
}
