//! Profile stage (part of enrich): turns person, meeting and project notes into the wiki's
//! directory — one merged [`Profile`] per person, meetings with their participants on a
//! timeline, projects with their people, meetings and open tasks. Input: the published notes and
//! their resolved links. Output: [`Directory`], read-only for the render stage.

pub mod config;
pub mod fields;
pub mod merge;
pub mod sections;
pub mod summary;

mod renumber;
mod wiring;

use crate::diag::Diagnostic;
use crate::parse::ParsedNote;
use crate::resolve::Resolved;
use serde::Serialize;

pub use crate::tasks::meta::TaskMeta;
pub use fields::Origin;

/// One distinct value of a field and the notes that give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldValue {
    /// The value as plain text.
    pub value: String,
    /// Notes (indices) that give this value.
    pub notes: Vec<usize>,
    /// Where it was first read.
    pub origin: Origin,
    /// Line in the first note (0: frontmatter).
    pub line: usize,
}

/// A merged field of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Canonical key (`role`, `company`, `email`, …).
    pub key: String,
    /// The key as first written.
    pub label: String,
    /// A list field: `current` and `others` are all its values.
    pub list: bool,
    /// The rule that chose `current`: `most recent source`, `earliest`, `latest` or `union`.
    pub rule: &'static str,
    /// The value shown.
    pub current: FieldValue,
    /// The other real values (alternates of a conflict, or the rest of a list).
    pub others: Vec<FieldValue>,
}

/// One wording of a list item, in one source note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Source note.
    pub note: usize,
    /// Fragment HTML of the item (the note's link slots still to fill).
    #[serde(skip)]
    pub html: String,
    /// Plain text.
    pub text: String,
}

/// A folded fact: the most informative wording and the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The wording shown.
    pub shown: Item,
    /// Every other wording of the same fact.
    pub others: Vec<Item>,
    /// How many times it was said.
    pub count: usize,
    /// Notes that said it.
    pub sources: Vec<usize>,
}

/// A block of a merged section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum SectionBlock {
    /// Folded list items of every source.
    Facts(Vec<Fact>),
    /// Other content (prose, tables, queries) from one source, once.
    Html {
        /// Source note.
        note: usize,
        /// Fragment HTML.
        #[serde(skip)]
        html: String,
    },
}

/// A merged `##` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Heading (empty: the text before the first heading).
    pub title: String,
    /// Heading id in the first source.
    pub id: String,
    /// Content.
    pub blocks: Vec<SectionBlock>,
}

/// A source note of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    /// Note index.
    pub note: usize,
    /// Its recency date (see [`merge::recency`]).
    pub recency: String,
}

/// One person, merged from all the notes about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Display name.
    pub name: String,
    /// The note whose page is the profile.
    pub primary: usize,
    /// Source notes, most recent first.
    pub sources: Vec<SourceRef>,
    /// Merged fields, in order of first appearance.
    pub fields: Vec<Field>,
    /// Aliases of every source.
    pub aliases: Vec<String>,
    /// Tags of every source.
    pub tags: Vec<String>,
    /// Merged sections.
    pub sections: Vec<Section>,
    /// Pieces of template noise left out (placeholders, prompts, empty rows).
    pub dropped: usize,
}

impl Profile {
    /// The current value of a field.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.current.value.as_str())
    }
}

/// A participant of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    /// Name as written.
    pub name: String,
    /// Their profile, when one exists.
    pub profile: Option<usize>,
}

/// A meeting note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    /// Note index.
    pub note: usize,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Participants.
    pub participants: Vec<Participant>,
    /// People linked from the meeting who are not participants.
    pub mentioned: Vec<usize>,
    /// Projects it belongs to (indices into [`Directory::projects`]).
    pub projects: Vec<usize>,
    /// Open and done tasks in it (indices into [`Directory::tasks`]).
    pub tasks: Vec<usize>,
    /// The previous meeting with some of the same people.
    pub prev: Option<usize>,
    /// The next one.
    pub next: Option<usize>,
}

/// A project note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    /// Note index.
    pub note: usize,
    /// `status` field.
    pub status: Option<String>,
    /// People involved (profiles).
    pub people: Vec<usize>,
    /// Its meetings, newest first.
    pub meetings: Vec<usize>,
    /// Its open tasks.
    pub tasks: Vec<usize>,
}

/// A task anywhere in the vault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRef {
    /// Note index.
    pub note: usize,
    /// 1-based line.
    pub line: usize,
    /// Status character.
    pub status: char,
    /// Parsed metadata.
    pub meta: std::sync::Arc<TaskMeta>,
    /// People it is assigned to or mentions.
    pub people: Vec<usize>,
    /// Projects it belongs to.
    pub projects: Vec<usize>,
}

impl TaskRef {
    /// Not done and not cancelled.
    pub fn open(&self) -> bool {
        !matches!(self.status, 'x' | 'X' | '-')
    }
}

/// The directory: profiles, meetings, projects and tasks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Directory {
    /// Profiles, by name (shared, so a rebuild takes unchanged ones over without copying).
    pub profiles: Vec<std::sync::Arc<Profile>>,
    /// For each note, its profile (person notes only).
    pub profile_of: Vec<Option<usize>>,
    /// Meetings, newest first (undated last).
    pub meetings: Vec<Meeting>,
    /// For each note, its meeting.
    pub meeting_of: Vec<Option<usize>>,
    /// Projects, by title.
    pub projects: Vec<Project>,
    /// For each note, its project.
    pub project_of: Vec<Option<usize>>,
    /// Every task of every published note.
    pub tasks: Vec<TaskRef>,
    /// For each profile: meetings with them (participant or linked), newest first.
    pub person_meetings: Vec<Vec<usize>>,
    /// For each profile: open tasks assigned to or mentioning them.
    pub person_tasks: Vec<Vec<usize>>,
    /// For each profile: related projects.
    pub person_projects: Vec<Vec<usize>>,
    /// What the next rebuild can reuse (`wikigen serve`).
    #[serde(skip)]
    pub(crate) cache: wiring::Cache,
}

impl Directory {
    /// The profile a note belongs to, and whether the note is that profile's page.
    pub fn profile_page(&self, note: usize) -> Option<(usize, bool)> {
        let p = (*self.profile_of.get(note)?)?;
        Some((p, self.profiles[p].primary == note))
    }
}

/// Builds the directory from the published notes.
pub fn build(
    notes: &[ParsedNote],
    resolved: &Resolved,
    cfg: &crate::config::Config,
    diags: &mut Vec<Diagnostic>,
) -> Directory {
    wiring::build(notes, resolved, cfg, diags, None)
}

/// [`build`], reusing the previous directory of the same vault for everything the notes marked
/// dirty cannot change (`wikigen serve`). Valid only when the vault has the same notes with the
/// same titles, aliases, kinds and links resolving the same way for the clean ones; the result is
/// the same as [`build`]'s.
pub fn build_with(
    notes: &[ParsedNote],
    resolved: &Resolved,
    cfg: &crate::config::Config,
    diags: &mut Vec<Diagnostic>,
    prior: &Directory,
    dirty: &[bool],
) -> Directory {
    wiring::build(notes, resolved, cfg, diags, Some((prior, dirty)))
}
