//! Repair of mojibake: UTF-8 text that was decoded as Windows-1252, MacRoman or latin-1, once or
//! more, anywhere inside an otherwise correct string (`Robin‚Äôs`, `â€™`, `ðŸ“…`, `ÃƒÂ©`).
//!
//! - **Encodings.** "cp1252" is ftfy's *sloppy* Windows-1252: its 27 specials at 0x80–0x9F, the
//!   five bytes it leaves undefined passing through as U+0081 etc. As every other char below
//!   U+0100 is its own byte, it also covers latin-1 (C1 controls) and text mixing the two.
//!   "MacRoman" is Apple's table (0xDB = €; the older ¤ and Ω as U+2126 are accepted too). Its
//!   0xF0 is the Apple logo U+F8FF, often lost, so `ü` (0x9F) and two continuation chars also read
//!   as an emoji `F0 9F xx xx` (U+1F000–1FAFF) when not glued to a word (`küçük` is Turkish).
//! - **Candidates.** A char that is a UTF-8 lead byte (0xC2–0xF4) in an encoding, followed by as
//!   many chars that are continuation bytes (0x80–0xBF) in it, the bytes decoding to one char
//!   (not private use, not a noncharacter). Adjacent candidates of one encoding form a *run*,
//!   replaced only as a whole; runs of both encodings are found independently.
//! - **Cost**, ftfy's "badness" idea made local (in points; the code counts half-points).
//!   Non-ASCII chars cost ~1 each, more when rare (symbols, IPA and Latin Ext-B, archaic Greek,
//!   rare CJK; 5 for C1 controls and U+FFFD), so a 2–4 char run must collapse into one plausible
//!   char to pay off. Pairs real text almost never has add to it: accented letter + symbol
//!   (`Ã©`, `â€`), `Â`/`Ã` + punctuation (`Ã…`), symbol + symbol (`€™`), lower case into an
//!   accented capital (`ðŸ`, `sÃ`), a low-9 quote after a letter (`Robin‚Ä`), a guillemet inside
//!   a word, an accented capital and two accented small letters (MacRoman Hangul `Îäî`), letters
//!   of two scripts touching (`lՎté` from MacRoman `l’été`), a combining mark not on a plain
//!   letter, and a non-Latin letter with no letter of its script nearby nor anywhere in the text
//!   (`Tu es allé…»` must not end in a CJK char).
//! - **Decision.** A run's gain is `cost(original) - cost(decoded)`, both with the chars around
//!   it. Runs with a positive gain are applied; a tie (gain > -`SUPPORT`) too when the runs of its
//!   encoding in the text gain `STRONG` together. Overlapping runs: the encoding with the larger
//!   total gain wins, then the larger gain. An accented capital ending an all-caps word before
//!   closing punctuation (`“IRMÃ”`, `PÅ…`) never starts a candidate. Real text, even `SÃO`,
//!   `Âge`, `«École»`, `»öffentlich«`, `„Äpfel“`, stays below the bar.
//! - **Rounds.** The pass repeats until nothing changes, at most `MAX_ROUNDS` (6) times: once per
//!   layer of a double or triple encoding (`ÃƒÂ©` → `Ã©` → `é`), plus runs that only become
//!   clear once their neighbours are repaired. Each char records how many decodings produced it,
//!   which gives the layers named in [`Repair::cause`] and the stretches counted in
//!   [`Repair::runs`].
//! - **Fast path.** [`repair`] first scans for a candidate whose gain on its own (ASCII
//!   neighbours only) could be positive; ASCII goes eight bytes at a time. None: `None`, with no
//!   allocation. Measured (release, this repo's dev box): pure ASCII ~10 GB/s, clean mixed notes
//!   (accents, CJK, emoji) ~500 MB/s, French dense with `’é` ~80 MB/s; garbled text ~10–15 MB/s.
//!
//! Limitations: garbling that lost bytes (cp1252 `â€` after the undefined 0x9D was dropped, a
//! no-break space turned into a space, U+FFFD substitutes) is left alone, as is a BOM read as
//! `ï»¿` and anything decoding to private use; so are a lone non-Latin letter glued to Latin text
//! (`\fPа`) and an all-caps word whose last letter was garbled before closing punctuation
//! (`PÃ…` for `PÅ…`); deliberately odd strings (pseudo-localisation like `βèƒôřè`) may be
//! "repaired"; text garbled more than `MAX_ROUNDS` times leaves `repair` non-idempotent.

use std::cmp::Reverse;

/// One repaired string and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The repaired text.
    pub fixed: String,
    /// A short human description of the encoding chain undone, e.g. "UTF-8 read as MacRoman" or "UTF-8 read as cp1252, twice".
    pub cause: String,
    /// How many garbled runs were repaired.
    pub runs: usize,
}

/// Repairs mojibake in `s`; `None` when nothing needed repair (the common case, must be very fast: a pure-ASCII string or one with no suspicious characters returns None after one scan without allocating).
pub fn repair(s: &str) -> Option<Repair> {
    if !has_candidate(s) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut text = Text {
        depth: vec![0; chars.len()],
        chars,
        layers: Vec::new(),
    };
    let rounds = (0..MAX_ROUNDS).take_while(|_| text.repair_round()).count();
    if rounds == 0 {
        return None;
    }
    // Maximal stretches of repaired chars.
    let ends = text.depth.iter().zip(text.depth.iter().skip(1).chain([&0]));
    let runs = ends.filter(|&(&d, &next)| d > 0 && next == 0).count();
    let (fixed, cause) = (text.chars.into_iter().collect(), describe(&text.layers));
    Some(Repair { fixed, cause, runs })
}

/// Rounds of repair: a double or triple encoding takes one per layer, and some runs only become
/// clear once their neighbours are repaired. Each round is linear in the text.
const MAX_ROUNDS: usize = 6;
/// Runs of one encoding gaining at least this much together are unmistakable mojibake ...
const STRONG: i32 = 6;
/// ... and lend this much to the other runs of their encoding in the same text.
const SUPPORT: i32 = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Enc {
    Cp1252,
    MacRoman,
}

const ENCODINGS: [Enc; 2] = [Enc::Cp1252, Enc::MacRoman];
const LABEL_CP1252: u8 = 1;
const LABEL_LATIN1: u8 = 2;
const LABEL_MACROMAN: u8 = 4;

/// Windows-1252 bytes 0x80–0x9F; the five undefined ones pass through as C1 controls.
const CP1252_80: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

/// MacRoman bytes 0x80–0xFF.
const MACROMAN: [char; 128] = [
    '\u{c4}', '\u{c5}', '\u{c7}', '\u{c9}', '\u{d1}', '\u{d6}', '\u{dc}', '\u{e1}', '\u{e0}',
    '\u{e2}', '\u{e4}', '\u{e3}', '\u{e5}', '\u{e7}', '\u{e9}', '\u{e8}', '\u{ea}', '\u{eb}',
    '\u{ed}', '\u{ec}', '\u{ee}', '\u{ef}', '\u{f1}', '\u{f3}', '\u{f2}', '\u{f4}', '\u{f6}',
    '\u{f5}', '\u{fa}', '\u{f9}', '\u{fb}', '\u{fc}', '\u{2020}', '\u{b0}', '\u{a2}', '\u{a3}',
    '\u{a7}', '\u{2022}', '\u{b6}', '\u{df}', '\u{ae}', '\u{a9}', '\u{2122}', '\u{b4}', '\u{a8}',
    '\u{2260}', '\u{c6}', '\u{d8}', '\u{221e}', '\u{b1}', '\u{2264}', '\u{2265}', '\u{a5}',
    '\u{b5}', '\u{2202}', '\u{2211}', '\u{220f}', '\u{3c0}', '\u{222b}', '\u{aa}', '\u{ba}',
    '\u{3a9}', '\u{e6}', '\u{f8}', '\u{bf}', '\u{a1}', '\u{ac}', '\u{221a}', '\u{192}', '\u{2248}',
    '\u{2206}', '\u{ab}', '\u{bb}', '\u{2026}', '\u{a0}', '\u{c0}', '\u{c3}', '\u{d5}', '\u{152}',
    '\u{153}', '\u{2013}', '\u{2014}', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{f7}',
    '\u{25ca}', '\u{ff}', '\u{178}', '\u{2044}', '\u{20ac}', '\u{2039}', '\u{203a}', '\u{fb01}',
    '\u{fb02}', '\u{2021}', '\u{b7}', '\u{201a}', '\u{201e}', '\u{2030}', '\u{c2}', '\u{ca}',
    '\u{c1}', '\u{cb}', '\u{c8}', '\u{cd}', '\u{ce}', '\u{cf}', '\u{cc}', '\u{d3}', '\u{d4}',
    '\u{f8ff}', '\u{d2}', '\u{da}', '\u{db}', '\u{d9}', '\u{131}', '\u{2c6}', '\u{2dc}', '\u{af}',
    '\u{2d8}', '\u{2d9}', '\u{2da}', '\u{b8}', '\u{2dd}', '\u{2db}', '\u{2c7}',
];

const fn count_wide(t: &[char]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < t.len() {
        n += (t[i] as u32 > 0xFF) as usize;
        i += 1;
    }
    n
}

/// The chars above U+00FF of a high-half table with their bytes, sorted for binary search.
const fn wide_table<const N: usize>(t: &[char]) -> [(char, u8); N] {
    let mut out = [('\0', 0u8); N];
    let (mut i, mut n) = (0, 0);
    while i < t.len() {
        if t[i] as u32 > 0xFF {
            let mut j = n;
            while j > 0 && out[j - 1].0 as u32 > t[i] as u32 {
                out[j] = out[j - 1];
                j -= 1;
            }
            out[j] = (t[i], 0x80 + i as u8);
            n += 1;
        }
        i += 1;
    }
    out
}

/// MacRoman byte for each char below U+0100 (0 = none), plus the pre-euro ¤ at 0xDB.
const fn macroman_latin() -> [u8; 256] {
    let mut out = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        if (MACROMAN[i] as u32) < 0x100 {
            out[MACROMAN[i] as usize] = 0x80 + i as u8;
        }
        i += 1;
    }
    out[0xA4] = 0xDB;
    out
}

const CP_WIDE: [(char, u8); count_wide(&CP1252_80)] = wide_table(&CP1252_80);
const MAC_WIDE: [(char, u8); count_wide(&MACROMAN)] = wide_table(&MACROMAN);
const MAC_LATIN: [u8; 256] = macroman_latin();

/// The byte `c` came from if it was produced by decoding with `enc`.
fn to_byte(enc: Enc, c: char) -> Option<u8> {
    let u = c as u32;
    let wide = |t: &[(char, u8)]| {
        let i = t.binary_search_by_key(&c, |&(k, _)| k).ok()?;
        t.get(i).map(|&(_, b)| b)
    };
    match enc {
        _ if u < 0x80 => Some(u as u8),
        Enc::Cp1252 if u < 0x100 => Some(u as u8),
        Enc::Cp1252 => wide(&CP_WIDE),
        Enc::MacRoman if u < 0x100 => MAC_LATIN.get(u as usize).copied().filter(|&b| b != 0),
        Enc::MacRoman if c == '\u{2126}' => Some(0xBD),
        Enc::MacRoman => wide(&MAC_WIDE),
    }
}

/// Reads the chars at the start of `w`, which follow `prev`, as the bytes of one UTF-8 sequence
/// in `enc`: how many chars it spans and the char it decodes to.
fn decode_at(enc: Enc, w: &[char], prev: Option<char>) -> Option<(usize, char)> {
    let first = *w.first()?;
    // `implied`: a MacRoman emoji whose lead byte 0xF0 (U+F8FF) was lost.
    let (len, implied) = match to_byte(enc, first)? {
        0xC2..=0xDF => (2, false),
        0xE0..=0xEF => (3, false),
        0xF0..=0xF4 => (4, false),
        0x9F if enc == Enc::MacRoman => (4, true),
        _ => return None,
    };
    let skip = usize::from(implied);
    let mut buf = [0xF0u8; 4];
    for (k, slot) in buf.iter_mut().enumerate().take(len).skip(skip) {
        let b = to_byte(enc, *w.get(k - skip)?)?;
        if k > 0 && !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let c = std::str::from_utf8(buf.get(..len)?).ok()?.chars().next()?;
    let u = c as u32;
    let glued = |c: &char| c.is_alphabetic() && *c != 'ü';
    if implied
        && (!(0x1F000..=0x1FAFF).contains(&u)
            || prev.is_some_and(|p| glued(&p))
            || w.get(3).is_some_and(glued))
    {
        return None;
    }
    // An all-caps word ending in an accented capital, then closing punctuation: `“IRMÃ”` and
    // `PÅ…` are Portuguese and Swedish, not Ô and Ņ (while `KÃ–LN` is KÖLN). No word ends in Â,
    // and `Â` + no-break space is the most common mojibake of all.
    if len == 2 && prev.is_some_and(char::is_uppercase) && first.is_uppercase() && first != 'Â' {
        let closing = w
            .get(1)
            .is_some_and(|c| matches!(c, '’' | '”' | '…' | '—' | '–' | '•' | '»' | '›'));
        if closing && !w.get(2).is_some_and(|c| c.is_alphabetic()) {
            return None;
        }
    }
    // C1 controls and U+F8FF stay possible: they are what an inner layer of latin-1 or MacRoman
    // garbling looks like once the outer one is undone.
    if (is_private_or_nonchar(u) && u != 0xF8FF) || u == 0xFEFF {
        return None;
    }
    Some((len - skip, c))
}

fn is_private_or_nonchar(u: u32) -> bool {
    (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// The fast path, allocation-free: is there a candidate that on its own could be worth repairing
/// (its gain plus `SUPPORT` positive, counting only ASCII neighbours, as a non-ASCII one may be
/// garbled too, and no lone-letter rule)? French `l’été` holds a MacRoman candidate, no more.
fn has_candidate(s: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while let Some(chunk) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            if u64::from_ne_bytes(chunk) & HIGH != 0 {
                break;
            }
            i += 8;
        }
        match bytes.get(i) {
            None => return false,
            Some(&b) if b < 0x80 => {
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let mut it = s.get(i..).unwrap_or("").chars();
        let Some(c) = it.next() else { return false };
        let may_lead = (0xC2..=0xF4).contains(&(c as u32))
            || matches!(to_byte(Enc::MacRoman, c), Some(0x9F | 0xC2..=0xF4));
        if may_lead {
            let (mut w, mut n) = ([c; 5], 1);
            for (slot, d) in w.iter_mut().skip(1).zip(it) {
                (*slot, n) = (d, n + 1);
            }
            let w = w.get(..n).unwrap_or(&[]);
            let before = s.get(..i).and_then(|p| p.chars().next_back());
            for enc in ENCODINGS {
                let Some((len, d)) = decode_at(enc, w, before) else {
                    continue;
                };
                let (prev, next) = (
                    before.filter(char::is_ascii),
                    w.get(len).copied().filter(char::is_ascii),
                );
                let present = u16::MAX;
                let ctx = Context {
                    prev,
                    next,
                    present,
                    ..Context::default()
                };
                if cost(w.get(..len).unwrap_or(&[]), &ctx) - cost(&[d], &ctx) + SUPPORT > 0 {
                    return true;
                }
            }
        }
        i += c.len_utf8();
    }
}

/// The text being repaired, with for each char how many decodings produced it.
struct Text {
    chars: Vec<char>,
    depth: Vec<u8>,
    /// For each layer of decoding undone (outermost first), the encodings involved.
    layers: Vec<u8>,
}

/// A candidate replacement of `chars[start..end]` by `out`.
struct Run {
    start: usize,
    end: usize,
    out: Vec<char>,
    gain: i32,
    enc: Enc,
}

/// The runs of `enc` in `chars`, gain not yet measured.
fn runs_of(chars: &[char], enc: Enc) -> Vec<Run> {
    let rest = |i: usize| chars.get(i..).unwrap_or(&[]);
    let (mut found, mut i) = (Vec::new(), 0);
    while i < chars.len() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let Some((n, c)) = decode_at(enc, rest(i), prev) else {
            i += 1;
            continue;
        };
        let (start, mut out) = (i, vec![c]);
        i += n;
        while let Some((n, c)) = decode_at(enc, rest(i), out.last().copied()) {
            out.push(c);
            i += n;
        }
        // A lone C1 control is no repair; it only makes sense in a run a later round decodes.
        if out.len() > 1 || !out.iter().any(|c| ('\u{80}'..='\u{9f}').contains(c)) {
            found.push(Run {
                start,
                end: i,
                out,
                gain: 0,
                enc,
            });
        }
    }
    found
}

impl Text {
    /// One pass over both encodings; false when nothing changed.
    fn repair_round(&mut self) -> bool {
        let chars = &self.chars;
        let mut found: Vec<Run> = ENCODINGS.iter().flat_map(|&e| runs_of(chars, e)).collect();
        // Scripts in the text, then also those that unmistakable runs decode to: a lone Cyrillic
        // or CJK letter is plausible in text that has others.
        let mut present = scripts(chars);
        let gain = |r: &Run, present: u16| {
            let ctx = Context::around(chars, r.start, r.end, present);
            cost(chars.get(r.start..r.end).unwrap_or(&[]), &ctx) - cost(&r.out, &ctx)
        };
        for r in &mut found {
            r.gain = gain(r, present);
        }
        let more = found
            .iter()
            .filter(|r| r.gain >= STRONG)
            .fold(0, |acc, r| acc | scripts(&r.out));
        if more & !present != 0 {
            present |= more;
            for r in found.iter_mut().filter(|r| r.gain < STRONG) {
                r.gain = gain(r, present);
            }
        }
        let total = |e: Enc, f: &[Run]| {
            f.iter()
                .filter(|r| r.enc == e && r.gain > 0)
                .map(|r| r.gain)
                .sum::<i32>()
        };
        let supported = ENCODINGS.map(|e| total(e, &found) >= STRONG);
        found.retain(|r| {
            r.gain > 0 || (r.gain + SUPPORT > 0 && supported.get(r.enc as usize) == Some(&true))
        });
        // Where runs of the two encodings overlap, the one that explains more of the text wins.
        let (mac, cp) = (total(Enc::MacRoman, &found), total(Enc::Cp1252, &found));
        let dominant = (mac != cp).then_some(if mac > cp { Enc::MacRoman } else { Enc::Cp1252 });
        found.sort_by_key(|r| Reverse((Some(r.enc) == dominant, r.gain, r.end - r.start)));
        let mut taken = vec![false; chars.len()];
        found.retain(|r| match taken.get_mut(r.start..r.end) {
            Some(span) if !span.contains(&true) => {
                span.fill(true);
                true
            }
            _ => false,
        });
        if found.is_empty() {
            return false;
        }
        found.sort_by_key(|r| r.start);
        let (mut fixed, mut depth, mut at) = (Vec::with_capacity(chars.len()), Vec::new(), 0);
        for run in &found {
            fixed.extend_from_slice(chars.get(at..run.start).unwrap_or(&[]));
            depth.extend_from_slice(self.depth.get(at..run.start).unwrap_or(&[]));
            let below = self
                .depth
                .get(run.start..run.end)
                .and_then(|d| d.iter().max());
            let d = below.copied().unwrap_or(0).saturating_add(1);
            fixed.extend_from_slice(&run.out);
            depth.extend(run.out.iter().map(|_| d));
            let original = chars.get(run.start..run.end).unwrap_or(&[]);
            let label = match run.enc {
                Enc::MacRoman => LABEL_MACROMAN,
                Enc::Cp1252 if original.iter().any(|&c| c as u32 > 0xFF) => LABEL_CP1252,
                Enc::Cp1252 if original.iter().any(|&c| (c as u32) < 0xA0) => LABEL_LATIN1,
                Enc::Cp1252 => LABEL_CP1252,
            };
            let layer = usize::from(d - 1);
            if self.layers.len() <= layer {
                self.layers.resize(layer + 1, 0);
            }
            if let Some(l) = self.layers.get_mut(layer) {
                *l |= label;
            }
            at = run.end;
        }
        fixed.extend_from_slice(chars.get(at..).unwrap_or(&[]));
        depth.extend_from_slice(self.depth.get(at..).unwrap_or(&[]));
        (self.chars, self.depth) = (fixed, depth);
        true
    }
}

fn describe(layers: &[u8]) -> String {
    let name = |bits: u8| {
        let names = [
            (LABEL_CP1252, "cp1252"),
            (LABEL_LATIN1, "latin-1"),
            (LABEL_MACROMAN, "MacRoman"),
        ];
        let parts: Vec<&str> = names
            .iter()
            .filter(|(b, _)| bits & b != 0)
            .map(|(_, n)| *n)
            .collect();
        parts.join(" and ")
    };
    let first = layers.first().copied().unwrap_or(0);
    if layers.iter().all(|&l| l == first) {
        let times = match layers.len() {
            0 | 1 => "",
            2 => ", twice",
            3 => ", three times",
            _ => ", many times",
        };
        return format!("UTF-8 read as {}{times}", name(first));
    }
    // The last layer undone is the first mis-decoding.
    let steps: Vec<String> = layers.iter().rev().map(|&l| name(l)).collect();
    format!("UTF-8 read as {}", steps.join(", then as "))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Any,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Cjk,
    Other,
}

/// What a char is for the cost: `Neutral` says little (ASCII non-letters, emoji...), `Latin` is
/// a non-ASCII Latin letter, `Foreign` any char of another script's block, `Punct` quotes, dashes,
/// ellipsis, bullets, guillemets, no-break space, `Sym` the symbols of the legacy high halves
/// (© ° ± ™ € √ ∞...), `Mark` a combining mark for letters of a script, `Bad` C1 controls, private
/// use and U+FFFD.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Neutral,
    AsciiLetter,
    Latin,
    Foreign(Script),
    Punct,
    Sym,
    Mark(Script),
    Bad,
}

#[derive(Clone, Copy, Debug)]
struct Info {
    kind: Kind,
    upper: bool,
    base: i32,
}

fn info(c: char) -> Info {
    use {Kind::*, Script as S};
    let u = c as u32;
    let (kind, base) = match u {
        0..=0x7F if c.is_ascii_alphabetic() => (AsciiLetter, 0),
        0..=0x7F => (Neutral, 0),
        0x80..=0x9F | 0xFFFD => (Bad, 10),
        0xF8FF => (Sym, 4),
        _ if is_private_or_nonchar(u) => (Bad, 10),
        0xA0 | 0xAB | 0xBB | 0xB7 | 0x2010..=0x201F | 0x2022..=0x2027 | 0x2039 | 0x203A => {
            (Punct, 2)
        }
        0xA9 | 0xAE | 0xB0 | 0xA3 | 0x20AC | 0xB1 | 0xBD | 0xBC | 0xBE | 0xD7 | 0x2122 => (Sym, 2),
        0xA7 | 0xBF | 0xA1 | 0xB2 | 0xB3 | 0xB5 | 0x2264 | 0x2265 | 0x2248 | 0x2260 => (Sym, 2),
        0x221E => (Sym, 2),
        0xA1..=0xBF | 0xF7 | 0x2020 | 0x2021 | 0x2030 => (Sym, 3),
        0x221A | 0x2206 | 0x2202 | 0x2211 | 0x220F | 0x222B | 0x25CA | 0x2044 => (Sym, 3),
        0xFB01 | 0xFB02 => (Sym, 3),
        0x192 => (Sym, 4),
        0x2B0..=0x2FF => (Sym, 6),
        // The accents of decomposed European text; other marks are rare.
        0x300..=0x30C | 0x323 | 0x327 | 0x328 => (Mark(S::Any), 2),
        0x30D..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF => (Mark(S::Any), 8),
        0xFE20..=0xFE2F => (Mark(S::Any), 8),
        0x483..=0x489 => (Mark(S::Cyrillic), 4),
        0x591..=0x5C7 => (Mark(S::Hebrew), 4),
        0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6ED => (Mark(S::Arabic), 4),
        0x711 | 0x730..=0x74A | 0x7A6..=0x7B0 | 0x7EB..=0x7F3 => (Mark(S::Other), 4),
        // Whole blocks, punctuation and unassigned points included: MacRoman `’ü` is U+055F.
        0x386..=0x3CE => (Foreign(S::Greek), 2),
        0x370..=0x3FF => (Foreign(S::Greek), 6),
        0x400..=0x45F | 0x48A..=0x4FF => (Foreign(S::Cyrillic), 2),
        0x460..=0x52F => (Foreign(S::Cyrillic), 6),
        0x530..=0x58F => (Foreign(S::Armenian), 2),
        0x590..=0x5FF => (Foreign(S::Hebrew), 2),
        0x600..=0x6FF => (Foreign(S::Arabic), 2),
        0x700..=0x8FF => (Foreign(S::Other), 8),
        0x3200..=0x33FF => (Neutral, 4),
        _ if !c.is_alphabetic() => (Neutral, 2),
        0xC0..=0x17F | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1E00..=0x1EFF => (Latin, 2),
        // Ext-B is mostly rare, and is what MacRoman `«é` (ǎ) or `»ö` (Ț) would decode to.
        0x218..=0x21B => (Latin, 4),
        0x180..=0x2AF | 0x1D00..=0x1DBF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => (Latin, 8),
        0x1F00..=0x1FFF => (Foreign(S::Greek), 2),
        // Rare ideographs (extensions A and B on) are what symbol soup decodes to.
        0x3400..=0x4DBF | 0x20000..=0x3FFFF => (Foreign(S::Cjk), 6),
        0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF => {
            (Foreign(S::Cjk), 2)
        }
        0xFF00..=0xFFEF => (Foreign(S::Cjk), 2),
        0xA000..=0xA4CF => (Foreign(S::Other), 6),
        _ => (Foreign(S::Other), 2),
    };
    Info {
        kind,
        upper: c.is_uppercase(),
        base,
    }
}

fn script(i: Info) -> Option<Script> {
    match i.kind {
        Kind::AsciiLetter | Kind::Latin => Some(Script::Latin),
        Kind::Foreign(s) => Some(s),
        _ => None,
    }
}

fn script_bit(s: Script) -> u16 {
    1 << (s as u16)
}

/// The non-Latin scripts whose letters occur in `chars`, as a bit set.
fn scripts(chars: &[char]) -> u16 {
    chars.iter().fold(0, |acc, &c| match info(c).kind {
        Kind::Foreign(s) => acc | script_bit(s),
        _ => acc,
    })
}

/// Extra cost of `a` directly followed by `b`.
fn pair(a: char, ia: Info, b: char, ib: Info) -> i32 {
    use Kind::*;
    match (ia.kind, ib.kind) {
        (Latin, Sym) => 6,
        (Latin, Punct) if matches!(a, 'Â' | 'Ã') => 6,
        (Latin, Punct) if ia.upper => 2,
        (Sym, Sym) => 4,
        (Sym, Punct) | (Punct, Sym) => 1,
        (Sym, Latin | Foreign(_)) => 2,
        (AsciiLetter, Latin) if ib.upper && a.is_ascii_lowercase() => 3,
        (Latin, Latin) if ib.upper && a.is_lowercase() => 4,
        (AsciiLetter | Latin | Foreign(_), Punct) if matches!(b, '‚' | '„') => 4,
        (Punct, Latin) if matches!(a, '‚' | '„') => 2,
        (_, Mark(s)) => match (script(ia), ia.kind) {
            (_, Mark(_)) => 0,
            // Decomposed text puts marks on plain letters; a second accent is unlikely.
            (_, Latin) => 6,
            (Some(x), _) if s == Script::Any || s == x => 0,
            _ => 8,
        },
        _ => match (script(ia), script(ib)) {
            // Greek letters are common as symbols in Latin text: Δt, μs, π r².
            (Some(Script::Greek), Some(_)) | (Some(_), Some(Script::Greek))
                if ia.kind != ib.kind =>
            {
                2
            }
            (Some(x), Some(y)) if x != y => 6,
            _ => 0,
        },
    }
}

/// The script of the nearest letter within three chars from `chars[at]` on.
fn nearby_script(chars: &[char], mut at: usize, forward: bool) -> Option<Script> {
    for _ in 0..3 {
        if let Some(s) = script(info(*chars.get(at)?)) {
            return Some(s);
        }
        at = if forward { at + 1 } else { at.checked_sub(1)? };
    }
    None
}

/// What surrounds a run when its cost is measured.
#[derive(Default)]
struct Context {
    prev: Option<char>,
    next: Option<char>,
    /// Scripts of the nearest letters before and after the run.
    left: Option<Script>,
    right: Option<Script>,
    /// Non-Latin scripts known to occur in the text.
    present: u16,
}

impl Context {
    fn around(chars: &[char], start: usize, end: usize, present: u16) -> Context {
        let before = start.checked_sub(1);
        Context {
            prev: before.and_then(|p| chars.get(p)).copied(),
            next: chars.get(end).copied(),
            left: before.and_then(|p| nearby_script(chars, p, false)),
            right: nearby_script(chars, end, true),
            present,
        }
    }
}

/// Cost of the chars `mid` in context `ctx`, in half-points (see the module doc).
fn cost(mid: &[char], ctx: &Context) -> i32 {
    let offset = usize::from(ctx.prev.is_some());
    let at = |k: usize| match k.checked_sub(offset) {
        None => ctx.prev,
        Some(m) if m < mid.len() => mid.get(m).copied(),
        Some(_) => ctx.next,
    };
    let letter = |i: Info| matches!(i.kind, Kind::AsciiLetter | Kind::Latin);
    let (mut total, mut back2, mut back1) = (0, None::<Info>, None::<(char, Info)>);
    for k in 0..offset + mid.len() + usize::from(ctx.next.is_some()) {
        let Some(c) = at(k) else { continue };
        let i = info(c);
        match back1 {
            None if matches!(i.kind, Kind::Mark(_)) => total += 8,
            None => {}
            Some((a, ia)) => {
                total += pair(a, ia, c, i);
                // Guillemets open or close words, they never sit inside one: `ie»ôire`.
                if matches!(a, '«' | '»') && letter(i) && back2.is_some_and(letter) {
                    total += 4;
                }
            }
        }
        if let Some(m) = k.checked_sub(offset).filter(|&m| m < mid.len()) {
            total += i.base;
            // An accented capital and two accented small letters: MacRoman Hangul/CJK (`Îäî`).
            let lower = |i: Info| i.kind == Kind::Latin && !i.upper;
            if let (Some(i2), Some((_, i1))) = (back2, back1) {
                if lower(i) && lower(i1) && i2.kind == Kind::Latin && i2.upper {
                    total += 3;
                }
            }
            // A letter of a non-Latin script alone among Latin ones.
            if let Kind::Foreign(s) = i.kind {
                let lone = match s {
                    Script::Cjk => 4,
                    Script::Latin | Script::Any | Script::Greek => 0,
                    _ => 6,
                };
                let left = m
                    .checked_sub(1)
                    .map_or(ctx.left, |p| mid.get(p).and_then(|&c| script(info(c))));
                let right = mid.get(m + 1).map_or(ctx.right, |&c| script(info(c)));
                if ctx.present & script_bit(s) == 0 && left != Some(s) && right != Some(s) {
                    total += lone;
                }
            }
        }
        (back2, back1) = (back1.map(|(_, i)| i), Some((c, i)));
    }
    total
}

#[cfg(test)]
#[path = "mojibake_tests.rs"]
mod tests;
