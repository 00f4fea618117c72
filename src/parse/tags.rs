//! Parse stage, tags: Obsidian's `#tag` grammar (letters, digits, `_`, `-`, `/`, any Unicode
//! letter or emoji; not all digits; starts after whitespace or at the start of a line).

/// Is `c` a character that ends a tag?
fn is_terminator(c: char) -> bool {
    c.is_whitespace()
        || "!\"#$%&'()*+,.:;<=>?@^`{|}~[]\\".contains(c)
        || ('\u{2000}'..='\u{206F}').contains(&c)
        || ('\u{2E00}'..='\u{2E7F}').contains(&c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
}

/// Is `t` (without `#`) a valid tag name?
pub fn is_valid_tag(t: &str) -> bool {
    !t.is_empty()
        && !t.chars().any(is_terminator)
        && t.chars()
            .any(|c| !c.is_ascii_digit() && c != '/' && c != '-' && c != '_')
        && !t.starts_with('/')
}

/// Finds tags in `text`: byte ranges of `#name` and the names. `at_boundary` says whether the
/// start of `text` counts as the start of a word.
pub fn find_tags(text: &str, at_boundary: bool) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut prev_ws = at_boundary;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '#' && prev_ws {
            let start = i;
            let name_start = i + 1;
            let mut end = name_start;
            while let Some(&(j, d)) = iter.peek() {
                if is_terminator(d) {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
            let name = text[name_start..end].trim_end_matches('/');
            if is_valid_tag(name) {
                out.push((start..name_start + name.len(), name.to_string()));
            }
            prev_ws = false;
            continue;
        }
        prev_ws = c.is_whitespace();
    }
    out
}

/// Tag and its parents: `a/b/c` → `a`, `a/b`, `a/b/c`.
pub fn with_parents(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::new();
    for part in tag.split('/').filter(|p| !p.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(part);
        out.push(acc.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        find_tags(s, true).into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn obsidian_tag_rules() {
        assert_eq!(
            names("#a and #b/c, x#y #123 #y1984"),
            vec!["a", "b/c", "y1984"]
        );
        assert_eq!(names("#tag."), vec!["tag"]);
        assert_eq!(names("#émoji🎉 #日本"), vec!["émoji🎉", "日本"]);
        assert_eq!(names("see http://x.org/#frag"), Vec::<String>::new());
        assert_eq!(names("# heading-ish"), Vec::<String>::new());
        assert!(find_tags("#a", false).is_empty());
        assert_eq!(with_parents("a/b/c"), vec!["a", "a/b", "a/b/c"]);
    }
}
