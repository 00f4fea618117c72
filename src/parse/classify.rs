//! Parse stage, classification: is a note a person, meeting, project or other note? Rules, in
//! order (each can be changed in `[kinds]`):
//! 1. evidence: a date and participants (frontmatter `date` + `participants`/`attendees`, or
//!    `**Date**:` + `**With**:` lines near the top) make a meeting, whatever `type` says;
//! 2. frontmatter `type` (`people`, `meeting`, `project`, …);
//! 3. a `type/<word>` tag;
//! 4. a folder rule from `[kinds] folders`;
//! 5. a folder named like a kind word (`People/`, `Meetings/`, `Projects/`);
//! 6. otherwise a plain note.

use super::Kind;
use crate::people::config::KindsConfig;
use serde_json::Value;

/// Which kind a word (`type` value, tag suffix, folder name) names under `rules`.
pub fn kind_of_word(word: &str, rules: &KindsConfig) -> Option<Kind> {
    let w = word.trim().to_lowercase();
    let is = |list: &[String]| list.iter().any(|x| x.eq_ignore_ascii_case(&w));
    if is(&rules.person) {
        Some(Kind::Person)
    } else if is(&rules.meeting) {
        Some(Kind::Meeting)
    } else if is(&rules.project) {
        Some(Kind::Project)
    } else {
        None
    }
}

const PARTICIPANT_KEYS: [&str; 4] = ["participants", "attendees", "with", "people"];
const DATE_KEYS: [&str; 3] = ["date", "meeting_date", "when"];

fn non_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// A `**Key**: value` or `**Key:** value` line: the lower-case key and the value.
pub fn bold_field_line(line: &str) -> Option<(String, &str)> {
    let l = line.trim_start();
    let l = l
        .strip_prefix("- ")
        .or_else(|| l.strip_prefix("* "))
        .unwrap_or(l)
        .trim_start();
    let rest = l.strip_prefix("**")?;
    let end = rest.find("**")?;
    let key = rest[..end].trim();
    let after = &rest[end + 2..];
    let (key, value) = if let Some(k) = key.strip_suffix(':') {
        (k.trim(), after)
    } else {
        (key, after.trim_start().strip_prefix(':')?)
    };
    if key.is_empty() || key.chars().count() > 40 {
        return None;
    }
    Some((key.to_lowercase(), value.trim()))
}

/// The `**Key**: value` lines with a value among the first 60 lines of a note (where meeting
/// notes keep `**Date**:` and `**With**:`).
pub fn head_fields(source: &str) -> impl Iterator<Item = (String, &str)> {
    source
        .lines()
        .take(60)
        .filter_map(bold_field_line)
        .filter(|(_, v)| !v.is_empty())
}

/// Meeting evidence: a date and participants, in the frontmatter or near the top of the body.
pub fn has_meeting_evidence(front: &serde_json::Map<String, Value>, source: &str) -> bool {
    let fm_date = DATE_KEYS.iter().any(|k| non_empty(front.get(*k)));
    let fm_people = PARTICIPANT_KEYS[..2]
        .iter()
        .any(|k| non_empty(front.get(*k)));
    if fm_date && fm_people {
        return true;
    }
    let (mut date, mut with) = (fm_date, fm_people);
    for (k, _) in head_fields(source) {
        match k.as_str() {
            "date" | "when" => date = true,
            "with" | "participants" | "attendees" => with = true,
            _ => {}
        }
    }
    date && with
}

/// Classifies a note (see the module documentation for the rules).
pub fn classify(
    path: &str,
    note_type: Option<&str>,
    tags: &[String],
    front: &serde_json::Map<String, Value>,
    source: &str,
    rules: &KindsConfig,
) -> Kind {
    if rules.meeting_evidence && has_meeting_evidence(front, source) {
        return Kind::Meeting;
    }
    if let Some(k) = note_type.and_then(|t| kind_of_word(t, rules)) {
        return k;
    }
    for t in tags {
        if let Some(rest) = t.to_lowercase().strip_prefix("type/") {
            if let Some(k) = kind_of_word(rest, rules) {
                return k;
            }
        }
    }
    let folder = crate::paths::parent(path);
    let fkey = crate::paths::key(folder);
    let mut best: Option<(usize, Kind)> = None;
    for (f, word) in &rules.folders {
        let fk = crate::paths::key(f.trim_matches('/'));
        let inside = fkey == fk || (fkey.starts_with(&fk) && fkey[fk.len()..].starts_with('/'));
        if inside && best.is_none_or(|(len, _)| fk.len() > len) {
            if let Some(k) = kind_of_word(word, rules) {
                best = Some((fk.len(), k));
            }
        }
    }
    if let Some((_, k)) = best {
        return k;
    }
    if rules.folder_names {
        for seg in folder.split('/') {
            if let Some(k) = kind_of_word(seg, rules) {
                return k;
            }
        }
    }
    Kind::Note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(path: &str, ty: Option<&str>, fm: &str, src: &str) -> Kind {
        let front: serde_json::Map<String, Value> = serde_json::from_str(fm).unwrap();
        classify(path, ty, &[], &front, src, &KindsConfig::default())
    }

    #[test]
    fn rules_in_order() {
        assert_eq!(c("People/Ann.md", None, "{}", ""), Kind::Person);
        assert_eq!(c("x/Ann.md", Some("people"), "{}", ""), Kind::Person);
        assert_eq!(c("x/Plan.md", Some("Project"), "{}", ""), Kind::Project);
        assert_eq!(c("x/Note.md", None, "{}", ""), Kind::Note);
        // Evidence beats `type: people`.
        let fm = r#"{"date":"2025-10-30","participants":["A","B"]}"#;
        assert_eq!(c("People/A/call.md", Some("people"), fm, ""), Kind::Meeting);
        let body = "# Sync\n\n**Date**: 2025-01-02\n**With**: Ann, Bo\n";
        assert_eq!(
            c("People/A/sync.md", Some("people"), "{}", body),
            Kind::Meeting
        );
        // A date alone is not a meeting.
        assert_eq!(
            c("People/A.md", Some("people"), r#"{"date":"2025"}"#, ""),
            Kind::Person
        );
    }

    #[test]
    fn folder_rules_from_config() {
        let mut rules = KindsConfig::default();
        rules.folders.insert("CRM/Contacts".into(), "person".into());
        let f = serde_json::Map::new();
        assert_eq!(
            classify("crm/contacts/x/Ann.md", None, &[], &f, "", &rules),
            Kind::Person
        );
        rules.folder_names = false;
        assert_eq!(
            classify("People/Ann.md", None, &[], &f, "", &rules),
            Kind::Note
        );
    }

    #[test]
    fn bold_lines() {
        assert_eq!(
            bold_field_line("**Role**: VP Sales"),
            Some(("role".into(), "VP Sales"))
        );
        assert_eq!(
            bold_field_line("- **Email:** a@b.c"),
            Some(("email".into(), "a@b.c"))
        );
        assert_eq!(bold_field_line("**bold** text"), None);
    }
}
