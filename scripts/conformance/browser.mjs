// Browser mode: runs a prepared suite (see scratch.mjs) in headless Chromium,
// driven by playwright-core.
//
// The suites' own index.html loads mocha / chai / chai-string from a CDN,
// which is not reachable here, so we serve an equivalent page from a tiny
// local static server (ephemeral port, never 3000) with those libraries taken
// from the suite's installed devDependencies. The page's origin differs from
// the server under test (http://localhost:3000), so that server must answer
// with CORS headers (Access-Control-Allow-Origin: *), preflights (OPTIONS)
// included: the suites send a PUT request.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";

export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const VENDOR_FILES = {
  "/vendor/mocha.js": ["mocha", "mocha.js"],
  "/vendor/mocha.css": ["mocha", "mocha.css"],
  "/vendor/chai.js": ["chai", "chai.js"],
  "/vendor/chai-string.js": ["chai-string", "chai-string.js"],
};

const CONTENT_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

// Equivalent of the suites' index.html (mocha.setup("bdd"), mocha.checkLeaks(),
// test-suite.js as a module), except that mocha.run() is called once the
// suite module has been evaluated, and the results are exposed to the driver.
function pageHtml(title, grep, retries) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>${title}</title>
  <link rel="stylesheet" href="/vendor/mocha.css" />
</head>
<body>
<div id="mocha"></div>
<script src="/vendor/mocha.js"></script>
<script src="/vendor/chai.js"></script>
<script src="/vendor/chai-string.js"></script>
<script class="mocha-init">
  mocha.setup("bdd");
  mocha.checkLeaks();
  ${grep ? `mocha.grep(${JSON.stringify(grep)});` : ""}
  ${retries ? `mocha.retries(${Number(retries)});` : ""}
</script>
<script type="module">
  const results = [];
  try {
    await import("/suite/test-suite.js");
  } catch (err) {
    window.__conformance = { loadError: String((err && err.stack) || err), results };
    throw err;
  }
  const runner = mocha.run(() => {
    const { passes, failures, pending } = runner.stats;
    window.__conformance = { stats: { passes, failures, pending, total: runner.total }, results };
  });
  runner.on("pass", (test) => {
    results.push({ title: test.fullTitle(), state: "passed", duration: test.duration, retries: test.currentRetry() });
    const retried = test.currentRetry() ? ", after " + test.currentRetry() + " retry(ies)" : "";
    console.log("[conformance] pass " + test.fullTitle() + " (" + test.duration + "ms" + retried + ")");
  });
  runner.on("fail", (test, err) => {
    const message = String((err && err.message) || err);
    results.push({ title: test.fullTitle(), state: "failed", error: message });
    console.log("[conformance] FAIL " + test.fullTitle() + ": " + message);
  });
  runner.on("pending", (test) => {
    results.push({ title: test.fullTitle(), state: "pending" });
    console.log("[conformance] pending " + test.fullTitle());
  });
</script>
</body>
</html>
`;
}

function startStaticServer(scratchDir, title, grep, retries) {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, "http://localhost").pathname;
    let file = null;
    if (pathname === "/" || pathname === "/index.html") {
      res.writeHead(200, { "Content-Type": CONTENT_TYPES[".html"], "Cache-Control": "no-store" });
      res.end(pageHtml(title, grep, retries));
      return;
    }
    if (pathname === "/suite/test-suite.js") file = path.join(scratchDir, "test-suite.js");
    else if (VENDOR_FILES[pathname]) file = path.join(scratchDir, "node_modules", ...VENDOR_FILES[pathname]);
    if (!file || !fs.existsSync(file)) {
      res.writeHead(pathname === "/favicon.ico" ? 204 : 404);
      res.end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Port 0: an ephemeral port, never the 3000 of the server under test.
    server.listen(0, () => resolve(server));
  });
}

/**
 * Runs one prepared suite in a fresh headless Chromium (fresh user-data-dir,
 * new browser context).
 * Returns { stats, results } or { loadError, results }.
 */
export async function runSuiteInBrowser(scratchDir, suiteName, { chromiumPath = DEFAULT_CHROMIUM, grep, retries = 0, timeoutMs = 10 * 60 * 1000, verbose = false } = {}) {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (err) {
    throw new Error(`playwright-core is not installed (run npm ci in scripts/conformance): ${err.message}`);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }

  const server = await startStaticServer(scratchDir, `${suiteName} protocol test suite`, grep, retries);
  const pageUrl = `http://localhost:${server.address().port}/`;
  let context;
  let browser;
  try {
    // launch() starts Chromium with a fresh temporary --user-data-dir (removed
    // on close); the page runs in a new off-the-record context, whose HTTP
    // cache is in memory. With a persistent on-disk profile, GET fetches wait
    // on the disk cache while POSTs do not, and in the suites' "forcefully
    // closes the session" (a GET poll and a POST "1" sent together) the POST
    // then reached the server first in about 40% of the runs.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    context = await browser.newContext();
    const page = await context.newPage();
    page.on("console", (msg) => {
      const text = msg.text();
      if (text.startsWith("[conformance] ")) console.log(`  ${text.slice(14)}`);
      else if (verbose) console.log(`  [browser ${msg.type()}] ${text}`);
    });
    page.on("pageerror", (err) => console.log(`  [browser page error] ${err.message}`));

    console.log(`loading ${pageUrl} in ${chromiumPath}`);
    await page.goto(pageUrl, { waitUntil: "load" });
    await page.waitForFunction(() => window.__conformance !== undefined, null, { timeout: timeoutMs, polling: 100 });
    return await page.evaluate(() => window.__conformance);
  } finally {
    if (context) await context.close().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
}
