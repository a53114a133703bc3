// Binary attachments both ways: Buffer, Uint8Array and ArrayBuffer arguments, nested, several, with acks.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { MODES, TEST_TIMEOUT, Tracker, connect, ask, askAll, waitFor, toBuffer, echoed } from "../lib/helpers.mjs";

const bytes = (...values) => Buffer.from(values);

/** Replaces every binary value by a Buffer, so that what was sent compares with what came back. */
function normalize(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toBuffer(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

/** Asserts every binary value received is a Buffer (what socket.io-client produces in Node). */
function assertBuffers(value, path = "args") {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    assert.ok(Buffer.isBuffer(value), `${path} should be a Buffer, is ${Object.prototype.toString.call(value)}`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) assertBuffers(v, `${path}.${k}`);
}

const sequence = (length) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff));

const BINARY_CASES = [
  ["a Buffer", () => [bytes(1, 2, 3)]],
  ["a Uint8Array", () => [new Uint8Array([250, 251, 252, 0, 255])]],
  ["an ArrayBuffer", () => [new Uint8Array([9, 8, 7, 6]).buffer]],
  ["a Uint8Array view into a larger buffer", () => [new Uint8Array(new Uint8Array([0, 1, 2, 3, 4, 5]).buffer, 2, 3)]],
  ["an empty Buffer", () => [Buffer.alloc(0)]],
  ["every byte value", () => [Buffer.from(Array.from({ length: 256 }, (_, i) => i))]],
  ["binary nested in an object", () => [{ file: bytes(1, 2), meta: { name: "a.bin", size: 2 } }]],
  ["binary nested in an array", () => [[1, bytes(3), "x", [bytes(4, 5)]]]],
  ["several buffers among other arguments", () => ["text", bytes(1), 42, { b: bytes(2, 2) }, null, bytes(3, 3, 3)]],
  ["the same buffer twice", () => { const b = bytes(7, 7); return [b, { again: b }]; }],
  ["ten attachments", () => Array.from({ length: 10 }, (_, i) => bytes(i, i + 1))],
  ["a 200 KB buffer", () => [sequence(200_000)]],
  ["binary and unicode", () => [{ name: "é😀", data: bytes(0xf0, 0x9f, 0x98, 0x80) }]],
];

for (const mode of MODES) {
  describe(`binary [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("message → message-back with binary arguments", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      for (const [name, make] of BINARY_CASES) {
        const args = make();
        const back = waitFor(socket, "message-back");
        socket.emit("message", ...args);
        const received = await back;
        assertBuffers(received);
        assert.deepEqual(received, normalize(echoed(mode, args)), name);
      }
    });

    test("message-with-ack with binary arguments", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      for (const [name, make] of BINARY_CASES) {
        const args = make();
        const received = await askAll(socket, "message-with-ack", ...args);
        assertBuffers(received);
        assert.deepEqual(received, normalize(echoed(mode, args)), name);
      }
    });

    test("binary-from-server sends a buffer and a nested buffer", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const received = waitFor(socket, "binary");
      socket.emit("binary-from-server");
      const args = await received;
      assertBuffers(args);
      assert.deepEqual(args, [bytes(1, 2, 3), { nested: bytes(4, 5), text: "t" }]);
    });

    test("server-ack: the server's ask carries binary to the client", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const asked = new Promise((resolve) =>
        socket.on("ask", (payload, callback) => {
          resolve(payload);
          callback("ok");
        }),
      );
      const result = await ask(socket, "server-ack", { blob: bytes(1, 2, 3), list: [bytes(4)] }, 3000);
      const payload = await asked;
      assertBuffers(payload);
      assert.deepEqual(payload, { blob: bytes(1, 2, 3), list: [bytes(4)] });
      assert.deepEqual(result, { ok: true, response: ["ok"] });
    });

    test("server-ack: the client answers the server's ask with binary", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      socket.on("ask", (payload, callback) => callback(bytes(10, 20), { echoed: payload }));
      const result = await ask(socket, "server-ack", { blob: bytes(1, 2, 3) }, 3000);
      assertBuffers(result);
      assert.deepEqual(result, { ok: true, response: [bytes(10, 20), { echoed: { blob: bytes(1, 2, 3) } }] });
    });

    test("binary and text events interleave in order", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const received = [];
      const done = new Promise((resolve) =>
        socket.on("message-back", (...args) => {
          received.push(args);
          if (received.length === 20) resolve();
        }),
      );
      const sent = Array.from({ length: 20 }, (_, i) => (i % 2 ? [i, bytes(i)] : [i, `text ${i}`]));
      for (const args of sent) socket.emit("message", ...args);
      await Promise.race([done, waitFor(socket, "never", 5000)]);
      assert.deepEqual(received, sent);
    });
  });
}
