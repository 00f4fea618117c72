//! Unlinked mentions: a note naming another note's title or alias in prose, without linking it,
//! is listed on the named note's page. Word boundaries, case, aliases, links, code, headings,
//! self-mentions, private notes and the `[links] unlinked_mentions` limit.

mod common;

use common::*;

const ADA: &str = "\
---
aliases: [Ada, The Countess]
type: person
---
Ada Lovelace wrote the first program. She is not a mention of herself.
";

const MEETING: &str = "\
---
date: 2026-02-01
---
# Review

We met ada lovelace today. Later Ada agreed to the plan, and the countess arrived late.
Adam and Canada are other words. `Ada Lovelace` is code.
[Ada Lovelace](https://example.com/ada) is a web link, [[Engine]] a wikilink.

## Engine

Nothing about the engine here, only a heading.
";

fn mentions_vault() -> Vault {
    vault(&[
        ("People/Ada Lovelace.md", ADA),
        ("Engine.md", "The engine.\n"),
        ("Glossary.md", "Terms.\n"),
        ("Meetings/Review.md", MEETING),
        (
            "Linked.md",
            "[[Ada Lovelace]] is linked here, so naming Ada Lovelace again is a backlink.\n",
        ),
        (
            "Code only.md",
            "```\nAda Lovelace\n```\n\nAnd a glossary entry, in lower case.\n",
        ),
        (
            "Secret.md",
            "---\nprivate: true\n---\nAda Lovelace MENTION-CANARY-7731 and the Engine.\n",
        ),
    ])
}

/// The unlinked-mentions section of a page, or "" when it has none.
fn mentions(b: &Build, page: &str) -> String {
    let html = b.page(page);
    if !html.contains("<section class=\"mentions\"") {
        return String::new();
    }
    section(&html, "<section class=\"mentions\"", "</section>")
}

#[test]
fn prose_names_are_listed_with_their_sentence() {
    let v = mentions_vault();
    let b = v.build(&[]);
    b.ok();
    let m = mentions(&b, "people/ada-lovelace/");
    // The meeting names Ada three times: "ada lovelace", "Ada" (an alias) and "the countess".
    assert!(m.contains(">Review</a>"), "{m}");
    assert!(m.contains("title=\"named 3 times\""), "{m}");
    assert!(
        m.contains("We met <mark>ada lovelace</mark> today."),
        "the first mention, as written, in its sentence: {m}"
    );
    // Linking notes are backlinks, not mentions; a code block is not prose.
    assert!(!m.contains(">Linked</a>"), "{m}");
    assert!(!m.contains(">Code only</a>"), "{m}");
    // A note does not mention itself.
    assert_eq!(count(&m, "class=\"backlink mention\""), 1, "{m}");
    assert!(m.contains("<span class=\"count\">1</span>"), "{m}");
}

#[test]
fn links_code_headings_and_lower_case_words_are_not_mentions() {
    let v = mentions_vault();
    let b = v.build(&[]);
    b.ok();
    // The meeting links Engine (and has an "## Engine" heading): no mention.
    assert_eq!(mentions(&b, "engine/"), "");
    // "glossary" in lower case is a word, not the note called Glossary.
    assert_eq!(mentions(&b, "glossary/"), "");
    // Adam, Canada, `Ada Lovelace` in code and a web link's label are not counted: the count
    // above is exactly three (ada lovelace, Ada, the countess).
    let m = mentions(&b, "people/ada-lovelace/");
    assert!(m.contains("×3"), "{m}");
}

#[test]
fn private_notes_never_appear_as_mentions() {
    let v = mentions_vault();
    let b = v.build(&[]);
    b.ok();
    assert!(grep_dir(&b.out, "MENTION-CANARY-7731").is_empty());
    assert!(!mentions(&b, "people/ada-lovelace/").contains("Secret"));
    assert_eq!(mentions(&b, "engine/"), "");
}

#[test]
fn the_limit_caps_the_list_and_zero_turns_mentions_off() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("Daily/2026-01-0{i}.md"),
                format!("---\nupdated: 2026-01-0{i}\n---\nCall with Ada Lovelace, day {i}.\n"),
            )
        })
        .collect();
    files.push(("Ada Lovelace.md".into(), "A person.\n".into()));
    files.push((
        "wikigen.toml".into(),
        "[links]\nunlinked_mentions = 2\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let v = vault(&refs);
    let b = v.build(&[]);
    b.ok();
    let m = mentions(&b, "ada-lovelace/");
    assert_eq!(count(&m, "class=\"backlink mention\""), 2, "{m}");
    assert!(m.contains("<span class=\"count\">5</span>"), "{m}");
    assert!(m.contains("and 3 more notes."), "{m}");
    // Most recently updated first.
    let (d5, d4) = (
        m.find(">2026-01-05<").unwrap(),
        m.find(">2026-01-04<").unwrap(),
    );
    assert!(d5 < d4, "{m}");

    v.write("wikigen.toml", "[links]\nunlinked_mentions = 0\n");
    let b = v.build(&[]);
    b.ok();
    assert_eq!(mentions(&b, "ada-lovelace/"), "");
}
