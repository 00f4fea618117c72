//! Finding one's way: the recently changed page, "updated" dates on pages, and the folder
//! explorer's data.

mod common;

use common::*;

fn dated_vault() -> Vault {
    vault(&[
        (
            "Old.md",
            "---\nupdated: 2025-01-05\n---\nAn old note OLD-EXCERPT.\n",
        ),
        (
            "Projects/Newer.md",
            "---\nmodified: 2026-02-20\n---\nA newer note.\n",
        ),
        (
            "Projects/Same day.md",
            "---\nupdated: 2026-02-20T09:30\n---\nSame day.\n",
        ),
        (
            "Meetings/Sync.md",
            "---\ndate: 2026-01-10\nupdated: 2026-02-21\nparticipants: [\"[[Ada]]\"]\n---\nNotes.\n",
        ),
        ("Ada.md", "---\ntype: person\nupdated: 2026-02-01\n---\nAda.\n"),
        (
            "Hidden.md",
            "---\nprivate: true\nupdated: 2026-03-01\n---\nHIDDEN-RECENT-CANARY\n",
        ),
    ])
}

#[test]
fn recently_changed_lists_notes_newest_first_by_day() {
    let v = dated_vault();
    let b = v.build(&[]);
    b.ok();
    let m = b.main("recent/");
    let order: Vec<usize> = ["Sync", "Newer", "Same day", "Ada", "Old"]
        .iter()
        .map(|t| {
            m.find(&format!(">{t}</a>"))
                .unwrap_or_else(|| panic!("{t} missing in {m}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{m}");
    // Two notes updated on 2026-02-20 share one day heading.
    assert_eq!(count(&m, "<time datetime=\"2026-02-20\">"), 1, "{m}");
    assert!(m.contains("OLD-EXCERPT"), "cards show the excerpt: {m}");
    assert!(!m.contains("Hidden"), "{m}");
    assert!(grep_dir(&b.out, "HIDDEN-RECENT-CANARY").is_empty());
    // Every page links to it.
    let home = b.page("");
    assert!(home.contains("href=\"recent/\""), "{home}");
    let note = b.page("projects/newer/");
    assert!(note.contains("href=\"../../recent/\""), "{note}");
}

#[test]
fn pages_show_their_update_date() {
    let v = dated_vault();
    let b = v.build(&[]);
    b.ok();
    let dated = |page: &str, date: &str| {
        let m = b.main(page);
        assert!(
            m.contains(&format!("Updated <time datetime=\"{date}\">{date}</time>")),
            "{page}: {m}"
        );
    };
    dated("old/", "2025-01-05");
    dated("projects/same-day/", "2026-02-20");
    dated("meetings/sync/", "2026-02-21");
    dated("ada/", "2026-02-01");
}
