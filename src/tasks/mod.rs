//! The Obsidian Tasks plugin at build time: task-line metadata ([`meta`]), the natural-language
//! dates of queries ([`dates`]) and the ```` ```tasks ```` query language ([`query`]).

pub mod dates;
pub mod meta;
pub mod query;
