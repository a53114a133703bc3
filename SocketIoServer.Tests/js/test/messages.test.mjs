// Events and acknowledgements with JSON arguments, both directions.
import { describe, test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { MODES, TEST_TIMEOUT, Tracker, connect, ask, askAll, waitFor, collect, sleep, echoed } from "../lib/helpers.mjs";

/** Argument lists the server must echo back unchanged. */
const ARG_CASES = [
  ["no arguments", []],
  ["integers", [0, 1, -1, 42, 2147483647, -2147483648, 9007199254740991, -9007199254740991]],
  ["floats", [1.5, -0.25, 0.1, 3.141592653589793, 1e-7, 6.02e23]],
  ["booleans and null", [true, false, null]],
  ["strings", ["", "plain", "42", "true", "null", "quote \" backslash \\ slash /"]],
  ["control characters", ["line\nbreak\ttab\r\n", "\u0001\u001f", "\u2028\u2029"]],
  ["unicode and emoji", ["héllo wörld", "日本語テキスト", "😀👍🏽👨‍👩‍👧‍👦", "𝄞 surrogate pair", "Ω≈ç√∫"]],
  ["empty containers", [{}, []]],
  ["nested objects", [{ a: 1, b: { c: [1, 2, { d: "e" }], f: null, g: true }, "key with spaces": "v", "é😀": "k" }]],
  ["arrays of mixed values", [[1, "two", null, true, { three: 3 }, [4, [5, [6]]]]]],
  ["deep nesting", [JSON.parse("[".repeat(40) + "1" + "]".repeat(40))]],
  ["many arguments", Array.from({ length: 20 }, (_, i) => (i % 2 ? `s${i}` : i))],
  ["a long string", ["x".repeat(100_000)]],
  ["keys that look like placeholders", [{ _placeholder: false, num: 0 }, { _placeholder: "yes" }]],
];

for (const mode of MODES) {
  // One connection per mode serves every argument case (node:test runs afterEach hooks for subtests too, so the
  // shared socket is opened in before and closed in after).
  describe(`echo of every argument kind [${mode.name}]`, () => {
    const tracker = new Tracker();
    let socket;
    before(async () => {
      socket = await connect(tracker, mode);
    });
    after(() => tracker.closeAll());

    for (const [name, args] of ARG_CASES) {
      test(`message → message-back: ${name}`, { timeout: TEST_TIMEOUT }, async () => {
        const back = waitFor(socket, "message-back");
        socket.emit("message", ...args);
        assert.deepEqual(await back, echoed(mode, args));
      });

      test(`message-with-ack: ${name}`, { timeout: TEST_TIMEOUT }, async () => {
        assert.deepEqual(await askAll(socket, "message-with-ack", ...args), echoed(mode, args));
      });
    }

    test("the connection is still the same one after all cases", { timeout: TEST_TIMEOUT }, async () => {
      assert.equal(socket.connected, true);
      assert.equal(socket.io.engine.transport.name, mode.expectedTransport);
    });
  });

  describe(`messages [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("message-back arrives in order for a burst of emits", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const received = collect(socket, "message-back");
      const count = 50;
      for (let i = 0; i < count; i++) socket.emit("message", i, `n${i}`);
      const done = Date.now() + 5000;
      while (received.length < count && Date.now() < done) await sleep(20);
      assert.deepEqual(received, Array.from({ length: count }, (_, i) => [i, `n${i}`]));
    });

    test("emitWithAck resolves with the first acknowledgement argument", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      assert.deepEqual(await ask(socket, "message-with-ack", { ok: "yes" }, 2), { ok: "yes" });
    });

    test("concurrent acks are matched to the right callers", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => askAll(socket, "message-with-ack", i, { i })),
      );
      results.forEach((result, i) => assert.deepEqual(result, [i, { i }]));
    });

    test("server-ack: the server's ask is answered by the client", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const asked = [];
      socket.on("ask", (payload, callback) => {
        asked.push(payload);
        callback({ answer: payload.question * 2 }, "second", null);
      });
      const result = await ask(socket, "server-ack", { question: 21, text: "é😀" }, 3000);
      assert.deepEqual(asked, [{ question: 21, text: "é😀" }]);
      assert.deepEqual(result, { ok: true, response: [{ answer: 42 }, "second", null] });
    });

    test("server-ack: an answer with no arguments", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      socket.on("ask", (_payload, callback) => callback());
      assert.deepEqual(await ask(socket, "server-ack", "q", 3000), { ok: true, response: [] });
    });

    test("server-ack: a client answering asynchronously", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      socket.on("ask", (payload, callback) => setTimeout(() => callback(`late ${payload}`), 200));
      assert.deepEqual(await ask(socket, "server-ack", "q", 3000), { ok: true, response: ["late q"] });
    });

    test("server-ack: the server times out when the client does not answer", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const asked = [];
      socket.on("ask", (payload) => asked.push(payload)); // never calls the callback
      const started = Date.now();
      const result = await ask(socket, "server-ack", "unanswered", 300);
      const elapsed = Date.now() - started;
      assert.deepEqual(result, { ok: false, error: "timeout" });
      assert.deepEqual(asked, ["unanswered"]);
      assert.ok(elapsed >= 250, `the timeout fired after ${elapsed} ms, before 300 ms`);
      // The socket is still usable after the timeout.
      assert.deepEqual(await askAll(socket, "message-with-ack", "still alive"), ["still alive"]);
    });

    test("server-ack: a late answer after the timeout is ignored", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      socket.on("ask", (_payload, callback) => setTimeout(() => callback("too late"), 600));
      assert.deepEqual(await ask(socket, "server-ack", "q", 200), { ok: false, error: "timeout" });
      await sleep(700); // the late ack reaches the server now
      assert.equal(socket.connected, true, "a late ack must not break the connection");
      assert.deepEqual(await askAll(socket, "message-with-ack", 1), [1]);
    });
  });
}
