//! Parse stage, HTML writing: comrak's formatter with wikigen's overrides — heading ids, callouts
//! (foldable ones as `<details>`), highlighted code blocks, task items with their status, and
//! paragraphs that hold only an embed (written without `<p>` so the embed can be a block).

use super::fragment::{BLOCK, END};
use super::highlight;
use comrak::create_formatter;
use comrak::html::{format_node_default, ChildRendering};
use comrak::nodes::{AstNode, CalloutFold, NodeValue};
use std::fmt::Write as _;

/// Formatter state: the heading ids computed by the walk, consumed in document order.
#[derive(Debug, Default)]
pub struct State {
    ids: Vec<String>,
    next: usize,
}

impl State {
    /// State for a document whose headings got `ids`.
    pub fn new(ids: Vec<String>) -> Self {
        State { ids, next: 0 }
    }
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out` escaped as [`escape`] does: the text between special characters is
/// copied in one piece (they are all ASCII, so a byte scan finds them).
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Maps a callout type (or alias) to one of Obsidian's 13 built-in kinds; unknown types are
/// styled as `note`.
pub fn callout_kind(t: &str) -> &'static str {
    match t.to_ascii_lowercase().as_str() {
        "abstract" | "summary" | "tldr" => "abstract",
        "info" => "info",
        "todo" => "todo",
        "tip" | "hint" | "important" => "tip",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "caution" | "attention" => "warning",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" => "danger",
        "bug" => "bug",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}

fn only_block_embeds<'a>(node: &'a AstNode<'a>) -> bool {
    let mut any = false;
    for c in node.children() {
        match &c.data().value {
            NodeValue::SoftBreak | NodeValue::LineBreak => {}
            NodeValue::Text(t) => {
                let mut rest = t.trim();
                while !rest.is_empty() {
                    if !rest.starts_with(BLOCK) {
                        return false;
                    }
                    let Some(end) = rest.find(END) else {
                        return false;
                    };
                    any = true;
                    rest = rest[end + END.len_utf8()..].trim_start();
                }
            }
            _ => return false,
        }
    }
    any
}

fn is_folded<'a>(node: &'a AstNode<'a>) -> Option<bool> {
    match &node.data().value {
        NodeValue::Callout(c) => match c.fold {
            CalloutFold::None => None,
            CalloutFold::Expanded => Some(true),
            CalloutFold::Collapsed => Some(false),
        },
        _ => None,
    }
}

create_formatter!(Formatter<State>, {
    NodeValue::Heading(ref h) => |context, entering| {
        if entering {
            context.cr()?;
            let id = context.user.ids.get(context.user.next).cloned().unwrap_or_default();
            context.user.next += 1;
            write!(context, "<h{} id=\"", h.level)?;
            context.escape(&id)?;
            context.write_str("\">")?;
        } else {
            write!(context, "</h{}>", h.level)?;
            context.lf()?;
        }
    },
    NodeValue::CodeBlock(ref cb) => |context, entering| {
        if entering {
            context.cr()?;
            let lang = cb.info.split_whitespace().next().unwrap_or("").to_string();
            let lower = lang.to_ascii_lowercase();
            let query = matches!(lower.as_str(), "dataview" | "dataviewjs" | "tasks" | "query");
            let class = if query { "code query-block" } else { "code" };
            if lang.is_empty() {
                write!(context, "<pre class=\"{class}\"><code>")?;
            } else {
                write!(context, "<pre class=\"{class}\" data-lang=\"")?;
                context.escape(&lang)?;
                context.write_str("\"><code class=\"language-")?;
                context.escape(&lang)?;
                context.write_str("\">")?;
            }
            match (!query).then(|| highlight::highlight(&cb.literal, &lang)).flatten() {
                Some(h) => context.write_str(&h)?,
                None => context.escape(&cb.literal)?,
            }
            context.write_str("</code></pre>")?;
            context.lf()?;
        }
    },
    NodeValue::Paragraph => |context, node, entering| {
        if only_block_embeds(node) {
            if entering {
                context.cr()?;
            } else {
                context.lf()?;
            }
            return Ok(ChildRendering::HTML);
        }
        return format_node_default(context, node, entering);
    },
    NodeValue::TaskItem(ref t) => |context, node, entering| {
        let in_list = node.parent().is_some_and(|p| matches!(p.data().value, NodeValue::List(_)));
        if entering {
            context.cr()?;
            let sym = t.symbol.unwrap_or(' ');
            if in_list {
                let line = node.data().sourcepos.start.line;
                write!(context, "<li id=\"L{line}\" class=\"task-list-item\" data-task=\"")?;
                context.escape(&sym.to_string())?;
                context.write_str("\">")?;
            }
            let checked = if matches!(sym, 'x' | 'X') { " checked" } else { "" };
            write!(context, "<input type=\"checkbox\" disabled{checked}> ")?;
        } else if in_list {
            context.write_str("</li>")?;
            context.lf()?;
        }
    },
    NodeValue::Callout(ref c) => |context, node, entering| {
        let fold = is_folded(node);
        if entering {
            context.cr()?;
            let tag = if fold.is_some() { "details" } else { "div" };
            write!(context, "<{tag} class=\"callout\" data-callout=\"")?;
            context.escape(&c.callout_type)?;
            write!(context, "\" data-callout-kind=\"{}\"", callout_kind(&c.callout_type))?;
            if let Some(meta) = &c.metadata {
                context.write_str(" data-callout-metadata=\"")?;
                context.escape(meta)?;
                context.write_str("\"")?;
            }
            if fold == Some(true) {
                context.write_str(" open")?;
            }
            context.write_str(">")?;
            let has_title = node
                .first_child()
                .is_some_and(|ch| matches!(ch.data().value, NodeValue::CalloutTitle));
            if !has_title {
                let t = if fold.is_some() { "summary" } else { "div" };
                write!(context, "<{t} class=\"callout-title\"><span class=\"callout-icon\"></span>")?;
                context.escape(&c.default_title())?;
                write!(context, "</{t}><div class=\"callout-content\">")?;
            }
            context.lf()?;
        } else {
            context.cr()?;
            let tag = if fold.is_some() { "details" } else { "div" };
            write!(context, "</div></{tag}>")?;
            context.lf()?;
        }
    },
    NodeValue::CalloutTitle => |context, node, entering| {
        let folded = node.parent().and_then(is_folded).is_some();
        let t = if folded { "summary" } else { "div" };
        if entering {
            write!(context, "<{t} class=\"callout-title\"><span class=\"callout-icon\"></span>")?;
        } else {
            write!(context, "</{t}><div class=\"callout-content\">")?;
            context.lf()?;
        }
    },
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_aliases() {
        assert_eq!(callout_kind("FAQ"), "question");
        assert_eq!(callout_kind("tldr"), "abstract");
        assert_eq!(callout_kind("released"), "note");
    }
}
