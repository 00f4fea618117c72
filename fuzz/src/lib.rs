//! What the fuzz targets run, one function per target, shared with the main crate's
//! `tests/fuzz_regressions.rs` (which includes this file with `#[path]`), so a saved crash input
//! goes through exactly the code the fuzzer found it with.
//!
//! Every function takes the raw fuzzer input and must return for any input: a panic, a hang or an
//! out-of-memory is a bug in wikigen.

use std::path::Path;
use std::sync::OnceLock;
use wikigen::config::{Config, Overrides, RawConfig};
use wikigen::enrich::Site;
use wikigen::load::{Attachment, SourceNote};

/// The build date of every target.
pub const TODAY: &str = "2026-03-01";

/// The configuration of a vault without `wikigen.toml`, with a private folder (`Private/`) and a
/// private field (`phone`) so the privacy paths run too.
pub fn config() -> Config {
    let mut raw = RawConfig::default();
    raw.vault.private_folders = vec!["Private".into()];
    raw.privacy.private_fields = vec!["phone".into()];
    let ov = Overrides {
        today: Some(TODAY.into()),
        ..Overrides::default()
    };
    wikigen::config::validate(raw, Path::new("vault"), Path::new("."), &ov)
        .expect("the default configuration is valid")
}

/// A note read from `bytes` the way `load::read_note` reads a file: decoded (UTF-8 or UTF-16,
/// invalid bytes replaced; `decode` also normalises line endings through `normalize_text`) and
/// mojibake repaired.
pub fn source_note(path: &str, bytes: &[u8]) -> SourceNote {
    let (text, _) = wikigen::load::decode(path, bytes);
    let (text, _) = wikigen::load::repair_mojibake(path, text);
    SourceNote {
        path: path.to_string(),
        text,
        mtime: None,
        ctime: None,
    }
}

/// `parse_note`: the input is one note (frontmatter, markdown, Obsidian syntax).
pub fn parse_note(data: &[u8]) {
    static CFG: OnceLock<Config> = OnceLock::new();
    let cfg = CFG.get_or_init(config);
    let src = source_note("Notes/Fuzz note.md", data);
    let (note, _diags) = wikigen::parse::parse_note(&src, cfg);
    // The derived values every later stage asks for.
    let _ = (note.word_count(), note.excerpt());
}

/// Most notes the `resolve` target makes of one input.
const MAX_NOTES: usize = 8;

/// A vault path as a folder walk could produce it: `/`-separated, no empty, `.` or `..`
/// component, no hidden (dot) file or folder, NFC; `None` when nothing is left.
fn vault_path(raw: &str) -> Option<String> {
    let raw = raw.replace('\\', "/");
    let parts: Vec<&str> = raw
        .split('/')
        .filter(|c| !c.is_empty() && !c.starts_with('.'))
        .collect();
    (!parts.is_empty()).then(|| wikigen::paths::nfc(&parts.join("/")))
}

/// `resolve`: the input is a small vault, its files separated by NUL bytes; the first line of
/// each is its path (a `.md` / `.markdown` path is a note, anything else an attachment), the rest
/// the note's text. Notes in `Private/` or with `private: true` are private. Every note is parsed,
/// and the stages after parse run as in a build: privacy filter, link resolution, enrich,
/// profiles, mentions and queries (`build::analyze`).
pub fn resolve(data: &[u8]) {
    static CFG: OnceLock<Config> = OnceLock::new();
    let cfg = CFG.get_or_init(config);
    let mut notes: Vec<SourceNote> = Vec::new();
    let mut attachments: Vec<Attachment> = Vec::new();
    for file in data.split(|&b| b == 0).take(MAX_NOTES) {
        let (first, body) = match file.iter().position(|&b| b == b'\n') {
            Some(i) => (&file[..i], &file[i + 1..]),
            None => (file, &[][..]),
        };
        let Some(path) = vault_path(&String::from_utf8_lossy(first)) else {
            continue;
        };
        if notes.iter().any(|n| n.path == path) || attachments.iter().any(|a| a.path == path) {
            continue;
        }
        if wikigen::load::is_note_path(&path) {
            notes.push(source_note(&path, body));
        } else {
            let abs = cfg.vault.join(&path);
            attachments.push(Attachment { path, abs });
        }
    }
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    attachments.sort_by(|a, b| a.path.cmp(&b.path));
    let (parsed, mut diags) = wikigen::parse::parse_all(&notes, cfg);
    let mut timings = Vec::new();
    let progress = indicatif::ProgressBar::hidden();
    let (site, _private) = wikigen::build::analyze(
        cfg.clone(),
        parsed,
        attachments,
        &mut timings,
        &mut diags,
        &progress,
    );
    // Every link's target, as the render stage asks for it.
    for (i, n) in site.notes.iter().enumerate() {
        for l in &n.links {
            let _ = site.resolved.target_of(&site.notes, i, l);
        }
    }
}

/// The notes of the small site the query targets run against: frontmatter of every type, inline
/// fields, links, tags, list items and tasks with Tasks metadata.
const SITE: &[(&str, &str)] = &[
    (
        "Home.md",
        "---\ntitle: Home\ntags: [wiki, start]\nrating: 4\nupdated: 2026-02-27\n---\n\
         # Home\n\nSee [[People/Ada Lovelace|Ada]] and [[Projects/Engine#Plan]]. #topic/maths\n\n\
         status:: active\nduration:: 2 hours\n\n\
         - [ ] Write the index 📅 2026-03-03 ⏫ #todo\n\
         - [x] Set up the vault ✅ 2026-02-20\n\
         - [ ] Review [[Projects/Engine]] ⏳ 2026-02-28 🔁 every week\n\
         \x20   - [ ] Nested sub-task [owner:: [[People/Ada Lovelace]]]\n\
         - plain item with [due:: 2026-03-10]\n",
    ),
    (
        "People/Ada Lovelace.md",
        "---\ntype: person\naliases: [Ada, Countess]\nrole: Analyst\nemail: ada@example.org\n\
         phone: 123\ncreated: 2026-01-01\n---\n# Ada Lovelace\n\nWorks on [[Projects/Engine]].\n\n\
         ## Notes ^intro\n\n- [/] Translate the memoir 🛫 2026-02-01 🔼 @Ada\n- [-] Cancelled ❌ 2026-01-05\n",
    ),
    (
        "Projects/Engine.md",
        "---\ntype: project\nstatus: active\nowner: \"[[People/Ada Lovelace]]\"\nbudget: 1200.5\n\
         due: 2026-04-01\ntags: project\n---\n# Engine\n\n## Plan\n\nBuild it with [[Ada]].\n\n\
         | a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] Order parts 📅 2026-02-15 🔺\n- [ ] Test ➕ 2026-02-01 🔽\n",
    ),
    (
        "Meetings/2026-02-03 Sync.md",
        "---\ntype: meeting\ndate: 2026-02-03\nattendees: [\"[[People/Ada Lovelace]]\", Bob]\n---\n\
         # Sync\n\n- [ ] Bob to send the report 📅 2026-02-10\n- decision:: ship it\n",
    ),
];

/// The small site, built once through the real pipeline (parse, then `build::analyze`).
pub fn site() -> &'static Site {
    static SITE_ONCE: OnceLock<Site> = OnceLock::new();
    SITE_ONCE.get_or_init(|| {
        let cfg = config();
        let notes: Vec<SourceNote> = SITE
            .iter()
            .map(|(p, t)| source_note(p, t.as_bytes()))
            .collect();
        let (parsed, mut diags) = wikigen::parse::parse_all(&notes, &cfg);
        let progress = indicatif::ProgressBar::hidden();
        let (site, _) = wikigen::build::analyze(
            cfg,
            parsed,
            Vec::new(),
            &mut Vec::new(),
            &mut diags,
            &progress,
        );
        site
    })
}

/// `dataview_query`: the input is the text of a ```` ```dataview ```` block and of an inline
/// `= expr`; each that parses is evaluated against [`site`] as note 0's query.
pub fn dataview_query(data: &[u8]) {
    use wikigen::query::{eval, exec, index::Index, parse, reads};
    let text = String::from_utf8_lossy(data);
    let site = site();
    let query = parse::parse_query(&text);
    let expr = parse::parse_expr(&text);
    if query.is_err() && expr.is_err() {
        return;
    }
    let idx = Index::new(site, wikigen::query::now(TODAY));
    let max_rows = site.cfg.queries.max_rows;
    let _ = reads::recording(site.notes.len(), || {
        if let Ok(q) = &query {
            if exec::unsupported_source(q).is_none() {
                let _ = exec::run(q, &idx, 0, max_rows);
            }
            let _ = exec::uses_this(q, &text);
        }
        if let Ok(e) = &expr {
            let _ = eval::Evaluator::new(&idx, 0).eval(e, &eval::Row::page(0));
        }
    });
}

/// `tasks_query`: the input is the text of a ```` ```tasks ```` block, parsed and run over every
/// task of [`site`].
pub fn tasks_query(data: &[u8]) {
    static TASKS: OnceLock<wikigen::query::tasks_run::AllTasks> = OnceLock::new();
    let text = String::from_utf8_lossy(data);
    let site = site();
    let query = wikigen::tasks::query::parse(&text, "Projects/Engine.md");
    let all = TASKS.get_or_init(|| wikigen::query::tasks_run::AllTasks::new(site, None));
    let records = all.records(site);
    let today = wikigen::paths::parse_date(TODAY).expect("a valid date");
    let _ = wikigen::tasks::query::run(&query, &records, today);
}

/// `mojibake`: the input as bytes (decoded as a note would be) and as text, repaired. Checks what
/// the module promises: no repair of text without a candidate (pure ASCII among it), a repair
/// changes the text, reports at least one run and names a cause.
pub fn mojibake(data: &[u8]) {
    let (decoded, _) = wikigen::load::decode("Fuzz.md", data);
    let (fixed, diag) = wikigen::load::repair_mojibake("Fuzz.md", decoded.clone());
    assert_eq!(
        diag.is_some(),
        fixed != decoded,
        "a diagnostic iff the text changed"
    );
    let text = String::from_utf8_lossy(data);
    match wikigen::text::mojibake::repair(&text) {
        None => {}
        Some(r) => {
            assert!(!text.is_ascii(), "pure ASCII is never repaired");
            assert_ne!(r.fixed, text, "a repair changes the text");
            assert!(r.runs > 0, "a repair has at least one run");
            assert!(!r.cause.is_empty(), "a repair names its cause");
        }
    }
}
