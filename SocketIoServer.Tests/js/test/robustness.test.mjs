// A connection that sends garbage is closed without disturbing the others. Raw frames go over HTTP long-polling
// with fetch (Node 20 has no global WebSocket), next to a real socket.io-client in each transport mode.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { MODES, TEST_TIMEOUT, SERVER_URL, Tracker, connect, askAll, waitFor, serverDisconnectReason } from "../lib/helpers.mjs";

const POLLING = `${SERVER_URL}/socket.io/?EIO=4&transport=polling`;
const SEPARATOR = "\x1e";

/** Opens a raw Engine.IO polling session and connects it to "/"; returns its URL and the Socket.IO id. */
async function rawSession() {
  const open = await fetch(POLLING);
  assert.equal(open.status, 200);
  const body = await open.text();
  assert.equal(body[0], "0", `handshake ${body}`);
  const handshake = JSON.parse(body.slice(1));
  assert.equal(typeof handshake.sid, "string");
  assert.deepEqual(handshake.upgrades, ["websocket"]);
  assert.equal(handshake.pingInterval, 1000);
  assert.equal(handshake.pingTimeout, 1000);
  const url = `${POLLING}&sid=${encodeURIComponent(handshake.sid)}`;

  const post = await fetch(url, { method: "POST", body: "40" });
  assert.equal(post.status, 200);
  assert.equal(await post.text(), "ok");
  const poll = await fetch(url);
  assert.equal(poll.status, 200);
  const packets = (await poll.text()).split(SEPARATOR);
  assert.match(packets[0], /^40\{"sid":"[^"]+"\}$/);
  const socketId = JSON.parse(packets[0].slice(2)).sid;
  assert.deepEqual(packets.slice(1), ['42["auth",{}]']);
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

const GARBAGE = [
  ["an unknown Socket.IO packet type", "4garbage"],
  ["an unknown Engine.IO packet type", "xyz"],
  ["truncated JSON", '42["message"'],
  ["an event that is not an array", '42{"not":"an array"}'],
  ["an event without a name", "42[]"],
  ["an event whose name is an object", "42[{\"a\":1}]"],
  ["an empty payload", ""],
];

for (const mode of MODES) {
  describe(`robustness [${mode.name}]`, () => {
    const tracker = new Tracker();
    afterEach(() => tracker.closeAll());

    for (const [label, garbage] of GARBAGE) {
      test(`a polling session sending ${label} is closed, a client alongside keeps working`, { timeout: TEST_TIMEOUT }, async () => {
        const client = await connect(tracker, mode);
        const engineId = client.io.engine.id;
        const { url, socketId } = await rawSession();

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
      const sessions = await Promise.all(Array.from({ length: 5 }, () => rawSession()));
      const echoes = Promise.all(Array.from({ length: 20 }, (_, i) => askAll(client, "message-with-ack", i)));
      await Promise.all(sessions.map(({ url }, i) => fetch(url, { method: "POST", body: GARBAGE[i % GARBAGE.length][1] }).then((r) => r.text())));
      assert.deepEqual(await echoes, Array.from({ length: 20 }, (_, i) => [i]));
      for (const { url } of sessions) await assertSessionClosed(url);
      assert.equal(client.connected, true);
    });

    test("requests for an unknown session are refused with 400, code 1", { timeout: TEST_TIMEOUT }, async () => {
      const client = await connect(tracker, mode);
      const url = `${POLLING}&sid=does-not-exist`;
      for (const init of [{}, { method: "POST", body: "40" }]) {
        const response = await fetch(url, init);
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), { code: 1, message: "Session ID unknown" });
      }
      assert.deepEqual(await askAll(client, "message-with-ack", "fine"), ["fine"]);
    });

    test("a polling session that never connects a namespace is closed after connectTimeout", { timeout: 12_000 }, async () => {
      const client = await connect(tracker, mode);
      const open = await fetch(POLLING);
      const sid = JSON.parse((await open.text()).slice(1)).sid;
      const url = `${POLLING}&sid=${encodeURIComponent(sid)}`;
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
