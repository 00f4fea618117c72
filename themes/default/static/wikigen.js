/* wikigen default theme: small progressive enhancements, no dependencies.
   Every feature checks that its elements exist, so any page (or a custom template) is safe.
   1. dark-mode toggle (persisted in localStorage, default follows the OS)
   2. table of contents: highlight the heading being read (IntersectionObserver)
   3. hide a leading "# Title" that repeats the page title; anchor links on headings, "copy" buttons on code blocks
   4. open collapsed callouts/details that contain the #target
   5. tag filter on the tags page
   6. print: light colours and every <details> open
   7. filter box on the people directory (people.html) */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var STORE = "wikigen-theme";

  function each(list, fn) { Array.prototype.forEach.call(list || [], fn); }
  function store(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
    } catch (e) { /* storage disabled (private mode, file:// policies) */ }
    return null;
  }

  /* 1. Theme ------------------------------------------------------------ */
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function currentTheme() { return root.getAttribute("data-theme") === "dark" ? "dark" : "light"; }
  function applyTheme(theme) {
    root.setAttribute("data-theme", theme);
    each(doc.querySelectorAll(".theme-toggle"), function (btn) {
      btn.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    });
  }
  function initTheme() {
    applyTheme(currentTheme());
    each(doc.querySelectorAll(".theme-toggle"), function (btn) {
      btn.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        applyTheme(next);
        store(STORE, next);
      });
    });
    if (media) {
      var follow = function (e) {
        var saved = store(STORE);
        if (saved !== "dark" && saved !== "light") applyTheme(e.matches ? "dark" : "light");
      };
      if (media.addEventListener) media.addEventListener("change", follow);
      else if (media.addListener) media.addListener(follow);
    }
  }

  /* 2. Table of contents scroll spy -------------------------------------- */
  function initToc() {
    var links = doc.querySelectorAll(".toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var items = [];
    each(links, function (a) {
      var id;
      try { id = decodeURIComponent(a.getAttribute("href").slice(1)); } catch (e) { id = a.getAttribute("href").slice(1); }
      var el = doc.getElementById(id);
      var li = a.parentNode;
      if (el && !(li && li.hidden) && el.offsetParent !== null) items.push({ link: a, el: el });
    });
    if (!items.length) return;
    var visible = [];
    var active = null;
    function setActive(item) {
      if (item === active) return;
      if (active) { active.link.classList.remove("is-active"); active.link.removeAttribute("aria-current"); }
      active = item;
      if (!item) return;
      item.link.classList.add("is-active");
      item.link.setAttribute("aria-current", "true");
      var box = item.link.closest(".sidebar");
      if (box && box.scrollHeight > box.clientHeight) {
        var top = item.link.offsetTop - box.clientHeight / 2;
        box.scrollTop = Math.max(0, top);
      }
    }
    function update() {
      for (var i = 0; i < items.length; i++) {
        if (visible.indexOf(items[i].el) !== -1) { setActive(items[i]); return; }
      }
      // No heading in the band: the active one is the last heading above it.
      var offset = (parseFloat(getComputedStyle(root).scrollPaddingTop) || 0) + 8;
      var current = null;
      for (var j = 0; j < items.length; j++) {
        if (items[j].el.getBoundingClientRect().top - offset <= 0) current = items[j];
        else break;
      }
      setActive(current || items[0]);
    }
    var observer = new IntersectionObserver(function (entries) {
      each(entries, function (entry) {
        var at = visible.indexOf(entry.target);
        if (entry.isIntersecting && at === -1) visible.push(entry.target);
        if (!entry.isIntersecting && at !== -1) visible.splice(at, 1);
      });
      update();
    }, { rootMargin: "-64px 0px -55% 0px", threshold: 0 });
    each(items, function (item) { observer.observe(item.el); });
    update();
  }

  /* 3. A body that starts with "# <note title>" repeats the page title: hide that heading
        (and its table-of-contents entry). ------------------------------------------ */
  function hideDuplicateTitle() {
    var title = doc.querySelector(".note-title");
    var first = doc.querySelector(".note-content > h1:first-child");
    if (!title || !first) return;
    var norm = function (s) { return (s || "").replace(/\s+/g, " ").trim().toLowerCase(); };
    if (norm(first.textContent) !== norm(title.textContent)) return;
    first.classList.add("is-duplicate-title");
    if (first.id) {
      each(doc.querySelectorAll(".toc a"), function (a) {
        if (a.getAttribute("href") === "#" + first.id && a.parentNode) a.parentNode.hidden = true;
      });
    }
  }

  /* 3a. Anchor links on headings ------------------------------------------ */
  function initHeadingAnchors() {
    each(doc.querySelectorAll(".note-content h2[id], .note-content h3[id], .note-content h4[id], .note-content h5[id], .note-content h6[id]"), function (h) {
      if (h.querySelector(".heading-anchor")) return;
      var a = doc.createElement("a");
      a.className = "heading-anchor";
      a.href = "#" + encodeURIComponent(h.id);
      a.setAttribute("aria-label", "Link to this section");
      a.textContent = "#";
      h.appendChild(a);
    });
  }

  /* 3b. Copy buttons on code blocks --------------------------------------- */
  function copyText(text, done) {
    function fallback() {
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      doc.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }
  function initCopyButtons() {
    each(doc.querySelectorAll(".prose pre.code:not(.query-block)"), function (pre) {
      if (!pre.parentNode || pre.parentNode.classList.contains("code-block")) return;
      var wrap = doc.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var btn = doc.createElement("button");
      btn.type = "button";
      btn.className = "copy-button";
      btn.textContent = "Copy";
      btn.setAttribute("aria-label", "Copy code to clipboard");
      btn.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, ""), function (ok) {
          btn.textContent = ok ? "Copied" : "Press Ctrl+C";
          btn.classList.add("is-done");
          window.setTimeout(function () { btn.textContent = "Copy"; btn.classList.remove("is-done"); }, 1600);
        });
      });
      wrap.appendChild(btn);
    });
  }

  /* 4. Reveal the #target inside closed <details> ------------------------- */
  function revealTarget() {
    var hash = window.location.hash;
    if (!hash || hash.length < 2) return;
    var id;
    try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
    var el = doc.getElementById(id);
    if (!el) return;
    var opened = false;
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; opened = true; }
    }
    if (opened && el.scrollIntoView) el.scrollIntoView();
  }

  /* 5. Tag filter ----------------------------------------------------------- */
  function initTagFilter() {
    var input = doc.querySelector(".tag-filter-input");
    if (!input) return;
    var list = doc.getElementById(input.getAttribute("data-filter-target") || "tag-index");
    if (!list) return;
    var empty = doc.querySelector(".tag-filter-empty");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase().replace(/^#/, "");
      var shown = 0;
      each(list.querySelectorAll("[data-name]"), function (li) {
        var match = !q || li.getAttribute("data-name").indexOf(q) !== -1;
        li.hidden = !match;
        if (match) shown++;
      });
      if (empty) empty.hidden = shown !== 0;
    });
  }

  /* 6. Print ------------------------------------------------------------------ */
  function initPrint() {
    var saved = null;
    var closed = [];
    window.addEventListener("beforeprint", function () {
      saved = root.getAttribute("data-theme");
      root.setAttribute("data-theme", "light");
      closed = [];
      each(doc.querySelectorAll("details:not([open])"), function (d) { d.open = true; closed.push(d); });
    });
    window.addEventListener("afterprint", function () {
      if (saved) root.setAttribute("data-theme", saved);
      each(closed, function (d) { d.open = false; });
      closed = [];
    });
  }

  /* 7. People directory filter: every word typed must appear in a card's data-filter-text
        (name, role, company, location); groups left without a visible card are hidden. ---- */
  function initListFilter() {
    each(doc.querySelectorAll("input[data-filter]"), function (input) {
      var scope = doc.getElementById(input.getAttribute("aria-controls") || "") || doc;
      var items = scope.querySelectorAll("[data-filter-text]");
      var groups = scope.querySelectorAll("[data-filter-group]");
      var empty = doc.querySelector(".list-filter-empty");
      var status = doc.querySelector(".list-filter-status");
      var apply = function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
        var shown = 0;
        each(items, function (el) {
          var text = el.getAttribute("data-filter-text");
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          el.hidden = !match;
          if (match) shown++;
        });
        each(groups, function (g) { g.hidden = !g.querySelector("[data-filter-text]:not([hidden])"); });
        if (empty) empty.hidden = shown !== 0;
        if (status) status.textContent = words.length ? shown + " of " + items.length + " shown" : "";
      };
      input.addEventListener("input", apply);
      if (input.value) apply(); /* the browser may restore the text on back/forward */
    });
  }

  function safely(fn) {
    try { fn(); } catch (e) { if (window.console) console.warn("wikigen:", e); }
  }

  function init() {
    safely(initTheme);
    safely(hideDuplicateTitle);
    safely(initHeadingAnchors);
    safely(initCopyButtons);
    safely(initTagFilter);
    safely(initListFilter);
    safely(revealTarget);
    safely(initToc);
    safely(initPrint);
    window.addEventListener("hashchange", function () { safely(revealTarget); });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
