//! `serve`, early reload: a rebuild renders the pages open in a browser first, holds every other
//! request until it is finished, and sends the reload as soon as the open pages are written. A
//! reloaded page therefore shows the change before the rest of the affected pages are rendered,
//! and no request ever gets a page older than the reload that prompted it.

use crate::enrich::Site;
use crate::render::Selection;
use std::collections::HashSet;

/// What a rebuild can ask of the server while it runs.
pub trait Live {
    /// The site paths (`people/ada/`, as [`super::files::site_path`] gives them) of the pages
    /// open in a browser.
    fn open_pages(&self) -> HashSet<String>;
    /// From now until [`Live::release`], requests for site files other than those `fresh`
    /// accepts wait.
    fn hold(&self, fresh: Fresh);
    /// The open pages are up to date: reload every page. `changed`: the site paths written so far;
    /// `moved`: the pages that moved with a renamed note (a tab open on one goes to its new place).
    fn reload(&self, changed: &[String], moved: &[super::moved::Moved]);
    /// The rebuild is finished: serve every request again.
    fn release(&self);
}

/// The site files that are up to date while a rebuild holds requests.
#[derive(Debug, Clone, Default)]
pub struct Fresh {
    /// Files already written by this rebuild (`people/ada/index.html`).
    pub files: HashSet<String>,
    /// Whether the theme's assets under `_wikigen/` (all but the graph data) are current: true
    /// when neither the theme nor the configuration changed.
    pub assets: bool,
}

impl Fresh {
    /// May the site file `file` be served while the rebuild runs?
    pub fn accepts(&self, file: &str) -> bool {
        self.files.contains(file)
            || (self.assets && file.starts_with("_wikigen/") && file != crate::graph::DATA_PATH)
    }
}

/// A server with no browser attached: nothing is open, nothing held.
pub struct Offline;

impl Live for Offline {
    fn open_pages(&self) -> HashSet<String> {
        HashSet::new()
    }
    fn hold(&self, _: Fresh) {}
    fn reload(&self, _: &[String], _: &[super::moved::Moved]) {}
    fn release(&self) {}
}

/// The note pages among `selection` (every page when `None`) that are open in a browser, to be
/// rendered first; `None` when there are none.
pub fn first(
    site: &Site,
    selection: Option<&Selection>,
    open: &HashSet<String>,
) -> Option<Selection> {
    if open.is_empty() {
        return None;
    }
    let notes: HashSet<usize> = site
        .urls
        .iter()
        .enumerate()
        .filter(|(i, u)| {
            selection.is_none_or(|s| s.notes.contains(i))
                && open.contains(&super::files::site_path(&u.file))
        })
        .map(|(i, _)| i)
        .collect();
    (!notes.is_empty()).then(|| Selection {
        notes,
        listed_only: true,
        ..Default::default()
    })
}

/// `selection` without the pages `first` rendered (`None`, every page, stays `None`).
pub fn rest(selection: Option<&Selection>, first: Option<&Selection>) -> Option<Selection> {
    let mut rest = selection?.clone();
    if let Some(f) = first {
        rest.notes.retain(|n| !f.notes.contains(n));
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_accepts_written_files_and_unchanged_assets_only() {
        let mut f = Fresh {
            files: HashSet::from(["people/ada/index.html".to_string()]),
            assets: false,
        };
        assert!(f.accepts("people/ada/index.html"));
        assert!(!f.accepts("people/bo/index.html"));
        assert!(!f.accepts("_wikigen/style.css"));
        f.assets = true;
        assert!(f.accepts("_wikigen/style.css"));
        assert!(!f.accepts(crate::graph::DATA_PATH));
        assert!(!f.accepts("index.html"));
    }

    #[test]
    fn rest_leaves_out_what_was_rendered_first() {
        let sel = Selection {
            notes: HashSet::from([1, 2, 3]),
            kinds: true,
            ..Default::default()
        };
        let first = Selection {
            notes: HashSet::from([2]),
            listed_only: true,
            ..Default::default()
        };
        let r = rest(Some(&sel), Some(&first)).unwrap();
        assert_eq!(r.notes, HashSet::from([1, 3]));
        assert!(r.kinds && !r.listed_only);
        assert!(rest(None, Some(&first)).is_none());
    }
}
