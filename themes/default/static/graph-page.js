/* wikigen graph page: the global graph of graph.html, on top of graph.js (which loads the data
   and draws; see there). Adds the kind checkboxes, the tag and folder filters, the find box (its
   matches are a list of links, reachable by keyboard), the zoom buttons, ?n=<page> to start on
   a note, and marks #graph[data-ready] once the first frame is drawn. No dependencies, ES2019. */
(function () {
  "use strict";
  var W = window.wikigenGraph;
  if (!W || !W.View || W.page) return;
  W.page = true;
  var doc = document, U = W.util, G = null;
  var fold = U.fold, plural = U.plural, pageUrl = U.pageUrl, KIND_NAMES = U.KIND_NAMES, KIND_PLURAL = U.KIND_PLURAL;

  /* The global graph page --------------------------------------------------------------------- */
  function initGlobal(box) {
    var stage = box.querySelector(".graph-stage"), status = doc.getElementById("graph-status");
    var root = W.where(box).root;
    stage.classList.add("is-loading");
    W.need(W.where(box).data, function (graph) {
      G = graph;
      var t0 = performance.now();
      var d = G.d, n = G.n, nodes = new Int32Array(n), px = new Float32Array(n), py = new Float32Array(n);
      for (var i = 0; i < n; i++) { nodes[i] = i; px[i] = d.x[i]; py[i] = d.y[i]; }
      var v = new W.View(stage, nodes, px, py, { root: root, centre: -1, labelAll: 150 });
      v.show = new Uint8Array(n).fill(1);
      U.watchTheme([v]);
      filters(box, v, status);
      var want = new URLSearchParams(location.search).get("n");
      if (want !== null && G.byUrl.has(want)) {
        v.selected = G.byUrl.get(want);
        v.centreOn(v.selected, 1.2);
      }
      zoomButtons(box, v);
      stage.classList.remove("is-loading");
      box.setAttribute("data-ready", "true");
      window.wikigenGraph.ready = { at: performance.now(), draw: performance.now() - t0, nodes: n, edges: G.ea.length };
    }, function () {
      stage.classList.remove("is-loading");
      if (status) status.textContent = "The graph data could not be loaded.";
    });
  }

  function zoomButtons(box, v) {
    Array.prototype.forEach.call(box.querySelectorAll("[data-zoom]"), function (b) {
      b.addEventListener("click", function () {
        var z = b.getAttribute("data-zoom");
        if (z === "fit") v.fit();
        else v.zoomAt(z === "in" ? 1.5 : 1 / 1.5, v.w / 2, v.h / 2);
      });
    });
  }

  /* Kind checkboxes, tag and folder selects, and the find box with its list of links. */
  function filters(box, v, status) {
    var d = G.d, n = G.n, i, k;
    var kindOn = [true, true, true, true, true], counts = [0, 0, 0, 0, 0];
    for (i = 0; i < n; i++) counts[G.kind[i]]++;
    var fs = box.querySelector("#graph-kinds");
    counts.forEach(function (c, kind) {
      if (!c || !fs) return;
      var l = doc.createElement("label");
      l.className = "graph-kind";
      l.setAttribute("data-kind", kind === 4 ? "missing" : d.kinds[kind]);
      l.innerHTML = '<input type="checkbox" checked value="' + kind + '"><span class="graph-swatch" aria-hidden="true"></span>' +
        KIND_PLURAL[kind] + ' <span class="count">' + c.toLocaleString("en") + "</span>";
      l.firstChild.addEventListener("change", function (e) { kindOn[kind] = e.target.checked; apply(); });
      fs.appendChild(l);
    });
    var tagSel = box.querySelector("#graph-tag"), folderSel = box.querySelector("#graph-folder");
    /* a tag counts the notes with it or one of its sub-tags */
    var lowerTags = d.tags.map(function (t) { return t.toLowerCase(); }), tagCount = new Map();
    for (i = 0; i < n; i++) {
      if (!d.tag[i].length) continue;
      var names = new Set();
      d.tag[i].forEach(function (t) {
        var parts = lowerTags[t].split("/");
        for (var p = 1; p <= parts.length; p++) names.add(parts.slice(0, p).join("/"));
      });
      names.forEach(function (x) { tagCount.set(x, (tagCount.get(x) || 0) + 1); });
    }
    fill(tagSel, d.tags.map(function (t, ti) { return [String(ti), "#" + t, tagCount.get(lowerTags[ti]) || 0]; }));
    fill(folderSel, d.folders.map(function (f, fi) { return [String(fi), f, 0]; }).filter(function (o) { return o[1]; }));
    function fill(sel, opts) {
      if (!sel) return;
      if (!opts.length) { var field = sel.closest(".graph-field"); if (field) field.hidden = true; return; }
      opts.forEach(function (o) {
        var op = doc.createElement("option");
        op.value = o[0];
        op.textContent = o[1] + (o[2] ? " (" + o[2] + ")" : "");
        sel.appendChild(op);
      });
      sel.addEventListener("change", apply);
    }
    function apply() {
      var tagOk = null, folderOk = null;
      if (tagSel && tagSel.value) {
        var t = lowerTags[+tagSel.value];
        tagOk = new Uint8Array(d.tags.length);
        for (k = 0; k < d.tags.length; k++) tagOk[k] = lowerTags[k] === t || lowerTags[k].indexOf(t + "/") === 0 ? 1 : 0;
      }
      if (folderSel && folderSel.value) {
        var f = d.folders[+folderSel.value];
        folderOk = new Uint8Array(d.folders.length);
        for (k = 0; k < d.folders.length; k++) folderOk[k] = d.folders[k] === f || d.folders[k].indexOf(f + "/") === 0 ? 1 : 0;
      }
      var shown = 0;
      for (i = 0; i < n; i++) {
        var ok = kindOn[G.kind[i]] && (!folderOk || folderOk[d.folder[i]] === 1);
        if (ok && tagOk) ok = d.tag[i].some(function (t) { return tagOk[t] === 1; });
        v.show[i] = ok ? 1 : 0;
        shown += ok ? 1 : 0;
      }
      if (v.hover >= 0 && !v.show[v.hover]) v.hover = -1;
      if (v.selected >= 0 && !v.show[v.selected]) v.selected = -1;
      v.full();
      say(shown);
      find();
    }
    function say(shown) {
      if (!status) return;
      status.textContent = (shown === n ? "" : plural(shown, "note", "notes") + " shown of ") +
        plural(n, "note", "notes") + " · " + plural(G.ea.length, "link", "links");
    }
    say(n);
    /* find */
    var input = box.querySelector("#graph-find"), list = box.querySelector("#graph-matches");
    function find() {
      if (!input || !list) return;
      var q = fold(input.value.trim());
      list.innerHTML = "";
      if (!q) { list.hidden = true; return; }
      if (!G.folded) G.folded = d.title.map(fold);
      var hits = [];
      for (i = 0; i < n; i++) {
        if (!v.show[i]) continue;
        var at = G.folded[i].indexOf(q);
        if (at >= 0) hits.push([at === 0 ? 0 : 1, -G.deg[i], i]);
      }
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
      hits.slice(0, 12).forEach(function (h) {
        var j = h[2], li = doc.createElement("li"), a = doc.createElement("a");
        a.href = pageUrl(v.opts.root, d.url[j]);
        a.textContent = d.title[j];
        a.setAttribute("data-node", String(j));
        var focus = function () { v.selected = j; v.centreOn(j, Math.max(v.scale, 1)); };
        a.addEventListener("focus", focus);
        a.addEventListener("mouseenter", focus);
        li.appendChild(a);
        var kind = G.kind[j];
        li.insertAdjacentHTML("beforeend", ' <span class="kind-badge" data-kind="' + (kind === 4 ? "missing" : d.kinds[kind]) + '">' + KIND_NAMES[kind] + "</span>");
        list.appendChild(li);
      });
      if (hits.length > 12) list.insertAdjacentHTML("beforeend", '<li class="graph-more">' + plural(hits.length - 12, "more note", "more notes") + " match</li>");
      if (!hits.length) list.insertAdjacentHTML("beforeend", '<li class="graph-more">No note shown matches.</li>');
      list.hidden = false;
      if (hits.length) { v.selected = hits[0][2]; v.centreOn(hits[0][2], Math.max(v.scale, 1)); }
    }
    if (input) {
      input.addEventListener("input", find);
      input.addEventListener("keydown", function (e) {
        var first = list && list.querySelector("a");
        if (e.key === "Enter" && first) { e.preventDefault(); first.click(); }
        if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
      });
    }
    if (list) list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a")), at = links.indexOf(doc.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown" && at < links.length - 1) { e.preventDefault(); links[at + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    });
  }


  function init() {
    var box = doc.querySelector('[data-graph="global"]');
    if (box) initGlobal(box);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
