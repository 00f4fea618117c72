// Shared by the browser tests: finds playwright-core (next to these scripts, in ./node_modules or
// through NODE_PATH; it drives the system Chromium and never downloads a browser) and launches
// headless Chromium with the flags it needs as root on CI.
//   env CHROMIUM=/path/to/chromium (default /usr/bin/chromium).
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function playwright() {
  try {
    return require("playwright-core");
  } catch {
    try {
      return require(path.join(process.cwd(), "node_modules", "playwright-core"));
    } catch {
      console.error("FAIL: playwright-core not found (npm ci --prefix tests/browser, or set NODE_PATH to a node_modules that has it)");
      process.exit(1);
    }
  }
}

/** Launches headless Chromium (the `CHROMIUM` binary, /usr/bin/chromium by default). */
export function launch() {
  return playwright().chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Ends the current check with a failure that names what went wrong. */
export const fail = (msg) => { throw new Error(msg); };

/** Reports a check that passed. */
export const step = (msg) => console.log("ok   " + msg);

/** The URL to open for `u`: file:// has no directory index, so a pretty URL ("people/ada/") is
    its index.html there. */
export const pageUrl = (u) => (u.startsWith("file:") && /\/(\?|#|$)/.test(u) ? u.replace(/\/(?=\?|#|$)/, "/index.html") : u);

/** Runs `checks(browser, watch)` in headless Chromium and exits: 0 after printing PASS, 1 after
    printing FAIL and the message of the check that failed. `watch(page)` records the page's
    script errors and console errors; any recorded error fails the run at the end. */
export async function run(checks) {
  const browser = await launch();
  const errors = [];
  const watch = (page) => {
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    return page;
  };
  let code = 0;
  try {
    await checks(browser, watch);
    if (errors.length) fail("the page reported errors:\n  " + errors.join("\n  "));
    console.log("PASS");
  } catch (e) {
    console.error("FAIL: " + e.message);
    code = 1;
  } finally {
    await browser.close();
  }
  process.exit(code);
}
