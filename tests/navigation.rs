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

#[test]
fn explorer_data_lists_folders_and_published_notes_once() {
    let v = dated_vault();
    let b = v.build(&[]);
    b.ok();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(b.out.join("_wikigen/explorer.json")).unwrap(),
    )
    .unwrap();
    let folders: Vec<&str> = json["folders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    assert_eq!(folders, ["", "Meetings", "Projects"]);
    let notes: Vec<(u64, &str, &str)> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n[0].as_u64().unwrap(),
                n[1].as_str().unwrap(),
                n[2].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (0, "Ada", "ada/"),
            (0, "Old", "old/"),
            (1, "Sync", "meetings/sync/"),
            (2, "Newer", "projects/newer/"),
            (2, "Same day", "projects/same-day/"),
        ]
    );
    assert!(
        !std::fs::read_to_string(b.out.join("_wikigen/explorer.json"))
            .unwrap()
            .contains("Hidden")
    );
}

#[test]
fn previews_and_explorer_work_in_a_real_browser_under_a_sub_path() {
    if !common::browser::browser_ready() {
        return;
    }
    let v = vault(&[
        (
            "Home.md",
            "Start here: [[Ada Lovelace]], the [[Engine#Design|Design]], [[Nowhere]] and \
             [[Secret]].\n",
        ),
        (
            "People/Ada Lovelace.md",
            "---\ntype: person\nrole: Analyst\n---\nADA-FIRST-PARAGRAPH about Ada.\n",
        ),
        (
            "Engine.md",
            "ENGINE-INTRO text.\n\n## Design\n\nDESIGN-SECTION-TEXT here.\n",
        ),
        ("Secret.md", "---\nprivate: true\n---\nSecret.\n"),
        (
            "Projects/Deep/Plan.md",
            "The plan, with [[Ada Lovelace]].\n",
        ),
        ("Projects/Overview.md", "Projects.\n"),
    ]);
    let www = v.dir().join("www");
    v.build_to(&www.join("wiki"), &["--base-url", "/wiki/"])
        .ok();
    let server = common::browser::StaticServer::start(&www);
    let url = format!("http://127.0.0.1:{}/wiki/", server.port);
    common::browser::run_script("navigate.mjs", &[&url]);
}
