//! Command line (clap): `build`, `check`, `serve` and `init`, shaped like zola and mdbook.

use crate::build::{build, BuildReport, Mode};
use crate::config::{self, Overrides};
use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// wikigen turns an Obsidian-style notes vault into a fast, searchable, self-contained static wiki.
///
/// Point it at a vault (markdown notes with YAML frontmatter and attachments) and it writes a
/// site that any static file server can serve, under any sub-path, with no network.
/// Set RUST_LOG=wikigen=debug for detailed logs.
#[derive(Debug, Parser)]
#[command(name = "wikigen", version, propagate_version = true)]
pub struct Cli {
    /// Only print errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// List every diagnostic (by default at most 10 of each kind are listed) and infos too.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    /// Colours on a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from a vault.
    Build(BuildArgs),
    /// Check a vault: everything a build does except writing; prints the diagnostics.
    Check(CheckArgs),
    /// Build the site, serve it on 127.0.0.1 and rebuild and reload the browser on every change.
    ///
    /// The site is built into a private temporary folder (never into the vault or `public/`)
    /// and served at the root of http://127.0.0.1:PORT/. Saving a note re-renders the pages it
    /// touches (its own, backlinks, embeds, profiles, query results) and every open page
    /// reloads; a broken template or configuration shows an overlay over the last good page.
    Serve(ServeArgs),
    /// Write a commented wikigen.toml with every default (and optionally the default theme).
    Init(InitArgs),
}

/// `wikigen serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The vault folder.
    #[arg(default_value = ".")]
    pub vault: PathBuf,
    /// Configuration file (default: VAULT/wikigen.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but 127.0.0.1 or ::1 lets other machines read the wiki.
    #[arg(short, long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// The date used as "today" (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Options shared by `build` and `check`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The vault folder.
    #[arg(default_value = ".")]
    pub vault: PathBuf,
    /// Configuration file (default: VAULT/wikigen.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail (exit code 1) on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Write a JSON report of every diagnostic and every vault file's outcome.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The date used as "today" (YYYY-MM-DD), for reproducible builds.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// `wikigen build`
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: [build] output, or `public`).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// URL path the site is served under, e.g. /wiki/ (overrides [site] base_url).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Replace the output folder even if wikigen did not create it.
    #[arg(long)]
    force: bool,
    /// What to minify with minify-html: none, assets (CSS and JS, the default) or all (also
    /// every HTML page: about 11% smaller, about 3 s more per 10,000 notes). Overrides
    /// [site] minify.
    #[arg(long, value_name = "WHAT")]
    minify: Option<crate::config::Minify>,
    /// Minify nothing (same as --minify none).
    #[arg(long, conflicts_with = "minify")]
    no_minify: bool,
}

/// `wikigen check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Print the merged person profiles as JSON on standard output (only those whose name
    /// contains NAME, when given as --profiles=NAME): which notes were merged, each field's value, alternates and
    /// sources, and how repeated facts were folded.
    #[arg(
        long,
        value_name = "NAME",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    profiles: Option<String>,
}

/// `wikigen init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write wikigen.toml into (usually the vault).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Also copy the default theme to DIR/theme/ for editing, and point [theme] dir at it.
    #[arg(long)]
    theme: bool,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

fn use_color(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg:20} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<u8> {
    let color = use_color(cli.color);
    match &cli.command {
        Command::Init(a) => init(a, cli.quiet).map(|_| 0),
        Command::Serve(a) => crate::serve::run(crate::serve::Options {
            source: crate::serve::engine::Source {
                vault: a.vault.clone(),
                config: a.config.clone(),
                overrides: Overrides {
                    today: a.today.clone(),
                    ..Default::default()
                },
            },
            bind: a.bind,
            port: a.port,
            open: a.open,
            quiet: cli.quiet,
        })
        .map(|_| 0),
        Command::Build(a) => {
            let ov = Overrides {
                output: a.output.clone(),
                base_url: a.base_url.clone(),
                minify: if a.no_minify {
                    Some(crate::config::Minify::None)
                } else {
                    a.minify
                },
                today: a.common.today.clone(),
            };
            run_build(&a.common, &ov, Mode::Build, a.force, &cli, color)
        }
        Command::Check(a) => {
            let ov = Overrides {
                today: a.common.today.clone(),
                ..Default::default()
            };
            let mode = match &a.profiles {
                Some(f) => Mode::Profiles(f.clone()),
                None => Mode::Check,
            };
            run_build(&a.common, &ov, mode, false, &cli, color)
        }
    }
}

fn run_build(
    c: &CommonArgs,
    ov: &Overrides,
    mode: Mode,
    force: bool,
    cli: &Cli,
    color: bool,
) -> Result<u8> {
    let cfg = config::load(&c.vault, c.config.as_deref(), ov)?;
    let output = cfg.output.clone();
    let pb = progress_bar(cli.quiet);
    let report = build(cfg, mode.clone(), force, &pb);
    pb.finish_and_clear();
    let report = report?;
    if let Some(path) = &c.report {
        write_report(path, &report)?;
    }
    if let Some(p) = &report.profiles {
        println!("{}", serde_json::to_string_pretty(p)?);
    }
    print_diagnostics(&report, cli, color, &c.vault);
    let counts = report.counts();
    if !cli.quiet {
        let secs = report.elapsed.as_secs_f64();
        let mut extra = Vec::new();
        if counts.errors > 0 {
            extra.push(format!(
                "{} error{}",
                counts.errors,
                if counts.errors == 1 { "" } else { "s" }
            ));
        }
        if counts.warnings > 0 {
            extra.push(format!(
                "{} warning{}",
                counts.warnings,
                if counts.warnings == 1 { "" } else { "s" }
            ));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        let private = if report.private > 0 {
            format!(", {} private left out", report.private)
        } else {
            String::new()
        };
        match mode {
            Mode::Build => println!(
                "Built {} pages from {} notes{private} in {secs:.2}s{extra} → {}",
                report.pages,
                report.notes,
                display_path(&output)
            ),
            Mode::Check => println!(
                "Checked {} notes{private} in {secs:.2}s{extra}",
                report.notes
            ),
            // Standard output carries the JSON.
            Mode::Profiles(_) => eprintln!(
                "Checked {} notes{private} in {secs:.2}s{extra}",
                report.notes
            ),
        }
    }
    let failed = counts.errors > 0 || (c.strict && counts.warnings > 0);
    Ok(if failed { 1 } else { 0 })
}

fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = p.strip_prefix(&cwd).unwrap_or(p).display().to_string();
    format!("{shown}/")
}

/// Diagnostics shown per code on the terminal (all of them with `--verbose`).
const SHOWN_PER_CODE: usize = 10;

fn print_diagnostics(report: &BuildReport, cli: &Cli, color: bool, vault: &Path) {
    let diags: Vec<_> = if cli.quiet {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .cloned()
            .collect()
    } else {
        report.diagnostics.clone()
    };
    let per_code = if cli.verbose {
        None
    } else {
        Some(SHOWN_PER_CODE)
    };
    let text = crate::diag::format_grouped(&diags, per_code, cli.verbose, color);
    if !text.is_empty() {
        eprint!("{text}");
    }
    // When some were left out, the full list goes to a file and the terminal gets the counts.
    let summary = crate::diag::summary(&diags, cli.verbose);
    let left_out = !cli.verbose && summary.iter().any(|(_, _, n)| *n > SHOWN_PER_CODE);
    let file = full_list_file(vault);
    if left_out {
        let full = crate::diag::format_grouped(&report.diagnostics, None, true, false);
        let header = format!(
            "{FULL_LIST_HEADER} {} ({} diagnostics)\n\n",
            vault.display(),
            report.diagnostics.len()
        );
        let counts: Vec<String> = summary
            .iter()
            .map(|(sev, code, n)| format!("{n} {sev}[{code}]"))
            .collect();
        match std::fs::write(&file, header + &full) {
            Ok(()) => eprintln!(
                "{}; the full list is in {}",
                counts.join(", "),
                file.display()
            ),
            Err(e) => eprintln!(
                "{}; the full list could not be written to {} ({e}): use --report FILE",
                counts.join(", "),
                file.display()
            ),
        }
    } else if std::fs::read_to_string(&file).is_ok_and(|t| t.starts_with(FULL_LIST_HEADER)) {
        // A list from an earlier build of this vault would be stale now.
        let _ = std::fs::remove_file(&file);
    }
}

/// The first words of the full-list file, so only wikigen's own file is ever replaced.
const FULL_LIST_HEADER: &str = "# wikigen: every diagnostic of the last build of";

/// Where the full list of diagnostics of a vault goes when the terminal shows only some: a file
/// in the temporary folder (never in the vault, which would publish it, nor in the site), named
/// after the vault's path.
fn full_list_file(vault: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let abs = std::path::absolute(vault).unwrap_or_else(|_| vault.to_path_buf());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    abs.hash(&mut h);
    let name = abs
        .file_name()
        .map(|n| crate::paths::slugify(&n.to_string_lossy()))
        .unwrap_or_default();
    std::env::temp_dir().join(format!(
        "wikigen-{name}-{:08x}-diagnostics.txt",
        h.finish() as u32
    ))
}

fn write_report(path: &Path, report: &BuildReport) -> Result<()> {
    let json = serde_json::to_string_pretty(report)?;
    std::fs::write(path, json)
        .with_context(|| format!("cannot write the report to {}", path.display()))
}

fn init(a: &InitArgs, quiet: bool) -> Result<()> {
    std::fs::create_dir_all(&a.dir)
        .with_context(|| format!("cannot create {}", a.dir.display()))?;
    let cfg_path = a.dir.join("wikigen.toml");
    if cfg_path.exists() && !a.force {
        anyhow::bail!(
            "{} already exists (use --force to overwrite it)",
            cfg_path.display()
        );
    }
    let mut text = config::DEFAULT_CONFIG_TOML.to_string();
    if a.theme {
        let dest = a.dir.join("theme");
        let files = crate::render::theme::eject(&dest, a.force)?;
        text = text.replace("dir = \"\"", "dir = \"theme\"");
        if !quiet {
            println!(
                "Copied the default theme ({} files) to {}",
                files.len(),
                dest.display()
            );
        }
    }
    std::fs::write(&cfg_path, text)
        .with_context(|| format!("cannot write {}", cfg_path.display()))?;
    if !quiet {
        println!("Wrote {}", cfg_path.display());
    }
    Ok(())
}
