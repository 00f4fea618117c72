// Browser test of the wikigen graph (themes/default/static/graph.js) on a built site.
//
//   node graph.mjs <site URL> <note path> [big]
//     site URL   the site root, e.g. http://127.0.0.1:8000/wiki/ or file:///tmp/site/
//     note path  a note's URL path from the site root that has links, e.g. people/lena-park/
//     big        only the large-vault check: the global graph page loads and becomes
//                interactive; prints the times (never fails on time: CI machines vary)
//   env CHROMIUM=/path/to/chromium (default /usr/bin/chromium), SHOTS=<dir> to save screenshots.
//
// Needs playwright-core (see chromium.mjs: it drives the system Chromium). Checks:
//   1. the graph page draws (canvas pixels that are not blank) and says how many notes it has
//   2. pointing at the note's node shows its title in a tooltip; clicking it opens its page
//   3. unchecking a kind hides notes (the status says "shown of"); the find box lists the note
//      as a link, reachable with ArrowDown
//   4. on the note page, the local graph loads only when scrolled into view, draws the note and
//      its neighbours, and clicking a neighbour opens its page
// Exits 0 when everything passes, 1 with a message naming the failed check otherwise.
import path from "node:path";
import { fail, pageUrl as page_url, run, step } from "./chromium.mjs";

const site = process.argv[2];
const note = process.argv[3];
const big = process.argv[4] === "big";
if (!site || !note) {
  console.error("usage: node graph.mjs <site URL> <note path> [big]");
  process.exit(2);
}
const root = site.endsWith("/") ? site : site + "/";
const shots = process.env.SHOTS;
const same = (a, b) => page_url(a).replace(/[?#].*$/, "") === page_url(b).replace(/[?#].*$/, "");

/** Painted pixels of the canvas in `sel` (any pixel that is not fully transparent). */
const painted = (page, sel) => page.evaluate((sel) => {
  const c = document.querySelector(sel);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}, sel);

/** Where node `url` is on screen, in page coordinates, in view `v` of the page. */
const where = (page, v, url) => page.evaluate(([v, url]) => {
  const w = window.wikigenGraph, G = w.graph, view = w.views[v];
  const i = G.byUrl.get(url);
  if (i === undefined) return null;
  const k = view.nodes.indexOf(i);
  if (k < 0) return null;
  const r = view.canvas.getBoundingClientRect();
  return { x: r.left + view.px[k] * view.scale + view.tx, y: r.top + view.py[k] * view.scale + view.ty, title: G.d.title[i] };
}, [v, url]);

await run(async (browser, watch) => {
  const page = watch(await browser.newPage({ viewport: { width: 1280, height: 860 } }));

  // 1. the global graph draws
  const t0 = Date.now();
  await page.goto(page_url(root + "graph/"), { waitUntil: "load" });
  await page.waitForSelector("#graph[data-ready]", { timeout: big ? 120000 : 20000 })
    .catch(() => fail("the graph page never became ready (#graph[data-ready])"));
  const ready = await page.evaluate(() => window.wikigenGraph.ready);
  const wall = Date.now() - t0;
  const px = await painted(page, "#graph-canvas");
  if (px < 200) fail(`the graph canvas is blank (${px} painted pixels)`);
  const status = await page.locator("#graph-status").innerText();
  if (!/notes/.test(status)) fail(`the status does not count notes: ${JSON.stringify(status)}`);
  step(`graph page draws ${ready.nodes} nodes and ${ready.edges} links (${px} painted pixels; "${status}")`);
  if (shots) await page.screenshot({ path: path.join(shots, big ? "graph-big.png" : "graph.png") });

  // 2. hover and click
  await page.evaluate(() => window.wikigenGraph.views[0].fit());
  let at = await where(page, 0, note);
  if (!at) fail(`the note ${note} is not a node of the global graph`);
  if (!big) {
    // zoomed onto the note so that its node is not hidden under its neighbours
    await page.evaluate((url) => { const w = window.wikigenGraph; w.views[0].centreOn(w.graph.byUrl.get(url), 2); }, note);
    at = await where(page, 0, note);
  }
  const th = Date.now();
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction(() => !document.querySelector("#graph-tip").hidden, null, { timeout: 5000 })
    .catch(() => fail("pointing at a node shows no tooltip"));
  const hoverMs = Date.now() - th;
  const tip = await page.locator("#graph-tip").innerText();
  const hovered = await page.evaluate(() => { const v = window.wikigenGraph.views[0]; return window.wikigenGraph.graph.d.title[v.nodes[v.hover]]; });
  if (!tip.includes(hovered)) fail(`the tooltip ${JSON.stringify(tip)} does not name the hovered node ${JSON.stringify(hovered)}`);
  step(`pointing at a node shows "${tip.replace(/\s+/g, " ")}" (${hoverMs} ms)`);
  if (big) {
    const hu = await page.evaluate(() => { const v = window.wikigenGraph.views[0]; return window.wikigenGraph.graph.d.url[v.nodes[v.hover]]; });
    // pan and zoom respond too
    const before = await page.evaluate(() => window.wikigenGraph.views[0].tx);
    const tp = Date.now();
    await page.mouse.move(at.x + 30, at.y + 200);
    await page.mouse.down();
    await page.mouse.move(at.x + 130, at.y + 250, { steps: 5 });
    await page.mouse.up();
    const panMs = Date.now() - tp;
    const after = await page.evaluate(() => window.wikigenGraph.views[0].tx);
    if (Math.abs(after - before - 100) > 1) fail(`dragging did not pan the graph (${before} → ${after})`);
    step(`dragging pans the graph (${panMs} ms for a 5-step drag)`);
    await page.evaluate(() => window.wikigenGraph.views[0].fit());
    at = await where(page, 0, hu);
    await page.mouse.move(at.x, at.y);
    await page.waitForFunction(() => window.wikigenGraph.views[0].hover >= 0, null, { timeout: 5000 });
    const tc = Date.now();
    await Promise.all([page.waitForURL((u) => same(u.href, new URL(hu, page_url(root)).href), { timeout: 30000 }), page.mouse.click(at.x, at.y)]);
    step(`clicking a node opens its page (${Date.now() - tc} ms)`);
    console.log(`TIMES nodes=${ready.nodes} edges=${ready.edges} ready_ms=${Math.round(ready.at)} first_draw_ms=${Math.round(ready.draw)} wall_ms=${wall} hover_ms=${hoverMs} pan_ms=${panMs}`);
  } else {
    const hu = await page.evaluate(() => { const v = window.wikigenGraph.views[0]; return window.wikigenGraph.graph.d.url[v.nodes[v.hover]]; });
    await Promise.all([page.waitForURL((u) => same(u.href, new URL(hu, page_url(root)).href), { timeout: 10000 }), page.mouse.click(at.x, at.y)])
      .catch(() => fail(`clicking the node of ${hu} did not open its page (at ${page.url()})`));
    step(`clicking the node opens ${hu}`);

    // 3. filters and find
    await page.goto(page_url(root + "graph/"), { waitUntil: "load" });
    await page.waitForSelector("#graph[data-ready]", { timeout: 20000 });
    const kinds = page.locator("#graph-kinds label");
    if ((await kinds.count()) < 2) fail("the graph page has fewer than two kind filters");
    await kinds.first().click();
    if (await kinds.first().locator("input").isChecked()) fail("clicking a kind filter does not uncheck it");
    const filtered = await page.locator("#graph-status").innerText();
    if (!/shown of/.test(filtered)) fail(`unchecking a kind hides nothing: ${JSON.stringify(filtered)}`);
    await kinds.first().click();
    step(`unchecking a kind filters the graph ("${filtered}")`);
    const title = (await where(page, 0, note)).title;
    const findBox = page.locator("#graph-find");
    await findBox.fill(title.slice(0, Math.max(3, Math.min(title.length, 8))));
    const match = page.locator("#graph-matches a", { hasText: title }).first();
    await match.waitFor({ timeout: 5000 }).catch(() => fail(`finding "${title}" lists no link to it`));
    await findBox.press("ArrowDown");
    if (!(await page.evaluate(() => document.activeElement && document.activeElement.closest("#graph-matches") !== null))) fail("ArrowDown in the find box does not move to the list");
    if (!(await page.evaluate(() => window.wikigenGraph.views[0].selected >= 0))) fail("a found note is not highlighted");
    step(`the find box lists "${title}" as a link, reachable by keyboard`);

    // 4. the local graph on the note page: loaded when scrolled into view
    const small = watch(await browser.newPage({ viewport: { width: 1280, height: 500 } }));
    await small.goto(page_url(root + note), { waitUntil: "load" });
    const requested = () => small.evaluate(() => document.querySelectorAll('script[src*="graph-data.js"]').length);
    const panel = small.locator('[data-graph="local"]');
    if ((await panel.count()) !== 1) fail(`${note} has no local graph placeholder`);
    const below = await panel.evaluate((el) => el.getBoundingClientRect().top > innerHeight + 250);
    await small.waitForTimeout(300);
    if (below && (await requested())) fail("the graph data was loaded before the local graph was scrolled into view");
    const ts = Date.now();
    await panel.scrollIntoViewIfNeeded();
    await small.waitForSelector('[data-graph="local"][data-ready]', { timeout: 20000 })
      .catch(() => fail("the local graph never became ready"));
    const localMs = Date.now() - ts;
    if (!(await requested())) fail("the local graph did not load graph-data.js");
    const lpx = await painted(small, '[data-graph="local"] canvas');
    if (lpx < 100) fail(`the local graph canvas is blank (${lpx} painted pixels)`);
    const n = await small.evaluate(() => window.wikigenGraph.views[0].nodes.length);
    if (n < 2) fail(`the local graph shows ${n} node(s)`);
    step(`the local graph loads when scrolled into view${below ? " (not before)" : ""} and draws ${n} nodes (${lpx} painted pixels) in ${localMs} ms`);
    if (shots) await panel.screenshot({ path: path.join(shots, "local-graph.png") });
    // a direct neighbour (view index 1)
    const nb = await small.evaluate(() => { const w = window.wikigenGraph; return w.graph.d.url[w.views[0].nodes[1]]; });
    const nat = await where(small, 0, nb);
    await small.mouse.move(nat.x, nat.y);
    await small.waitForFunction(() => window.wikigenGraph.views[0].hover >= 0, null, { timeout: 5000 })
      .catch(() => fail("pointing at a node of the local graph highlights nothing"));
    const hov = await small.evaluate(() => { const w = window.wikigenGraph, v = w.views[0]; return w.graph.d.url[v.nodes[v.hover]]; });
    await Promise.all([small.waitForURL((u) => same(u.href, new URL(hov, page_url(root)).href), { timeout: 10000 }), small.mouse.click(nat.x, nat.y)])
      .catch(() => fail(`clicking ${hov} in the local graph did not open it (at ${small.url()})`));
    step(`clicking a node of the local graph opens ${hov}`);
  }
});
