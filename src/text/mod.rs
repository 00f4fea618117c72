//! Text repair and comparison shared by the stages: mojibake repair (load), fact folding
//! (profiles) and case folding (mentions, search).

pub mod fact_words;
pub mod facts;
pub mod mojibake;

/// `s` cut into its maximal runs of ASCII and of other characters, in order, each with whether
/// it is the ASCII kind. Most text is ASCII: a run is handled at once, byte by byte.
pub fn ascii_runs(s: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.bytes().next()?;
        let ascii = first.is_ascii();
        let len = rest
            .bytes()
            .position(|b| b.is_ascii() != ascii)
            .unwrap_or(rest.len());
        // The byte where the kind changes is ASCII or a lead byte: a character boundary.
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some((ascii, run))
    })
}

/// `s` with ASCII letters lower-cased a run at a time (most text is ASCII with a few other
/// characters), and each other character written by `other`.
pub fn lower_ascii_runs(s: &str, mut other: impl FnMut(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len());
    for (ascii, run) in ascii_runs(s) {
        if ascii {
            let at = out.len();
            out.push_str(run);
            out[at..].make_ascii_lowercase();
        } else {
            for c in run.chars() {
                other(c, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{ascii_runs, lower_ascii_runs};

    #[test]
    fn runs_alternate_and_cover_the_text() {
        let runs: Vec<(bool, &str)> = ascii_runs("Zoë Müller: 📅 ok").collect();
        assert_eq!(
            runs,
            [
                (true, "Zo"),
                (false, "ë"),
                (true, " M"),
                (false, "ü"),
                (true, "ller: "),
                (false, "📅"),
                (true, " ok")
            ]
        );
        assert_eq!(ascii_runs("").count(), 0);
        assert_eq!(ascii_runs("äö").collect::<Vec<_>>(), [(false, "äö")]);
        let folded = lower_ascii_runs("ÀB ÇD", |c, out| out.extend(c.to_lowercase()));
        assert_eq!(folded, "àb çd");
    }
}
