use super::*;

/// A compact rendering of the non-empty fields, in a fixed order.
fn show(m: &TaskMeta) -> String {
    let mut out = vec![format!("desc={}", m.description)];
    let opt = |k: &str, v: &Option<String>| v.as_ref().map(|v| format!("{k}={v}"));
    out.extend(opt("due", &m.due));
    out.extend(opt("scheduled", &m.scheduled));
    out.extend(opt("start", &m.start));
    out.extend(opt("done", &m.done));
    out.extend(opt("created", &m.created));
    out.extend(opt("cancelled", &m.cancelled));
    if !m.priority.is_empty() {
        out.push(format!("priority={}", m.priority));
    }
    out.extend(opt("recurrence", &m.recurrence));
    out.extend(opt("id", &m.id));
    if !m.depends_on.is_empty() {
        out.push(format!("depends={}", m.depends_on.join(",")));
    }
    out.extend(opt("oncompletion", &m.on_completion));
    if !m.assignees.is_empty() {
        out.push(format!("assignees={}", m.assignees.join(",")));
    }
    if !m.tags.is_empty() {
        out.push(format!("tags={}", m.tags.join(",")));
    }
    out.extend(opt("block", &m.block_id));
    if !m.invalid_dates.is_empty() {
        out.push(format!("invalid={}", m.invalid_dates.join(",")));
    }
    out.join(" | ")
}

#[test]
fn metadata_table() {
    let cases: &[(&str, &str)] = &[
        // The seeds' style.
        (
            "Follow up with Ana 📅 2025-10-30 🔺",
            "desc=Follow up with Ana | due=2025-10-30 | priority=highest",
        ),
        (
            "Send the deck @Ann 📅 2025-10-30 🔺 #task",
            "desc=Send the deck #task | due=2025-10-30 | priority=highest | assignees=Ann | tags=task",
        ),
        (
            "Ship ⏫ ⏳ 2025-01-02 🛫 2025-01-01 ✅ 2025-01-05 🔁 every week",
            "desc=Ship | scheduled=2025-01-02 | start=2025-01-01 | done=2025-01-05 | priority=high | recurrence=every week",
        ),
        ("mail a@b.c", "desc=mail a@b.c"),
        // Any order, all the date emojis and their alternatives.
        (
            "Pay rent ➕ 2026-01-01 📆 2026-02-01 ⌛ 2026-01-20",
            "desc=Pay rent | due=2026-02-01 | scheduled=2026-01-20 | created=2026-01-01",
        ),
        ("Pay rent 🗓 2026-02-01", "desc=Pay rent | due=2026-02-01"),
        ("Pay rent 🗓️ 2026-02-01", "desc=Pay rent | due=2026-02-01"),
        ("Old thing ❌ 2026-03-04", "desc=Old thing | cancelled=2026-03-04"),
        // FE0F after emojis, no space, NBSP.
        ("Plan 📅\u{FE0F} 2026-04-16", "desc=Plan | due=2026-04-16"),
        ("Plan 📅2026-04-16", "desc=Plan | due=2026-04-16"),
        ("Plan 📅\u{a0}2026-04-16", "desc=Plan | due=2026-04-16"),
        ("Plan\u{a0}⏫\u{a0}📅 2026-04-16", "desc=Plan | due=2026-04-16 | priority=high"),
        ("Low one ⏬\u{FE0F}", "desc=Low one | priority=lowest"),
        ("Mid 🔼", "desc=Mid | priority=medium"),
        ("Meh 🔽", "desc=Meh | priority=low"),
        // A field followed by ordinary text is not a field.
        (
            "Call Bob 📅 2026-01-01 about the contract",
            "desc=Call Bob 📅 2026-01-01 about the contract",
        ),
        // Trailing tags mixed among fields go back to the end of the description.
        (
            "Do stuff  ⏫  #tag1 ✅ 2022-08-12 #tag2/sub-tag ",
            "desc=Do stuff #tag1 #tag2/sub-tag | done=2022-08-12 | priority=high | tags=tag1,tag2/sub-tag",
        ),
        (
            "Read #book chapter 2 📅 2026-01-03 #home",
            "desc=Read #book chapter 2 #home | due=2026-01-03 | tags=book,home",
        ),
        // Block ids.
        (
            "Review draft 📅 2026-01-03 ^abc-12",
            "desc=Review draft | due=2026-01-03 | block=abc-12",
        ),
        ("Keep this^not-a-block", "desc=Keep this^not-a-block"),
        // Dependencies, ids, on completion.
        (
            "Write report 🆔 rep1 ⛔ data2, data3 🏁 delete",
            "desc=Write report | id=rep1 | depends=data2,data3 | oncompletion=delete",
        ),
        ("Gather data 🆔 data_2", "desc=Gather data | id=data_2"),
        ("Wait ⛔️ abc", "desc=Wait | depends=abc"),
        ("Broken ⛔ a b", "desc=Broken ⛔ a b"),
        // Recurrence rules.
        (
            "Water plants 🔁 every week when done 📅 2026-01-07",
            "desc=Water plants | due=2026-01-07 | recurrence=every week when done",
        ),
        (
            "Bills 🔁 every month on the last #home",
            "desc=Bills #home | recurrence=every month on the last | tags=home",
        ),
        // Dataview format, anywhere in the text.
        (
            "Submit form [due:: 2026-04-16] [priority:: high]",
            "desc=Submit form | due=2026-04-16 | priority=high",
        ),
        (
            "Submit [scheduled:: 2026-04-10] form (start:: 2026-04-01) [created:: 2026-03-01]",
            "desc=Submit form | scheduled=2026-04-10 | start=2026-04-01 | created=2026-03-01",
        ),
        (
            "Done one [completion:: 2026-04-02] [cancelled:: 2026-04-03] [repeat:: every day]",
            "desc=Done one | done=2026-04-02 | cancelled=2026-04-03 | recurrence=every day",
        ),
        (
            "Link [id:: x1] [dependsOn:: a,b] [onCompletion:: Delete] [rating:: 5]",
            "desc=Link [rating:: 5] | id=x1 | depends=a,b | oncompletion=delete",
        ),
        // Invalid dates are removed and reported.
        ("Bad date 📅 2026-02-30", "desc=Bad date | invalid=due"),
        ("Bad dv [due:: soon]", "desc=Bad dv | invalid=due"),
        // Tags: not after a letter, not numbers-with-punctuation, deduplicated.
        (
            "See http://x.org/a#frag #a #b #a (#c)",
            "desc=See http://x.org/a#frag #a #b #a (#c) | tags=a,b",
        ),
        (
            "Assign to @Ada and (@Bo) 📅 2026-05-01",
            "desc=Assign to and () | due=2026-05-01 | assignees=Ada,Bo",
        ),
        ("", "desc="),
    ];
    for (input, want) in cases {
        assert_eq!(show(&parse(input)), *want, "input: {input:?}");
    }
}

#[test]
fn whole_lines() {
    let cases: &[(&str, Option<(char, &str)>)] = &[
        (
            "- [ ] Follow up with Ana 📅 2025-10-30 🔺",
            Some((' ', "Follow up with Ana")),
        ),
        (
            "  * [x] Done thing ✅ 2025-01-01",
            Some(('x', "Done thing")),
        ),
        ("> - [/] In a callout", Some(('/', "In a callout"))),
        ("12. [-] Numbered", Some(('-', "Numbered"))),
        ("3) [?] Paren numbered", Some(('?', "Paren numbered"))),
        ("- plain item", None),
        ("-[ ] no space", None),
        ("[ ] no marker", None),
    ];
    for (line, want) in cases {
        let got = parse_line(line).map(|(c, m)| (c, m.description));
        assert_eq!(
            got.as_ref().map(|(c, d)| (*c, d.as_str())),
            *want,
            "line: {line:?}"
        );
    }
}

#[test]
fn status_table() {
    let cases = [
        (' ', StatusType::Todo, "Todo"),
        ('x', StatusType::Done, "Done"),
        ('X', StatusType::Done, "Done"),
        ('/', StatusType::InProgress, "In Progress"),
        ('-', StatusType::Cancelled, "Cancelled"),
        ('h', StatusType::OnHold, "On Hold"),
        ('>', StatusType::Todo, "Forwarded"),
        ('!', StatusType::Todo, "Important"),
        ('?', StatusType::Todo, "Question"),
        ('Z', StatusType::Todo, "Unknown"),
    ];
    for (c, ty, name) in cases {
        assert_eq!((status_type(c), status_name(c)), (ty, name), "{c:?}");
    }
    assert!(StatusType::Cancelled.is_done() && StatusType::NonTask.is_done());
    assert!(!StatusType::OnHold.is_done());
    assert_eq!(
        StatusType::from_name("in_progress"),
        Some(StatusType::InProgress)
    );
    assert_eq!(StatusType::from_name("waiting"), None);
}
