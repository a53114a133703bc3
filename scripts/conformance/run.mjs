#!/usr/bin/env node
// Conformance runner: runs the official engine.io-protocol and
// socket.io-protocol test suites against the server listening on
// http://localhost:3000 (the suites hard-code that address; the server must
// use pingInterval 300, pingTimeout 200, maxPayload 1000000).
//
//   node scripts/conformance/run.mjs [--suites DIR] [--browser] [--only engine.io|socket.io]
//                                    [--grep PATTERN] [--retries N] [--workdir DIR] [--verbose]
//
//   --suites DIR   directory holding engine.io-protocol/ and socket.io-protocol/
//                  (default /work/suites, or $CONFORMANCE_SUITES)
//   --browser      run each suite in headless Chromium instead of Node.js
//   --only NAME    run only one suite
//   --grep PATTERN only the tests whose full title matches (mocha --grep)
//   --retries N    retry a failing test up to N times (default 0). Tests that
//                  passed only on a retry are listed in the summary. Useful
//                  against timing races in the suites themselves, e.g.
//                  "closes the session upon ping timeout" polls exactly
//                  pingInterval + pingTimeout after the handshake.
//   --workdir DIR  scratch directory (default $CONFORMANCE_WORKDIR or /tmp/socketio-conformance)
//   --verbose      browser mode: also print the page's other console messages
//
// Node.js mode runs mocha with a browser-like WebSocket (each event dispatched
// in its own macrotask, see browser-like-websocket.mjs) and Node's built-in
// fetch. Exit code: 0 if every test of every suite passed, 1 otherwise.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { SUITES, defaultWorkdir, prepareSuite } from "./scratch.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function usage(code) {
  // The header comment of this file is the usage text.
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1);
  const end = lines.findIndex((line) => !line.startsWith("//"));
  const text = lines
    .slice(0, end)
    .map((line) => line.replace(/^\/\/ ?/, ""))
    .join("\n");
  (code === 0 ? process.stdout : process.stderr).write(`${text}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      suites: { type: "string", default: process.env.CONFORMANCE_SUITES || "/work/suites" },
      browser: { type: "boolean", default: false },
      only: { type: "string" },
      grep: { type: "string" },
      retries: { type: "string", default: "0" },
      workdir: { type: "string", default: defaultWorkdir() },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: false,
  }));
} catch (err) {
  console.error(err.message);
  usage(2);
}
if (values.help) usage(0);

const selected = SUITES.filter((s) => !values.only || s.name === values.only);
if (selected.length === 0) {
  console.error(`unknown suite '${values.only}' (expected one of: ${SUITES.map((s) => s.name).join(", ")})`);
  process.exit(2);
}

const suitesDir = path.resolve(values.suites);
if (!/^\d+$/.test(values.retries)) {
  console.error(`invalid --retries: ${values.retries}`);
  process.exit(2);
}
const retries = Number(values.retries);
const mode = values.browser ? "browser (headless Chromium)" : "Node.js (browser-like WebSocket dispatch)";

function runInNode(scratchDir) {
  const resultFile = path.join(scratchDir, ".result.json");
  fs.rmSync(resultFile, { force: true });
  const args = [path.join(HERE, "mocha-node.mjs"), "--dir", scratchDir, "--result", resultFile];
  if (values.grep) args.push("--grep", values.grep);
  args.push("--retries", String(retries));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: scratchDir, stdio: "inherit" });
    child.on("exit", (code, signal) => {
      if (fs.existsSync(resultFile)) {
        resolve(JSON.parse(fs.readFileSync(resultFile, "utf8")));
      } else {
        resolve({ loadError: `mocha process exited (${code ?? signal}) without a result`, results: [] });
      }
    });
  });
}

async function runOne(suite) {
  console.log(`\n=== ${suite.name} suite: ${mode} ===`);
  const scratchDir = prepareSuite(suitesDir, suite, { workdir: values.workdir });
  if (values.browser) {
    const { runSuiteInBrowser } = await import("./browser.mjs");
    return runSuiteInBrowser(scratchDir, suite.name, { grep: values.grep, retries, verbose: values.verbose });
  }
  return runInNode(scratchDir);
}

const summaries = [];
let ok = true;
for (const suite of selected) {
  let report;
  try {
    report = await runOne(suite);
  } catch (err) {
    report = { loadError: String(err?.stack ?? err), results: [] };
  }
  const stats = report.stats ?? { passes: 0, failures: 0, pending: 0, total: 0 };
  const failed = (report.results ?? []).filter((r) => r.state === "failed");
  const retried = (report.results ?? []).filter((r) => r.state === "passed" && r.retries > 0);
  const notRun = Math.max(0, stats.total - stats.passes - stats.pending - failed.length);
  let line = `${suite.name} suite: ${stats.passes} passing, ${stats.failures} failing`;
  if (retried.length) line += ` (${retried.length} passed only after a retry)`;
  if (stats.pending) line += `, ${stats.pending} pending`;
  if (notRun) line += `, ${notRun} not run`;
  if (report.loadError) line += ` (ERROR: ${report.loadError.split("\n")[0]})`;
  const suiteOk = !report.loadError && stats.failures === 0 && notRun === 0 && stats.passes > 0;
  ok &&= suiteOk;
  summaries.push({ line, failed, retried });
}

console.log(`\n=== conformance summary: ${mode} ===`);
for (const { line, failed, retried } of summaries) {
  console.log(line);
  for (const r of retried) console.log(`  passed after ${r.retries} retry(ies): ${r.title}`);
  for (const f of failed) console.log(`  failed: ${f.title}: ${f.error}`);
}
process.exit(ok ? 0 : 1);
