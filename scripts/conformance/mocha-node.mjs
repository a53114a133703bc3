// Runs one prepared suite (see scratch.mjs) with mocha in Node.js, in a
// process of its own. Spawned by run.mjs:
//   node mocha-node.mjs --dir <scratch suite dir> --result <file.json> [--grep PATTERN] [--retries N]
// Uses the mocha version installed from the suite's own devDependencies. The
// suite's node-imports.js has been replaced by ours, so globalThis.WebSocket is
// the browser-like wrapper and globalThis.fetch is Node's built-in fetch.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    result: { type: "string" },
    grep: { type: "string" },
    retries: { type: "string", default: "0" },
  },
});
if (!values.dir || !values.result) {
  console.error("usage: node mocha-node.mjs --dir DIR --result FILE [--grep PATTERN]");
  process.exit(2);
}

const dir = path.resolve(values.dir);
const require = createRequire(path.join(dir, "package.json"));
const Mocha = require("mocha");

const results = [];

function finish(report, code) {
  fs.writeFileSync(values.result, JSON.stringify(report, null, 2));
  // Sockets left open by some tests (the server closes them later) must not
  // keep this process alive.
  process.exit(code);
}

const mocha = new Mocha({
  reporter: "spec",
  timeout: 2000,
  retries: Number(values.retries) || 0,
  color: process.stdout.isTTY,
});
if (values.grep) mocha.grep(values.grep);
mocha.addFile(path.join(dir, "test-suite.js"));

try {
  await mocha.loadFilesAsync();
} catch (err) {
  console.error(`failed to load ${path.join(dir, "test-suite.js")}:`, err);
  finish({ loadError: String(err?.stack ?? err), results }, 1);
}

const runner = mocha.run();
runner.on("pass", (test) => {
  results.push({ title: test.fullTitle(), state: "passed", duration: test.duration, retries: test.currentRetry() });
});
runner.on("fail", (test, err) => {
  results.push({ title: test.fullTitle(), state: "failed", error: String(err?.message ?? err) });
});
runner.on("pending", (test) => {
  results.push({ title: test.fullTitle(), state: "pending" });
});
runner.on("end", () => {
  const { passes, failures, pending } = runner.stats;
  finish({ stats: { passes, failures, pending, total: runner.total }, results }, failures > 0 ? 1 : 0);
});
