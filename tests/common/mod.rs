//! Test harness for wikigen's integration tests: builds small temporary vaults, runs the real
//! `wikigen` binary on them and inspects the generated site.
//!
//! Every test file does `mod common;` and uses only the parts it needs, so unused helpers are
//! allowed here.
#![allow(dead_code)]

pub mod browser;
pub mod serve;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The date passed as `--today`, so builds are reproducible.
pub const TODAY: &str = "2026-03-01";

/// Path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_wikigen")
}

/// A temporary folder holding a vault (`<tmp>/vault`) and room for outputs beside it.
pub struct Vault {
    /// Removed on drop.
    pub tmp: tempfile::TempDir,
    /// The vault root.
    pub root: PathBuf,
}

impl Vault {
    /// The temporary folder holding the vault.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// Default output folder: `<tmp>/out`, a sibling of the vault.
    pub fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    /// Writes (or overwrites) a text file in the vault.
    pub fn write(&self, rel: &str, contents: &str) -> &Self {
        self.write_bytes(rel, contents.as_bytes())
    }

    /// Adds `text` at the end of a text file of the vault (a save that appends a line).
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let old = std::fs::read_to_string(self.root.join(rel)).unwrap();
        self.write(rel, &format!("{old}{text}"))
    }

    /// Writes (or overwrites) a file in the vault.
    pub fn write_bytes(&self, rel: &str, contents: &[u8]) -> &Self {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        self
    }

    /// Removes a file from the vault.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Builds the vault into [`Vault::out`] with `--today`, `--no-minify` and `--report`.
    pub fn build(&self, extra: &[&str]) -> Build {
        self.build_to(&self.out(), extra)
    }

    /// Builds the vault into `out` (with `--today`, `--no-minify` and `--report`).
    pub fn build_to(&self, out: &Path, extra: &[&str]) -> Build {
        let mut args = vec!["--today", TODAY];
        args.extend_from_slice(extra);
        self.build_as_configured(out, &args)
    }

    /// Builds the vault into [`Vault::out`] with the "today" of its `wikigen.toml` (no `--today`).
    pub fn build_configured(&self, extra: &[&str]) -> Build {
        self.build_as_configured(&self.out(), extra)
    }

    /// Builds the vault into `out` with the "today" of its `wikigen.toml` (no `--today`).
    pub fn build_configured_to(&self, out: &Path, extra: &[&str]) -> Build {
        self.build_as_configured(out, extra)
    }

    fn build_as_configured(&self, out: &Path, extra: &[&str]) -> Build {
        let report = self.tmp.path().join("report.json");
        let _ = std::fs::remove_file(&report);
        let mut args: Vec<String> = vec![
            "build".into(),
            self.root.display().to_string(),
            "-o".into(),
            out.display().to_string(),
            "--no-minify".into(),
            "--report".into(),
            report.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        self.run_with_report(&args, &report, out.to_path_buf())
    }

    /// Runs wikigen with `args` in the temp folder and reads the JSON report it wrote.
    fn run_with_report(&self, args: &[String], report: &Path, out: PathBuf) -> Build {
        let run = run_in(self.tmp.path(), args);
        let report = std::fs::read_to_string(report)
            .ok()
            .map(|t| serde_json::from_str(&t).expect("the report is valid JSON"));
        Build { run, out, report }
    }

    /// Runs `wikigen check VAULT --today … --report …` plus `extra`.
    pub fn check(&self, extra: &[&str]) -> Build {
        let report = self.tmp.path().join("report.json");
        let _ = std::fs::remove_file(&report);
        let mut args: Vec<String> = vec![
            "check".into(),
            self.root.display().to_string(),
            "--today".into(),
            TODAY.into(),
            "--report".into(),
            report.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        self.run_with_report(&args, &report, self.out())
    }
}

/// Staging or old-site folders a build left in `dir` (the folder holding an output folder).
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("wikigen-staging") || n.contains("wikigen-old"))
        .collect()
}

/// A vault made of `(path, contents)` pairs.
pub fn vault(files: &[(&str, &str)]) -> Vault {
    let tmp = tempfile::Builder::new()
        .prefix("wikigen-test-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("vault");
    std::fs::create_dir_all(&root).unwrap();
    let v = Vault { tmp, root };
    for (p, c) in files {
        v.write(p, c);
    }
    v
}

/// A vault copied from `tests/vaults/<name>/`.
pub fn fixture(name: &str) -> Vault {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vaults")
        .join(name);
    assert!(src.is_dir(), "no fixture vault {}", src.display());
    let v = vault(&[]);
    copy_dir(&src, &v.root);
    v
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// How long one run of the binary may take before the test fails (a hang is a failure).
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Runs the binary with `args` in `cwd`, with colours off; fails the test after [`TIMEOUT`].
pub fn run_in(cwd: &Path, args: &[String]) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run wikigen");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let t_err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for wikigen") {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wikigen {args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

/// Runs the binary with string arguments in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Run {
    run_in(cwd, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// A finished build: the run, the output folder and the parsed `--report`.
#[derive(Debug)]
pub struct Build {
    /// Exit code and streams.
    pub run: Run,
    /// The output folder.
    pub out: PathBuf,
    /// The `--report` JSON, when written.
    pub report: Option<Value>,
}

/// One diagnostic from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// One `files[]` entry of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub path: String,
    pub outcome: String,
    pub url: Option<String>,
}

/// An `<a>` element found in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// `href` (raw, entities not decoded), empty when absent.
    pub href: String,
    /// `class`, empty when absent.
    pub class: String,
    /// The whole opening tag.
    pub tag: String,
    /// Inner HTML.
    pub inner: String,
}

impl Build {
    /// Asserts exit code 0, printing the streams otherwise.
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.run.code, 0,
            "build failed\nstdout:\n{}\nstderr:\n{}",
            self.run.stdout, self.run.stderr
        );
        self
    }

    /// The file for a site path: `""` → `index.html`, `a/b/` → `a/b/index.html`, else as is.
    pub fn file_for(&self, site_path: &str) -> PathBuf {
        let p = site_path.trim_start_matches('/');
        let rel = if p.is_empty() {
            "index.html".to_string()
        } else if p.ends_with('/') {
            format!("{p}index.html")
        } else {
            p.to_string()
        };
        self.out.join(rel)
    }

    /// Does the site have this page (site path as in [`Build::file_for`])?
    pub fn has(&self, site_path: &str) -> bool {
        self.file_for(site_path).is_file()
    }

    /// The HTML of a page by site path (`notes/ada/`, `404.html`, `""`).
    pub fn page(&self, site_path: &str) -> String {
        let f = self.file_for(site_path);
        std::fs::read_to_string(&f).unwrap_or_else(|e| {
            panic!(
                "no page {site_path:?} ({}): {e}\nfiles: {:#?}\nstderr:\n{}",
                f.display(),
                self.files(),
                self.run.stderr
            )
        })
    }

    /// `<main>…</main>` of a page.
    pub fn main(&self, site_path: &str) -> String {
        main_of(&self.page(site_path))
    }

    /// The rendered body of a note page (the `note-content` div up to the backlinks section).
    pub fn content(&self, site_path: &str) -> String {
        note_content(&self.page(site_path))
    }

    /// The backlinks section of a note page.
    pub fn backlinks(&self, site_path: &str) -> String {
        section(
            &self.page(site_path),
            "<section class=\"backlinks\"",
            "</section>",
        )
    }

    /// Every file in the output, relative, `/`-separated, sorted.
    pub fn files(&self) -> Vec<String> {
        list_files(&self.out)
    }

    /// `(file, count)` for every output file containing `needle` (bytes, case-sensitive).
    pub fn grep(&self, needle: &str) -> Vec<(String, usize)> {
        grep_dir(&self.out, needle)
    }

    /// The report, which must exist.
    pub fn report(&self) -> &Value {
        self.report
            .as_ref()
            .unwrap_or_else(|| panic!("no report written\nstderr:\n{}", self.run.stderr))
    }

    /// Every diagnostic of the report.
    pub fn diags(&self) -> Vec<Diag> {
        self.report()["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| Diag {
                severity: d["severity"].as_str().unwrap_or_default().into(),
                code: d["code"].as_str().unwrap_or_default().into(),
                file: d["file"].as_str().unwrap_or_default().into(),
                line: d["line"].as_u64().unwrap_or_default(),
                column: d["column"].as_u64().unwrap_or_default(),
                message: d["message"].as_str().unwrap_or_default().into(),
            })
            .collect()
    }

    /// Diagnostics with this code.
    pub fn diags_with(&self, code: &str) -> Vec<Diag> {
        self.diags()
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// (file, line, column) of every diagnostic with this code.
    pub fn diag_locations(&self, code: &str) -> Vec<(String, u64, u64)> {
        self.diags_with(code)
            .iter()
            .map(|d| (d.file.clone(), d.line, d.column))
            .collect()
    }

    /// Every `files[]` entry of the report.
    pub fn outcomes(&self) -> Vec<Outcome> {
        self.report()["files"]
            .as_array()
            .expect("files array")
            .iter()
            .map(|f| Outcome {
                path: f["path"].as_str().unwrap_or_default().into(),
                outcome: f["outcome"].as_str().unwrap_or_default().into(),
                url: f["url"].as_str().map(String::from),
            })
            .collect()
    }

    /// The outcome of one vault file in the report.
    pub fn outcome(&self, path: &str) -> Outcome {
        self.outcomes()
            .into_iter()
            .find(|o| o.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the report: {:#?}", self.outcomes()))
    }

    /// The one `<a>` in a page's note body whose text is `text`.
    pub fn link(&self, site_path: &str, text: &str) -> Anchor {
        let c = self.content(site_path);
        let found = anchors_with_text(&c, text);
        assert_eq!(found.len(), 1, "expected exactly one <a> with text {text:?} in {site_path}, found {found:#?}\ncontent:\n{c}");
        found.into_iter().next().unwrap()
    }
}

/// Lists every file below `dir`, relative, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// `(file, count)` for every file below `dir` containing `needle`.
pub fn grep_dir(dir: &Path, needle: &str) -> Vec<(String, usize)> {
    let n = needle.as_bytes();
    list_files(dir)
        .into_iter()
        .filter_map(|f| {
            let bytes = std::fs::read(dir.join(&f)).ok()?;
            let c = count_bytes(&bytes, n);
            (c > 0).then_some((f, c))
        })
        .collect()
}

fn count_bytes(hay: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() || hay.len() < needle.len() {
        return 0;
    }
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Number of (non-overlapping is not needed here) occurrences of `needle` in `hay`.
pub fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The text between `start` (included) and the first `end` after it (included); empty if absent.
pub fn section(html: &str, start: &str, end: &str) -> String {
    let Some(s) = html.find(start) else {
        return String::new();
    };
    match html[s..].find(end) {
        Some(e) => html[s..s + e + end.len()].to_string(),
        None => html[s..].to_string(),
    }
}

/// `<main …>…</main>` of a page.
pub fn main_of(html: &str) -> String {
    let s = section(html, "<main", "</main>");
    assert!(!s.is_empty(), "no <main> in page:\n{html}");
    s
}

/// The note body: from `<div class="note-content prose">` to the backlinks section.
pub fn note_content(html: &str) -> String {
    let start = "<div class=\"note-content prose\">";
    let Some(s) = html.find(start) else {
        panic!("no note-content in page:\n{html}")
    };
    let rest = &html[s..];
    let end = rest
        .find("<section class=\"backlinks\"")
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

/// Removes tags from HTML and decodes the common entities.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// Decodes `&amp; &lt; &gt; &quot; &#39;`.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an opening tag (raw), if present.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let s = tag.find(&pat)? + pat.len();
    let e = tag[s..].find('"')?;
    Some(tag[s..s + e].to_string())
}

/// Every `<a>` element of `html`.
pub fn anchors(html: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find("<a") {
        let s = i + off;
        let next = html[s + 2..].chars().next();
        if !matches!(next, Some(' ') | Some('>')) {
            i = s + 2;
            continue;
        }
        let Some(gt) = html[s..].find('>') else { break };
        let tag = &html[s..s + gt + 1];
        let body_start = s + gt + 1;
        let close = html[body_start..]
            .find("</a>")
            .map(|c| body_start + c)
            .unwrap_or(html.len());
        out.push(Anchor {
            href: attr(tag, "href").unwrap_or_default(),
            class: attr(tag, "class").unwrap_or_default(),
            tag: tag.to_string(),
            inner: html[body_start..close].to_string(),
        });
        i = body_start;
    }
    out
}

/// Every `<a>` whose visible text (tags stripped, entities decoded, trimmed) is `text`.
pub fn anchors_with_text(html: &str, text: &str) -> Vec<Anchor> {
    anchors(html)
        .into_iter()
        .filter(|a| strip_tags(&a.inner).trim() == text)
        .collect()
}

/// Every value of `attr_name="…"` in `html` (e.g. every `href`).
pub fn attr_values(html: &str, attr_name: &str) -> Vec<String> {
    let pat = format!(" {attr_name}=\"");
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find(&pat) {
        let s = i + off + pat.len();
        let Some(e) = html[s..].find('"') else { break };
        out.push(html[s..s + e].to_string());
        i = s + e;
    }
    out
}

/// Writes a text file, creating parent folders.
pub fn write_file(path: &Path, contents: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

/// Resolves `href` (relative, no scheme) against the folder of `page` (a path in the output).
pub fn resolve_rel(page: &str, href: &str) -> String {
    let dir = match page.rfind('/') {
        Some(i) => &page[..i],
        None => "",
    };
    let path = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{href} climbs above the site root from {page}"
                );
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') || path.is_empty() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str("index.html");
    }
    out
}

/// Is this URL one a relative-link check should follow?
pub fn is_site_relative(u: &str) -> bool {
    !(u.is_empty()
        || u.starts_with('#')
        || u.starts_with("data:")
        || u.starts_with("http://")
        || u.starts_with("https://")
        || u.starts_with("mailto:")
        || u.starts_with('/'))
}

/// Every relative `href`/`src` of every page that does not point at an existing output file.
pub fn broken_relative_links(b: &Build) -> Vec<String> {
    let mut broken = Vec::new();
    for f in b.files().iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(b.out.join(f)).unwrap();
        for a in ["href", "src"] {
            for u in attr_values(&html, a) {
                if !is_site_relative(&u) {
                    continue;
                }
                let target = resolve_rel(f, &unescape(&u));
                let decoded = percent_encoding::percent_decode_str(&target)
                    .decode_utf8_lossy()
                    .to_string();
                if !b.out.join(&decoded).is_file() {
                    broken.push(format!("{f}: {a}=\"{u}\" → {decoded}"));
                }
            }
        }
    }
    broken
}

/// Every link (`href` with a `#fragment`, same-page or relative) whose target page has no
/// element with that id.
pub fn dangling_fragments(b: &Build) -> Vec<String> {
    let mut bad = Vec::new();
    for f in b.files().iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(b.out.join(f)).unwrap();
        for u in attr_values(&html, "href") {
            let Some((path, frag)) = u.split_once('#') else {
                continue;
            };
            if frag.is_empty() || !(path.is_empty() || is_site_relative(path)) {
                continue;
            }
            let target = if path.is_empty() {
                f.clone()
            } else {
                resolve_rel(f, &unescape(path))
            };
            let decoded = percent_encoding::percent_decode_str(&target)
                .decode_utf8_lossy()
                .to_string();
            let Ok(t) = std::fs::read_to_string(b.out.join(&decoded)) else {
                bad.push(format!("{f}: href=\"{u}\": no page {decoded}"));
                continue;
            };
            if !t.contains(&format!("id=\"{frag}\"")) {
                bad.push(format!("{f}: href=\"{u}\": {decoded} has no id=\"{frag}\""));
            }
        }
    }
    bad
}
