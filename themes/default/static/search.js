/* wikigen search: the search box in the header of every page and the search page (search.html).
   No dependencies, no build step, ES2019.

   The index (written by the build, format v1; see the book's internals chapter) lives in
   _wikigen/search/ next to this file. Every file is a script that calls
   wikigenSearch.load(name, data), so it is loaded with a <script> tag: that works on any static
   server, under a sub-path and from file:// (where fetch() is blocked). Files are loaded on demand
   and kept:
     manifest    {v, docs, bucket, cap, shards, kinds, built}; loaded when a search box gets
                 focus (on the search page: at once)
     facets      {tags, folders, people}: the search page's filters and with: (only there)
     t/<shard>   {term: [Δdoc, score, Δdoc, score, …]}. A term (a folded word, or a filter term
                 kind:x, tag:x, folder:x, with:<person key>) lives in the longest shard name
                 that is a prefix of it; in file names every char outside [a-z0-9] is _<hex>_
     d/<n>       docs n*bucket …: [title, url, kind, folder, date, text, aliases]; fetched only
                 for the results shown
   Scores are precomputed by the build (BM25 with field weights: a word in a title or alias
   counts far more than a passing mention), so ranking is a sum.

   Algorithm, for a query such as  "dana whitfield" kind:meeting budg
   1. Parse: quoted phrases, inline filters (kind: tag: folder: with:) and plain words; fold
      and tokenize exactly like the build (fold = NFKD, drop marks, lower case; tokens = runs of
      letters and digits). While typing, the last word is a prefix (when it has 2+ chars).
   2. Each token gets variants: the exact term (weight 1), for the prefix every term of the
      relevant shards starting with it (0.6; a posting counts at most as much as the exact
      word's best one), and when neither exists and the token has 5+ chars, terms of its shard
      within Damerau-Levenshtein distance 1 (2 from 8 chars) (0.4).
   3. A token scores a doc with its best variant (posting score × weight); a doc's score is the
      sum over tokens. Every token must match (AND); when nothing does, any whole word or phrase
      may (OR) and the results say so. A word whose postings hit the build's cap (1,000 docs) is
      optional, since a doc may lack it only because of the cap. Filters intersect.
   4. Order: score, then date (newer first), then title. Dates and titles live in the doc store,
      so ties are ordered among the docs loaded around the shown results (up to 3× the page
      size), beyond that by doc id (exact everywhere when the build numbers docs newest first).
      Phrases: postings have no positions, so a phrase is verified against the stored text:
      a doc is a phrase hit when its title, an alias or its snippet text contains the folded
      phrase; the first PHRASE_CHECK candidates are verified and hits are shown first. */
(function () {
  "use strict";
  if (window.wikigenSearch && window.wikigenSearch.version) return; /* included twice */
  var doc = document;
  var CAP = 1000;           /* postings per word are capped to the 1,000 best docs by the build */
  var MAX_EXPAND = 200;     /* prefix expansions kept per token (shortest, then most frequent) */
  var MAX_PREFIX_SHARDS = 3; /* shards a prefix may load; beyond, expand in the word's own shard */
  var MAX_SHARD = 32;        /* longest shard name, in characters (as the build's) */
  var DROPDOWN = 8, PAGE = 10, PHRASE_CHECK = 24, TIE_WINDOW = 3, DEBOUNCE = 60;
  var KINDS = { person: "Person", meeting: "Meeting", project: "Project", note: "Note" };
  var MARKS = /\p{M}/gu, NOT_WORD = /[^\p{L}\p{N}]+/u, WORD = /[\p{L}\p{N}]+/gu;

  /* Folding, identical to the build -------------------------------------------------------- */
  function fold(s) {
    /* The build lowercases char by char, so a capital sigma is always σ (toLowerCase() would
       turn a word-final Σ into ς). */
    return String(s).normalize("NFKD").replace(MARKS, "").replace(/\u03a3/g, "\u03c3").toLowerCase();
  }
  function cut(t) { /* tokens are cut to 40 chars (code points, as in the build) */
    return t.length > 40 && Array.from(t).length > 40 ? Array.from(t).slice(0, 40).join("") : t;
  }
  function tokens(s) { return fold(s).split(NOT_WORD).filter(Boolean).map(cut); }
  /* The key of a person in with: terms (the build's slugify(fold(name))). */
  function personKey(name) {
    var parts = fold(name).normalize("NFC").split(/[^\p{Alphabetic}\p{N}_]+/u).filter(Boolean);
    return parts.length ? parts.join("-").toLowerCase() : "untitled";
  }
  function fileName(shard) { /* t/<file>: every char outside [a-z0-9] as _<hex code point>_ */
    return Array.from(shard).map(function (c) { return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_"; }).join("");
  }
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; }); }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function each(list, fn) { Array.prototype.forEach.call(list || [], fn); }

  /* Loading: <script> tags calling wikigenSearch.load(name, data) -------------------------- */
  var me = doc.currentScript || doc.querySelector('script[src$="search.js"]');
  var ASSETS = me ? me.src.replace(/[?#].*$/, "").replace(/[^\/]*$/, "") : "_wikigen/";
  var BASE = ASSETS + "search/";
  /* The index version from search.js?v=…: index files are loaded with it, so that a page never
     mixes cached files of an earlier build with this one's. */
  var VERSION = ((me && /[?&]v=([^&#]+)/.exec(me.src)) || [])[1] || "";
  var ROOT = new URL("../", new URL(ASSETS, doc.baseURI)).href;
  var files = Object.create(null);
  function entry(name) {
    var e = files[name];
    if (!e) {
      e = files[name] = {};
      e.promise = new Promise(function (res, rej) { e.res = res; e.rej = rej; });
      e.promise.catch(function () {}); /* rejections are handled by the callers */
    }
    return e;
  }
  window.wikigenSearch = {
    version: 1,
    load: function (name, data) { var e = entry(String(name)); e.done = true; e.res(data); }
  };
  function need(name) {
    var e = entry(name);
    if (!e.el && !e.done) {
      var s = e.el = doc.createElement("script");
      s.src = BASE + name + ".js" + (VERSION ? "?v=" + VERSION : "");
      s.async = true;
      s.onload = function () {
        if (!e.done) { e.done = true; e.rej(new Error(name + ".js did not call wikigenSearch.load")); }
      };
      s.onerror = function () { e.done = true; e.rej(new Error(name + ".js could not be loaded")); };
      doc.head.appendChild(s);
    }
    return e.promise;
  }

  var M = null, manifestP = null;
  function manifest() {
    if (!manifestP) {
      manifestP = need("manifest").then(function (m) {
        if (!m || !Array.isArray(m.shards) || typeof m.docs !== "number") throw new Error("bad manifest");
        m.shardSet = Object.create(null);
        m.shards.forEach(function (s) { m.shardSet[s] = true; });
        m.bucket = m.bucket || 4;
        M = m;
        return m;
      });
      manifestP.catch(function (e) { if (window.console) console.warn("wikigen search:", e.message); });
    }
    return manifestP;
  }
  /* Tags, folders and people (for the search page's filters and `with:`): a separate file, so
     that typing in the header box never downloads them. */
  var facetsP = null;
  function facets() {
    if (!facetsP) {
      facetsP = manifest().then(function (m) {
        return need("facets").then(function (f) {
          m.tags = f.tags || []; m.folders = f.folders || []; m.people = f.people || [];
          return m;
        });
      });
      facetsP.catch(function (e) { if (window.console) console.warn("wikigen search:", e.message); });
    }
    return facetsP;
  }
  var shards = Object.create(null);
  function shard(s) {
    if (shards[s]) return Promise.resolve(shards[s]);
    return need("t/" + fileName(s)).catch(function (e) { /* a missing shard: no terms */
      if (window.console) console.warn("wikigen search:", e.message);
      return {};
    }).then(function (data) {
      return shards[s] || (shards[s] = { map: data || {}, keys: Object.keys(data || {}).sort(), dec: Object.create(null) });
    });
  }
  function postings(sh, term) { /* decoded once: ascending doc ids and their scores */
    var d = sh.dec[term];
    if (!d) {
      var a = sh.map[term], n = a.length >> 1, ids = new Int32Array(n), sc = new Uint16Array(n), id = 0;
      for (var i = 0; i < n; i++) { id += a[2 * i]; ids[i] = id; sc[i] = a[2 * i + 1]; }
      d = sh.dec[term] = { ids: ids, sc: sc, capped: n >= (M.cap || CAP) && term.indexOf(":") < 0 };
    }
    return d;
  }
  /* The shard of a term: the longest shard name (at most MAX_SHARD chars) that starts it. */
  function shardOf(term) {
    var best = null, p = "", n = 0;
    for (var ch of term) {
      p += ch;
      if (M.shardSet[p]) best = p;
      if (++n === MAX_SHARD) break;
    }
    return best;
  }
  function prefixShards(p) {
    return M.shards.filter(function (s) { return s.indexOf(p) === 0 || p.indexOf(s) === 0; });
  }
  var docs = Object.create(null);
  function docOf(id) {
    if (docs[id]) return Promise.resolve(docs[id]);
    return need("d/" + Math.floor(id / M.bucket)).then(function (arr) { return (arr || [])[id % M.bucket]; }, function () { return null; })
      .then(function (d) {
        d = d || ["(unavailable)", "", "note", "", "", "", []];
        return docs[id] = { title: String(d[0] || ""), url: d[1] || "", kind: d[2] || "note", folder: d[3] || "",
          date: d[4] || "", text: d[5] || "", aliases: Array.isArray(d[6]) ? d[6] : [] };
      });
  }

  /* Matching --------------------------------------------------------------------------- */
  function near(a, b, k) { /* Damerau-Levenshtein (optimal string alignment) distance <= k */
    var la = a.length, lb = b.length, i, j;
    if (Math.abs(la - lb) > k) return false;
    var prev2 = null, prev = [], cur;
    for (j = 0; j <= lb; j++) prev[j] = j;
    for (i = 1; i <= la; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= lb; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > k) return false;
      prev2 = prev;
      prev = cur;
    }
    return prev[lb] <= k;
  }
  /* The variants of a token: [{term, w, post}]; .uncertain when a variant's postings are capped
     or expansions were dropped (then a doc may contain the word without being listed). */
  function variants(tok, prefix) {
    var home = shardOf(tok);
    if (!home) return Promise.resolve([]);
    var expand = prefix && tok.length >= 2;
    var names = expand ? prefixShards(tok) : [home];
    /* A short prefix of a common start ("co") spans many shards: expand within the word's own
       shard only, so that a keystroke never downloads more than a few small files. */
    var narrowed = names.length > MAX_PREFIX_SHARDS;
    if (narrowed) names = [home];
    return Promise.all(names.map(shard)).then(function (list) {
      var out = [], seen = Object.create(null), home_ = shards[home];
      function add(sh, term, w, ceil) {
        if (seen[term]) return;
        seen[term] = true;
        out.push({ term: term, w: w, post: postings(sh, term), ceil: ceil || 255 });
      }
      var exact = !!(home_ && own(home_.map, tok));
      if (exact) add(home_, tok, 1);
      /* An expansion never outscores the exact word's best posting: "jose" puts José before
         Josefina, whose rarer name would otherwise win. */
      var ceil = exact ? Math.max.apply(null, Array.from(out[0].post.sc)) : 255;
      if (expand) {
        var more = [];
        list.forEach(function (sh) { /* keys are sorted: the terms with the prefix are a run */
          var lo = 0, hi = sh.keys.length;
          while (lo < hi) { var mid = (lo + hi) >> 1; if (sh.keys[mid] < tok) lo = mid + 1; else hi = mid; }
          for (var i = lo; i < sh.keys.length && sh.keys[i].indexOf(tok) === 0; i++) {
            if (sh.keys[i] !== tok && sh.keys[i].indexOf(":") < 0) more.push([sh, sh.keys[i]]);
          }
        });
        if (narrowed) out.uncertain = true;
        if (more.length > MAX_EXPAND) {
          more.sort(function (a, b) { return a[1].length - b[1].length || b[0].map[b[1]].length - a[0].map[a[1]].length; });
          more.length = MAX_EXPAND;
          out.uncertain = true;
        }
        more.forEach(function (x) { add(x[0], x[1], 0.6, ceil); });
      }
      if (!exact && tok.length >= 5 && tok.indexOf(":") < 0) {
        var k = tok.length >= 8 ? 2 : 1;
        list.forEach(function (sh) {
          sh.keys.forEach(function (t) { if (t.indexOf(":") < 0 && near(tok, t, k)) add(sh, t, 0.4); });
        });
      }
      out.forEach(function (v) { if (v.post.capped) out.uncertain = true; });
      return out;
    });
  }
  /* Parse a query into units (a word's or a phrase's tokens), filters and the prefix token. */
  var FILTER_TYPES = { kind: 1, tag: 1, folder: 1, "with": 1 };
  function parse(q) {
    var re = /([A-Za-z]+):("[^"]*"?|[^\s"]*)|"([^"]*)("?)|([^\s"]+)/g, m, units = [], filters = [], last = null;
    while ((m = re.exec(q))) {
      var open = m.index + m[0].length === q.length;
      if (m[1] && own(FILTER_TYPES, m[1].toLowerCase())) {
        var v = m[2].replace(/^"|"$/g, "").trim();
        if (v) filters.push([m[1].toLowerCase(), v]);
        last = null;
      } else if (m[3] !== undefined) {
        var p = tokens(m[3]);
        if (p.length) { units.push({ toks: p, phrase: p.length > 1, closed: m[4] === '"' }); last = open && !m[4] ? units[units.length - 1] : null; }
      } else {
        var w = tokens(m[0]);
        w.forEach(function (t) { units.push({ toks: [t] }); });
        last = open && w.length ? units[units.length - 1] : null;
      }
    }
    return { units: units, filters: filters, prefixUnit: last && !/\s$/.test(q) ? last : null };
  }
  /* A filter's alternative terms (a doc must have one of them). Forgiving: kind:meetings, with:dana. */
  function filterTerms(type, v) {
    var f = fold(v);
    if (type === "kind") {
      var ks = Object.keys(M.kinds || {}).filter(function (k) {
        return k === f || (f.length >= 3 && (k.indexOf(f) === 0 || f.indexOf(k) === 0));
      });
      if (f === "people") ks = ["person"];
      return (ks.length ? ks : [f]).map(function (k) { return "kind:" + k; });
    }
    if (type === "tag") return ["tag:" + fold(v.replace(/^#/, ""))];
    if (type === "folder") return ["folder:" + fold(v.replace(/^\/+|\/+$/g, ""))];
    var key = personKey(v), people = M.people || [], keys = [];
    people.forEach(function (p) { if (p[1] === v || p[1] === key) keys.push(p[1]); });
    if (!keys.length) {
      var want = tokens(v);
      people.forEach(function (p) {
        var have = tokens(p[0]);
        if (want.length && want.every(function (w) { return have.some(function (t) { return t.indexOf(w) === 0; }); })) keys.push(p[1]);
      });
    }
    return (keys.length ? keys : [key]).map(function (k) { return "with:" + k; });
  }
  function filterSet(terms) {
    return Promise.all(terms.map(function (t) {
      var s = shardOf(t);
      return s ? shard(s).then(function (sh) { return own(sh.map, t) ? postings(sh, t) : null; }) : null;
    })).then(function (posts) {
      var set = new Set();
      posts.forEach(function (p) { if (p) for (var i = 0; i < p.ids.length; i++) set.add(p.ids[i]); });
      return set;
    });
  }
  /* search(query, extra filters [[type, value]]) -> {hits (sorted by score), total, partial, hl, phrases} */
  function search(query, extra) {
    var q0 = parse(query), needPeople = q0.filters.concat(extra || []).some(function (f) { return f[0] === "with"; });
    return (needPeople ? facets() : manifest()).then(function () {
      var q = q0, keys = [], toks = [];
      q.units.forEach(function (u) {
        u.keys = u.toks.map(function (t, i) {
          var prefix = u === q.prefixUnit && i === u.toks.length - 1, key = (prefix ? "*" : "=") + t;
          if (keys.indexOf(key) < 0) { keys.push(key); toks.push({ t: t, prefix: prefix }); }
          return keys.indexOf(key);
        });
      });
      var filters = q.filters.concat(extra || []).map(function (f) { return filterTerms(f[0], f[1]); });
      return Promise.all([
        Promise.all(toks.map(function (t) { return variants(t.t, t.prefix); })),
        Promise.all(filters.map(filterSet))
      ]).then(function (r) { return combine(q, toks, r[0], r[1]); });
    });
  }
  function combine(q, toks, vars, sets) {
    var n = M.docs, hl = { terms: new Set(), prefixes: [] };
    var best = vars.map(function (vs, i) { /* per token: best weighted score by doc, docs touched */
      var arr = new Float32Array(n), touched = [];
      vs.forEach(function (v) {
        hl.terms.add(v.term);
        for (var j = 0; j < v.post.ids.length; j++) {
          var id = v.post.ids[j], s = Math.min(v.post.sc[j], v.ceil) * v.w;
          if (id >= n) continue;
          if (!arr[id]) touched.push(id);
          if (s > arr[id]) arr[id] = s;
        }
      });
      if (toks[i].prefix && toks[i].t.length >= 2) hl.prefixes.push(toks[i].t);
      return { arr: arr, touched: touched, uncertain: !!vs.uncertain };
    });
    function passes(id) { return sets.every(function (set) { return set.has(id); }); }
    function score(id) { return best.reduce(function (s, b) { return s + b.arr[id]; }, 0); }
    var hits = [], partial = false, i, id;
    if (!best.length) { /* filters only */
      if (sets.length) {
        var smallest = sets.reduce(function (a, b) { return b.size < a.size ? b : a; });
        smallest.forEach(function (d) { if (d < n && passes(d)) hits.push({ id: d, s: 0 }); });
      }
    } else {
      var req = best.filter(function (b) { return !b.uncertain; });
      if (!req.length) req = best;
      var base = req.reduce(function (a, b) { return b.touched.length < a.touched.length ? b : a; });
      for (i = 0; i < base.touched.length; i++) {
        id = base.touched[i];
        if (req.every(function (b) { return b.arr[id] > 0; }) && passes(id)) hits.push({ id: id, s: score(id) });
      }
      if (!hits.length && q.units.length > 1) { /* OR: any whole word or phrase */
        var seen = new Uint8Array(n);
        best.forEach(function (b) {
          b.touched.forEach(function (d) {
            if (seen[d]) return;
            seen[d] = 1;
            var whole = q.units.some(function (u) { return u.keys.every(function (k) { return best[k].arr[d] > 0; }); });
            if (whole && passes(d)) hits.push({ id: d, s: score(d) });
          });
        });
        partial = hits.length > 0;
      }
    }
    hits.sort(function (a, b) { return b.s - a.s || a.id - b.id; });
    hl.any = hl.terms.size > 0 || hl.prefixes.length > 0;
    hl.test = function (w) {
      if (hl.terms.has(w)) return true;
      for (var k = 0; k < hl.prefixes.length; k++) if (w.indexOf(hl.prefixes[k]) === 0) return true;
      return false;
    };
    var phrases = q.units.filter(function (u) { return u.phrase; }).map(function (u) {
      return " " + u.toks.join(" ") + (u.closed || u !== q.prefixUnit ? " " : "");
    });
    return { hits: hits, rest: hits.slice(), total: hits.length, partial: partial, hl: hl, phrases: phrases, chain: Promise.resolve() };
  }
  function phraseHit(d, phrases) {
    var fields = [d.title, d.text].concat(d.aliases).map(function (s) { return " " + tokens(s).join(" ") + " "; });
    return phrases.every(function (p) { return fields.some(function (f) { return f.indexOf(p) >= 0; }); }) ? 1 : 0;
  }
  function byRank(a, b) {
    return b.ph - a.ph || b.s - a.s || (a.doc.date < b.doc.date ? 1 : a.doc.date > b.doc.date ? -1 : 0) ||
      a.doc.title.localeCompare(b.doc.title) || a.id - b.id;
  }
  /* The next n results in display order, with their docs (results already shown stay put). */
  function next(res, n) {
    var p = res.chain.then(function () {
      var rest = res.rest, take = Math.min(n, rest.length), end = take;
      if (!take) return [];
      while (end < rest.length && end < take * TIE_WINDOW && rest[end].s === rest[take - 1].s) end++;
      if (res.phrases.length) end = Math.max(end, Math.min(rest.length, PHRASE_CHECK));
      var win = rest.slice(0, end);
      return Promise.all(win.map(function (h) { return docOf(h.id); })).then(function (ds) {
        win.forEach(function (h, i) { h.doc = ds[i]; h.ph = res.phrases.length ? phraseHit(h.doc, res.phrases) : 0; });
        win.sort(byRank);
        res.rest = win.slice(take).concat(rest.slice(end));
        return win.slice(0, take);
      });
    });
    res.chain = p.catch(function () {});
    return p;
  }

  /* Rendering: escape everything; <mark> the matched words --------------------------------- */
  /* Ranges [start, end) of the original text whose folded words match: the text is folded
     char by char with a map back to the original indices, so "José" is marked for "jose". */
  function ranges(text, hl) {
    if (!text || !hl.any) return [];
    var f = "", from = [], i = 0, out = [], m;
    for (var ch of text) {
      var x = ch < "\u0080" ? ch.toLowerCase() : fold(ch);
      for (var k = 0; k < x.length; k++) from.push(i);
      f += x;
      i += ch.length;
    }
    WORD.lastIndex = 0;
    while ((m = WORD.exec(f))) {
      if (!hl.test(cut(m[0]))) continue;
      var a = from[m.index], lastStart = from[m.index + m[0].length - 1];
      var b = lastStart + (text.codePointAt(lastStart) > 0xffff ? 2 : 1);
      var after = m.index + m[0].length < from.length ? from[m.index + m[0].length] : text.length;
      if (after > b) b = after; /* combining marks that folded away belong to the word */
      out.push([a, b]);
    }
    return out;
  }
  function render(text, r, from, to) {
    var out = "", pos = from;
    r.forEach(function (x) {
      var a = Math.max(x[0], pos), b = Math.min(x[1], to);
      if (b <= a) return;
      out += esc(text.slice(pos, a)) + "<mark>" + esc(text.slice(a, b)) + "</mark>";
      pos = b;
    });
    return out + esc(text.slice(pos, to));
  }
  function marked(text, hl) { return render(text, ranges(text, hl), 0, text.length); }
  function snippet(text, hl, len) {
    var r = ranges(text, hl), start = 0, end = text.length;
    if (end > len) {
      if (r.length && r[0][0] > len * 0.3) {
        start = r[0][0] - Math.floor(len * 0.3);
        var sp = text.indexOf(" ", start);
        if (sp >= 0 && sp < r[0][0]) start = sp + 1;
        if (/[\udc00-\udfff]/.test(text.charAt(start))) start++;
      }
      end = Math.min(text.length, start + len);
      var sp2 = text.lastIndexOf(" ", end);
      if (end < text.length && sp2 > start + len * 0.6) end = sp2;
      if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
    }
    return (start > 0 ? "…" : "") + render(text, r, start, end) + (end < text.length ? "…" : "");
  }
  function link(url) { /* a doc URL (relative to the site root) as an absolute link */
    var u = String(url || "").replace(/%(?![0-9a-fA-F]{2})|[?#]/g, encodeURIComponent);
    var h = new URL(u, ROOT).href;
    return location.protocol === "file:" && /\/$/.test(h) ? h + "index.html" : h;
  }
  function parts(h, hl, len) { /* the pieces of a result row, as HTML */
    var d = h.doc, kind = own(KINDS, d.kind) ? d.kind : "note", aka = "";
    if (!ranges(d.title, hl).length) {
      var al = d.aliases.filter(function (a) { return ranges(a, hl).length; })[0];
      if (al) aka = marked(al, hl);
    }
    return {
      href: esc(link(d.url)), kind: kind, title: marked(d.title || "Untitled", hl), aka: aka,
      badge: '<span class="kind-badge" data-kind="' + kind + '">' + KINDS[kind] + "</span>",
      folder: esc(d.folder), date: esc(d.date), snippet: snippet(d.text, hl, len)
    };
  }
  function searchUrl(form, q) {
    var base = (form.getAttribute("action") ? form.action : new URL("search/", ROOT).href).replace(/[?#].*$/, "");
    if (location.protocol === "file:" && /\/$/.test(base)) base += "index.html";
    return base + (q ? "?q=" + encodeURIComponent(q) : "");
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function failure(e) {
    return M || !e || /bad manifest/.test(e.message) ? "Search failed: " + ((e && e.message) || e) : "Search index not found";
  }

  /* The header box: an ARIA 1.2 combobox with a listbox of results ------------------------- */
  function initBox(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input) return;
    form.insertAdjacentHTML("beforeend", '<div class="site-search-panel" hidden><p class="site-search-message" hidden></p>' +
      '<ul class="site-search-list" id="site-search-list" role="listbox" aria-label="Search results"></ul></div>' +
      '<p class="visually-hidden" role="status" aria-live="polite"></p>');
    var panel = form.querySelector(".site-search-panel"), status = panel.nextSibling;
    var msg = panel.firstChild, list = panel.lastChild, active = -1, timer = 0, seq = 0;
    var aria = { role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": list.id };
    Object.keys(aria).forEach(function (k) { input.setAttribute(k, aria[k]); });
    function options() { return list.querySelectorAll('[role="option"]'); }
    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) setActive(-1);
    }
    function setActive(i, byMouse) {
      var opts = options();
      each(opts, function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i >= 0 && i < opts.length ? i : -1;
      if (active < 0) { input.removeAttribute("aria-activedescendant"); return; }
      input.setAttribute("aria-activedescendant", opts[active].id);
      if (!byMouse && opts[active].scrollIntoView) opts[active].scrollIntoView({ block: "nearest" });
    }
    function say(text) { msg.textContent = text; msg.hidden = !text; }
    function show(res, items, q) {
      var html = items.map(function (h, i) {
        var p = parts(h, res.hl, 120);
        return '<li role="option" id="site-search-opt-' + i + '" class="site-search-option" data-kind="' + p.kind + '" aria-selected="false">' +
          '<a class="site-search-link" href="' + p.href + '" tabindex="-1"><span class="site-search-line"><span class="site-search-title">' + p.title + "</span>" +
          (p.aka ? '<span class="site-search-aka">' + p.aka + "</span>" : "") + p.badge + "</span>" +
          (p.folder ? '<span class="site-search-folder">' + p.folder + "</span>" : "") +
          (p.snippet ? '<span class="site-search-snippet">' + p.snippet + "</span>" : "") + "</a></li>";
      }).join("");
      if (items.length) {
        html += '<li role="option" id="site-search-opt-all" class="site-search-all" aria-selected="false"><a class="site-search-link" href="' +
          esc(searchUrl(form, q)) + '" tabindex="-1">See all results' + (res.total > items.length ? " (" + res.total + ")" : "") + "</a></li>";
      }
      list.innerHTML = html;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      say(res.partial ? "No result has every word; showing partial matches" : items.length ? "" : "No results for \u201c" + q.trim() + "\u201d");
      status.textContent = items.length ? plural(res.total, "result", "results") + (res.partial ? ", partial matches" : "") : "No results";
      open(true);
    }
    function run() {
      var q = input.value, my = ++seq;
      if (!q.trim()) { list.innerHTML = ""; say(""); status.textContent = ""; open(false); return; }
      search(q).then(function (res) {
        return next(res, DROPDOWN).then(function (items) {
          if (my !== seq) return;
          if (!items.length && q.trim().length < 2) { open(false); return; }
          show(res, items, q);
        });
      }).catch(function (e) {
        if (my !== seq) return;
        list.innerHTML = "";
        say(failure(e));
        status.textContent = msg.textContent;
        open(true);
      });
    }
    function go(i) { var a = options()[i] && options()[i].querySelector("a"); if (a) window.location.href = a.href; }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, DEBOUNCE); });
    input.addEventListener("focus", function () {
      manifest().catch(function () {});
      if (input.value.trim() && (list.firstChild || !msg.hidden)) open(true);
    });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      var n = options().length;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (panel.hidden) { if (input.value.trim()) { open(true); run(); } return; }
        if (!n) return;
        var down = e.key === "ArrowDown";
        setActive(active < 0 ? (down ? 0 : n - 1) : down ? (active + 1 < n ? active + 1 : -1) : active - 1);
      } else if (e.key === "Enter" && !panel.hidden && active >= 0) {
        e.preventDefault();
        go(active);
      } else if (e.key === "Escape") {
        /* A search still waiting (typing debounce, shards loading) must not reopen it. */
        if (!panel.hidden) { e.preventDefault(); clearTimeout(timer); seq++; open(false); }
        else if (input.value) { e.preventDefault(); input.value = ""; run(); }
      }
    });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); }); /* keep the focus */
    list.addEventListener("mousemove", function (e) {
      var o = e.target.closest && e.target.closest('[role="option"]');
      var i = Array.prototype.indexOf.call(options(), o);
      if (i >= 0 && i !== active) setActive(i, true);
    });
    form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      if (active >= 0) go(active);
      else window.location.href = searchUrl(form, input.value.trim());
    });
  }

  /* The search page (search.html) ---------------------------------------------------------- */
  function initPage(form) {
    var $ = function (id) { return doc.getElementById(id); };
    var input = $("search-q"), kinds = $("search-kinds"), tag = $("search-tag"), folder = $("search-folder");
    var person = $("search-with"), people = $("search-people"), status = $("search-status");
    var note = $("search-note"), results = $("search-results"), more = $("search-more");
    if (!input || !results) return;
    var params = new URLSearchParams(window.location.search), seq = 0, timer = 0, current = null, shown = 0, lastQ = "";
    input.value = params.get("q") || "";
    function setStatus(t) { if (status) status.textContent = t; }
    function option(value, label) { var o = doc.createElement("option"); o.value = value; o.textContent = label; return o; }
    function fill(m) {
      var wantKind = params.get("kind") || "";
      if (kinds) {
        var html = '<legend class="visually-hidden">Kind</legend><label class="search-kind"><input type="radio" name="kind" value=""' + (wantKind ? "" : " checked") + "> All</label>";
        ["person", "meeting", "project", "note"].forEach(function (k) {
          if (!m.kinds || !m.kinds[k]) return;
          html += '<label class="search-kind" data-kind="' + k + '"><input type="radio" name="kind" value="' + k + '"' + (wantKind === k ? " checked" : "") + "> " +
            KINDS[k] + ' <span class="count">' + m.kinds[k] + "</span></label>";
        });
        kinds.innerHTML = html;
        kinds.hidden = false;
      }
      [[tag, m.tags, "tag"], [folder, m.folders, "folder"]].forEach(function (x) {
        var sel = x[0], all = x[1] || [], want = params.get(x[2]) || "";
        if (!sel) return;
        all.forEach(function (t) { sel.appendChild(option(t[0], (x[2] === "tag" ? "#" : "") + t[0] + " (" + t[1] + ")")); });
        if (want && !all.some(function (t) { return t[0] === want; })) sel.appendChild(option(want, want));
        sel.value = want;
        var box = sel.closest(".search-filter");
        if (box) box.hidden = !all.length && !want;
      });
      if (person && people) {
        (m.people || []).forEach(function (p) { people.appendChild(option(p[0], "")); });
        var w = params.get("with") || "";
        var named = (m.people || []).filter(function (p) { return p[1] === w; })[0];
        person.value = named ? named[0] : w;
        var pbox = person.closest(".search-filter");
        if (pbox) pbox.hidden = !(m.people || []).length && !person.value;
      }
    }
    function state() {
      var kind = kinds && kinds.querySelector("input:checked");
      var s = { q: input.value.trim(), kind: kind ? kind.value : "", tag: tag ? tag.value : "", folder: folder ? folder.value : "", "with": "" };
      if (person && person.value.trim()) {
        var v = person.value.trim(), hit = (M.people || []).filter(function (p) { return p[0] === v || fold(p[0]) === fold(v); })[0];
        s["with"] = hit ? hit[1] : v;
      }
      return s;
    }
    function sync(s) {
      var p = new URLSearchParams();
      ["q", "kind", "tag", "folder", "with"].forEach(function (k) { if (s[k]) p.set(k, s[k]); });
      var qs = p.toString();
      try { window.history.replaceState(null, "", (qs ? "?" + qs : window.location.pathname) + window.location.hash); } catch (e) { /* file:// */ }
    }
    function item(h, hl) {
      var p = parts(h, hl, 240);
      var meta = [p.folder, p.date ? '<time datetime="' + p.date + '">' + p.date + "</time>" : ""].filter(Boolean).join(' <span aria-hidden="true">·</span> ');
      return '<li class="search-result" data-kind="' + p.kind + '"><div class="search-result-head"><a class="search-result-title" href="' + p.href + '">' + p.title + "</a>" +
        (p.aka ? '<span class="search-result-aka">' + p.aka + "</span>" : "") + p.badge + "</div>" +
        (meta ? '<p class="search-result-meta">' + meta + "</p>" : "") +
        (p.snippet ? '<p class="search-result-snippet">' + p.snippet + "</p>" : "") + "</li>";
    }
    function count() {
      if (!current) return;
      var t = current.total ? plural(current.total, "result", "results") : "No results";
      if (lastQ) t += " for \u201c" + lastQ + "\u201d";
      if (shown < current.total) t += " \u00b7 showing " + shown;
      setStatus(t);
      if (more) more.hidden = !current.rest.length;
    }
    function run() {
      var s = state(), my = ++seq;
      sync(s);
      var extra = ["kind", "tag", "folder", "with"].filter(function (k) { return s[k]; }).map(function (k) { return [k, s[k]]; });
      if (!s.q && !extra.length) {
        current = null;
        results.innerHTML = "";
        [note, more].forEach(function (el) { if (el) el.hidden = true; });
        setStatus("Search " + plural(M.docs, "note", "notes") + (M.built ? " \u00b7 index built " + M.built : ""));
        return;
      }
      search(input.value, extra).then(function (res) {
        return next(res, PAGE).then(function (items) {
          if (my !== seq) return;
          current = res;
          lastQ = s.q;
          shown = items.length;
          results.innerHTML = items.map(function (h) { return item(h, res.hl); }).join("");
          if (note) { note.textContent = "No result has every word; showing partial matches"; note.hidden = !res.partial; }
          count();
        });
      }).catch(function (e) { if (my === seq) setStatus(failure(e)); });
    }
    function later() { clearTimeout(timer); timer = setTimeout(run, DEBOUNCE); }
    setStatus("Loading the search index\u2026");
    facets().then(function (m) {
      fill(m);
      form.addEventListener("input", function (e) { if (e.target === input || e.target === person) later(); });
      form.addEventListener("change", function (e) { if (e.target !== input) run(); });
      form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
      if (more) more.addEventListener("click", function () {
        var res = current, first = shown;
        if (!res) return;
        next(res, PAGE).then(function (items) {
          if (res !== current) return;
          results.insertAdjacentHTML("beforeend", items.map(function (h) { return item(h, res.hl); }).join(""));
          shown += items.length;
          count();
          var a = results.children[first] && results.children[first].querySelector("a");
          if (a) a.focus();
        });
      });
      run();
    }, function (e) { setStatus(failure(e)); });
  }

  /* "/" and Ctrl-K (Cmd-K) focus the search box, unless typing in another field ------------- */
  function typing(el) { return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)); }
  function shortcut(e) {
    var slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey;
    var k = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
    if (!slash && !k) return;
    var target = doc.getElementById("search-q") || doc.querySelector('form.site-search input[name="q"]');
    if (!target || (typing(e.target) && e.target !== target) || (slash && e.target === target)) return;
    e.preventDefault();
    target.focus();
    target.select();
  }

  /* For custom themes: wikigenSearch.search("query", n) -> {total, partial, items: [{id, s, doc}]} */
  window.wikigenSearch.search = function (q, n) {
    return search(q).then(function (res) {
      return next(res, n || PAGE).then(function (items) { return { total: res.total, partial: res.partial, items: items }; });
    });
  };

  function init() {
    each(doc.querySelectorAll("form.site-search"), function (f) {
      try { initBox(f); } catch (e) { if (window.console) console.warn("wikigen search:", e); }
    });
    var page = doc.getElementById("search-form");
    if (page) initPage(page);
    doc.addEventListener("keydown", shortcut);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
