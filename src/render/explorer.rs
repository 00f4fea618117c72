//! Render stage, folder explorer: the whole vault's folder tree as one small JSON file
//! (`_wikigen/explorer.json`), written once per site rather than into every page; the theme's
//! script draws the tree in the sidebar from it, folder by folder as they are opened.

use crate::enrich::Site;
use serde_json::{json, Value};

/// Where the explorer data is written, relative to the output folder.
pub const PATH: &str = "_wikigen/explorer.json";

/// The explorer data: `folders` as `[path, name, url, parent index]` (the root first, then by
/// path) and `notes` as `[folder index, title, url, kind]` (by folder, then title). URLs are
/// relative to the site root. Folder notes are the folder's own link, not listed again.
pub fn json(site: &Site) -> Vec<u8> {
    let paths: Vec<&String> = site.folders.keys().collect();
    let index = |p: &str| paths.binary_search_by(|q| q.as_str().cmp(p)).ok();
    let folders: Vec<Value> = site
        .folders
        .iter()
        .map(|(p, f)| {
            let parent = if p.is_empty() {
                Value::Null
            } else {
                index(crate::paths::parent(p)).map_or(Value::Null, Value::from)
            };
            json!([p, f.name, f.url.url, parent])
        })
        .collect();
    let mut notes: Vec<(usize, &str, usize)> = Vec::with_capacity(site.notes.len());
    for (p, f) in &site.folders {
        let Some(fi) = index(p) else { continue };
        for &n in &f.notes {
            let is_folder_note = site
                .folders
                .get(crate::paths::strip_md(&site.notes[n].path))
                .is_some_and(|g| g.folder_note == Some(n));
            if !is_folder_note {
                notes.push((fi, site.notes[n].title.as_str(), n));
            }
        }
    }
    notes.sort_by_cached_key(|&(folder, title, _)| (folder, title.to_lowercase()));
    let notes: Vec<Value> = notes
        .into_iter()
        .map(|(fi, title, n)| json!([fi, title, site.link_url(n).url, site.notes[n].kind.as_str()]))
        .collect();
    serde_json::to_vec(&json!({ "folders": folders, "notes": notes }))
        .expect("JSON of strings and numbers")
}
