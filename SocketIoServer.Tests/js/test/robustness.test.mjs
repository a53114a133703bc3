// A connection that sends garbage is closed without disturbing the others. Raw frames go over HTTP long-polling
// with fetch (Node 20 has no global WebSocket), next to a real socket.io-client in each transport mode. With the
// msgpack parser the raw session speaks msgpack (binary messages travel as "b" + base64 over polling), and its
// garbage is malformed msgpack, or a text packet, which that parser never accepts.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, Tracker, connect, askAll, waitFor, serverDisconnectReason, msgpackParser,
} from "../lib/helpers.mjs";

const SEPARATOR = "\x1e";
const pollingUrl = (mode) => `${mode.url}/socket.io/?EIO=4&transport=polling`;

/** A binary message as a polling payload record: "b" + base64. */
const b64 = (bytes) => "b" + Buffer.from(bytes).toString("base64");
const msgpackRecord = (packet) => b64(new msgpackParser.Encoder().encode(packet)[0]);

/** A record of a polling response as a socket.io packet: {type, nsp, data} (text records with socket.io-parser). */
function decodeRecord(mode, record) {
  if (mode.parser !== "msgpack") return record;
  assert.equal(record[0], "b", `a msgpack server sends binary records only, got ${JSON.stringify(record)}`);
  let packet;
  const decoder = new msgpackParser.Decoder();
  decoder.on("decoded", (p) => (packet = p));
  decoder.add(Buffer.from(record.slice(1), "base64"));
  return packet;
}

/** Opens a raw Engine.IO polling session and connects it to "/"; returns its URL and the Socket.IO id. */
async function rawSession(mode) {
  const open = await fetch(pollingUrl(mode));
  assert.equal(open.status, 200);
  const body = await open.text();
  assert.equal(body[0], "0", `handshake ${body}`);
  const handshake = JSON.parse(body.slice(1));
  assert.equal(typeof handshake.sid, "string");
  assert.deepEqual(handshake.upgrades, ["websocket"]);
  assert.equal(handshake.pingInterval, 1000);
  assert.equal(handshake.pingTimeout, 1000);
  const url = `${pollingUrl(mode)}&sid=${encodeURIComponent(handshake.sid)}`;

  const connectPacket = mode.parser === "msgpack" ? msgpackRecord({ type: 0, data: undefined, nsp: "/" }) : "40";
  const post = await fetch(url, { method: "POST", body: connectPacket });
  assert.equal(post.status, 200);
  assert.equal(await post.text(), "ok");
  const poll = await fetch(url);
  assert.equal(poll.status, 200);
  const packets = (await poll.text()).split(SEPARATOR).map((record) => decodeRecord(mode, record));
  let socketId;
  if (mode.parser === "msgpack") {
    assert.equal(packets[0].type, 0);
    assert.equal(typeof packets[0].data.sid, "string");
    socketId = packets[0].data.sid;
    assert.deepEqual(packets.slice(1).map((p) => [p.type, p.nsp, p.data]), [[2, "/", ["auth", {}]]]);
  } else {
    assert.match(packets[0], /^40\{"sid":"[^"]+"\}$/);
    socketId = JSON.parse(packets[0].slice(2)).sid;
    assert.deepEqual(packets.slice(1), ['42["auth",{}]']);
  }
  return { url, socketId };
}

/**
 * Polls a session that was told to close: as with Node.js, a poll may still carry the close packet
 * ("6␞1": noop + close, or "1") once; after that the session is unknown: 400 {code:1}.
 */
async function assertSessionClosed(url) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
    const body = await response.text();
    if (response.status === 400) {
      assert.deepEqual(JSON.parse(body), { code: 1, message: "Session ID unknown" });
      return attempt;
    }
    assert.equal(response.status, 200);
    const packets = body.split(SEPARATOR);
    assert.equal(packets.at(-1), "1", `the last packet of a closing session's poll is "close", got ${JSON.stringify(body)}`);
    for (const packet of packets.slice(0, -1)) assert.ok(["6", "41"].includes(packet), `unexpected packet ${JSON.stringify(packet)}`);
  }
  assert.fail("the session still answers polls after its close packet");
}

const hex = (text) => b64(Buffer.from(text.replace(/ /g, ""), "hex"));
const EVENT_M = "83 a474797065 02 a464617461 91a16d a36e7370 a12f"; // {type: 2, data: ["m"], nsp: "/"}

const GARBAGE = {
  default: [
    ["an unknown Socket.IO packet type", "4garbage"],
    ["an unknown Engine.IO packet type", "xyz"],
    ["truncated JSON", '42["message"'],
    ["an event that is not an array", '42{"not":"an array"}'],
    ["an event without a name", "42[]"],
    ["an event whose name is an object", "42[{\"a\":1}]"],
    ["an empty payload", ""],
  ],
  msgpack: [
    ["a text packet (socket.io-parser's EVENT)", '42["message","x"]'],
    ["an unknown Engine.IO packet type", "xyz"],
    ["a byte that is no msgpack type", hex("c1")],
    ["a truncated map", hex("83 a474797065 02 a464617461")],
    ["an event whose data is a map", hex("83 a474797065 02 a464617461 80 a36e7370 a12f")],
    ["an unknown packet type", msgpackRecord({ type: 9, data: ["m"], nsp: "/" })],
    ["trailing bytes", hex(EVENT_M + "00")],
    ["a string longer than the message", hex("83 a474797065 02 a464617461 92a16d dbffffffff")],
    ["a map key that is not a string", hex("83 a474797065 02 a464617461 92a16d 8101c0 a36e7370 a12f")],
    ["an empty binary message", "b"],
    ["an empty payload", ""],
  ],
};

for (const mode of MODES) {
  describe(`robustness [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    const garbageList = GARBAGE[mode.parser];
    for (const [label, garbage] of garbageList) {
      test(`a polling session sending ${label} is closed, a client alongside keeps working`, { timeout: TEST_TIMEOUT }, async () => {
        const client = await connect(tracker, mode);
        const engineId = client.io.engine.id;
        const { url, socketId } = await rawSession(mode);

        const post = await fetch(url, { method: "POST", body: garbage });
        // Node.js answers "ok" for a Socket.IO-level error and 400 for an unparsable Engine.IO payload.
        assert.ok([200, 400].includes(post.status), `POST status ${post.status}`);
        await post.text();
        await assertSessionClosed(url);

        // The server saw the raw socket go.
        const reason = await serverDisconnectReason(client, socketId);
        assert.equal(typeof reason, "string");

        const back = waitFor(client, "message-back");
        client.emit("message", "still here", { n: 1 });
        assert.deepEqual(await back, ["still here", { n: 1 }]);
        assert.equal(client.connected, true);
        assert.equal(client.io.engine.id, engineId, "no reconnection happened");
        assert.equal(client.io.engine.transport.name, mode.expectedTransport);
      });
    }

    test("garbage from several sessions at once does not disturb a busy client", { timeout: TEST_TIMEOUT }, async () => {
      const client = await connect(tracker, mode);
      const sessions = await Promise.all(Array.from({ length: 5 }, () => rawSession(mode)));
      const echoes = Promise.all(Array.from({ length: 20 }, (_, i) => askAll(client, "message-with-ack", i)));
      await Promise.all(sessions.map(({ url }, i) => fetch(url, { method: "POST", body: garbageList[i % garbageList.length][1] }).then((r) => r.text())));
      assert.deepEqual(await echoes, Array.from({ length: 20 }, (_, i) => [i]));
      for (const { url } of sessions) await assertSessionClosed(url);
      assert.equal(client.connected, true);
    });

    test("requests for an unknown session are refused with 400, code 1", { timeout: TEST_TIMEOUT }, async () => {
      const client = await connect(tracker, mode);
      const url = `${pollingUrl(mode)}&sid=does-not-exist`;
      for (const init of [{}, { method: "POST", body: "40" }]) {
        const response = await fetch(url, init);
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), { code: 1, message: "Session ID unknown" });
      }
      assert.deepEqual(await askAll(client, "message-with-ack", "fine"), ["fine"]);
    });

    test("a polling session that never connects a namespace is closed after connectTimeout", { timeout: 12_000 }, async () => {
      const client = await connect(tracker, mode);
      const open = await fetch(pollingUrl(mode));
      const sid = JSON.parse((await open.text()).slice(1)).sid;
      const url = `${pollingUrl(mode)}&sid=${encodeURIComponent(sid)}`;
      const started = Date.now();
      // Keep answering pings so that only connectTimeout (5 s on the interop server) can end the session.
      let closed = false;
      while (!closed && Date.now() - started < 9000) {
        const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
        const body = await response.text();
        if (response.status === 400) closed = true;
        else if (body.split(SEPARATOR).includes("1")) closed = true;
        else if (body.split(SEPARATOR).includes("2")) await (await fetch(url, { method: "POST", body: "3" })).text();
      }
      const elapsed = Date.now() - started;
      assert.ok(closed, "the session was closed");
      assert.ok(elapsed >= 4000, `closed after ${elapsed} ms, before the 5 s connectTimeout`);
      assert.deepEqual(await askAll(client, "message-with-ack", "ok"), ["ok"]);
    });
  });
}
