/* wikigen graph: loads the graph data, draws graphs on a <canvas>, and the local graph on note
   pages (_local_graph.html). The global graph page (graph.html) adds graph-page.js on top.
   No dependencies, no build step, ES2019.

   Data: _wikigen/graph-data.js, written by the build, calls wikigenGraph.load(data) (a script,
   not JSON, so that it loads from file:// too, as search does). Columns, one entry per node:
     {v: 1, depth: [graph] local_depth, kinds: ["note","person","meeting","project","missing"],
      folders: [path], tags: [name],
      title: [..], url: [path from the site root], kind: "0123…" (one digit per node),
      folder: [index], tag: [[index…]], edges: [[j1 - i, j2 - j1, …]], x: [..], y: [..]}
   edges[i] lists the nodes after i that i links to or is linked from, delta-coded; x/y are the
   global layout, computed by the build (a Barnes-Hut force layout), so the browser only draws.
   The data is found next to this script (graph.js?v=X → graph-data.js?v=X, the site root one
   folder up), so pages need not name it. The graph page loads it at once; a note page only
   when its panel scrolls into view.

   Drawing stays smooth with 10,000 nodes: a full frame (every visible edge in one path, nodes
   batched by colour, labels only where they fit) is drawn to an offscreen canvas when the view
   settles; while panning or zooming that bitmap is moved and scaled, and hovering draws only the
   hovered node's neighbourhood on top. Hit-testing uses a grid over the positions. Colours come
   from the theme's CSS variables (--kind-*), read again when the theme changes. */
(function () {
  "use strict";
  if (window.wikigenGraph) return; /* included twice */
  var doc = document;
  var COLOR_VARS = ["--kind-note", "--kind-person", "--kind-meeting", "--kind-project", "--unresolved"];
  var KIND_NAMES = ["Note", "Person", "Meeting", "Project", "Not written yet"];
  var KIND_PLURAL = ["Notes", "People", "Meetings", "Projects", "Not written yet"];
  var LOCAL_FIRST = 120;  /* a local graph shows at most this many direct neighbours … */
  var LOCAL_SECOND = 60;  /* … and this many notes two steps out (the best-connected ones) */
  var SETTLE = 120;       /* ms after the last pan or zoom before the full frame is redrawn */
  var G = null, waiting = [], requested = false;
  /* The data and the site root, from where this script is (…/_wikigen/graph.js?v=…); an element
     may say otherwise with data-data and data-root. */
  var SELF = (doc.currentScript && doc.currentScript.src) || new URL("_wikigen/graph.js", location.href).href;
  var DATA = SELF.replace(/graph\.js(\?[^#]*)?(#.*)?$/, "graph-data.js$1");
  var ROOT = new URL("../", SELF).href;

  window.wikigenGraph = {
    load: function (d) {
      G = window.wikigenGraph.graph = prepare(d);
      waiting.splice(0).forEach(function (f) { f(G); });
    },
    graph: null, /* the loaded graph (see prepare) */
    views: []    /* every canvas view of the page, for tests and themes */
  };
  /* for graph-page.js */
  var W = window.wikigenGraph;

  /* Data ------------------------------------------------------------------------------------ */
  function need(src, done, failed) {
    if (G) { done(G); return; }
    waiting.push(done);
    if (requested) return;
    requested = true;
    var s = doc.createElement("script");
    s.src = src;
    s.async = true;
    s.onerror = function () { requested = false; waiting = []; failed(); };
    doc.head.appendChild(s);
  }

  /* Undirected neighbours (links and backlinks, each once) in one array; degree; edge list. */
  function prepare(d) {
    var n = d.title.length, i, k, j;
    var kind = new Uint8Array(n), deg = new Int32Array(n), m = 0;
    for (i = 0; i < n; i++) kind[i] = d.kind.charCodeAt(i) - 48;
    for (i = 0; i < n; i++) m += d.edges[i].length;
    var ea = new Int32Array(m), eb = new Int32Array(m), e = 0;
    for (i = 0; i < n; i++) {
      var l = d.edges[i];
      /* each list is delta-coded from its node: [j1 - i, j2 - j1, …] */
      for (k = 0, j = i; k < l.length; k++) {
        j += l[k];
        if (j === i || j >= n) continue;
        ea[e] = i; eb[e] = j; e++;
        deg[i]++; deg[j]++;
      }
    }
    ea = ea.subarray(0, e); eb = eb.subarray(0, e);
    var start = new Int32Array(n + 1);
    for (i = 0; i < n; i++) start[i + 1] = start[i] + deg[i];
    var fill = start.slice(0, n), nb = new Int32Array(2 * e);
    for (k = 0; k < e; k++) { nb[fill[ea[k]]++] = eb[k]; nb[fill[eb[k]]++] = ea[k]; }
    var byUrl = new Map();
    for (i = 0; i < n; i++) byUrl.set(d.url[i], i);
    var radius = new Float32Array(n);
    for (i = 0; i < n; i++) radius[i] = 3 + Math.min(9, Math.sqrt(deg[i]) * 1.1);
    return {
      n: n, d: d, kind: kind, deg: deg, ea: ea, eb: eb, start: start, nb: nb, byUrl: byUrl,
      radius: radius, folded: null,
      neighbours: function (i) { return nb.subarray(start[i], start[i + 1]); }
    };
  }

  function fold(s) { return String(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); }

  /* A node's page as an absolute URL (index.html added on file://, which has no folder index). */
  function pageUrl(root, url) {
    var h = new URL(url, root).href;
    return location.protocol === "file:" && /\/$/.test(h) ? h + "index.html" : h;
  }

  /* Colours from the theme, read again when it changes. */
  function colours() {
    var cs = getComputedStyle(doc.documentElement);
    var get = function (v, dflt) { return (cs.getPropertyValue(v) || "").trim() || dflt; };
    return {
      kind: COLOR_VARS.map(function (v) { return get(v, "#888"); }),
      edge: get("--border-strong", "#ccc"),
      text: get("--text", "#222"),
      bg: get("--bg", "#fff"),
      accent: get("--accent", "#5a45d6"),
      dark: doc.documentElement.getAttribute("data-theme") === "dark"
    };
  }

  /* The canvas view: positions, pan and zoom, drawing, hit-testing ------------------------- */
  function View(stage, nodes, px, py, opts) {
    var v = this;
    v.stage = stage; v.nodes = nodes; v.px = px; v.py = py; v.opts = opts;
    v.canvas = stage.querySelector("canvas");
    if (!v.canvas) {
      v.canvas = doc.createElement("canvas");
      v.canvas.className = "graph-canvas";
      v.canvas.tabIndex = 0;
      v.canvas.setAttribute("aria-label", opts.label || "Graph of links");
      stage.appendChild(v.canvas);
    }
    v.tip = stage.querySelector(".graph-tip");
    if (!v.tip) {
      v.tip = doc.createElement("div");
      v.tip.className = "graph-tip";
      v.tip.hidden = true;
      stage.appendChild(v.tip);
    }
    v.ctx = v.canvas.getContext("2d");
    v.base = doc.createElement("canvas");
    v.bctx = v.base.getContext("2d");
    v.scale = 1; v.tx = 0; v.ty = 0;
    v.drawn = null; /* the transform the offscreen frame was drawn with */
    v.hover = -1; v.selected = -1;
    v.show = null; /* Uint8Array over graph nodes, or null for all */
    v.colours = colours();
    v.index = new Int32Array(G.n).fill(-1);
    for (var k = 0; k < nodes.length; k++) v.index[nodes[k]] = k;
    v.edges = edgesAmong(nodes, v.index);
    v.resize();
    v.fit();
    v.bind();
    window.wikigenGraph.views.push(v);
  }

  /* The edges whose both ends are in `nodes` (as positions in it). */
  function edgesAmong(nodes, index) {
    var a = [], b = [];
    for (var k = 0; k < G.ea.length; k++) {
      var i = index[G.ea[k]], j = index[G.eb[k]];
      if (i >= 0 && j >= 0) { a.push(i); b.push(j); }
    }
    return { a: Int32Array.from(a), b: Int32Array.from(b) };
  }

  View.prototype.visible = function (k) { return !this.show || this.show[this.nodes[k]] === 1; };
  /* A node's radius on screen, in CSS pixels. */
  View.prototype.screenR = function (k) { return Math.max(this.opts.minR || 1.2, this.size(k) * this.scale); };
  /* A node's radius in world units (a local graph draws notes two steps out smaller). */
  View.prototype.size = function (k) {
    return G.radius[this.nodes[k]] * (this.opts.ring && this.opts.ring[k] === 2 ? 0.7 : 1);
  };

  View.prototype.resize = function () {
    var r = this.canvas.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    this.w = Math.max(1, r.width); this.h = Math.max(1, r.height); this.dpr = dpr;
    this.canvas.width = this.base.width = Math.round(this.w * dpr);
    this.canvas.height = this.base.height = Math.round(this.h * dpr);
    this.grid = null;
  };

  /* Fits the visible nodes (or all) into the canvas. */
  View.prototype.fit = function () {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var k = 0; k < this.nodes.length; k++) {
      if (!this.visible(k)) continue;
      x0 = Math.min(x0, this.px[k]); x1 = Math.max(x1, this.px[k]);
      y0 = Math.min(y0, this.py[k]); y1 = Math.max(y1, this.py[k]);
    }
    if (x0 > x1) { x0 = y0 = -1; x1 = y1 = 1; }
    var pad = 24, s = Math.min((this.w - 2 * pad) / Math.max(x1 - x0, 1), (this.h - 2 * pad) / Math.max(y1 - y0, 1));
    this.scale = Math.max(0.02, Math.min(s, 2.5));
    this.tx = this.w / 2 - (x0 + x1) / 2 * this.scale;
    this.ty = this.h / 2 - (y0 + y1) / 2 * this.scale;
    this.full();
  };

  View.prototype.zoomAt = function (f, sx, sy) {
    var s = Math.max(0.01, Math.min(this.scale * f, 12));
    f = s / this.scale;
    this.tx = sx - (sx - this.tx) * f;
    this.ty = sy - (sy - this.ty) * f;
    this.scale = s;
    this.moved();
  };

  View.prototype.centreOn = function (k, scale) {
    if (scale) this.scale = scale;
    this.tx = this.w / 2 - this.px[k] * this.scale;
    this.ty = this.h / 2 - this.py[k] * this.scale;
    this.full();
  };

  /* After a pan or zoom: show the moved bitmap now, redraw fully once the view settles. */
  View.prototype.moved = function () {
    var v = this;
    v.present();
    clearTimeout(v.settle);
    v.settle = setTimeout(function () { v.full(); }, SETTLE);
  };

  /* The full frame, into the offscreen canvas. */
  View.prototype.full = function () {
    var v = this, c = v.bctx, s = v.scale, tx = v.tx, ty = v.ty, k, i;
    clearTimeout(v.settle);
    c.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    c.clearRect(0, 0, v.w, v.h);
    var px = v.px, py = v.py, w = v.w, h = v.h, m = 40;
    var on = new Uint8Array(v.nodes.length);
    var count = 0;
    for (k = 0; k < v.nodes.length; k++) {
      if (!v.visible(k)) continue;
      var x = px[k] * s + tx, y = py[k] * s + ty;
      if (x > -m && x < w + m && y > -m && y < h + m) { on[k] = 2; count++; } else on[k] = 1;
    }
    /* edges: one path */
    c.beginPath();
    var ea = v.edges.a, eb = v.edges.b;
    for (k = 0; k < ea.length; k++) {
      var a = ea[k], b = eb[k];
      if (!on[a] || !on[b] || (on[a] === 1 && on[b] === 1)) continue;
      c.moveTo(px[a] * s + tx, py[a] * s + ty);
      c.lineTo(px[b] * s + tx, py[b] * s + ty);
    }
    c.strokeStyle = v.colours.edge;
    c.globalAlpha = ea.length > 20000 ? 0.35 : 0.7;
    c.lineWidth = Math.max(0.4, Math.min(1.2, s));
    c.stroke();
    c.globalAlpha = 1;
    /* nodes, one path per kind */
    for (var kind = 0; kind < 5; kind++) {
      c.beginPath();
      for (k = 0; k < v.nodes.length; k++) {
        i = v.nodes[k];
        if (on[k] !== 2 || G.kind[i] !== kind) continue;
        var r = v.screenR(k), X = px[k] * s + tx, Y = py[k] * s + ty;
        if (r < 2.2) c.rect(X - r, Y - r, 2 * r, 2 * r);
        else { c.moveTo(X + r, Y); c.arc(X, Y, r, 0, 6.2832); }
      }
      c.fillStyle = v.colours.kind[kind];
      c.fill();
    }
    /* the note of a local graph: a ring */
    if (v.opts.centre >= 0) ring(c, v, v.opts.centre, v.colours.text);
    v.labels(c, on, count);
    v.drawn = { s: s, tx: tx, ty: ty };
    v.present();
  };

  function ring(c, v, k, colour) {
    var r = Math.max(3, v.screenR(k)) + 3;
    c.beginPath();
    c.arc(v.px[k] * v.scale + v.tx, v.py[k] * v.scale + v.ty, r, 0, 6.2832);
    c.strokeStyle = colour;
    c.lineWidth = 2;
    c.stroke();
  }

  /* Labels where they fit: biggest nodes first, none overlapping (a coarse occupancy grid). */
  View.prototype.labels = function (c, on, count) {
    var v = this, s = v.scale, k;
    var cand = [];
    for (k = 0; k < v.nodes.length; k++) {
      if (on[k] !== 2) continue;
      if (count <= v.opts.labelAll || v.size(k) * s >= 5) cand.push(k);
    }
    if (!cand.length) return;
    /* a local graph labels its inner rings first; then bigger nodes first */
    var rank = v.opts.ring || null;
    cand.sort(function (a, b) { return (rank ? rank[a] - rank[b] : 0) || G.deg[v.nodes[b]] - G.deg[v.nodes[a]] || a - b; });
    var cw = 8, gw = Math.ceil(v.w / cw) + 1, gh = Math.ceil(v.h / cw) + 1, used = new Uint8Array(gw * gh);
    c.font = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
    c.textAlign = "center";
    c.textBaseline = "top";
    c.lineWidth = 3;
    c.strokeStyle = v.colours.bg;
    c.fillStyle = v.colours.text;
    var placed = 0;
    var most = count <= v.opts.labelAll ? 250 : 60;
    for (var q = 0; q < cand.length && placed < most; q++) {
      k = cand[q];
      var text = short(G.d.title[v.nodes[k]]);
      var tw = c.measureText(text).width;
      var X = v.px[k] * s + v.tx, Y = v.py[k] * s + v.ty + v.screenR(k) + 3;
      var gx0 = Math.floor((X - tw / 2) / cw), gx1 = Math.floor((X + tw / 2) / cw), gy0 = Math.floor(Y / cw), gy1 = Math.floor((Y + 14) / cw);
      if (gx0 < 0 || gy0 < 0 || gx1 >= gw || gy1 >= gh) continue;
      var free = true, gx, gy;
      for (gy = gy0; gy <= gy1 && free; gy++) for (gx = gx0; gx <= gx1; gx++) if (used[gy * gw + gx]) { free = false; break; }
      if (!free) continue;
      for (gy = gy0; gy <= gy1; gy++) for (gx = gx0; gx <= gx1; gx++) used[gy * gw + gx] = 1;
      c.strokeText(text, X, Y);
      c.fillText(text, X, Y);
      placed++;
    }
  };

  function short(t) { return t.length > 40 ? t.slice(0, 38) + "…" : t; }

  /* The visible canvas: the offscreen frame (moved and scaled to the current view), then the
     hovered or selected node with its links and neighbours on top. */
  View.prototype.present = function () {
    var v = this, c = v.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, v.canvas.width, v.canvas.height);
    if (v.drawn) {
      var f = v.scale / v.drawn.s;
      var dx = (v.tx - v.drawn.tx * f) * v.dpr, dy = (v.ty - v.drawn.ty * f) * v.dpr;
      c.setTransform(f, 0, 0, f, dx, dy);
      c.drawImage(v.base, 0, 0);
      c.setTransform(1, 0, 0, 1, 0, 0);
    }
    var k = v.hover >= 0 ? v.hover : v.selected;
    if (k >= 0) v.highlight(k);
  };

  View.prototype.highlight = function (k) {
    var v = this, c = v.ctx, s = v.scale, i = v.nodes[k], j, q;
    c.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    c.globalAlpha = 0.55;
    c.fillStyle = v.colours.bg;
    c.fillRect(0, 0, v.w, v.h);
    c.globalAlpha = 1;
    var X = v.px[k] * s + v.tx, Y = v.py[k] * s + v.ty;
    var nb = G.neighbours(i), near = [];
    c.beginPath();
    for (q = 0; q < nb.length; q++) {
      j = v.index[nb[q]];
      if (j < 0 || !v.visible(j)) continue;
      near.push(j);
      c.moveTo(X, Y);
      c.lineTo(v.px[j] * s + v.tx, v.py[j] * s + v.ty);
    }
    c.strokeStyle = v.colours.accent;
    c.lineWidth = 1.5;
    c.stroke();
    near.push(k);
    c.font = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
    c.textAlign = "center";
    c.textBaseline = "top";
    for (q = 0; q < near.length; q++) {
      j = near[q];
      var r = Math.max(2.5, v.screenR(j));
      var x = v.px[j] * s + v.tx, y = v.py[j] * s + v.ty;
      c.beginPath();
      c.arc(x, y, r, 0, 6.2832);
      c.fillStyle = v.colours.kind[G.kind[v.nodes[j]]];
      c.fill();
    }
    c.lineWidth = 3;
    for (q = near.length - 1; q >= 0 && q >= near.length - 60; q--) {
      j = near[q];
      var t = short(G.d.title[v.nodes[j]]);
      var ly = v.py[j] * s + v.ty + Math.max(2.5, v.screenR(j)) + 3;
      c.font = (j === k ? "600 " : "") + "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
      c.strokeStyle = v.colours.bg;
      c.strokeText(t, v.px[j] * s + v.tx, ly);
      c.fillStyle = v.colours.text;
      c.fillText(t, v.px[j] * s + v.tx, ly);
    }
    ring(c, v, k, v.colours.accent);
  };

  /* Hit-testing: a grid over the positions, built on first use. */
  View.prototype.hit = function (sx, sy) {
    var v = this;
    var wx = (sx - v.tx) / v.scale, wy = (sy - v.ty) / v.scale;
    if (!v.grid) v.grid = grid(v.px, v.py);
    var g = v.grid, tol = 8 / v.scale + 12;
    var cx0 = Math.floor((wx - tol - g.x0) / g.cell), cx1 = Math.floor((wx + tol - g.x0) / g.cell);
    var cy0 = Math.floor((wy - tol - g.y0) / g.cell), cy1 = Math.floor((wy + tol - g.y0) / g.cell);
    var best = -1, bd = Infinity;
    for (var cy = Math.max(0, cy0); cy <= Math.min(g.h - 1, cy1); cy++) {
      for (var cx = Math.max(0, cx0); cx <= Math.min(g.w - 1, cx1); cx++) {
        var cell = cy * g.w + cx;
        for (var q = g.start[cell]; q < g.start[cell + 1]; q++) {
          var k = g.items[q];
          if (!v.visible(k)) continue;
          var dx = v.px[k] - wx, dy = v.py[k] - wy, d = dx * dx + dy * dy;
          var r = (Math.max(v.screenR(k), 5) + 2) / v.scale;
          if (d <= r * r && d < bd) { bd = d; best = k; }
        }
      }
    }
    return best;
  };

  function grid(px, py) {
    var n = px.length, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, k;
    for (k = 0; k < n; k++) {
      x0 = Math.min(x0, px[k]); x1 = Math.max(x1, px[k]);
      y0 = Math.min(y0, py[k]); y1 = Math.max(y1, py[k]);
    }
    if (!n) { x0 = y0 = 0; x1 = y1 = 1; }
    var cell = Math.max(16, Math.sqrt((x1 - x0 + 1) * (y1 - y0 + 1) / Math.max(1, n)) * 2);
    var w = Math.floor((x1 - x0) / cell) + 1, h = Math.floor((y1 - y0) / cell) + 1;
    var start = new Int32Array(w * h + 1), of = new Int32Array(n);
    for (k = 0; k < n; k++) {
      of[k] = Math.floor((py[k] - y0) / cell) * w + Math.floor((px[k] - x0) / cell);
      start[of[k] + 1]++;
    }
    for (k = 0; k < w * h; k++) start[k + 1] += start[k];
    var fill = start.slice(0, w * h), items = new Int32Array(n);
    for (k = 0; k < n; k++) items[fill[of[k]]++] = k;
    return { x0: x0, y0: y0, cell: cell, w: w, h: h, start: start, items: items };
  }

  /* Pointer, wheel and keyboard. */
  View.prototype.bind = function () {
    var v = this, cv = v.canvas, drag = null, pointers = new Map(), pinch = null;
    function at(e) { var r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
    cv.addEventListener("pointerdown", function (e) {
      pointers.set(e.pointerId, at(e));
      if (pointers.size === 2) {
        var p = Array.from(pointers.values());
        pinch = { d: Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) };
        drag = null;
        return;
      }
      var xy = at(e);
      drag = { x: xy[0], y: xy[1], tx: v.tx, ty: v.ty, moved: false };
      try { cv.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events */ }
    });
    cv.addEventListener("pointermove", function (e) {
      var xy = at(e);
      if (pointers.has(e.pointerId)) pointers.set(e.pointerId, xy);
      if (pinch && pointers.size === 2) {
        var p = Array.from(pointers.values()), d = Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]);
        if (pinch.d > 0) v.zoomAt(d / pinch.d, (p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2);
        pinch.d = d;
        return;
      }
      if (drag) {
        var dx = xy[0] - drag.x, dy = xy[1] - drag.y;
        if (!drag.moved && dx * dx + dy * dy < 16) return;
        drag.moved = true;
        cv.classList.add("is-dragging");
        v.tx = drag.tx + dx; v.ty = drag.ty + dy;
        v.setHover(-1);
        v.moved();
        return;
      }
      v.setHover(v.hit(xy[0], xy[1]));
    });
    var up = function (e) {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) pinch = null;
      if (!drag) return;
      var d = drag;
      drag = null;
      cv.classList.remove("is-dragging");
      if (d.moved || e.type === "pointercancel") return;
      var xy = at(e), k = v.hit(xy[0], xy[1]);
      if (k >= 0) v.open(k);
    };
    cv.addEventListener("pointerup", up);
    cv.addEventListener("pointercancel", up);
    cv.addEventListener("pointerleave", function () { if (!drag) v.setHover(-1); });
    cv.addEventListener("wheel", function (e) {
      if (v.opts.wheelNeedsFocus && doc.activeElement !== cv && !e.ctrlKey) return;
      e.preventDefault();
      var xy = at(e);
      v.zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), xy[0], xy[1]);
    }, { passive: false });
    cv.addEventListener("keydown", function (e) {
      var step = 60, handled = true;
      switch (e.key) {
        case "ArrowLeft": v.tx += step; v.moved(); break;
        case "ArrowRight": v.tx -= step; v.moved(); break;
        case "ArrowUp": v.ty += step; v.moved(); break;
        case "ArrowDown": v.ty -= step; v.moved(); break;
        case "+": case "=": v.zoomAt(1.4, v.w / 2, v.h / 2); break;
        case "-": case "_": v.zoomAt(1 / 1.4, v.w / 2, v.h / 2); break;
        case "0": v.fit(); break;
        case "Enter": if (v.selected >= 0) v.open(v.selected); else handled = false; break;
        default: handled = false;
      }
      if (handled) e.preventDefault();
    });
    if ("ResizeObserver" in window) {
      var last = [v.w, v.h];
      new ResizeObserver(function () {
        var r = cv.getBoundingClientRect();
        if (Math.abs(r.width - last[0]) < 1 && Math.abs(r.height - last[1]) < 1) return;
        var cx = (v.w / 2 - v.tx) / v.scale, cy = (v.h / 2 - v.ty) / v.scale;
        v.resize();
        last = [v.w, v.h];
        v.tx = v.w / 2 - cx * v.scale; v.ty = v.h / 2 - cy * v.scale;
        v.full();
      }).observe(cv);
    }
  };

  View.prototype.setHover = function (k) {
    if (k === this.hover) return;
    this.hover = k;
    this.canvas.style.cursor = k >= 0 ? "pointer" : "";
    var tip = this.tip;
    if (k >= 0) {
      var i = this.nodes[k], kind = G.kind[i];
      tip.innerHTML = '<span class="kind-badge" data-kind="' + (kind === 4 ? "missing" : G.d.kinds[kind]) + '">' +
        KIND_NAMES[kind] + "</span> <strong>" + esc(G.d.title[i]) + "</strong> <span class=\"graph-tip-count\">" +
        plural(G.deg[i], "link", "links") + "</span>";
      var x = this.px[k] * this.scale + this.tx, y = this.py[k] * this.scale + this.ty;
      tip.style.left = Math.round(Math.min(Math.max(x, 8), this.w - 8)) + "px";
      tip.style.top = Math.round(y) + "px";
      tip.classList.toggle("is-below", y < 60);
      tip.hidden = false;
    } else {
      tip.hidden = true;
    }
    this.present();
  };

  View.prototype.open = function (k) {
    location.href = pageUrl(this.opts.root, G.d.url[this.nodes[k]]);
  };

  function watchTheme(views) {
    if (!("MutationObserver" in window)) return;
    new MutationObserver(function () {
      var c = colours();
      views.forEach(function (v) { v.colours = c; v.full(); });
    }).observe(doc.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  /* A note's local graph ---------------------------------------------------------------------- */
  function initLocal(stage) {
    var root = where(stage).root;
    var start = function () {
      stage.classList.add("is-loading");
      need(where(stage).data, function () {
        stage.classList.remove("is-loading");
        drawLocal(stage, root);
      }, function () {
        stage.classList.remove("is-loading");
        stage.textContent = "The graph data could not be loaded.";
      });
    };
    if (!("IntersectionObserver" in window)) { start(); return; }
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); start(); }
    }, { rootMargin: "200px" });
    io.observe(stage);
  }

  function drawLocal(stage, root) {
    var c = G.byUrl.get(stage.getAttribute("data-node"));
    if (c === undefined) { stage.innerHTML = '<p class="empty">This page is not in the graph.</p>'; return; }
    var depth = +(stage.getAttribute("data-depth") || G.d.depth) === 1 ? 1 : 2;
    var picked = pick(c, depth);
    var nodes = Int32Array.from(picked.nodes);
    var pos = simulate(nodes, picked.ring);
    var v = new View(stage, nodes, pos.x, pos.y, {
      root: root, centre: 0, ring: picked.ring, labelAll: Infinity, minR: 3.5, wheelNeedsFocus: true,
      label: "Graph of the notes linked with " + G.d.title[c] + ": point at a note to see its title, click it to open it"
    });
    watchTheme([v]);
    var first = picked.first, dropped = picked.dropped;
    var cap = doc.createElement("p");
    cap.className = "local-graph-caption";
    cap.textContent = plural(first, "direct link", "direct links") +
      (depth === 2 ? ", " + plural(nodes.length - 1 - Math.min(first, LOCAL_FIRST), "note", "notes") + " two steps out" : "") +
      (dropped ? " (" + dropped.toLocaleString("en") + " more not shown)" : "");
    stage.parentNode.appendChild(cap);
    stage.setAttribute("data-ready", "true");
  }

  /* The note, its neighbours (the best-connected LOCAL_FIRST) and, at depth 2, the notes two
     steps out that are the most connected to those (LOCAL_SECOND). */
  function pick(c, depth) {
    var inSet = new Map(), nodes = [c], ring = [0], k, q;
    inSet.set(c, 0);
    var byDeg = function (a, b) { return G.deg[b] - G.deg[a] || a - b; };
    var first = Array.from(G.neighbours(c)).sort(byDeg), dropped = Math.max(0, first.length - LOCAL_FIRST);
    first.slice(0, LOCAL_FIRST).forEach(function (j) { inSet.set(j, nodes.length); nodes.push(j); ring.push(1); });
    if (depth === 2) {
      var score = new Map();
      for (k = 1; k < nodes.length; k++) {
        var nb = G.neighbours(nodes[k]);
        for (q = 0; q < nb.length; q++) if (!inSet.has(nb[q])) score.set(nb[q], (score.get(nb[q]) || 0) + 1);
      }
      var second = Array.from(score.keys()).sort(function (a, b) { return score.get(b) - score.get(a) || byDeg(a, b); });
      dropped += Math.max(0, second.length - LOCAL_SECOND);
      second.slice(0, LOCAL_SECOND).forEach(function (j) { inSet.set(j, nodes.length); nodes.push(j); ring.push(2); });
    }
    return { nodes: nodes, ring: ring, first: first.length, dropped: dropped };
  }

  /* A quick force layout for a few nodes (all pairs: at most ~180 nodes): the note pinned in
     the middle, its neighbours held near one ring around it and the notes two steps out near a
     wider one, so that what is near the note is plain to see however the notes are linked. */
  function simulate(nodes, ring) {
    var n = nodes.length, x = new Float32Array(n), y = new Float32Array(n), vx = new Float32Array(n), vy = new Float32Array(n);
    var index = new Map(), k, j, it;
    nodes.forEach(function (id, i) { index.set(id, i); });
    var counts = [1, 0, 0], seen = [0, 0, 0];
    for (k = 1; k < n; k++) counts[ring[k]]++;
    var R1 = 70 + Math.min(counts[1], 120) * 2.2, R2 = R1 + 70 + Math.min(counts[2], 60) * 1.6, radius = [0, R1, R2];
    for (k = 1; k < n; k++) {
      var r = ring[k], a = (seen[r]++ / counts[r]) * 2 * Math.PI + r * 0.5;
      x[k] = Math.cos(a) * radius[r]; y[k] = Math.sin(a) * radius[r];
    }
    var ea = [], eb = [];
    for (k = 0; k < n; k++) {
      var nb = G.neighbours(nodes[k]);
      for (j = 0; j < nb.length; j++) { var o = index.get(nb[j]); if (o !== undefined && o > k) { ea.push(k); eb.push(o); } }
    }
    var steps = 300;
    for (it = 0; it < steps; it++) {
      var alpha = 1 - it / steps;
      for (k = 0; k < n; k++) {
        for (j = k + 1; j < n; j++) {
          var dx = x[j] - x[k], dy = y[j] - y[k], l = dx * dx + dy * dy;
          if (l < 1) { dx = (j - k) * 0.01; dy = 0.01; l = 1; }
          var f = 600 * alpha / l;
          vx[k] -= dx * f; vy[k] -= dy * f; vx[j] += dx * f; vy[j] += dy * f;
        }
      }
      for (k = 0; k < ea.length; k++) {
        var a1 = ea[k], b1 = eb[k], ex = x[b1] - x[a1], ey = y[b1] - y[a1], d = Math.sqrt(ex * ex + ey * ey) || 1;
        var s = (d - 60) / d * 0.02 * alpha;
        vx[a1] += ex * s; vy[a1] += ey * s; vx[b1] -= ex * s; vy[b1] -= ey * s;
      }
      for (k = 1; k < n; k++) {
        var dc = Math.sqrt(x[k] * x[k] + y[k] * y[k]) || 1, g = (radius[ring[k]] - dc) / dc * 0.25;
        vx[k] += x[k] * g; vy[k] += y[k] * g;
        vx[k] *= 0.6; vy[k] *= 0.6;
        var sp = Math.sqrt(vx[k] * vx[k] + vy[k] * vy[k]);
        if (sp > 30) { vx[k] *= 30 / sp; vy[k] *= 30 / sp; }
        x[k] += vx[k]; y[k] += vy[k];
      }
    }
    return { x: x, y: y };
  }

  /* The graph data and the site root for an element (see SELF). */
  function where(el) {
    var data = el.getAttribute("data-data"), root = el.getAttribute("data-root");
    return {
      data: data ? new URL(data, location.href).href : DATA,
      root: root !== null ? new URL(root || "./", location.href).href : ROOT
    };
  }

  W.View = View;
  W.where = where;
  W.need = need;
  W.util = { fold: fold, esc: esc, plural: plural, pageUrl: pageUrl, watchTheme: watchTheme, KIND_NAMES: KIND_NAMES, KIND_PLURAL: KIND_PLURAL };

  function init() {
    Array.prototype.forEach.call(doc.querySelectorAll('[data-graph="local"]'), initLocal);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
