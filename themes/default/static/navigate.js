/* wikigen default theme: moving through the wiki. No dependencies, no network beyond the site.
   1. hover previews: hovering (or focusing) a link to another page of the wiki shows the top of
      that page (title, kind, dates, the profile card of a person, the first paragraphs, or the
      linked section) in a popover; fetched from the site itself, so it works offline and under
      a sub-path. Links to notes not written yet, attachments and private notes (plain text)
      get none.
   2. folder explorer: the "Browse" button opens the vault's folder tree in a sidebar, drawn
      from _wikigen/explorer.json (one file per site) a folder at a time; the current page's
      folders start open; it can stay pinned open on wide screens. */
(function () {
  "use strict";
  var doc = document;

  function each(list, fn) { Array.prototype.forEach.call(list || [], fn); }
  function session(key, value) {
    try {
      if (value === undefined) return window.sessionStorage.getItem(key);
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) { /* storage disabled */ }
    return null;
  }
  function local(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* storage disabled */ }
    return null;
  }

  /* 1. Hover previews ------------------------------------------------------ */
  var SHOW_DELAY = 350, HIDE_DELAY = 250, TEXT_BUDGET = 700;
  var cache = {};

  /* A link worth previewing: to a page of this site (same origin, not an asset or attachment,
     not a note that is not written yet, not the page itself). */
  function previewable(a) {
    if (!a || a.closest(".preview-popover, .site-header, .breadcrumbs, .toc, .explorer")) return false;
    if (a.classList.contains("unresolved") || a.classList.contains("attachment")) return false;
    if (a.hasAttribute("download") || a.getAttribute("target") === "_blank") return false;
    var href = a.getAttribute("href");
    if (!href || href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) return false;
    var url;
    try { url = new URL(href, window.location.href); } catch (e) { return false; }
    if (url.origin !== window.location.origin) return false;
    if (/\/_wikigen\//.test(url.pathname)) return false;
    if (/\.[a-z0-9]{1,5}$/i.test(url.pathname) && !/\.html?$/i.test(url.pathname)) return false;
    if (url.pathname === window.location.pathname) return false;
    return true;
  }

  function pageUrl(a) {
    var url = new URL(a.getAttribute("href"), window.location.href);
    var hash = url.hash;
    url.hash = "";
    return { page: url.href, hash: hash };
  }

  /* The start of a page is enough for a preview: a long page (a person with a thousand meetings)
     is cut before parsing, unless the linked section is further down. */
  var PARSE_LIMIT = 120000;
  function head(text, hash) {
    var limit = PARSE_LIMIT;
    if (hash && hash.length > 1) {
      var id;
      try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
      var at = text.indexOf('id="' + id + '"');
      limit = at < 0 ? text.length : Math.max(limit, at + 30000);
    }
    return text.length > limit ? text.slice(0, limit) : text;
  }

  function load(page, hash) {
    var key = page + (hash || "");
    if (!cache[key]) {
      cache[key] = fetch(page, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(head(text, hash), "text/html");
      });
      cache[key].catch(function () { delete cache[key]; });
    }
    return cache[key];
  }

  /* A copy of `node` without ids (no duplicates in this page), scripts or form controls. */
  function copy(node) {
    var c = doc.importNode(node, true);
    each(c.querySelectorAll("script, style, input, button, form, .heading-anchor, .copy-button"), function (x) { x.remove(); });
    if (c.removeAttribute) c.removeAttribute("id");
    each(c.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
    return c;
  }

  /* Blocks from `start` on (and its following siblings) until about TEXT_BUDGET characters. */
  function blocksFrom(start, into) {
    var used = 0;
    for (var el = start; el && used < TEXT_BUDGET; el = el.nextElementSibling) {
      if (el.classList && el.classList.contains("is-duplicate-title")) continue;
      if (/^H1$/.test(el.tagName) && el === start.parentNode.firstElementChild) continue;
      into.appendChild(copy(el));
      used += (el.textContent || "").length;
    }
    return used;
  }

  function previewContent(d, hash) {
    var box = doc.createElement("div");
    box.className = "preview-body";
    var article = d.querySelector("article.note");
    var header = d.querySelector("article.note > .note-header, .listing-header, .missing-header");
    if (header) {
      var h = copy(header);
      each(h.querySelectorAll(".tag-list, .profile-fields, .meeting-facts"), function (x) { x.remove(); });
      box.appendChild(h);
    }
    var target = null;
    if (hash && hash.length > 1) {
      var id;
      try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
      target = d.getElementById(id);
    }
    var body = doc.createElement("div");
    body.className = "preview-text prose";
    if (target && article && article.contains(target)) {
      blocksFrom(target, body);
    } else if (article) {
      var content = article.querySelector(".note-content, .profile-section .profile-block, .profile-section");
      var first = content && (content.classList.contains("note-content") ? content.firstElementChild : content);
      if (first) blocksFrom(first, body);
    }
    if (body.childNodes.length) box.appendChild(body);
    return box.childNodes.length ? box : null;
  }

  function initPreviews() {
    if (!window.fetch || !window.DOMParser || !window.URL) return;
    var pop = doc.createElement("div");
    pop.className = "preview-popover";
    pop.id = "wikigen-preview";
    pop.setAttribute("role", "tooltip");
    pop.hidden = true;
    doc.body.appendChild(pop);
    var current = null, showTimer = 0, hideTimer = 0, token = 0;

    function place(a) {
      var r = a.getBoundingClientRect();
      var vw = doc.documentElement.clientWidth, vh = window.innerHeight;
      pop.style.maxWidth = Math.min(440, vw - 16) + "px";
      var w = pop.offsetWidth, h = pop.offsetHeight;
      var left = Math.min(Math.max(8, r.left), vw - w - 8);
      var below = r.bottom + 8;
      var top = below + h > vh - 8 && r.top - h - 8 > 8 ? r.top - h - 8 : below;
      pop.style.left = (left + window.scrollX) + "px";
      pop.style.top = (top + window.scrollY) + "px";
    }
    function hide() {
      window.clearTimeout(showTimer);
      token++;
      if (current) current.removeAttribute("aria-describedby");
      current = null;
      pop.hidden = true;
      pop.textContent = "";
    }
    function show(a) {
      var mine = ++token;
      var u = pageUrl(a);
      load(u.page, u.hash).then(function (d) {
        if (mine !== token) return;
        var content = previewContent(d, u.hash);
        if (!content) { hide(); return; }
        pop.textContent = "";
        pop.appendChild(content);
        pop.hidden = false;
        current = a;
        a.setAttribute("aria-describedby", pop.id);
        place(a);
      }, function () { if (mine === token) hide(); });
    }
    function enter(a) {
      window.clearTimeout(hideTimer);
      if (a === current) return;
      window.clearTimeout(showTimer);
      showTimer = window.setTimeout(function () { show(a); }, SHOW_DELAY);
    }
    function leave() {
      window.clearTimeout(showTimer);
      hideTimer = window.setTimeout(hide, HIDE_DELAY);
    }
    var hover = !window.matchMedia || window.matchMedia("(hover: hover)").matches;
    if (hover) {
      doc.addEventListener("mouseover", function (e) {
        var a = e.target.closest && e.target.closest("a[href]");
        if (a && previewable(a)) enter(a);
        else if (e.target.closest && e.target.closest(".preview-popover")) window.clearTimeout(hideTimer);
      });
      doc.addEventListener("mouseout", function (e) {
        var from = e.target.closest && e.target.closest("a[href], .preview-popover");
        var to = e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest("a[href], .preview-popover");
        if (from && from !== to) leave();
      });
    }
    doc.addEventListener("focusin", function (e) {
      var a = e.target.closest && e.target.closest("a[href]");
      if (a && previewable(a)) enter(a); else if (current) hide();
    });
    doc.addEventListener("focusout", function (e) {
      if (e.target === current || (e.target.closest && e.target.closest("a[href]") && !current)) leave();
    });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape" && !pop.hidden) hide(); });
    window.addEventListener("scroll", function () { if (current) place(current); }, { passive: true });
    doc.addEventListener("click", function () { hide(); });
  }

  /* 2. Folder explorer ----------------------------------------------------- */
  var OPEN_KEY = "wikigen-explorer-open", PIN_KEY = "wikigen-explorer-pinned";

  function initExplorer() {
    var panel = doc.getElementById("explorer");
    var toggle = doc.querySelector(".explorer-toggle");
    if (!panel || !toggle || !window.fetch) return;
    var siteRoot = panel.getAttribute("data-root") || "";
    var data = null, loading = null;
    var openFolders = {};
    try { openFolders = JSON.parse(session(OPEN_KEY) || "{}") || {}; } catch (e) { openFolders = {}; }
    var here = new URL(".", window.location.href).pathname;
    var herePage = window.location.pathname;

    function url(rel) { return new URL(siteRoot + rel, window.location.href); }
    function isHere(rel) {
      var p = url(rel).pathname;
      return p === herePage || p === here && /\/(index\.html)?$/.test(herePage);
    }
    function fetchData() {
      if (!loading) {
        loading = fetch(panel.getAttribute("data-src")).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (json) {
          var folders = json.folders.map(function (f, i) {
            return { index: i, path: f[0], name: f[1], url: f[2], parent: f[3], sub: [], notes: [] };
          });
          folders.forEach(function (f) { if (f.parent !== null && folders[f.parent]) folders[f.parent].sub.push(f); });
          json.notes.forEach(function (n) {
            var f = folders[n[0]];
            if (f) f.notes.push({ title: n[1], url: n[2], kind: n[3] });
          });
          data = { folders: folders };
          return data;
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }
    function saveOpen() { session(OPEN_KEY, JSON.stringify(openFolders)); }

    function noteItem(n) {
      var li = doc.createElement("li");
      li.className = "explorer-note";
      var a = doc.createElement("a");
      a.href = url(n.url).href;
      a.textContent = n.title;
      a.setAttribute("data-kind", n.kind);
      if (isHere(n.url)) { a.setAttribute("aria-current", "page"); a.className = "is-current"; }
      li.appendChild(a);
      return li;
    }
    function folderItem(f) {
      var li = doc.createElement("li");
      li.className = "explorer-folder";
      var row = doc.createElement("div");
      row.className = "explorer-row";
      var btn = doc.createElement("button");
      btn.type = "button";
      btn.className = "explorer-twisty";
      btn.setAttribute("aria-label", "Open " + f.name);
      var link = doc.createElement("a");
      link.href = url(f.url).href;
      link.textContent = f.name;
      if (isHere(f.url)) { link.setAttribute("aria-current", "page"); link.className = "is-current"; }
      var count = doc.createElement("span");
      count.className = "count";
      count.textContent = f.notes.length + f.sub.length;
      row.appendChild(btn);
      row.appendChild(link);
      row.appendChild(count);
      li.appendChild(row);
      var list = null;
      function set(open) {
        btn.setAttribute("aria-expanded", open ? "true" : "false");
        btn.setAttribute("aria-label", (open ? "Close " : "Open ") + f.name);
        if (open && !list) { list = children(f); li.appendChild(list); }
        if (list) list.hidden = !open;
        if (open) openFolders[f.path] = 1; else delete openFolders[f.path];
      }
      btn.addEventListener("click", function () { set(btn.getAttribute("aria-expanded") !== "true"); saveOpen(); });
      set(!!openFolders[f.path]);
      return li;
    }
    function children(f) {
      var ul = doc.createElement("ul");
      ul.className = "explorer-list";
      ul.setAttribute("role", "list");
      f.sub.forEach(function (s) { ul.appendChild(folderItem(s)); });
      f.notes.forEach(function (n) { ul.appendChild(noteItem(n)); });
      return ul;
    }
    function openAncestors() {
      /* The folders of the current page, and their parents, start open. */
      data.folders.forEach(function (f) {
        if (!(isHere(f.url) || f.notes.some(function (n) { return isHere(n.url); }))) return;
        for (var p = f; p && p.parent !== null; p = data.folders[p.parent]) openFolders[p.path] = 1;
      });
    }
    var tree = panel.querySelector(".explorer-tree");
    var filter = panel.querySelector(".explorer-filter");
    var results = panel.querySelector(".explorer-results");
    function draw() {
      openAncestors();
      tree.textContent = "";
      tree.appendChild(children(data.folders[0]));
      var cur = tree.querySelector(".is-current");
      if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: "center" });
    }
    function runFilter() {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      results.textContent = "";
      tree.hidden = words.length > 0;
      results.hidden = !words.length;
      if (!words.length || !data) return;
      var shown = 0, total = 0;
      var ul = doc.createElement("ul");
      ul.className = "explorer-list";
      data.folders.forEach(function (f) {
        f.notes.forEach(function (n) {
          var t = n.title.toLowerCase();
          if (!words.every(function (w) { return t.indexOf(w) !== -1; })) return;
          total++;
          if (shown >= 200) return;
          shown++;
          var li = noteItem(n);
          if (f.path) {
            var where = doc.createElement("span");
            where.className = "explorer-where";
            where.textContent = f.path;
            li.appendChild(where);
          }
          ul.appendChild(li);
        });
      });
      var status = doc.createElement("p");
      status.className = "explorer-status";
      status.textContent = total ? (total > shown ? shown + " of " + total + " notes" : total + (total === 1 ? " note" : " notes")) : "No note matches.";
      results.appendChild(status);
      results.appendChild(ul);
    }
    function open(show, remember) {
      panel.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      doc.documentElement.classList.toggle("explorer-open", show);
      if (remember) local(PIN_KEY, show ? "1" : null);
      if (!show) return;
      if (data) { if (!tree.firstChild) draw(); return; }
      tree.textContent = "Loading…";
      fetchData().then(draw, function () { tree.textContent = "The folder list could not be loaded."; });
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () { open(panel.hidden, true); if (!panel.hidden && filter) filter.focus(); });
    var close = panel.querySelector(".explorer-close");
    if (close) close.addEventListener("click", function () { open(false, true); toggle.focus(); });
    if (filter) filter.addEventListener("input", runFilter);
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { open(false, true); toggle.focus(); }
    });
    if (local(PIN_KEY) === "1") open(true, false);
  }

  function safely(fn) {
    try { fn(); } catch (e) { if (window.console) console.warn("wikigen:", e); }
  }
  function init() {
    safely(initPreviews);
    safely(initExplorer);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
