//! XSS: script, event-handler, `javascript:` and `data:` payloads in every place a note can put
//! text (body, raw HTML, title, frontmatter values, tags, aliases, link labels, file names,
//! headings, callout titles, person fields, meeting participants, query results, search
//! snippets) are inert in the site.
//!
//! Each payload calls `__xss('<where>')`. A static scan of every page checks that no payload
//! became a script, an event handler or a dangerous URL; then headless Chromium opens every page,
//! hovers a link to the payload note (preview), opens the folder explorer and searches for the
//! payload note's text, and fails if any `__xss` call ran or a dialog opened.

mod common;

use common::*;

/// A payload that runs `__xss(tag)` in every way HTML allows.
fn payloads(tag: &str) -> String {
    [
        format!("<script>__xss('{tag}-script')</script>"),
        format!("<img src=x onerror=\"__xss('{tag}-img')\">"),
        format!("<svg onload=__xss('{tag}-svg')>"),
        format!("\"><script>__xss('{tag}-break')</script>"),
        format!("'><img src=x onerror=__xss('{tag}-sq')>"),
        format!("<a href=\"javascript:__xss('{tag}-href')\">x</a>"),
        format!("<iframe src=\"javascript:parent.__xss('{tag}-iframe')\"></iframe>"),
        format!("<object data=\"data:text/html,<script>parent.__xss('{tag}-object')</script>\"></object>"),
        format!("<details open ontoggle=__xss('{tag}-toggle')>"),
        format!("<style>@import 'javascript:__xss(\"{tag}-style\")'</style>"),
    ]
    .join(" ")
}

fn xss_vault() -> Vault {
    let one = |tag: &str| format!("<img src=x onerror=__xss('{tag}')>");
    let body = format!(
        "# Payload heading {heading}\n\nxssneedle body text {raw}\n\n\
         [md link](javascript:__xss('md-link')) [data link](data:text/html;base64,PHNjcmlwdD5fX3hzcygnZGF0YScpPC9zY3JpcHQ+) \
         ![img](javascript:__xss('md-img')) <javascript:__xss('autolink')>\n\n\
         [[Target|{linklabel}]] and [[Target#{anchor}]] and [[{missing}]]\n\n\
         > [!note] {callout}\n> callout body xssneedle\n\n\
         inline:: {inline}\n\n\
         `= this.role`\n\n\
         - [ ] task {task} 📅 2026-03-02\n",
        heading = one("heading"),
        raw = payloads("body"),
        linklabel = one("linklabel"),
        anchor = one("anchor"),
        missing = one("missing"),
        callout = one("callout"),
        inline = one("inline"),
        task = one("task"),
    );
    let fm = format!(
        "---\ntitle: \"{title}\"\ntype: person\nrole: \"{role}\"\ncompany: \"{company}\"\nwebsite: \"javascript:__xss('fm-url')\"\n\
         aliases: [\"{alias}\"]\ntags: [\"{tag}\", xsstag]\ncssclasses: [\"x\\\" onmouseover=__xss('css') \\\"\"]\n---\n",
        title = one("title").replace('"', "\\\""),
        role = payloads("role").replace('"', "\\\""),
        company = one("company"),
        alias = one("alias"),
        tag = one("tag"),
    );
    let v = vault(&[
        ("People/Payload Person.md", &format!("{fm}{body}")),
        ("Target.md", "# Target\n\nA target note.\n"),
        (
            "Meetings/2026-02-02 Sync.md",
            &format!(
                "---\ntype: meeting\ndate: 2026-02-02\nparticipants: [\"[[Payload Person]]\", \"{p}\"]\n---\n# Sync\n\nWith [[Payload Person]] and [[People/Payload Person|{l}]].\n",
                p = one("participant"),
                l = one("meeting-label"),
            ),
        ),
        (
            "Dashboard.md",
            "# Dashboard\n\nSee [[Payload Person]].\n\n```dataview\nTABLE role, company, inline, file.aliases FROM \"People\"\n```\n\n```dataview\nLIST FROM #xsstag\n```\n\n```dataview\nTASK FROM \"People\"\n```\n\n```tasks\nnot done\n```\n",
        ),
    ]);
    // A file name with markup in it.
    v.write(
        &format!("{}.md", one("filename")),
        "xssneedle in a note named with markup\n",
    );
    v
}

/// Every page of the site, as (path, text).
fn pages(b: &Build) -> Vec<(String, String)> {
    b.files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let t = std::fs::read_to_string(b.out.join(&f)).unwrap();
            (f, t)
        })
        .collect()
}

/// The tags of an HTML text (`<name ...>`), lower-cased, without comments.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len() - 1);
        out.push(rest[..=end].to_lowercase());
        rest = &rest[end + 1..];
    }
    out
}

/// The attributes of a tag's text after its name, as (name, value): values quoted with `"` or
/// `'` or unquoted, as an HTML parser reads them.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() || s.starts_with('>') {
            return out;
        }
        let n = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(s.len());
        let name = s[..n].to_string();
        s = s[n..].trim_start();
        let mut value = String::new();
        if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            let (v, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = rest[1..].find(q).map_or(rest.len(), |e| e + 1);
                    (&rest[1..end], &rest[(end + 1).min(rest.len())..])
                }
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            value = v.to_string();
            s = after;
        }
        if name.is_empty() {
            // A stray character: skip it.
            s = &s[s.chars().next().map_or(0, char::len_utf8)..];
            continue;
        }
        out.push((name, value));
    }
}

#[test]
fn payloads_are_inert_in_every_page_statically() {
    let v = xss_vault();
    let b = v.build(&[]);
    b.ok();
    let pages = pages(&b);
    assert!(pages.len() > 8, "{:#?}\n{}", b.files(), b.run.stderr);
    let mut seen_payload_text = 0;
    for (f, html) in &pages {
        for t in tags(html) {
            let name: String = t[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                !matches!(
                    name.as_str(),
                    "iframe" | "object" | "embed" | "style" | "base"
                ),
                "{f}: <{name}> from a note: {t}"
            );
            // The theme's search forms are the only forms.
            assert!(name != "form" || t.contains("search"), "{f}: {t}");
            if name == "script" {
                assert!(
                    t.contains("src=\"") && t.contains("_wikigen/") || t == "<script>",
                    "{f}: foreign script tag {t}"
                );
            }
            // No event handler attribute at all (the theme uses none), no dangerous URL.
            for (a, v) in attributes(&t[1 + name.len()..]) {
                assert!(!a.starts_with("on"), "{f}: event handler `{a}` in {t}");
                if matches!(
                    a.as_str(),
                    "href" | "src" | "action" | "data" | "formaction" | "xlink:href"
                ) {
                    let v = v.trim_start();
                    assert!(
                        !v.starts_with("javascript:")
                            && !v.starts_with("data:text")
                            && !v.starts_with("vbscript:"),
                        "{f}: dangerous URL in {t}"
                    );
                }
            }
        }
        // Inline scripts are the theme's own (the colour scheme one), never a payload.
        for (i, _) in html.match_indices("<script>") {
            let end = html[i..].find("</script>").unwrap();
            assert!(
                !html[i..i + end].contains("__xss"),
                "{f}: payload in a script"
            );
        }
        if html.contains("xssneedle") || html.contains("__xss") {
            seen_payload_text += 1;
        }
    }
    // The payloads are shown as text where the note put them (escaped), so they were rendered.
    assert!(seen_payload_text >= 3, "payload pages not found");
    let person = b.page("people/payload-person/");
    assert!(
        person.contains("&lt;img src=x onerror=__xss('title')&gt;")
            || person.contains("&lt;img src=x onerror=__xss(&#39;title&#39;)&gt;")
            || person.contains("&lt;img src=x onerror=__xss(&#x27;title&#x27;)&gt;"),
        "the title is shown as text"
    );
}

#[test]
fn payloads_do_not_run_in_a_browser() {
    if !common::browser::browser_ready() {
        return;
    }
    let v = xss_vault();
    let b = v.build(&[]);
    b.ok();
    let server = common::browser::StaticServer::start(&b.out);
    let root = format!("http://127.0.0.1:{}/", server.port);
    let mut list: Vec<String> = pages(&b)
        .into_iter()
        .map(|(f, _)| f.trim_end_matches("index.html").to_string())
        .collect();
    list.sort();
    let out = common::browser::run_script("xss.mjs", &[&root, &list.join("\n")]);
    assert!(out.contains("PASS"), "{out}");
}

#[test]
fn the_scan_finds_handlers_and_urls_in_real_attributes_only() {
    let a = attributes(" src=x onerror=\"__xss(1)\" title='a onclick=b' data-x>");
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["src", "onerror", "title", "data-x"]);
    assert_eq!(a[2].1, "a onclick=b");
    assert_eq!(
        tags("a<!-- <script> --><b class=\"x\">"),
        vec!["<b class=\"x\">".to_string()]
    );
}
