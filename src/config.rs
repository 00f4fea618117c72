//! Configuration: `wikigen.toml` is read into [`RawConfig`] (strict: unknown keys are errors) and
//! validated into [`Config`] (globs compiled, base URL normalised, severities parsed).

use crate::diag::Severity;
use anyhow::{bail, Context as _, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `wikigen.toml` as written by the user.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawConfig {
    /// `[site]`
    pub site: RawSite,
    /// `[build]`
    pub build: RawBuild,
    /// `[vault]`
    pub vault: RawVault,
    /// `[privacy]`
    pub privacy: RawPrivacy,
    /// `[links]`
    pub links: RawLinks,
    /// `[theme]`
    pub theme: RawTheme,
    /// `[kinds]`: note classification.
    pub kinds: crate::people::config::KindsConfig,
    /// `[people]`: profile merging.
    pub people: crate::people::config::PeopleConfig,
    /// `[queries]`: Dataview and Tasks queries.
    pub queries: crate::query::QueryConfig,
    /// `[graph]`: the global and local graphs.
    pub graph: crate::graph::GraphConfig,
    /// `[extra]`: free-form, passed to templates as `site.extra`.
    pub extra: toml::Table,
}

/// `[site]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawSite {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// URL path the site is served under.
    pub base_url: String,
    /// `<html lang>`.
    pub language: String,
    /// `folder/note/` (true) or `folder/note.html` (false).
    pub pretty_urls: bool,
    /// Vault path of the home note.
    pub home: String,
    /// What to minify with minify-html.
    pub minify: Minify,
}

/// What the build minifies (`[site] minify`, `--minify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Minify {
    /// Nothing: files are written as rendered.
    None,
    /// The theme's CSS and JS (a few files, milliseconds); the default.
    Assets,
    /// Assets and every HTML page (about 11% smaller pages for about 3 s more per 10,000 notes).
    All,
}

impl Minify {
    /// Whether CSS and JS assets are minified.
    pub fn assets(self) -> bool {
        self != Minify::None
    }
    /// Whether HTML pages are minified.
    pub fn pages(self) -> bool {
        self == Minify::All
    }
}

impl Default for RawSite {
    fn default() -> Self {
        RawSite {
            title: "Wiki".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            pretty_urls: true,
            home: String::new(),
            minify: Minify::Assets,
        }
    }
}

/// `[build]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawBuild {
    /// Output folder, relative to the current directory.
    pub output: String,
    /// The date queries and overdue marks take as today (`YYYY-MM-DD`); empty for the build date.
    pub today: String,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            output: "public".into(),
            today: String::new(),
        }
    }
}

/// `[vault]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawVault {
    /// Globs (relative to the vault) of files and folders to skip.
    pub ignore: Vec<String>,
    /// Folders whose notes are never published.
    pub private_folders: Vec<String>,
    /// Skip the template folder configured in Obsidian's Templates/Templater settings.
    pub skip_obsidian_templates: bool,
    /// A single newline is a line break (Obsidian's default).
    pub hard_line_breaks: bool,
}

impl Default for RawVault {
    fn default() -> Self {
        RawVault {
            ignore: Vec::new(),
            private_folders: Vec::new(),
            skip_obsidian_templates: true,
            hard_line_breaks: true,
        }
    }
}

/// `[privacy]`
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawPrivacy {
    /// Frontmatter keys that are never output.
    pub private_fields: Vec<String>,
}

/// `[links]`
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawLinks {
    /// Severity of `unresolved-link`.
    pub unresolved: String,
    /// Severity of `missing-heading` and `missing-block`.
    pub missing_heading: String,
    /// Severity of `private-link`.
    pub private: String,
    /// Maximum nesting of embeds.
    pub embed_depth: usize,
    /// How many unlinked mentions a page lists (0 turns them off).
    pub unlinked_mentions: usize,
}

impl Default for RawLinks {
    fn default() -> Self {
        RawLinks {
            unresolved: "warning".into(),
            missing_heading: "warning".into(),
            private: "info".into(),
            embed_depth: 5,
            unlinked_mentions: 30,
        }
    }
}

/// `[theme]`
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawTheme {
    /// A theme folder with `templates/` and `static/` overriding the default theme by file name.
    pub dir: String,
}

/// Validated configuration used by every stage.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute vault root.
    pub vault: PathBuf,
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Base URL, starting and ending with `/`.
    pub base_url: String,
    /// Language.
    pub language: String,
    /// Pretty URLs.
    pub pretty_urls: bool,
    /// Home note (vault path), empty for the default lookup.
    pub home: String,
    /// What to minify.
    pub minify: Minify,
    /// Output folder (absolute).
    pub output: PathBuf,
    /// Compiled ignore globs.
    pub ignore: GlobSet,
    /// Private folders, NFC, `/`-separated, without trailing `/`, lower-cased.
    pub private_folders: Vec<String>,
    /// See [`RawVault::skip_obsidian_templates`].
    pub skip_obsidian_templates: bool,
    /// See [`RawVault::hard_line_breaks`].
    pub hard_line_breaks: bool,
    /// Frontmatter keys never output (lower-cased).
    pub private_fields: Vec<String>,
    /// Severity for unresolved links (`None` = ignore).
    pub unresolved: Option<Severity>,
    /// Severity for missing headings/blocks.
    pub missing_heading: Option<Severity>,
    /// Severity for links to private notes.
    pub private_link: Option<Severity>,
    /// Maximum embed depth.
    pub embed_depth: usize,
    /// How many unlinked mentions a page lists (0: none are looked for).
    pub unlinked_mentions: usize,
    /// Theme override folder (absolute), if any.
    pub theme_dir: Option<PathBuf>,
    /// `[extra]` as JSON.
    pub extra: serde_json::Value,
    /// `[kinds]`
    pub kinds: crate::people::config::KindsConfig,
    /// `[people]`
    pub people: crate::people::config::PeopleConfig,
    /// `[queries]`
    pub queries: crate::query::QueryConfig,
    /// `[graph]`
    pub graph: crate::graph::GraphConfig,
    /// Build date (`YYYY-MM-DD`), from `--today` or the clock.
    pub today: String,
}

/// Command-line values that override the config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--output`
    pub output: Option<PathBuf>,
    /// `--base-url`
    pub base_url: Option<String>,
    /// `--minify` / `--no-minify`
    pub minify: Option<Minify>,
    /// `--today`
    pub today: Option<String>,
}

fn parse_severity(key: &str, s: &str) -> Result<Option<Severity>> {
    Ok(match s {
        "error" => Some(Severity::Error),
        "warning" | "warn" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "ignore" | "off" => None,
        other => bail!(
            "[links] {key} = \"{other}\" is not a severity; use \"error\", \"warning\", \"info\" or \"ignore\""
        ),
    })
}

/// Normalises a base URL to start and end with `/` (`wiki` → `/wiki/`).
pub fn normalize_base_url(s: &str) -> String {
    let t = s.trim();
    if t.contains("://") {
        return if t.ends_with('/') {
            t.to_string()
        } else {
            format!("{t}/")
        };
    }
    let inner = t.trim_matches('/');
    if inner.is_empty() {
        "/".into()
    } else {
        format!("/{inner}/")
    }
}

/// Finds the config file: `explicit`, else `vault/wikigen.toml` when it exists.
pub fn find_config_file(vault: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let p = vault.join("wikigen.toml");
            p.is_file().then_some(p)
        }
    }
}

/// Reads and validates the configuration for `vault`.
pub fn load(vault: &Path, explicit: Option<&Path>, ov: &Overrides) -> Result<Config> {
    let file = find_config_file(vault, explicit);
    if explicit.is_some() && vault.join("wikigen.toml").is_file() {
        log::warn!(
            "using {} instead of {}: settings in the vault's own file (private folders too) do not apply",
            explicit.map(|p| p.display().to_string()).unwrap_or_default(),
            vault.join("wikigen.toml").display()
        );
    }
    let raw: RawConfig = match &file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read config file {}", path.display()))?;
            toml::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: invalid configuration: {}",
                    path.display(),
                    e.to_string().trim_end()
                )
            })?
        }
        None => RawConfig::default(),
    };
    let base_dir = file
        .as_ref()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| vault.to_path_buf());
    validate(raw, vault, &base_dir, ov)
}

/// Turns a [`RawConfig`] into a [`Config`]; relative theme paths are taken from `base_dir`.
pub fn validate(raw: RawConfig, vault: &Path, base_dir: &Path, ov: &Overrides) -> Result<Config> {
    let vault = std::path::absolute(vault)
        .with_context(|| format!("cannot resolve vault path {}", vault.display()))?;
    let mut gb = GlobSetBuilder::new();
    for g in &raw.vault.ignore {
        let glob = Glob::new(g).with_context(|| format!("[vault] ignore: bad glob {g:?}"))?;
        gb.add(glob);
        // `Templates` also ignores everything inside it.
        if !g.ends_with("/**") {
            if let Ok(inner) = Glob::new(&format!("{}/**", g.trim_end_matches('/'))) {
                gb.add(inner);
            }
        }
    }
    let ignore = gb.build().context("[vault] ignore: cannot compile globs")?;
    let output = match &ov.output {
        Some(p) => std::path::absolute(p)?,
        None => std::path::absolute(&raw.build.output)?,
    };
    let theme_dir = if raw.theme.dir.trim().is_empty() {
        None
    } else {
        let p = Path::new(raw.theme.dir.trim());
        Some(if p.is_absolute() {
            p.to_path_buf()
        } else {
            base_dir.join(p)
        })
    };
    if let Some(t) = &theme_dir {
        if !t.is_dir() {
            bail!(
                "[theme] dir = {:?}: no such folder",
                t.display().to_string()
            );
        }
    }
    let today = match (&ov.today, raw.build.today.trim()) {
        (Some(t), _) => {
            let d = crate::paths::parse_date(t)
                .with_context(|| format!("--today {t:?}: expected a date like 2026-03-01"))?;
            crate::paths::format_date(d)
        }
        (None, t) if !t.is_empty() => {
            let d = crate::paths::parse_date(t).with_context(|| {
                format!("[build] today = {t:?}: expected a date like 2026-03-01")
            })?;
            crate::paths::format_date(d)
        }
        (None, _) => source_date_epoch().unwrap_or_else(crate::paths::today),
    };
    let extra = serde_json::to_value(&raw.extra).unwrap_or(serde_json::Value::Null);
    Ok(Config {
        vault,
        title: raw.site.title,
        description: raw.site.description,
        base_url: normalize_base_url(ov.base_url.as_deref().unwrap_or(&raw.site.base_url)),
        language: raw.site.language,
        pretty_urls: raw.site.pretty_urls,
        home: raw.site.home,
        minify: ov.minify.unwrap_or(raw.site.minify),
        output,
        ignore,
        private_folders: raw
            .vault
            .private_folders
            .iter()
            .map(|f| crate::paths::nfc(f.trim_matches('/')).to_lowercase())
            .filter(|f| !f.is_empty())
            .collect(),
        skip_obsidian_templates: raw.vault.skip_obsidian_templates,
        hard_line_breaks: raw.vault.hard_line_breaks,
        private_fields: private_fields(&raw.privacy.private_fields, &raw.people),
        unresolved: parse_severity("unresolved", &raw.links.unresolved)?,
        missing_heading: parse_severity("missing_heading", &raw.links.missing_heading)?,
        private_link: parse_severity("private", &raw.links.private)?,
        embed_depth: raw.links.embed_depth.clamp(1, 50),
        unlinked_mentions: raw.links.unlinked_mentions.min(10_000),
        theme_dir,
        extra,
        kinds: raw.kinds,
        people: raw.people,
        queries: raw.queries,
        graph: crate::graph::GraphConfig {
            local_depth: raw.graph.local_depth.clamp(1, 2),
            ..raw.graph
        },
        today,
    })
}

/// The date of `SOURCE_DATE_EPOCH` (reproducible builds), when set.
fn source_date_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some(crate::paths::format_date(t.date()))
}

/// `[privacy] private_fields`, lower-cased, with every `[people] synonyms` name of them
/// (`phone` also hides `mobile` and `cell`).
fn private_fields(fields: &[String], people: &crate::people::config::PeopleConfig) -> Vec<String> {
    let mut out: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
    for (alias, canonical) in &people.synonyms {
        if out.contains(canonical) && !out.contains(alias) {
            out.push(alias.clone());
        }
    }
    out
}

/// The commented `wikigen.toml` written by `wikigen init`, with every default.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default_config.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_normalised() {
        assert_eq!(normalize_base_url(""), "/");
        assert_eq!(normalize_base_url("wiki"), "/wiki/");
        assert_eq!(normalize_base_url("/wiki/"), "/wiki/");
        assert_eq!(normalize_base_url("/a/b"), "/a/b/");
    }

    #[test]
    fn default_config_file_parses_and_unknown_keys_fail() {
        let raw: RawConfig = toml::from_str(DEFAULT_CONFIG_TOML).unwrap();
        assert_eq!(raw.site.title, "Wiki");
        assert!(raw.vault.hard_line_breaks);
        let err = toml::from_str::<RawConfig>("[site]\ntitel = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
    }
}
