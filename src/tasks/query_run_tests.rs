use super::tests::{labels_and_errors, metas, records, TODAY};
use super::*;
use time::macros::date;

fn order(src: &str) -> String {
    let (l, errors) = labels_and_errors(src);
    assert!(errors.is_empty(), "{src:?}: {errors:?}");
    l.join(",")
}

/// `heading1/heading2: labels` per group.
fn grouped(src: &str) -> Vec<String> {
    let metas = metas();
    let recs = records(&metas);
    let q = parse(src, "Queries/Today.md");
    assert!(q.errors.is_empty(), "{:?}", q.errors);
    run(&q, &recs, TODAY)
        .groups
        .iter()
        .map(|g| {
            let labels: Vec<&str> = g
                .tasks
                .iter()
                .map(|&i| metas[i].description.split(' ').next().unwrap_or(""))
                .collect();
            format!("{}: {}", g.headings.join("/"), labels.join(","))
        })
        .collect()
}

#[test]
fn sorting() {
    let cases: &[(&str, &str)] = &[
        // Default: status.type, urgency, due, priority, path.
        ("not done", "a3,a1,a7,a4,a10,a6,a8,a9"),
        // Invalid dates first, then by date, undated last (ties: default sort).
        ("not done\nsort by due", "a9,a1,a4,a7,a10,a3,a6,a8"),
        ("not done\nsort by due reverse", "a3,a6,a8,a10,a7,a4,a1,a9"),
        ("sort by priority", "a7,a1,a10,a3,a4,a9,a2,a5,a6,a8"),
        (
            "sort by description reverse",
            "a10,a9,a8,a7,a6,a5,a4,a3,a2,a1",
        ),
        ("sort by path", "a4,a6,a5,a7,a8,a9,a3,a1,a10,a2"),
        (
            "sort by filename\nsort by heading",
            "a7,a8,a9,a4,a6,a5,a3,a10,a1,a2",
        ),
        ("sort by tag", "a3,a1,a10,a2,a7,a4,a6,a8,a9,a5"),
        ("sort by tag 2", "a10,a3,a1,a7,a4,a6,a8,a9,a2,a5"),
        ("sort by heading", "a3,a10,a4,a6,a5,a1,a2,a7,a8,a9"),
        ("sort by status", "a3,a1,a7,a4,a10,a6,a8,a9,a2,a5"),
        ("sort by status.name\nnot done", "a3,a9,a10,a1,a7,a4,a6,a8"),
        ("sort by urgency reverse", "a8,a6,a9,a5,a3,a10,a4,a2,a7,a1"),
        ("sort by recurring\nnot done", "a4,a3,a1,a7,a10,a6,a8,a9"),
        ("sort by happens\nnot done", "a1,a3,a4,a7,a10,a6,a8,a9"),
        ("sort by id\nhas id", "a8,a7"),
        // Tasks docs, Sorting: "Examples".
        (
            "not done\ndue before next monday\nsort by status\nsort by description reverse\nsort by path",
            "a4,a1",
        ),
        ("not done\nlimit 3", "a3,a1,a7"),
        ("not done\nlimit to 2 tasks", "a3,a1"),
        ("limit 0", ""),
    ];
    for (src, want) in cases {
        assert_eq!(order(src), *want, "query: {src:?}");
    }
    // `sort by random` is deterministic for a given day.
    assert_eq!(order("sort by random"), order("sort by random"));
}

#[test]
fn grouping() {
    let cases: &[(&str, &[&str])] = &[
        (
            "not done\ngroup by status.type",
            &["IN_PROGRESS: a3", "TODO: a1,a7,a4,a10,a6,a8", "ON_HOLD: a9"],
        ),
        (
            "group by status",
            &["Done: a2,a5", "Todo: a3,a1,a7,a4,a10,a6,a8,a9"],
        ),
        (
            "done\ngroup by status.name reverse",
            &["Done: a2", "Cancelled: a5"],
        ),
        (
            "group by priority",
            &[
                "Highest priority: a7",
                "High priority: a1",
                "Medium priority: a10",
                "Normal priority: a3,a4,a9,a2,a5",
                "Low priority: a6",
                "Lowest priority: a8",
            ],
        ),
        (
            "group by tags",
            &[
                "(No tags): a7,a4,a6,a8,a9,a5",
                "#Home: a3",
                "#idea: a10",
                "#work: a1,a10",
                "#work/deck: a2",
            ],
        ),
        (
            "has due date\ngroup by due",
            &[
                "Invalid due date: a9",
                "2023-02-07 Tuesday: a2",
                "2023-02-09 Thursday: a1",
                "2023-02-12 Sunday: a4",
                "2023-02-20 Monday: a7",
                "2023-03-15 Wednesday: a10",
            ],
        ),
        (
            "not done\ngroup by scheduled reverse",
            &[
                "No scheduled date: a1,a7,a4,a10,a6,a8,a9",
                "2023-02-10 Friday: a3",
            ],
        ),
        (
            "group by folder\ngroup by filename",
            &[
                "//Home: a4,a6,a5",
                "Journal/2023//Feb: a7,a8,a9",
                "Work//Notes: a3",
                "Work/Projects//Plan: a1,a10,a2",
            ],
        ),
        (
            "group by root\nlimit groups 1",
            &["/: a4", "Journal/: a7", "Work/: a3"],
        ),
        (
            "group by urgency",
            &[
                "15.26: a1",
                "13.23: a7",
                "12.12: a2",
                "9.84: a4",
                "6.30: a10",
                "3.95: a3",
                "1.95: a9,a5",
                "0.00: a6",
                "-1.80: a8",
            ],
        ),
        (
            "path includes Home\ngroup by heading\ngroup by recurring",
            &["Chores/Not Recurring: a6,a5", "Chores/Recurring: a4"],
        ),
        (
            "not done\ngroup by heading",
            &[
                "(No heading): a3",
                "Backlog: a10",
                "Chores: a4,a6",
                "Monday Day Planner: a1",
                "Week 6: a7,a8,a9",
            ],
        ),
        ("is recurring\ngroup by recurrence", &["every week: a4"]),
        (
            "path includes Journal\ngroup by id",
            &[": a9", "data: a8", "rep: a7"],
        ),
        (
            "not done\nlimit 4\ngroup by path",
            &[
                "Home: a4",
                "Journal/2023/Feb: a7",
                "Work/Notes: a3",
                "Work/Projects/Plan: a1",
            ],
        ),
    ];
    for (src, want) in cases {
        assert_eq!(grouped(src), *want, "query: {src:?}");
    }
}

#[test]
fn group_links_totals_and_layout() {
    let metas = metas();
    let recs = records(&metas);
    let q = parse(
        "path includes Plan\ngroup by backlink\nlimit groups 1\nhide backlink",
        "q.md",
    );
    let r = run(&q, &recs, TODAY);
    let heads: Vec<(String, Option<String>)> = r
        .groups
        .iter()
        .map(|g| (g.headings[0].clone(), g.links[0].clone()))
        .collect();
    assert_eq!(
        heads,
        [
            (
                "Plan > Backlog".to_string(),
                Some("Work/Projects/Plan.md#Backlog".to_string())
            ),
            (
                "Plan > Monday Day Planner".to_string(),
                Some("Work/Projects/Plan.md#Monday Day Planner".to_string())
            ),
        ]
    );
    assert_eq!((r.total, r.shown), (3, 2));
    assert!(r.layout.hide.contains("backlink") && r.explanation.is_none());
    let q = parse("not done\nlimit 2", "q.md");
    let r = run(&q, &recs, TODAY);
    assert_eq!((r.total, r.shown), (8, 2));
    assert!(r.groups[0].headings.is_empty() && r.groups[0].links.is_empty());
    assert!((urgency(&metas[0], TODAY) - 15.257142857142856).abs() < 1e-9);
}

fn explain_on(src: &str, file: &str, today: time::Date) -> String {
    let metas = metas();
    let recs = records(&metas);
    let q = parse(src, file);
    assert!(q.errors.is_empty(), "{:?}", q.errors);
    run(&q, &recs, today).explanation.unwrap_or_default()
}

#[test]
fn explain_matches_the_plugin_docs() {
    let today = date!(2022 - 10 - 21);
    assert_eq!(
        explain_on(
            "starts after 2 years ago\nscheduled after 1 week ago\ndue before tomorrow\nexplain",
            "q.md",
            today
        ),
        "Explanation of this Tasks code block query:\n\n\
         \x20 starts after 2 years ago =>\n\
         \x20   start date is after 2020-10-21 (Wednesday 21st October 2020) OR no start date\n\n\
         \x20 scheduled after 1 week ago =>\n\
         \x20   scheduled date is after 2022-10-14 (Friday 14th October 2022)\n\n\
         \x20 due before tomorrow =>\n\
         \x20   due date is before 2022-10-22 (Saturday 22nd October 2022)"
    );
    assert_eq!(
        explain_on(
            "explain\nnot done\n(due before tomorrow) AND (is recurring)",
            "q.md",
            today
        ),
        "Explanation of this Tasks code block query:\n\n\
         \x20 not done =>\n\
         \x20   status type is TODO or IN_PROGRESS or ON_HOLD\n\n\
         \x20 (due before tomorrow) AND (is recurring) =>\n\
         \x20   AND (All of):\n\
         \x20     due before tomorrow =>\n\
         \x20       due date is before 2022-10-22 (Saturday 22nd October 2022)\n\
         \x20     is recurring"
    );
    let nested = "explain\n\
        (                                                                                       \\\n\
        \x20   (description includes 1) AND (description includes 2) AND (description includes 3)  \\\n\
        ) OR (                                                                                  \\\n\
        \x20   (description includes 5) AND (description includes 6) AND (description includes 7)  \\\n\
        )                                                                                       \\\n\
        AND NOT (description includes 7)";
    assert_eq!(
        explain_on(nested, "q.md", today),
        "Explanation of this Tasks code block query:\n\n\
         \x20 ( (description includes 1) AND (description includes 2) AND (description includes 3) ) \
         OR ( (description includes 5) AND (description includes 6) AND (description includes 7) ) \
         AND NOT (description includes 7) =>\n\
         \x20   OR (At least one of):\n\
         \x20     AND (All of):\n\
         \x20       description includes 1\n\
         \x20       description includes 2\n\
         \x20       description includes 3\n\
         \x20     AND (All of):\n\
         \x20       AND (All of):\n\
         \x20         description includes 5\n\
         \x20         description includes 6\n\
         \x20         description includes 7\n\
         \x20       NOT:\n\
         \x20         description includes 7"
    );
    assert_eq!(
        explain_on("not done\ndue next week\nexplain", "q.md", today),
        "Explanation of this Tasks code block query:\n\n\
         \x20 not done =>\n\
         \x20   status type is TODO or IN_PROGRESS or ON_HOLD\n\n\
         \x20 due next week =>\n\
         \x20   due date is between:\n\
         \x20     2022-10-24 (Monday 24th October 2022) and\n\
         \x20     2022-10-30 (Sunday 30th October 2022) inclusive"
    );
    assert_eq!(
        explain_on(
            "explain\npath regex matches /^Root/Sub-Folder/Sample File\\.md/i",
            "q.md",
            today
        ),
        "Explanation of this Tasks code block query:\n\n\
         \x20 path regex matches /^Root/Sub-Folder/Sample File\\.md/i =>\n\
         \x20   using regex:     '^Root/Sub-Folder/Sample File\\.md' with flag 'i'"
    );
}

#[test]
fn explain_placeholders_like_the_plugin_docs() {
    let src = "explain\n\
        path includes {{query.file.path}}\n\
        root includes {{query.file.root}}\n\
        filename includes {{query.file.filenameWithoutExtension}}\n\n\
        description includes Some Cryptic String {{! Inline comments are removed before search }}";
    assert_eq!(
        explain_on(src, "some/sample/file path.md", TODAY),
        "Explanation of this Tasks code block query:\n\n\
         \x20 path includes {{query.file.path}} =>\n\
         \x20 path includes some/sample/file path.md\n\n\
         \x20 root includes {{query.file.root}} =>\n\
         \x20 root includes some/\n\n\
         \x20 filename includes {{query.file.filenameWithoutExtension}} =>\n\
         \x20 filename includes file path\n\n\
         \x20 description includes Some Cryptic String {{! Inline comments are removed before search }} =>\n\
         \x20 description includes Some Cryptic String"
    );
}

#[test]
fn explain_date_keywords_like_the_appendix_tables() {
    // Tasks docs, "Appendix: Tasks 2.0.0 improvements to date filters", run on 2023-02-10.
    let cases = [
        (
            "due before last week",
            "due date is before 2023-01-30 (Monday 30th January 2023)",
        ),
        (
            "due on last week",
            "due date is between:\n      2023-01-30 (Monday 30th January 2023) and\n      \
             2023-02-05 (Sunday 5th February 2023) inclusive",
        ),
        (
            "due after last week",
            "due date is after 2023-02-05 (Sunday 5th February 2023)",
        ),
        (
            "due before this week",
            "due date is before 2023-02-06 (Monday 6th February 2023)",
        ),
        (
            "due after this week",
            "due date is after 2023-02-12 (Sunday 12th February 2023)",
        ),
        (
            "due before next week",
            "due date is before 2023-02-13 (Monday 13th February 2023)",
        ),
        (
            "due after next week",
            "due date is after 2023-02-19 (Sunday 19th February 2023)",
        ),
        (
            "due in 2023-02-09",
            "due date is on 2023-02-09 (Thursday 9th February 2023)",
        ),
        (
            "due before 2023-02-07 2023-02-11",
            "due date is before 2023-02-07 (Tuesday 7th February 2023)",
        ),
        (
            "due after 2023-02-07 2023-02-11",
            "due date is after 2023-02-11 (Saturday 11th February 2023)",
        ),
        (
            "due in or before this week",
            "due date is on or before 2023-02-12 (Sunday 12th February 2023)",
        ),
        (
            "happens on or after today",
            "due, start or scheduled date is on or after 2023-02-10 (Friday 10th February 2023)",
        ),
        ("priority is HIGH", "priority is high"),
    ];
    for (line, want) in cases {
        let text = explain_on(&format!("explain\n{line}"), "q.md", TODAY);
        let expl = text.split(" =>\n").nth(1).unwrap_or("").trim_start();
        assert_eq!(expl, want, "{line}");
    }
    let text = explain_on(
        "explain\nis recurring\ngroup by due\nsort by path\nlimit 1",
        "q.md",
        TODAY,
    );
    assert!(
        text.ends_with("  is recurring\n\n  group by due\n  sort by path\n\n  At most 1 task."),
        "{text}"
    );
    assert!(explain_on("explain", "q.md", TODAY).contains("No filters supplied."));
}

#[test]
fn natural_order_and_case_folding() {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let cases = [
        ("a2", "a10", Less),
        ("a10", "a9", Greater),
        ("Work/", "Work/Projects/", Less),
        ("apple", "Banana", Less),
        ("item 007", "item 7", Less),
        ("item 8", "item 07", Greater),
        ("Äpfel", "äpfel", Less),
        ("same", "same", Equal),
        ("", "x", Less),
    ];
    for (a, b, want) in cases {
        assert_eq!(exec::natural_cmp(a, b), want, "{a:?} vs {b:?}");
    }
}

#[test]
fn non_ascii_text_and_shared_paths() {
    let metas: Vec<TaskMeta> = [
        "Ärger klären #Büro",
        "Café bestellen 5\u{212A}",
        "Kaffee kaufen",
    ]
    .iter()
    .map(|t| crate::tasks::meta::parse(t))
    .collect();
    // Two tasks in one file (same string), one elsewhere with an equal but separate path.
    let path = String::from("Inbox/Ä.md");
    let other = String::from("Inbox/Ä.md");
    let recs: Vec<TaskRecord<'_>> = [path.as_str(), path.as_str(), other.as_str()]
        .iter()
        .zip(&metas)
        .enumerate()
        .map(|(i, (p, m))| TaskRecord {
            path: p,
            heading: None,
            line: i + 1,
            status: ' ',
            meta: m,
            parent: None,
        })
        .collect();
    let count = |src: &str| {
        let q = parse(src, "q.md");
        assert!(q.errors.is_empty(), "{:?}", q.errors);
        run(&q, &recs, TODAY).total
    };
    assert_eq!(count("description includes ÄRGER"), 1);
    assert_eq!(count("description includes CAF"), 1);
    assert_eq!(count("description includes 5k"), 1);
    assert_eq!(count("description includes straße"), 0);
    assert_eq!(count("tags include #bü"), 1);
    assert_eq!(count("path includes inbox/ä"), 3);
    assert_eq!(
        count("filename includes Ä.MD\ndescription includes kauf"),
        1
    );
    assert_eq!(count("(path includes x) OR (path includes ä.md)"), 3);
}

#[test]
fn status_types_table_like_the_plugin_docs() {
    // Tasks docs, "Status Types": one `- [c] demo` task per status type (NON_TASK has no
    // default symbol here). Each row: instruction, then whether it matches ' ', '/', 'h', 'x', '-'.
    let symbols = [' ', '/', 'h', 'x', '-'];
    let meta = crate::tasks::meta::parse("demo");
    let recs: Vec<TaskRecord<'_>> = symbols
        .iter()
        .enumerate()
        .map(|(i, &status)| TaskRecord {
            path: "Demo.md",
            heading: None,
            line: i + 1,
            status,
            meta: &meta,
            parent: None,
        })
        .collect();
    let rows = [
        ("not done", "YYYnn"),
        ("done", "nnnYY"),
        ("status.type is TODO", "Ynnnn"),
        ("status.type is IN_PROGRESS", "nYnnn"),
        ("status.type is ON_HOLD", "nnYnn"),
        ("status.type is DONE", "nnnYn"),
        ("status.type is CANCELLED", "nnnnY"),
        ("status.type is NON_TASK", "nnnnn"),
        ("status.name includes todo", "Ynnnn"),
        ("status.name includes in progress", "nYnnn"),
        ("status.name includes on hold", "nnYnn"),
        ("status.name includes done", "nnnYn"),
        ("status.name includes cancelled", "nnnnY"),
    ];
    for (src, want) in rows {
        let r = run(&parse(src, "q.md"), &recs, TODAY);
        let got: String = (0..symbols.len())
            .map(|i| {
                if r.groups[0].tasks.contains(&i) {
                    'Y'
                } else {
                    'n'
                }
            })
            .collect();
        assert_eq!(got, want, "{src}");
    }
    let headings = |src: &str| -> Vec<String> {
        let r = run(&parse(src, "q.md"), &recs, TODAY);
        let mut by_task = vec![String::new(); symbols.len()];
        for g in &r.groups {
            for &t in &g.tasks {
                by_task[t] = g.headings.join("/");
            }
        }
        by_task
    };
    assert_eq!(
        headings("group by status"),
        ["Todo", "Todo", "Todo", "Done", "Done"]
    );
    assert_eq!(
        headings("group by status.type"),
        ["TODO", "IN_PROGRESS", "ON_HOLD", "DONE", "CANCELLED"]
    );
    assert_eq!(
        headings("group by status.name"),
        ["Todo", "In Progress", "On Hold", "Done", "Cancelled"]
    );
    let order: Vec<String> = run(&parse("group by status.type", "q.md"), &recs, TODAY)
        .groups
        .iter()
        .map(|g| g.headings[0].clone())
        .collect();
    assert_eq!(
        order,
        ["IN_PROGRESS", "TODO", "ON_HOLD", "DONE", "CANCELLED"]
    );
}
