//! Faults while writing: a build killed at random points (SIGKILL), a full disk and a file-size
//! limit. The output folder always holds one complete site (the previous one, or the new one
//! once it was swapped in), the error says what happened, and the next build succeeds.
#![cfg(unix)]

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// A vault of `n` linked notes with some text, so a build takes a moment.
fn notes_vault(n: usize, tag: &str) -> Vault {
    let v = vault(&[]);
    for i in 0..n {
        let body: String = (0..12)
            .map(|p| {
                format!(
                    "Paragraph {p} of note {i} ({tag}) links [[Note {}]] and [[Note {}#Part 2]].\n\n## Part {p}\n\n",
                    (i + 1) % n,
                    (i * 7 + 3) % n
                )
            })
            .collect();
        v.write(
            &format!("Folder {}/Note {i}.md", i % 10),
            &format!("---\ntags: [t{}]\n---\n{body}", i % 17),
        );
    }
    v
}

/// Every file of a site with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    list_files(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

fn build_cmd(vault: &Path, out: &Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["build"])
        .arg(vault)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY, "-q", "--no-minify"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

#[test]
fn a_build_killed_at_random_points_leaves_a_complete_site_and_the_next_build_succeeds() {
    // Site A (40 notes) is in the output; each run builds B (400 notes) over it and is killed.
    let va = notes_vault(40, "first");
    let vb = notes_vault(40, "first");
    for i in 40..400 {
        vb.write(
            &format!("More/Note {i}.md"),
            &format!("second version {i} [[Note {}]]\n", i - 40),
        );
    }
    let out = va.dir().join("site");
    let build = |v: &Vault, to: &Path| {
        let r = build_cmd(&v.root, to).output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    };
    build(&va, &out);
    let a = snapshot(&out);
    // B built over A, for reference and timed (the kill points are spread over this time).
    let t = Instant::now();
    build(&vb, &out);
    let full = t.elapsed();
    let b = snapshot(&out);
    assert_ne!(a.len(), b.len());

    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}, a full build takes {full:?}");
    let (mut saw_a, mut saw_b) = (0, 0);
    // WIKIGEN_KILL_RUNS=200 for a longer campaign.
    let runs: usize = std::env::var("WIKIGEN_KILL_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    for run in 0..runs {
        // Every run starts from site A.
        if snapshot(&out) != a {
            build(&va, &out);
            assert!(
                snapshot(&out) == a,
                "run {run}: rebuilding A over B differs"
            );
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        // Kill points spread over the whole build and past it (the swap, the removal of the
        // previous site, a finished build).
        let at = full.mul_f64(((seed >> 33) % 1000) as f64 / 1000.0 * 1.6);
        let mut child = build_cmd(&vb.root, &out).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        if now == a {
            saw_a += 1;
        } else if now == b {
            saw_b += 1;
        } else {
            let missing: Vec<_> = b.keys().filter(|k| !now.contains_key(*k)).take(5).collect();
            panic!(
                "run {run}: killed after {at:?}, the output is neither the previous site nor the new one ({} files; missing from the new one: {missing:?})",
                now.len()
            );
        }
    }
    eprintln!("previous site intact {saw_a} times, new site complete {saw_b} times");
    // The next build succeeds, cleans up after the killed ones, and writes B.
    build(&vb, &out);
    assert!(snapshot(&out) == b, "the build after the kills differs");
    assert_eq!(leftovers(out.parent().unwrap()), Vec::<String>::new());
}

/// Runs `cmd` with a file-size limit: writing past `bytes` fails with EFBIG (SIGXFSZ ignored).
fn with_file_size_limit(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[test]
fn a_write_error_gives_one_clear_error_and_leaves_the_previous_site() {
    let v = notes_vault(20, "first");
    let out = v.dir().join("site");
    v.build_to(&out, &[]).ok();
    let a = snapshot(&out);
    // One huge note: its page cannot be written under a 200 KB file-size limit.
    v.write("Huge.md", &"A long line of text. ".repeat(40_000));
    let mut cmd = build_cmd(&v.root, &out);
    with_file_size_limit(&mut cmd, 200_000);
    let r = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one error: {stderr}");
    assert!(
        errors[0].contains("cannot write") && errors[0].contains("huge"),
        "{stderr}"
    );
    assert!(
        stderr.contains("previous site") && stderr.contains("left in place"),
        "{stderr}"
    );
    assert!(snapshot(&out) == a, "the previous site changed");
    assert_eq!(leftovers(out.parent().unwrap()), Vec::<String>::new());
    // Without the limit, the next build succeeds.
    let r = build_cmd(&v.root, &out).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.join("huge/index.html").exists());
}

#[test]
fn a_full_disk_or_a_read_only_one_gives_one_clear_error_and_leaves_the_previous_site() {
    // A real ENOSPC needs a small file system: a 3 MB tmpfs mounted in a private mount namespace
    // (as root, or as an unprivileged user with user namespaces).
    let probe = |args: &[&str]| {
        Command::new("unshare")
            .args(args)
            .args(["true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let unshare: &[&str] = if probe(&["--mount"]) {
        &["--mount"]
    } else if probe(&["--user", "--map-root-user", "--mount"]) {
        &["--user", "--map-root-user", "--mount"]
    } else {
        eprintln!("skipped: cannot create a mount namespace here (unshare)");
        return;
    };
    let small = notes_vault(5, "first");
    let big = notes_vault(600, "second");
    let disk = small.dir().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let script = format!(
        "set -u\n\
         mount -t tmpfs -o size=3m tmpfs '{disk}' || exit 90\n\
         '{bin}' build '{small}' -o '{disk}/site' --today {TODAY} -q || exit 91\n\
         cp -a '{disk}/site' '{disk}/../before'\n\
         NO_COLOR=1 '{bin}' build '{big}' -o '{disk}/site' --today {TODAY} -q 2>'{disk}/../stderr'\n\
         echo \"code=$?\"\n\
         diff -r '{disk}/../before' '{disk}/site' >/dev/null && echo same-site\n\
         ls -A '{disk}'\n\
         mount -o remount,ro '{disk}' || exit 92\n\
         NO_COLOR=1 '{bin}' build '{small}' -o '{disk}/site' --today {TODAY} -q 2>'{disk}/../stderr-ro'\n\
         echo \"ro-code=$?\"\n\
         diff -r '{disk}/../before' '{disk}/site' >/dev/null && echo ro-same-site\n",
        disk = disk.display(),
        bin = bin(),
        small = small.root.display(),
        big = big.root.display(),
    );
    let r = Command::new("unshare")
        .args(unshare)
        .args(["sh", "-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&r.stdout);
    if r.status.code() == Some(90) {
        eprintln!("skipped: cannot mount a tmpfs in the namespace");
        return;
    }
    let stderr = std::fs::read_to_string(small.dir().join("stderr")).unwrap_or_default();
    assert!(stdout.contains("code=1"), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("same-site"),
        "previous site changed: {stdout}"
    );
    // Only the site is left on the disk: no staging folder.
    let left: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("same-site"))
        .skip(1)
        .take_while(|l| !l.starts_with("ro-"))
        .collect();
    assert_eq!(left, vec!["site"], "{stdout}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("No space left on device")
            && stderr.contains("the disk is full")
            && stderr.contains("left in place"),
        "{stderr}"
    );
    // A file system that refuses writes (what a permission error is for root): one error, and
    // the site is untouched.
    let ro = std::fs::read_to_string(small.dir().join("stderr-ro")).unwrap_or_default();
    assert!(stdout.contains("ro-code=1"), "{stdout}\n{ro}");
    assert!(stdout.contains("ro-same-site"), "{stdout}");
    let errors: Vec<&str> = ro.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{ro}");
    assert!(errors[0].contains("Read-only file system"), "{ro}");
}
