//! Markdown and Obsidian syntax: callouts, highlights, comments, tags, headings and TOC, block
//! ids, code highlighting, footnotes, tables, tasks, raw HTML sanitising, frontmatter properties,
//! malformed input (YAML, encodings, line endings) and titles.

mod common;

use common::*;

// ---------------------------------------------------------------------------------------------
// Callouts
// ---------------------------------------------------------------------------------------------

/// `(type as written, expected data-callout-kind)`.
const CALLOUT_KINDS: &[(&str, &str)] = &[
    ("note", "note"),
    ("abstract", "abstract"),
    ("summary", "abstract"),
    ("tldr", "abstract"),
    ("info", "info"),
    ("todo", "todo"),
    ("tip", "tip"),
    ("hint", "tip"),
    ("important", "tip"),
    ("success", "success"),
    ("check", "success"),
    ("done", "success"),
    ("question", "question"),
    ("help", "question"),
    ("faq", "question"),
    ("warning", "warning"),
    ("caution", "warning"),
    ("attention", "warning"),
    ("failure", "failure"),
    ("fail", "failure"),
    ("missing", "failure"),
    ("danger", "danger"),
    ("error", "danger"),
    ("bug", "bug"),
    ("example", "example"),
    ("quote", "quote"),
    ("cite", "quote"),
    ("WARNING", "warning"),
    ("my-custom", "note"),
];

#[test]
fn every_callout_type_and_alias_maps_to_its_kind() {
    let mut src = String::new();
    for (t, _) in CALLOUT_KINDS {
        src.push_str(&format!("> [!{t}]\n> body of {t}\n\n"));
    }
    let v = vault(&[("C.md", &src)]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("c/");
    assert_eq!(
        count(&c, "<div class=\"callout\""),
        CALLOUT_KINDS.len(),
        "{c}"
    );
    assert!(!c.contains("<blockquote"), "{c}");
    for (t, kind) in CALLOUT_KINDS {
        // The type is case-insensitive: `WARNING` is written like `warning`.
        let data = t.to_ascii_lowercase();
        let same = CALLOUT_KINDS
            .iter()
            .filter(|(x, _)| x.to_ascii_lowercase() == data)
            .count();
        let open =
            format!("<div class=\"callout\" data-callout=\"{data}\" data-callout-kind=\"{kind}\">");
        assert_eq!(count(&c, &open), same, "{t}: {open}\n{c}");
    }
    // Default titles: the type, capitalised.
    assert!(
        c.contains("<span class=\"callout-icon\"></span>Tldr</div>"),
        "{c}"
    );
    assert!(
        c.contains("<span class=\"callout-icon\"></span>Warning</div>"),
        "{c}"
    );
    assert!(
        c.contains("<span class=\"callout-icon\"></span>My custom</div>"),
        "{c}"
    );
}

#[test]
fn callout_titles_folding_and_nesting() {
    let src = "\
> [!faq]- Folded question
> hidden answer

> [!tip]+ Open tip
> visible

> [!info] Title with [[Other]] and **bold**
> body

> [!example] Outer
> outer text
> > [!bug] Inner
> > inner text

> [!question]- Only a title
";
    let v = vault(&[("C.md", src), ("Other.md", "o\n")]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("c/");
    assert!(
        c.contains("<details class=\"callout\" data-callout=\"faq\" data-callout-kind=\"question\">\n<summary class=\"callout-title\"><span class=\"callout-icon\"></span>Folded question</summary><div class=\"callout-content\">\n<p>hidden answer</p>"),
        "{c}"
    );
    assert!(
        c.contains("<details class=\"callout\" data-callout=\"tip\" data-callout-kind=\"tip\" open>\n<summary class=\"callout-title\"><span class=\"callout-icon\"></span>Open tip</summary>"),
        "{c}"
    );
    // Only the `+` callout is open.
    assert_eq!(count(&c, "<details class=\"callout\""), 3, "{c}");
    assert_eq!(count(&c, " open>"), 1, "{c}");
    assert!(
        c.contains("<div class=\"callout-title\"><span class=\"callout-icon\"></span>Title with <a class=\"internal\" data-kind=\"note\" href=\"../other/\">Other</a> and <strong>bold</strong></div>"),
        "{c}"
    );
    // The nested callout sits inside the outer one's content.
    let outer = c.find("data-callout=\"example\"").expect("outer");
    let inner = c.find("data-callout=\"bug\"").expect("inner");
    let outer_text = c.find("outer text").unwrap();
    assert!(outer < outer_text && outer_text < inner, "{c}");
    let between = &c[inner..];
    let inner_end = between.find("</div></div>").unwrap();
    assert!(between[..inner_end].contains("inner text"), "{c}");
    assert!(
        between[inner_end + "</div></div>".len()..]
            .trim_start()
            .starts_with("</div></div>"),
        "{c}"
    );
    assert!(c.contains("<summary class=\"callout-title\"><span class=\"callout-icon\"></span>Only a title</summary><div class=\"callout-content\">\n</div></details>"), "{c}");
}

// ---------------------------------------------------------------------------------------------
// Inline syntax: highlights, comments
// ---------------------------------------------------------------------------------------------

#[test]
fn highlights_become_mark() {
    let v = vault(&[(
        "H.md",
        "This is ==very important== text and ==two words== here.\n",
    )]);
    let b = v.build(&[]);
    b.ok();
    assert!(
        b.content("h/").contains(
            "<p>This is <mark>very important</mark> text and <mark>two words</mark> here.</p>"
        ),
        "{}",
        b.content("h/")
    );
}

#[test]
fn comments_are_removed_from_every_output_file() {
    let src = "\
---
tags: [visible]
---
# Title %%HEADING-COMMENT-CANARY%%

Before %%INLINE-COMMENT-CANARY%% after.

%%
MULTI-LINE-COMMENT-CANARY
with [[Linked From Comment]] and #comment-tag
%%

Last paragraph.
";
    let v = vault(&[("C.md", src), ("Other.md", "See [[C]].\n")]);
    let b = v.build(&[]);
    b.ok();
    for canary in [
        "HEADING-COMMENT-CANARY",
        "INLINE-COMMENT-CANARY",
        "MULTI-LINE-COMMENT-CANARY",
        "comment-tag",
        "Linked From Comment",
    ] {
        assert_eq!(b.grep(canary), vec![], "{canary} leaked");
    }
    let c = b.content("c/");
    assert!(c.contains("<p>Before  after.</p>"), "{c}");
    assert!(c.contains("<p>Last paragraph.</p>"), "{c}");
    assert!(!b.has("linked-from-comment/"));
    assert!(b.diags().is_empty(), "{:?}", b.diags());
}

#[test]
fn comments_highlights_and_tags_inside_code_are_kept_as_text() {
    let src = "```\n%% kept in code %% ==not mark== #notag\n```\n\nInline `%% code comment %%` and `==x==`.\n";
    let v = vault(&[("X.md", src)]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("x/");
    assert!(
        c.contains(
            "<pre class=\"code\"><code>%% kept in code %% ==not mark== #notag\n</code></pre>"
        ),
        "{c}"
    );
    assert!(
        c.contains("<p>Inline <code>%% code comment %%</code> and <code>==x==</code>.</p>"),
        "{c}"
    );
    assert!(!c.contains("<mark>") && !c.contains("class=\"tag\""), "{c}");
    assert!(!b.has("tags/notag/"));
}

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

#[test]
fn tags_inline_nested_frontmatter_and_non_tags() {
    let src = "\
---
tags: [fm-tag, '#hashed']
---
Tags: #alpha and #area/sub here, #123 is a number, x#nope is glued.

Inline `#incode` is code.

```
#inblock is code too
```
";
    let v = vault(&[("notes/T.md", src), ("Other.md", "Also #alpha.\n")]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("notes/t/");
    assert!(c.contains("Tags: <a class=\"tag\" href=\"../../tags/alpha/\">#alpha</a> and <a class=\"tag\" href=\"../../tags/area/sub/\">#area/sub</a> here, #123 is a number, x#nope is glued."), "{c}");
    assert!(c.contains("<code>#incode</code>"), "{c}");
    assert!(c.contains("#inblock is code too"), "{c}");
    assert_eq!(count(&c, "class=\"tag\""), 2, "{c}");
    // Header tag list: frontmatter tags first, then body tags.
    let page = b.page("notes/t/");
    let list = section(&page, "<ul class=\"tag-list\"", "</ul>");
    let names: Vec<String> = anchors(&list)
        .iter()
        .map(|a| strip_tags(&a.inner))
        .collect();
    assert_eq!(names, vec!["#fm-tag", "#hashed", "#alpha", "#area/sub"]);
    // Tag pages: every tag and every parent of a nested tag, and nothing else.
    let mut tag_pages: Vec<String> = b
        .files()
        .into_iter()
        .filter(|f| f.starts_with("tags/"))
        .collect();
    tag_pages.sort();
    assert_eq!(
        tag_pages,
        vec![
            "tags/alpha/index.html",
            "tags/area/index.html",
            "tags/area/sub/index.html",
            "tags/fm-tag/index.html",
            "tags/hashed/index.html",
            "tags/index.html",
        ]
    );
    // A parent tag's page lists its notes with exactly that tag and links its sub-tags.
    let area = b.main("tags/area/");
    assert_eq!(count(&area, "<h3 class=\"card-title\">"), 0, "{area}");
    assert!(area.contains("href=\"../../tags/area/sub/\""), "{area}");
    for t in ["tags/area/sub/", "tags/fm-tag/"] {
        let m = b.main(t);
        assert_eq!(count(&m, "<h3 class=\"card-title\">"), 1, "{t}\n{m}");
        assert!(
            m.contains("<h3 class=\"card-title\"><a href=\"../../notes/t/\">T</a></h3>")
                || m.contains("<h3 class=\"card-title\"><a href=\"../../../notes/t/\">T</a></h3>"),
            "{t}\n{m}"
        );
    }
    let alpha = b.main("tags/alpha/");
    assert_eq!(count(&alpha, "<h3 class=\"card-title\">"), 2, "{alpha}");
    assert!(
        alpha.contains("<a href=\"../../other/\">Other</a>"),
        "{alpha}"
    );
    // The parent tag page links to its sub-tag.
    assert!(b.main("tags/area/").contains("<a class=\"tag\" href=\"../../tags/area/sub/\">#area/sub <span class=\"count\">1</span></a>"));
    let idx = b.main("tags/");
    for t in ["alpha", "area", "area/sub", "fm-tag", "hashed"] {
        assert!(idx.contains(&format!("#{t}")), "{t}\n{idx}");
    }
    for t in ["123", "nope", "incode", "inblock"] {
        assert!(!idx.contains(&format!("#{t}")), "{t}\n{idx}");
    }
}

// ---------------------------------------------------------------------------------------------
// Headings, TOC, block ids
// ---------------------------------------------------------------------------------------------

#[test]
fn heading_ids_and_table_of_contents() {
    let src = "# Guide\n\n## Getting Started\n\ntext\n\n## Über uns\n\n### Getting Started\n\n## What's new? (2026)\n";
    let v = vault(&[
        ("Guide.md", src),
        ("Other.md", "# A Different Top\n\n## Next\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("guide/");
    for h in [
        "<h2 id=\"getting-started\">Getting Started</h2>",
        "<h2 id=\"über-uns\">Über uns</h2>",
        "<h3 id=\"getting-started-1\">Getting Started</h3>",
        "<h2 id=\"what-s-new-2026\">What's new? (2026)</h2>",
    ] {
        assert_eq!(count(&c, h), 1, "{h}\n{c}");
    }
    // A leading `# Title` repeating the note title is shown once, as the page title.
    assert!(!c.contains("<h1"), "{c}");
    let page = b.page("guide/");
    assert_eq!(count(&page, ">Guide</h1>"), 1, "{page}");
    // Any other level-1 heading stays, with its id.
    assert!(
        b.content("other/")
            .contains("<h1 id=\"a-different-top\">A Different Top</h1>"),
        "{}",
        b.content("other/")
    );
    assert!(
        page.contains("<div class=\"layout has-sidebar\">"),
        "{page}"
    );
    let toc = section(&page, "<nav class=\"toc\">", "</nav>");
    let hrefs: Vec<String> = anchors(&toc).iter().map(|a| a.href.clone()).collect();
    assert_eq!(
        hrefs,
        vec![
            "#getting-started",
            "#über-uns",
            "#getting-started-1",
            "#what-s-new-2026"
        ]
    );
    assert!(
        toc.contains(
            "<li style=\"--indent: 1\"><a href=\"#getting-started-1\">Getting Started</a></li>"
        ),
        "{toc}"
    );
    // A note with a single heading has no sidebar.
    let v = vault(&[("One.md", "## Only\n\ntext\n")]);
    let b = v.build(&[]);
    assert!(!b.page("one/").contains("has-sidebar"));
    assert!(!b.page("one/").contains("<nav class=\"toc\">"));
}

#[test]
fn heading_ids_are_unique_even_when_a_heading_looks_like_a_suffixed_one() {
    let v = vault(&[("H.md", "## A\n\n## A\n\n## A 1\n\nlink [[#A 1]]\n")]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("h/");
    let ids = attr_values(&c, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    let target = b.link("h/", "A 1").href;
    assert!(
        c.contains(&format!("<h2 id=\"{}\">A 1</h2>", &target[1..])),
        "{target}\n{c}"
    );
}

#[test]
fn block_ids_become_anchors_and_their_text_is_hidden() {
    let src = "A paragraph with an id ^abc123\n\n- item with id ^item-1\n- plain item\n\n> quote\n\n^quote-id\n\nNot an id^x and not this ^ spaced.\n";
    let v = vault(&[("B.md", src)]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("b/");
    assert!(
        c.contains("<p><a class=\"block-anchor\" id=\"^abc123\"></a>A paragraph with an id</p>"),
        "{c}"
    );
    assert!(
        c.contains("<a class=\"block-anchor\" id=\"^item-1\"></a>item with id</li>"),
        "{c}"
    );
    assert!(
        c.contains("<a class=\"block-anchor\" id=\"^quote-id\"></a>\n<blockquote>"),
        "{c}"
    );
    assert!(
        !c.contains("^abc123<") && !c.contains(" ^abc123") && !c.contains("^quote-id</p>"),
        "{c}"
    );
    assert!(c.contains("Not an id^x and not this ^ spaced."), "{c}");
    assert_eq!(count(&c, "block-anchor"), 3, "{c}");
}

// ---------------------------------------------------------------------------------------------
// Code, footnotes, tables, tasks
// ---------------------------------------------------------------------------------------------

#[test]
fn code_blocks_are_highlighted_or_escaped() {
    let src = "```rust\nfn main() { let x = 1; }\n```\n\n```python\ndef f():\n    return 1\n```\n\n```\nplain <b>not bold</b> & #notag [[NotALink]]\n```\n\n```nosuchlang\n<i>x</i>\n```\n";
    let v = vault(&[("Code.md", src)]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("code/");
    assert!(c.contains("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"), "{c}");
    assert!(
        c.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
        "{c}"
    );
    assert!(c.contains("<pre class=\"code\" data-lang=\"python\"><code class=\"language-python\"><span class=\"hl-source hl-python\">"), "{c}");
    assert!(
        c.contains("<span class=\"hl-storage hl-type hl-function hl-python\">def</span>"),
        "{c}"
    );
    assert!(c.contains("<pre class=\"code\"><code>plain &lt;b&gt;not bold&lt;/b&gt; &amp; #notag [[NotALink]]\n</code></pre>"), "{c}");
    assert!(
        c.contains("<code class=\"language-nosuchlang\">&lt;i&gt;x&lt;/i&gt;\n</code>"),
        "{c}"
    );
    assert!(!c.contains("<b>") && !c.contains("<i>"), "{c}");
    assert!(b.diags().is_empty(), "{:?}", b.diags());
    // The highlighting stylesheets are written and linked.
    let light = std::fs::read_to_string(b.out.join("_wikigen/syntax-light.css")).unwrap();
    assert!(light.contains(".hl-"), "{light}");
    assert!(b
        .page("code/")
        .contains("<link rel=\"stylesheet\" href=\"../_wikigen/syntax-light.css\">"));
}

#[test]
fn footnotes_tables_and_task_statuses() {
    let src = "Claim one[^1] and claim two[^note].\n\n[^1]: First source.\n[^note]: Second source.\n\n| Name | Qty |\n|:-----|----:|\n| pears | 3 |\n| plums | 12 |\n\n- [ ] open task\n- [x] done task\n- [-] cancelled task\n- [/] started task\n- plain item\n";
    let v = vault(&[("F.md", src)]);
    let b = v.build(&[]);
    b.ok();
    let c = b.content("f/");
    assert!(
        c.contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\""),
        "{c}"
    );
    assert!(
        c.contains("<sup class=\"footnote-ref\"><a href=\"#fn-note\" id=\"fnref-note\""),
        "{c}"
    );
    assert!(c.contains("<li id=\"fn-1\">\n<p>First source."), "{c}");
    assert!(c.contains("<li id=\"fn-note\">\n<p>Second source."), "{c}");
    assert!(c.contains("<section class=\"footnotes\""), "{c}");
    assert!(
        c.contains("<th style=\"text-align: left\">Name</th>")
            || c.contains("<th align=\"left\">Name</th>"),
        "{c}"
    );
    assert_eq!(count(&c, "<tr>"), 3, "{c}");
    assert_eq!(count(&c, "<td"), 4, "{c}");
    assert!(c.contains(">plums</td>"), "{c}");
    for (status, text) in [
        (" ", "open task"),
        ("x", "done task"),
        ("-", "cancelled task"),
        ("/", "started task"),
    ] {
        assert!(
            c.contains(&format!("class=\"task-list-item\" data-task=\"{status}\">")),
            "{status}\n{c}"
        );
        assert!(c.contains(text), "{c}");
    }
    assert!(
        c.contains(
            "data-task=\"x\"><input type=\"checkbox\" disabled=\"\" checked=\"\"> done task</li>"
        ) || c
            .contains("data-task=\"x\"><input type=\"checkbox\" disabled checked> done task</li>"),
        "{c}"
    );
    assert_eq!(count(&c, "checked"), 1, "{c}");
    assert_eq!(count(&c, "class=\"task-list-item\""), 4, "{c}");
}

// ---------------------------------------------------------------------------------------------
// Raw HTML and unsafe URLs
// ---------------------------------------------------------------------------------------------

#[test]
fn raw_html_is_sanitised_and_dangerous_urls_are_dropped() {
    let src = "\
<details><summary>More</summary>Inside details</details>

<script>alert('SCRIPT-CANARY')</script>

<img src=\"x.png\" onerror=\"alert('ONERROR-CANARY')\">

<a href=\"javascript:alert('RAWJS-CANARY')\">raw link</a>

<span onclick=\"CLICK-CANARY()\">click me</span>

<iframe src=\"https://example.org/IFRAME-CANARY\"></iframe>

[md link](javascript:alert('MDJS-CANARY'))

[mixed case](JaVaScRiPt:alert('MIXED-CANARY'))

[data url](data:text/html,DATA-CANARY)

![bad image](javascript:alert('IMG-CANARY'))

<javascript:alert('AUTOLINK-CANARY')>

[fine](https://example.org/ok)
";
    let v = vault(&[("X.md", src)]);
    let b = v.build(&[]);
    b.ok();
    for canary in [
        "SCRIPT-CANARY",
        "ONERROR-CANARY",
        "RAWJS-CANARY",
        "CLICK-CANARY",
        "IFRAME-CANARY",
        "MDJS-CANARY",
        "MIXED-CANARY",
        "DATA-CANARY",
        "IMG-CANARY",
    ] {
        assert_eq!(b.grep(canary), vec![], "{canary} leaked");
    }
    let c = b.content("x/");
    assert!(
        c.contains("<details><summary>More</summary>Inside details</details>"),
        "{c}"
    );
    assert!(!c.contains("<script"), "{c}");
    // No dangerous URL is left in any attribute of any page.
    for f in b.files().iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(b.out.join(f))
            .unwrap()
            .to_ascii_lowercase();
        for a in ["href", "src", "action", "formaction"] {
            for val in attr_values(&html, a) {
                let val = val.trim();
                assert!(
                    !(val.starts_with("javascript:")
                        || val.starts_with("vbscript:")
                        || val.starts_with("data:text")),
                    "{f}: {a}={val}"
                );
            }
        }
    }
    // An autolink with a dangerous scheme is shown as text only.
    assert!(
        c.contains("<p>javascript:alert('AUTOLINK-CANARY')</p>"),
        "{c}"
    );
    assert!(
        !c.contains("onerror") && !c.contains("onclick") && !c.contains("<iframe"),
        "{c}"
    );
    assert!(c.contains("<span>click me</span>"), "{c}");
    // Unsafe markdown links keep their text.
    assert!(c.contains("<p>md link</p>"), "{c}");
    assert!(c.contains("<p>mixed case</p>"), "{c}");
    assert!(c.contains("<p>data url</p>"), "{c}");
    assert_eq!(b.link("x/", "fine").href, "https://example.org/ok");
    let html = b.diags_with("unsafe-html");
    let lines: Vec<u64> = html.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![3, 5, 7, 9, 11], "{html:?}");
    let url = b.diags_with("unsafe-url");
    let lines: Vec<u64> = url.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![13, 15, 17, 19, 21], "{url:?}");
    assert!(url
        .iter()
        .all(|d| d.severity == "warning" && d.file == "X.md"));
    assert!(
        b.run.stderr.contains("warning[unsafe-url]: X.md:13:1:"),
        "{}",
        b.run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Frontmatter
// ---------------------------------------------------------------------------------------------

#[test]
fn frontmatter_is_a_properties_table_and_links_in_it_are_backlinks() {
    let src = "---\ntitle: Project Kestrel\nstatus: active\nowner: \"[[Ada Byron]]\"\nmembers:\n  - \"[[Ada Byron|Ada]]\"\n  - Bob\nsite: https://example.org/kestrel\ndone: false\nbudget: 1200\ntags: [proj]\n---\nBody.\n";
    let v = vault(&[
        ("Projects/Kestrel.md", src),
        ("People/Ada Byron.md", "Ada.\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let page = b.page("projects/kestrel/");
    let props = section(&page, "<details class=\"properties\"", "</details>");
    assert!(
        props.contains("Properties <span class=\"count\">6</span>"),
        "{props}"
    );
    let rows: Vec<(String, String)> = props
        .match_indices("<tr><th scope=\"row\">")
        .map(|(i, _)| {
            let row = &props[i..i + props[i..].find("</tr>").unwrap()];
            let key = strip_tags(&section(row, "<th", "</th>"));
            let td = section(row, "<td>", "</td>");
            (key, td["<td>".len()..td.len() - "</td>".len()].to_string())
        })
        .collect();
    let get = |k: &str| {
        rows.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no row {k}: {rows:?}"))
    };
    assert_eq!(get("status"), "active");
    assert_eq!(
        get("owner"),
        "<a class=\"internal\" data-kind=\"person\" href=\"../../people/ada-byron/\">Ada Byron</a>"
    );
    assert_eq!(
        get("members"),
        "<a class=\"internal\" data-kind=\"person\" href=\"../../people/ada-byron/\">Ada</a>, Bob"
    );
    assert_eq!(get("site"), "<a class=\"external\" href=\"https://example.org/kestrel\" rel=\"noopener noreferrer\">https://example.org/kestrel</a>");
    assert_eq!(get("done"), "no");
    assert_eq!(get("budget"), "1200");
    // title and tags are shown elsewhere, not as rows.
    assert!(
        !rows.iter().any(|(k, _)| k == "title" || k == "tags"),
        "{rows:?}"
    );
    assert!(page.contains("<h1 class=\"note-title\">Project Kestrel</h1>"));
    assert!(
        page.contains("<title>Project Kestrel · Wiki</title>"),
        "{page}"
    );
    // The frontmatter links count as backlinks, once per note.
    let bl = b.backlinks("people/ada-byron/");
    assert!(
        bl.contains("Linked from <span class=\"count\">1</span>"),
        "{bl}"
    );
    assert!(
        bl.contains(
            "<a class=\"backlink-title\" href=\"../../projects/kestrel/\">Project Kestrel</a>"
        ),
        "{bl}"
    );
    assert!(b.diags().is_empty(), "{:?}", b.diags());
}

#[test]
fn malformed_yaml_warns_at_the_line_inside_the_note_and_still_publishes() {
    let src = "---\ntitle: Fine\nstatus: ok\nkey: value: another\n---\n# Body\n\nBODY-TEXT here.\n";
    let v = vault(&[("notes/Bad.md", src)]);
    let b = v.build(&[]);
    b.ok();
    let d = b.diags_with("frontmatter-syntax");
    assert_eq!(d.len(), 1, "{:?}", b.diags());
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].severity.as_str()),
        ("notes/Bad.md", 4, "warning")
    );
    assert!(
        b.run
            .stderr
            .contains("warning[frontmatter-syntax]: notes/Bad.md:4:"),
        "{}",
        b.run.stderr
    );
    assert_eq!(b.outcome("notes/Bad.md").outcome, "page");
    let c = b.content("notes/bad/");
    assert!(c.contains("BODY-TEXT here."), "{c}");
    // The YAML is not shown as body text.
    assert!(!c.contains("key: value"), "{c}");
}

#[test]
fn bom_and_crlf_parse_the_same_as_lf() {
    let lf = "---\ntitle: Same Title\ntags: [eol]\n---\n# Head\n\nLine one\nline two [[Target]]\n\n- [x] task ^blk\n\n> [!tip] Tip\n> text\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let v = vault(&[
        ("lf/Note.md", lf),
        ("crlf/Note.md", &crlf),
        ("Target.md", "t\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let a = b.content("lf/note/");
    let c = b.content("crlf/note/");
    assert_eq!(a, c);
    assert!(a.contains("<p>Line one<br />\nline two <a class=\"internal\" data-kind=\"note\" href=\"../../target/\">Target</a></p>"), "{a}");
    assert!(!c.contains('\r') && !c.contains('\u{feff}'));
    assert!(b
        .page("crlf/note/")
        .contains("<h1 class=\"note-title\">Same Title</h1>"));
    assert!(b
        .page("crlf/note/")
        .contains("href=\"../../tags/eol/\">#eol</a>"));
    assert!(b.diags().is_empty(), "{:?}", b.diags());
}

#[test]
fn non_utf8_note_warns_and_is_still_published() {
    let v = vault(&[("Good.md", "links to [[Latin]]\n")]);
    v.write_bytes("Latin.md", b"ok line\ncaf\xe9 au lait LATIN-BODY\n");
    let b = v.build(&[]);
    b.ok();
    let d = b.diags_with("invalid-utf8");
    assert_eq!(d.len(), 1, "{:?}", b.diags());
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].column),
        ("Latin.md", 2, 4)
    );
    assert_eq!(b.outcome("Latin.md").outcome, "page");
    let c = b.content("latin/");
    assert!(c.contains("caf\u{FFFD} au lait LATIN-BODY"), "{c}");
    assert_eq!(b.link("good/", "Latin").href, "../latin/");
}

#[test]
fn title_frontmatter_is_used_for_the_page_and_lists() {
    let v = vault(&[
        (
            "notes/2026-01-05-x.md",
            "---\ntitle: Winter Plans\n---\nbody\n",
        ),
        ("Plain Name.md", "no title\n"),
        ("Other.md", "see [[2026-01-05-x]]\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let p = b.page("notes/2026-01-05-x/");
    assert!(p.contains("<title>Winter Plans · Wiki</title>"), "{p}");
    assert!(
        p.contains("<h1 class=\"note-title\">Winter Plans</h1>"),
        "{p}"
    );
    assert!(b
        .page("plain-name/")
        .contains("<h1 class=\"note-title\">Plain Name</h1>"));
    // The URL still comes from the file name.
    assert_eq!(
        b.outcome("notes/2026-01-05-x.md").url.as_deref(),
        Some("notes/2026-01-05-x/")
    );
    // Lists use the title.
    assert!(
        b.main("notes/").contains(">Winter Plans</a>"),
        "{}",
        b.main("notes/")
    );
    assert!(b.backlinks("notes/2026-01-05-x/").contains(">Other</a>"));
}

/// A template's prompts and placeholders (`_How do you work with this person?_`, `_Unknown_`)
/// are not a note's summary: cards show the first real paragraph instead.
#[test]
fn template_prompts_are_left_out_of_excerpts() {
    let v = common::vault(&[
        (
            "Team/Rafa Ortiz.md",
            "# Rafa Ortiz\n\n_How do you work with this person? What is your dynamic?_\n\n_Unknown_\n\nRuns the night shift at the pumping station.\n\n_Written after the spring review._\n",
        ),
        ("Team/Lee Moss.md", "# Lee Moss\n\n*Notes:*\n\nKeeps the spare parts inventory.\n"),
    ]);
    let b = v.build(&[]);
    b.ok();
    let folder = b.main("team/");
    assert!(folder.contains("Runs the night shift"), "{folder}");
    assert!(folder.contains("Keeps the spare parts"), "{folder}");
    assert!(!folder.contains("How do you work"), "{folder}");
    assert!(
        !folder.contains("Unknown") && !folder.contains("Notes:"),
        "{folder}"
    );
    // An italic paragraph that is not a prompt still counts.
    assert!(
        folder.contains("Written after the spring review"),
        "{folder}"
    );
}
