//! Task metadata in the Tasks plugin's emoji format: `📅 due`, `⏳ scheduled`, `🛫 start`,
//! `✅ done`, `➕ created`, priorities `🔺 ⏫ 🔼 🔽 ⏬`, recurrence `🔁`, plus `@Assignee`
//! mentions. The description is the text with all of that removed.

use serde::Serialize;

/// A task's parsed metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaskMeta {
    /// Text without the metadata.
    pub description: String,
    /// `📅` due date.
    pub due: Option<String>,
    /// `⏳` scheduled date.
    pub scheduled: Option<String>,
    /// `🛫` start date.
    pub start: Option<String>,
    /// `✅` done date.
    pub done: Option<String>,
    /// `➕` created date.
    pub created: Option<String>,
    /// `highest`, `high`, `medium`, `low`, `lowest`, or empty.
    pub priority: String,
    /// `🔁` recurrence rule text.
    pub recurrence: Option<String>,
    /// `@Name` mentions, without `@`.
    pub assignees: Vec<String>,
}

const DATES: [(&str, u8); 6] = [
    ("📅", 0),
    ("📆", 0),
    ("🗓", 0),
    ("⏳", 1),
    ("🛫", 2),
    ("✅", 3),
];
const PRIORITIES: [(&str, &str); 5] = [
    ("🔺", "highest"),
    ("⏫", "high"),
    ("🔼", "medium"),
    ("🔽", "low"),
    ("⏬", "lowest"),
];

fn take_date(rest: &str) -> Option<(String, usize)> {
    let t = rest.trim_start_matches(['\u{FE0F}', ' ']);
    let skipped = rest.len() - t.len();
    let d = t.get(..10)?;
    let date = crate::paths::parse_date(d).map(crate::paths::format_date)?;
    Some((date, skipped + 10))
}

/// Parses the metadata of a task's text.
pub fn parse(text: &str) -> TaskMeta {
    let mut m = TaskMeta::default();
    let mut desc = String::with_capacity(text.len());
    let mut i = 0;
    let s = text;
    'outer: while i < s.len() {
        let rest = &s[i..];
        for (e, which) in DATES.iter().chain([("➕", 4u8)].iter()) {
            if let Some(after) = rest.strip_prefix(e) {
                if let Some((d, used)) = take_date(after) {
                    let slot = match which {
                        0 => &mut m.due,
                        1 => &mut m.scheduled,
                        2 => &mut m.start,
                        3 => &mut m.done,
                        _ => &mut m.created,
                    };
                    *slot = Some(d);
                    i += e.len() + used;
                    continue 'outer;
                }
            }
        }
        for (e, p) in PRIORITIES {
            if let Some(after) = rest.strip_prefix(e) {
                m.priority = p.to_string();
                i += e.len() + (after.len() - after.trim_start_matches('\u{FE0F}').len());
                continue 'outer;
            }
        }
        if let Some(after) = rest.strip_prefix("🔁") {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == ' ' || c == ','))
                .unwrap_or(after.len());
            m.recurrence = Some(after[..end].trim().to_string());
            i += "🔁".len() + end;
            continue;
        }
        if rest.starts_with('@')
            && (i == 0 || s[..i].ends_with(|c: char| c.is_whitespace() || c == '('))
        {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            let name = name.trim_end_matches(['.', '-']).to_string();
            if !name.is_empty() {
                i += 1 + name.len();
                m.assignees.push(name);
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        desc.push(c);
        i += c.len_utf8();
    }
    m.description = desc.split_whitespace().collect::<Vec<_>>().join(" ");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_metadata() {
        let m = parse("Send the deck @Ann 📅 2025-10-30 🔺 #task");
        assert_eq!(m.due.as_deref(), Some("2025-10-30"));
        assert_eq!(m.priority, "highest");
        assert_eq!(m.assignees, vec!["Ann"]);
        assert_eq!(m.description, "Send the deck #task");
        let m = parse("Ship ⏫ ⏳ 2025-01-02 🛫 2025-01-01 ✅ 2025-01-05 🔁 every week");
        assert_eq!(m.priority, "high");
        assert_eq!(m.scheduled.as_deref(), Some("2025-01-02"));
        assert_eq!(m.done.as_deref(), Some("2025-01-05"));
        assert_eq!(m.recurrence.as_deref(), Some("every week"));
        assert_eq!(m.description, "Ship");
        assert_eq!(parse("mail a@b.c").assignees, Vec::<String>::new());
    }
}
