// Connecting in each transport mode: the session, the "auth" echo, and the handshake the server saw.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { MODES, TEST_TIMEOUT, Tracker, connect, ask, waitFor } from "../lib/helpers.mjs";

for (const mode of MODES) {
  describe(`connect [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("connects, gets a socket id and uses the expected transport", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      assert.equal(socket.connected, true);
      assert.equal(typeof socket.id, "string");
      assert.ok(socket.id.length > 0, "socket id is not empty");
      assert.notEqual(socket.id, socket.io.engine.id, "the namespace socket id differs from the engine session id");
      assert.equal(socket.io.engine.transport.name, mode.expectedTransport);
      assert.equal(socket.io.engine.readyState, "open");
    });

    test("the server echoes the auth payload in the \"auth\" event", { timeout: TEST_TIMEOUT }, async () => {
      const auth = { name: "alice", token: "t-1", nested: { n: 1, list: [1, "two", null] }, emoji: "héllo 😀" };
      let authEvent;
      const socket = await connect(tracker, mode, "/", { auth }, (s) => {
        authEvent = waitFor(s, "auth");
      });
      assert.equal(socket.connected, true);
      const [echoed] = await authEvent;
      assert.deepEqual(echoed, auth);
    });

    test("without auth the \"auth\" event carries an empty object", { timeout: TEST_TIMEOUT }, async () => {
      let authEvent;
      await connect(tracker, mode, "/", {}, (s) => {
        authEvent = waitFor(s, "auth");
      });
      const [echoed] = await authEvent;
      assert.deepEqual(echoed, {});
    });

    test("get-handshake reports query, auth, url, transport and the rest", { timeout: TEST_TIMEOUT }, async () => {
      const before = Date.now();
      const auth = { name: "bob", n: 42 };
      const query = { room: "lobby", unicode: "é😀", empty: "" };
      const socket = await connect(tracker, mode, "/", { auth, query });
      const handshake = await ask(socket, "get-handshake");

      assert.equal(handshake.query.room, "lobby");
      assert.equal(handshake.query.unicode, "é😀");
      assert.equal(handshake.query.empty, "");
      assert.equal(handshake.query.EIO, "4");
      // The handshake is the first HTTP request: polling unless the client went straight to WebSocket.
      const firstTransport = mode.transports?.[0] ?? "polling";
      assert.equal(handshake.query.transport, firstTransport);
      assert.deepEqual(handshake.auth, auth);

      assert.equal(typeof handshake.url, "string");
      assert.ok(handshake.url.startsWith("/socket.io/?"), `url ${handshake.url}`);
      const url = new URL(handshake.url, mode.url);
      assert.equal(url.searchParams.get("room"), "lobby");
      assert.equal(url.searchParams.get("unicode"), "é😀");
      assert.equal(url.searchParams.get("EIO"), "4");
      assert.equal(url.searchParams.get("transport"), firstTransport);

      // The current transport (after the upgrade in the default mode).
      assert.equal(handshake.transport, mode.expectedTransport);
      assert.ok(["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(handshake.address), `address ${handshake.address}`);
      assert.equal(handshake.secure, false);
      assert.equal(handshake.xdomain, false, "no Origin header was sent");
      assert.equal(typeof handshake.issued, "number");
      assert.ok(handshake.issued >= before - 1000 && handshake.issued <= Date.now() + 1000, `issued ${handshake.issued}`);
    });

    test("each namespace socket of two clients gets a distinct id", { timeout: TEST_TIMEOUT }, async () => {
      const a = await connect(tracker, mode);
      const b = await connect(tracker, mode);
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.io.engine.id, b.io.engine.id);
    });
  });
}
