//! Text repair and comparison shared by the stages: mojibake repair (load), fact folding
//! (profiles) and case folding (mentions, search).

pub mod fact_words;
pub mod facts;
pub mod mojibake;

/// `s` with ASCII letters lower-cased a run at a time (most text is ASCII with a few other
/// characters), and each other character written by `other`.
pub fn lower_ascii_runs(s: &str, mut other: impl FnMut(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        let at = out.len();
        out.push_str(run);
        out[at..].make_ascii_lowercase();
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            other(c, &mut out);
        }
        rest = chars.as_str();
    }
    out
}
