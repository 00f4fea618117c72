//! Graph stage: the link graph of the published notes, for the global graph page and the local
//! graph on every note page. Nodes are the published notes (and, unless `[graph] missing` is
//! off, the "not written yet" targets); edges are resolved links between them, each linked pair
//! once whichever way it links, without self-links. Private notes are gone before links are
//! resolved, and a link to one resolves to [`Target::Private`], so they can be neither a node
//! nor an edge.
//!
//! The data is one script, `_wikigen/graph-data.js`, calling `wikigenGraph.load(data)` (a script
//! rather than JSON so that it loads from `file://` too, as search does), with columns rather
//! than an object per node, and layout positions computed here ([`layout`]) so the browser
//! only draws. `themes/default/static/graph.js` reads it; the book's graph chapter documents it.

pub mod layout;

use crate::enrich::Site;
use crate::parse::Kind;
use crate::render::Page;
use crate::resolve::Target;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Where the data script is written, relative to the output folder.
pub const DATA_PATH: &str = "_wikigen/graph-data.js";

/// `[graph]` in `wikigen.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphConfig {
    /// Build the global graph page (`graph/`) and a local graph on every note page.
    pub enabled: bool,
    /// Steps out from the note that its local graph shows (1 or 2).
    pub local_depth: u8,
    /// Show link targets that are not written yet as nodes.
    pub missing: bool,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            enabled: true,
            local_depth: 2,
            missing: true,
        }
    }
}

/// Node kinds, by their number in the data (`kind` column).
pub const KINDS: [&str; 5] = ["note", "person", "meeting", "project", "missing"];

fn kind_code(k: Kind) -> u8 {
    match k {
        Kind::Note => 0,
        Kind::Person => 1,
        Kind::Meeting => 2,
        Kind::Project => 3,
    }
}

/// The graph before layout: what the data file says besides positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graph {
    /// Format version.
    pub v: u32,
    /// `[graph] local_depth`: how many steps out local graphs reach.
    pub depth: u8,
    /// Kind names ([`KINDS`]).
    pub kinds: Vec<&'static str>,
    /// Folder paths (`""` first, the vault root); nodes point into it.
    pub folders: Vec<String>,
    /// Tag names as first written, sorted by their lower-case key; nodes point into it.
    pub tags: Vec<String>,
    /// Each node's title.
    pub title: Vec<String>,
    /// Each node's page, a percent-encoded URL path relative to the site root.
    pub url: Vec<String>,
    /// Each node's kind, one digit per node (an index into `kinds`).
    pub kind: String,
    /// Each node's folder (an index into `folders`).
    pub folder: Vec<u32>,
    /// Each node's own tags (indices into `tags`; parent tags are implied).
    pub tag: Vec<Vec<u32>>,
    /// Each node's links, either way, to nodes after it, sorted: every linked pair once. (The
    /// data file has them delta-coded: `[j1 - i, j2 - j1, …]`.)
    #[serde(skip)]
    pub edges: Vec<Vec<u32>>,
}

impl Graph {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.title.len()
    }

    /// Whether there is no node.
    pub fn is_empty(&self) -> bool {
        self.title.is_empty()
    }

    /// Every linked pair once, as (lower node, higher node).
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        self.edges
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.iter().map(move |&j| (i as u32, j)))
            .collect()
    }

    /// The edges as the data file has them: each list delta-coded from its node.
    pub fn delta_edges(&self) -> Vec<Vec<u32>> {
        self.edges
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut last = i as u32;
                l.iter()
                    .map(|&j| {
                        let d = j - last;
                        last = j;
                        d
                    })
                    .collect()
            })
            .collect()
    }

    /// A hash of what the layout depends on: the number of nodes and the edges.
    fn shape(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.len().hash(&mut h);
        self.edges.hash(&mut h);
        h.finish()
    }
}

/// The graph of `site` (see the module documentation).
pub fn graph(site: &Site) -> Graph {
    let n = site.notes.len();
    let missing = site.cfg.graph.missing;
    let folders: Vec<String> = std::iter::once(String::new())
        .chain(site.folders.keys().filter(|k| !k.is_empty()).cloned())
        .collect();
    let folder_ids: HashMap<&str, u32> = folders
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i as u32))
        .collect();
    let folder_of = |path: &str| *folder_ids.get(crate::paths::parent(path)).unwrap_or(&0);
    let tag_ids: HashMap<&str, u32> = site
        .tags
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    let mut g = Graph {
        v: 1,
        depth: site.cfg.graph.local_depth,
        kinds: KINDS.to_vec(),
        folders: folders.clone(),
        tags: site.tags.values().map(|t| t.name.clone()).collect(),
        title: Vec::with_capacity(n),
        url: Vec::with_capacity(n),
        kind: String::with_capacity(n),
        folder: Vec::with_capacity(n),
        tag: Vec::with_capacity(n),
        edges: Vec::new(),
    };
    let total = n + if missing {
        site.resolved.missing.len()
    } else {
        0
    };
    let mut edges: Vec<Vec<u32>> = vec![Vec::new(); total];
    for (i, note) in site.notes.iter().enumerate() {
        g.title.push(note.title.clone());
        g.url.push(crate::paths::encode_url_path(&site.urls[i].url));
        g.kind.push(char::from(b'0' + kind_code(note.kind)));
        g.folder.push(folder_of(&note.path));
        let mut tags: Vec<u32> = note
            .tags
            .iter()
            .filter_map(|t| tag_ids.get(crate::paths::key(t).as_str()).copied())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        g.tag.push(tags);
        for t in site.resolved.targets[i].iter() {
            let j = match t {
                Target::Note { note, .. } if *note != i => *note,
                Target::Missing(m) if missing => n + m,
                // Attachments, private notes and paths outside the vault are no nodes.
                _ => continue,
            };
            edges[i.min(j)].push(i.max(j) as u32);
        }
    }
    for l in &mut edges {
        l.sort_unstable();
        l.dedup();
    }
    g.edges = edges;
    if missing {
        for (m, target) in site.resolved.missing.iter().enumerate() {
            g.title.push(target.name.clone());
            g.url
                .push(crate::paths::encode_url_path(&site.missing_urls[m].url));
            g.kind.push('4');
            g.folder.push(folder_of(&target.path));
            g.tag.push(Vec::new());
        }
    }
    g
}

/// Layout positions kept between builds of `wikigen serve`: the layout is redone only when the
/// links or the number of nodes change (a rename or a body edit keeps it).
#[derive(Debug, Default)]
pub struct Cache {
    shape: Option<u64>,
    x: Vec<i32>,
    y: Vec<i32>,
}

/// The data file: the graph, its edges delta-coded, and positions.
#[derive(Serialize)]
struct Data<'a> {
    #[serde(flatten)]
    graph: &'a Graph,
    edges: Vec<Vec<u32>>,
    x: &'a [i32],
    y: &'a [i32],
}

/// The data script of `site` (`None` when `[graph] enabled` is off), laid out anew unless
/// `cache` holds the layout of a graph of the same shape.
pub fn data(site: &Site, cache: &mut Cache) -> Option<Page> {
    site.cfg.graph.enabled.then(|| script(&graph(site), cache))
}

/// The data script of `g`, laid out anew unless `cache` holds the layout of a graph of the same
/// shape.
pub fn script(g: &Graph, cache: &mut Cache) -> Page {
    let shape = g.shape();
    if cache.shape != Some(shape) {
        let t = std::time::Instant::now();
        let pos = layout::layout(g.len(), &g.pairs());
        log::debug!(
            "graph: layout of {} nodes in {:.1} ms",
            g.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
        cache.x = pos.iter().map(|p| p.0.round() as i32).collect();
        cache.y = pos.iter().map(|p| p.1.round() as i32).collect();
        cache.shape = Some(shape);
    }
    let json = serde_json::to_string(&Data {
        graph: g,
        edges: g.delta_edges(),
        x: &cache.x,
        y: &cache.y,
    })
    .unwrap_or_else(|_| "null".into());
    // `</script>`-safe and valid as a script: the JSON is a JavaScript expression.
    let json = json.replace("</", "<\\/");
    Page {
        path: DATA_PATH.into(),
        bytes: format!("wikigenGraph.load({json});\n").into_bytes(),
    }
}
