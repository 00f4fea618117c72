//! Diagnostics: every content problem is data (severity, code, file, line, column, message, help),
//! collected from every stage and printed grouped at the end of a build.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a build.
    Info,
    /// Something is probably wrong; fails the build with `--strict`.
    Warning,
    /// Something is wrong; fails the build (the rest of the site is still written).
    Error,
}

impl Severity {
    /// Lower-case name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Stable diagnostic codes, each documented in the book's `diagnostics.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A file is not valid UTF-8.
    InvalidUtf8,
    /// A file could not be read.
    UnreadableFile,
    /// A symbolic link or a special file (FIFO, socket, device) was not read.
    SkippedFile,
    /// The YAML frontmatter does not parse.
    FrontmatterSyntax,
    /// A frontmatter field has an unexpected type.
    FrontmatterType,
    /// A link target does not exist.
    UnresolvedLink,
    /// A `#Heading` subpath does not exist in the target note.
    MissingHeading,
    /// A `#^block` subpath does not exist in the target note.
    MissingBlock,
    /// A link path leaves the vault.
    LinkOutsideVault,
    /// A published note links to a private note.
    PrivateLink,
    /// Notes embed each other in a cycle.
    EmbedCycle,
    /// Embeds are nested deeper than `[links] embed_depth`.
    EmbedTooDeep,
    /// Two notes map to the same URL.
    UrlCollision,
    /// Scripts, event handlers or dangerous URLs were removed from raw HTML.
    UnsafeHtml,
    /// A markdown link with a dangerous URL scheme was rendered as text.
    UnsafeUrl,
    /// A template failed to render a page.
    TemplateError,
    /// wikigen itself failed on a note (a bug); the note is published as plain text.
    InternalError,
    /// Text garbled by a wrong encoding (mojibake) was repaired.
    Mojibake,
    /// Several person notes were merged into one profile.
    ProfileMerged,
    /// A Dataview query does not parse or fails to run.
    QueryError,
    /// A DataviewJS block or inline `$=` cannot be evaluated at build time.
    QueryScript,
    /// A line of a Tasks query is not supported or not understood.
    TasksQuery,
    /// `wikigen.toml` does not parse or holds an invalid value (`serve` keeps the last good one).
    ConfigError,
}

impl Code {
    /// The kebab-case name printed in brackets.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "invalid-utf8",
            Code::UnreadableFile => "unreadable-file",
            Code::SkippedFile => "skipped-file",
            Code::FrontmatterSyntax => "frontmatter-syntax",
            Code::FrontmatterType => "frontmatter-type",
            Code::UnresolvedLink => "unresolved-link",
            Code::MissingHeading => "missing-heading",
            Code::MissingBlock => "missing-block",
            Code::LinkOutsideVault => "link-outside-vault",
            Code::PrivateLink => "private-link",
            Code::EmbedCycle => "embed-cycle",
            Code::EmbedTooDeep => "embed-too-deep",
            Code::UrlCollision => "url-collision",
            Code::UnsafeHtml => "unsafe-html",
            Code::UnsafeUrl => "unsafe-url",
            Code::TemplateError => "template-error",
            Code::InternalError => "internal-error",
            Code::Mojibake => "mojibake",
            Code::ProfileMerged => "profile-merged",
            Code::QueryError => "query-error",
            Code::QueryScript => "query-script",
            Code::TasksQuery => "tasks-query",
            Code::ConfigError => "config-error",
        }
    }
}

/// One problem found in the vault, pointing at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// Vault-relative path of the file (or template) concerned.
    pub file: String,
    /// 1-based line, 0 when the whole file is concerned.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Diagnostic {
    /// A new diagnostic; `line`/`column` are 1-based, 0 for "unknown".
    pub fn new(
        severity: Severity,
        code: Code,
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            line,
            column,
            message: message.into(),
            help: help.into(),
        }
    }

    /// `file:line:col` as printed.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{}", self.file, l),
            (l, c) => format!("{}:{}:{}", self.file, l, c),
        }
    }
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of infos.
    pub infos: usize,
}

/// Sorts diagnostics (by file, line, column, code) so output is deterministic.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// Counts diagnostics by severity.
pub fn count(diags: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diags {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// Formats diagnostics grouped by code, errors first. At most `per_code` entries of each code are
/// listed (`None` lists all); the rest are counted. Infos are listed only when `show_info`.
pub fn format_grouped(
    diags: &[Diagnostic],
    per_code: Option<usize>,
    show_info: bool,
    color: bool,
) -> String {
    let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, Code), Vec<&Diagnostic>> =
        BTreeMap::new();
    for d in diags {
        if d.severity == Severity::Info && !show_info {
            continue;
        }
        groups
            .entry((std::cmp::Reverse(d.severity), d.code))
            .or_default()
            .push(d);
    }
    let mut out = String::new();
    for ((sev, code), list) in groups {
        let sev = sev.0;
        let (on, off) = if color {
            (
                match sev {
                    Severity::Error => "\x1b[1;31m",
                    Severity::Warning => "\x1b[1;33m",
                    Severity::Info => "\x1b[1;36m",
                },
                "\x1b[0m",
            )
        } else {
            ("", "")
        };
        let limit = per_code.unwrap_or(usize::MAX);
        for d in list.iter().take(limit) {
            let _ = writeln!(
                out,
                "{on}{}[{}]{off}: {}: {}",
                sev.as_str(),
                code.as_str(),
                d.location(),
                d.message
            );
            if !d.help.is_empty() {
                let _ = writeln!(out, "  = help: {}", d.help);
            }
        }
        if list.len() > limit {
            let _ = writeln!(
                out,
                "{on}{}[{}]{off}: … and {} more",
                sev.as_str(),
                code.as_str(),
                list.len() - limit
            );
        }
    }
    out
}

/// How many diagnostics there are of each severity and code, most severe first (info only with
/// `show_info`).
pub fn summary(diags: &[Diagnostic], show_info: bool) -> Vec<(&'static str, &'static str, usize)> {
    let mut counts: BTreeMap<(std::cmp::Reverse<Severity>, Code), usize> = BTreeMap::new();
    for d in diags {
        if d.severity != Severity::Info || show_info {
            *counts
                .entry((std::cmp::Reverse(d.severity), d.code))
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((s, c), n)| (s.0.as_str(), c.as_str(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_truncates() {
        let mut v = Vec::new();
        for i in 0..5 {
            v.push(Diagnostic::new(
                Severity::Warning,
                Code::UnresolvedLink,
                "a.md",
                i + 1,
                2,
                "missing",
                "fix it",
            ));
        }
        v.push(Diagnostic::new(
            Severity::Error,
            Code::TemplateError,
            "note.html",
            3,
            0,
            "bad",
            "",
        ));
        let s = format_grouped(&v, Some(2), false, false);
        let first = s.lines().next().unwrap();
        assert!(
            first.starts_with("error[template-error]: note.html:3: bad"),
            "{s}"
        );
        assert!(s.contains("warning[unresolved-link]: a.md:1:2: missing"));
        assert!(s.contains("… and 3 more"));
        assert_eq!(count(&v).warnings, 5);
    }
}
