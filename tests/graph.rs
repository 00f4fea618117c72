//! Graph: the data file the build writes (`_wikigen/graph-data.js`: nodes, kinds, folders,
//! tags, links, positions), what it never holds (private notes, links to them, attachments,
//! self-links), that it is the same for the same vault, the graph page and the local-graph
//! placeholder on note pages, `[graph]` settings; and, where Chromium is installed, the global
//! and local graphs in a real headless browser, including a 10,000-note vault.

mod common;

use common::browser;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Reads `_wikigen/graph-data.js` of a built site and returns its data.
fn data(out: &Path) -> Value {
    let p = out.join("_wikigen/graph-data.js");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let json = text
        .strip_prefix("wikigenGraph.load(")
        .and_then(|t| t.trim_end().strip_suffix(");"))
        .unwrap_or_else(|| panic!("not a wikigenGraph.load(…) script: {text:.80}"));
    serde_json::from_str(&json.replace("<\\/", "</")).unwrap()
}

/// The graph as titles, kinds and linked title pairs (each pair sorted).
struct Graph {
    title: Vec<String>,
    kind: Vec<String>,
    url: Vec<String>,
    pairs: BTreeSet<(String, String)>,
}

fn graph(d: &Value) -> Graph {
    let strs = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let title = strs("title");
    let kinds = strs("kinds");
    let kind: Vec<String> = d["kind"]
        .as_str()
        .unwrap()
        .bytes()
        .map(|b| kinds[(b - b'0') as usize].clone())
        .collect();
    let mut pairs = BTreeSet::new();
    for (i, l) in d["edges"].as_array().unwrap().iter().enumerate() {
        let mut j = i as u64;
        for delta in l.as_array().unwrap() {
            let delta = delta.as_u64().unwrap();
            assert!(delta > 0, "edges are sorted, after their node, once: {l}");
            j += delta;
            let (a, b) = (title[i].clone(), title[j as usize].clone());
            pairs.insert(if a < b { (a, b) } else { (b, a) });
        }
    }
    Graph {
        url: strs("url"),
        title,
        kind,
        pairs,
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// A small vault: every kind, links both ways, a link twice, a self-link, an embed of an image,
/// a link to a note not written yet, a private note linking and linked, an unlinked note.
fn vault() -> common::Vault {
    common::vault(&[
        (
            "People/Ada Lovelace.md",
            "---\ntype: person\ntags: [team/core]\n---\n# Ada Lovelace\n\nWorks on [[Project Apollo]] and [[Project Apollo|again]].\n\
             See [[#Ada Lovelace]] and [[Ada Lovelace]] (herself), ![[diagram.png]], \
             [[Zqgraph Hidden Plan]] and [[Nowhere Yet]].\n",
        ),
        (
            "Projects/Project Apollo.md",
            "---\ntype: project\ntags: [space/moon]\n---\nLed by [[Ada Lovelace]].\n",
        ),
        (
            "Meetings/2026-01-05 Kickoff.md",
            "---\ntype: meeting\ndate: 2026-01-05\nparticipants: [\"[[Ada Lovelace]]\"]\n---\nAbout [[Project Apollo]].\n",
        ),
        ("Notes/Loose End.md", "Nothing links here and this links nowhere.\n"),
        (
            "Private/Zqgraph Hidden Plan.md",
            "---\nprivate: true\n---\nzqgraph-secret. [[Ada Lovelace]] and [[Zqgraph Other Missing]].\n",
        ),
        ("diagram.png", "png"),
    ])
}

#[test]
fn graph_data_has_the_notes_their_kinds_and_links_and_nothing_private() {
    let v = vault();
    let b = v.build(&[]);
    b.ok();
    let d = data(&b.out);
    let g = graph(&d);
    let titles: BTreeSet<&str> = g.title.iter().map(String::as_str).collect();
    assert_eq!(
        titles,
        BTreeSet::from([
            "2026-01-05 Kickoff",
            "Ada Lovelace",
            "Loose End",
            "Nowhere Yet",
            "Project Apollo",
        ]),
        "published notes and the note not written yet, nothing else"
    );
    let kind_of = |t: &str| g.kind[g.title.iter().position(|x| x == t).unwrap()].as_str();
    assert_eq!(kind_of("Ada Lovelace"), "person");
    assert_eq!(kind_of("Project Apollo"), "project");
    assert_eq!(kind_of("2026-01-05 Kickoff"), "meeting");
    assert_eq!(kind_of("Loose End"), "note");
    assert_eq!(kind_of("Nowhere Yet"), "missing");
    // Links both ways are one edge; no self-link, no attachment, no private note.
    assert_eq!(
        g.pairs,
        BTreeSet::from([
            pair("Ada Lovelace", "Project Apollo"),
            pair("Ada Lovelace", "Nowhere Yet"),
            pair("2026-01-05 Kickoff", "Ada Lovelace"),
            pair("2026-01-05 Kickoff", "Project Apollo"),
        ])
    );
    // The private note, its text and what only it links to are nowhere in the graph data.
    let text = std::fs::read_to_string(b.out.join("_wikigen/graph-data.js")).unwrap();
    for secret in ["zqgraph", "Zqgraph", "Hidden Plan", "Private"] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the graph data"
        );
    }
    assert!(!text.contains("diagram"), "an attachment became a node");
    // Every node's URL is a page of the site (relative to its root).
    for u in &g.url {
        let path = percent_encoding::percent_decode_str(u)
            .decode_utf8()
            .unwrap();
        assert!(b.has(&path), "{u} is no page: {:?}", b.files());
    }
    // Folders and tags for the filters.
    let folders = d["folders"].as_array().unwrap();
    assert_eq!(folders[0], "", "the vault root comes first");
    assert!(folders.iter().any(|f| f == "Projects"), "{folders:?}");
    let tags: Vec<&str> = d["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let apollo = g.title.iter().position(|t| t == "Project Apollo").unwrap();
    let own: Vec<&str> = d["tag"][apollo]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| tags[t.as_u64().unwrap() as usize])
        .collect();
    assert_eq!(own, vec!["space/moon"], "{tags:?}");
    assert!(
        tags.contains(&"space"),
        "parent tags are listed too: {tags:?}"
    );
    // Positions: one per node, distinct, linked notes nearer than the unlinked one.
    let xs = d["x"].as_array().unwrap();
    let ys = d["y"].as_array().unwrap();
    assert_eq!((xs.len(), ys.len()), (g.title.len(), g.title.len()));
    let at = |t: &str| {
        let i = g.title.iter().position(|x| x == t).unwrap();
        (
            xs[i].as_i64().unwrap() as f64,
            ys[i].as_i64().unwrap() as f64,
        )
    };
    let dist = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let ada = at("Ada Lovelace");
    assert!(dist(ada, at("Project Apollo")) < dist(ada, at("Loose End")));
}

#[test]
fn graph_data_is_the_same_for_the_same_vault_under_any_base_url() {
    let v = vault();
    let a = v.build(&[]);
    a.ok();
    let b = v.build_to(&v.dir().join("again"), &["--base-url", "/wiki/"]);
    b.ok();
    let read = |o: &Path| std::fs::read(o.join("_wikigen/graph-data.js")).unwrap();
    assert_eq!(
        read(&a.out),
        read(&b.out),
        "same vault, same bytes (URLs are relative to the site root)"
    );
}

#[test]
fn pages_carry_the_local_graph_and_link_to_the_graph_page() {
    let v = vault();
    let b = v.build(&["--base-url", "/wiki/"]);
    b.ok();
    let graph = b.page("graph/");
    assert!(graph.contains("<canvas"), "{graph}");
    assert!(graph.contains("data-graph=\"global\""));
    assert!(graph.contains("<noscript>"), "no-JS text");
    assert!(graph.contains("graph-page.js"));
    assert!(
        !b.page("").contains("graph-data.js"),
        "only pages with a graph name the graph data"
    );
    for (page, node) in [
        ("people/ada-lovelace/", "people/ada-lovelace/"),
        ("projects/project-apollo/", "projects/project-apollo/"),
        (
            "meetings/2026-01-05-kickoff/",
            "meetings/2026-01-05-kickoff/",
        ),
        ("notes/loose-end/", "notes/loose-end/"),
    ] {
        let html = b.page(page);
        assert!(
            html.contains(&format!("data-graph=\"local\" data-node=\"{node}\"></div>")),
            "{page} has no local graph placeholder for {node}"
        );
        assert!(
            html.contains("<script src=\"../../_wikigen/graph.js?v="),
            "{page} does not load graph.js with the graph's version"
        );
        assert!(html.contains("Open full graph"), "{page}");
        assert!(
            html.contains("href=\"../../graph/\"") && html.contains(">Graph</a>"),
            "{page}: no Graph link in the site nav"
        );
    }
    assert_eq!(common::broken_relative_links(&b), Vec::<String>::new());
}

#[test]
fn graph_settings_turn_it_off_and_leave_out_missing_notes() {
    let v = vault();
    v.write("Graph.md", "A note called Graph.\n");
    let on = v.build(&[]);
    on.ok();
    assert!(
        on.has("graph/") && on.has("graph-2/"),
        "the graph page keeps graph/"
    );
    v.write("wikigen.toml", "[graph]\nenabled = false\n");
    let off = v.build_configured_to(&v.dir().join("off"), &[]);
    off.ok();
    assert!(!off.has("_wikigen/graph-data.js"), "no graph data");
    assert!(
        off.page("graph/").contains("A note called Graph"),
        "the note gets graph/"
    );
    let ada = off.page("people/ada-lovelace/");
    assert!(!ada.contains("data-graph") && !ada.contains("Open full graph"));
    assert!(!ada.contains(">Graph</a>"));
    v.write(
        "wikigen.toml",
        "[graph]\nmissing = false\nlocal_depth = 1\n",
    );
    let few = v.build_configured_to(&v.dir().join("few"), &[]);
    few.ok();
    let g = graph(&data(&few.out));
    assert!(!g.title.iter().any(|t| t == "Nowhere Yet"), "{:?}", g.title);
    assert!(!g.kind.iter().any(|k| k == "missing"));
    assert_eq!(data(&few.out)["depth"], 1);
    v.write("wikigen.toml", "[graph]\nenable = true\n");
    let bad = v.build_configured_to(&v.dir().join("bad"), &[]);
    assert_ne!(bad.run.code, 0, "an unknown [graph] key is an error");
    assert!(bad.run.stderr.contains("enable"), "{}", bad.run.stderr);
}

/// The fixture with people, meetings and projects, built under `/wiki/` and served from its
/// parent folder: the vault (kept alive), the site folder and the server.
fn served(v: &common::Vault, extra: &[&str]) -> (std::path::PathBuf, browser::StaticServer) {
    let root = v.dir().join("www");
    let site = root.join("wiki");
    let mut args = vec!["--base-url", "/wiki/"];
    args.extend_from_slice(extra);
    v.build_to(&site, &args).ok();
    let server = browser::StaticServer::start(&root);
    (site, server)
}

#[test]
fn graph_page_and_local_graph_in_a_real_browser() {
    if !browser::browser_ready() {
        return;
    }
    let v = common::fixture("queries");
    let (site, server) = served(&v, &[]);
    let url = format!("http://127.0.0.1:{}/wiki/", server.port);
    for target in [url, format!("file://{}/", site.display())] {
        browser::run_script("graph.mjs", &[&target, "people/lena-park/"]);
    }
}

/// A vault of `n` tiny notes in four folders (people, meetings, projects, notes), each linking
/// to three others chosen by a fixed pseudo-random sequence, with one of 20 tags.
fn tiny_vault(n: usize) -> common::Vault {
    let v = common::vault(&[]);
    let folders = ["Notes", "People", "Projects", "Meetings"];
    let mut x: u64 = 12345;
    let mut next = || {
        x = (x * 1_103_515_245 + 12_345) % (1 << 31);
        x as usize % n
    };
    for i in 0..n {
        let links: Vec<String> = (0..3).map(|_| format!("[[N{}]]", next())).collect();
        v.write(
            &format!("{}/N{i}.md", folders[i % 4]),
            &format!("#t{}\n{}\n", i % 20, links.join(" ")),
        );
    }
    v
}

#[test]
fn a_10000_note_global_graph_loads_and_becomes_interactive_in_a_real_browser() {
    if !browser::browser_ready() {
        return;
    }
    let v = tiny_vault(10_000);
    let (_site, server) = served(&v, &[]);
    let url = format!("http://127.0.0.1:{}/wiki/", server.port);
    // The times are printed for the record (`cargo test -- --nocapture`); never asserted,
    // machines vary.
    let out = browser::run_script("graph.mjs", &[&url, "people/n1/", "big"]);
    assert!(out.contains("TIMES nodes=10000"), "{out}");
}
