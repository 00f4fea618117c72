//! `[kinds]` and `[people]` in `wikigen.toml`: how notes are classified and how person notes are
//! merged into profiles. Every rule has a default and can be overridden.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[kinds]`: how a note becomes a person, meeting, project or other note.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct KindsConfig {
    /// Frontmatter `type` values (and `type/<value>` tags) that mean a person.
    pub person: Vec<String>,
    /// … a meeting.
    pub meeting: Vec<String>,
    /// … a project.
    pub project: Vec<String>,
    /// Folders (vault paths) whose notes are of a kind: `{ "CRM/Contacts" = "person" }`.
    /// Checked after frontmatter `type` and tags.
    pub folders: BTreeMap<String, String>,
    /// A folder named like a kind word (`People/`, `Meetings/`) classifies the notes in it.
    pub folder_names: bool,
    /// A note with a date and participants is a meeting, whatever its `type` says.
    pub meeting_evidence: bool,
}

impl Default for KindsConfig {
    fn default() -> Self {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        KindsConfig {
            person: v(&["person", "people", "contact", "contacts"]),
            meeting: v(&[
                "meeting",
                "meetings",
                "1:1",
                "one-on-one",
                "call",
                "interview",
            ]),
            project: v(&["project", "projects"]),
            folders: BTreeMap::new(),
            folder_names: true,
            meeting_evidence: true,
        }
    }
}

/// `[people]`: profile merging.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleConfig {
    /// Merge person notes that share a name, alias or email into one profile.
    pub merge: bool,
    /// Field values that count as "not filled in" (compared without case, `_`/`*` and spaces).
    pub placeholders: Vec<String>,
    /// Fields whose values are lists: united across sources without repeats.
    pub list_fields: Vec<String>,
    /// Date fields where the earliest value wins.
    pub earliest: Vec<String>,
    /// Date fields where the latest value wins.
    pub latest: Vec<String>,
    /// Alternative field names: `{ organisation = "company" }`.
    pub synonyms: BTreeMap<String, String>,
    /// Participants present in more than this share of all meetings (the vault's owner) are
    /// ignored when finding the previous and next meeting "with the same people".
    pub owner_share: f64,
    /// Fact folding: the similarity measure for repeated list items.
    pub facts: crate::text::facts::FoldConfig,
}

impl Default for PeopleConfig {
    fn default() -> Self {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        let synonyms = [
            ("organisation", "company"),
            ("organization", "company"),
            ("org", "company"),
            ("employer", "company"),
            ("job_title", "role"),
            ("position", "role"),
            ("e-mail", "email"),
            ("mail", "email"),
            ("mobile", "phone"),
            ("cell", "phone"),
            ("telephone", "phone"),
            ("city", "location"),
            ("based_in", "location"),
            ("team", "department"),
            ("linked_in", "linkedin"),
            ("last_contacted", "last_contact"),
            ("last_met", "last_contact"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        PeopleConfig {
            merge: true,
            placeholders: v(&[
                "unknown",
                "tbd",
                "tba",
                "todo",
                "?",
                "??",
                "unclear",
                "n/a",
                "na",
                "-",
                "—",
                "none yet",
                "not known",
                "unknown yet",
                "...",
                "…",
                "add answer",
            ]),
            list_fields: v(&[
                "aliases",
                "tags",
                "expertise",
                "skills",
                "interests",
                "topics",
                "languages",
            ]),
            earliest: v(&["created", "first_met", "first_contact"]),
            latest: v(&["last_contact", "updated", "modified"]),
            synonyms,
            owner_share: 0.3,
            facts: Default::default(),
        }
    }
}
