// Browser test: payloads planted in a vault never run (tests/xss.rs builds the site).
//
//   node xss.mjs <site URL> <pages, one per line, relative to the site root>
//
// Every page is opened with `window.__xss` recording calls and every dialog counted; on the
// payload person's page a link is hovered (preview popover) and the folder explorer is opened;
// the header search is used to show snippets of the payload notes, and the search page too.
// Exits 0 when no payload ran, 1 with the list of payloads that did otherwise.
import { fail, run, step } from "./chromium.mjs";

const root = process.argv[2];
const pages = (process.argv[3] || "").split("\n").filter((p) => p !== undefined);
if (!root || pages.length === 0) {
  console.error("usage: node xss.mjs <site URL> <pages>");
  process.exit(2);
}

await run(async (browser) => {
  const ran = [];
  const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
  await context.exposeFunction("__xssReport", (where) => ran.push(where));
  await context.addInitScript(() => {
    window.__xss = (where) => window.__xssReport(String(where) + " @ " + location.pathname);
  });
  // Not `watch`: images with src=x fail to load on purpose, and that logs console errors. Script
  // exceptions are still failures.
  const page = await context.newPage();
  const thrown = [];
  page.on("pageerror", (e) => thrown.push(String(e)));
  page.on("dialog", async (d) => {
    ran.push("dialog: " + d.message());
    await d.dismiss();
  });
  for (const p of pages) {
    await page.goto(root + p, { waitUntil: "load" });
    await page.waitForTimeout(30);
  }
  step(`opened ${pages.length} pages`);

  // Hover previews of the payload note, from the dashboard that links it.
  await page.goto(root + "dashboard/", { waitUntil: "load" });
  const link = page.locator('main a.internal[href*="payload-person"]').first();
  if ((await link.count()) === 0) fail("the dashboard has no link to the payload note");
  await link.hover();
  await page.waitForSelector(".preview-popover .preview-body", { timeout: 5000 }).catch(() => fail("no preview popover appeared"));
  await page.waitForTimeout(300);
  step("hovered a link to the payload note (preview shown)");

  // The folder explorer lists the note named with markup.
  const toggle = page.locator(".explorer-toggle");
  if ((await toggle.count()) > 0) {
    await toggle.first().click();
    await page.waitForTimeout(500);
    const filter = page.locator("#explorer input");
    if ((await filter.count()) > 0) {
      await filter.first().fill("img");
      await page.waitForTimeout(400);
    }
    step("opened the explorer and filtered it");
  }

  // Search snippets: the dropdown and the search page.
  const box = page.locator('form.site-search input[name="q"]');
  await box.fill("xssneedle");
  await page.waitForSelector('[role="listbox"] [role="option"]', { timeout: 5000 }).catch(() => fail("no search results for the payload text"));
  await page.waitForTimeout(300);
  await box.fill("onerror");
  await page.waitForTimeout(500);
  await page.goto(root + "search/?q=xssneedle", { waitUntil: "load" });
  await page.waitForTimeout(800);
  await page.goto(root + "search/?q=" + encodeURIComponent("<img src=x onerror=__xss('query')>"), { waitUntil: "load" });
  await page.waitForTimeout(800);
  step("searched for the payload text (dropdown and search page)");

  if (ran.length) fail("payloads ran:\n  " + ran.join("\n  "));
  if (thrown.length) fail("the pages threw:\n  " + thrown.join("\n  "));
  step("no payload ran");
});
