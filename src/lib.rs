//! wikigen turns an Obsidian-style notes vault into a self-contained static wiki.
//!
//! The build is a pipeline of stages, one module each, with plain data flowing one way:
//!
//! 1. [`load`]: walk the vault, read and decode notes, repair mojibake → [`load::Vault`]
//! 2. [`parse`]: frontmatter + markdown → [`parse::ParsedNote`] (HTML fragments with link slots),
//!    classified as person, meeting, project or note
//! 3. privacy filter ([`build::publishable`]): private notes are dropped here, before anything
//!    else sees them
//! 4. [`resolve`]: one link index, every link resolved, backlinks → [`resolve::Resolved`]
//! 5. [`enrich`]: URLs, folders, tags, kind index pages → [`enrich::Site`]
//! 6. [`people`]: merged person profiles, meetings, projects, tasks → [`people::Directory`]
//! 7. [`mentions`]: where notes name other notes without linking them → [`mentions::Mentions`]
//! 8. [`query`]: Dataview and Tasks queries evaluated against an index → [`query::Results`]
//! 9. [`render`]: fill link slots, embeds, query results, Tera templates → [`render::Page`]s,
//!    each handed to [`write`]: a staging folder as soon as it is rendered
//! 10. [`search`]: the full-text index, sharded, from the text already extracted → script files
//!     in the staging folder; then attachments, and the atomic swap into the output folder
//!
//! The search index and the [`graph`] (the link graph with layout positions, for the graph page
//! and the local graphs) are built before the pages, which name their versions.
//!
//! [`build::build`] runs them in order and returns a [`build::BuildReport`]. [`serve`] keeps the
//! stages' output in memory and, on a change, re-reads only the changed notes, re-runs the
//! stages after parse and renders only the pages the change can reach.

pub mod build;
pub mod cli;
pub mod config;
pub mod diag;
pub mod enrich;
pub mod graph;
pub mod load;
pub mod mentions;
pub mod parse;
pub mod paths;
pub mod people;
pub mod query;
pub mod render;
pub mod renumber;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod tasks;
pub mod text;
pub mod write;
