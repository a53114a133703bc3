// Connection state recovery (socket.io 4.6+) with the real client, against the interop server's recovery variant
// (port + 3, maxDisconnectionDuration 2 s): a client whose connection is cut misses events, reconnects, sees
// `socket.recovered === true`, gets the missed events in order and once, and keeps its id, rooms and data; after
// maxDisconnectionDuration it gets a fresh session.
//
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import {
  MODES, TEST_TIMEOUT, WAIT_TIMEOUT, SERVER_URL, Tracker, clientOptions, askAll, askList, collect, waitFor, eventually,
  sleep, uid,
} from "../lib/helpers.mjs";

const url = new URL(SERVER_URL);
url.port = String(Number(url.port) + 3);
const RECOVERY_URL = url.origin;

/** A client of the recovery server that does not reconnect by itself: the test reconnects it, after its checks. */
async function connectRecovering(tracker, mode, auth) {
  const socket = io(RECOVERY_URL, clientOptions(mode, { auth }));
  tracker.add(socket);
  await waitFor(socket, "connect");
  if (mode.upgrade) {
    if (socket.io.engine.transport.name !== "websocket") await waitFor(socket.io.engine, "upgrade");
  }
  return socket;
}

/** Cuts the connection without telling the server: the TCP socket destroyed (WebSocket), or the engine closed (polling). */
function cut(socket) {
  const ws = socket.io.engine.transport.ws;
  if (ws?._socket) ws._socket.destroy();
  else socket.io.engine.close();
}

/** Waits until the server no longer lists `id` among the sockets of "/" (asked through `observer`). */
async function serverSawDisconnect(observer, id) {
  await eventually(async () => {
    const [sockets] = await askAll(observer, "fetch-sockets", {});
    return sockets.some((s) => s.id === id) ? null : true;
  }, WAIT_TIMEOUT, `the server to drop ${id}`);
}

// the recovery variant runs the default parser; connection state recovery is the same with either
for (const mode of MODES.filter((m) => m.parser === "default")) {
  describe(`connection state recovery [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    test("a cut connection recovers: missed events in order and once, same id, rooms and data kept", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const event = uid("ev-");
      const client = await connectRecovering(tracker, mode, { name: "alice" });
      const observer = await connectRecovering(tracker, MODES[1], {});
      assert.equal(client.recovered, false);
      assert.deepEqual(await askList(client, "join", [room]), [room]);
      const received = collect(client, event);

      await askAll(observer, "emit-to", { rooms: [room], event, args: [1] });
      await eventually(() => (received.length === 1 ? true : null), WAIT_TIMEOUT, "the first event");
      assert.equal(received[0][0], 1);
      assert.equal(typeof received[0][1], "string", "the event carries its offset as a last argument");

      const id = client.id;
      const disconnected = waitFor(client, "disconnect");
      cut(client);
      await disconnected;
      await serverSawDisconnect(observer, id);
      await askAll(observer, "emit-to", { rooms: [room], event, args: [2] });
      await askAll(observer, "emit-to", { rooms: [], event, args: [3] });
      await askAll(observer, "emit-to", { rooms: [uid("elsewhere-")], event, args: ["not for it"] });

      const reconnected = waitFor(client, "connect");
      client.connect();
      await reconnected;

      assert.equal(client.recovered, true);
      assert.equal(client.id, id, "same socket id");
      await sleep(100); // nothing more should come
      assert.deepEqual(received.map((args) => args[0]), [1, 2, 3], "missed events in order, once");
      assert.deepEqual((await askList(client, "get-rooms")).sort(), [id, room].sort(), "rooms kept");
      const [state] = await askAll(client, "get-state");
      assert.deepEqual(state, { recovered: true, name: "alice" }, "the server's socket is recovered, its data kept");

      await askAll(observer, "emit-to", { rooms: [room], event, args: [4] });
      await eventually(() => (received.length === 4 ? true : null), WAIT_TIMEOUT, "a live event to the room");
    });

    test("after maxDisconnectionDuration the client gets a fresh session", { timeout: TEST_TIMEOUT }, async () => {
      const event = uid("ev-");
      const client = await connectRecovering(tracker, mode, {});
      const observer = await connectRecovering(tracker, MODES[1], {});
      const received = collect(client, event);
      await askAll(observer, "emit-to", { rooms: [client.id], event, args: [1] });
      await eventually(() => (received.length === 1 ? true : null), WAIT_TIMEOUT, "the first event");

      const id = client.id;
      const disconnected = waitFor(client, "disconnect");
      cut(client);
      await disconnected;
      await serverSawDisconnect(observer, id);
      await askAll(observer, "emit-to", { rooms: [], event, args: [2] });
      await sleep(2_300); // past the server's 2 s maxDisconnectionDuration

      const reconnected = waitFor(client, "connect");
      client.connect();
      await reconnected;
      assert.equal(client.recovered, false);
      assert.notEqual(client.id, id);
      await sleep(100);
      assert.deepEqual(received.map((args) => args[0]), [1], "nothing replayed");
      const [state] = await askAll(client, "get-state");
      assert.equal(state.recovered, false);
    });

    test("a client that disconnects on purpose is not recovered", { timeout: TEST_TIMEOUT }, async () => {
      const client = await connectRecovering(tracker, mode, {});
      const observer = await connectRecovering(tracker, MODES[1], {});
      const event = uid("ev-");
      const got = waitFor(client, event);
      await askAll(observer, "emit-to", { rooms: [client.id], event, args: [1] });
      await got;
      const id = client.id;
      client.disconnect();
      await serverSawDisconnect(observer, id);

      const reconnected = waitFor(client, "connect");
      client.connect();
      await reconnected;
      assert.equal(client.recovered, false);
      assert.notEqual(client.id, id);
    });
  });
}
