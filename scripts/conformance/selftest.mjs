#!/usr/bin/env node
// Self-test of browser-like-websocket.mjs (no fixture server needed):
//   node scripts/conformance/selftest.mjs
// Checks the behaviours the protocol suites depend on, against a local `ws`
// server on an ephemeral port.

import assert from "node:assert/strict";
import { WebSocketServer } from "ws";
import { BrowserLikeWebSocket } from "./browser-like-websocket.mjs";

// The suites' helper, verbatim in spirit: a once-listener added after an await.
function waitFor(socket, type) {
  return new Promise((resolve) => socket.addEventListener(type, resolve, { once: true }));
}

const wss = new WebSocketServer({ port: 0 });
await new Promise((resolve) => wss.once("listening", resolve));
const url = `ws://localhost:${wss.address().port}/`;

wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => {
    const text = data.toString();
    if (!isBinary && text === "burst") {
      // Three frames in one TCP write, hence (locally) one read on the client.
      ws._socket.cork();
      ws.send("one");
      ws.send("two");
      ws.send(Buffer.from([1, 2, 3]));
      process.nextTick(() => ws._socket.uncork());
    } else if (!isBinary && text === "close") {
      ws.close(4000, "bye");
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
});

const checks = [];
function check(name, fn) {
  checks.push({ name, fn });
}

check("send() while CONNECTING throws InvalidStateError", async () => {
  const socket = new BrowserLikeWebSocket(url);
  assert.equal(socket.readyState, BrowserLikeWebSocket.CONNECTING);
  assert.throws(() => socket.send("x"), { name: "InvalidStateError" });
  await waitFor(socket, "open");
  assert.equal(socket.readyState, BrowserLikeWebSocket.OPEN);
  socket.close();
  await waitFor(socket, "close");
  assert.equal(socket.readyState, BrowserLikeWebSocket.CLOSED);
});

check("frames read together reach listeners added after each await", async () => {
  const socket = new BrowserLikeWebSocket(url);
  socket.binaryType = "arraybuffer";
  await waitFor(socket, "open");
  socket.send("burst");
  assert.equal((await waitFor(socket, "message")).data, "one");
  assert.equal((await waitFor(socket, "message")).data, "two");
  const { data } = await waitFor(socket, "message");
  assert.ok(data instanceof ArrayBuffer);
  assert.deepEqual(new Uint8Array(data), Uint8Array.from([1, 2, 3]));
  socket.close();
});

check("binaryType blob, binary echo of a Uint8Array view", async () => {
  const socket = new BrowserLikeWebSocket(url);
  await waitFor(socket, "open");
  const bytes = Uint8Array.from([9, 8, 7, 6, 5]);
  socket.send(bytes.subarray(1, 4));
  const { data } = await waitFor(socket, "message");
  assert.ok(data instanceof Blob);
  assert.deepEqual(new Uint8Array(await data.arrayBuffer()), Uint8Array.from([8, 7, 6]));
  socket.close();
});

check("server close: close event with code/reason, onclose and removeEventListener", async () => {
  const socket = new BrowserLikeWebSocket(url);
  let removedCalled = false;
  const removed = () => {
    removedCalled = true;
  };
  socket.addEventListener("close", removed);
  socket.removeEventListener("close", removed);
  const viaAttribute = new Promise((resolve) => {
    socket.onclose = resolve;
  });
  await waitFor(socket, "open");
  socket.send("close");
  const event = await viaAttribute;
  assert.equal(event.code, 4000);
  assert.equal(event.reason, "bye");
  assert.equal(event.wasClean, true);
  assert.equal(removedCalled, false);
});

check("close() while CONNECTING: error then close 1006; http: URL; `on` alias", async () => {
  const socket = new BrowserLikeWebSocket(`http://localhost:${wss.address().port}/`);
  assert.equal(socket.url, url);
  const order = [];
  socket.on("error", () => order.push("error"));
  socket.addEventListener("close", (e) => order.push(`close ${e.code}`));
  socket.close();
  assert.equal(socket.readyState, BrowserLikeWebSocket.CLOSING);
  await waitFor(socket, "close");
  assert.deepEqual(order, ["error", "close 1006"]);
});

let failed = 0;
for (const { name, fn } of checks) {
  try {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out after 5s (an event was lost?)")), 5000);
    });
    await Promise.race([fn(), timeout]).finally(() => clearTimeout(timer));
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n  ${err?.stack ?? err}`);
  }
}
wss.close();
for (const client of wss.clients) client.terminate();
console.log(failed === 0 ? "self-test: all checks ok" : `self-test: ${failed} check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
