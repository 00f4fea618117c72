//! Theme templates from the vault: overrides, and templates that fail to load or to render (the
//! error names the template's line; no page goes missing).

mod common;

use common::*;

#[test]
fn a_template_in_the_vault_overrides_the_default() {
    let v = vault(&[
        ("Note.md", "Body [[Other]].\n"),
        ("Other.md", "o\n"),
        (
            ".wikigen/templates/note.html",
            "<!DOCTYPE html><html><head><title>{{ note.title }}</title></head><body><main><p class=\"custom-note\">CUSTOM {{ note.title }} in {{ site.title }}</p>{{ note.content | safe }}</main></body></html>",
        ),
    ]);
    let b = v.build(&[]);
    b.ok();
    let p = b.page("note/");
    assert!(
        p.contains("<p class=\"custom-note\">CUSTOM Note in Wiki</p>"),
        "{p}"
    );
    assert!(
        p.contains("<a class=\"internal\" data-kind=\"note\" href=\"../other/\">Other</a>"),
        "{p}"
    );
    assert!(!p.contains("site-header"), "{p}");
    // Other page kinds keep the default templates.
    assert!(b.page("").contains("site-header"));
    // .wikigen/ is never published.
    assert!(
        !b.files()
            .iter()
            .any(|f| f.contains(".wikigen/") || f.contains("templates")),
        "{:#?}",
        b.files()
    );
}

#[test]
fn a_template_with_a_syntax_error_is_reported_and_the_default_is_used() {
    let v = vault(&[
        ("Note.md", "Body NOTE-BODY.\n"),
        ("sub/Other.md", "o #tagged\n"),
        (
            ".wikigen/templates/note.html",
            "<html>{% if note.title %}<p>never closed</p></html>\n",
        ),
    ]);
    let b = v.build(&[]);
    assert_eq!(
        b.run.code, 1,
        "a template error is an error: {}",
        b.run.stderr
    );
    let d = b.diags_with("template-error");
    assert_eq!(d.len(), 1, "{:?}", b.diags());
    assert!(
        d[0].file.ends_with(".wikigen/templates/note.html"),
        "{:?}",
        d[0]
    );
    assert_eq!(d[0].severity, "error");
    assert_eq!(
        d[0].line, 2,
        "the end of input, where the `if` is still open: {:?}",
        d[0]
    );
    assert!(
        b.run.stderr.contains("error[template-error]:") && b.run.stderr.contains("note.html"),
        "{}",
        b.run.stderr
    );
    // Every page was still written, notes with the default template.
    for p in [
        "note/",
        "sub/other/",
        "sub/",
        "",
        "tags/",
        "tags/tagged/",
        "404.html",
    ] {
        assert!(b.has(p), "{p}: {:#?}", b.files());
    }
    let p = b.page("note/");
    assert!(
        p.contains("<div class=\"note-content prose\">") && p.contains("NOTE-BODY"),
        "{p}"
    );
    assert!(!p.contains("never closed"), "{p}");
}

#[test]
fn a_template_that_fails_while_rendering_is_reported_with_its_line_and_no_page_is_lost() {
    let v = vault(&[
        ("Note.md", "Body NOTE-BODY.\n"),
        ("sub/Other.md", "OTHER-BODY\n"),
        (
            ".wikigen/templates/note.html",
            "{% extends \"default/note.html\" %}\n{% block content %}\n<p>{{ page.no_such.field }}</p>{% endblock %}",
        ),
    ]);
    let b = v.build(&[]);
    assert_eq!(b.run.code, 1, "{}", b.run.stderr);
    let d = b.diags_with("template-error");
    assert_eq!(d.len(), 1, "one for both pages: {:?}", b.diags());
    let d = &d[0];
    assert!(d.file.ends_with(".wikigen/templates/note.html"), "{d:?}");
    assert_eq!(d.line, 3, "{d:?}");
    assert!(d.column > 1, "{d:?}");
    assert!(d.message.contains("no_such"), "{d:?}");
    assert!(d.message.starts_with("rendering 2 pages failed"), "{d:?}");
    // Both notes were published, with the built-in template.
    assert!(b.page("note/").contains("NOTE-BODY"));
    assert!(b.page("sub/other/").contains("OTHER-BODY"));
    let report = b.report.as_ref().unwrap();
    let help: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert!(
        help.iter()
            .any(|h| h.contains("written with the default template")),
        "{help:?}"
    );
}
