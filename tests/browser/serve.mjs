// Browser test of `wikigen serve` live reload (src/serve/live.js) in headless Chromium.
//
//   node serve.mjs <page URL> <note file> <old text> <new text>
//     page URL   a page served by `wikigen serve`, e.g. http://127.0.0.1:4000/projects/canal-lights/
//     note file  the vault file behind that page
//     old text   text the page shows now; new text: what the note's edit puts in its place
//   env CHROMIUM=/path/to/chromium (default /usr/bin/chromium).
//
// Checks: 1. the page loads and connects to the event stream; 2. saving the note reloads the
// open page by itself (a marker set on the old page is gone) and it shows the new text;
// 3. a broken template shows the error overlay over the page, and fixing it removes it;
// 4. renaming the note takes the open tab to the note's new page.
// Exits 0 when everything passes, 1 with a message naming the failed check otherwise.
import fs from "node:fs";
import path from "node:path";
import { fail, run, step } from "./chromium.mjs";

const [url, note, oldText, newText] = process.argv.slice(2);
if (!url || !note || !oldText || !newText) {
  console.error("usage: node serve.mjs <page URL> <note file> <old text> <new text>");
  process.exit(2);
}

// Not `watch`: a broken template makes the server answer with errors on purpose, which the
// console logs. Script exceptions are still failures.
await run(async (browser) => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "load" });
  const body = await page.textContent("body");
  if (!body.includes(oldText)) fail(`the page does not show "${oldText}" before the edit`);
  if ((await page.locator('script[src="/__wikigen/live.js"]').count()) !== 1) fail("no live-reload script in the page");
  await page.waitForFunction(() => window.wikigenLive, null, { timeout: 10000 })
    .catch(() => fail("live.js did not run"));
  // Give the event stream a moment to connect.
  await page.waitForTimeout(500);
  step("page loaded with the live-reload script");

  // 2. Save the note: the open page reloads by itself.
  await page.evaluate(() => { window.__beforeEdit = true; });
  const reloaded = page.waitForEvent("load", { timeout: 30000 });
  const t0 = Date.now();
  const text = fs.readFileSync(note, "utf8");
  if (!text.includes(oldText)) fail(`the note does not contain "${oldText}"`);
  fs.writeFileSync(note, text.replace(oldText, newText));
  await reloaded.catch(() => fail("the page did not reload after the save"));
  const ms = Date.now() - t0;
  if (await page.evaluate(() => window.__beforeEdit === true)) fail("the page was not reloaded (marker still set)");
  await page.waitForFunction((t) => document.body.textContent.includes(t), newText, { timeout: 10000 })
    .catch(() => fail(`after the reload the page does not show "${newText}"`));
  step(`saving the note reloaded the open page (${ms} ms) and it shows the new text`);

  // 3. A broken template: the overlay appears over the page; a fix removes it.
  const vault = process.env.VAULT;
  if (vault) {
    const tpl = path.join(vault, ".wikigen", "templates", "project.html");
    fs.mkdirSync(path.dirname(tpl), { recursive: true });
    fs.writeFileSync(tpl, '{% extends "default/project.html" %}{% block content %}{% if %}{% endblock content %}');
    await page.waitForSelector("#wikigen-error-overlay", { timeout: 30000 })
      .catch(() => fail("no error overlay after breaking a template"));
    const overlay = await page.textContent("#wikigen-error-overlay");
    if (!overlay.includes("project.html")) fail(`the overlay does not name the template: ${overlay}`);
    if (!(await page.textContent("body")).includes(newText)) fail("the last good page is not under the overlay");
    step("a broken template shows the overlay (with the file) over the last good page");
    fs.rmSync(tpl);
    await page.waitForSelector("#wikigen-error-overlay", { state: "detached", timeout: 30000 })
      .catch(() => fail("the overlay did not go away after the fix"));
    step("fixing the template removes the overlay");
  }

  // 4. Rename the note: the tab follows it to its new URL (not to a "not found" page).
  const before = new URL(page.url()).pathname;
  const renamed = path.join(path.dirname(note), "Renamed " + path.basename(note));
  const moved = page.waitForURL((u) => u.pathname !== before, { timeout: 30000 });
  const t1 = Date.now();
  fs.renameSync(note, renamed);
  await moved.catch(() => fail(`the tab stayed on ${before} after the note was renamed`));
  const ms1 = Date.now() - t1;
  const now = new URL(page.url()).pathname;
  await page.waitForFunction((t) => document.body.textContent.includes(t), newText, { timeout: 10000 })
    .catch(() => fail(`the page at ${now} does not show the note`));
  if (!now.includes("renamed")) fail(`the tab went to ${now}, not the renamed note's page`);
  step(`renaming the note took the tab from ${before} to ${now} (${ms1} ms)`);
  if (errors.length) fail("page errors: " + errors.join("; "));
});
