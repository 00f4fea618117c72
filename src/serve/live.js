// wikigen serve: live reload and the build-error overlay. Injected only by `wikigen serve`.
(function () {
  "use strict";
  var OVERLAY_ID = "wikigen-error-overlay";

  function hide() {
    var o = document.getElementById(OVERLAY_ID);
    if (o) o.remove();
  }

  function el(tag, style, text) {
    var e = document.createElement(tag);
    if (style) e.setAttribute("style", style);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(errors) {
    hide();
    var o = el("div",
      "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.82);" +
      "color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;overflow:auto;padding:2rem");
    o.id = OVERLAY_ID;
    o.setAttribute("role", "alert");
    var box = el("div",
      "max-width:60rem;margin:0 auto;background:#2b1d1f;border:2px solid #e5484d;" +
      "border-radius:8px;padding:1.25rem 1.5rem");
    var close = el("button",
      "float:right;background:none;border:1px solid #999;color:#fff;border-radius:4px;" +
      "cursor:pointer;padding:.1rem .6rem", "×");
    close.title = "Hide (the last good page stays below)";
    close.addEventListener("click", hide);
    box.appendChild(close);
    box.appendChild(el("h2", "margin:0 0 .75rem;font-size:1.1rem;color:#ff8b8f",
      "wikigen: the build failed. This is the last good page."));
    errors.forEach(function (e) {
      var item = el("div", "margin:.75rem 0;padding-top:.75rem;border-top:1px solid #5a3a3d");
      item.className = "wikigen-error";
      item.appendChild(el("div", "color:#ffd479;font-weight:bold",
        e.file + (e.line ? ":" + e.line : "")));
      item.appendChild(el("pre", "white-space:pre-wrap;margin:.25rem 0", e.message));
      if (e.hint) item.appendChild(el("div", "color:#b8c4ff", "→ " + e.hint));
      box.appendChild(item);
    });
    box.appendChild(el("p", "margin:1rem 0 0;color:#aaa",
      "Fix it and save: this overlay goes away by itself."));
    o.appendChild(box);
    (document.body || document.documentElement).appendChild(o);
  }

  // The page says which page it is: a rebuild renders the open pages first and reloads them
  // as soon as they are written.
  var es = new EventSource("/__wikigen/events?page=" + encodeURIComponent(location.pathname));
  // A reload names the pages that moved with a renamed note: a tab open on one follows it.
  es.addEventListener("reload", function (ev) {
    var to = null;
    try {
      var here = decodeURIComponent(location.pathname).replace(/^\//, "").replace(/index\.html$/, "");
      var moved = JSON.parse(ev.data).moved || {};
      if (Object.prototype.hasOwnProperty.call(moved, here)) to = moved[here];
    } catch (e) { to = null; }
    if (typeof to === "string") location.replace(to + location.hash);
    else location.reload();
  });
  es.addEventListener("build-error", function (ev) { show(JSON.parse(ev.data)); });
  es.addEventListener("clear", hide);
  window.wikigenLive = { show: show, hide: hide };
})();
