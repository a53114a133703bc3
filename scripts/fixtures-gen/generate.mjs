// Regenerates every file in ../../protocol-fixtures from the real npm packages.
// Usage: cd scripts/fixtures-gen && npm ci && node generate.mjs
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeJson, assertUniqueNames } from "./lib/fixture-json.mjs";
import { buildSocketIoFixtures } from "./lib/socketio.mjs";
import { buildSocketIoMsgpackFixtures } from "./lib/socketio-msgpack.mjs";
import { buildEngineIoFixtures } from "./lib/engineio.mjs";
import { captureServerResponses } from "./lib/live.mjs";
import { captureEio3Responses } from "./lib/live-eio3.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "..", "protocol-fixtures");
mkdirSync(outDir, { recursive: true });

// npm hoists the whole tree (npm ls shows a single copy of each), so the
// top-level node_modules copy is the one socket.io itself loads.
function installedVersion(pkg) {
  return JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8")).version;
}
const versions = {};
for (const pkg of ["engine.io", "engine.io-client", "engine.io-parser", "notepack.io", "socket.io", "socket.io-client", "socket.io-msgpack-parser", "socket.io-parser", "ws"]) {
  versions[pkg] = installedVersion(pkg);
  console.log(`using ${pkg}@${versions[pkg]}`);
}
versions.node = process.versions.node.split(".")[0] + ".x";

function emit(fileName, cases) {
  assertUniqueNames(fileName, cases);
  writeJson(join(outDir, fileName), cases);
  console.log(`wrote ${fileName} (${cases.length} cases)`);
}

const sio = buildSocketIoFixtures();
emit("socketio-packets.json", sio.packets);
emit("socketio-decode-errors.json", sio.decodeErrors);
emit("socketio-decode-lenient.json", sio.lenient);

const msgpack = buildSocketIoMsgpackFixtures();
emit("socketio-msgpack-packets.json", msgpack.packets);
emit("socketio-msgpack-decode-errors.json", msgpack.decodeErrors);

const eio = buildEngineIoFixtures();
emit("engineio-packets.json", eio.packets);
emit("engineio-payloads.json", eio.payloads);
emit("engineio-decode-errors.json", eio.decodeErrors);
emit("engineio-decode-lenient.json", eio.lenient);

writeJson(join(outDir, "versions.json"), versions);
console.log("wrote versions.json");

if (!process.argv.includes("--no-live")) {
  const live = await captureServerResponses();
  emit("server-responses.json", live);
  emit("server-responses-eio3.json", await captureEio3Responses());
}

// engine.io's polling transport arms a 30 s close timer for sessions closed
// while no GET was pending; nothing is left to do, so do not wait for it.
process.exit(0);
