// Browser test of the wikigen search UI (themes/default/static/search.js) on a built site.
//
//   node search.mjs <site URL> [query] [expected title]
//     site URL        the site root, e.g. http://127.0.0.1:8000/ or file:///tmp/site/
//     query           typed in the header box (default "jose")
//     expected title  a result title must contain it, with a <mark> (default "José")
//   env CHROMIUM=/path/to/chromium (default /usr/bin/chromium), SHOTS=<dir> to save screenshots.
//
// Needs playwright-core (see chromium.mjs: it drives the system Chromium). Checks:
//   1. "/" focuses the header search box; Ctrl-K does too
//   2. typing the query opens the dropdown (ARIA combobox + listbox) with a result whose title
//      contains the expected text with a <mark>, and a last "See all results" row
//   3. ArrowDown (until that result is active) + Enter navigates to that result's page
//   4. Escape closes the dropdown
//   5. the search page (the header form's action, ?q=<query>) lists results, one of them the
//      expected title with a <mark>, with a result count
// Exits 0 when everything passes, 1 with a message naming the failed check otherwise.
import path from "node:path";
import { fail, pageUrl as page_url, run, step } from "./chromium.mjs";

const site = process.argv[2];
const query = process.argv[3] || "jose";
const expected = process.argv[4] || "José";
if (!site) {
  console.error("usage: node search.mjs <site URL> [query] [expected title]");
  process.exit(2);
}
const root = site.endsWith("/") || /\.html?$/.test(site) ? site : site + "/";
const shots = process.env.SHOTS;
const same = (a, b) => page_url(a).replace(/#.*$/, "") === page_url(b).replace(/#.*$/, "");

await run(async (browser, watch) => {
  const page = watch(await browser.newPage({ viewport: { width: 1280, height: 860 } }));
  await page.goto(page_url(root), { waitUntil: "load" });

  const box = page.locator('form.site-search input[name="q"]');
  if ((await box.count()) !== 1) fail('the page has no header search box (form.site-search input[name="q"])');
  await page.waitForFunction(() => window.wikigenSearch && window.wikigenSearch.load, null, { timeout: 5000 })
    .catch(() => fail("search.js did not load (window.wikigenSearch is missing)"));

  // 1. keyboard shortcuts
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("/");
  if (!(await box.evaluate((el) => el === document.activeElement))) fail('"/" did not focus the header search box');
  if (await box.inputValue()) fail('"/" was typed into the box instead of focusing it');
  step('"/" focuses the search box');
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("Control+k");
  if (!(await box.evaluate((el) => el === document.activeElement))) fail("Ctrl-K did not focus the header search box");
  step("Ctrl-K focuses the search box");

  // 2. the dropdown
  await box.fill("");
  await box.pressSequentially(query, { delay: 30 });
  const options = page.locator('.site-search-panel [role="listbox"] [role="option"]');
  const found = await page.waitForFunction((want) => {
    const list = document.querySelector('.site-search-panel [role="listbox"]');
    if (!list || list.closest("[hidden]")) return false;
    const opts = [...list.querySelectorAll('[role="option"]')];
    return opts.findIndex((o) => o.querySelector("mark") && (o.querySelector(".site-search-title") || o).textContent.includes(want)) + 1;
  }, expected, { timeout: 5000 }).catch(async () => {
    const msg = await page.locator(".site-search-panel").innerText().catch(() => "(no panel)");
    fail(`typing "${query}" showed no dropdown result titled "${expected}" with a <mark>; the dropdown says: ${JSON.stringify(msg.slice(0, 300))}`);
  });
  const index = (await found.jsonValue()) - 1;
  if ((await box.getAttribute("role")) !== "combobox") fail('the search box has no role="combobox"');
  if ((await box.getAttribute("aria-expanded")) !== "true") fail('aria-expanded is not "true" while the dropdown is open');
  const n = await options.count();
  const last = options.nth(n - 1);
  if (!/see all/i.test(await last.innerText())) fail('the last dropdown row is not "See all results"');
  const target = await options.nth(index).locator("a").evaluate((a) => a.href);
  step(`dropdown shows ${n - 1} results; #${index + 1} is "${(await options.nth(index).locator(".site-search-title").innerText()).trim()}" (${target})`);
  if (shots) await page.screenshot({ path: path.join(shots, "dropdown.png") });

  // 3. ArrowDown + Enter
  for (let i = 0; i <= index; i++) await page.keyboard.press("ArrowDown");
  const activeId = await box.getAttribute("aria-activedescendant");
  const wantId = await options.nth(index).getAttribute("id");
  if (!activeId || activeId !== wantId) fail(`after ArrowDown the active option is ${activeId}, expected ${wantId}`);
  if ((await options.nth(index).getAttribute("aria-selected")) !== "true") fail("the active option is not aria-selected");
  if (shots) await page.screenshot({ path: path.join(shots, "dropdown-active.png") });
  await Promise.all([page.waitForURL((u) => same(u.href, target), { timeout: 5000 }), page.keyboard.press("Enter")])
    .catch(() => fail(`ArrowDown+Enter did not open ${target} (now at ${page.url()})`));
  step("ArrowDown + Enter opens the result");

  // 4. Escape closes
  await page.goto(page_url(root), { waitUntil: "load" });
  await box.click();
  await box.pressSequentially(query, { delay: 20 });
  await page.waitForSelector('.site-search-panel:not([hidden]) [role="option"]', { timeout: 5000 })
    .catch(() => fail("the dropdown did not open a second time"));
  await page.keyboard.press("Escape");
  if (!(await page.locator(".site-search-panel").evaluate((p) => p.hidden))) fail("Escape did not close the dropdown");
  if ((await box.getAttribute("aria-expanded")) !== "false") fail('aria-expanded is not "false" after Escape');
  step("Escape closes the dropdown");

  // 5. the search page
  let searchPage = await page.locator("form.site-search").evaluate((f) => f.action);
  searchPage = page_url(searchPage.replace(/[?#].*$/, "")) + "?q=" + encodeURIComponent(query);
  await page.goto(searchPage, { waitUntil: "load" });
  await page.waitForFunction((want) => [...document.querySelectorAll("#search-results > li")]
    .some((li) => li.querySelector("mark") && li.textContent.includes(want)), expected, { timeout: 5000 })
    .catch(async () => {
      const status = await page.locator("#search-status").innerText().catch(() => "(no #search-status)");
      fail(`the search page ${searchPage} lists no result "${expected}" with a <mark>; status: ${JSON.stringify(status)}`);
    });
  const count = await page.locator("#search-results > li").count();
  const status = (await page.locator("#search-status").innerText()).trim();
  if (!/\d+ results?/.test(status)) fail(`the search page status shows no result count: ${JSON.stringify(status)}`);
  if ((await page.locator("#search-q").inputValue()) !== query) fail("the search page input is not prefilled from ?q=");
  step(`search page lists ${count} results ("${status}")`);
  if (shots) await page.screenshot({ path: path.join(shots, "search-page.png"), fullPage: true });
});
