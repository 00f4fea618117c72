//! Search text: folding (compatibility decomposition, marks removed, lower case) and tokens (runs
//! of letters and digits). The theme's `search.js` does exactly the same in the browser, so that a
//! query typed as `jose` finds `José`.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longest token kept (longer ones are cut).
pub const MAX_TOKEN: usize = 40;

/// `José García` → `jose garcia`.
pub fn fold(s: &str) -> String {
    // Character by character: the same result as NFKD of the whole text once the marks (which
    // NFKD would reorder) are dropped.
    crate::text::lower_ascii_runs(s, |c, out| {
        decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                out.extend(d.to_lowercase());
            }
        })
    })
}

/// The folded tokens of `s`, in order (repeats kept).
pub fn tokens(s: &str) -> Vec<String> {
    split(&fold(s)).map(str::to_string).collect()
}

/// The tokens of already folded text: runs of letters and digits, cut at [`MAX_TOKEN`].
pub fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| match t.len() > MAX_TOKEN {
            // Fewer bytes than the limit: fewer characters too.
            false => t,
            true => match t.char_indices().nth(MAX_TOKEN) {
                Some((i, _)) => &t[..i],
                None => t,
            },
        })
}

/// A file name for a shard: `[a-z0-9]` kept, every other character as `_<hex code point>_`.
pub fn shard_file(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("José García-López", &["jose", "garcia", "lopez"]),
            ("Straße", &["straße"]),
            ("ÉCOLE d'été", &["ecole", "d", "ete"]),
            ("Ｆｕｌｌｗｉｄｔｈ ＡＢＣ", &["fullwidth", "abc"]),
            ("Ⅻ ½", &["xii", "1", "2"]),
            ("2026-03-04 sync", &["2026", "03", "04", "sync"]),
            ("Zoë Werner", &["zoe", "werner"]),
            ("Ångström", &["angstrom"]),
            ("Москва", &["москва"]),
            ("東京 tower", &["東京", "tower"]),
            ("  --  ", &[]),
        ];
        for (s, want) in cases {
            assert_eq!(tokens(s), *want, "{s}");
        }
        let long = "a".repeat(60);
        assert_eq!(tokens(&long)[0].len(), MAX_TOKEN);
    }

    #[test]
    fn shard_file_names() {
        assert_eq!(shard_file("jo"), "jo");
        assert_eq!(shard_file("k:"), "k_3a_");
        assert_eq!(shard_file("ø"), "_f8_");
        assert_eq!(shard_file("東"), "_6771_");
    }
}
