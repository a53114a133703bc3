// Namespaces: multiplexing over one engine connection, dynamic namespaces, middleware refusals.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, Tracker, Manager, clientOptions, connect, connectError, ask, askAll, askList, waitFor,
} from "../lib/helpers.mjs";

for (const mode of MODES) {
  describe(`namespaces [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("\"/\" and \"/custom\" share one engine connection through one Manager", { timeout: TEST_TIMEOUT }, async () => {
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const main = await connect(tracker, mode, "/", { manager, auth: { name: "main" } });
      let customAuth;
      const custom = await connect(tracker, mode, "/custom", { manager, auth: { name: "custom" } }, (s) => {
        customAuth = waitFor(s, "auth");
      });

      assert.equal(main.io, custom.io, "same Manager");
      assert.equal(main.io.engine, custom.io.engine, "same engine");
      assert.equal(typeof main.io.engine.id, "string");
      assert.equal(main.io.engine.id, custom.io.engine.id, "same engine session id");
      assert.notEqual(main.id, custom.id, "each namespace has its own socket id");
      assert.deepEqual(await customAuth, [{ name: "custom" }]);

      // Both namespaces answer, each with its own handshake auth, over the same transport.
      const [mainHandshake, customHandshake] = await Promise.all([ask(main, "get-handshake"), ask(custom, "get-handshake")]);
      assert.deepEqual(mainHandshake.auth, { name: "main" });
      assert.deepEqual(customHandshake.auth, { name: "custom" });
      assert.equal(mainHandshake.transport, mode.expectedTransport);
      assert.equal(customHandshake.transport, mode.expectedTransport);

      const [mainBack, customBack] = [waitFor(main, "message-back"), waitFor(custom, "message-back")];
      main.emit("message", "to main");
      custom.emit("message", "to custom");
      assert.deepEqual(await mainBack, ["to main"]);
      assert.deepEqual(await customBack, ["to custom"]);

      // Leaving one namespace keeps the other and the engine connection.
      const engineId = main.io.engine.id;
      custom.disconnect();
      assert.deepEqual(await askAll(main, "message-with-ack", "still here"), ["still here"]);
      assert.equal(main.connected, true);
      assert.equal(main.io.engine.id, engineId);
      assert.equal(custom.connected, false);
    });

    test("rooms are per namespace: a socket of \"/custom\" is not in \"/\"'s rooms", { timeout: TEST_TIMEOUT }, async () => {
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const main = await connect(tracker, mode, "/", { manager });
      const custom = await connect(tracker, mode, "/custom", { manager });
      const mainIds = (await askList(main, "fetch-sockets", { rooms: [main.id, custom.id] })).map((s) => s.id);
      const customIds = (await askList(custom, "fetch-sockets", { rooms: [main.id, custom.id] })).map((s) => s.id);
      assert.deepEqual(mainIds, [main.id]);
      assert.deepEqual(customIds, [custom.id]);
    });

    test("dynamic namespace /dynamic-42 is accepted", { timeout: TEST_TIMEOUT }, async () => {
      let authEvent;
      const socket = await connect(tracker, mode, "/dynamic-42", {}, (s) => {
        authEvent = waitFor(s, "auth");
      });
      assert.equal(socket.connected, true);
      assert.deepEqual(await authEvent, [{ nsp: "/dynamic-42" }]);
    });

    test("two dynamic namespaces on one Manager are separate namespaces", { timeout: TEST_TIMEOUT }, async () => {
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const events = {};
      const a = await connect(tracker, mode, "/dynamic-1", { manager }, (s) => (events.a = waitFor(s, "auth")));
      const b = await connect(tracker, mode, "/dynamic-20", { manager }, (s) => (events.b = waitFor(s, "auth")));
      assert.deepEqual(await events.a, [{ nsp: "/dynamic-1" }]);
      assert.deepEqual(await events.b, [{ nsp: "/dynamic-20" }]);
      assert.equal(a.io.engine.id, b.io.engine.id);
    });

    for (const nsp of ["/other", "/dynamic-abc", "/dynamic-"]) {
      test(`unknown namespace ${nsp} is refused with "Invalid namespace"`, { timeout: TEST_TIMEOUT }, async () => {
        const { socket, err } = await connectError(tracker, mode, nsp);
        assert.ok(err instanceof Error);
        assert.equal(err.message, "Invalid namespace");
        assert.equal(socket.connected, false);
      });
    }

    test("a refused namespace does not affect \"/\" on the same Manager", { timeout: TEST_TIMEOUT }, async () => {
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const main = await connect(tracker, mode, "/", { manager });
      const other = tracker.add(manager.socket("/other"));
      const [err] = await waitFor(other, "connect_error");
      assert.equal(err.message, "Invalid namespace");
      const refused = tracker.add(manager.socket("/refused"));
      const [err2] = await waitFor(refused, "connect_error");
      assert.equal(err2.message, "not authorized");
      assert.equal(main.connected, true);
      assert.deepEqual(await askAll(main, "message-with-ack", "ok"), ["ok"]);
    });

    test("middleware refusal on /refused: message and data", { timeout: TEST_TIMEOUT }, async () => {
      const { socket, err } = await connectError(tracker, mode, "/refused", { auth: { token: "anything" } });
      assert.ok(err instanceof Error);
      assert.equal(err.message, "not authorized");
      assert.deepEqual(err.data, { code: "E_REFUSED" });
      assert.equal(socket.connected, false);
      assert.equal(socket.id, undefined);
    });

    test("async middleware on /slow-auth accepts the good token", { timeout: TEST_TIMEOUT }, async () => {
      let authEvent;
      const socket = await connect(tracker, mode, "/slow-auth", { auth: { token: "good", extra: [1] } }, (s) => {
        authEvent = waitFor(s, "auth");
      });
      assert.equal(socket.connected, true);
      assert.deepEqual(await authEvent, [{ token: "good", extra: [1] }]);
    });

    for (const [label, auth] of [["a bad token", { token: "bad" }], ["no token", {}]]) {
      test(`async middleware on /slow-auth refuses ${label} with "bad token"`, { timeout: TEST_TIMEOUT }, async () => {
        const { socket, err } = await connectError(tracker, mode, "/slow-auth", { auth });
        assert.equal(err.message, "bad token");
        assert.equal(err.data, undefined, "a plain exception carries no data");
        assert.equal(socket.connected, false);
      });
    }
  });
}
