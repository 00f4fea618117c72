//! Replays every input the fuzzers found a bug with (`tests/fixtures/fuzz/<target>/`) through the
//! code its target runs (`fuzz/src/lib.rs`, included here), so a bug that comes back fails the
//! test suite without cargo-fuzz. Each input runs on a thread of its own with a deadline: a panic,
//! a stack overflow (which aborts the test binary) or a hang fails the test.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Each saved input takes well under 100 ms in a debug build; the bugs they found took 5 to 8 s
/// (quadratic time: a few more kilobytes would take minutes).
const DEADLINE: Duration = Duration::from_secs(2);

/// A fuzz target: its name and what it runs.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 5] = [
    ("parse_note", harness::parse_note),
    ("resolve", harness::resolve),
    ("dataview_query", harness::dataview_query),
    ("tasks_query", harness::tasks_query),
    ("mojibake", harness::mojibake),
];

/// The saved inputs of one target, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable fixture folder").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `run` on every saved input of `target` (on an 8 MB stack, the main thread's size, as in
/// a build) and fails on the first that panics or does not return within [`DEADLINE`].
fn replay(target: &str, run: fn(&[u8])) {
    for file in inputs(target) {
        let data = std::fs::read(&file).expect("a readable fixture");
        let name = file.display().to_string();
        let start = std::time::Instant::now();
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = std::thread::Builder::new()
            .name(name.clone())
            .stack_size(8 << 20)
            .spawn(move || {
                run(&data);
                let _ = tx.send(());
            })
            .expect("a thread");
        match rx.recv_timeout(DEADLINE) {
            Ok(()) => {
                worker.join().expect("returned");
                eprintln!("{name}: {:.0?}", start.elapsed());
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("{name}: no result after {DEADLINE:?} (a hang?)")
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{name}: panicked (see above)")
            }
        }
    }
}

#[test]
fn parse_note() {
    replay("parse_note", harness::parse_note);
}

#[test]
fn resolve() {
    replay("resolve", harness::resolve);
}

#[test]
fn dataview_query() {
    replay("dataview_query", harness::dataview_query);
}

#[test]
fn tasks_query() {
    replay("tasks_query", harness::tasks_query);
}

#[test]
fn mojibake() {
    replay("mojibake", harness::mojibake);
}

/// The seeds the fuzzers start from go through the same code (a quick check that the targets
/// still run on ordinary notes and queries).
#[test]
fn seeds_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (target, run) in TARGETS {
        let dir = root.join(target);
        let mut n = 0;
        for e in std::fs::read_dir(&dir).expect("a seed folder") {
            run(&std::fs::read(e.expect("an entry").path()).expect("a seed"));
            n += 1;
        }
        assert!(n > 0, "no seeds in {}", dir.display());
    }
}
