// Live capture of Engine.IO v3 exchanges (socket.io-client 2.x clients) against a real socket.io 4.8 server
// with allowEIO3: the v3 payload encodings (text with UTF-16 lengths, binary, b64), the client's heartbeat,
// WebSocket framing, the upgrade, and Socket.IO's v3 rules (implicit connect to "/", CONNECT without payload,
// namespaces with a query, refusals). Same recorder and conventions as live.mjs.
import { setTimeout as sleep } from "node:timers/promises";
import { CaseRecorder, SETTLE_MS, startServer, normalise } from "./live.mjs";

// A v3 client pings; a case must not outlive pingInterval + pingTimeout without one, so these are roomier than
// the v4 cases' 300/200 (the C# replay runs on busy machines).
export const EIO3_SERVER_OPTIONS = { allowEIO3: true, pingInterval: 1000, pingTimeout: 500 };

const EIO3 = "/socket.io/?EIO=3";
const TEXT = { "Content-Type": "text/plain;charset=UTF-8" };
const BINARY = { "Content-Type": "application/octet-stream" };
const pollingPath = (sid, extra = "") => `${EIO3}&transport=polling${extra}${sid ? `&sid=${sid}` : ""}`;

/** A v3 text payload: each packet as <length in UTF-16 units>:<packet>. */
const payload = (...packets) => packets.map((p) => `${p.length}:${p}`).join("");

/** A v3 binary payload: [0 text | 1 binary, digits as byte values, 255, bytes]. */
function binaryPayload(...packets) {
  const parts = packets.map((p) => {
    const bytes = typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.concat([Buffer.from([4]), p]);
    const digits = String(bytes.length).split("").map(Number);
    return Buffer.concat([Buffer.from([typeof p === "string" ? 0 : 1, ...digits, 255]), bytes]);
  });
  return Buffer.concat(parts);
}

async function handshake(rec, extra = "") {
  const res = await rec.http({ method: "GET", path: pollingPath("", extra) });
  const colon = res.text.indexOf(":");
  if (res.status !== 200 || res.text[colon + 1] !== "0") throw new Error(`"${rec.name}": v3 handshake failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text.slice(colon + 2)).sid;
}

const post = (rec, sid, body, extra = "") =>
  rec.http({ method: "POST", path: pollingPath(sid, extra), headers: typeof body === "string" ? TEXT : BINARY, body });

async function poll(rec, sid, extra = "") {
  await sleep(SETTLE_MS);
  return rec.http({ method: "GET", path: pollingPath(sid, extra) });
}

const cases = [
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling handshake and implicit connect to /",
      "EIO=3: the handshake is a length-prefixed text payload with the open packet alone; the server connects the client to \"/\" without a CONNECT packet (socket id = engine id) and sends CONNECT without payload, then the 'auth' event, with the next poll.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    await post(rec, sid, payload("421[\"echo\",\"é😀\",1]", "42[\"echo\",\"no ack\"]"));
    await poll(rec, sid);
    await post(rec, sid, payload("1"));
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling binary payloads",
      "A client without b64 gets a binary payload (marker, digits as bytes, 255, packet) whenever a packet is binary, and may POST application/octet-stream.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    await post(rec, sid, payload("42[\"send-binary\"]"));
    await poll(rec, sid);
    await post(rec, sid, binaryPayload("451-2[\"echo\",{\"_placeholder\":true,\"num\":0}]", Buffer.from([1, 2, 3])));
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling b64",
      "b64=1 (clients without XHR2): binary packets travel as b4<base64> inside text payloads, both ways.");
    const sid = await handshake(rec, "&b64=1");
    await poll(rec, sid, "&b64=1");
    await post(rec, sid, payload("42[\"send-binary\"]"), "&b64=1");
    await poll(rec, sid, "&b64=1");
    await post(rec, sid, payload("451-2[\"echo\",{\"_placeholder\":true,\"num\":0}]", "b4AQID"), "&b64=1");
    await poll(rec, sid, "&b64=1");
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling namespaces",
      "CONNECT with the query in the namespace (2.x style): the path is the namespace, the query the auth; socket id nsp#engineId. Refusals: err.data, and Invalid namespace.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    await post(rec, sid, payload("40/custom?token=abc&x=1,"));
    await poll(rec, sid);
    // one per payload: Node.js answers "Invalid namespace" at once but a middleware's refusal a tick later
    await post(rec, sid, payload("40/refused,"));
    await poll(rec, sid);
    await post(rec, sid, payload("40/nope,"));
    await poll(rec, sid);
    await post(rec, sid, payload("42/custom,[\"echo\",\"in custom\"]"));
    await poll(rec, sid);
    await post(rec, sid, payload("41/custom,", "2"));
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling heartbeat",
      "The client pings (with or without data) and the server answers a bare pong; a pong from the client is the wrong direction and closes the session.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    await post(rec, sid, payload("2", "2probe"));
    await poll(rec, sid);
    await post(rec, sid, payload("3"));
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling ping timeout",
      "The server never pings a v3 client: a session without client pings is closed after pingInterval + pingTimeout, the waiting poll getting a close packet.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    await rec.http({ method: "GET", path: pollingPath(sid) }); // held until the timeout
    await rec.http({ method: "GET", path: pollingPath(sid) });
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 polling malformed payload",
      "A length past the end of the body: the POST is still answered ok, and the session is closed (parse error).");
    const sid = await handshake(rec);
    await post(rec, sid, "5:4a");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 websocket session",
      "Direct v3 WebSocket: no lengths in frames; binary messages carry the type byte 4; the client pings.");
    const ws = await rec.wsOpen(`${EIO3}&transport=websocket`);
    await ws.recv(); // open
    await ws.recv(); // CONNECT "/"
    await ws.recv(); // auth
    ws.send("2");
    await ws.recv();
    ws.send("421[\"echo\",\"x\"]");
    await ws.recv();
    ws.send("42[\"send-binary\"]");
    await ws.recv();
    await ws.recv();
    await ws.recv();
    ws.send("451-2[\"echo\",{\"_placeholder\":true,\"num\":0}]");
    ws.send({ $binary: "BAEC" });
    await ws.recv();
    await ws.recv();
    ws.send("40/custom?k=v,");
    await ws.recv();
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 websocket b64", "A v3 WebSocket with b64=1 gets binary as b4<base64> text frames.");
    const ws = await rec.wsOpen(`${EIO3}&transport=websocket&b64=1`);
    await ws.recv();
    await ws.recv();
    await ws.recv();
    ws.send("42[\"send-binary\"]");
    await ws.recv();
    await ws.recv();
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "v3 upgrade from polling to websocket",
      "Probe, noop for the waiting poll, upgrade; then packets flow over the WebSocket with v3 framing.");
    const sid = await handshake(rec);
    await poll(rec, sid);
    const pending = rec.start({ method: "GET", path: pollingPath(sid) });
    await sleep(SETTLE_MS);
    const ws = await rec.wsOpen(`${EIO3}&transport=websocket&sid=${sid}`);
    ws.send("2probe");
    await ws.recv();
    await rec.finish(pending);
    ws.send("5");
    await sleep(SETTLE_MS);
    ws.send("421[\"echo\",{\"b\":true}]");
    await ws.recv();
    ws.send("42[\"send-binary\"]");
    await ws.recv();
    await ws.recv();
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
];

export async function captureEio3Responses() {
  const ids = { engine: new Set(), socket: new Set() };
  const { io, port } = await startServer(ids, EIO3_SERVER_OPTIONS);
  const results = [];
  try {
    for (const run of cases) {
      const rec = await run(port);
      await rec.cleanup();
      results.push(rec.toJSON());
    }
  } finally {
    io.close();
    io.disconnectSockets(true);
  }
  return normalise(results, ids);
}
