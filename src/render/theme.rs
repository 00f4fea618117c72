//! Render stage, themes: the default theme is embedded in the binary; a `[theme] dir` folder and
//! `<vault>/.wikigen/` override templates and static files by name. All templates live in one
//! Tera instance; the defaults stay reachable as `default/<name>` for `{% extends %}`.

use crate::diag::{Code, Diagnostic, Severity};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default theme, embedded at compile time.
pub static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Template names every theme provides.
pub const TEMPLATES: &[&str] = &[
    "base.html",
    "note.html",
    "index.html",
    "folder.html",
    "tag.html",
    "tags.html",
    "missing.html",
    "404.html",
    "person.html",
    "meeting.html",
    "project.html",
    "people.html",
    "meetings.html",
    "projects.html",
    "tasks.html",
    "search.html",
    "graph.html",
];

/// Loaded templates and static files.
pub struct Theme {
    /// The Tera instance with every template.
    pub tera: tera::Tera,
    /// Static files by relative path (written under `_wikigen/`).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Where each overridden template came from (name → file), for error messages.
    pub sources: BTreeMap<String, PathBuf>,
    /// The built-in templates alone, when some are overridden: a page whose overridden template
    /// fails to render is rendered with these instead, so no note goes missing.
    pub fallback: Option<tera::Tera>,
}

/// Where a Tera error happened: template name, line and column (1-based), when Tera knows.
pub fn tera_location(e: &tera::Error) -> Option<(String, usize, usize)> {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some((
            r.filename().to_string(),
            r.span().start_line,
            r.span().start_col + 1,
        )),
        _ => None,
    }
}

/// Formats a Tera error with its causes.
pub fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !msg.contains(&t) {
            msg.push_str(": ");
            msg.push_str(&t);
        }
        src = s.source();
    }
    msg
}

fn override_dirs(theme_dir: Option<&Path>, vault: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(t) = theme_dir {
        v.push(t.to_path_buf());
    }
    v.push(vault.join(".wikigen"));
    v
}

/// Loads the default theme, then the overrides. A template that fails to load is reported
/// (`template-error`) and the default one is used instead.
pub fn load(
    theme_dir: Option<&Path>,
    vault: &Path,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<Theme> {
    let mut tera = tera::Tera::new();
    let mut defaults: Vec<(String, String)> = Vec::new();
    let mut assets = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        for f in dir.files() {
            let name = f
                .path()
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let text = f.contents_utf8().unwrap_or_default().to_string();
            defaults.push((format!("default/{name}"), text.clone()));
            defaults.push((name, text));
        }
    }
    collect_embedded_assets(DEFAULT_THEME.get_dir("static"), &mut assets);
    tera.add_raw_templates(defaults.iter().map(|(a, b)| (a.as_str(), b.as_str())))
        .map_err(|e| anyhow::anyhow!("the built-in theme failed to load: {}", tera_error(&e)))?;
    let mut sources = BTreeMap::new();
    let mut fallback = Some(tera.clone());
    for dir in override_dirs(theme_dir, vault) {
        let tdir = dir.join("templates");
        if let Ok(rd) = std::fs::read_dir(&tdir) {
            let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
            files.sort();
            for p in files
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
            {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                let text = match std::fs::read_to_string(&p) {
                    Ok(t) => t,
                    Err(e) => {
                        diags.push(Diagnostic::new(
                            Severity::Error,
                            Code::TemplateError,
                            p.display().to_string(),
                            0,
                            0,
                            format!("cannot read template: {e}"),
                            "fix the template; the default template is used until then",
                        ));
                        continue;
                    }
                };
                let previous = tera.contains_template(&name);
                match tera.add_raw_template(&name, &text) {
                    Ok(()) => {
                        sources.insert(name, p);
                    }
                    Err(e) => {
                        diags.push(template_diag(&p, &e));
                        if previous {
                            // Restore the default so every page still renders.
                            if let Some((_, d)) = defaults.iter().find(|(n, _)| *n == name) {
                                let _ = tera.add_raw_template(&name, d);
                            }
                        }
                    }
                }
            }
        }
        collect_disk_assets(&dir.join("static"), &dir.join("static"), &mut assets);
    }
    if sources.is_empty() {
        fallback = None;
    }
    Ok(Theme {
        tera,
        assets,
        sources,
        fallback,
    })
}

fn template_diag(p: &Path, e: &tera::Error) -> Diagnostic {
    let (line, column) = tera_location(e).map_or((0, 0), |(_, l, c)| (l, c));
    Diagnostic::new(
        Severity::Error,
        Code::TemplateError,
        p.display().to_string(),
        line,
        column,
        tera_error(e),
        "fix the template; the default template is used until then",
    )
}

fn collect_embedded_assets(dir: Option<&Dir<'_>>, out: &mut BTreeMap<String, Vec<u8>>) {
    let Some(dir) = dir else { return };
    for f in dir.files() {
        let rel = f.path().strip_prefix("static").unwrap_or(f.path());
        out.insert(
            rel.to_string_lossy().replace('\\', "/"),
            f.contents().to_vec(),
        );
    }
    for d in dir.dirs() {
        collect_embedded_assets(Some(d), out);
    }
}

fn collect_disk_assets(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_disk_assets(root, &p, out);
        } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), std::fs::read(&p)) {
            out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
}

/// Copies the default theme to `dest` (`templates/` and `static/`), for `wikigen init --theme`.
pub fn eject(dest: &Path, force: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    fn walk(
        d: &Dir<'_>,
        dest: &Path,
        force: bool,
        written: &mut Vec<PathBuf>,
    ) -> anyhow::Result<()> {
        for f in d.files() {
            let target = dest.join(f.path());
            if target.exists() && !force {
                anyhow::bail!(
                    "{} already exists (use --force to overwrite)",
                    target.display()
                );
            }
            if let Some(p) = target.parent() {
                std::fs::create_dir_all(p)?;
            }
            std::fs::write(&target, f.contents())?;
            written.push(target);
        }
        for sub in d.dirs() {
            walk(sub, dest, force, written)?;
        }
        Ok(())
    }
    walk(&DEFAULT_THEME, dest, force, &mut written)?;
    Ok(written)
}
