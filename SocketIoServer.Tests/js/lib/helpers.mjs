// Shared helpers for the interop tests: the server URLs, the parsers and transport modes, connecting with cleanup,
// waiting for events with a deadline. Kept outside test/ so that `node --test test/` does not run it as a test.
import { io, Manager } from "socket.io-client";
import msgpackParser from "socket.io-msgpack-parser";

export const SERVER_URL = (process.env.SERVER_URL ?? "http://localhost:3210").replace(/\/+$/, "");

/** The URL of the port `offset` places after SERVER_URL's, where the interop server runs a variant of the app. */
function nextPort(offset) {
  const url = new URL(SERVER_URL);
  url.port = String(Number(url.port || 80) + offset);
  return url.origin;
}

/**
 * The packet formats: socket.io-parser (JSON, the default) against the interop server at SERVER_URL, and
 * socket.io-msgpack-parser against the same app with the msgpack parser, one port up (MSGPACK_SERVER_URL
 * overrides it). `PARSERS=default` (or `msgpack`) runs the suites for one of them only.
 */
export const PARSERS = [
  { name: "default", url: SERVER_URL, options: {} },
  {
    name: "msgpack",
    url: (process.env.MSGPACK_SERVER_URL ?? nextPort(1)).replace(/\/+$/, ""),
    options: { parser: msgpackParser },
  },
].filter((parser) => !process.env.PARSERS || process.env.PARSERS.split(",").includes(parser.name));

/** Per-test timeout: a hang fails fast instead of stalling the run. */
export const TEST_TIMEOUT = 10_000;

/** How long a single wait for an event or acknowledgement may take before the test fails. */
export const WAIT_TIMEOUT = 4_000;

/**
 * The three ways a client can reach the server: long-polling only, WebSocket only, and the default
 * (polling first, then the upgrade to WebSocket, which `connect` waits for and checks).
 */
const TRANSPORTS = [
  { name: "polling", transports: ["polling"], expectedTransport: "polling" },
  { name: "websocket", transports: ["websocket"], expectedTransport: "websocket" },
  { name: "default (upgrade)", transports: undefined, expectedTransport: "websocket", upgrade: true },
];

/**
 * Every suite runs once per mode: each transport with each parser. `mode.url` is the server of the mode's parser,
 * `mode.parser` its name; the default parser's modes keep the transport's name.
 */
export const MODES = PARSERS.flatMap((parser) =>
  TRANSPORTS.map((transport) => ({
    ...transport,
    name: parser.name === "default" ? transport.name : `${transport.name}, ${parser.name}`,
    parser: parser.name,
    parserOptions: parser.options,
    url: parser.url,
  })),
);

/** Client options for a mode: its parser, a fresh Manager per client, no reconnection (a drop must stay visible). */
export function clientOptions(mode, extra = {}) {
  const options = { forceNew: true, reconnection: false, timeout: WAIT_TIMEOUT, ...mode.parserOptions, ...extra };
  if (mode.transports) options.transports = mode.transports;
  return options;
}

/**
 * The arguments a client in `mode` gets back when the server returns `args` exactly as it received them. With
 * msgpack that is what notepack itself makes of them (encoded, then decoded), as with a Node.js server: a typed
 * array view travels as its whole underlying buffer, and whole numbers of 2^64 and beyond wrap around.
 */
export function echoed(mode, args) {
  if (mode.parser !== "msgpack") return args;
  const [message] = new msgpackParser.Encoder().encode({ type: 2, data: args, nsp: "/" });
  let decoded;
  const decoder = new msgpackParser.Decoder();
  decoder.on("decoded", (packet) => (decoded = packet));
  decoder.add(message);
  return decoded.data;
}

/**
 * Tracks the sockets and managers a test opens and closes them all at the end, whatever the outcome.
 * Use `const t = tracker(); after(...)` or call `t.closeAll()` in a finally/afterEach.
 */
export class Tracker {
  sockets = new Set();
  managers = new Set();

  add(socket) {
    this.sockets.add(socket);
    this.managers.add(socket.io);
    return socket;
  }

  addManager(manager) {
    this.managers.add(manager);
    return manager;
  }

  closeAll() {
    for (const socket of this.sockets) {
      try {
        socket.disconnect();
      } catch {
        // already gone
      }
    }
    for (const manager of this.managers) {
      try {
        manager._close();
      } catch {
        // already gone
      }
    }
    this.sockets.clear();
    this.managers.clear();
  }
}

/** Resolves with the event's arguments (as an array) the next time it fires; rejects after `ms`. */
export function waitFor(emitter, event, ms = WAIT_TIMEOUT) {
  const promise = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    timer.unref(); // a pending wait never keeps the test process alive
    const handler = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, handler);
  });
  // Whoever awaits the promise still gets the rejection; a wait abandoned because the test already failed
  // must not surface later as an unhandled rejection attributed to another test.
  promise.catch(() => {});
  return promise;
}

/** Collects every emission of `event` on `socket` into an array of argument arrays. */
export function collect(socket, event) {
  const received = [];
  socket.on(event, (...args) => received.push(args));
  return received;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a value other than null/undefined, or fails after `ms`. */
export async function eventually(fn, ms = WAIT_TIMEOUT, what = "condition") {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Waits until the default mode's client has really upgraded: resolves once the engine's transport is a
 * WebSocket (immediately when it already is, otherwise on the engine's "upgrade" event).
 */
export function waitForUpgrade(socket, ms = WAIT_TIMEOUT) {
  const engine = socket.io.engine;
  if (engine.transport?.name === "websocket") return Promise.resolve("websocket");
  return waitFor(engine, "upgrade", ms).then(([transport]) => transport.name);
}

/**
 * Opens a client on `nsp` in `mode`, waits for "connect" (and, in the default mode, for the upgrade), and
 * registers it with `tracker`. Rejects with the connect_error when the server refuses.
 * `beforeConnect(socket)` runs synchronously after creation, to register listeners before anything arrives.
 */
export async function connect(tracker, mode, nsp = "/", extra = {}, beforeConnect) {
  const { manager, ...options } = extra;
  const socket = manager ? manager.socket(nsp, options) : io(mode.url + nsp, clientOptions(mode, options));
  // manager.socket() connects on its own (autoConnect); calling connect() again would send a second CONNECT.
  tracker.add(socket);
  // In the default mode the engine exists as soon as the Manager opens; listen before the probe can finish.
  const upgraded = mode.upgrade ? waitForUpgrade(socket) : null;
  upgraded?.catch(() => {}); // awaited below; never an unhandled rejection when connecting fails first
  beforeConnect?.(socket);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connect to ${nsp} timed out`)), WAIT_TIMEOUT);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  if (upgraded) {
    const name = await upgraded;
    if (name !== "websocket" || socket.io.engine.transport.name !== "websocket")
      throw new Error(`expected an upgrade to websocket, transport is ${socket.io.engine.transport.name}`);
  }
  return socket;
}

/** Opens a client expected to be refused and resolves with its connect_error. */
export async function connectError(tracker, mode, nsp, extra = {}) {
  const socket = io(mode.url + nsp, clientOptions(mode, extra));
  tracker.add(socket);
  const err = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect_error from ${nsp}`)), WAIT_TIMEOUT);
    socket.once("connect_error", (e) => {
      clearTimeout(timer);
      resolve(e);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      reject(new Error(`expected ${nsp} to be refused, but the socket connected`));
    });
  });
  return { socket, err };
}

/** emitWithAck with a client-side timeout, so a missing ack fails instead of hanging. */
export function ask(socket, event, ...args) {
  return socket.timeout(WAIT_TIMEOUT).emitWithAck(event, ...args);
}

/** Like `ask`, but resolves with every argument of the acknowledgement (emitWithAck keeps only the first). */
export function askAll(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(WAIT_TIMEOUT).emit(event, ...args, (err, ...response) => (err ? reject(err) : resolve(response)));
  });
}

/** The array an event acknowledges with (get-rooms, join, fetch-sockets), as a Node.js app's callback(array). */
export async function askList(socket, event, ...args) {
  const response = await askAll(socket, event, ...args);
  // one acknowledgement argument holding the array, as Node's callback(array)
  if (response.length !== 1 || !Array.isArray(response[0])) {
    throw new Error(`${event}: expected one array argument, got ${JSON.stringify(response)}`);
  }
  return response[0];
}

/** A short random suffix that keeps rooms and event names of concurrent tests apart. */
export function uid(prefix = "") {
  return prefix + Math.random().toString(36).slice(2, 10);
}

/** A Buffer view of any binary value (Buffer, Uint8Array, ArrayBuffer), for comparisons. */
export function toBuffer(value) {
  if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value));
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`not binary: ${Object.prototype.toString.call(value)}`);
}

/** The disconnect reason the server recorded for `socketId`, asked through another connected client. */
export function serverDisconnectReason(observer, socketId, ms = WAIT_TIMEOUT) {
  return eventually(() => ask(observer, "get-disconnect-reason", socketId), ms, `the server's reason for ${socketId}`);
}

export { io, Manager, msgpackParser };
