// socket.io-client 2.x (Engine.IO v3) against the interop server for v3 clients (AllowEIO3 on, SERVER_URL's port + 2),
// in each transport mode, and against the main server (AllowEIO3 off), which refuses it as Node.js does.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { SERVER_URL, TEST_TIMEOUT, waitFor, collect, eventually, sleep, uid, toBuffer } from "../lib/helpers.mjs";
import { ioV2, V3_URL, V2_MODES, TrackerV2, optionsV2, connectV2, askV2 } from "../lib/v2.mjs";

const VALUES = [
  42,
  -1.5,
  "plain",
  "é ü ß 中文",
  "emoji 😀🎉 and a pair \ud83d\ude00", // surrogate pairs: v3 polling lengths count UTF-16 units
  "x".repeat(100_000),
  { nested: { list: [1, "two", null, { deep: true }] } },
  [],
  {},
  null,
];

/** Waits for the server to answer a namespace refusal: the 2.x "error" event, with what Node.js sends. */
function refusal(socket) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no error event")), 4000);
    socket.once("error", (data) => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      reject(new Error("connected, but a refusal was expected"));
    });
  });
}

for (const mode of V2_MODES) {
  describe(`socket.io-client 2.x [${mode.name}]`, () => {
    const tracker = new TrackerV2();
    afterEach(() => tracker.closeAll());

    test("connects to \"/\" without a CONNECT packet; socket id = engine id; handshake over EIO=3", { timeout: TEST_TIMEOUT }, async () => {
      let auth;
      const socket = await connectV2(tracker, mode, "/", {}, (s) => (auth = waitFor(s, "auth")));
      assert.equal(typeof socket.io.engine.id, "string");
      assert.equal(socket.id, socket.io.engine.id);
      assert.deepEqual(await auth, [{}]);
      const [handshake] = await askV2(socket, "get-handshake");
      assert.equal(handshake.query.EIO, "3");
      assert.deepEqual(handshake.auth, {});
      assert.equal(handshake.transport, mode.expectedTransport);
      assert.equal(socket.io.engine.transport.name, mode.expectedTransport);
    });

    test("emit: every kind of value comes back as it was sent", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      for (const value of VALUES) {
        const back = waitFor(socket, "message-back");
        socket.emit("message", value, "second");
        assert.deepEqual(await back, [value, "second"]);
      }
    });

    test("a burst of emits arrives in order", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      const received = collect(socket, "message-back");
      for (let i = 0; i < 50; i++) socket.emit("message", i, "ü😀".repeat(i));
      await eventually(() => (received.length === 50 ? true : null));
      assert.deepEqual(received, Array.from({ length: 50 }, (_, i) => [i, "ü😀".repeat(i)]));
    });

    test("ack, client to server: message-with-ack answers with the arguments", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      assert.deepEqual(await askV2(socket, "message-with-ack", 1, "😀", { a: [true] }), [1, "😀", { a: [true] }]);
      assert.deepEqual(await askV2(socket, "message-with-ack"), []);
    });

    test("ack, server to client: the server's \"ask\" gets the client's answer", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      socket.on("ask", (question, callback) => callback({ answer: question * 2 }, "ü"));
      assert.deepEqual(await askV2(socket, "server-ack", 21), [{ ok: true, response: [{ answer: 42 }, "ü"] }]);
    });

    test("binary, client to server and back: buffers, nested, empty, all byte values, with acks", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const back = waitFor(socket, "message-back");
      socket.emit("message", Buffer.from([1, 2, 3]), { nested: all, text: "t" }, Buffer.alloc(0));
      const [first, second, third] = await back;
      assert.deepEqual(toBuffer(first), Buffer.from([1, 2, 3]));
      assert.deepEqual(toBuffer(second.nested), all);
      assert.equal(second.text, "t");
      assert.equal(toBuffer(third).length, 0);

      const [ackBinary, ackText] = await askV2(socket, "message-with-ack", Buffer.from("ü", "utf8"), "after");
      assert.deepEqual(toBuffer(ackBinary), Buffer.from("ü", "utf8"));
      assert.equal(ackText, "after");
    });

    test("binary, server to client: binary-from-server, and binary in the server's ask and the client's answer", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      const binary = waitFor(socket, "binary");
      socket.emit("binary-from-server");
      const [bytes, object] = await binary;
      assert.deepEqual(toBuffer(bytes), Buffer.from([1, 2, 3]));
      assert.deepEqual(toBuffer(object.nested), Buffer.from([4, 5]));
      assert.equal(object.text, "t");

      socket.on("ask", (question, callback) => callback(Buffer.concat([toBuffer(question), Buffer.from([9])])));
      const [answer] = await askV2(socket, "server-ack", Buffer.from([7, 8]));
      assert.equal(answer.ok, true);
      assert.deepEqual(toBuffer(answer.response[0]), Buffer.from([7, 8, 9]));
    });

    test("rooms: join, then a broadcast to the room reaches its members only", { timeout: TEST_TIMEOUT }, async () => {
      const room = uid("room-");
      const everyone = uid("all-");
      const [a, b, c] = [await connectV2(tracker, mode), await connectV2(tracker, mode), await connectV2(tracker, mode)];
      assert.deepEqual(await askV2(a, "join", [room, everyone]), [[room, everyone]]);
      assert.deepEqual(await askV2(b, "join", [room, everyone]), [[room, everyone]]);
      assert.deepEqual(await askV2(c, "join", [everyone]), [[everyone]]);
      assert.deepEqual(await askV2(a, "get-rooms"), [[a.id, everyone, room].sort()]);

      const event = uid("ev-");
      const received = { a: collect(a, event), b: collect(b, event), c: collect(c, event) };
      const markers = [a, b, c].map((s) => waitFor(s, `${event}-marker`));
      assert.deepEqual(await askV2(c, "emit-to", { rooms: [room], event, args: ["to the room", Buffer.from([5])] }), []);
      assert.deepEqual(await askV2(c, "emit-to", { rooms: [everyone], event: `${event}-marker`, args: [] }), []);
      await Promise.all(markers);
      assert.equal(received.a.length, 1);
      assert.equal(received.b.length, 1);
      assert.equal(received.c.length, 0);
      assert.equal(received.a[0][0], "to the room");
      assert.deepEqual(toBuffer(received.b[0][1]), Buffer.from([5]));
    });

    test("custom namespace: query as auth, id nsp#engineId, multiplexed with \"/\"", { timeout: TEST_TIMEOUT }, async () => {
      let auth;
      const custom = await connectV2(tracker, mode, "/custom?token=abc&x=1&x=2", {}, (s) => (auth = waitFor(s, "auth")));
      assert.deepEqual(await auth, [{ token: "abc", x: "2" }]);
      assert.equal(custom.id, `/custom#${custom.io.engine.id}`);
      const [handshake] = await askV2(custom, "get-handshake");
      assert.deepEqual(handshake.auth, { token: "abc", x: "2" });
      assert.equal(handshake.query.token, "abc"); // 2.x sends the query on the engine's requests too

    });

    test("one Manager, \"/\" and \"/custom\" on one engine connection: ids engineId and /custom#engineId", { timeout: TEST_TIMEOUT }, async () => {
      // both sockets made before the engine opens: the server connects "/" on its own as soon as it opens
      const manager = new ioV2.Manager(V3_URL, optionsV2(mode));
      const main = tracker.add(manager.socket("/"));
      const custom = tracker.add(manager.socket("/custom", { query: { k: "v" } }));
      await Promise.all([waitFor(main, "connect"), waitFor(custom, "connect")]);
      assert.equal(main.id, manager.engine.id);
      assert.equal(custom.id, `/custom#${manager.engine.id}`);
      const [customHandshake] = await askV2(custom, "get-handshake");
      assert.deepEqual(customHandshake.auth, { k: "v" });
      const back = waitFor(custom, "message-back");
      custom.emit("message", "to custom");
      assert.deepEqual(await back, ["to custom"]);
      assert.deepEqual(await askV2(main, "message-with-ack", "to main"), ["to main"]);
    });

    test("dynamic namespace /dynamic-42 is accepted", { timeout: TEST_TIMEOUT }, async () => {
      let auth;
      const socket = await connectV2(tracker, mode, "/dynamic-42", {}, (s) => (auth = waitFor(s, "auth")));
      assert.deepEqual(await auth, [{ nsp: "/dynamic-42" }]);
      assert.equal(socket.id, `/dynamic-42#${socket.io.engine.id}`);
    });

    test("refused namespaces arrive as the \"error\" event: err.data, else err.message, and \"Invalid namespace\"", { timeout: TEST_TIMEOUT }, async () => {
      const refused = tracker.add(ioV2(`${V3_URL}/refused`, optionsV2(mode)));
      assert.deepEqual(await refusal(refused), { code: "E_REFUSED" });

      const badToken = tracker.add(ioV2(`${V3_URL}/slow-auth?token=bad`, optionsV2(mode)));
      assert.equal(await refusal(badToken), "bad token");

      // the engine connection stays usable: "/" on the same Manager still works after the refusal
      const manager = new ioV2.Manager(V3_URL, optionsV2(mode));
      const main = tracker.add(manager.socket("/"));
      const unknown = tracker.add(manager.socket("/other"));
      assert.deepEqual(await refusal(unknown), { message: "Invalid namespace" });
      if (!main.connected) await waitFor(main, "connect");
      assert.deepEqual(await askV2(main, "message-with-ack", "still here"), ["still here"]);
    });

    test("a middleware that accepts: /slow-auth with the good token", { timeout: TEST_TIMEOUT }, async () => {
      let auth;
      await connectV2(tracker, mode, "/slow-auth?token=good", {}, (s) => (auth = waitFor(s, "auth")));
      assert.deepEqual(await auth, [{ token: "good" }]);
    });

    test("disconnect: the client's is \"client namespace disconnect\" on the server; the server's is \"io server disconnect\"", { timeout: TEST_TIMEOUT }, async () => {
      const observer = await connectV2(tracker, mode);
      const leaving = await connectV2(tracker, mode);
      const id = leaving.id;
      leaving.disconnect();
      const reason = await eventually(async () => (await askV2(observer, "get-disconnect-reason", id))[0]);
      assert.equal(reason, "client namespace disconnect");

      const kicked = await connectV2(tracker, mode);
      const kickedId = kicked.id;
      const disconnected = waitFor(kicked, "disconnect");
      kicked.emit("disconnect-me", false);
      assert.deepEqual(await disconnected, ["io server disconnect"]);
      const serverReason = await eventually(async () => (await askV2(observer, "get-disconnect-reason", kickedId))[0]);
      assert.equal(serverReason, "server namespace disconnect");
    });

    test("heartbeat: the client pings, the server answers, the connection lives past pingInterval + pingTimeout", { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode);
      let pongs = 0;
      socket.io.engine.on("pong", () => pongs++);
      await sleep(2600); // the interop server: pingInterval 1000, pingTimeout 1000
      // a second pong may come late on a busy machine; what matters is that the connection lived past 2 s
      await eventually(() => (pongs >= 2 ? pongs : undefined), 3000, `a second pong (pongs: ${pongs})`);
      assert.equal(socket.connected, true);
      assert.deepEqual(await askV2(socket, "message-with-ack", "alive"), ["alive"]);
    });
  });
}

describe("socket.io-client 2.x with forceBase64 (b64=1: binary as base64 text)", () => {
  const tracker = new TrackerV2();
  afterEach(() => tracker.closeAll());

  for (const mode of V2_MODES) {
    test(`binary both ways [${mode.name}]`, { timeout: TEST_TIMEOUT }, async () => {
      const socket = await connectV2(tracker, mode, "/", { forceBase64: true });
      const [handshake] = await askV2(socket, "get-handshake");
      assert.equal(handshake.query.b64, "1");
      const back = waitFor(socket, "message-back");
      socket.emit("message", Buffer.from([0, 255, 128]), "😀");
      const [bytes, text] = await back;
      assert.deepEqual(toBuffer(bytes), Buffer.from([0, 255, 128]));
      assert.equal(text, "😀");
      const binary = waitFor(socket, "binary");
      socket.emit("binary-from-server");
      assert.deepEqual(toBuffer((await binary)[0]), Buffer.from([1, 2, 3]));
    });
  }
});

describe("socket.io-client 2.x against the main server (AllowEIO3 off)", () => {
  const tracker = new TrackerV2();
  afterEach(() => tracker.closeAll());

  test("the handshake is refused with Node's error 5", { timeout: TEST_TIMEOUT }, async () => {
    const response = await fetch(`${SERVER_URL}/socket.io/?EIO=3&transport=polling`);
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { code: 5, message: "Unsupported protocol version" });
  });

  for (const [mode, message] of [[V2_MODES[0], "xhr poll error"], [V2_MODES[1], "websocket error"], [V2_MODES[2], "xhr poll error"]]) {
    test(`the client reports connect_error "${message}" [${mode.name}]`, { timeout: TEST_TIMEOUT }, async () => {
      const socket = tracker.add(ioV2(SERVER_URL, optionsV2(mode)));
      const connected = collect(socket, "connect");
      const [err] = await waitFor(socket, "connect_error");
      assert.equal(err.message, message);
      if (mode.name !== "websocket") assert.equal(err.description, 400); // the HTTP status of Node's error response
      await sleep(100);
      assert.equal(connected.length, 0);
    });
  }
});
