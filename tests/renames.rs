//! Renames in place (`wikigen serve`): a note renamed where its new path sorts as the old one
//! did keeps its number, and the link stage takes its last work over. The result must be what a
//! fresh analysis gives: the same targets, "not written yet" pages and diagnostics.

mod common;

use common::*;

/// The published notes of `files`, analysed from scratch or, with `prior`, from an earlier
/// analysis (as `wikigen serve` does); the site and the diagnostics.
fn analyse(
    files: &[(&str, &str)],
    prior: Option<wikigen::build::Prior<'_>>,
) -> (wikigen::enrich::Site, Vec<wikigen::diag::Diagnostic>) {
    let v = vault(files);
    let cfg = wikigen::config::load(&v.root, None, &Default::default()).unwrap();
    let loaded = wikigen::load::load(&cfg).unwrap();
    let (parsed, _) = wikigen::parse::parse_all(&loaded.notes, &cfg);
    let (notes, private) = wikigen::build::publishable(parsed);
    let mut diags = Vec::new();
    let site = wikigen::build::analyze_with(
        cfg,
        notes,
        private,
        loaded.attachments,
        &mut Vec::new(),
        &mut diags,
        &indicatif::ProgressBar::hidden(),
        prior,
        true,
    );
    wikigen::diag::sort(&mut diags);
    let diags = diags
        .into_iter()
        .map(|mut d| {
            // The temporary vault's folder differs between the two runs.
            d.file = d.file.rsplit('/').next().unwrap_or_default().to_string();
            d
        })
        .collect();
    (site, diags)
}

#[test]
fn a_note_renamed_in_place_resolves_and_reports_as_a_fresh_build_does() {
    let before = [
        ("Notes/Lamp log.md", "## Readings\n\nNothing yet.\n"),
        (
            "Notes/Other.md",
            "See [[Lamp lgo]], [[Lamp log]], [[Lamp log archive]] and [[Zeta]].\n",
        ),
        (
            "Notes/Zed.md",
            "Links [[Lamp log#Readings]] and [[Quay]].\n",
        ),
    ];
    // Renamed where it sorts as before; `Lamp lgo` no longer looks like its name.
    let after = [
        ("Notes/Lamp log archive.md", before[0].1),
        before[1],
        before[2],
    ];
    let (old, _) = analyse(&before, None);
    let (fresh, fresh_diags) = analyse(&after, None);
    let n = fresh.notes.len();
    assert_eq!(
        fresh.notes[0].path, "Notes/Lamp log archive.md",
        "kept its place"
    );
    let mut renamed = vec![false; n];
    renamed[0] = true;
    let names: Vec<String> = ["Lamp log", "Lamp log archive"].map(String::from).to_vec();
    let prior = wikigen::build::Prior {
        site: &old,
        dirty: renamed.clone(),
        tasks_changed: true,
        items_changed: renamed.clone(),
        names_changed: true,
        names,
        renamed,
    };
    let (inc, inc_diags) = analyse(&after, Some(prior));
    assert_eq!(inc_diags, fresh_diags);
    assert_eq!(inc.resolved.targets, fresh.resolved.targets);
    assert_eq!(inc.resolved.missing, fresh.resolved.missing);
    assert!(
        fresh_diags
            .iter()
            .any(|d| d.message.contains("`Lamp log`") && d.file == "Other.md"),
        "the old name is not written yet now: {fresh_diags:?}"
    );
}
