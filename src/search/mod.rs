//! Search stage: a full-text index of the published notes, built from the text the build already
//! extracted (titles, aliases, headings, tags, merged profile fields, plain body text; no HTML is
//! re-read), written as small script files under `_wikigen/search/`: a manifest, term shards
//! loaded on demand by the first letters of a word, and a doc store in buckets of a few notes.
//! Scores are precomputed (BM25 with field weights) so the browser only adds numbers. Every file
//! is a script calling `wikigenSearch.load(name, data)`, so search works from `file://` too.
//! The format is described in the book's internals chapter; `themes/default/static/search.js`
//! reads it.

pub mod text;

use crate::enrich::Site;
use crate::parse::Kind;
use crate::render::Page;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use text::fold;

/// Docs per doc-store file.
pub const BUCKET: usize = 4;
/// Postings kept per word (the best-scoring docs); filter terms are not capped.
pub const MAX_POSTINGS: usize = 1000;
/// A shard above this many bytes is split by one more character.
pub const SHARD_TARGET: usize = 12_000;
/// Longest shard name, in characters (filter terms such as `tag:project/…` need the length).
pub const MAX_SHARD: usize = 32;
/// Characters of a note's text kept for its snippet.
pub const SNIPPET_CHARS: usize = 280;

/// Field weights: title, aliases, profile fields, headings, tags, body.
const WEIGHTS: [f32; 6] = [10.0, 8.0, 4.0, 3.0, 3.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// FxHash: words are short, and the standard hasher's DoS resistance buys nothing here (the
/// build hashes its own notes' words), at several times the cost.
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// One note as the index sees it.
struct Doc {
    /// Tokens in each field.
    lens: [u32; 6],
    /// Each distinct term with its count in each field.
    tf: Vec<(String, [u16; 6])>,
    filters: Vec<String>,
}

/// The key of a person in `with:` filter terms.
pub fn person_key(name: &str) -> String {
    crate::paths::slugify(&fold(name))
}

fn doc_of(site: &Site, n: usize) -> Doc {
    let note = &site.notes[n];
    let mut profile_fields = String::new();
    let mut aliases = note.aliases.join(" ");
    let mut filters = vec![format!("kind:{}", note.kind.as_str())];
    if let Some((p, true)) = site.people.profile_page(n) {
        let pr = &site.people.profiles[p];
        for f in &pr.fields {
            profile_fields.push_str(&f.current.value);
            profile_fields.push(' ');
        }
        aliases.push(' ');
        aliases.push_str(&pr.aliases.join(" "));
        filters.push(format!("with:{}", person_key(&pr.name)));
    }
    if let Some(&Some(m)) = site.people.meeting_of.get(n) {
        for p in site.people.meetings[m]
            .participants
            .iter()
            .filter_map(|x| x.profile)
        {
            filters.push(format!(
                "with:{}",
                person_key(&site.people.profiles[p].name)
            ));
        }
    }
    for t in &note.tags {
        for p in crate::parse::tags::with_parents(t) {
            filters.push(format!("tag:{}", fold(&p)));
        }
    }
    let mut dir = crate::paths::parent(&note.path);
    while !dir.is_empty() {
        filters.push(format!("folder:{}", fold(dir)));
        dir = crate::paths::parent(dir);
    }
    filters.sort();
    filters.dedup();
    let headings: Vec<&str> = note.headings.iter().map(|h| h.text.as_str()).collect();
    let fields = [
        fold(&note.title),
        fold(&aliases),
        fold(&profile_fields),
        fold(&headings.join(" ")),
        fold(&note.tags.join(" ")),
        fold(&note.plain),
    ];
    // Counted on the folded text: one allocation per distinct term, not one per word.
    let mut lens = [0u32; 6];
    let mut tf: FxMap<&str, [u16; 6]> = FxMap::with_capacity_and_hasher(256, Default::default());
    for (f, text) in fields.iter().enumerate() {
        for tok in text::split(text) {
            lens[f] += 1;
            let c = tf.entry(tok).or_insert([0; 6]);
            c[f] = c[f].saturating_add(1);
        }
    }
    Doc {
        lens,
        tf: tf.into_iter().map(|(t, c)| (t.to_string(), c)).collect(),
        filters,
    }
}

/// BM25F term frequencies of one doc (before idf): term → weighted, length-normalised tf.
fn weighted_tfs(doc: Doc, avg: &[f32; 6]) -> Vec<(String, f32)> {
    let norm: Vec<f32> = (0..6)
        .map(|f| WEIGHTS[f] / (1.0 - B + B * (doc.lens[f] as f32 / avg[f].max(1.0))))
        .collect();
    doc.tf
        .into_iter()
        .map(|(t, c)| {
            let x = c.iter().zip(&norm).map(|(&k, w)| k as f32 * w).sum();
            (t, x)
        })
        .collect()
}

/// The plain text shown as a note's snippet: a person's role and company first, then the text.
fn snippet(site: &Site, n: usize) -> String {
    let note = &site.notes[n];
    let mut s = String::new();
    if let Some((p, true)) = site.people.profile_page(n) {
        let pr = &site.people.profiles[p];
        let parts: Vec<&str> = ["role", "company", "location"]
            .iter()
            .filter_map(|k| pr.field(k))
            .collect();
        if !parts.is_empty() {
            s.push_str(&parts.join(" · "));
            s.push_str(" — ");
        }
    }
    // The body without a first line that only repeats the title.
    let body = match note.plain.split_once('\n') {
        Some((first, rest)) if first.trim().eq_ignore_ascii_case(note.title.trim()) => rest,
        _ => note.plain.as_str(),
    };
    // Only the words that can be shown are copied (bodies run to many kilobytes).
    for w in body.split_whitespace() {
        if s.len() > SNIPPET_CHARS * 4 {
            break;
        }
        if !s.is_empty() && !s.ends_with(' ') {
            s.push(' ');
        }
        s.push_str(w);
    }
    crate::parse::truncate_chars(&s, SNIPPET_CHARS)
}

/// A note's date for recency: last update, else creation, else none.
fn date_of(site: &Site, n: usize) -> String {
    let note = &site.notes[n];
    // A meeting is dated by when it took place, not by when its file last changed.
    let (first, second) = if note.kind == Kind::Meeting {
        (&note.created, &note.updated)
    } else {
        (&note.updated, &note.created)
    };
    first.clone().or_else(|| second.clone()).unwrap_or_default()
}

/// Doc ids: notes newest first (then by title), so that on equal scores the lower id wins.
fn doc_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.notes.len()).collect();
    let dates: Vec<String> = order.iter().map(|&i| date_of(site, i)).collect();
    order.sort_by(|&a, &b| {
        dates[b]
            .cmp(&dates[a])
            .then_with(|| site.notes[a].title.cmp(&site.notes[b].title))
            .then(a.cmp(&b))
    });
    order
}

/// A version of the index: a hash of every file, so that pages load `search.js?v=…` and the
/// index files of this build, never a mix with cached files of an earlier build. The same notes
/// give the same version (builds stay reproducible).
pub fn version(files: &[Page]) -> String {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for f in files {
        h.write(f.path.as_bytes());
        h.write(&f.bytes);
    }
    format!("{:016x}", h.finish())
}

/// The index as files (paths relative to the output folder).
pub fn build(site: &Site) -> Vec<Page> {
    build_unless(site, &|| false).unwrap_or_default()
}

/// [`build`], given up (`None`) as soon as `stop` says so (`wikigen serve` stops it when a file
/// changes, so that the rebuild is not kept waiting).
pub fn build_unless(site: &Site, stop: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Page>> {
    let n = site.notes.len();
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        log::debug!(
            "search {what}: {:.0} ms",
            t0.elapsed().as_secs_f64() * 1000.0
        )
    };
    let order = doc_order(site);
    let mut docs: Vec<Doc> = order
        .par_iter()
        .map(|&i| (!stop()).then(|| doc_of(site, i)))
        .collect::<Option<_>>()?;
    lap("tokens");
    let mut avg = [0f32; 6];
    for d in &docs {
        for (f, l) in d.lens.iter().enumerate() {
            avg[f] += *l as f32;
        }
    }
    for a in avg.iter_mut() {
        *a /= n.max(1) as f32;
    }
    let mut filters: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, d) in docs.iter_mut().enumerate() {
        for f in std::mem::take(&mut d.filters) {
            filters.entry(f).or_default().push(i as u32);
        }
    }
    let per_doc: Vec<Vec<(String, f32)>> = docs
        .into_par_iter()
        .map(|d| weighted_tfs(d, &avg))
        .collect();
    // The merge is sequential: the doc store is written on the other cores meanwhile.
    let (postings, doc_files) = rayon::join(
        || {
            let mut postings: FxMap<String, Vec<(u32, f32)>> =
                FxMap::with_capacity_and_hasher(1 << 16, Default::default());
            for (i, terms) in per_doc.into_iter().enumerate() {
                for (t, x) in terms {
                    postings.entry(t).or_default().push((i as u32, x));
                }
            }
            postings
        },
        || doc_store(site, &order),
    );
    lap("postings");
    if stop() {
        return None;
    }
    // Scores: BM25 with idf, then one scale for every term so that sums compare.
    let total = n as f32;
    let scored: Vec<(String, Vec<(u32, f32)>)> = postings
        .into_par_iter()
        .map(|(t, mut p)| {
            let df = p.len() as f32;
            let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
            for (_, x) in p.iter_mut() {
                *x = idf * *x * (K1 + 1.0) / (*x + K1);
            }
            if p.len() > MAX_POSTINGS {
                p.sort_by(|a, b| b.1.total_cmp(&a.1));
                p.truncate(MAX_POSTINGS);
            }
            p.sort_by_key(|e| e.0);
            (t, p)
        })
        .collect();
    let max = scored
        .iter()
        .flat_map(|(_, p)| p.iter().map(|e| e.1))
        .fold(0f32, f32::max)
        .max(f32::MIN_POSITIVE);
    let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (t, p) in scored {
        terms.insert(t, encode(p.iter().map(|&(d, x)| (d, quantise(x / max)))));
    }
    for (t, docs) in filters {
        terms.insert(t, encode(docs.into_iter().map(|d| (d, 1))));
    }
    lap("scores");
    if stop() {
        return None;
    }
    let mut out = Vec::new();
    let shards = plan_shards(&terms);
    let mut by_shard: BTreeMap<&str, Vec<(&String, &Vec<u32>)>> = BTreeMap::new();
    for s in &shards {
        by_shard.insert(s.as_str(), Vec::new());
    }
    for (t, p) in &terms {
        if let Some(list) = shard_of(&shards, t).and_then(|s| by_shard.get_mut(s)) {
            list.push((t, p));
        }
    }
    out.par_extend(by_shard.into_par_iter().map(|(s, list)| {
        // Written by hand: a serde_json::Value per posting list costs more than the rest.
        let mut json = String::from("{");
        for (i, (t, p)) in list.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(t).unwrap_or_default());
            json.push_str(":[");
            let mut num = itoa::Buffer::new();
            for (k, x) in p.iter().enumerate() {
                if k > 0 {
                    json.push(',');
                }
                json.push_str(num.format(*x));
            }
            json.push(']');
        }
        json.push('}');
        script(&format!("t/{}", text::shard_file(s)), &json)
    }));
    lap("shards");
    out.extend(doc_files);
    out.push(file("manifest", &manifest(site, &shards)));
    out.push(file("facets", &facets(site)));
    Some(out)
}

/// A score in 0..1 as 1..255 (square root: small scores keep some resolution).
fn quantise(x: f32) -> u32 {
    (x.clamp(0.0, 1.0).sqrt() * 254.0).round() as u32 + 1
}

/// Postings as `[Δdoc, score, Δdoc, score, …]`.
fn encode(p: impl Iterator<Item = (u32, u32)>) -> Vec<u32> {
    let mut out = Vec::new();
    let mut last = 0;
    for (d, s) in p {
        out.push(d - last);
        out.push(s);
        last = d;
    }
    out
}

/// The longest shard name that starts `term`.
fn shard_of<'a>(shards: &'a [String], term: &str) -> Option<&'a str> {
    let mut best = None;
    for len in 1..=MAX_SHARD {
        let p = prefix(term, len);
        if let Ok(i) = shards.binary_search_by(|s| s.as_str().cmp(p)) {
            best = Some(shards[i].as_str());
        }
        if p.len() == term.len() {
            break;
        }
    }
    best
}

fn prefix(t: &str, chars: usize) -> &str {
    match t.char_indices().nth(chars) {
        Some((i, _)) => &t[..i],
        None => t,
    }
}

/// Shard names: every first character, then longer prefixes (up to [`MAX_SHARD`] characters)
/// wherever a shard would be larger than [`SHARD_TARGET`] bytes. A term lives in the longest
/// shard name that starts it.
fn plan_shards(terms: &BTreeMap<String, Vec<u32>>) -> Vec<String> {
    let size = |t: &str, p: &[u32]| t.len() + 6 + p.len() * 4;
    let entries: Vec<(&str, usize)> = terms
        .iter()
        .map(|(t, p)| (t.as_str(), size(t, p)))
        .collect();
    let mut shards = Vec::new();
    split(&entries, 1, &mut shards);
    shards.sort();
    shards.dedup();
    shards
}

/// Groups `entries` (sorted terms sharing their first `len - 1` characters) by their first `len`
/// characters, and splits each group that is too large one character further.
fn split(entries: &[(&str, usize)], len: usize, out: &mut Vec<String>) {
    let mut i = 0;
    while i < entries.len() {
        let key = prefix(entries[i].0, len);
        let mut j = i;
        let mut bytes = 0;
        while j < entries.len() && prefix(entries[j].0, len) == key {
            bytes += entries[j].1;
            j += 1;
        }
        out.push(key.to_string());
        if bytes > SHARD_TARGET && len < MAX_SHARD {
            // Terms no longer than the key stay in the key's shard.
            let longer: Vec<(&str, usize)> = entries[i..j]
                .iter()
                .copied()
                .filter(|(t, _)| t.chars().count() > len)
                .collect();
            split(&longer, len + 1, out);
        }
        i = j;
    }
}

fn file(name: &str, data: &Value) -> Page {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    script(name, &json)
}

/// `wikigenSearch.load("name", json);` as `_wikigen/search/<name>.js`.
fn script(name: &str, json: &str) -> Page {
    // `</script>`-safe and valid as a script: the JSON is a JavaScript expression.
    let json = json.replace("</", "<\\/");
    let name_json = serde_json::to_string(name).unwrap_or_default();
    Page {
        path: format!("_wikigen/search/{name}.js"),
        bytes: format!("wikigenSearch.load({name_json},{json});\n").into_bytes(),
    }
}

fn doc_store(site: &Site, order: &[usize]) -> Vec<Page> {
    let n = order.len();
    (0..n.div_ceil(BUCKET))
        .into_par_iter()
        .map(|b| {
            #[allow(clippy::type_complexity)]
            let docs: Vec<(&str, &str, &str, &str, String, String, Vec<String>)> = order
                [b * BUCKET..((b + 1) * BUCKET).min(n)]
                .iter()
                .map(|&i| {
                    let note = &site.notes[i];
                    let date = date_of(site, i);
                    let mut aliases = note.aliases.clone();
                    if let Some((p, true)) = site.people.profile_page(i) {
                        for a in &site.people.profiles[p].aliases {
                            if !aliases.contains(a) {
                                aliases.push(a.clone());
                            }
                        }
                    }
                    (
                        note.title.as_str(),
                        site.urls[i].url.as_str(),
                        note.kind.as_str(),
                        crate::paths::parent(&note.path),
                        date,
                        snippet(site, i),
                        aliases,
                    )
                })
                .collect();
            let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
            script(&format!("d/{b}"), &json)
        })
        .collect()
}

fn manifest(site: &Site, shards: &[String]) -> Value {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for k in [Kind::Person, Kind::Meeting, Kind::Project, Kind::Note] {
        let c = site.notes.iter().filter(|n| n.kind == k).count();
        if c > 0 {
            kinds.insert(k.as_str(), c);
        }
    }
    json!({
        "v": 1,
        "docs": site.notes.len(),
        "bucket": BUCKET,
        "cap": MAX_POSTINGS,
        "shards": shards,
        "kinds": kinds,
        "built": site.cfg.today,
    })
}

/// Tags, folders and people with their counts, for the search page's filters (`facets.js`).
fn facets(site: &Site) -> Value {
    let tags: Vec<Value> = site
        .tags
        .values()
        .map(|t| json!([t.name, t.notes.len()]))
        .collect();
    let folders: Vec<Value> = site
        .folders
        .iter()
        .filter(|(p, _)| !p.is_empty())
        .map(|(p, f)| json!([p, f.total]))
        .collect();
    let people: Vec<Value> = site
        .people
        .profiles
        .iter()
        .map(|p| json!([p.name, person_key(&p.name)]))
        .collect();
    json!({ "tags": tags, "folders": folders, "people": people })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_delta_coded() {
        assert_eq!(
            encode([(3, 140), (17, 25), (247, 9)].into_iter()),
            vec![3, 140, 14, 25, 230, 9]
        );
        assert_eq!(quantise(0.0), 1);
        assert_eq!(quantise(1.0), 255);
        assert!(quantise(0.25) > 100);
    }

    #[test]
    fn shards_split_where_large_and_terms_find_theirs() {
        let mut terms = BTreeMap::new();
        // Many "jo…" words: "j" must split, the rest stays one-letter shards.
        for i in 0..3000 {
            terms.insert(format!("jo{i:05}"), vec![1, 200, 5, 3]);
        }
        for i in 0..50 {
            terms.insert(format!("ja{i}"), vec![1, 9]);
        }
        terms.insert("kind:person".into(), vec![0, 1]);
        terms.insert("zebra".into(), vec![0, 1]);
        let shards = plan_shards(&terms);
        assert!(shards.contains(&"j".to_string()) && shards.contains(&"jo".to_string()));
        assert!(shards.contains(&"ja".to_string()));
        assert!(shards.iter().any(|s| s.starts_with("jo0")), "{shards:?}");
        assert_eq!(shard_of(&shards, "zebra"), Some("z"));
        assert!(shard_of(&shards, "jo00012").is_some_and(|s| s.len() >= 3));
        assert_eq!(shard_of(&shards, "kind:person"), Some("k"));
        assert_eq!(shard_of(&shards, "q"), None);
    }
}
