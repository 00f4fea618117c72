//! Fact folding, the words: the lexicon (stopwords, synonyms, opposites, dates, numbers), the
//! light stemmer, markdown stripping and tokenising, and [`featurize`], which reduces a list item
//! to the content words, numbers, names and negations the measure in [`super::facts`] compares.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

pub(super) const STOPWORDS: &str =
    "a an the and or but if then than so as of to in on at by for with from
    into onto about over under per via up down out off again also just only very really quite too
    still even yet already currently now i im me my we us our you your he him his she her hers they
    them their it its this that these those there here who whom whose which what when where why how
    all any both each every either few more most less other another some such same much many lot
    lots several is are was were be been being am do does did doing done have has had having will
    would shall should can could may might must let get gets got getting make makes made making
    able one rather instead because since while though although whether after before until during
    through within between among across around against toward towards upon well last next ahead
    etc eg ie";
/// Intent, reporting and opinion verbs, dropped like stopwords (matched after stemming).
pub(super) const IGNORED: &str =
    "plan commit intend aim schedule willing expect think believe feel say
    state add mention note tell explain confirm indicate according seem";
pub(super) const NEGATIONS: &str =
    "not no never none nobody nothing neither nor without cannot cant dont
    doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt unable";
/// Synonym groups, `|`-separated: every word reads as the first of its group.
pub(super) const SYNONYMS: &str =
    "friend contact acquaintance buddy pal | lead head manage manager oversee
    run leader | travel fly trip | start begin kickoff kick | talk speak discuss chat | need require
    requirement | buy purchase acquire | big large huge | use utilize utilise leverage | email mail
    | role job position | company firm | contract deal agreement | move relocate | own responsible
    accountable | approve sign | executive exec | engineer eng | meet meeting sync | want wish like
    keen | concern worry doubt skeptical | help assist | ask request | finish complete wrap end
    conclude | visit see | kid child";
/// Words of opposite meaning: one in each item vetoes the merge.
pub(super) const OPPOSITES: &str =
    "join/leave join/quit hire/fire start/stop open/close approve/reject
    accept/decline accept/reject increase/decrease increase/cut raise/cut win/lose gain/lose
    add/remove add/drop enable/disable buy/sell like/dislike support/oppose include/exclude
    pass/fail succeed/fail promote/demote sign/cancel before/after early/late above/below
    over/under more/less more/fewer high/low up/down first/last last/next min/max
    internal/external public/private online/offline remote/onsite junior/senior frontend/backend
    inbound/outbound import/export arrive/depart brother/sister son/daughter husband/wife
    mother/father fast/slow cheap/expensive happy/unhappy true/false";
pub(super) const IRREGULAR: &str = "flew:fly flown:fly flies:fly flying:fly flight:fly flights:fly
    left:leave went:go gone:go goes:go met:meet said:say says:say told:tell took:take taken:take
    ran:run began:begin begun:begin bought:buy sold:sell spoke:speak spoken:speak wrote:write
    written:write led:lead built:build sent:send spent:spend held:hold won:win lost:lose
    chose:choose chosen:choose knew:know known:know saw:see seen:see gave:give given:give
    became:become brought:bring kept:keep felt:feel paid:pay thought:think using:use used:use
    uses:use kids:kid children:child people:person";
pub(super) const DATES: &str =
    "january:january jan:january february:february feb:february march:march
    mar:march april:april apr:april june:june jun:june july:july jul:july august:august aug:august
    september:september sept:september sep:september october:october oct:october
    november:november nov:november december:december dec:december monday:monday
    tuesday:tuesday wednesday:wednesday thursday:thursday friday:friday saturday:saturday
    sunday:sunday today:today tonight:today tomorrow:tomorrow yesterday:yesterday day:day
    daily:day week:week weekly:week month:month monthly:month quarter:quarter quarterly:quarter
    year:year yearly:year annual:year annually:year";
/// Number words by value ("one" is left out: it is mostly a pronoun).
pub(super) const NUMBER_WORDS: &str =
    "zero - two three four five six seven eight nine ten eleven twelve";

pub(super) struct Lexicon {
    pub(super) stop: HashSet<&'static str>,
    pub(super) negations: HashSet<&'static str>,
    pub(super) ignored: HashSet<String>,
    pub(super) synonyms: HashMap<String, String>,
    pub(super) opposites: HashMap<String, Vec<(usize, bool)>>,
    pub(super) opposite_pairs: Vec<(&'static str, &'static str)>,
    pub(super) dates: HashMap<&'static str, &'static str>,
    pub(super) numbers: HashMap<&'static str, usize>,
}

pub(super) fn pairs(
    list: &'static str,
    sep: char,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    list.split_whitespace()
        .filter_map(move |p| p.split_once(sep))
}

pub(super) fn irregular(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let map = MAP.get_or_init(|| pairs(IRREGULAR, ':').collect());
    map.get(word).copied()
}

pub(super) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut synonyms = HashMap::default();
        for group in SYNONYMS.split('|') {
            let words: Vec<String> = group.split_whitespace().map(stem).collect();
            for w in &words {
                synonyms.insert(w.clone(), words[0].clone());
            }
        }
        let opposite_pairs: Vec<_> = pairs(OPPOSITES, '/').collect();
        let mut opposites: HashMap<String, Vec<(usize, bool)>> = HashMap::default();
        for (i, (x, y)) in opposite_pairs.iter().enumerate() {
            opposites.entry(stem(x)).or_default().push((i, false));
            opposites.entry(stem(y)).or_default().push((i, true));
        }
        let numbers = NUMBER_WORDS.split_whitespace().enumerate();
        Lexicon {
            stop: STOPWORDS.split_whitespace().collect(),
            negations: NEGATIONS.split_whitespace().collect(),
            ignored: IGNORED.split_whitespace().map(stem).collect(),
            synonyms,
            opposites,
            opposite_pairs,
            dates: pairs(DATES, ':').collect(),
            numbers: numbers.map(|(i, w)| (w, i)).collect(),
        }
    })
}

/// Light suffix stripping for ASCII words; other words are returned unchanged.
pub(super) fn stem(word: &str) -> String {
    let w = irregular(word).unwrap_or(word);
    if w.len() <= 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return w.to_string();
    }
    let vowel = |s: &str| s.bytes().any(|b| b"aeiouy".contains(&b));
    let mut s = w.to_string();
    if s.len() > 4 && s.ends_with("ies") {
        s.replace_range(s.len() - 3.., "y");
    } else if ends_any(&s, &["sses", "xes", "ches", "shes", "zes"]) {
        s.truncate(s.len() - 2);
    } else if s.ends_with('s') && !ends_any(&s, &["ss", "us", "is"]) {
        s.pop();
    }
    let strip =
        |x: &&str| s.ends_with(x) && s.len() > x.len() + 2 && vowel(&s[..s.len() - x.len()]);
    if s.len() > 4 && s.ends_with("ied") {
        s.replace_range(s.len() - 3.., "y");
    } else if let Some(suffix) = ["ing", "ed"].into_iter().find(strip) {
        s.truncate(s.len() - suffix.len());
    }
    for (suffix, min) in [("ly", 6), ("er", 5), ("e", 4)] {
        if s.len() >= min && s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
        }
    }
    let b = s.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 1] == b[n - 2] && !b"sz".contains(&b[n - 1]) && !vowel(&s[n - 1..]) {
        s.pop();
    }
    s
}

pub(super) fn ends_any(s: &str, list: &[&str]) -> bool {
    list.iter().any(|x| s.ends_with(x))
}

/// Reduces inline markdown to its visible text.
pub(super) fn strip_markdown(s: &str) -> String {
    if !s.contains('[') && !s.contains("http") {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    // Position of `pat` at or after `from`, looking at most 512 characters ahead.
    let find = |from: usize, pat: &[char]| {
        (from..c.len().min(from.saturating_add(512))).find(|&k| c[k..].starts_with(pat))
    };
    let (mut out, mut i) = (String::with_capacity(s.len()), 0);
    while i < c.len() {
        let j = i + usize::from(c[i] == '!' && c.get(i + 1) == Some(&'['));
        let two = c[j..].starts_with(&['[', '[']);
        let wiki = two.then(|| find(j + 2, &[']', ']']));
        let close = (c[j] == '[').then(|| find(j + 1, &[']'])).flatten();
        let paren = close.filter(|&k| c.get(k + 1) == Some(&'('));
        let url = c[i] == 'h' && ["http://", "https://"].iter().any(|p| s_at(&c, i, p));
        if let Some(end) = wiki.flatten() {
            let inner: String = c[j + 2..end].iter().collect();
            let shown = inner.split_once('|').map(|p| p.1.to_string());
            let shown = shown.unwrap_or_else(|| inner.replace(['#', '^'], " "));
            out += &format!(" {shown} ");
            i = end + 2;
        } else if let (Some(k), Some('^')) = (close, c.get(j + 1)) {
            i = k + 1; // footnote reference
        } else if let Some((k, p)) = paren.and_then(|k| Some((k, find(k + 2, &[')'])?))) {
            out.extend([' '].iter().chain(&c[j + 1..k]).chain([' '].iter()));
            i = p + 1;
        } else if url {
            while i < c.len() && !c[i].is_whitespace() {
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

pub(super) fn s_at(c: &[char], i: usize, p: &str) -> bool {
    c[i..].iter().take(p.len()).copied().eq(p.chars())
}

/// A word as written; whether punctuation such as `,` or `(` precedes it; whether `:` follows.
type Raw = (String, bool, bool);

pub(super) fn raw_tokens(s: &str) -> Vec<Raw> {
    let c: Vec<char> = s.nfkd().filter(|ch| !is_combining_mark(*ch)).collect();
    let (mut out, mut cur, mut brk, mut i) = (Vec::<Raw>::new(), String::new(), false, 0);
    while i < c.len() {
        let (ch, next) = (c[i], c.get(i + 1).copied());
        let after_digit = cur.chars().last().is_some_and(|p| p.is_ascii_digit());
        let in_number = ".,:/-".contains(ch) && next.is_some_and(|n| n.is_ascii_digit());
        if ch.is_alphanumeric() || (after_digit && (in_number || ch == '%')) {
            cur.push(ch);
            i += 1;
            continue;
        }
        if !cur.is_empty() && "'’".contains(ch) && next.is_some_and(char::is_alphanumeric) {
            // Dana's → dana, she'll → she, don't → dont.
            let k = (i + 1..c.len()).find(|&k| !c[k].is_alphanumeric());
            let k = k.unwrap_or(c.len());
            let suffix: String = c[i + 1..k].iter().collect::<String>().to_lowercase();
            if !["s", "ll", "re", "ve", "d", "m"].contains(&suffix.as_str()) {
                cur.push_str(&suffix);
            }
            i = k;
            continue;
        }
        if !cur.is_empty() {
            out.push((std::mem::take(&mut cur), brk, false));
            brk = false;
        }
        if ".,;:!?()[]{}|/\\<>–—•·\"“”".contains(ch) {
            brk = true;
            if let (':', Some(last)) = (ch, out.last_mut()) {
                last.2 = true;
            }
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push((cur, brk, false));
    }
    out
}

/// Canonical form of a number token, and whether it consumed the next word ("2 million").
pub(super) fn number(tok: &str, next: Option<&str>) -> (String, bool) {
    let digit = |r: &&str| r.starts_with(|c: char| c.is_ascii_digit());
    let t = tok.strip_prefix('v').filter(digit).unwrap_or(tok);
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','));
    let (head, suffix) = t.split_at(end.unwrap_or(t.len()));
    if head.is_empty() || suffix.contains([':', '-', '/']) || head.len() > 15 {
        return (t.to_string(), false); // dates, times, codes such as q3
    }
    let head = head.replace(',', "");
    let words = "thousand million billion bn percent am pm";
    let consumed = suffix.is_empty() && next.is_some_and(|n| words.split(' ').any(|w| w == n));
    let unit = next.filter(|_| consumed).unwrap_or(suffix);
    let (mult, unit) = match unit {
        "k" | "thousand" => (1e3, ""),
        "m" | "mm" | "mn" | "million" => (1e6, ""),
        "b" | "bn" | "billion" => (1e9, ""),
        "percent" | "%" => (1.0, "%"),
        "st" | "nd" | "rd" | "th" => (1.0, ""),
        u => (1.0, u),
    };
    let value = match head.parse::<f64>().map(|v| v * mult) {
        _ if mult == 1.0 => match head.trim_start_matches('0') {
            t if t.is_empty() || t.starts_with('.') => format!("0{t}"),
            t => t.to_string(),
        },
        Ok(x) if x.abs() < 1e15 && (x - x.round()).abs() < 1e-6 => format!("{}", x.round() as i64),
        Ok(x) => format!("{x}"),
        Err(_) => head,
    };
    (format!("{value}{unit}"), consumed)
}

/// Interned content words; numbers and dates are `numeric`.
#[derive(Default)]
pub(super) struct Vocab {
    pub(super) ids: HashMap<String, u32>,
    pub(super) words: Vec<String>,
    pub(super) numeric: Vec<bool>,
}

impl Vocab {
    pub(super) fn id(&mut self, w: &str, numeric: bool) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        self.ids.insert(w.to_string(), self.words.len() as u32);
        self.words.push(w.to_string());
        self.numeric.push(numeric);
        self.words.len() as u32 - 1
    }

    pub(super) fn list(&self, ids: &[u32]) -> String {
        let mut words: Vec<&str> = ids.iter().map(|&t| &*self.words[t as usize]).collect();
        words.sort_unstable();
        words.dedup();
        let list = words.join(", ");
        if list.is_empty() {
            "nothing".into()
        } else {
            list
        }
    }
}

/// What an item says, reduced to what the measure needs.
#[derive(Default)]
pub(super) struct Feat {
    /// Lower-cased words of the visible text, for exact repeats.
    pub(super) norm: String,
    /// Content words (sorted ids), of which `nums` are numbers and dates.
    pub(super) toks: Vec<u32>,
    pub(super) nums: Vec<u32>,
    /// Runs of consecutive capitalised content words (names).
    pub(super) runs: Vec<Vec<u32>>,
    pub(super) neg: bool,
    /// Opposite-word pairs mentioned, with the side of the pair.
    pub(super) opposites: Vec<(usize, bool)>,
}

pub(super) fn featurize(s: &str, v: &mut Vocab) -> Feat {
    let lx = lexicon();
    let raws = raw_tokens(&strip_markdown(s));
    let caps = |t: &str| {
        t.len() > 1 && t.chars().any(char::is_uppercase) && !t.contains(char::is_lowercase)
    };
    let alpha = raws.iter().filter(|r| r.0.chars().any(char::is_alphabetic));
    let (alpha, n_caps) = (alpha.count(), raws.iter().filter(|r| caps(&r.0)).count());
    let shouting = n_caps >= 3 && n_caps * 2 > alpha; // ALL-CAPS text carries no name signal
    let lowers: Vec<String> = raws.iter().map(|r| r.0.to_lowercase()).collect();
    let (mut f, mut run, mut i) = (Feat::default(), Vec::new(), 0);
    let close = |runs: &mut Vec<Vec<u32>>, run: &mut Vec<u32>| {
        if !run.is_empty() {
            runs.push(std::mem::take(run));
        }
    };
    while i < raws.len() {
        let (r, lower, next) = (&raws[i], lowers[i].as_str(), lowers.get(i + 1));
        // A leading "Role:" is a field label, not a name.
        let capital = !shouting && r.0.starts_with(char::is_uppercase) && !(i == 0 && r.2);
        let allcaps = !shouting && caps(&r.0);
        i += 1;
        if r.1 {
            close(&mut f.runs, &mut run);
        }
        f.norm += lower;
        f.norm += " ";
        let st = stem(lower);
        let opposite = lx.opposites.get(&st).into_iter().flatten();
        f.opposites.extend(opposite);
        let word_num = lx.numbers.get(lower).map(|n| n.to_string());
        let next_word = next.map(String::as_str);
        let new_year = lower == "new" && next.is_some_and(|n| n.starts_with("year"));
        let date = match lower {
            _ if new_year => Some("january"),
            "may" => capital.then_some("may"),
            l => lx
                .dates
                .get(l.strip_suffix('s').unwrap_or(l))
                .or(lx.dates.get(l))
                .copied(),
        };
        let id = if lower.bytes().any(|b| b.is_ascii_digit()) || word_num.is_some() {
            let (canon, consumed) = number(word_num.as_deref().unwrap_or(lower), next_word);
            if consumed {
                f.norm += next_word.unwrap_or_default();
                i += 1;
            }
            Some(v.id(&canon, true))
        } else if let Some(d) = date {
            i += usize::from(new_year);
            Some(v.id(d, true))
        } else if lx.negations.contains(lower) {
            f.neg = true;
            None
        } else if (lx.stop.contains(lower) && !allcaps)
            || lower.len() < 2
            || lx.ignored.contains(&st)
        {
            None
        } else {
            Some(v.id(lx.synonyms.get(&st).unwrap_or(&st), false))
        };
        let Some(id) = id else {
            close(&mut f.runs, &mut run);
            continue;
        };
        let numeric = v.numeric[id as usize];
        f.toks.push(id);
        if numeric {
            f.nums.push(id);
        }
        if (capital || allcaps) && (!numeric || date.is_some()) {
            run.push(id);
        } else {
            close(&mut f.runs, &mut run);
        }
    }
    close(&mut f.runs, &mut run);
    for list in [&mut f.toks, &mut f.nums] {
        list.sort_unstable();
        list.dedup();
    }
    f.opposites.sort_unstable();
    f.opposites.dedup();
    f
}
