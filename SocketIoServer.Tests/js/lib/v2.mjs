// Helpers for the socket.io-client 2.x tests (Engine.IO v3, Socket.IO protocol revision 4): the interop server for v3
// clients (AllowEIO3 on) listens at SERVER_URL's port + 2. 2.x has no emitWithAck or timeout(), connects to "/"
// without a CONNECT packet, and reports a namespace refusal as its "error" event.
import { createRequire } from "node:module";
import { SERVER_URL, WAIT_TIMEOUT } from "./helpers.mjs";

const require = createRequire(import.meta.url);
/** The npm socket.io-client 2.5.0 (installed under the alias socket.io-client-v2; CommonJS). */
export const ioV2 = require("socket.io-client-v2");

/** The interop server for v3 clients: same host as SERVER_URL, port + 2. */
export const V3_URL = (() => {
  const url = new URL(SERVER_URL);
  url.port = String(Number(url.port || 80) + 2);
  return url.origin;
})();

/** The three ways a 2.x client reaches the server. */
export const V2_MODES = [
  { name: "polling", transports: ["polling"], expectedTransport: "polling" },
  { name: "websocket", transports: ["websocket"], expectedTransport: "websocket" },
  { name: "default (upgrade)", transports: undefined, expectedTransport: "websocket", upgrade: true },
];

/** Client options for a mode: a new Manager per client, no reconnection (a drop must stay visible). */
export function optionsV2(mode, extra = {}) {
  const options = { forceNew: true, reconnection: false, timeout: WAIT_TIMEOUT, ...extra };
  if (mode.transports) options.transports = mode.transports;
  return options;
}

/** Tracks the 2.x sockets a test opens and closes them all at the end. */
export class TrackerV2 {
  sockets = new Set();

  add(socket) {
    this.sockets.add(socket);
    return socket;
  }

  closeAll() {
    for (const socket of this.sockets) {
      try {
        socket.close();
        socket.io.close();
      } catch {
        // already gone
      }
    }
    this.sockets.clear();
  }
}

/** Resolves once the 2.x engine runs over WebSocket (at once when it already does). */
function upgradedV2(socket, ms = WAIT_TIMEOUT) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no upgrade to websocket")), ms);
    timer.unref();
    const check = () => {
      const engine = socket.io.engine;
      if (engine?.transport?.name === "websocket") {
        clearTimeout(timer);
        resolve("websocket");
        return true;
      }
      return false;
    };
    if (check()) return;
    const wait = () => {
      if (!check()) setTimeout(wait, 20).unref();
    };
    wait();
  });
}

/**
 * Opens a 2.x client on `nsp` (a path, optionally with "?query") and waits for "connect" (and, in the default
 * mode, for the upgrade). Rejects with the connect_error or the namespace's error. `beforeConnect(socket)` runs
 * right after creation, to register listeners before anything arrives.
 */
export async function connectV2(tracker, mode, nsp = "/", extra = {}, beforeConnect) {
  const socket = tracker.add(ioV2(V3_URL + nsp, optionsV2(mode, extra)));
  beforeConnect?.(socket);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connect to ${nsp} timed out`)), WAIT_TIMEOUT);
    const fail = (err) => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
    };
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", fail);
    socket.once("error", fail);
  });
  if (mode.upgrade) await upgradedV2(socket);
  return socket;
}

/** An emit whose acknowledgement arrives as an array of its arguments; rejects after WAIT_TIMEOUT. */
export function askV2(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no acknowledgement for "${event}"`)), WAIT_TIMEOUT);
    socket.emit(event, ...args, (...response) => {
      clearTimeout(timer);
      resolve(response);
    });
  });
}
