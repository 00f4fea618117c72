//! Build-time Dataview and Tasks queries on the `tests/vaults/queries` fixture ("today" is fixed
//! at 2026-03-04 in its wikigen.toml): every query type, sources, commands, inline queries,
//! error boxes, DataviewJS notices, Tasks blocks, the task dashboard, and privacy.

mod common;

use common::{fixture, vault};

/// The HTML of the section under heading `id` of a page (up to the next `<h2`).
fn section(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start..];
    let end = rest[10..].find("<h2").map_or(rest.len(), |i| i + 10);
    rest[..end].to_string()
}

/// Visible text of some HTML: tags removed, whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn person_page_lists_projects_linking_to_it_and_its_open_tasks() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let lena = b.main("people/lena-park/");
    let projects = section(&lena, "projects");
    assert!(projects.contains("data-query=\"list\""), "{projects}");
    assert!(text(&projects).contains("Orchard Sensors"), "{projects}");
    assert!(!text(&projects).contains("Canal Lights"), "{projects}");
    let tasks = section(&lena, "open-tasks");
    let t = text(&tasks);
    // Tasks mentioning @Lena, not done, sorted by due date; grouped by note.
    assert!(t.contains("Order sensor batch"), "{t}");
    assert!(t.contains("Write up the pilot"), "{t}");
    assert!(
        !t.contains("Pick probe vendor"),
        "done tasks are left out: {t}"
    );
    // Each task links back to its line.
    assert!(
        tasks.contains("orchard-sensors/#L15\""),
        "a link to line 15 of the project note: {tasks}"
    );
    // Under the note's own heading, the link says just the line.
    assert!(tasks.contains(">line 15</a>"), "{tasks}");
}

#[test]
fn tables_groups_flatten_sources_and_calendar() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let page = b.content("queries/every-kind/");

    let table = section(&page, "table");
    assert!(table.contains("<th scope=\"col\">File (3)</th>"), "{table}");
    assert!(table.contains("<th scope=\"col\">State</th>"), "{table}");
    assert!(table.contains("<th scope=\"col\">owner</th>"), "{table}");
    let t = text(&table);
    // SORT due DESC: Orchard (April), Canal (February), Old Bridge (2025).
    let (o, c, ob) = (
        t.find("Orchard Sensors").unwrap(),
        t.find("Canal Lights").unwrap(),
        t.find("Old Bridge").unwrap(),
    );
    assert!(o < c && c < ob, "{t}");
    assert!(t.contains("2026-04-10") && t.contains("active"), "{t}");
    // A frontmatter `[[link]]` is a link in the result.
    assert!(table.contains(">Lena Park</a>"), "{table}");

    let without = section(&page, "without-id");
    assert!(!without.contains("File ("), "{without}");
    let t = text(&without);
    assert!(
        t.starts_with("without-id") || t.contains("Project Budget"),
        "{t}"
    );
    assert!(t.find("12000").unwrap() < t.find("4000").unwrap(), "{t}");
    assert!(
        !t.contains("99999"),
        "the private note's budget leaked: {t}"
    );

    let grouped = text(&section(&page, "grouped"));
    assert!(grouped.contains("Group (3)"), "{grouped}");
    assert!(grouped.contains("active 1 Orchard Sensors"), "{grouped}");

    let flat = text(&section(&page, "flattened-tags"));
    assert!(flat.contains("#project/city (Canal Lights)"), "{flat}");
    assert!(flat.contains("#project/city (Old Bridge)"), "{flat}");
    assert!(!flat.contains("iot"), "LIMIT 2 after SORT: {flat}");

    let tags = text(&section(&page, "tag-sources"));
    assert!(
        tags.contains("Canal Lights") && !tags.contains("Old Bridge"),
        "{tags}"
    );

    let cal = section(&page, "meetings-by-date");
    assert!(cal.contains("<caption>February 2026</caption>"), "{cal}");
    assert!(cal.contains("<caption>March 2026</caption>"), "{cal}");
    assert!(text(&cal).contains("Orchard sync"), "{cal}");

    let links = text(&section(&page, "links"));
    assert!(
        links.contains("Lena Park") && links.contains("Orchard Sensors"),
        "{links}"
    );

    let overdue = text(&section(&page, "overdue-everywhere"));
    assert!(overdue.contains("Draft the budget"), "{overdue}");
    assert!(overdue.contains("Ask the city for a permit"), "{overdue}");
    assert!(
        !overdue.contains("Order sensor batch"),
        "due 03-06 is not overdue: {overdue}"
    );
    assert!(!overdue.contains("CANARY"), "{overdue}");

    // `[due:: …]` is a date, as the emoji form.
    // Tags in a task's text link to their pages.
    let dv_due_html = section(&page, "dataview-style-due");
    assert!(
        dv_due_html.contains("<a class=\"tag\" href=\"../../tags/field/\">#field</a>"),
        "{dv_due_html}"
    );
    let dv_due = text(&section(&page, "dataview-style-due"));
    assert!(dv_due.contains("Calibrate probes"), "{dv_due}");
    assert!(!dv_due.contains("Draft the budget"), "{dv_due}");
}

#[test]
fn broken_queries_and_scripts_are_shown_and_reported_with_their_line() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let page = b.content("queries/every-kind/");
    let broken = section(&page, "broken");
    assert!(broken.contains("class=\"query-error\""), "{broken}");
    assert!(
        broken.contains("WHERE status = &quot;active"),
        "the query is shown: {broken}"
    );
    let errs = b.diag_locations("query-error");
    assert!(
        errs.iter()
            .any(|(f, l, _)| f == "Queries/Every kind.md" && *l == 87),
        "{errs:?}"
    );
    let script = section(&page, "script");
    assert!(script.contains("class=\"query-notice\""), "{script}");
    assert!(script.contains("<details>"), "{script}");
    assert!(b
        .diag_locations("query-script")
        .iter()
        .any(|(f, _, _)| f == "Queries/Every kind.md"));
    // --strict fails on the broken query.
    let strict = v.build_configured(&["--strict"]);
    assert_ne!(strict.run.code, 0);
}

#[test]
fn inline_queries_and_fields() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let day = b.content("daily/2026-03-03/");
    let t = text(&day);
    assert!(t.contains("Today is 2026-03-03"), "{t}");
    assert!(t.contains("energy doubled is 14"), "{t}");
    assert!(t.contains("the build date is March 04, 2026"), "{t}");
    assert!(day.contains("class=\"query-error-inline\""), "{day}");
    assert!(day.contains("class=\"query-notice\""), "{day}");
    // Bracketed inline fields are shown as labelled values; parenthesised ones as the value.
    assert!(
        day.contains("<span class=\"inline-field\" data-key=\"energy\"><span class=\"inline-field-key\">energy</span><span class=\"inline-field-value\">7</span></span>"),
        "{day}"
    );
    assert!(
        day.contains("<span class=\"inline-field\" data-key=\"weather\"><span class=\"inline-field-value\">sunny</span></span>"),
        "{day}"
    );
}

#[test]
fn tasks_blocks() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let page = b.content("queries/tasks-blocks/");
    let soon = text(&section(&page, "due-soon"));
    // Due before 2026-03-10, not done, sorted by due date.
    let order: Vec<usize> = [
        "Draft the budget",
        "Ask the city",
        "Order sensor batch",
        "Send lamp photos",
    ]
    .iter()
    .map(|s| soon.find(s).unwrap_or_else(|| panic!("{s} in {soon}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{soon}");
    assert!(!soon.contains("Calibrate"), "due 03-20: {soon}");
    assert!(!soon.contains("CANARY"), "{soon}");

    let by_file = section(&page, "by-file");
    let t = text(&by_file);
    assert!(
        t.contains("2026-02-10 Canal review") && t.contains("2026-03-02 Orchard sync"),
        "{t}"
    );
    assert!(
        !by_file.contains("task-backlink"),
        "hide backlink: {by_file}"
    );
    // Links written in a task stay links in results.
    assert!(
        by_file.contains("Compare with <a class=\"internal\" data-kind=\"project\" href=\"../../projects/canal-lights/\">Canal Lights</a> costs"),
        "{by_file}"
    );

    let high = section(&page, "high-priority-explained");
    assert!(high.contains("tasks-explain"), "{high}");
    let t = text(&high);
    assert!(
        t.contains("Order sensor batch") && t.contains("Ask the city"),
        "{t}"
    );
    assert!(!t.contains("Write up the pilot"), "low priority: {t}");

    let partly = section(&page, "partly-supported");
    assert!(partly.contains("class=\"query-error\""), "{partly}");
    assert!(
        text(&partly).contains("Ask the city"),
        "the rest still runs: {partly}"
    );
    let mentions = text(&section(&page, "mentions"));
    assert!(
        mentions.contains("Order sensor batch") && mentions.contains("Write up the pilot"),
        "{mentions}"
    );
    assert!(!mentions.contains("Ask the city"), "{mentions}");

    let lines = b.diag_locations("tasks-query");
    assert!(
        lines
            .iter()
            .any(|(f, l, _)| f == "Queries/Tasks blocks.md" && *l == 32),
        "{lines:?}"
    );
}

#[test]
fn dashboard_groups_open_tasks_and_links_each_to_its_line() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    let d = b.page("tasks/");
    let overdue = section(&d, "overdue");
    let t = text(&overdue);
    assert!(
        t.contains("Draft the budget") && t.contains("Ask the city"),
        "{t}"
    );
    assert!(
        overdue.contains("#L13\""),
        "the task is on line 13: {overdue}"
    );
    // 2026-03-04 is a Wednesday: this week ends on Sunday the 8th.
    let week = text(&section(&d, "this-week"));
    assert!(week.contains("Order sensor batch"), "{week}");
    assert!(
        !week.contains("Send lamp photos"),
        "due Monday the 9th: {week}"
    );
    assert!(text(&section(&d, "later")).contains("Send lamp photos"));
    let none = text(&section(&d, "no-date"));
    assert!(none.contains("Borrow the calibration kit"), "{none}");
    let people = text(&section(&d, "by-person"));
    assert!(
        people.contains("Tomas Berg") && people.contains("Lena Park"),
        "{people}"
    );
    assert!(!d.contains("CANARY"), "private tasks stay out");
    // The top bar links to the dashboard.
    assert!(b.page("").contains(">Tasks</a>"));
}

#[test]
fn private_notes_never_reach_a_query_result() {
    let v = fixture("queries");
    let b = v.build_configured(&[]);
    b.ok();
    assert!(b.grep("CANARY").is_empty(), "{:?}", b.grep("CANARY"));
    assert!(
        b.grep("Secret plan").is_empty(),
        "{:?}",
        b.grep("Secret plan")
    );
}

#[test]
fn today_can_be_fixed_on_the_command_line() {
    let v = fixture("queries");
    let b = v.build_configured(&["--today", "2026-03-07"]);
    b.ok();
    let d = b.page("tasks/");
    let t = text(&section(&d, "overdue"));
    assert!(
        t.contains("Order sensor batch"),
        "due 03-06 is overdue on 03-07: {t}"
    );
}

#[test]
fn turning_queries_off_shows_them_as_code() {
    let v = fixture("queries");
    v.write(
        "wikigen.toml",
        "[build]\ntoday = \"2026-03-04\"\n[vault]\nprivate_folders = [\"Private\"]\n[queries]\ndataview = false\ntasks = false\ndashboard = false\n",
    );
    let b = v.build_configured(&[]);
    b.ok();
    let page = b.content("queries/every-kind/");
    assert!(page.contains("class=\"code query-block\""), "{page}");
    assert!(!page.contains("data-query=\"table\""));
    assert!(!b.has("tasks/"));
}

/// The evaluator, table-driven: each expression is written as an inline query in one note of a
/// small vault (today 2026-03-04) and its rendered value is compared.
#[test]
fn expressions_evaluate_like_dataview() {
    let cases: &[(&str, &str)] = &[
        // Arithmetic, text and comparison.
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("7 % 3", "1"),
        ("10 / 4", "2.5"),
        ("\"a\" + 1", "a1"),
        ("\"ab\" * 2", "abab"),
        ("1 < 2 and 2 < 1", "false"),
        ("true or false and false", "false"),
        ("!true", "false"),
        ("-(2 + 3)", "-5"),
        ("null + 1", "–"),
        ("3 = 3.0", "true"),
        ("\"b\" > \"a\"", "true"),
        // Dates and durations.
        ("date(2026-03-04) + dur(1 week)", "March 11, 2026"),
        ("date(2026-01-31) + dur(1 month)", "February 28, 2026"),
        ("date(today) - dur(2 days)", "March 02, 2026"),
        ("(date(2026-03-10) - date(2026-03-04)).days", "6"),
        ("date(2026-03-04).year", "2026"),
        ("date(2026-03-04).weekday", "3"),
        ("dur(1 day) + dur(2 hours)", "1 day, 2 hours"),
        ("date(today) > date(2026-03-01)", "true"),
        ("dateformat(date(2026-03-04), \"yyyy/MM/dd\")", "2026/03/04"),
        // Fields of this note, inline fields, canonical names, lists and objects.
        ("this.file.name", "Eval"),
        ("this.score * 2", "84"),
        ("this.last-seen", "January 05, 2026"),
        ("this[\"Team Name\"]", "Pilots"),
        ("this.team-name", "Pilots"),
        ("length(this.file.tasks)", "2"),
        ("this.file.tasks[0].due", "March 20, 2026"),
        ("[1, 2, 3][1]", "2"),
        ("{a: 1, b: \"x\"}.b", "x"),
        ("length([1, [2, 3]])", "2"),
        // Functions, vectorisation, lambdas.
        ("sum([1, 2, 3])", "6"),
        ("join(map([1, 2], (x) => x * 10), \"-\")", "10-20"),
        ("join(filter([1, 2, 3, 4], (x) => x > 2), \",\")", "3,4"),
        ("join(lower([\"A\", \"B\"]), \"\")", "ab"),
        ("contains(\"banana\", \"nan\")", "true"),
        ("contains([\"a\", \"b\"], \"c\")", "false"),
        ("choice(this.score > 40, \"high\", \"low\")", "high"),
        ("default(this.missing, \"none\")", "none"),
        ("round(2.567, 1)", "2.6"),
        ("regexreplace(\"a-b-c\", \"-\", \"+\")", "a+b+c"),
        ("typeof(this.file.link)", "link"),
        ("meta(this.file.link).path", "Eval.md"),
        // Links: resolution and fields of the linked note.
        ("[[Other]].color", "green"),
        ("[[Other]]", "Other"),
    ];
    let mut body = String::from(
        "---\nscore: 42\nlast-seen: 2026-01-05\nTeam Name: Pilots\n---\n# Eval\n\n- [ ] one [due:: 2026-03-20]\n- [x] two\n\n",
    );
    for (i, (e, _)) in cases.iter().enumerate() {
        body.push_str(&format!("Case {i}: `= {e}` end\n\n"));
    }
    let v = common::vault(&[
        ("Eval.md", &body),
        ("Other.md", "---\ncolor: green\n---\nOther note.\n"),
    ]);
    let b = v.build_configured(&["--today", "2026-03-04"]);
    let page = text(&b.content("eval/"));
    let mut failed = Vec::new();
    for (i, (e, want)) in cases.iter().enumerate() {
        let start = page
            .find(&format!("Case {i}: "))
            .unwrap_or_else(|| panic!("case {i} missing: {page}"));
        let rest = &page[start + format!("Case {i}: ").len()..];
        let got = rest[..rest.find(" end").unwrap()].trim();
        if got != *want {
            failed.push(format!("`{e}`: want {want:?}, got {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(page.contains("Case 45: Other end"), "{page}");
}

/// What a query reads decides which queries `wikigen serve` runs again after a save: a TASK query
/// grouped by note reads only the tasks of the notes it scans, a TABLE reads their fields, and
/// `FROM [[note]]` reads who links to the note. What a row reads of its own note is recorded
/// apart, with the notes that have rows left after the leading `WHERE`s: a changed note without
/// one is only checked again.
#[test]
fn queries_record_what_they_read() {
    let v = common::vault(&[
        (
            "Meetings/Kickoff.md",
            "# Kickoff\n\nWith [[Ana]].\n\n- [ ] Send notes to Ana\n- [x] Book room\n",
        ),
        ("Meetings/Retro.md", "# Retro\n\n- [ ] Ana to fix the board\n"),
        ("Meetings/Budget.md", "# Budget\n\n- [ ] Approve the budget\n"),
        ("People/Ana.md", "---\ntype: person\nrole: Lead\n---\n# Ana\n"),
        ("People/Bo.md", "---\ntype: person\nrole: Intern\n---\n# Bo\n"),
        (
            "Queries.md",
            "# Queries\n\n```dataview\nTASK FROM \"Meetings\"\nWHERE !completed AND contains(text, \"Ana\")\nGROUP BY file.link\n```\n\n```dataview\nTABLE role FROM \"People\"\n```\n\n```dataview\nLIST FROM [[Ana]]\n```\n\n```dataview\nTABLE role FROM \"People\"\nWHERE role = \"Lead\"\n```\n",
        ),
    ]);
    let cfg = wikigen::config::load(&v.root, None, &Default::default()).unwrap();
    let vault = wikigen::load::load(&cfg).unwrap();
    let (parsed, _) = wikigen::parse::parse_all(&vault.notes, &cfg);
    let mut t = Vec::new();
    let mut diags = Vec::new();
    let (notes, private) = wikigen::build::publishable(parsed);
    let site = wikigen::build::analyze_with(
        cfg,
        notes,
        private,
        vault.attachments,
        &mut t,
        &mut diags,
        &indicatif::ProgressBar::hidden(),
        None,
        true,
    );
    use wikigen::query::reads::{Affected, Changes};
    let idx = |p: &str| site.notes.iter().position(|n| n.path == p).unwrap();
    let (kickoff, retro, budget, ana, bo, q) = (
        idx("Meetings/Kickoff.md"),
        idx("Meetings/Retro.md"),
        idx("Meetings/Budget.md"),
        idx("People/Ana.md"),
        idx("People/Bo.md"),
        idx("Queries.md"),
    );
    let tasks = site.queries.reads(q, 0).expect("reads recorded");
    assert!(
        [kickoff, retro, budget]
            .iter()
            .all(|&n| tasks.own_items.contains(n) && !tasks.items.contains(n)),
        "a TASK query reads the tasks of its rows' own notes: {tasks:?}"
    );
    assert!(tasks.rows.contains(kickoff) && tasks.rows.contains(retro));
    assert!(!tasks.rows.contains(budget), "no task of Budget names Ana");
    assert!(
        ![kickoff, retro]
            .iter()
            .any(|&n| tasks.data.contains(n) || tasks.own_data.contains(n)),
        "GROUP BY file.link reads no note content: {tasks:?}"
    );
    assert!(!tasks.own_items.contains(ana) && !tasks.data.contains(ana));
    let table = site.queries.reads(q, 1).unwrap();
    assert!(table.own_data.contains(ana) && table.rows.contains(ana));
    assert!(!table.data.contains(ana) && !table.own_data.contains(kickoff));
    let list = site.queries.reads(q, 2).unwrap();
    assert!(list.inlinks.contains(ana), "{list:?}");
    assert!(!list.data.contains(ana));
    let leads = site.queries.reads(q, 3).unwrap();
    assert!(
        leads.rows.contains(ana) && !leads.rows.contains(bo),
        "{leads:?}"
    );
    // A change to Retro's body only (not its tasks) leaves the TASK query alone; a change to its
    // tasks does not.
    let none: &[usize] = &[];
    let body = Changes {
        notes: &[retro],
        items: none,
        linked: none,
        renamed: none,
        names: &[],
    };
    for r in [tasks, table, list] {
        assert_eq!(r.affected_by(body), Affected::No);
    }
    let task = Changes {
        notes: &[retro],
        items: &[retro],
        linked: none,
        renamed: none,
        names: &[],
    };
    assert_eq!(tasks.affected_by(task), Affected::Yes);
    // Budget had no task left by the WHERE: the query runs again only if one is left now.
    let other = Changes {
        notes: &[budget],
        items: &[budget],
        linked: none,
        renamed: none,
        names: &[],
    };
    assert_eq!(tasks.affected_by(other), Affected::IfRowsLeft(vec![budget]));
    // Likewise Bo, whom the WHERE left out, and Ana, whom it kept.
    let person = |n: usize| Changes {
        notes: vec![n].leak(),
        items: none,
        linked: none,
        renamed: none,
        names: &[],
    };
    assert_eq!(
        leads.affected_by(person(bo)),
        Affected::IfRowsLeft(vec![bo])
    );
    assert_eq!(leads.affected_by(person(ana)), Affected::Yes);
    assert_eq!(table.affected_by(person(bo)), Affected::Yes);
    // Kickoff linking to Ana changes Ana's inlinks: the LIST FROM [[Ana]] runs again.
    let link = Changes {
        notes: &[kickoff],
        items: none,
        linked: &[ana],
        renamed: none,
        names: &[],
    };
    assert_eq!(list.affected_by(link), Affected::Yes);
    assert_eq!(table.affected_by(link), Affected::No);
    // A rename: a renamed note with rows runs the query again; one without rows is checked
    // (its name may bring it in); a query that resolved a link by one of the names it had or
    // has runs again.
    use wikigen::query::reads::name_hash;
    let renamed = |n: usize, names: &[&str]| Changes {
        notes: vec![n].leak(),
        items: none,
        linked: none,
        renamed: vec![n].leak(),
        names: names
            .iter()
            .map(|x| name_hash(x))
            .collect::<Vec<_>>()
            .leak(),
    };
    assert_eq!(
        leads.affected_by(renamed(bo, &["Bo", "Bob"])),
        Affected::IfRowsLeft(vec![bo])
    );
    assert_eq!(leads.affected_by(renamed(ana, &["Ana"])), Affected::Yes);
    assert_eq!(
        list.affected_by(renamed(budget, &["Budget", "Ana"])),
        Affected::Yes,
        "LIST FROM [[Ana]] resolved the name Ana"
    );
    assert_eq!(
        list.affected_by(renamed(budget, &["Budget", "Budget 2"])),
        Affected::IfRowsLeft(vec![budget])
    );
    assert_eq!(name_hash("People/Ana.md"), name_hash("ana"));
}

#[test]
fn quick_where_shapes_keep_the_rows_the_general_evaluator_keeps() {
    // `!field`, `field` and `contains(field, "text")` (and their conjunctions) are tested
    // without the general evaluator; `!!…` forms of the same conditions go through it. Both
    // must keep the same rows, whatever the field holds: text, an inline field on the task's
    // line, a list, nothing.
    let pairs = [
        (
            "!completed AND contains(text, \"Ana\")",
            "!!(!completed) AND !!contains(text, \"Ana\")",
        ),
        ("contains(text, \"ana\")", "!!contains(text, \"ana\")"),
        ("contains(owner, \"Ana\")", "!!contains(owner, \"Ana\")"),
        ("contains(tags, \"#red\")", "!!contains(tags, \"#red\")"),
        ("contains(missing, \"x\")", "!!contains(missing, \"x\")"),
        ("completed", "!!completed"),
        ("!owner", "!!(!owner)"),
        ("CONTAINS(text, \"Bo\")", "!!CONTAINS(text, \"Bo\")"),
    ];
    let mut q = String::from("# Q\n");
    for (i, (fast, slow)) in pairs.iter().enumerate() {
        for (kind, cond) in [("fast", fast), ("slow", slow)] {
            q.push_str(&format!(
                "\n## {kind} {i}\n\n```dataview\nTASK FROM \"Work\"\nWHERE {cond}\n```\n"
            ));
        }
    }
    let v = vault(&[
        (
            "Work/One.md",
            "---\ntags: [red]\n---\n- [ ] call Ana about it\n- [x] Ana's report done\n\
             - [ ] ask Bo [owner:: Ana] today\n- [ ] nothing to see\n",
        ),
        (
            "Work/Two.md",
            "- [ ] ana in lower case\n- [ ] [text:: Ana override] visible text\n- [x] Bo closed\n",
        ),
        ("Q.md", &q),
    ]);
    let b = v.build(&[]);
    b.ok();
    let page = b.main("q/");
    for (i, (fast, _)) in pairs.iter().enumerate() {
        let f = text(&section(&page, &format!("fast-{i}")));
        let s = text(&section(&page, &format!("slow-{i}")));
        let (f, s) = (f.replace("fast", ""), s.replace("slow", ""));
        assert_eq!(f, s, "WHERE {fast}");
    }
    // The shapes do select: the first keeps the open tasks naming Ana, case-sensitively.
    let first = text(&section(&page, "fast-0"));
    assert!(first.contains("call Ana about it"), "{first}");
    assert!(!first.contains("report done"), "{first}");
    assert!(!first.contains("lower case"), "{first}");
}
