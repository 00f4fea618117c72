//! Parse stage, Dataview inline fields: `Key:: value` on its own line (also after a list marker
//! or quote marker), and `[key:: value]` / `(key:: value)` anywhere in a line. Frontmatter, code
//! blocks and inline code are skipped; brackets nest and `\` escapes, as in Dataview.

use super::InlineField;

/// Finds the inline fields of a note's text (frontmatter included in `text`, and skipped).
pub fn scan(text: &str) -> Vec<InlineField> {
    let mut out = Vec::new();
    if !text.contains("::") {
        return out;
    }
    let mut fence: Option<(char, usize)> = None;
    let mut in_front = text.starts_with("---");
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if in_front {
            if n > 1 && (line.trim_end() == "---" || line.trim_end() == "...") {
                in_front = false;
            }
            continue;
        }
        let t = line.trim_start_matches([' ', '\t', '>']).trim_start();
        if let Some((c, len)) = fence {
            let run = t.chars().take_while(|&x| x == c).count();
            if run >= len && t[run * c.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        let lead = t.chars().next();
        if matches!(lead, Some('`') | Some('~')) {
            let c = lead.unwrap_or('`');
            let run = t.chars().take_while(|&x| x == c).count();
            if run >= 3 {
                fence = Some((c, run));
                continue;
            }
        }
        if !line.contains("::") {
            continue;
        }
        let before = out.len();
        bracketed(line, n, &mut out);
        if out.len() == before {
            if let Some(f) = full_line(t, n) {
                out.push(f);
            }
        }
    }
    out
}

/// Strips a list marker and a task checkbox from the start of a line.
fn strip_marker(t: &str) -> &str {
    let rest = if let Some(r) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
    {
        r
    } else {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        match t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
        {
            Some(r) if digits > 0 => r,
            _ => t,
        }
    };
    let r = rest.trim_start();
    if r.len() >= 4 && r.starts_with('[') && r[1..].chars().nth(1) == Some(']') {
        let close = r[1..].char_indices().nth(1).map_or(3, |(i, _)| i + 1);
        return r[close + 1..].trim_start();
    }
    r
}

/// Removes markdown decoration around a key: `**Key**`, `__Key__`, `*Key*`, `_Key_`.
fn undecorate(k: &str) -> &str {
    let k = k.trim();
    for d in ["**", "__", "*", "_", "=="] {
        if let Some(inner) = k.strip_prefix(d).and_then(|x| x.strip_suffix(d)) {
            return inner.trim();
        }
    }
    k
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars().count() <= 100
        && !k.contains(['[', ']', '(', ')', '`', '|', '#'])
        && !k.starts_with(['-', '>'])
        && !k.contains("://")
}

/// `Key:: value` filling the line.
fn full_line(t: &str, line: usize) -> Option<InlineField> {
    let t = strip_marker(t);
    let (k, v) = t.split_once("::")?;
    // `**Key**:: v` and `**Key::** v` are both decoration of the key.
    let (k, v) = match (k.strip_prefix("**"), v.strip_prefix("**")) {
        (Some(k2), Some(v2)) if !k2.contains("**") => (k2, v2),
        _ => (k, v),
    };
    let key = undecorate(k);
    if !valid_key(key) || k.starts_with(char::is_whitespace) {
        return None;
    }
    Some(InlineField {
        key: key.to_string(),
        value: v.trim().to_string(),
        line,
    })
}

/// `[key:: value]` and `(key:: value)` anywhere in the line (skipping inline code).
fn bracketed(line: &str, n: usize, out: &mut Vec<InlineField>) {
    for (_, _, key, value) in bracket_spans(line) {
        out.push(InlineField {
            key: key.to_string(),
            value: value.trim().to_string(),
            line: n,
        });
    }
}

/// The bracketed fields of a line: byte range of the brackets (end inclusive), key and value.
pub fn bracket_spans(line: &str) -> Vec<(usize, usize, &str, &str)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_code = false;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'`' => in_code = !in_code,
            // A wikilink `[[…]]` is skipped whole.
            b'[' if !in_code && b.get(i + 1) == Some(&b'[') => {
                i = line[i + 2..].find("]]").map_or(b.len(), |e| i + 2 + e + 2);
                continue;
            }
            open @ (b'[' | b'(') if !in_code => {
                let close = if open == b'[' { b']' } else { b')' };
                if let Some(end) = matching(b, i, open, close) {
                    let inner = &line[i + 1..end];
                    if let Some((k, v)) = inner.split_once("::") {
                        let key = undecorate(k);
                        if valid_key(key) && !k.starts_with(char::is_whitespace) {
                            out.push((i, end, key, v));
                            i = end + 1;
                            continue;
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The line with the values of the fields whose key `private` accepts removed (`phone:: 555`
/// becomes `phone::`; a bracketed `[phone:: 555]` goes entirely); `None` when nothing changes.
pub fn blank_private(line: &str, private: impl Fn(&str) -> bool) -> Option<String> {
    if !line.contains("::") {
        return None;
    }
    let spans = bracket_spans(line);
    if !spans.is_empty() {
        let mut out = String::with_capacity(line.len());
        let mut last = 0;
        for (start, end, key, _) in spans {
            if private(key) {
                out.push_str(&line[last..start]);
                last = end + 1;
            }
        }
        if last == 0 {
            return None;
        }
        out.push_str(&line[last..]);
        return Some(out);
    }
    let t = line.trim_start_matches([' ', '\t', '>']).trim_start();
    let f = full_line(t, 0)?;
    if !private(&f.key) || f.value.is_empty() {
        return None;
    }
    let cut = line.find("::")? + 2;
    Some(line[..cut].to_string())
}

/// Index of the bracket closing the one at `start` (nesting counted, `\` escapes).
fn matching(b: &[u8], start: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_values_are_blanked() {
        let p = |k: &str| k.eq_ignore_ascii_case("phone");
        assert_eq!(
            blank_private("phone:: 555-0100", p).as_deref(),
            Some("phone::")
        );
        assert_eq!(
            blank_private("- call [phone:: 555] now (who:: Bo)", p).as_deref(),
            Some("- call  now (who:: Bo)")
        );
        assert_eq!(
            blank_private("**Phone**:: 555", p).as_deref(),
            Some("**Phone**::")
        );
        assert_eq!(blank_private("role:: lead", p), None);
        assert_eq!(blank_private("no fields", p), None);
    }

    fn kv(text: &str) -> Vec<(String, String, usize)> {
        scan(text)
            .into_iter()
            .map(|f| (f.key, f.value, f.line))
            .collect()
    }

    #[test]
    fn forms() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, usize)]);
        let cases: &[Case] = &[
            ("Status:: active", &[("Status", "active", 1)]),
            ("**Owner**:: [[Ana]]", &[("Owner", "[[Ana]]", 1)]),
            ("**Owner::** Ana", &[("Owner", "Ana", 1)]),
            ("- Role:: lead", &[("Role", "lead", 1)]),
            ("> Met:: 2026-01-02", &[("Met", "2026-01-02", 1)]),
            (
                "- [ ] call [due:: 2026-03-01] and (who:: Bo)",
                &[("due", "2026-03-01", 1), ("who", "Bo", 1)],
            ),
            (
                "I rate it [rating:: [9, 10]] ok",
                &[("rating", "[9, 10]", 1)],
            ),
            ("a link [[x::y]] is not a field", &[]),
            ("`code:: x` is not", &[]),
            ("http://a::b", &[]),
            ("```\nk:: v\n```\nafter:: yes", &[("after", "yes", 4)]),
            ("---\nk:: v\n---\nbody:: 1", &[("body", "1", 4)]),
            ("no field here", &[]),
            (" :: nothing", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String, usize)> = want
                .iter()
                .map(|(k, v, l)| (k.to_string(), v.to_string(), *l))
                .collect();
            assert_eq!(kv(text), want, "{text:?}");
        }
    }
}
