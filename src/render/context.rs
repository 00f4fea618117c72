//! Render stage: the typed template contexts. These structs are the template contract that the
//! book documents (book/src/theming.md): every field here is a variable a theme may use.
//!
//! Every `url` in a context is already relative to the page being rendered (for example
//! `../../people/ada-lovelace/`), so a template writes `href="{{ link.url }}"` and the site works
//! under any sub-path and without a server. `site.root` is the relative prefix to the site root.

use serde::Serialize;

/// Site-wide values, available in every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// `[site] title` from `wikigen.toml`.
    pub title: String,
    /// `[site] description`.
    pub description: String,
    /// `[site] base_url` (or `--base-url`), always ending in `/`.
    pub base_url: String,
    /// `[site] language`, used for `<html lang>`.
    pub language: String,
    /// Relative prefix from this page to the site root (`""`, `"../"`, ...); `base_url` on 404.
    pub root: String,
    /// URL of the theme's static folder (`{{ site.root }}_wikigen/`).
    pub assets: String,
    /// URL of the home page.
    pub home_url: String,
    /// URL of the tag index.
    pub tags_url: String,
    /// URL of the search page.
    pub search_url: String,
    /// URL of the recently changed page.
    pub recent_url: String,
    /// Version of the search index (appended to `search.js?v=`).
    pub search_version: String,
    /// The graph page and data, or `null` when `[graph] enabled` is off.
    pub graph: Option<GraphLinks>,
    /// The people directory, meetings timeline and projects list, for kinds the vault has.
    pub nav: Vec<Link>,
    /// "wikigen 0.1.0".
    pub generator: String,
    /// Build date, `YYYY-MM-DD`.
    pub build_date: String,
    /// Number of published notes.
    pub note_count: usize,
    /// The free-form `[extra]` table of `wikigen.toml`.
    pub extra: serde_json::Value,
}

/// Where the graph lives, available as `site.graph` (`null` when the graph is turned off).
#[derive(Debug, Clone, Serialize)]
pub struct GraphLinks {
    /// URL of the global graph page.
    pub url: String,
    /// URL of `graph.js` with the graph's version (`_wikigen/graph.js?v=…`): the script that
    /// draws graphs, and finds the graph data next to itself (`graph-data.js?v=…`).
    pub script: String,
    /// URL of the graph data script (`_wikigen/graph-data.js?v=…`).
    pub data: String,
    /// `[graph] local_depth`: how many steps out a note's local graph reaches (1 or 2).
    pub local_depth: u8,
}

/// Values about the page itself, available in every template as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageCtx {
    /// Text for `<title>` and the main heading.
    pub title: String,
    /// What is rendered: `note`, `index`, `folder`, `tag`, `tags`, `missing`, `404`, `people`,
    /// `meetings`, `projects`, `tasks`, `search` or `graph`.
    pub kind: String,
    /// Site-absolute URL of this page (`base_url` + path), for `<link rel=canonical>`.
    pub canonical: String,
    /// URL path of this page from the site root, percent-encoded (`people/ada/`; `""` for the
    /// home page): how the graph data names the page (`data-node` of the local graph).
    pub path: String,
    /// From the home page down to the parent of this page.
    pub breadcrumbs: Vec<Link>,
    /// Extra CSS classes for `<body>` (a note's `cssclasses`).
    pub body_classes: Vec<String>,
}

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Visible text.
    pub title: String,
    /// Page-relative URL.
    pub url: String,
}

/// A tag with its page.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    /// Tag name without `#`, as first written in the vault (`project/alpha`).
    pub name: String,
    /// Page-relative URL of the tag page.
    pub url: String,
    /// Number of notes with this tag (or one of its sub-tags).
    pub count: usize,
    /// Nesting depth: 0 for `project`, 1 for `project/alpha`.
    pub depth: usize,
}

/// A short card describing a note, used in lists.
#[derive(Debug, Clone, Serialize)]
pub struct NoteCard {
    /// Note title.
    pub title: String,
    /// Page-relative URL.
    pub url: String,
    /// `person`, `meeting`, `project` or `note`.
    pub kind: String,
    /// Vault folder of the note (`People/Team`), empty at the root.
    pub folder: String,
    /// Last update date `YYYY-MM-DD` (frontmatter `updated`/`modified`, else file time).
    pub updated: String,
    /// First sentences of the note as plain text (at most ~200 characters).
    pub excerpt: String,
    /// The note's tags.
    pub tags: Vec<TagLink>,
}

/// One row of the properties table (the note's frontmatter).
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    /// Frontmatter key as written.
    pub key: String,
    /// Value as HTML (escaped; links inside values are rendered as links). Use `| safe`.
    pub value: String,
}

/// One entry of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// Anchor id of the heading (link with `#{{ id }}`).
    pub id: String,
    /// Heading text.
    pub title: String,
}

/// A note that links to the current page, with the text around each link.
#[derive(Debug, Clone, Serialize)]
pub struct Backlink {
    /// Title of the linking note.
    pub title: String,
    /// Page-relative URL of the linking note.
    pub url: String,
    /// Kind of the linking note.
    pub kind: String,
    /// The sentence or list item around each link (up to 3), as HTML with the link text in
    /// `<mark>`; empty after the first 40 linking notes of a page.
    pub contexts: Vec<String>,
}

/// A note that names the current page in its text without linking it (an unlinked mention).
#[derive(Debug, Clone, Serialize)]
pub struct MentionCtx {
    /// Title of the naming note.
    pub title: String,
    /// Page-relative URL of the naming note.
    pub url: String,
    /// Kind of the naming note.
    pub kind: String,
    /// Text before the first mention (plain text: escape it, the default).
    pub before: String,
    /// The name as written there.
    pub name: String,
    /// Text after it.
    pub after: String,
    /// How many times that note names this page.
    pub count: u32,
}

/// The note being rendered by `note.html`, available as `note`.
#[derive(Debug, Clone, Serialize)]
pub struct NoteCtx {
    /// Title: frontmatter `title`, else the file name.
    pub title: String,
    /// Vault-relative path (`People/Ada Lovelace.md`).
    pub path: String,
    /// `person`, `meeting`, `project` or `note`.
    pub kind: String,
    /// Vault folder, empty at the root.
    pub folder: String,
    /// Tags from frontmatter and body.
    pub tags: Vec<TagLink>,
    /// Frontmatter `aliases`.
    pub aliases: Vec<String>,
    /// Creation date `YYYY-MM-DD` if known.
    pub created: String,
    /// Last update date `YYYY-MM-DD`.
    pub updated: String,
    /// The frontmatter as a properties table (publishing fields and private fields left out).
    pub properties: Vec<Property>,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// The rendered body, HTML. Use `| safe`.
    pub content: String,
    /// Notes linking here.
    pub backlinks: Vec<Backlink>,
    /// Notes naming this note's title or an alias without linking it, most recently updated
    /// first, at most `[links] unlinked_mentions` of them.
    pub mentions: Vec<MentionCtx>,
    /// How many notes name this note without linking it (`mentions` may list fewer).
    pub mentions_total: usize,
    /// Notes in the folder of the same name, when this note is a folder note (`People.md` next to
    /// `People/`).
    pub children: Vec<NoteCard>,
    /// Words in the body.
    pub word_count: usize,
    /// Estimated reading time in minutes (at least 1).
    pub reading_minutes: usize,
    /// The frontmatter as data (publishing and private fields removed), for custom templates.
    pub frontmatter: serde_json::Value,
    /// For a person note merged into another note's profile: that profile.
    pub profile: Option<Link>,
}

/// The recently changed page (`recent.html`), available as `recent`.
#[derive(Debug, Clone, Serialize)]
pub struct RecentCtx {
    /// The most recently updated notes, newest first, grouped by day.
    pub days: Vec<RecentDay>,
    /// How many notes the page lists.
    pub shown: usize,
    /// How many notes have an update date (frontmatter, else file time).
    pub total: usize,
}

/// The notes updated on one day, on the recently changed page.
#[derive(Debug, Clone, Serialize)]
pub struct RecentDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The notes updated that day.
    pub notes: Vec<NoteCard>,
}

/// The home page (`index.html`), available as `home`.
#[derive(Debug, Clone, Serialize)]
pub struct HomeCtx {
    /// Rendered body of the vault's home note (`index.md`/`Home.md`/`README.md` at the root, or
    /// `[site] home`), HTML; empty when there is none.
    pub intro: String,
    /// Recently updated notes, newest first.
    pub recent: Vec<NoteCard>,
    /// Notes grouped by kind.
    pub kinds: Vec<KindGroup>,
    /// All top-level tags with counts.
    pub tags: Vec<TagLink>,
    /// Top-level folders.
    pub folders: Vec<FolderLink>,
    /// Number of notes whose links point to notes not written yet.
    pub missing_count: usize,
}

/// Notes of one kind on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct KindGroup {
    /// `person`, `meeting`, `project` or `note`.
    pub kind: String,
    /// Human label (`People`, `Meetings`, `Projects`, `Notes`).
    pub label: String,
    /// Total notes of this kind.
    pub count: usize,
    /// The most recently updated ones (at most 8).
    pub notes: Vec<NoteCard>,
}

/// A folder with its page.
#[derive(Debug, Clone, Serialize)]
pub struct FolderLink {
    /// Folder name (last path segment).
    pub title: String,
    /// Page-relative URL of the folder page (or of its folder note).
    pub url: String,
    /// Notes in the folder and its sub-folders.
    pub count: usize,
}

/// A folder listing (`folder.html`), available as `folder`.
#[derive(Debug, Clone, Serialize)]
pub struct FolderCtx {
    /// Folder name.
    pub title: String,
    /// Vault path of the folder (`People/Team`).
    pub path: String,
    /// Sub-folders.
    pub subfolders: Vec<FolderLink>,
    /// Notes directly in the folder, by title.
    pub notes: Vec<NoteCard>,
}

/// A tag page (`tag.html`), available as `tag`.
#[derive(Debug, Clone, Serialize)]
pub struct TagCtx {
    /// Tag name without `#`.
    pub name: String,
    /// Parent tag, when nested.
    pub parent: Option<TagLink>,
    /// Sub-tags.
    pub children: Vec<TagLink>,
    /// Notes with exactly this tag, newest first (notes with a sub-tag are on the sub-tag pages;
    /// lists of more than 60 notes have compact cards without excerpt and tags).
    pub notes: Vec<NoteCard>,
}

/// A page for a link target that does not exist (`missing.html`), available as `missing`.
#[derive(Debug, Clone, Serialize)]
pub struct MissingCtx {
    /// The target as first written (`Bob Smith`, `Projects/Zeppelin`).
    pub name: String,
    /// Notes that link to it, with the text around each link.
    pub referrers: Vec<Backlink>,
}
