//! A readable JSON view of the directory, with note paths instead of indices: printed by
//! `wikigen check --profiles` to explain how notes were merged, and used by the tests as the
//! snapshot of the merged model.

use super::{Directory, FieldValue, Item, SectionBlock};
use crate::parse::ParsedNote;
use serde_json::{json, Value};

fn value(v: &FieldValue, notes: &[ParsedNote]) -> Value {
    json!({
        "value": v.value,
        "from": v.notes.iter().map(|&n| notes[n].path.as_str()).collect::<Vec<_>>(),
        "origin": v.origin,
        "line": v.line,
    })
}

fn item(i: &Item, notes: &[ParsedNote]) -> Value {
    json!({ "text": i.text, "from": notes[i.note].path })
}

/// The profiles whose name contains `filter` (all when empty), as JSON.
pub fn profiles(dir: &Directory, notes: &[ParsedNote], filter: &str) -> Value {
    let f = super::merge::name_key(filter);
    let list: Vec<Value> = dir
        .profiles
        .iter()
        .enumerate()
        .filter(|(_, p)| f.is_empty() || super::merge::name_key(&p.name).contains(&f))
        .map(|(i, p)| {
            json!({
                "name": p.name,
                "page": notes[p.primary].path,
                "sources": p.sources.iter().map(|s| json!({"path": notes[s.note].path, "recency": s.recency})).collect::<Vec<_>>(),
                "aliases": p.aliases,
                "tags": p.tags,
                "fields": p.fields.iter().map(|fl| json!({
                    "key": fl.key,
                    "label": fl.label,
                    "rule": fl.rule,
                    "current": value(&fl.current, notes),
                    "others": fl.others.iter().map(|v| value(v, notes)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "sections": p.sections.iter().map(|s| json!({
                    "title": s.title,
                    "blocks": s.blocks.iter().map(|b| match b {
                        SectionBlock::Facts(facts) => json!({"facts": facts.iter().map(|fa| json!({
                            "shown": item(&fa.shown, notes),
                            "count": fa.count,
                            "others": fa.others.iter().map(|o| item(o, notes)).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>()}),
                        SectionBlock::Html { note, .. } => json!({"content_from": notes[*note].path}),
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "dropped_noise": p.dropped,
                "meetings": dir.person_meetings[i].iter().map(|&m| notes[dir.meetings[m].note].path.as_str()).collect::<Vec<_>>(),
                "open_tasks": dir.person_tasks[i].iter().map(|&t| dir.tasks[t].meta.description.as_str()).collect::<Vec<_>>(),
                "projects": dir.person_projects[i].iter().map(|&pj| notes[dir.projects[pj].note].title.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(list)
}
