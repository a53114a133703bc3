// Disconnect reasons as the client and the server (asked through a second client) see them.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, Tracker, Manager, clientOptions, connect, askAll, waitFor, serverDisconnectReason, sleep, eventually,
} from "../lib/helpers.mjs";

for (const mode of MODES) {
  describe(`disconnect reasons [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("get-disconnect-reason is null for a connected or unknown socket", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const observer = await connect(tracker, mode);
      assert.deepEqual(await askAll(observer, "get-disconnect-reason", socket.id), [null]);
      assert.deepEqual(await askAll(observer, "get-disconnect-reason", "no-such-socket"), [null]);
    });

    test("client socket.disconnect() → server \"client namespace disconnect\"", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const observer = await connect(tracker, mode);
      const id = socket.id;
      const disconnected = waitFor(socket, "disconnect");
      socket.disconnect();
      assert.equal((await disconnected)[0], "io client disconnect");
      assert.equal(await serverDisconnectReason(observer, id), "client namespace disconnect");
    });

    test("disconnect-me(false) → client \"io server disconnect\", server \"server namespace disconnect\"", { timeout: TEST_TIMEOUT }, async () => {
      // A second namespace on the same Manager keeps the client from closing the engine itself once its last
      // namespace socket is gone, so that the test sees whether the server kept the connection open.
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const socket = await connect(tracker, mode, "/", { manager });
      const sibling = await connect(tracker, mode, "/custom", { manager });
      const observer = await connect(tracker, mode);
      const id = socket.id;
      const engineId = manager.engine.id;
      const disconnected = waitFor(socket, "disconnect");
      socket.emit("disconnect-me", false);
      assert.equal((await disconnected)[0], "io server disconnect");
      assert.equal(socket.connected, false);
      assert.equal(await serverDisconnectReason(observer, id), "server namespace disconnect");
      // Only the namespace was left: the engine connection stays open, and no reconnection happens.
      await sleep(200);
      assert.equal(manager.engine.readyState, "open");
      assert.equal(manager.engine.id, engineId);
      assert.equal(sibling.connected, true);
      assert.deepEqual(await askAll(sibling, "message-with-ack", "sibling"), ["sibling"]);
      assert.equal(socket.connected, false);
    });

    test("disconnect-me(true) → client \"io server disconnect\" and the connection closes", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const observer = await connect(tracker, mode);
      const id = socket.id;
      const engine = socket.io.engine;
      const disconnected = waitFor(socket, "disconnect");
      // The engine's own "close", not the Manager's: the Manager announces "close" when its last socket goes, before
      // the engine has finished closing (a polling engine with a request in flight is still "closing" then).
      const closed = waitFor(engine, "close");
      socket.emit("disconnect-me", true);
      assert.equal((await disconnected)[0], "io server disconnect");
      await closed;
      assert.equal(engine.readyState, "closed");
      assert.equal(await serverDisconnectReason(observer, id), "server namespace disconnect");
    });

    test("engine.close() on the client → server \"transport close\"", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const observer = await connect(tracker, mode);
      const id = socket.id;
      const disconnected = waitFor(socket, "disconnect");
      socket.io.engine.close();
      assert.ok((await disconnected)[0].length > 0);
      assert.equal(await serverDisconnectReason(observer, id), "transport close");
    });

    if (mode.expectedTransport === "websocket") {
      test("the WebSocket's TCP connection destroyed → server \"transport close\"", { timeout: TEST_TIMEOUT }, async () => {
        const socket = await connect(tracker, mode);
        const observer = await connect(tracker, mode);
        const id = socket.id;
        const ws = socket.io.engine.transport.ws;
        assert.ok(ws?._socket, "the client's ws has its net.Socket");
        const disconnected = waitFor(socket, "disconnect");
        ws._socket.destroy();
        assert.equal((await disconnected)[0], "transport close");
        assert.equal(await serverDisconnectReason(observer, id), "transport close");
      });
    }

    test("a client that stops answering pings → server \"ping timeout\"", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const observer = await connect(tracker, mode);
      const id = socket.id;
      const engine = socket.io.engine;
      // engine.io-client answers each ping with _sendPacket("pong"); drop the pongs, keep everything else.
      const sendPacket = engine._sendPacket;
      assert.equal(typeof sendPacket, "function");
      let pongsDropped = 0;
      engine._sendPacket = function (type, ...rest) {
        if (type === "pong") {
          pongsDropped++;
          return undefined;
        }
        return sendPacket.call(this, type, ...rest);
      };
      const started = Date.now();
      const disconnected = waitFor(socket, "disconnect", 8000);
      // pingInterval 1000 ms + pingTimeout 1000 ms on the interop server.
      assert.equal(await serverDisconnectReason(observer, id, 8000), "ping timeout");
      const elapsed = Date.now() - started;
      assert.ok(pongsDropped >= 1, "at least one ping was left unanswered");
      assert.ok(elapsed >= 900, `the server gave up after ${elapsed} ms, before pingTimeout`);
      await disconnected; // the client notices the closed connection too
      assert.equal(socket.connected, false);
    });

    test("a client that answers pings stays connected past pingInterval + pingTimeout", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      let pings = 0;
      socket.io.engine.on("ping", () => pings++);
      await sleep(2500); // past pingInterval + pingTimeout (1 s + 1 s on the interop server)
      // a second ping may come late on a busy machine; what matters is that the connection lived past 2 s
      await eventually(() => (pings >= 2 ? pings : undefined), 3000, "a second ping");
      assert.equal(socket.connected, true);
      assert.deepEqual(await askAll(socket, "message-with-ack", "alive"), ["alive"]);
      assert.equal(socket.io.engine.transport.name, mode.expectedTransport);
    });
  });
}
