// Live capture against a real socket.io 4.8 server on a loopback ephemeral
// port. Every case is a list of steps (HTTP exchanges, WebSocket frames,
// waits) replayed in a fixed order, so the output is deterministic once the
// random ids are replaced by placeholders.
import http from "node:http";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Server } from "socket.io";
import { io as ioClient } from "socket.io-client";
import WebSocket from "ws";
import { toFixture, fromFixture } from "./fixture-json.mjs";

export const SERVER_OPTIONS = {
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1e6,
  connectTimeout: 1000,
  cors: { origin: "*" },
};

const EIO = "/socket.io/?EIO=4";
const ORIGIN = "http://client.example";
// Time given to the server to run its nextTick/async middleware chain before
// we poll, so that packets emitted together are flushed in one payload.
export const SETTLE_MS = 40;
const RECV_TIMEOUT_MS = 3000;

// Header names that depend on Node's HTTP plumbing or the clock, not socket.io.
const DROPPED_HEADERS = new Set(["date", "connection", "keep-alive"]);

// ---------------------------------------------------------------------------
// Server under test
// ---------------------------------------------------------------------------
export function startServer(ids, extraOptions = {}) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { ...SERVER_OPTIONS, ...extraOptions });

  io.engine.on("connection", (conn) => ids.engine.add(conn.id));

  const onConnection = (socket) => {
    ids.socket.add(socket.id);
    socket.emit("auth", socket.handshake.auth);
    // "echo": acks with the received arguments, or emits them back.
    socket.on("echo", (...args) => {
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args.pop();
        last(...args);
      } else {
        socket.emit("echo", ...args);
      }
    });
    // "send-binary": the server emits binary data (BINARY_EVENT).
    socket.on("send-binary", () => {
      socket.emit("bin", Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    });
  };
  io.on("connection", onConnection);
  io.of("/custom").on("connection", onConnection);
  io.of("/refused").use((socket, next) => {
    const err = new Error("refused by middleware");
    err.data = { code: "E1" };
    next(err);
  });

  return new Promise((resolve) => {
    httpServer.listen(0, "127.0.0.1", () => resolve({ io, httpServer, port: httpServer.address().port }));
  });
}

// ---------------------------------------------------------------------------
// Raw HTTP and WebSocket helpers
// ---------------------------------------------------------------------------
function rawHttp(port, { method, path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function recordHeaders(headers) {
  const out = {};
  for (const key of Object.keys(headers).sort()) {
    if (!DROPPED_HEADERS.has(key)) out[key] = headers[key];
  }
  return out;
}

function bodyToFixture(buffer) {
  const text = buffer.toString("utf8");
  return Buffer.from(text, "utf8").equals(buffer) ? text : toFixture(buffer);
}

function frameFromWs(data, isBinary) {
  return isBinary ? toFixture(Buffer.from(data)) : data.toString("utf8");
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

class WsConnection {
  constructor(rec, ws, autoPong) {
    this.rec = rec;
    this.ws = ws;
    this.autoPong = autoPong;
    this.queue = [];
    this.waiters = [];
    this.closeInfo = new Promise((resolve) => {
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
    });
    ws.on("message", (data, isBinary) => {
      const frame = frameFromWs(data, isBinary);
      if (this.autoPong && frame === "2") {
        ws.send("3");
        return;
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.queue.push(frame);
    });
  }

  /** Receives the next frame and records it. */
  async recv() {
    const frame = this.queue.length
      ? this.queue.shift()
      : await withTimeout(new Promise((resolve) => this.waiters.push(resolve)), RECV_TIMEOUT_MS, `a frame in "${this.rec.name}"`);
    this.rec.steps.push({ wsRecv: frame });
    return frame;
  }

  /** Sends a frame (string or {$binary}) and records it. */
  send(frame, { record = true } = {}) {
    const data = fromFixture(frame);
    this.ws.send(data, { binary: typeof data !== "string" });
    if (record) this.rec.steps.push({ wsSend: frame });
  }

  /** Waits for the server to close the connection; fails if a frame arrives first. */
  async closed() {
    const info = await withTimeout(this.closeInfo, RECV_TIMEOUT_MS, `close in "${this.rec.name}"`);
    if (this.queue.length) throw new Error(`"${this.rec.name}": unexpected frames before close: ${JSON.stringify(this.queue)}`);
    this.rec.steps.push({ wsClose: info });
    return info;
  }

  /** The client closes the WebSocket (close code 1000); recorded. */
  async clientClose() {
    this.ws.close(1000);
    const info = await withTimeout(this.closeInfo, RECV_TIMEOUT_MS, `client close in "${this.rec.name}"`);
    if (this.queue.length) throw new Error(`"${this.rec.name}": unexpected frames before client close: ${JSON.stringify(this.queue)}`);
    this.rec.steps.push({ wsClientClose: { code: 1000 } });
    return info;
  }

  /** Closes from the client side (not a protocol step worth recording). */
  async terminate() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    await withTimeout(this.closeInfo, RECV_TIMEOUT_MS, "client close");
  }
}

export class CaseRecorder {
  constructor(port, name, description) {
    this.port = port;
    this.name = name;
    this.description = description;
    this.steps = [];
    this.sockets = [];
  }

  /** Starts an HTTP request; its exchange is recorded when passed to finish(). */
  start(request) {
    const req = { method: request.method, path: request.path };
    if (request.headers) req.headers = request.headers;
    if (request.body !== undefined) req.body = typeof request.body === "string" ? request.body : toFixture(request.body);
    return { req, promise: rawHttp(this.port, request) };
  }

  async finish(handle) {
    const res = await withTimeout(handle.promise, RECV_TIMEOUT_MS, `HTTP response in "${this.name}"`);
    const response = { status: res.status, headers: recordHeaders(res.headers), body: bodyToFixture(res.body) };
    this.steps.push({ http: { request: handle.req, response } });
    return { ...response, text: res.body.toString("utf8") };
  }

  http(request) {
    return this.finish(this.start(request));
  }

  /** A deliberate, timing-relevant pause (recorded). */
  async wait(ms, why) {
    await sleep(ms);
    this.steps.push({ wait: { ms, why } });
  }

  /** Opens a WebSocket; returns a WsConnection, or null when the upgrade was refused (recorded). */
  wsOpen(path, { autoPong = false } = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${this.port}${path}`, { perMessageDeflate: false });
      const conn = new WsConnection(this, ws, autoPong);
      ws.once("open", () => {
        this.steps.push({ wsOpen: { path } });
        this.sockets.push(conn);
        resolve(conn);
      });
      ws.once("unexpected-response", (req, res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          this.steps.push({
            wsOpen: {
              path,
              refused: { status: res.statusCode, headers: recordHeaders(res.headers), body: bodyToFixture(Buffer.concat(chunks)) },
            },
          });
          req.destroy();
          resolve(null);
        });
      });
      ws.once("error", (err) => {
        if (!this.steps.some((s) => s.wsOpen && s.wsOpen.path === path)) reject(err);
      });
    });
  }

  async cleanup() {
    for (const conn of this.sockets) await conn.terminate();
  }

  toJSON() {
    return { name: this.name, description: this.description, steps: this.steps };
  }
}

// A raw TCP upgrade request, to see the exact bytes the server writes when it
// refuses a WebSocket upgrade (even after having sent 101 Switching Protocols).
const WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const RAW_UPGRADE_HEADERS = {
  Upgrade: "websocket",
  Connection: "Upgrade",
  "Sec-WebSocket-Key": WS_KEY,
  "Sec-WebSocket-Version": "13",
};

function rawUpgrade(port, path) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect(port, "127.0.0.1", () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
      for (const [k, v] of Object.entries(RAW_UPGRADE_HEADERS)) lines.push(`${k}: ${v}`);
      socket.write(lines.join("\r\n") + "\r\n\r\n");
    });
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

CaseRecorder.prototype.rawUpgrade = async function (path) {
  const raw = await withTimeout(rawUpgrade(this.port, path), RECV_TIMEOUT_MS, `raw upgrade in "${this.name}"`);
  this.steps.push({
    rawUpgrade: {
      request: { method: "GET", path, headers: RAW_UPGRADE_HEADERS },
      // Everything the server wrote on the TCP connection until it closed it.
      response: bodyToFixture(raw),
    },
  });
};

// ---------------------------------------------------------------------------
// Polling helpers
// ---------------------------------------------------------------------------
const pollingPath = (sid) => `${EIO}&transport=polling${sid ? `&sid=${sid}` : ""}`;
const POST_HEADERS = { "Content-Type": "text/plain;charset=UTF-8" };

async function pollingHandshake(rec, headers) {
  const res = await rec.http({ method: "GET", path: pollingPath(), headers });
  if (res.status !== 200 || !res.text.startsWith("0{")) throw new Error(`"${rec.name}": handshake failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text.slice(1)).sid;
}

async function post(rec, sid, body) {
  const res = await rec.http({ method: "POST", path: pollingPath(sid), headers: POST_HEADERS, body });
  return res;
}

async function poll(rec, sid) {
  await sleep(SETTLE_MS);
  return rec.http({ method: "GET", path: pollingPath(sid) });
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------
function singleRequestCases() {
  const get = (path, headers) => ({ method: "GET", path, headers });
  return [
    ["handshake polling", "Initial long-polling GET: the open packet with the session parameters.", get(`${EIO}&transport=polling`, { Origin: ORIGIN })],
    ["handshake polling without Origin header", "CORS origin '*' is answered even without an Origin header.", get(`${EIO}&transport=polling`)],
    ["handshake polling with extra query parameters", "Unknown query parameters (t=cache buster, custom ones) are ignored.", get(`${EIO}&transport=polling&t=Pabc123&foo=bar`)],
    ["error missing EIO", "No EIO parameter means protocol 3, which is not allowed (allowEIO3 false).", get("/socket.io/?transport=polling")],
    ["error EIO=abc", "Any EIO other than the string '4' is treated as protocol 3.", get("/socket.io/?EIO=abc&transport=polling")],
    ["error EIO=3", "Protocol 3 clients are refused by default.", get("/socket.io/?EIO=3&transport=polling")],
    ["error EIO=5", "A future protocol version is also treated as 3 and refused.", get("/socket.io/?EIO=5&transport=polling")],
    ["error unknown transport", "Transport name not in the server's list.", get(`${EIO}&transport=flash`)],
    ["error missing transport", "No transport parameter.", get(EIO)],
    ["error empty transport", "Empty transport parameter.", get(`${EIO}&transport=`)],
    ["error webtransport over HTTP", "webtransport is never accepted through the HTTP handler.", get(`${EIO}&transport=webtransport`)],
    ["error unknown transport checked before EIO", "The transport check runs before the protocol version check.", get("/socket.io/?EIO=3&transport=flash")],
    ["error unknown sid GET", "GET with a sid the server does not know.", get(`${EIO}&transport=polling&sid=doesnotexist`)],
    ["error unknown sid POST", "POST with a sid the server does not know.", { method: "POST", path: `${EIO}&transport=polling&sid=doesnotexist`, headers: POST_HEADERS, body: "42[\"x\"]" }],
    ["error unknown sid checked before EIO", "With a sid, the version is never checked: the unknown sid wins.", get("/socket.io/?EIO=3&transport=polling&sid=doesnotexist")],
    ["error handshake with POST", "The handshake (no sid) must be a GET.", { method: "POST", path: `${EIO}&transport=polling`, headers: POST_HEADERS, body: "40" }],
    ["error handshake with PUT", "The handshake (no sid) must be a GET.", { method: "PUT", path: `${EIO}&transport=polling`, headers: POST_HEADERS, body: "40" }],
    ["error handshake with DELETE", "The handshake (no sid) must be a GET.", { method: "DELETE", path: `${EIO}&transport=polling` }],
    ["error websocket transport over plain GET", "transport=websocket without an Upgrade header.", get(`${EIO}&transport=websocket`)],
    [
      "CORS preflight",
      "OPTIONS preflight answered by the cors middleware with origin '*'.",
      { method: "OPTIONS", path: `${EIO}&transport=polling`, headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } },
    ],
    [
      "CORS preflight without request headers",
      "OPTIONS preflight with only Access-Control-Request-Method.",
      { method: "OPTIONS", path: `${EIO}&transport=polling`, headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" } },
    ],
    ["CORS on error response", "Error responses also carry the CORS headers (middleware runs first).", get("/socket.io/?EIO=3&transport=polling", { Origin: ORIGIN })],
  ].map(([name, description, request]) => async (port) => {
    const rec = new CaseRecorder(port, name, description);
    await rec.http(request);
    return rec;
  });
}

const pollingCases = [
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect main namespace with auth",
      "CONNECT with an auth object; the server replies with CONNECT {sid} and the 'auth' event in one payload, then acks and closes.");
    const sid = await pollingHandshake(rec, { Origin: ORIGIN });
    await post(rec, sid, "40{\"token\":\"abc\"}");
    await poll(rec, sid);
    await post(rec, sid, "421[\"echo\",\"x\",1]");
    await poll(rec, sid);
    await post(rec, sid, "42[\"echo\",\"no ack\"]");
    await poll(rec, sid);
    await post(rec, sid, "1");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect main namespace without auth", "CONNECT with no payload: handshake.auth is {}.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling binary in both directions",
      "Binary packets over long-polling are base64 'b' packets inside the text payload.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40");
    await poll(rec, sid);
    await post(rec, sid, "42[\"send-binary\"]");
    await poll(rec, sid);
    await post(rec, sid, "451-2[\"echo\",{\"_placeholder\":true,\"num\":0}]\x1ebAQID");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect custom namespace", "CONNECT to /custom with auth; reply and 'auth' event in the namespace.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40/custom,{\"k\":\"v\"}");
    await poll(rec, sid);
    await post(rec, sid, "41/custom,");
    await post(rec, sid, "1");
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect two namespaces in one POST", "Two CONNECT packets in one payload.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40\x1e40/custom,");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect invalid namespace", "CONNECT to a namespace that does not exist: CONNECT_ERROR 'Invalid namespace'.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40/nope,");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect refused by middleware", "Namespace middleware calls next(err) with err.data = {code:'E1'}.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40/refused,{\"token\":\"abc\"}");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect namespace with query string (v2 style)",
      "A v2 client puts the query in the namespace; a v4 server treats the whole string as the namespace name.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40/custom?foo=bar,");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling heartbeat and ping timeout",
      "The server pings every pingInterval; a pong keeps the session; no pong within pingTimeout closes it.");
    const sid = await pollingHandshake(rec);
    await rec.http({ method: "GET", path: pollingPath(sid) }); // held until the first ping
    await post(rec, sid, "3");
    await rec.http({ method: "GET", path: pollingPath(sid) }); // held until the second ping
    await rec.wait(700, "no pong sent: pingTimeout expires");
    await rec.http({ method: "GET", path: pollingPath(sid) });
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling connect timeout", "No socket.io CONNECT within connectTimeout: the server closes the session.");
    const sid = await pollingHandshake(rec);
    await rec.http({ method: "GET", path: pollingPath(sid) }); // ping 1
    await post(rec, sid, "3");
    await rec.http({ method: "GET", path: pollingPath(sid) }); // ping 2
    await post(rec, sid, "3");
    await rec.http({ method: "GET", path: pollingPath(sid) }); // ping 3
    await post(rec, sid, "3");
    await rec.http({ method: "GET", path: pollingPath(sid) }); // close at connectTimeout
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling invalid socket.io packet closes the session", "A packet the socket.io Decoder rejects makes the server close the connection.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40");
    await poll(rec, sid);
    await post(rec, sid, "42{}");
    await poll(rec, sid);
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling invalid engine.io packet closes the session", "An engine.io parse error closes the session.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "9");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling client ping is rejected", "In protocol 4 only the server pings; a client ping closes the session.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "2");
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling binary content type rejected", "EIO=4 POST bodies must be text; application/octet-stream is refused and the session closed.");
    const sid = await pollingHandshake(rec);
    await rec.http({ method: "POST", path: pollingPath(sid), headers: { "Content-Type": "application/octet-stream" }, body: Buffer.from([4, 1, 2]) });
    await poll(rec, sid);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling PUT with valid sid", "Methods other than GET/POST on an existing session get an empty 500.");
    const sid = await pollingHandshake(rec);
    await rec.http({ method: "PUT", path: pollingPath(sid), headers: POST_HEADERS, body: "40" });
    await post(rec, sid, "1");
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling overlapping GET", "A second GET while one is pending is an error: 400 for it, close packet for the pending one.");
    const sid = await pollingHandshake(rec);
    const pending = rec.start({ method: "GET", path: pollingPath(sid) });
    await sleep(SETTLE_MS);
    await rec.http({ method: "GET", path: pollingPath(sid) });
    await rec.finish(pending);
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling POST above maxHttpBufferSize", "A POST body larger than maxHttpBufferSize (1e6 bytes) gets 413.");
    const sid = await pollingHandshake(rec);
    const body = "4" + "a".repeat(1e6);
    const res = await rawHttp(port, { method: "POST", path: pollingPath(sid), headers: POST_HEADERS, body });
    rec.steps.push({
      http: {
        request: { method: "POST", path: pollingPath(sid), headers: POST_HEADERS, bodyDescription: "\"4\" followed by 1000000 'a' (1000001 bytes)" },
        response: { status: res.status, headers: recordHeaders(res.headers), body: bodyToFixture(res.body) },
      },
    });
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "polling POST with transport mismatch", "After an upgrade to websocket, polling requests for the sid are refused.");
    const sid = await pollingHandshake(rec);
    const ws = await rec.wsOpen(`${EIO}&transport=websocket&sid=${sid}`, { autoPong: true });
    ws.send("2probe");
    await ws.recv();
    ws.send("5");
    await sleep(SETTLE_MS);
    await rec.http({ method: "GET", path: pollingPath(sid) });
    await rec.http({ method: "POST", path: pollingPath(sid), headers: POST_HEADERS, body: "40" });
    await ws.clientClose();
    return rec;
  },
];

const websocketCases = [
  async (port) => {
    const rec = new CaseRecorder(port, "websocket session with events, acks and binary",
      "Direct WebSocket connection (no polling). Server pings are answered automatically and not recorded.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv(); // open
    ws.send("40{\"token\":\"abc\"}");
    await ws.recv();
    await ws.recv();
    ws.send("421[\"echo\",\"x\",1]");
    await ws.recv();
    ws.send("42[\"echo\",\"é🚀\",{\"a\":[1,null]}]");
    await ws.recv();
    ws.send("42[\"send-binary\"]");
    await ws.recv();
    await ws.recv();
    await ws.recv();
    ws.send("452-2[\"echo\",{\"_placeholder\":true,\"num\":0},{\"x\":{\"_placeholder\":true,\"num\":1}}]");
    ws.send({ $binary: "AQID" });
    ws.send({ $binary: "" });
    await ws.recv();
    await ws.recv();
    await ws.recv();
    ws.send("40/custom,");
    await ws.recv();
    await ws.recv();
    ws.send("42/custom,[\"echo\",\"in custom\"]");
    await ws.recv();
    ws.send("41/custom,");
    ws.send("1");
    await rec.wait(100, "over WebSocket the server ignores an engine.io close packet");
    ws.send("421[\"echo\",\"still open\"]");
    await ws.recv();
    ws.send("41");
    await rec.wait(100, "no namespace left: the server still keeps the engine.io connection open");
    ws.send("40");
    await ws.recv();
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket connect invalid namespace and refused namespace", "CONNECT_ERROR frames over WebSocket.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("40/nope,");
    await ws.recv();
    ws.send("40/refused,");
    await ws.recv();
    ws.send("40/custom?foo=bar,");
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket heartbeat and ping timeout", "Pings recorded: one pong answered, the next one not, so the server closes.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`);
    await ws.recv();
    ws.send("40");
    await ws.recv();
    await ws.recv();
    await ws.recv(); // ping
    ws.send("3");
    await ws.recv(); // ping
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket connect timeout", "No socket.io CONNECT within connectTimeout (pings answered automatically).");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket invalid socket.io packet closes the connection", "Engine frame 42{} is socket.io '2{}', which the Decoder rejects.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("40");
    await ws.recv();
    await ws.recv();
    ws.send("42{}");
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket reserved event name closes the connection", "An EVENT named 'disconnect' is rejected by the Decoder.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("40");
    await ws.recv();
    await ws.recv();
    ws.send("42[\"disconnect\"]");
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket invalid engine.io packet closes the connection", "Unknown engine.io packet type 9.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("9");
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket client ping is rejected", "In protocol 4 a client ping is an error.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("2");
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket frame above maxHttpBufferSize", "A 1000001-byte frame exceeds maxPayload; ws closes with 1009.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("4" + "a".repeat(1e6), { record: false });
    rec.steps.push({ wsSend: { description: "text frame: \"4\" followed by 1000000 'a' (1000001 bytes)" } });
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "websocket binary frame before any text", "A binary frame is an engine.io message; socket.io rejects binary when not reconstructing.");
    const ws = await rec.wsOpen(`${EIO}&transport=websocket`, { autoPong: true });
    await ws.recv();
    ws.send("40");
    await ws.recv();
    await ws.recv();
    ws.send({ $binary: "AQID" });
    await ws.closed();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "upgrade from polling to websocket",
      "Handshake over polling, pending GET, probe over WebSocket, noop flushes the GET, upgrade, then socket.io over WebSocket.");
    const sid = await pollingHandshake(rec);
    const pending = rec.start({ method: "GET", path: pollingPath(sid) });
    await sleep(SETTLE_MS);
    const ws = await rec.wsOpen(`${EIO}&transport=websocket&sid=${sid}`, { autoPong: true });
    ws.send("2probe");
    await ws.recv();
    await rec.finish(pending);
    ws.send("5");
    ws.send("40");
    await ws.recv();
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  async (port) => {
    const rec = new CaseRecorder(port, "upgrade with socket.io packets buffered during the upgrade",
      "CONNECT sent over polling before the probe; the reply is waiting in the buffer.");
    const sid = await pollingHandshake(rec);
    await post(rec, sid, "40");
    await poll(rec, sid);
    const pending = rec.start({ method: "GET", path: pollingPath(sid) });
    await sleep(SETTLE_MS);
    const ws = await rec.wsOpen(`${EIO}&transport=websocket&sid=${sid}`, { autoPong: true });
    ws.send("2probe");
    await ws.recv();
    await rec.finish(pending);
    ws.send("5");
    ws.send("421[\"echo\",\"after upgrade\"]");
    await ws.recv();
    await ws.clientClose();
    return rec;
  },
  ...[
    ["websocket upgrade with unknown sid", "Refused before the upgrade: raw HTTP 400 text/html written on the socket.", `${EIO}&transport=websocket&sid=doesnotexist`],
    ["websocket upgrade with unknown transport", "Refused before the upgrade.", `${EIO}&transport=flash`],
    ["websocket upgrade with EIO=3", "The version is checked after the WebSocket upgrade completed: 101, then a raw HTTP 400 text is written into the upgraded socket and it is destroyed.", "/socket.io/?EIO=3&transport=websocket"],
    ["websocket upgrade with missing EIO", "Same as EIO=3: 101 first, then raw HTTP 400 text.", "/socket.io/?transport=websocket"],
  ].map(([name, description, path]) => async (port) => {
    const rec = new CaseRecorder(port, name, description);
    await rec.rawUpgrade(path);
    return rec;
  }),
];

const ENGINE_TYPE_DIGITS = { open: "0", close: "1", ping: "2", pong: "3", message: "4", upgrade: "5", noop: "6" };

/** The WebSocket frame an engine.io packet travels as. */
function engineFrame(packet) {
  if (packet.data !== undefined && typeof packet.data !== "string") return toFixture(packet.data);
  return ENGINE_TYPE_DIGITS[packet.type] + (packet.data ?? "");
}

// socket.io-client drives a session; we record what the server's engine.io
// socket sends and receives (packet events), ping/pong excluded.
async function runClientCase(io, port) {
  const rec = new CaseRecorder(port, "socket.io-client session (server-side view)",
    "Real socket.io-client 4.8 over WebSocket only: frames as the server's engine.io socket saw them (c2s = client to server). Ping/pong omitted; the open packet is sent before the server's connection event, so it is not listed.");
  const frames = [];
  const onConn = (conn) => {
    conn.on("packet", (p) => {
      if (p.type !== "ping" && p.type !== "pong") frames.push({ c2s: engineFrame(p) });
    });
    conn.on("packetCreate", (p) => {
      if (p.type !== "ping" && p.type !== "pong") frames.push({ s2c: engineFrame(p) });
    });
    conn.on("close", (reason) => frames.push({ closed: reason }));
  };
  io.engine.on("connection", onConn);
  const url = `http://127.0.0.1:${port}`;
  const socket = ioClient(url, { transports: ["websocket"], auth: { token: "abc" }, reconnection: false, forceNew: true });
  try {
    const auth = await withTimeout(new Promise((r) => socket.once("auth", r)), RECV_TIMEOUT_MS, "client auth event");
    if (auth.token !== "abc") throw new Error("client case: unexpected auth echo");
    await withTimeout(socket.emitWithAck("echo", "x", Buffer.from([1, 2, 3])), RECV_TIMEOUT_MS, "client ack");
    // Same Manager, so /custom is multiplexed on the same engine.io connection.
    // Manager#socket() connects it right away (autoConnect).
    const custom = socket.io.socket("/custom", { auth: { k: "v" } });
    await withTimeout(new Promise((r) => custom.once("auth", r)), RECV_TIMEOUT_MS, "client custom auth");
    custom.disconnect();
    await sleep(SETTLE_MS);
    socket.disconnect();
    await withTimeout(
      (async () => {
        while (!frames.some((f) => f.closed)) await sleep(10);
      })(),
      RECV_TIMEOUT_MS,
      "server-side close",
    );
  } finally {
    io.engine.off("connection", onConn);
    socket.close();
  }
  rec.steps.push(...frames);
  return rec;
}

// ---------------------------------------------------------------------------
export async function captureServerResponses() {
  const ids = { engine: new Set(), socket: new Set() };
  const { io, port } = await startServer(ids);
  const results = [];
  try {
    for (const run of [...singleRequestCases(), ...pollingCases, ...websocketCases]) {
      const rec = await run(port);
      await rec.cleanup();
      results.push(rec.toJSON());
    }
    results.push((await runClientCase(io, port)).toJSON());
  } finally {
    io.close();
    io.disconnectSockets(true);
  }
  return normalise(results, ids);
}

/** Replaces every random id the server handed out by a placeholder. */
export function normalise(results, ids) {
  let text = JSON.stringify(results);
  for (const id of ids.engine) text = text.split(id).join("<sid>");
  for (const id of ids.socket) text = text.split(id).join("<socket-id>");
  return JSON.parse(text);
}
