// Browser test of hover previews and the folder explorer (themes/default/static/navigate.js).
//
//   node navigate.mjs <site URL>
//     site URL   the root of a site built from the vault in tests/navigation.rs, e.g.
//                http://127.0.0.1:8000/wiki/
//   env CHROMIUM=/path/to/chromium (default /usr/bin/chromium), SHOTS=<dir> to save screenshots.
//
// Checks:
//   1. hovering a link to a person shows a popover with the person's name, kind and first words
//   2. moving the mouse away hides it
//   3. a link to a heading previews that section, not the top of the note
//   4. a link to a note not written yet gets no preview
//   5. keyboard focus shows the preview too (aria-describedby), Escape hides it
//   6. the Browse button opens the folder tree; a folder opens; a note's page opens the tree on
//      its folder with the note marked current (the panel stays pinned); the filter finds notes
// Exits 0 when everything passes, 1 with a message naming the failed check otherwise.
import path from "node:path";
import { fail, pageUrl as page_url, run, step } from "./chromium.mjs";

const site = process.argv[2];
if (!site) {
  console.error("usage: node navigate.mjs <site URL>");
  process.exit(2);
}
const root = site.endsWith("/") ? site : site + "/";
const shots = process.env.SHOTS;

await run(async (browser, watch) => {
  const page = watch(await browser.newPage({ viewport: { width: 1280, height: 860 } }));
  await page.goto(root, { waitUntil: "load" });
  const pop = page.locator(".preview-popover");
  const shown = () => page.waitForSelector(".preview-popover:not([hidden])", { timeout: 5000 });
  const hidden = () => page.waitForSelector(".preview-popover", { state: "hidden", timeout: 5000 });
  const content = page.locator("main");

  // 1. hover a person link
  const ada = content.locator("a.internal", { hasText: "Ada Lovelace" }).first();
  await ada.hover();
  await shown().catch(() => fail("hovering the Ada Lovelace link showed no preview"));
  const text = await pop.innerText();
  if (!text.includes("Ada Lovelace")) fail(`the preview does not name the person: ${JSON.stringify(text)}`);
  if (!/person/i.test(text)) fail(`the preview does not show the kind: ${JSON.stringify(text)}`);
  if (!text.includes("ADA-FIRST-PARAGRAPH")) fail(`the preview lacks the first paragraph: ${JSON.stringify(text)}`);
  if (await pop.locator("[id]").count()) fail("the preview copied element ids into the page");
  step("hovering a person link previews the person");
  if (shots) await page.screenshot({ path: path.join(shots, "preview.png") });

  // 2. mouse away
  await page.mouse.move(5, 700);
  await hidden().catch(() => fail("the preview stayed after the mouse left"));
  step("the preview hides when the mouse leaves");

  // 3. a heading link
  await content.locator("a.internal", { hasText: "Design" }).first().hover();
  await shown().catch(() => fail("hovering the Engine > Design link showed no preview"));
  await page.waitForFunction(() => document.querySelector(".preview-popover").innerText.includes("DESIGN-SECTION-TEXT"), null, { timeout: 5000 })
    .catch(async () => fail(`the heading preview lacks the section: ${JSON.stringify(await pop.innerText())}`));
  if ((await pop.innerText()).includes("ENGINE-INTRO")) fail("the heading preview starts at the top of the note, not at the heading");
  step("a heading link previews its section");
  await page.mouse.move(5, 700);
  await hidden();

  // 4. unresolved: no preview
  await content.locator("a.unresolved").first().hover();
  await page.waitForTimeout(1200);
  if (await pop.isVisible()) fail("a link to a note not written yet showed a preview");
  step("a link to a note not written yet gets no preview");
  await page.mouse.move(5, 700);

  // 5. keyboard focus
  await ada.focus();
  await shown().catch(() => fail("focusing the link with the keyboard showed no preview"));
  if ((await ada.getAttribute("aria-describedby")) !== "wikigen-preview") fail("the focused link is not aria-describedby the preview");
  await page.keyboard.press("Escape");
  await hidden().catch(() => fail("Escape did not hide the preview"));
  step("keyboard focus previews, Escape hides");

  // 6. explorer
  const toggle = page.locator(".explorer-toggle");
  if (!(await toggle.isVisible())) fail("no visible Browse button (.explorer-toggle)");
  await toggle.click();
  const panel = page.locator("#explorer");
  await page.waitForSelector("#explorer:not([hidden]) .explorer-tree .explorer-folder", { timeout: 5000 })
    .catch(() => fail("the Browse button did not open the folder tree"));
  if ((await toggle.getAttribute("aria-expanded")) !== "true") fail("the Browse button is not aria-expanded");
  const projects = panel.locator(".explorer-folder", { hasText: "Projects" }).first();
  await projects.locator(".explorer-twisty").first().click();
  await panel.locator(".explorer-row a", { hasText: "Deep" }).waitFor({ timeout: 5000 })
    .catch(() => fail("opening the Projects folder did not show its Deep sub-folder"));
  step("the folder tree opens folder by folder");
  if (shots) await page.screenshot({ path: path.join(shots, "explorer.png") });

  await page.goto(root + "projects/deep/plan/", { waitUntil: "load" });
  await page.waitForSelector('#explorer:not([hidden]) a[aria-current="page"]', { timeout: 5000 })
    .catch(() => fail("on a note's page the (pinned) tree does not mark the note as current"));
  const current = (await page.locator('#explorer a[aria-current="page"]').innerText()).trim();
  if (current !== "Plan") fail(`the current note in the tree is ${JSON.stringify(current)}, expected "Plan"`);
  step("the tree stays open across pages and marks the current note in its open folder");

  await page.locator(".explorer-filter").fill("lovelace");
  await page.waitForFunction(() => {
    const r = document.querySelector(".explorer-results");
    return r && !r.hidden && r.innerText.includes("Ada Lovelace");
  }, null, { timeout: 5000 }).catch(() => fail("the explorer filter did not find Ada Lovelace"));
  step("the filter finds notes by title");
  await page.keyboard.press("Escape");
  if (!(await panel.evaluate((p) => p.hidden))) fail("Escape did not close the explorer");
  step("Escape closes the explorer");
});
