// Rooms: join/leave/get-rooms, and who receives a broadcast (emit-to with rooms, except, fromSocket, volatile,
// local). Rooms and event names carry a random suffix so that other clients of the same server never interfere.
//
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, Tracker, connect, ask, askAll, askList, collect, waitFor, uid,
} from "../lib/helpers.mjs";

const sorted = (list) => [...list].sort();

/**
 * Four clients: A in r1, B in r2, C in r1 and r2, D in neither; all four in `all`, which the barrier uses.
 */
async function fourClients(tracker, mode) {
  const r1 = uid("r1-");
  const r2 = uid("r2-");
  const all = uid("all-");
  const clients = {};
  for (const [name, rooms] of [["A", [r1]], ["B", [r2]], ["C", [r1, r2]], ["D", []]]) {
    const socket = await connect(tracker, mode, "/", { auth: { name } });
    assert.deepEqual(sorted(await askList(socket, "join", [...rooms, all])), sorted([...rooms, all]));
    clients[name] = socket;
  }
  return { clients, r1, r2, all };
}

/**
 * Makes `sender` ask for the broadcast `request` and returns who received it, by client name, with the
 * arguments of each delivery. A marker sent to every client afterwards is the barrier: per-connection order
 * means that once a client has the marker, it has whatever the broadcast sent it.
 */
async function deliveries(setup, sender, request, args = ["payload", { n: 1 }]) {
  const { clients, all } = setup;
  const event = uid("ev-");
  const marker = `${event}-marker`;
  const received = Object.fromEntries(Object.entries(clients).map(([name, socket]) => [name, collect(socket, event)]));
  const markers = Object.values(clients).map((socket) => waitFor(socket, marker));
  assert.deepEqual(await askAll(sender, "emit-to", { ...request, event, args }), []);
  assert.deepEqual(await askAll(sender, "emit-to", { rooms: [all], event: marker, args: [] }), []);
  await Promise.all(markers);
  for (const [name, deliveriesOf] of Object.entries(received))
    for (const got of deliveriesOf) assert.deepEqual(got, args, `${name} got the broadcast's arguments`);
  return Object.fromEntries(Object.entries(received).map(([name, list]) => [name, list.length]));
}

/** Expected counts: 1 for each named recipient, 0 for the others. */
const exactly = (...names) => Object.fromEntries(["A", "B", "C", "D"].map((n) => [n, names.includes(n) ? 1 : 0]));

for (const mode of MODES) {
  describe(`rooms [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("a new socket is in exactly one room: its own id", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      assert.deepEqual(await askList(socket, "get-rooms"), [socket.id]);
    });

    test("join, join again, leave, leave an unknown room", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const [a, b] = [uid("a-"), uid("b-")];
      assert.deepEqual(await askList(socket, "join", [a, b]), [a, b]);
      assert.deepEqual(await askList(socket, "get-rooms"), sorted([socket.id, a, b]));
      await askList(socket, "join", [a]);
      assert.deepEqual(await askList(socket, "get-rooms"), sorted([socket.id, a, b]), "joining twice adds no duplicate");
      assert.deepEqual(await askAll(socket, "leave", a), []);
      assert.deepEqual(await askList(socket, "get-rooms"), sorted([socket.id, b]));
      assert.deepEqual(await askAll(socket, "leave", uid("never-joined-")), []);
      assert.deepEqual(await askList(socket, "get-rooms"), sorted([socket.id, b]));
    });

    test("rooms with unicode names", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const room = uid("salle-é😀-");
      await askList(socket, "join", [room]);
      assert.deepEqual(await askList(socket, "get-rooms"), sorted([socket.id, room]));
      const got = waitFor(socket, "u");
      await ask(socket, "emit-to", { rooms: [room], event: "u", args: ["ok"] });
      assert.deepEqual(await got, ["ok"]);
    });

    test("get-rooms and join acknowledge with one array argument", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connect(tracker, mode);
      const room = uid("shape-");
      assert.deepEqual(await askAll(socket, "join", [room]), [[room]]);
      assert.deepEqual(await askAll(socket, "get-rooms"), [sorted([socket.id, room])]);
    });

    test("emit-to a room reaches its members only, once each", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, D } = setup.clients;
      assert.deepEqual(await deliveries(setup, D, { rooms: [setup.r1] }), exactly("A", "C"));
      assert.deepEqual(await deliveries(setup, A, { rooms: [setup.r2] }), exactly("B", "C"));
    });

    test("emit-to several rooms reaches their union, a member of both once", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      assert.deepEqual(await deliveries(setup, setup.clients.D, { rooms: [setup.r1, setup.r2] }), exactly("A", "B", "C"));
    });

    test("emit-to with except removes the members of the excluded rooms", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { D } = setup.clients;
      assert.deepEqual(await deliveries(setup, D, { rooms: [setup.r1, setup.r2], except: [setup.r2] }), exactly("A"));
      assert.deepEqual(await deliveries(setup, D, { rooms: [setup.all], except: [setup.r1] }), exactly("B", "D"));
      assert.deepEqual(await deliveries(setup, D, { rooms: [setup.r1], except: [setup.r1] }), exactly());
    });

    test("emit-to with fromSocket excludes the sender", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, C } = setup.clients;
      assert.deepEqual(await deliveries(setup, A, { rooms: [setup.r1], fromSocket: true }), exactly("C"));
      assert.deepEqual(await deliveries(setup, C, { rooms: [setup.all], fromSocket: true }), exactly("A", "B", "D"));
      assert.deepEqual(await deliveries(setup, C, { rooms: [setup.all], except: [setup.r2], fromSocket: true }), exactly("A", "D"));
    });

    test("emit-to a socket id reaches that socket only", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, B, D } = setup.clients;
      assert.deepEqual(await deliveries(setup, A, { rooms: [D.id] }), exactly("D"));
      assert.deepEqual(await deliveries(setup, A, { rooms: [A.id, setup.r2] }), exactly("A", "B", "C"));
      assert.deepEqual(await deliveries(setup, A, { rooms: [setup.all], except: [B.id] }), exactly("A", "C", "D"));
    });

    test("emit-to everyone (no rooms) reaches every client once", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, B } = setup.clients;
      assert.deepEqual(await deliveries(setup, A, {}), exactly("A", "B", "C", "D"));
      assert.deepEqual(await deliveries(setup, A, { except: [setup.r2] }), exactly("A", "D"));
      assert.deepEqual(await deliveries(setup, B, { fromSocket: true }), exactly("A", "C", "D"));
    });

    test("emit-to a room nobody is in reaches nobody", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      assert.deepEqual(await deliveries(setup, setup.clients.A, { rooms: [uid("empty-")] }), exactly());
    });

    test("emit-to with local reaches the room's members (single node)", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      assert.deepEqual(await deliveries(setup, setup.clients.B, { rooms: [setup.r1], local: true }), exactly("A", "C"));
    });

    test("emit-to carries JSON arguments of every kind", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const args = [1, -2.5, "é😀", "", null, true, [], {}, { nested: [false, { deep: "x" }] }];
      assert.deepEqual(await deliveries(setup, setup.clients.A, { rooms: [setup.r2] }, args), exactly("B", "C"));
    });

    test("emit-to carries binary arguments as binary", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const args = ["text", Buffer.from([1, 2, 3]), { blob: Buffer.from([4]) }];
      assert.deepEqual(await deliveries(setup, setup.clients.A, { rooms: [setup.r2] }, args), exactly("B", "C"));
    });

    test("after leaving a room a socket no longer receives its broadcasts", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, C, D } = setup.clients;
      assert.deepEqual(await askAll(C, "leave", setup.r1), []);
      assert.deepEqual(await deliveries(setup, D, { rooms: [setup.r1] }), exactly("A"));
      await askList(D, "join", [setup.r1]);
      assert.deepEqual(await deliveries(setup, A, { rooms: [setup.r1] }), exactly("A", "D"));
    });

    test("a disconnected socket leaves its rooms", { timeout: TEST_TIMEOUT }, async () => {
      const setup = await fourClients(tracker, mode);
      const { A, C, D } = setup.clients;
      const cId = C.id;
      C.disconnect();
      // fetch-sockets only lists connected sockets: wait until C is gone from r1.
      const deadline = Date.now() + 3000;
      let ids;
      do ids = (await askList(D, "fetch-sockets", { rooms: [setup.r1] })).map((s) => s.id);
      while (ids.includes(cId) && Date.now() < deadline);
      assert.deepEqual(ids, [A.id]);
    });

    if (mode.expectedTransport === "websocket") {
      test("a volatile broadcast reaches connected WebSocket clients", { timeout: TEST_TIMEOUT }, async () => {
        const setup = await fourClients(tracker, mode);
        const { A, D } = setup.clients;
        assert.deepEqual(await deliveries(setup, D, { rooms: [setup.r1], volatile: true }), exactly("A", "C"));
        assert.deepEqual(await deliveries(setup, A, { rooms: [setup.all], volatile: true, fromSocket: true }), exactly("B", "C", "D"));
      });
    }
  });
}
