//! Render stage, the template contract of person, meeting and project pages and of the people
//! directory, meetings timeline and projects list (documented in the book's theming chapter).

use super::context::{Link, TagLink};
use serde::Serialize;

/// A value of a profile field with the notes that give it.
#[derive(Debug, Clone, Serialize)]
pub struct ValueCtx {
    /// The value as text.
    pub value: String,
    /// A link for it (`mailto:`, `tel:`, a web address), when it is one.
    pub href: String,
    /// Source notes.
    pub sources: Vec<Link>,
}

/// A merged profile field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCtx {
    /// Canonical key (`role`, `company`, `email`, …).
    pub key: String,
    /// Label to show (`Role`).
    pub label: String,
    /// How the shown value was chosen (`most recent source`, `earliest`, `latest`, `union`).
    pub rule: String,
    /// Whether this is a list field (all values are shown).
    pub list: bool,
    /// The shown value.
    pub current: ValueCtx,
    /// Conflicting values (or the other values of a list), each with its notes.
    pub others: Vec<ValueCtx>,
}

/// One wording of a folded fact.
#[derive(Debug, Clone, Serialize)]
pub struct WordingCtx {
    /// HTML of the wording.
    pub html: String,
    /// The note it is in.
    pub source: Link,
}

/// A folded fact.
#[derive(Debug, Clone, Serialize)]
pub struct FactCtx {
    /// HTML of the shown (most informative) wording.
    pub html: String,
    /// How many times it was said.
    pub count: usize,
    /// The other wordings.
    pub others: Vec<WordingCtx>,
    /// Notes that said it.
    pub sources: Vec<Link>,
}

/// A block of a merged section: folded facts, or content from one source.
#[derive(Debug, Clone, Serialize)]
pub struct BlockCtx {
    /// `facts` or `html`.
    pub kind: String,
    /// Facts (for `facts`).
    pub facts: Vec<FactCtx>,
    /// HTML (for `html`).
    pub html: String,
    /// The source note (for `html`, when the profile has several sources).
    pub source: Option<Link>,
}

/// A merged section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionCtx {
    /// Heading, empty for the introduction.
    pub title: String,
    /// Anchor id.
    pub id: String,
    /// Content.
    pub blocks: Vec<BlockCtx>,
}

/// A task in a list of open tasks or action items.
#[derive(Debug, Clone, Serialize)]
pub struct TaskCtx {
    /// Description without metadata.
    pub text: String,
    /// Status character (` `, `x`, `/`, `-`).
    pub status: String,
    /// Done or cancelled.
    pub done: bool,
    /// Due date.
    pub due: String,
    /// Due before the build date and not done.
    pub overdue: bool,
    /// `highest` … `lowest`, or empty.
    pub priority: String,
    /// `@` assignees as written.
    pub assignees: Vec<String>,
    /// The note it is in, linked to its line's section.
    pub source: Link,
}

/// A meeting in a list.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingCard {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// `YYYY-MM-DD`, or empty.
    pub date: String,
    /// Participants' names.
    pub participants: Vec<String>,
}

/// A person in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PersonCard {
    /// Name.
    pub name: String,
    /// Profile URL.
    pub url: String,
    /// Current role.
    pub role: String,
    /// Current company.
    pub company: String,
    /// Current location.
    pub location: String,
    /// Number of source notes.
    pub sources: usize,
    /// Number of meetings with them.
    pub meetings: usize,
    /// Last contact (or most recent source date).
    pub last_contact: String,
}

/// A project in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectCard {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Status, or empty.
    pub status: String,
    /// People involved.
    pub people: usize,
    /// Meetings.
    pub meetings: usize,
    /// Open tasks.
    pub open_tasks: usize,
    /// Excerpt.
    pub excerpt: String,
}

/// `person` in `person.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonCtx {
    /// Name.
    pub name: String,
    /// Current role, company, location, email (empty when unknown).
    pub role: String,
    /// Company.
    pub company: String,
    /// Location.
    pub location: String,
    /// Every merged field, card fields first.
    pub fields: Vec<FieldCtx>,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Tags of every source.
    pub tags: Vec<TagLink>,
    /// Merged sections.
    pub sections: Vec<SectionCtx>,
    /// Meetings with them, newest first.
    pub meetings: Vec<MeetingCard>,
    /// Open tasks assigned to or mentioning them.
    pub tasks: Vec<TaskCtx>,
    /// Related projects.
    pub projects: Vec<ProjectCard>,
    /// Source notes, most recent first; the first is not necessarily the page's own note.
    pub sources: Vec<SourceCtx>,
    /// Pieces of template noise left out.
    pub dropped: usize,
}

/// A source note of a profile.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCtx {
    /// Title.
    pub title: String,
    /// Vault path.
    pub path: String,
    /// URL of its own page.
    pub url: String,
    /// Its recency date.
    pub date: String,
    /// It is the profile's page.
    pub primary: bool,
}

/// A meeting participant.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantCtx {
    /// Name as written.
    pub name: String,
    /// Profile URL, empty when no profile exists (shown as unresolved).
    pub url: String,
}

/// `meeting` in `meeting.html`.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingCtx {
    /// `YYYY-MM-DD`, or empty.
    pub date: String,
    /// Participants.
    pub participants: Vec<ParticipantCtx>,
    /// People linked but not listed as participants.
    pub mentioned: Vec<Link>,
    /// Projects.
    pub projects: Vec<Link>,
    /// Tasks of the meeting (action items).
    pub action_items: Vec<TaskCtx>,
    /// Items of a "Decisions" section, as HTML.
    pub decisions: Vec<String>,
    /// Previous meeting with some of the same people.
    pub prev: Option<MeetingCard>,
    /// Next one.
    pub next: Option<MeetingCard>,
}

/// `project` in `project.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectCtx {
    /// Status, or empty.
    pub status: String,
    /// People involved.
    pub people: Vec<PersonCard>,
    /// Meetings, newest first.
    pub meetings: Vec<MeetingCard>,
    /// Open tasks.
    pub tasks: Vec<TaskCtx>,
}

/// A group of people on the directory page.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleGroup {
    /// Company (or "No company").
    pub name: String,
    /// People, by name.
    pub people: Vec<PersonCard>,
}

/// `directory` in `people.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleIndexCtx {
    /// Number of people.
    pub count: usize,
    /// By company.
    pub groups: Vec<PeopleGroup>,
}

/// A month of the meetings timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MonthCtx {
    /// `2025-10`.
    pub key: String,
    /// `October 2025`.
    pub label: String,
    /// Meetings, newest first.
    pub meetings: Vec<MeetingCard>,
}

/// `timeline` in `meetings.html`.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingsIndexCtx {
    /// Number of meetings.
    pub count: usize,
    /// Months, newest first.
    pub months: Vec<MonthCtx>,
    /// Meetings without a date.
    pub undated: Vec<MeetingCard>,
}

/// A status group on the projects page.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectGroup {
    /// Status (or "No status").
    pub status: String,
    /// Projects, by title.
    pub projects: Vec<ProjectCard>,
}

/// `projects` in `projects.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectsIndexCtx {
    /// Number of projects.
    pub count: usize,
    /// By status.
    pub groups: Vec<ProjectGroup>,
}
