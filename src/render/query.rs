//! Render stage, query results: turns each [`Output`] of the query stage into HTML for the page
//! it is written in (links relative to that page): lists, tables, task lists, month calendars,
//! inline values, error boxes and DataviewJS notices.

use super::fill::Filler;
use crate::parse::format::escape;
use crate::parse::{QueryBlock, QueryLang};
use crate::paths::href;
use crate::query::functions::format_date;
use crate::query::tasks_run::TasksOutput;
use crate::query::value::{format_number, Link, Value};
use crate::query::{ListEntry, Output, TaskGroup};
use crate::resolve::Target;
use std::fmt::Write as _;

impl Filler<'_> {
    /// The HTML of query `q` of note `n`, as written in the current page.
    pub fn query(&mut self, n: usize, q: usize) -> String {
        let shared = self.site.queries.per_note.get(n).and_then(|v| v.get(q));
        let Some((cache, out)) = self
            .cache
            .zip(shared)
            .filter(|(_, out)| std::sync::Arc::strong_count(out) > 1 && out.renders_alike())
        else {
            return self.query_html(n, q);
        };
        let key = (std::sync::Arc::as_ptr(out) as usize, self.root.clone());
        if let Some(html) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return html.to_string();
        }
        let html = self.query_html(n, q);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, html.as_str().into());
        html
    }

    fn query_html(&mut self, n: usize, q: usize) -> String {
        let site = self.site;
        let Some(block) = site.notes.get(n).and_then(|x| x.queries.get(q)) else {
            return String::new();
        };
        let Some(out) = site.queries.get(n, q) else {
            return source_html(block);
        };
        let inline = matches!(block.lang, QueryLang::Inline | QueryLang::InlineJs);
        match out {
            Output::Off => source_html(block),
            Output::Script => script_html(block),
            Output::Error { message, hint } => error_html(block, message, hint),
            Output::Value(v) if inline => {
                format!("<span class=\"dv-inline\">{}</span>", self.value(v))
            }
            Output::Value(v) => self.value(v),
            Output::List { items, truncated } => self.list(items, *truncated),
            Output::Table {
                headers,
                rows,
                truncated,
            } => self.table(headers, rows, *truncated),
            Output::Tasks { groups, truncated } => {
                let mut s = String::from("<div class=\"query-result\" data-query=\"task\">");
                if groups.is_empty() {
                    s.push_str("<p class=\"query-empty\">No tasks.</p>");
                }
                for g in groups {
                    self.task_group(g, None, &mut s);
                }
                more(*truncated, &mut s);
                s.push_str("</div>");
                s
            }
            Output::TasksBlock(t) => self.tasks_block(t),
            Output::Calendar { entries, truncated } => {
                let mut s = self.calendar(entries);
                if *truncated > 0 {
                    // Inside the result's box.
                    s.truncate(s.len() - "</div>".len());
                    more(*truncated, &mut s);
                    s.push_str("</div>");
                }
                s
            }
        }
    }

    /// A link value.
    fn link(&self, l: &Link) -> String {
        let label = escape(&l.label());
        if l.note.is_none() && (l.path.starts_with("https://") || l.path.starts_with("http://")) {
            return format!(
                "<a class=\"external\" href=\"{}\" rel=\"noopener noreferrer\">{label}</a>",
                escape(&l.path)
            );
        }
        // The same URL and classes as a written link to the note (merged person notes go to
        // the profile).
        let target = l.note.map(|n| Target::Note {
            note: n,
            anchor: l
                .subpath
                .as_deref()
                .and_then(|s| crate::resolve::find_anchor(&self.site.notes[n], s)),
        });
        match target.and_then(|t| self.target_href(&t, usize::MAX)) {
            Some((url, class)) => format!("<a class=\"{class}\" href=\"{url}\">{label}</a>"),
            None => format!("<span class=\"unresolved-value\">{label}</span>"),
        }
    }

    /// A value, as Dataview shows it.
    pub fn value(&self, v: &Value) -> String {
        let cfg = &self.site.cfg.queries;
        match v {
            Value::Null => "<span class=\"dv-null\">–</span>".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(x) => format_number(*x),
            Value::String(s) => inline_markdown(s),
            Value::Date(d) => {
                let fmt = if d.time() == time::Time::MIDNIGHT {
                    &cfg.date_format
                } else {
                    &cfg.datetime_format
                };
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    crate::query::value::format_iso(d),
                    escape(&format_date(d, fmt))
                )
            }
            Value::Duration(d) => escape(&d.human()),
            Value::Link(l) => self.link(l),
            Value::List(items) => match items.len() {
                0 => String::new(),
                1 => self.value(&items[0]),
                _ => {
                    let mut s = String::from("<ul class=\"dv-list\">");
                    for it in items.iter() {
                        let _ = write!(s, "<li>{}</li>", self.value(it));
                    }
                    s.push_str("</ul>");
                    s
                }
            },
            Value::Object(m) => {
                let mut s = String::from("<ul class=\"dv-object\">");
                for (k, x) in m.iter().filter(|(k, _)| !k.starts_with('\u{0}')) {
                    let _ = write!(
                        s,
                        "<li><strong>{}</strong>: {}</li>",
                        escape(k),
                        self.value(x)
                    );
                }
                s.push_str("</ul>");
                s
            }
            Value::Lambda(_) => "<code>&lt;function&gt;</code>".into(),
        }
    }

    fn list(&self, items: &[ListEntry], truncated: usize) -> String {
        let mut s = String::from("<div class=\"query-result\" data-query=\"list\">");
        if items.is_empty() {
            s.push_str("<p class=\"query-empty\">No results.</p>");
        } else {
            s.push_str("<ul class=\"dv-list\">");
            for e in items {
                s.push_str("<li>");
                match (&e.id, &e.value) {
                    (Some(id), Some(v)) => {
                        let _ = write!(s, "{}: {}", self.value(id), self.value(v));
                    }
                    (Some(id), None) => s.push_str(&self.value(id)),
                    (None, Some(v)) => s.push_str(&self.value(v)),
                    (None, None) => {}
                }
                if !e.nested.is_empty() {
                    s.push_str("<ul>");
                    for x in &e.nested {
                        let _ = write!(s, "<li>{}</li>", self.value(x));
                    }
                    s.push_str("</ul>");
                }
                s.push_str("</li>");
            }
            s.push_str("</ul>");
        }
        more(truncated, &mut s);
        s.push_str("</div>");
        s
    }

    fn table(&self, headers: &[String], rows: &[Vec<Value>], truncated: usize) -> String {
        let mut s = String::from(
            "<div class=\"query-result\" data-query=\"table\"><div class=\"table-wrap\"><table class=\"dv-table\"><thead><tr>",
        );
        for h in headers {
            let _ = write!(s, "<th scope=\"col\">{}</th>", escape(h));
        }
        s.push_str("</tr></thead><tbody>");
        for r in rows {
            s.push_str("<tr>");
            for c in r {
                let _ = write!(s, "<td>{}</td>", self.value(c));
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
        if rows.is_empty() {
            s.push_str("<p class=\"query-empty\">No results.</p>");
        }
        more(truncated, &mut s);
        s.push_str("</div>");
        s
    }

    /// One task (and its sub-items) as a list item linking back to its line.
    fn task_item(&self, n: usize, i: usize, t: Option<&TasksOutput>, out: &mut String) {
        let site = self.site;
        let note = &site.notes[n];
        let Some(item) = note.lists.get(i) else {
            return;
        };
        let status = item.task.unwrap_or(' ');
        let hide = |c: &str| t.is_some_and(|t| t.layout.hide.contains(c));
        let checked = if matches!(status, 'x' | 'X') {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<li class=\"task-list-item\" data-task=\"{}\"><input type=\"checkbox\" disabled{checked}> ",
            escape(&status.to_string())
        );
        match t {
            Some(_) => {
                let meta = crate::tasks::meta::parse(&item.text);
                out.push_str(&self.linkify(n, item.line, inline_markdown(&meta.description)));
                for (name, emoji, v) in [
                    (
                        "priority",
                        "",
                        Some(meta.priority.clone()).filter(|p| !p.is_empty()),
                    ),
                    ("recurrence rule", "🔁", meta.recurrence.clone()),
                    ("created date", "➕", meta.created.clone()),
                    ("start date", "🛫", meta.start.clone()),
                    ("scheduled date", "⏳", meta.scheduled.clone()),
                    ("due date", "📅", meta.due.clone()),
                    ("done date", "✅", meta.done.clone()),
                    ("cancelled date", "❌", meta.cancelled.clone()),
                ] {
                    let Some(v) = v else { continue };
                    if hide(name) {
                        continue;
                    }
                    let overdue = name == "due date"
                        && !matches!(status, 'x' | 'X' | '-')
                        && v.as_str() < site.cfg.today.as_str();
                    let cls = if overdue { " is-overdue" } else { "" };
                    let shown = if name == "priority" {
                        priority_emoji(&v).to_string()
                    } else {
                        format!("{emoji} {v}")
                    };
                    let _ = write!(
                        out,
                        " <span class=\"task-meta{cls}\" data-meta=\"{}\" title=\"{}\">{}</span>",
                        escape(name),
                        escape(&format!("{name}: {v}")),
                        escape(&shown)
                    );
                }
            }
            None => out.push_str(&self.linkify(n, item.line, inline_markdown(&item.text))),
        }
        if !hide("backlink") {
            // Under a heading that already names the note, the line is enough.
            let label = if self.under_own_note.get() == Some(n) {
                format!("line {}", item.line)
            } else {
                note.title.clone()
            };
            let _ = write!(
                out,
                " <a class=\"task-backlink\" href=\"{}#L{}\" title=\"{} (line {})\">{}</a>",
                self.note_href(n),
                item.line,
                escape(&note.title),
                item.line,
                escape(&label)
            );
        }
        let kids: Vec<usize> = note
            .lists
            .iter()
            .enumerate()
            .skip(i + 1)
            .take_while(|(_, x)| x.line < item.line + item.line_count)
            .filter(|(_, x)| x.parent == Some(i))
            .map(|(k, _)| k)
            .collect();
        if !kids.is_empty() && !hide("tree") {
            out.push_str("<ul class=\"contains-task-list\">");
            for k in kids {
                if note.lists[k].task.is_some() {
                    self.task_item(n, k, t, out);
                } else {
                    let _ = write!(out, "<li>{}</li>", inline_markdown(&note.lists[k].text));
                }
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }

    /// Turns `#tags` of a task's text into links to their tag pages.
    fn tag_links(&self, html: String) -> String {
        if !html.contains('#') {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut last = 0;
        for (range, name) in crate::parse::tags::find_tags(&html, true) {
            let before = &html[..range.start];
            let Some(t) = self.site.tags.get(&crate::paths::key(&name)) else {
                continue;
            };
            if before.rfind('<') > before.rfind('>') {
                continue;
            }
            out.push_str(&html[last..range.start]);
            let _ = write!(
                out,
                "<a class=\"tag\" href=\"{}\">#{}</a>",
                href(&self.root, &t.url.url),
                &html[range.start + 1..range.end]
            );
            last = range.end;
        }
        out.push_str(&html[last..]);
        out
    }

    /// Turns the labels of the links written on `line` of note `n` back into links, in order.
    fn linkify(&self, n: usize, line: usize, html: String) -> String {
        let html = self.tag_links(html);
        let note = &self.site.notes[n];
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html.as_str();
        for (i, l) in note.links.iter().enumerate() {
            if l.line != line || l.embed || l.label.is_empty() {
                continue;
            }
            let label = escape(&l.label);
            let Some(at) = rest.find(label.as_str()) else {
                continue;
            };
            // Never inside a tag (an attribute value).
            if rest[..at].rfind('<') > rest[..at].rfind('>') {
                continue;
            }
            let Some(a) = self.link_html(n, i, &label) else {
                continue;
            };
            out.push_str(&rest[..at]);
            out.push_str(&a);
            rest = &rest[at + label.len()..];
        }
        out.push_str(rest);
        out
    }

    fn task_group(&self, g: &TaskGroup, t: Option<&TasksOutput>, out: &mut String) {
        if !g.heading.is_empty() {
            let parts: Vec<String> = g.heading.iter().map(|h| self.value(h)).collect();
            let _ = write!(out, "<p class=\"query-group\">{}</p>", parts.join(" › "));
        }
        // A group whose last heading is a link to a note without a subpath names that note.
        let own = match g.heading.last() {
            Some(Value::Link(l)) if l.subpath.is_none() => l.note,
            _ => None,
        };
        self.under_own_note.set(own);
        out.push_str("<ul class=\"contains-task-list\">");
        for &(n, i) in &g.tasks {
            self.task_item(n, i, t, out);
        }
        out.push_str("</ul>");
        self.under_own_note.set(None);
    }

    fn tasks_block(&self, t: &TasksOutput) -> String {
        let mut s = String::from("<div class=\"query-result\" data-query=\"tasks\">");
        if let Some(x) = &t.explanation {
            let _ = write!(s, "<pre class=\"tasks-explain\">{}</pre>", escape(x));
        }
        if !t.errors.is_empty() {
            s.push_str("<div class=\"query-error\" role=\"note\"><p><strong>Some lines of this Tasks query were not used:</strong></p><ul>");
            for (line, msg, _) in &t.errors {
                let _ = write!(s, "<li>line {line}: {}</li>", escape(msg));
            }
            s.push_str("</ul></div>");
        }
        let shown: usize = t.groups.iter().map(|g| g.tasks.len()).sum();
        if shown == 0 {
            s.push_str("<p class=\"query-empty\">No tasks.</p>");
        }
        for g in &t.groups {
            self.task_group(g, Some(t), &mut s);
        }
        more(t.truncated, &mut s);
        if !t.layout.hide.contains("task count") {
            let _ = write!(
                s,
                "<p class=\"tasks-count\">{} task{}</p>",
                t.total,
                if t.total == 1 { "" } else { "s" }
            );
        }
        s.push_str("</div>");
        s
    }

    fn calendar(&self, entries: &[(time::Date, Value)]) -> String {
        let mut s = String::from("<div class=\"query-result\" data-query=\"calendar\">");
        if entries.is_empty() {
            s.push_str("<p class=\"query-empty\">No dated results.</p></div>");
            return s;
        }
        let mut months: Vec<(i32, time::Month)> =
            entries.iter().map(|(d, _)| (d.year(), d.month())).collect();
        months.dedup();
        const MAX_MONTHS: usize = 24;
        let skipped = months.len().saturating_sub(MAX_MONTHS);
        for &(y, m) in months.iter().rev().take(MAX_MONTHS).rev() {
            let Ok(first) = time::Date::from_calendar_date(y, m, 1) else {
                continue;
            };
            let days = m.length(y);
            let _ = write!(
                s,
                "<table class=\"dv-calendar\"><caption>{m} {y}</caption><thead><tr>"
            );
            for d in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] {
                let _ = write!(s, "<th scope=\"col\">{d}</th>");
            }
            s.push_str("</tr></thead><tbody><tr>");
            let lead = first.weekday().number_days_from_monday() as usize;
            for _ in 0..lead {
                s.push_str("<td></td>");
            }
            for day in 1..=days {
                let col = (lead + day as usize - 1) % 7;
                if col == 0 && day > 1 {
                    s.push_str("</tr><tr>");
                }
                let here: Vec<&Value> = entries
                    .iter()
                    .filter(|(d, _)| d.year() == y && d.month() == m && d.day() == day)
                    .map(|(_, v)| v)
                    .collect();
                if here.is_empty() {
                    let _ = write!(s, "<td><span class=\"day\">{day}</span></td>");
                } else {
                    let _ = write!(
                        s,
                        "<td class=\"has-entries\"><span class=\"day\">{day}</span>"
                    );
                    for v in here {
                        let _ = write!(s, "<span class=\"entry\">{}</span>", self.value(v));
                    }
                    s.push_str("</td>");
                }
            }
            s.push_str("</tr></tbody></table>");
        }
        if skipped > 0 {
            let _ = write!(
                s,
                "<p class=\"query-more\">{skipped} earlier month{} not shown.</p>",
                if skipped == 1 { "" } else { "s" }
            );
        }
        s.push_str("</div>");
        s
    }
}

fn priority_emoji(p: &str) -> &'static str {
    match p {
        "highest" => "🔺",
        "high" => "⏫",
        "medium" => "🔼",
        "low" => "🔽",
        "lowest" => "⏬",
        _ => "",
    }
}

fn more(truncated: usize, s: &mut String) {
    if truncated > 0 {
        let _ = write!(
            s,
            "<p class=\"query-more\">… and {truncated} more (the page shows at most <code>[queries] max_rows</code>).</p>"
        );
    }
}

/// A query shown as the code it is (evaluation turned off).
fn source_html(b: &QueryBlock) -> String {
    match b.lang {
        QueryLang::Inline => format!("<code>= {}</code>", escape(&b.source)),
        QueryLang::InlineJs => format!("<code>$= {}</code>", escape(&b.source)),
        _ => format!(
            "<pre class=\"code query-block\" data-lang=\"{0}\"><code class=\"language-{0}\">{1}</code></pre>",
            lang_name(b.lang),
            escape(&b.source)
        ),
    }
}

fn lang_name(l: QueryLang) -> &'static str {
    match l {
        QueryLang::Dataview | QueryLang::Inline => "dataview",
        QueryLang::DataviewJs | QueryLang::InlineJs => "dataviewjs",
        QueryLang::Tasks => "tasks",
    }
}

fn script_html(b: &QueryBlock) -> String {
    if b.lang == QueryLang::InlineJs {
        return format!(
            "<span class=\"query-notice\" title=\"DataviewJS runs only inside Obsidian\">⚙ <code>$= {}</code></span>",
            escape(&b.source)
        );
    }
    format!(
        "<div class=\"query-notice\" role=\"note\"><p>This DataviewJS block runs only inside Obsidian, so it is not shown here.</p><details><summary>Show the code</summary><pre class=\"code\"><code class=\"language-js\">{}</code></pre></details></div>",
        escape(&b.source)
    )
}

fn error_html(b: &QueryBlock, message: &str, hint: &str) -> String {
    if b.lang == QueryLang::Inline {
        return format!(
            "<span class=\"query-error-inline\" title=\"{}\">⚠ <code>= {}</code></span>",
            escape(message),
            escape(&b.source)
        );
    }
    format!(
        "<div class=\"query-error\" role=\"note\"><p><strong>This {} query could not be run.</strong> {}</p><p class=\"query-hint\">{}</p><pre class=\"code\"><code>{}</code></pre></div>",
        if b.lang == QueryLang::Tasks { "Tasks" } else { "Dataview" },
        escape(message),
        escape(hint),
        escape(&b.source)
    )
}

/// Text with inline markdown (bold, italics, code, links), as Dataview renders text values.
/// Plain text (the usual case) is only escaped; raw HTML is never passed through.
pub fn inline_markdown(s: &str) -> String {
    if !s.contains(['*', '_', '`', '~', '=', '[']) {
        return escape(s);
    }
    let mut opts = comrak::Options::default();
    opts.extension.strikethrough = true;
    opts.extension.highlight = true;
    opts.extension.autolink = false;
    let html = comrak::markdown_to_html(s, &opts);
    let t = html.trim();
    let t = t
        .strip_prefix("<p>")
        .and_then(|x| x.strip_suffix("</p>"))
        .unwrap_or(t);
    if t.contains("<p>") || t.contains("<ul>") || t.contains("<ol>") || t.contains("<h") {
        return escape(s);
    }
    t.replace("<a href=\"javascript:", "<a href=\"#")
}
