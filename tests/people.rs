//! People, meetings and projects: classification, the merged profile of a person split over
//! three notes (fields, placeholders, conflicts, folded facts), meetings and projects pages, and
//! mojibake repair, on the `tests/vaults/people` fixture.

mod common;

use common::fixture;
use serde_json::Value;

/// The merged model of the person, from `wikigen check --profiles=NAME`.
fn profile(v: &common::Vault, name: &str) -> Value {
    let arg = format!("--profiles={name}");
    let r = common::run(v.dir(), &["check", v.root.to_str().unwrap(), &arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all: Value = serde_json::from_str(&r.stdout).expect("JSON on stdout");
    let list = all.as_array().unwrap();
    assert_eq!(list.len(), 1, "one profile named {name}: {all:#}");
    list[0].clone()
}

fn field<'a>(p: &'a Value, key: &str) -> &'a Value {
    p["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no field {key} in {p:#}"))
}

fn values(f: &Value) -> Vec<String> {
    std::iter::once(&f["current"])
        .chain(f["others"].as_array().unwrap().iter())
        .map(|v| v["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn three_notes_make_one_profile_with_merged_fields() {
    let v = fixture("people");
    let p = profile(&v, "Dana");
    let sources: Vec<&str> = p["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    // Same title, folder note README, and shared email (different case): one person.
    assert_eq!(
        sources,
        [
            "People/Dana Whitfield.md",
            "People/Dana Whitfield/README.md",
            "Imported/Whitfield, Dana.md"
        ]
    );
    assert_eq!(p["page"], "People/Dana Whitfield.md");
    // The most recent source's role is current; the other stays visible with its note.
    let role = field(&p, "role");
    assert_eq!(role["current"]["value"], "VP Partnerships");
    assert_eq!(role["rule"], "most recent source");
    assert_eq!(values(role), ["VP Partnerships", "Alliances team lead"]);
    assert_eq!(
        role["others"][0]["from"][0], "People/Dana Whitfield/README.md",
        "{role:#}"
    );
    assert_eq!(role["others"][0]["origin"], "table");
    // Dates: created earliest, last contact latest.
    assert_eq!(field(&p, "created")["current"]["value"], "2024-12-01");
    assert_eq!(field(&p, "last_contact")["current"]["value"], "2025-11-02");
    // Placeholders never win: `_Unknown_`, empty, TBD.
    assert_eq!(values(field(&p, "email")), ["dana@larkspur.example"]);
    assert_eq!(values(field(&p, "location")), ["Porto"]);
    assert!(
        p["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["key"] != "department"),
        "department only had placeholders: {p:#}"
    );
    // Lists are united; private fields never read.
    assert_eq!(values(field(&p, "expertise")), ["robotics", "field trials"]);
    assert!(!p.to_string().contains("555"), "phone leaked: {p:#}");
    assert_eq!(p["aliases"], serde_json::json!(["Dana W."]));
}

#[test]
fn repeated_facts_fold_and_look_alikes_stay_apart() {
    let v = fixture("people");
    let p = profile(&v, "Dana");
    let key_facts = p["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Key Facts")
        .expect("Key Facts section");
    let facts = key_facts["blocks"][0]["facts"].as_array().unwrap();
    let shown: Vec<(&str, u64)> = facts
        .iter()
        .map(|f| {
            (
                f["shown"]["text"].as_str().unwrap(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    // 12 bullets over three notes say 7 things.
    assert_eq!(shown.len(), 7, "{shown:#?}");
    let count_of = |needle: &str| {
        shown
            .iter()
            .find(|(t, _)| t.contains(needle))
            .unwrap_or_else(|| panic!("no fact with {needle:?}: {shown:#?}"))
            .1
    };
    assert_eq!(count_of("Edge Storage"), 3);
    assert_eq!(count_of("Lisbon"), 3);
    assert_eq!(count_of("Las Vegas"), 2);
    // Different amounts and a negation are different facts.
    assert_eq!(count_of("$2M"), 1);
    assert_eq!(count_of("$3M"), 1);
    assert_eq!(count_of("does not support"), 1);
    assert_eq!(count_of("supports the Azure"), 1);
    // The most informative wording is shown.
    assert!(
        shown.iter().any(|(t, _)| t.contains("within the Apps org")),
        "{shown:#?}"
    );
    // Template prompts and placeholder-only sections are not in the model.
    let all = p.to_string();
    assert!(!all.contains("How do you work"), "{all}");
    assert!(!all.contains("Career history"), "{all}");
    assert!(p["dropped_noise"].as_u64().unwrap() >= 3);
}

#[test]
fn profile_page_card_alternates_and_no_noise() {
    let v = fixture("people");
    let b = v.build(&[]);
    b.ok();
    let page = b.page("people/dana-whitfield/");
    for want in [
        "VP Partnerships",
        "Alliances team lead",
        "dana@larkspur.example",
        "mailto:dana@larkspur.example",
        "Porto",
    ] {
        assert!(page.contains(want), "{want} missing from the profile page");
    }
    assert!(!page.contains("How do you work with this person"));
    assert!(!page.contains("Career history"));
    // Meetings with her, newest first, and her project.
    let review = page.find("Review").expect("review meeting");
    let kickoff = page.find("Kickoff").expect("kickoff meeting");
    assert!(review < kickoff, "meetings newest first");
    assert!(page.contains("Harbor Pilot"));
    // The source notes are listed; the private phone appears in no output file at all.
    assert!(page.contains("People/Dana Whitfield/README.md"));
    assert!(b.grep("555-01").is_empty(), "{:?}", b.grep("555-01"));
    // The other sources keep their pages, pointing at the profile.
    let readme = b.page("people/dana-whitfield/readme/");
    assert!(readme.contains("people/dana-whitfield/"), "banner link");
    let imported = b.page("imported/whitfield-dana/");
    assert!(imported.contains("Dana Whitfield"));
    // Links written to a source note go to the profile.
    let a = b.link("projects/harbor-pilot/", "Dana");
    assert_eq!(a.href, "../../people/dana-whitfield/");
    // One person in the directory, not three.
    let dir = b.page("people/");
    assert_eq!(dir.matches(">Dana Whitfield<").count(), 1, "{dir}");
    assert!(dir.contains(">Sam Ortega<"));
}

#[test]
fn meetings_are_recognised_and_linked_to_people() {
    let v = fixture("people");
    let b = v.build(&[]);
    b.ok();
    // `type: people` with a date and participants is a meeting.
    let m = b.page("meetings/2025-10-30-partner-sync/");
    assert!(m.contains("kind-meeting"), "meeting page");
    assert!(m.contains("2025-10-30"));
    assert!(
        m.contains("href=\"../../people/dana-whitfield/\""),
        "participant linked"
    );
    assert!(m.contains("href=\"../../sam-ortega/\""));
    // Riley has no note: shown as unresolved, not linked.
    assert!(m.contains("unresolved") && m.contains("Riley Okafor"));
    // Action items with due date and priority (the task emoji were mojibake, repaired).
    assert!(m.contains("2025-11-05") && m.contains("highest"), "{m}");
    assert!(m.contains("Start the pilot in Porto."));
    assert!(!m.contains("üìÖ") && !m.contains("‚Äô"));
    // Previous and next meeting with the same people.
    assert!(m.contains("2025-09-01-kickoff/") && m.contains("2025-11-20-review/"));
    // The timeline, newest first.
    let t = b.page("meetings/");
    let nov = t.find("id=\"month-2025-11\"").expect("November");
    let sep = t.find("id=\"month-2025-09\"").expect("September");
    assert!(nov < sep);
}

#[test]
fn projects_list_people_meetings_and_open_tasks() {
    let v = fixture("people");
    let b = v.build(&[]);
    b.ok();
    let p = b.page("projects/harbor-pilot/");
    assert!(p.contains("Dana Whitfield") && p.contains("Sam Ortega"));
    assert!(p.contains("Ship the sensor kit"));
    assert!(p.contains("2025-09-01-kickoff/"));
    let list = b.page("projects/");
    assert!(list.contains("Harbor Pilot") && list.to_lowercase().contains("active"));
}

#[test]
fn mojibake_is_repaired_and_both_names_resolve() {
    let v = fixture("people");
    let b = v.build(&[]);
    b.ok();
    // The file `Jos√© notes.md` (MacRoman mojibake) is found as [[José notes]] and published
    // under its repaired name; `CafÃ©` in its body is repaired too.
    let a = b.link("index/", "José notes");
    assert!(!a.class.contains("unresolved"), "{a:?}");
    let page = b.page("josé-notes/");
    assert!(page.contains("José notes"), "title repaired");
    assert!(
        page.contains("Café meeting with Zoë"),
        "body repaired, Zoë untouched"
    );
    assert!(page.contains("“robots”"));
    let m = b.diags_with("mojibake");
    assert!(
        m.iter()
            .any(|d| d.file.ends_with("notes.md") && d.line == 3),
        "{m:#?}"
    );
    assert!(m.iter().any(|d| d.file.contains("Partner sync")), "{m:#?}");
    assert!(m.iter().all(|d| d.severity == "info"));
}

#[test]
fn merged_profile_matches_the_snapshot() {
    let v = fixture("people");
    let p = profile(&v, "Dana");
    let got = serde_json::to_string_pretty(&p).unwrap() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/dana-profile.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .expect("snapshot missing: run with UPDATE_SNAPSHOTS=1 to create it");
    assert_eq!(
        got, want,
        "merged profile changed; review and run with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn classification_rules_can_be_changed_in_the_config() {
    let v = fixture("people");
    v.write(
        "wikigen.toml",
        "[kinds]\nmeeting_evidence = false\nfolder_names = false\n[privacy]\nprivate_fields = [\"phone\"]\n",
    );
    let b = v.build(&[]);
    b.ok();
    // Without the evidence rule, `type: people` wins: the partner sync is a person note.
    assert!(b
        .page("meetings/2025-10-30-partner-sync/")
        .contains("kind-person"));
    // [people] merge = false keeps the three notes apart.
    v.write("wikigen.toml", "[people]\nmerge = false\n");
    let r = common::run(
        v.dir(),
        &["check", v.root.to_str().unwrap(), "--profiles=dana"],
    );
    let all: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        3,
        "each note is its own profile"
    );
}
