//! Search: the index files the build writes for `tests/vaults/search` (manifest, term shards, doc
//! store), what they hold (folded terms, field-weighted scores, filter terms) and what they never
//! hold (private notes and fields); and, where Chromium is installed, the search page in a real
//! headless browser, from a local server under a sub-path and straight from disk.

mod common;

use common::browser::{browser_ready, run_script, StaticServer as Server};
use common::fixture;
use serde_json::Value;
use std::path::Path;

/// Reads `_wikigen/search/<name>.js` and returns its data.
fn load(out: &Path, name: &str) -> Value {
    let p = out.join(format!("_wikigen/search/{name}.js"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let prefix = format!(
        "wikigenSearch.load({},",
        serde_json::to_string(name).unwrap()
    );
    assert!(text.starts_with(&prefix), "{text:.80}");
    let json = text[prefix.len()..].trim_end().trim_end_matches(';');
    let json = json.strip_suffix(')').unwrap().replace("<\\/", "</");
    serde_json::from_str(&json).unwrap()
}

fn shard_file(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect()
}

/// The postings of `term` as (doc, score), read the way the browser does.
fn postings(out: &Path, term: &str) -> Vec<(u64, u64)> {
    let m = load(out, "manifest");
    let shards: Vec<String> = m["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let shard = shards
        .iter()
        .filter(|s| term.starts_with(s.as_str()))
        .max_by_key(|s| s.len())
        .unwrap_or_else(|| panic!("no shard for {term}: {shards:?}"));
    let data = load(out, &format!("t/{}", shard_file(shard)));
    let Some(p) = data.get(term) else {
        return Vec::new();
    };
    let p: Vec<u64> = p
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    let mut doc = 0;
    p.chunks(2)
        .map(|c| {
            doc += c[0];
            (doc, c[1])
        })
        .collect()
}

/// Doc `i` of the doc store: title, url, kind, folder, date, text, aliases.
fn doc(out: &Path, i: u64) -> Value {
    let m = load(out, "manifest");
    let bucket = m["bucket"].as_u64().unwrap();
    load(out, &format!("d/{}", i / bucket))[(i % bucket) as usize].clone()
}

fn title(out: &Path, i: u64) -> String {
    doc(out, i)[0].as_str().unwrap().to_string()
}

#[test]
fn index_files_hold_folded_terms_weighted_by_field() {
    let v = fixture("search");
    let b = v.build_configured(&[]);
    b.ok();
    let out = b.out.clone();
    let m = load(&out, "manifest");
    assert_eq!(m["v"], 1);
    assert_eq!(m["docs"], 6, "six published notes: {m}");
    assert_eq!(m["kinds"]["person"], 2);
    let f = load(&out, "facets");
    assert!(f["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "José Álvarez" && p[1] == "jose-alvarez"));

    // `jose` (folded) is in the person's title (weight 10), a meeting's body and two notes' bodies.
    let jose = postings(&out, "jose");
    let titles: Vec<String> = jose.iter().map(|&(d, _)| title(&out, d)).collect();
    assert!(titles.contains(&"José Álvarez".to_string()), "{titles:?}");
    assert!(titles.contains(&"Tide tables".to_string()), "{titles:?}");
    let best = jose.iter().max_by_key(|p| p.1).unwrap();
    assert_eq!(
        title(&out, best.0),
        "José Álvarez",
        "a title match outranks a mention"
    );
    // Aliases and profile fields are searchable.
    assert_eq!(postings(&out, "pepe").len(), 1);
    assert!(postings(&out, "bluefin").len() >= 2);
    // The doc store keeps the original spelling for display.
    let d = doc(&out, best.0);
    assert_eq!(d[2], "person");
    assert!(
        d[5].as_str()
            .unwrap()
            .starts_with("Harbour pilot · Bluefin Marine"),
        "{d}"
    );
    assert_eq!(d[6][0], "Pepe");
}

#[test]
fn filter_terms_for_kind_tag_folder_and_participant() {
    let v = fixture("search");
    let b = v.build_configured(&[]);
    b.ok();
    let out = b.out.clone();
    let titles = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = postings(&out, t)
            .iter()
            .map(|&(d, _)| title(&out, d))
            .collect();
        v.sort();
        v
    };
    assert_eq!(titles("kind:meeting"), ["2026-02-20 Basin survey"]);
    assert_eq!(titles("tag:reference"), ["Old tide notes", "Tide tables"]);
    assert_eq!(
        titles("tag:reference/tides"),
        ["Old tide notes", "Tide tables"]
    );
    assert_eq!(titles("folder:notes"), ["Old tide notes", "Tide tables"]);
    assert_eq!(
        titles("with:mira-holt"),
        ["2026-02-20 Basin survey", "Mira Holt"]
    );
}

#[test]
fn private_notes_and_fields_never_enter_the_index() {
    let v = fixture("search");
    let b = v.build_configured(&[]);
    b.ok();
    let hits: Vec<_> = b
        .grep("SEARCHCANARY")
        .into_iter()
        .chain(b.grep("searchcanary"))
        .collect();
    assert!(hits.is_empty(), "{hits:?}");
    assert!(b.grep("Salary review").is_empty());
    assert!(postings(&b.out, "salary").is_empty());
}

#[test]
fn every_page_has_a_search_box_and_the_search_page_exists() {
    let v = fixture("search");
    let b = v.build_configured(&[]);
    b.ok();
    let home = b.page("");
    assert!(home.contains("role=\"search\""), "{home}");
    assert!(home.contains("search.js"), "{home}");
    assert!(b.page("search/").contains("<h1"), "the search page");
    // The script names the index version: the same notes give the same version, a changed note
    // a new one (so no browser mixes cached index files of two builds).
    let version = |html: &str| {
        let at = html.find("search.js?v=").expect("a versioned search.js") + "search.js?v=".len();
        html[at..at + 16].to_string()
    };
    let first = version(&home);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    assert_eq!(version(&v.build_configured(&[]).page("")), first);
    v.write(
        "Notes/Tide tables.md",
        "# Tide tables\n\nNeap tides in April.\n",
    );
    assert_ne!(version(&v.build_configured(&[]).page("")), first);
}

/// Headless Chromium, when installed (CI installs Debian's `chromium`).
fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// The DOM of `url` after its scripts ran (Chromium's virtual time lets them finish).
fn dom(url: &str) -> String {
    let exe = chromium().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--allow-file-access-from-files",
            "--virtual-time-budget=8000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn search_page_finds_accented_names_in_a_real_browser_under_a_sub_path_and_from_disk() {
    if chromium().is_none() {
        assert!(
            std::env::var("WIKIGEN_BROWSER_TESTS").as_deref() != Ok("1"),
            "browser tests required but /usr/bin/chromium is missing"
        );
        eprintln!("skipped: no Chromium at /usr/bin/chromium (.ci/run installs it)");
        return;
    }
    let (_v, site, server) = served_fixture();
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=jose",
        server.port
    ));
    let titles = result_titles(&html);
    // The person (a title match) first; notes that only mention the name after it.
    assert_eq!(
        titles.first().map(String::as_str),
        Some("<mark>José</mark> Álvarez"),
        "{html}"
    );
    assert!(titles.iter().any(|t| t == "Tide tables"), "{titles:?}");
    assert!(
        html.contains("<mark>jose</mark>"),
        "the lower-case mention is highlighted"
    );
    assert!(!html.contains("Salary review"));
    // Straight from disk, no server: an alias finds the person.
    let file = format!("file://{}/search/index.html?q=pepe", site.display());
    let titles = result_titles(&dom(&file));
    assert_eq!(titles, ["José Álvarez"], "from file://");
    // A filter in the URL: only meetings.
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=sonar&kind=meeting",
        server.port
    ));
    assert_eq!(result_titles(&html), ["2026-02-20 Basin survey"], "{html}");
    // The private note's canary word finds nothing, and the page says so.
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=searchcanary",
        server.port
    ));
    assert!(result_titles(&html).is_empty(), "{html}");
    assert!(html.contains("No results"), "{html}");
    // A folder filter from the URL, and a person filter (meetings with Mira, and her page).
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=tide&folder=Notes",
        server.port
    ));
    let mut t = result_titles(&html);
    t.sort();
    assert_eq!(
        t,
        ["<mark>Tide</mark> tables", "Old <mark>tide</mark> notes"],
        "{html}"
    );
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=sonar&with=mira-holt",
        server.port
    ));
    let t = result_titles(&html);
    assert!(t.contains(&"2026-02-20 Basin survey".to_string()), "{t:?}");
    assert!(
        !t.iter().any(|x| x.contains("Tide")),
        "the tide note has no participant: {t:?}"
    );
    // A typo in a longer word is forgiven.
    let html = dom(&format!(
        "http://127.0.0.1:{}/wiki/search/?q=dredgnig",
        server.port
    ));
    assert_eq!(
        result_titles(&html),
        ["Inner Basin <mark>Dredging</mark>"],
        "{html}"
    );
}

/// The inner HTML of each result title, in order.
fn result_titles(html: &str) -> Vec<String> {
    html.split("class=\"search-result-title\"")
        .skip(1)
        .filter_map(|s| {
            let start = s.find('>')? + 1;
            let end = s.find("</a>")?;
            Some(s[start..end].to_string())
        })
        .collect()
}

/// The search fixture built for `/wiki/` and served from its parent folder: the vault (kept
/// alive), the site folder and the server.
fn served_fixture() -> (common::Vault, std::path::PathBuf, Server) {
    let v = fixture("search");
    let root = v.dir().join("www");
    let site = root.join("wiki");
    v.build_to(&site, &["--base-url", "/wiki/"]).ok();
    let server = Server::start(&root);
    (v, site, server)
}

#[test]
fn search_box_dropdown_keyboard_and_results_page_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let (_v, site, server) = served_fixture();
    let url = format!("http://127.0.0.1:{}/wiki/", server.port);
    for target in [url, format!("file://{}/", site.display())] {
        run_script("search.mjs", &[&target, "jose", "José"]);
    }
}
