use super::*;
use crate::tasks::meta;
use time::macros::date;
use time::Date;

/// Friday; its week runs Monday 2023-02-06 to Sunday 2023-02-12 (the Tasks docs' tables use it).
pub(super) const TODAY: Date = date!(2023 - 02 - 10);

/// `(path, heading, status, text, parent)`.
type Row = (
    &'static str,
    Option<&'static str>,
    char,
    &'static str,
    Option<usize>,
);

/// The test vault; each description starts with its label.
pub(super) const FIXTURE: [Row; 10] = [
    (
        "Work/Projects/Plan.md",
        Some("Monday Day Planner"),
        ' ',
        "a1 Write plan 📅 2023-02-09 ⏫ #work",
        None,
    ),
    (
        "Work/Projects/Plan.md",
        Some("Monday Day Planner"),
        'x',
        "a2 Send deck ✅ 2023-02-08 📅 2023-02-07 #work/deck",
        None,
    ),
    (
        "Work/Notes.md",
        None,
        '/',
        "a3 Draft notes 🛫 2023-02-13 ⏳ 2023-02-10 #Home",
        None,
    ),
    (
        "Home.md",
        Some("Chores"),
        ' ',
        "a4 Water plants 🔁 every week 📅 2023-02-12",
        None,
    ),
    (
        "Home.md",
        Some("Chores"),
        '-',
        "a5 Old chore ❌ 2023-01-01",
        None,
    ),
    ("Home.md", Some("Chores"), ' ', "a6 Sub item 🔽", Some(3)),
    (
        "Journal/2023/Feb.md",
        Some("Week 6"),
        ' ',
        "a7 Report 🆔 rep ⛔ data 📅 2023-02-20 🔺",
        None,
    ),
    (
        "Journal/2023/Feb.md",
        Some("Week 6"),
        ' ',
        "a8 Gather data 🆔 data ➕ 2023-01-15 ⏬",
        None,
    ),
    (
        "Journal/2023/Feb.md",
        Some("Week 6"),
        'h',
        "a9 Waiting on vendor 📅 2023-02-30",
        None,
    ),
    (
        "Work/Projects/Plan.md",
        Some("Backlog"),
        '?',
        "a10 Maybe later 📅 2023-03-15 🔼 #work #idea",
        None,
    ),
];

pub(super) fn metas() -> Vec<TaskMeta> {
    FIXTURE.iter().map(|f| meta::parse(f.3)).collect()
}

pub(super) fn records(metas: &[TaskMeta]) -> Vec<TaskRecord<'_>> {
    FIXTURE
        .iter()
        .zip(metas)
        .enumerate()
        .map(|(i, (f, m))| TaskRecord {
            path: f.0,
            heading: f.1,
            line: i + 1,
            status: f.2,
            meta: m,
            parent: f.4,
        })
        .collect()
}

fn label(m: &TaskMeta) -> String {
    m.description.split(' ').next().unwrap_or("").to_string()
}

/// Runs `src` on the fixture: the labels of the shown tasks, in order, and the errors.
pub(super) fn labels_and_errors(src: &str) -> (Vec<String>, Vec<QueryError>) {
    let metas = metas();
    let recs = records(&metas);
    let q = parse(src, "Queries/Today.md");
    let r = run(&q, &recs, TODAY);
    let out = r
        .groups
        .iter()
        .flat_map(|g| g.tasks.iter().map(|&i| label(&metas[i])))
        .collect();
    (out, q.errors)
}

/// The labels matched by `src`, sorted by label number (order-independent).
fn matched(src: &str) -> String {
    let (mut l, errors) = labels_and_errors(src);
    assert!(errors.is_empty(), "{src:?}: {errors:?}");
    l.sort_by_key(|s| s[1..].parse::<u32>().unwrap_or(0));
    l.join(",")
}

#[test]
fn filters() {
    let cases: &[(&str, &str)] = &[
        ("not done", "a1,a3,a4,a6,a7,a8,a9,a10"),
        ("done", "a2,a5"),
        ("NOT DONE", "a1,a3,a4,a6,a7,a8,a9,a10"),
        ("status.type is IN_PROGRESS", "a3"),
        ("status.type is not TODO", "a2,a3,a5,a9"),
        ("status.type is on_hold", "a9"),
        ("status.name includes progress", "a3"),
        ("status.name does not include o", "a5"),
        ("status.name regex matches /^Q/", "a10"),
        ("due before 2023-02-10", "a1,a2"),
        ("due on 2023-02-09", "a1"),
        ("due 2023-02-09", "a1"),
        ("due 9th February 2023", "a1"),
        ("due Feb 9, 2023", "a1"),
        ("due today", ""),
        ("due yesterday", "a1"),
        ("due this week", "a1,a2,a4"),
        ("due after this week", "a7,a10"),
        ("due before next week", "a1,a2,a4"),
        ("due in next month", "a10"),
        ("due on or before 2023-02-12", "a1,a2,a4"),
        ("due in or after next week", "a7,a10"),
        ("due on or after this sunday", "a4,a7,a10"),
        ("due 2023-02", "a1,a2,a4,a7"),
        ("due 2023-Q1", "a1,a2,a4,a7,a10"),
        ("due 2023-W08", "a7"),
        ("due 2023", "a1,a2,a4,a7,a10"),
        ("due 2023-02-01 2023-02-09", "a1,a2"),
        ("due on or before in two weeks", "a1,a2,a4,a7"),
        ("due in 10 days", "a7"),
        ("due before next monday", "a1,a2,a4"),
        ("done 2 days ago", "a2"),
        ("done last wednesday", "a2"),
        ("starts before tomorrow", "a1,a2,a4,a5,a6,a7,a8,a9,a10"),
        ("starts after today", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10"),
        ("start on 2023-02-13", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10"),
        ("scheduled on today", "a3"),
        ("has scheduled date", "a3"),
        ("no due date", "a3,a5,a6,a8"),
        ("has due date", "a1,a2,a4,a7,a9,a10"),
        ("due date is invalid", "a9"),
        ("scheduled date is invalid", ""),
        ("created before 2023-02-01", "a8"),
        ("cancelled in 2023-01", "a5"),
        ("happens before 2023-02-10", "a1,a2"),
        ("happens on 2023-02-10", "a3"),
        ("happens in next week", "a3"),
        ("no happens date", "a5,a6,a8"),
        ("has happens date", "a1,a2,a3,a4,a7,a9,a10"),
        ("description includes PLAN", "a1,a4"),
        ("description does not include #", "a4,a5,a6,a7,a8,a9"),
        ("description regex matches /^a1\\d?\\s/", "a1,a10"),
        ("description regex matches /PLAN/i", "a1,a4"),
        ("description regex does not match /a/", ""),
        ("path includes projects", "a1,a2,a10"),
        ("path does not include Work/", "a4,a5,a6,a7,a8,a9"),
        (
            "path regex matches /^Work\\/Projects\\/Plan\\.md$/",
            "a1,a2,a10",
        ),
        ("folder includes Work/Projects/", "a1,a2,a10"),
        ("folder regex matches /^Work\\/$/", "a3"),
        ("root includes journal", "a7,a8,a9"),
        ("root regex matches /^\\/$/", "a4,a5,a6"),
        ("filename includes notes", "a3"),
        ("heading includes day planner", "a1,a2"),
        ("heading does not include chores", "a1,a2,a3,a7,a8,a9,a10"),
        ("recurrence includes WEEK", "a4"),
        ("id includes rep", "a7"),
        ("tags include #work", "a1,a2,a10"),
        ("tags include home", "a3"),
        ("tag includes #wor", "a1,a2,a10"),
        ("tags include #deck", ""),
        ("tags include deck", "a2"),
        ("tags do not include work", "a3,a4,a5,a6,a7,a8,a9"),
        ("tag regex matches /#work$/", "a1,a10"),
        ("tags regex does not match /o/", "a4,a5,a6,a7,a8,a9"),
        ("has tags", "a1,a2,a3,a10"),
        ("no tags", "a4,a5,a6,a7,a8,a9"),
        ("priority is high", "a1"),
        ("priority is above none", "a1,a7,a10"),
        ("priority is below none", "a6,a8"),
        ("priority is not none", "a1,a6,a7,a8,a10"),
        ("priority is normal", "a2,a3,a4,a5,a9"),
        ("priority above medium", "a1,a7"),
        ("is recurring", "a4"),
        ("is not recurring", "a1,a2,a3,a5,a6,a7,a8,a9,a10"),
        ("has id", "a7,a8"),
        ("no id", "a1,a2,a3,a4,a5,a6,a9,a10"),
        ("has depends on", "a7"),
        ("no depends on", "a1,a2,a3,a4,a5,a6,a8,a9,a10"),
        ("is blocked", "a7"),
        ("is not blocked", "a1,a2,a3,a4,a5,a6,a8,a9,a10"),
        ("is blocking", "a8"),
        ("is not blocking", "a1,a2,a3,a4,a5,a6,a7,a9,a10"),
        ("exclude sub-items", "a1,a2,a3,a4,a5,a7,a8,a9,a10"),
        ("not done\npath includes Work", "a1,a3,a10"),
        ("", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10"),
    ];
    for (src, want) in cases {
        assert_eq!(matched(src), *want, "query: {src:?}");
    }
}

#[test]
fn boolean_combinations() {
    let cases: &[(&str, &str)] = &[
        ("(due before 2023-02-10) OR (is recurring)", "a1,a2,a4"),
        ("NOT (done)", "a1,a3,a4,a6,a7,a8,a9,a10"),
        ("(not done) AND NOT (has due date)", "a3,a6,a8"),
        ("(path includes Home) XOR (priority is low)", "a4,a5"),
        ("[due before 2023-02-10] OR [done]", "a1,a2,a5"),
        ("{has id} AND {is blocked}", "a7"),
        ("\"tags include #work\" OR \"is recurring\"", "a1,a2,a4,a10"),
        // NOT > XOR > AND > OR.
        ("(done) OR (is recurring) AND (priority is high)", "a2,a5"),
        ("(is recurring) OR (has id) AND NOT (is blocked)", "a4,a8"),
        ("(has id) OR NOT (not done)", "a2,a5,a7,a8"),
        ("(done) XOR (has tags) AND (priority is high)", "a1"),
        (
            "((description includes plan) OR (description includes deck)) AND (done)",
            "a2",
        ),
        (
            "NOT (description includes (a1))",
            "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10",
        ),
        ("NOT NOT (is recurring)", "a4"),
        ("(starts before tomorrow) AND (has start date)", ""),
        (
            "(  \\\n   (due this week) AND (not done) \\\n) OR (is blocked)",
            "a1,a4,a7",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(matched(src), *want, "query: {src:?}");
    }
}

#[test]
fn unsupported_and_malformed_lines_are_reported() {
    let src = "not done\n\
               filter by function task.urgency > 8\n\
               # a comment\n\
               sort by function task.due\n\
               group by function task.file.path\n\
               preset this_file\n\
               view columns by status\n\
               due blah blah\n\
               priority is urgent\n\
               status.type in progress\n\
               description regex matches /(?<=a)b/\n\
               description regex matches abc\n\
               (done) OR (frobnicate)\n\
               (done) OR\n\
               frobnicate\n\
               hide frobs\n\
               limit to many tasks\n\
               path includes {{query.file.nope}}\n\
               sort by colour\n\
               group by colour\n\
               urgency above 8\n\
               path includes Work \\\n  {{! still one instruction }}";
    let (l, errors) = labels_and_errors(src);
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, (2..=21).filter(|n| *n != 3).collect::<Vec<_>>());
    for e in &errors {
        assert!(!e.message.is_empty() && !e.hint.is_empty(), "{e:?}");
    }
    assert!(errors[0].message.contains("filter by function"));
    assert!(errors[0].hint.contains("JavaScript"));
    assert!(errors[4].hint.contains("list"));
    assert!(errors[5].message.contains("do not understand due date"));
    assert!(
        errors[8].message.contains("invalid regex"),
        "{:?}",
        errors[8]
    );
    // The usable lines still apply: `not done` and `path includes Work`.
    l.iter()
        .for_each(|x| assert!(["a1", "a3", "a10"].contains(&x.as_str()), "{l:?}"));
    assert_eq!(l.len(), 3);
}

#[test]
fn layout_and_instructions() {
    let q = parse(
        "hide backlink\nhide  Due Date\nshow tree\nshow urgency\nshort mode\nexplain\n\
         ignore global query\nview list\nlimit groups to 3 tasks\nlimit 5\nhide edit button",
        "a.md",
    );
    assert!(q.errors.is_empty(), "{:?}", q.errors);
    let hidden: Vec<&str> = q.layout.hide.iter().map(String::as_str).collect();
    assert_eq!(hidden, ["backlink", "due date", "edit button"]);
    assert!(q.layout.short_mode && q.explain && q.ignore_global_query);
    assert_eq!((q.limit, q.group_limit), (Some(5), Some(3)));
    let q = parse("short mode\nfull mode", "a.md");
    assert!(!q.layout.short_mode);
    assert_eq!(Layout::default().hide.len(), 2);
}

#[test]
fn placeholders_and_comments() {
    let file = "some/sample/file path.md";
    let cases = [
        ("{{query.file.path}}", "some/sample/file path.md"),
        (
            "{{query.file.pathWithoutExtension}}",
            "some/sample/file path",
        ),
        ("{{ query.file.folder }}", "some/sample/"),
        ("{{query.file.filename}}", "file path.md"),
        ("{{query.file.filenameWithoutExtension}}", "file path"),
        ("{{query.file.root}}", "some/"),
        ("x {{! a comment }}y", "x y"),
    ];
    for (input, want) in cases {
        assert_eq!(expand(input, file).unwrap(), want);
    }
    assert_eq!(expand("{{query.file.folder}}", "Top.md").unwrap(), "/");
    assert_eq!(expand("{{query.file.root}}", "Top.md").unwrap(), "/");
    assert!(expand("{{query.file.property('x')}}", file).is_err());
    // A query scoped to its own folder.
    let metas = metas();
    let recs = records(&metas);
    let q = parse(
        "folder includes {{query.file.folder}}\nnot done",
        "Work/Projects/Tasks.md",
    );
    let r = run(&q, &recs, TODAY);
    assert_eq!(r.groups[0].tasks, vec![0, 9]);
}

#[test]
fn statements_join_continuations() {
    let s = statements("a \\\n  b\\\nc\n\nd\ne \\");
    assert_eq!(
        s,
        vec![
            (1, "a b c".to_string()),
            (4, String::new()),
            (5, "d".to_string()),
            (6, "e".to_string())
        ]
    );
}
