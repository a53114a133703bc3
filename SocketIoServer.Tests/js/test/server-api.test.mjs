// The server's namespace-wide operations: broadcasts with acknowledgements, fetchSockets, socketsJoin/Leave,
// disconnectSockets, serverSideEmit. Every operation is scoped to rooms of this test (random names).
//
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, Tracker, Manager, clientOptions, connect, ask, askAll, askList, waitFor, uid,
  serverDisconnectReason, sleep,
} from "../lib/helpers.mjs";

const sorted = (list) => [...list].sort();
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Connects clients named `names`, each joined to `rooms`, answering `event` acks with { name, arg }. */
async function answeringClients(tracker, mode, names, rooms, event, { silent = [], delayMs = 0 } = {}) {
  const clients = {};
  const calls = {};
  for (const name of names) {
    const socket = await connect(tracker, mode, "/", { auth: { name } });
    await askList(socket, "join", rooms);
    calls[name] = 0;
    socket.on(event, (arg, callback) => {
      calls[name]++;
      if (silent.includes(name)) return;
      if (delayMs) setTimeout(() => callback({ name, arg }), delayMs);
      else callback({ name, arg });
    });
    clients[name] = socket;
  }
  return { clients, calls };
}

/** Each response is the first argument of one client's acknowledgement (as Node.js): here { name, arg }. */
const responseNames = (responses) => responses.map((r) => r.name).sort();
const byName = (a, b) => (a.name < b.name ? -1 : 1);

for (const mode of MODES) {
  describe(`broadcast with acknowledgements [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("every client answers: ok, one response each", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("bcast-");
      const { clients, calls } = await answeringClients(tracker, mode, ["A", "B", "C"], [room], event);
      const outsider = await connect(tracker, mode);
      let outsiderCalls = 0;
      outsider.on(event, (_arg, callback) => {
        outsiderCalls++;
        callback("outsider");
      });
      const result = await ask(clients.A, "broadcast-with-ack", { rooms: [room], event, args: [{ q: 1 }], timeoutMs: 3000 });
      assert.equal(result.ok, true);
      assert.equal(result.responses.length, 3);
      assert.deepEqual(responseNames(result.responses), ["A", "B", "C"]);
      for (const response of result.responses) assert.deepEqual(response, { name: response.name, arg: { q: 1 } });
      assert.deepEqual(calls, { A: 1, B: 1, C: 1 });
      assert.equal(outsiderCalls, 0);
    });

    test("answers that take a while still arrive within the timeout", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("bcast-");
      const { clients } = await answeringClients(tracker, mode, ["A", "B"], [room], event, { delayMs: 200 });
      const result = await ask(clients.B, "broadcast-with-ack", { rooms: [room], event, args: ["x"], timeoutMs: 3000 });
      assert.deepEqual(result.ok, true);
      assert.deepEqual(result.responses.sort(byName), [{ name: "A", arg: "x" }, { name: "B", arg: "x" }]);
    });

    test("one client never answers: not ok after timeoutMs, partial responses", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("bcast-");
      const { clients, calls } = await answeringClients(tracker, mode, ["A", "B", "C"], [room], event, { silent: ["C"] });
      const started = Date.now();
      const result = await ask(clients.A, "broadcast-with-ack", { rooms: [room], event, args: [7], timeoutMs: 500 });
      const elapsed = Date.now() - started;
      assert.equal(result.ok, false);
      assert.deepEqual(result.responses.sort(byName), [{ name: "A", arg: 7 }, { name: "B", arg: 7 }]);
      assert.deepEqual(calls, { A: 1, B: 1, C: 1 }, "the silent client did receive the event");
      assert.ok(elapsed >= 450, `answered after ${elapsed} ms, before the 500 ms timeout`);
      assert.ok(elapsed < 3000, `answered after ${elapsed} ms`);
    });

    test("fromSocket: the sender is excluded from the broadcast and its responses", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("bcast-");
      const { clients, calls } = await answeringClients(tracker, mode, ["A", "B", "C"], [room], event);
      const result = await ask(clients.A, "broadcast-with-ack", { rooms: [room], event, args: [1], timeoutMs: 3000, fromSocket: true });
      assert.equal(result.ok, true);
      assert.deepEqual(responseNames(result.responses), ["B", "C"]);
      assert.deepEqual(calls, { A: 0, B: 1, C: 1 });
    });

    test("except: excluded members neither receive nor are awaited", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const other = uid("other-");
      const event = uid("bcast-");
      const { clients, calls } = await answeringClients(tracker, mode, ["A", "B"], [room], event, { silent: ["B"] });
      await askList(clients.B, "join", [other]);
      const result = await ask(clients.A, "broadcast-with-ack", { rooms: [room], except: [other], event, args: [2], timeoutMs: 2000 });
      assert.equal(result.ok, true);
      assert.deepEqual(result.responses, [{ name: "A", arg: 2 }]);
      assert.deepEqual(calls, { A: 1, B: 0 });
    });

    // As Node.js: each client's response is the first argument of its acknowledgement.
    test("each response is the first argument of that client's acknowledgement", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("bcast-");
      const a = await connect(tracker, mode);
      const b = await connect(tracker, mode);
      for (const s of [a, b]) {
        await askList(s, "join", [room]);
        s.on(event, (arg, callback) => callback(s === a ? "a" : "b", arg, null, { deep: [1] }));
      }
      const result = await ask(a, "broadcast-with-ack", { rooms: [room], event, args: ["é😀"], timeoutMs: 3000 });
      assert.equal(result.ok, true);
      assert.deepEqual(result.responses.sort(), ["a", "b"]);
    });

    test("a room nobody is in: ok at once with no responses", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const started = Date.now();
      const result = await ask(socket, "broadcast-with-ack", { rooms: [uid("empty-")], event: "nobody", args: [], timeoutMs: 3000 });
      assert.deepEqual(result, { ok: true, responses: [] });
      assert.ok(Date.now() - started < 2000, "no receiver means nothing to wait for");
    });
  });

  describe(`fetch-sockets, sockets-join, sockets-leave [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    async function threeInRoom() {
      const room = uid("room-");
      const extra = uid("extra-");
      const a = await connect(tracker, mode, "/", { auth: { name: "alice" } });
      const b = await connect(tracker, mode, "/", { auth: { name: "bob" } });
      const c = await connect(tracker, mode, "/", { auth: { name: "carol" } });
      const outsider = await connect(tracker, mode, "/", { auth: { name: "outsider" } });
      for (const s of [a, b, c]) await askList(s, "join", [room]);
      await askList(c, "join", [extra]);
      return { room, extra, a, b, c, outsider };
    }

    test("fetch-sockets lists the sockets of a room with id, rooms and data", { timeout: TEST_TIMEOUT }, async () => {
      const { room, extra, a, b, c, outsider } = await threeInRoom();
      const sockets = await askList(outsider, "fetch-sockets", { rooms: [room] });
      const expected = [
        { id: a.id, rooms: sorted([a.id, room]), data: { name: "alice" } },
        { id: b.id, rooms: sorted([b.id, room]), data: { name: "bob" } },
        { id: c.id, rooms: sorted([c.id, room, extra]), data: { name: "carol" } },
      ].sort(byId);
      assert.deepEqual(sockets, expected);
    });

    test("fetch-sockets with except, with several rooms, and for everyone", { timeout: TEST_TIMEOUT }, async () => {
      const { room, extra, a, b, c, outsider } = await threeInRoom();
      const ids = async (request) => (await askList(outsider, "fetch-sockets", request)).map((s) => s.id);
      assert.deepEqual(await ids({ rooms: [room], except: [extra] }), sorted([a.id, b.id]));
      assert.deepEqual(await ids({ rooms: [extra, outsider.id] }), sorted([c.id, outsider.id]));
      assert.deepEqual(await ids({ rooms: [uid("empty-")] }), []);
      const everyone = await ids({});
      for (const s of [a, b, c, outsider]) assert.ok(everyone.includes(s.id), `${s.id} is listed among all sockets`);
      const withoutRoom = await ids({ except: [room] });
      assert.ok(withoutRoom.includes(outsider.id));
      for (const s of [a, b, c]) assert.ok(!withoutRoom.includes(s.id), `${s.id} is excluded`);
      assert.equal(new Set(everyone).size, everyone.length, "no socket listed twice");
    });

    test("fetch-sockets acknowledges with one array argument", { timeout: TEST_TIMEOUT }, async () => {
      const { room, outsider } = await threeInRoom();
      const response = await askAll(outsider, "fetch-sockets", { rooms: [room] });
      assert.equal(response.length, 1, `one ack argument, got ${response.length}`);
      assert.equal(response[0].length, 3);
    });

    test("sockets-join makes the selected sockets join, sockets-leave makes them leave", { timeout: TEST_TIMEOUT }, async () => {
      const { room, extra, a, b, c, outsider } = await threeInRoom();
      const target = uid("target-");
      assert.deepEqual(await askAll(outsider, "sockets-join", { rooms: [room], target }), []);
      for (const s of [a, b, c]) assert.ok((await askList(s, "get-rooms")).includes(target), `${s.id} joined ${target}`);
      assert.deepEqual(await askList(outsider, "get-rooms"), [outsider.id]);
      assert.deepEqual(
        (await askList(outsider, "fetch-sockets", { rooms: [target] })).map((s) => s.id),
        sorted([a.id, b.id, c.id]),
      );

      // A broadcast to the new room reaches exactly the three.
      const event = uid("ev-");
      const got = [a, b, c].map((s) => waitFor(s, event));
      let outsiderGot = 0;
      outsider.on(event, () => outsiderGot++);
      await ask(outsider, "emit-to", { rooms: [target], event, args: ["hi"] });
      assert.deepEqual(await Promise.all(got), [["hi"], ["hi"], ["hi"]]);

      assert.deepEqual(await askAll(outsider, "sockets-leave", { rooms: [target], except: [extra], target }), []);
      assert.deepEqual(
        (await askList(outsider, "fetch-sockets", { rooms: [target] })).map((s) => s.id),
        [c.id],
        "only the socket in the excluded room stays",
      );
      assert.deepEqual(await askList(a, "get-rooms"), sorted([a.id, room]));
      assert.equal(outsiderGot, 0);
    });

    test("sockets-join on a single socket id room", { timeout: TEST_TIMEOUT }, async () => {
      const { a, b, outsider } = await threeInRoom();
      const target = uid("target-");
      await askAll(outsider, "sockets-join", { rooms: [b.id], target });
      assert.ok((await askList(b, "get-rooms")).includes(target));
      assert.ok(!(await askList(a, "get-rooms")).includes(target));
    });

    test("server-side-emit reaches no other node and reports zero responses", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      assert.deepEqual(await askAll(socket, "server-side-emit"), [0]);
    });
  });

  describe(`disconnect-sockets [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("close=false: the selected sockets see \"io server disconnect\", the connection stays", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const target = await connect(tracker, mode, "/", { manager });
      const sibling = await connect(tracker, mode, "/custom", { manager });
      const other = await connect(tracker, mode);
      const requester = await connect(tracker, mode);
      await askList(target, "join", [room]);
      const engineId = manager.engine.id;
      const targetId = target.id;

      const disconnected = waitFor(target, "disconnect");
      let otherDisconnected = false;
      other.on("disconnect", () => (otherDisconnected = true));
      sibling.on("disconnect", () => (otherDisconnected = true));
      assert.deepEqual(await askAll(requester, "disconnect-sockets", { rooms: [room], close: false }), []);
      const [reason] = await disconnected;
      assert.equal(reason, "io server disconnect");
      assert.equal(target.connected, false);

      assert.equal(await serverDisconnectReason(requester, targetId), "server namespace disconnect");
      // Same engine connection, other namespace socket still usable.
      assert.equal(manager.engine.readyState, "open");
      assert.equal(manager.engine.id, engineId);
      assert.deepEqual(await askAll(sibling, "message-with-ack", "sibling"), ["sibling"]);
      assert.deepEqual(await askAll(other, "message-with-ack", "other"), ["other"]);
      assert.equal(otherDisconnected, false);
      // "io server disconnect" means no automatic reconnection.
      await sleep(300);
      assert.equal(target.connected, false);
    });

    test("close=true: \"io server disconnect\" and the whole connection closes", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const manager = tracker.addManager(new Manager(mode.url, clientOptions(mode)));
      const target = await connect(tracker, mode, "/", { manager });
      const sibling = await connect(tracker, mode, "/custom", { manager });
      const other = await connect(tracker, mode);
      const requester = await connect(tracker, mode);
      await askList(target, "join", [room]);
      const targetId = target.id;

      const targetDisconnect = waitFor(target, "disconnect");
      const siblingDisconnect = waitFor(sibling, "disconnect");
      // the engine's "close": the Manager's comes when its last socket goes, possibly while the engine is "closing"
      const engineClose = waitFor(manager.engine, "close");
      assert.deepEqual(await askAll(requester, "disconnect-sockets", { rooms: [room], close: true }), []);
      assert.deepEqual((await targetDisconnect)[0], "io server disconnect");
      // Node.js sends DISCONNECT to every namespace of the client before closing the connection.
      assert.deepEqual((await siblingDisconnect)[0], "io server disconnect");
      await engineClose;
      assert.equal(manager.engine.readyState, "closed");
      assert.equal(await serverDisconnectReason(requester, targetId), "server namespace disconnect");
      assert.equal(other.connected, true);
      assert.deepEqual(await askAll(other, "message-with-ack", 1), [1]);
    });

    test("disconnect-sockets with except spares the excluded sockets", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const keep = uid("keep-");
      const a = await connect(tracker, mode);
      const b = await connect(tracker, mode);
      const requester = await connect(tracker, mode);
      await askList(a, "join", [room]);
      await askList(b, "join", [room, keep]);
      const aGone = waitFor(a, "disconnect");
      await askAll(requester, "disconnect-sockets", { rooms: [room], except: [keep], close: false });
      assert.equal((await aGone)[0], "io server disconnect");
      assert.equal(b.connected, true);
      assert.deepEqual(await askAll(b, "message-with-ack", "b"), ["b"]);
    });
  });
}
