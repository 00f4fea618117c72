//! Render stage, the task dashboard (`tasks/`): every open task of the published notes, by
//! urgency (overdue, due this week, later, no date) and by person. Each task links back to its
//! line in the note it came from; rows use the same task table as person and project pages.

use super::people::task_ctx;
use super::people_ctx::TaskCtx;
use crate::enrich::Site;
use crate::paths::href;
use serde::Serialize;

/// A titled list of tasks.
#[derive(Debug, Clone, Serialize)]
pub struct TaskSection {
    /// Heading.
    pub title: String,
    /// Anchor id.
    pub id: String,
    /// Tasks (at most [`SECTION_LIMIT`]).
    pub tasks: Vec<TaskCtx>,
    /// Tasks not shown.
    pub more: usize,
}

/// Tasks a dashboard section shows at most (a 10,000-note vault has thousands of open tasks).
pub const SECTION_LIMIT: usize = 300;
/// Tasks shown per person at most.
pub const PERSON_LIMIT: usize = 25;

/// The open tasks of one person (or of an `@name` not matched to a profile).
#[derive(Debug, Clone, Serialize)]
pub struct PersonTasks {
    /// Name.
    pub name: String,
    /// Profile URL, empty for a name without a profile.
    pub url: String,
    /// Tasks (at most [`PERSON_LIMIT`]).
    pub tasks: Vec<TaskCtx>,
    /// Tasks not shown.
    pub more: usize,
    /// How many are overdue.
    pub overdue: usize,
}

/// `tasks.html`'s `dashboard`.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardCtx {
    /// Open tasks.
    pub open: usize,
    /// Overdue tasks.
    pub overdue: usize,
    /// Done or cancelled tasks.
    pub done: usize,
    /// The date taken as today.
    pub today: String,
    /// Overdue, due this week, later, no date (empty sections left out).
    pub sections: Vec<TaskSection>,
    /// By person (profiles and `@names` without one), most open tasks first; then tasks nobody
    /// is assigned to.
    pub people: Vec<PersonTasks>,
}

/// Sorts by due date (none last), then priority, then note and line.
fn sort_tasks(site: &Site, ids: &mut [usize]) {
    let rank = |p: &str| match p {
        "highest" => 0,
        "high" => 1,
        "medium" => 2,
        "" => 3,
        "low" => 4,
        _ => 5,
    };
    ids.sort_by(|&a, &b| {
        let (x, y) = (&site.people.tasks[a], &site.people.tasks[b]);
        let due = |t: &crate::people::TaskRef| t.meta.due.clone().unwrap_or_else(|| "9999".into());
        due(x)
            .cmp(&due(y))
            .then(rank(&x.meta.priority).cmp(&rank(&y.meta.priority)))
            .then((x.note, x.line).cmp(&(y.note, y.line)))
    });
}

/// The end of the week (Sunday) of `today`, `YYYY-MM-DD`.
fn end_of_week(today: &str) -> String {
    match crate::paths::parse_date(today) {
        Some(d) => {
            let left = 6 - d.weekday().number_days_from_monday() as i64;
            crate::paths::format_date(d + time::Duration::days(left))
        }
        None => today.to_string(),
    }
}

/// Builds the dashboard for a page at `root`.
pub fn dashboard(site: &Site, root: &str) -> DashboardCtx {
    let today = site.cfg.today.clone();
    let week_end = end_of_week(&today);
    let tasks = &site.people.tasks;
    let mut open: Vec<usize> = (0..tasks.len()).filter(|&i| tasks[i].open()).collect();
    sort_tasks(site, &mut open);
    let ctx = |ids: &[usize]| -> Vec<TaskCtx> {
        ids.iter()
            .map(|&i| task_ctx(site, &tasks[i], root))
            .collect()
    };
    let overdue_of = |ids: &[usize]| {
        ids.iter()
            .filter(|&&i| {
                tasks[i]
                    .meta
                    .due
                    .as_deref()
                    .is_some_and(|d| d < today.as_str())
            })
            .count()
    };
    let (mut overdue, mut week, mut later, mut undated) = (vec![], vec![], vec![], vec![]);
    for &i in &open {
        match tasks[i].meta.due.as_deref() {
            Some(d) if d < today.as_str() => overdue.push(i),
            Some(d) if d <= week_end.as_str() => week.push(i),
            Some(_) => later.push(i),
            None => undated.push(i),
        }
    }
    let sections: Vec<TaskSection> = [
        ("Overdue", "overdue", &overdue),
        ("Due this week", "this-week", &week),
        ("Later", "later", &later),
        ("No due date", "no-date", &undated),
    ]
    .into_iter()
    .filter(|(_, _, v)| !v.is_empty())
    .map(|(t, id, v)| TaskSection {
        title: t.into(),
        id: id.into(),
        tasks: ctx(&v[..v.len().min(SECTION_LIMIT)]),
        more: v.len().saturating_sub(SECTION_LIMIT),
    })
    .collect();

    // By person (profiles and `@names` without a profile, most tasks first), then nobody.
    let mut people: Vec<PersonTasks> = Vec::new();
    for (p, ids) in site.people.person_tasks.iter().enumerate() {
        if ids.is_empty() {
            continue;
        }
        let mut ids = ids.clone();
        sort_tasks(site, &mut ids);
        let pr = &site.people.profiles[p];
        people.push(PersonTasks {
            name: pr.name.clone(),
            url: href(root, &site.urls[pr.primary].url),
            overdue: overdue_of(&ids),
            tasks: ctx(&ids[..ids.len().min(PERSON_LIMIT)]),
            more: ids.len().saturating_sub(PERSON_LIMIT),
        });
    }
    let mut loose: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut nobody = Vec::new();
    for &i in &open {
        let t = &tasks[i];
        if !t.people.is_empty() {
            continue;
        }
        if t.meta.assignees.is_empty() {
            nobody.push(i);
        }
        for a in &t.meta.assignees {
            loose.entry(a.clone()).or_default().push(i);
        }
    }
    for (name, ids) in loose {
        people.push(PersonTasks {
            name: format!("@{name}"),
            url: String::new(),
            overdue: overdue_of(&ids),
            tasks: ctx(&ids[..ids.len().min(PERSON_LIMIT)]),
            more: ids.len().saturating_sub(PERSON_LIMIT),
        });
    }
    people.sort_by(|a, b| {
        (b.tasks.len() + b.more)
            .cmp(&(a.tasks.len() + a.more))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    if !nobody.is_empty() {
        people.push(PersonTasks {
            name: "Nobody in particular".into(),
            url: String::new(),
            overdue: overdue_of(&nobody),
            tasks: ctx(&nobody[..nobody.len().min(PERSON_LIMIT)]),
            more: nobody.len().saturating_sub(PERSON_LIMIT),
        });
    }
    DashboardCtx {
        open: open.len(),
        overdue: overdue.len(),
        done: tasks.len() - open.len(),
        today,
        sections,
        people,
    }
}
