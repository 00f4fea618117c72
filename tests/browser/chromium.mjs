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
