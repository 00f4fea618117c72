//! Folding of repeated facts in generated list sections such as "Key Facts".
//!
//! Generated people notes state the same fact many times in different words. [`fold`] groups
//! list items that state the same fact and picks the most informative wording to show;
//! [`similarity`] compares one pair and explains the decision.
//!
//! # The measure
//!
//! 1. **Normalise.** Markdown is reduced to its visible text (`[[Note|alias]]` → `alias`,
//!    `[text](url)` → `text`; emphasis, code ticks, the `#` of tags, emoji, footnotes and bare
//!    URLs go), then NFKD-folded with accents removed, lower-cased and split into words. Items
//!    whose word sequences are equal are the same fact ("identical after normalisation").
//! 2. **Content words.** Stopwords, intent words (*plan, commit, will, schedule*), reporting
//!    verbs (*say, add, mention, state*) and opinion verbs (*think, expect*) are dropped; words
//!    are lightly stemmed (*planning → plan, flew → fly, allergies → allergy*) and a few synonyms
//!    share one form (*contact → friend, head/run/manage → lead, fly/trip → travel*). Numbers get
//!    one canonical form (`$1.2M` = `1.2 million` = `1200000`, `three` = `3`); months, weekdays
//!    and time units (*week, month, year*; *New Year* reads as January) are date words.
//! 3. **Weighted overlap.** Each word weighs 1 when a lone pair is compared. Inside [`fold`] a
//!    word found in many items weighs less, down to [`FoldConfig::common_weight`] for a word in
//!    every item of a long list, so the person's name repeated in every bullet counts little.
//!    With `shared` the weight of the words both items have (two words agreeing on their first
//!    [`FoldConfig::fuzzy_prefix`] letters, *allergic/allergy*, count as shared), `conflict` the
//!    smaller of the two "only in one item" weights (a likely substitution: *peanuts* vs
//!    *shellfish*) and `extra` what the other item has on top (added detail: *…in the Apps org*):
//!    `score = shared / (shared + conflict_weight·conflict + extra_weight·extra)`.
//! 4. **Guards** veto a merge whatever the score: a negation in only one item; numbers or dates
//!    on both sides that the other lacks (`$2M` vs `$3M`, *January* vs *March*); opposite words
//!    (*joined/left, before/after, approved/rejected*); capitalised names that differ: each item
//!    has a name the other lacks entirely (*Berlin* vs *Paris*), or one name continues
//!    differently (*Acme Cloud* vs *Acme Mobile*, *Dana Smith* vs *Dana Whitfield*).
//!
//! Two items are the same fact when no guard fires and `score ≥ threshold`.
//!
//! # Grouping
//!
//! [`fold`] collapses exact repeats, finds candidate pairs through an inverted index of each
//! item's rarest words (prefix filtering: a pair that can reach the threshold shares one of
//! them), then merges groups in order of decreasing pair score, average-link style: two groups
//! merge only if at least [`FoldConfig::link_fraction`] of their member pairs are similar and
//! no member pair is vetoed, so A~B and B~C do not chain into one group when A and C differ.

use super::fact_words::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

/// Tunable knobs of the similarity measure (`[people.facts]` in wikigen.toml).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FoldConfig {
    /// Similarity at or above which two items are the same fact (0..=1).
    pub threshold: f64,
    /// Cost of words only one item has while the other has words of its own (a substitution).
    pub conflict_weight: f64,
    /// Cost of surplus words only the more detailed item has (added detail).
    pub extra_weight: f64,
    /// Weight, inside a long folded list, of a word found in every item (1 = no discount).
    pub common_weight: f64,
    /// Letters two different words must share at their start to count as variants (0 = off).
    pub fuzzy_prefix: usize,
    /// Fraction of member pairs across two groups that must be similar for them to merge.
    pub link_fraction: f64,
}

impl Default for FoldConfig {
    fn default() -> Self {
        Self {
            threshold: 0.72,
            conflict_weight: 2.0,
            extra_weight: 0.25,
            common_weight: 0.2,
            fuzzy_prefix: 6,
            link_fraction: 0.5,
        }
    }
}

/// Why two items were judged the same or different.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Similarity {
    /// Weighted overlap score in 0..=1 (1 for identical items).
    pub score: f64,
    /// Whether the two items state the same fact.
    pub same: bool,
    /// Human-readable explanation of the decision.
    pub reason: String,
}

/// One folded fact: indices into the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactGroup {
    /// Most informative wording: most distinct content words, then longest, then first.
    pub shown: usize,
    /// Indices of all items stating this fact, in input order, including `shown`.
    pub members: Vec<usize>,
}

/// The comparison of two items.
struct Verdict {
    score: f64,
    exact: bool,
    /// Why a guard vetoed the merge.
    veto: Option<String>,
    shared: Vec<u32>,
    only_a: Vec<u32>,
    only_b: Vec<u32>,
}

impl Verdict {
    fn same(&self, cfg: &FoldConfig) -> bool {
        self.exact || (self.veto.is_none() && self.score >= cfg.threshold)
    }
}

fn minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter()
        .filter(|x| b.binary_search(x).is_err())
        .copied()
        .collect()
}

fn is_variant(x: &str, y: &str, k: usize) -> bool {
    if k == 0 || x.as_bytes().first() != y.as_bytes().first() {
        return false;
    }
    let lcp = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
    let short = x.chars().count().min(y.chars().count());
    lcp >= k || (lcp == short && short + 1 >= k)
}

/// Score of a pair if no unshared words can be variants (they share their first two letters),
/// else 1: a cheap upper bound that does not allocate.
fn quick_score(a: &Feat, b: &Feat, w: &[f64], v: &Vocab, cfg: &FoldConfig) -> f64 {
    let (mut s, mut u, mut i, mut j) = (0.0, [0.0; 2], 0, 0);
    let mut heads = [[0u16; 16]; 2]; // first two bytes of unshared words, per side
    let mut counts = [0usize; 2];
    while i < a.toks.len() || j < b.toks.len() {
        let (x, y) = (a.toks.get(i).copied(), b.toks.get(j).copied());
        let (side, t) = match (x, y) {
            (Some(x), Some(y)) if x == y => {
                s += w[x as usize];
                (i, j) = (i + 1, j + 1);
                continue;
            }
            (Some(x), y) if y.is_none_or(|y| x < y) => (0, x),
            (_, y) => (1, y.unwrap_or_default()),
        };
        (i, j) = if side == 0 { (i + 1, j) } else { (i, j + 1) };
        u[side] += w[t as usize];
        let word = v.words[t as usize].as_bytes();
        if !v.numeric[t as usize] && cfg.fuzzy_prefix > 0 {
            let second = if cfg.fuzzy_prefix > 1 {
                word.get(1).copied().unwrap_or(0)
            } else {
                0
            };
            let head = u16::from_be_bytes([word[0], second]);
            match heads[side].get_mut(counts[side]) {
                Some(slot) => *slot = head,
                None => return 1.0,
            }
            counts[side] += 1;
        }
    }
    let (ha, hb) = (&heads[0][..counts[0]], &heads[1][..counts[1]]);
    if ha.iter().any(|h| hb.contains(h)) {
        return 1.0;
    }
    let (lo, hi) = (u[0].min(u[1]), u[0].max(u[1]));
    let (beta, alpha) = (cfg.conflict_weight.max(0.0), cfg.extra_weight.max(0.0));
    if s > 0.0 {
        s / (s + beta * lo + alpha * (hi - lo))
    } else {
        0.0
    }
}

/// Scores a pair; the guards run if `guard_all` or if the score reaches the threshold.
fn judge(a: &Feat, b: &Feat, w: &[f64], v: &Vocab, cfg: &FoldConfig, guard_all: bool) -> Verdict {
    let (mut only_a, mut only_b) = (minus(&a.toks, &b.toks), minus(&b.toks, &a.toks));
    let mut shared = minus(&a.toks, &only_a);
    // Variants (allergic/allergy) count as shared, under the id of `a`'s word.
    let mut alias: Vec<(u32, u32)> = Vec::new();
    if only_a.len() * only_b.len() <= 4096 {
        let text = |t: u32| (!v.numeric[t as usize]).then(|| v.words[t as usize].as_str());
        let variant = |x: u32, y: u32| match (text(x), text(y)) {
            (Some(p), Some(q)) => is_variant(p, q, cfg.fuzzy_prefix),
            _ => false,
        };
        only_a.retain(|&x| {
            let hit = only_b.iter().position(|&y| variant(x, y));
            hit.map(|p| alias.push((only_b.remove(p), x))).is_none()
        });
    }
    let sum = |ids: &[u32]| ids.iter().map(|&t| w[t as usize]).sum::<f64>();
    let mut s = sum(&shared);
    for &(y, x) in &alias {
        s += (w[x as usize] + w[y as usize]) / 2.0;
    }
    let (ua, ub) = (sum(&only_a), sum(&only_b));
    let (lo, hi) = (ua.min(ub), ua.max(ub));
    let (beta, alpha) = (cfg.conflict_weight.max(0.0), cfg.extra_weight.max(0.0));
    let exact = a.norm == b.norm;
    let score = match s > 0.0 {
        _ if exact => 1.0,
        true => s / (s + beta * lo + alpha * (hi - lo)),
        false => 0.0,
    };
    shared.extend(alias.iter().map(|p| p.1));
    shared.sort_unstable();
    let guard = !exact && (guard_all || score >= cfg.threshold);
    let veto = guard.then(|| guards(a, b, &shared, &alias, v)).flatten();
    Verdict {
        score,
        exact,
        veto,
        shared,
        only_a,
        only_b,
    }
}

/// Why `a` and `b` must not merge, if a guard fires.
fn guards(a: &Feat, b: &Feat, shared: &[u32], alias: &[(u32, u32)], v: &Vocab) -> Option<String> {
    if a.neg != b.neg {
        return Some("veto: negation in only one item".into());
    }
    let (na, nb) = (minus(&a.nums, &b.nums), minus(&b.nums, &a.nums));
    if !na.is_empty() && !nb.is_empty() {
        let (x, y) = (v.list(&na), v.list(&nb));
        return Some(format!("veto: numbers/dates differ ({x} vs {y})"));
    }
    for &(p, side) in &a.opposites {
        let has = |f: &Feat, s: bool| f.opposites.contains(&(p, s));
        if has(b, !side) && !has(a, !side) && !has(b, side) {
            let (x, y) = lexicon().opposite_pairs[p];
            return Some(format!("veto: opposite words ({x} vs {y})"));
        }
    }
    // Split every name into the words the other item has (`found`, as ids of `a`) and the rest.
    let find = |t: u32| alias.iter().find(|p| p.0 == t).map_or(t, |p| p.1);
    let split = |f: &Feat, map: bool| {
        let mut parts: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for run in &f.runs {
            let ids = run.iter().map(|&t| if map { find(t) } else { t });
            let (found, missing) = ids.partition(|t| shared.binary_search(t).is_ok());
            parts.push((found, missing));
        }
        parts.retain(|p| !p.1.is_empty());
        parts
    };
    let (sa, sb) = (split(a, false), split(b, true));
    let names = |x: &[u32], y: &[u32]| {
        let (x, y) = (v.list(x), v.list(y));
        Some(format!("veto: different names ({x} vs {y})"))
    };
    let lone = |s: &[(Vec<u32>, Vec<u32>)]| s.iter().find(|p| p.0.is_empty()).map(|p| p.1.clone());
    if let (Some(x), Some(y)) = (lone(&sa), lone(&sb)) {
        return names(&x, &y);
    }
    for (found_a, missing_a) in &sa {
        for (found_b, missing_b) in &sb {
            if found_a.iter().any(|t| found_b.contains(t)) {
                return names(missing_a, missing_b);
            }
        }
    }
    None
}

/// Compares two list items.
pub fn similarity(a: &str, b: &str, cfg: &FoldConfig) -> Similarity {
    let mut v = Vocab::default();
    let (fa, fb) = (featurize(a, &mut v), featurize(b, &mut v));
    let d = judge(&fa, &fb, &vec![1.0; v.words.len()], &v, cfg, true);
    let op = if d.score >= cfg.threshold { "≥" } else { "<" };
    let reason = match &d.veto {
        _ if d.exact => "identical after normalisation".to_string(),
        Some(veto) => veto.clone(),
        None => {
            let (s, x, y) = (v.list(&d.shared), v.list(&d.only_a), v.list(&d.only_b));
            let score = format!("{:.2} {op} {:.2}", d.score, cfg.threshold);
            format!("{score}: shared {s}; only in a: {x}; only in b: {y}")
        }
    };
    Similarity {
        score: d.score,
        same: d.same(cfg),
        reason,
    }
}

/// Virtual items that never contain a word, so that short lists barely discount frequent words.
const PRIOR_ITEMS: f64 = 10.0;

/// Word weights from document frequencies over `n` items (see the module docs).
fn weights(df: &[u32], n: usize, cfg: &FoldConfig) -> Vec<f64> {
    let drop = 1.0 - unit(cfg.common_weight, 1.0);
    let spread = |d: u32| d.saturating_sub(1) as f64 / (n as f64 - 1.0 + PRIOR_ITEMS);
    df.iter().map(|&d| 1.0 - drop * spread(d)).collect()
}

/// `x` clamped to 0..=1, or `otherwise` if it is not finite.
fn unit(x: f64, otherwise: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        otherwise
    }
}

/// The list being folded: distinct normalised items ("nodes") and word weights.
struct List<'a> {
    feats: Vec<Feat>,
    nodes: Vec<Vec<usize>>,
    v: Vocab,
    w: Vec<f64>,
    cfg: &'a FoldConfig,
}

impl List<'_> {
    fn judge(&self, x: usize, y: usize, guard_all: bool) -> Verdict {
        let (a, b) = (&self.feats[self.nodes[x][0]], &self.feats[self.nodes[y][0]]);
        judge(a, b, &self.w, &self.v, self.cfg, guard_all)
    }

    /// Similar node pairs `(score, x, y)`, `x < y`, found through a prefix-filtered index.
    ///
    /// Index keys are the first `fuzzy_prefix - 1` letters of words, so variants share one. In
    /// a pair scoring ≥ threshold the item with fewer unshared words shares ≥ `fracs[0]` of its
    /// weight and the other ≥ `fracs[1]`, so their rarest shared key lies in the short prefix
    /// (rarest keys first) of one item and in the long prefix of the other.
    fn similar_pairs(&self, compared: &mut usize) -> Vec<(f64, usize, usize)> {
        let (cfg, n) = (self.cfg, self.nodes.len());
        let th = unit(cfg.threshold, 0.0);
        let share = |c: f64| unit(th * c.max(0.0) / (1.0 - th + th * c.max(0.0)), 0.0);
        let (c, e) = (cfg.conflict_weight, cfg.extra_weight);
        let fracs = [share(c), share(e.min(c))];
        let key_len = cfg.fuzzy_prefix.checked_sub(1).unwrap_or(usize::MAX);
        let mut keys = Vocab::default();
        let mut node_keys: Vec<Vec<u32>> = Vec::with_capacity(n);
        for node in &self.nodes {
            let mut ids: Vec<u32> = Vec::new();
            for &t in &self.feats[node[0]].toks {
                let (word, numeric) = (&self.v.words[t as usize], self.v.numeric[t as usize]);
                let len = if numeric { usize::MAX } else { key_len };
                ids.push(keys.id(&word.chars().take(len).collect::<String>(), false));
            }
            ids.sort_unstable();
            ids.dedup();
            node_keys.push(ids);
        }
        let mut df = vec![0u32; keys.words.len()];
        for &t in node_keys.iter().flatten() {
            df[t as usize] += 1;
        }
        let kw = weights(&df, n, cfg);
        let mut post: [HashMap<u32, Vec<usize>>; 2] = Default::default();
        let (mut stamp, mut pairs) = (vec![usize::MAX; n], Vec::new());
        for (y, toks) in node_keys.iter_mut().enumerate() {
            toks.sort_by_key(|&t| (df[t as usize], t));
            let total: f64 = toks.iter().map(|&t| kw[t as usize]).sum();
            let lens = fracs.map(|frac| {
                let mut rest = total;
                let keep =
                    |&&t: &&u32| (rest >= frac * total * (1.0 - 1e-9), rest -= kw[t as usize]).0;
                toks.iter().take_while(keep).count()
            });
            for (probe, list) in [(&toks[..lens[1]], &post[0]), (&toks[..lens[0]], &post[1])] {
                for &x in probe.iter().flat_map(|t| list.get(t).into_iter().flatten()) {
                    if stamp[x] != y {
                        stamp[x] = y;
                        *compared += 1;
                        let (a, b) = (&self.feats[self.nodes[x][0]], &self.feats[self.nodes[y][0]]);
                        if quick_score(a, b, &self.w, &self.v, cfg) < cfg.threshold {
                            continue;
                        }
                        let d = self.judge(x, y, false);
                        if d.same(cfg) {
                            pairs.push((d.score, x, y));
                        }
                    }
                }
            }
            for (list, len) in post.iter_mut().zip(lens) {
                for &t in &toks[..len] {
                    list.entry(t).or_default().push(y);
                }
            }
        }
        pairs
    }

    /// Merges nodes along similar pairs, best first, average-link style (see the module docs).
    fn groups(&self, mut pairs: Vec<(f64, usize, usize)>, compared: &mut usize) -> Vec<Vec<usize>> {
        pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
        let linked: HashSet<(usize, usize)> = pairs.iter().map(|p| (p.1, p.2)).collect();
        let n = self.nodes.len();
        let mut group: Vec<usize> = (0..n).collect();
        let mut members: Vec<Vec<usize>> = (0..n).map(|k| vec![k]).collect();
        // Group pairs that failed to merge, with their total size then.
        let mut failed: HashMap<(usize, usize), usize> = HashMap::default();
        for &(_, x, y) in &pairs {
            let (gx, gy) = (group[x], group[y]);
            let key = (gx.min(gy), gx.max(gy));
            let size = members[gx].len() + members[gy].len();
            if gx == gy || failed.get(&key) == Some(&size) {
                continue;
            }
            let cross = || {
                let inner = |p: usize| members[gy].iter().map(move |&q| (p.min(q), p.max(q)));
                members[gx].iter().flat_map(move |&p| inner(p))
            };
            let links = cross().filter(|p| linked.contains(p)).count() as f64;
            let need = self.cfg.link_fraction * (members[gx].len() * members[gy].len()) as f64;
            let ok = links >= need - 1e-9
                && cross().all(|(p, q)| {
                    *compared += 1;
                    linked.contains(&(p, q)) || self.judge(p, q, true).veto.is_none()
                });
            if !ok {
                failed.insert(key, size);
                continue;
            }
            let (big, small) = match members[gx].len() >= members[gy].len() {
                true => (gx, gy),
                false => (gy, gx),
            };
            for m in std::mem::take(&mut members[small]) {
                group[m] = big;
                members[big].push(m);
            }
        }
        members.retain(|m| !m.is_empty());
        members
    }
}

/// Groups items that state the same fact; groups are in order of first appearance.
pub fn fold(items: &[&str], cfg: &FoldConfig) -> Vec<FactGroup> {
    fold_counted(items, cfg).0
}

/// [`fold`], also returning how many node pairs were compared.
fn fold_counted(items: &[&str], cfg: &FoldConfig) -> (Vec<FactGroup>, usize) {
    let mut v = Vocab::default();
    let feats: Vec<Feat> = items.iter().map(|s| featurize(s, &mut v)).collect();
    let (mut by_norm, mut nodes) = (HashMap::default(), Vec::<Vec<usize>>::new());
    for (i, f) in feats.iter().enumerate() {
        let k = *by_norm.entry(f.norm.as_str()).or_insert(nodes.len());
        if k == nodes.len() {
            nodes.push(Vec::new());
        }
        nodes[k].push(i);
    }
    let mut df = vec![0u32; v.words.len()];
    for &t in nodes.iter().flat_map(|k| &feats[k[0]].toks) {
        df[t as usize] += 1;
    }
    let w = weights(&df, nodes.len(), cfg);
    let list = List {
        feats,
        nodes,
        v,
        w,
        cfg,
    };
    let mut compared = 0;
    let pairs = list.similar_pairs(&mut compared);
    let info = |i: usize| (list.feats[i].toks.len(), list.feats[i].norm.chars().count());
    let mut groups: Vec<FactGroup> = Vec::new();
    for nodes in list.groups(pairs, &mut compared) {
        let mut members: Vec<usize> = nodes.iter().flat_map(|&k| list.nodes[k].clone()).collect();
        members.sort_unstable();
        let mut shown = members[0];
        for &i in &members {
            if info(i) > info(shown) {
                shown = i;
            }
        }
        groups.push(FactGroup { shown, members });
    }
    groups.sort_by_key(|g| g.members[0]);
    (groups, compared)
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
