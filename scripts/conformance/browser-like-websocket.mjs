// A WebSocket for Node.js that delivers events the way a browser does.
//
// Why: the official protocol test suites register their listeners with
// `addEventListener(type, fn, { once: true })` *after* an `await`. A browser
// dispatches every WebSocket event (open / message / error / close) as its own
// task, so the promise continuations (microtasks) triggered by one event run
// before the next event is dispatched. The `ws` package instead emits all the
// messages contained in one TCP read synchronously, one after the other, so a
// listener registered in a microtask after the first message misses the
// second one. This class wraps `ws` and re-dispatches each incoming event as
// its own "task", in arrival order (see queueTask below).
//
// Implemented surface (what the suites and typical browser code use):
//   new WebSocket(url, protocols?)        url may be ws:, wss:, http:, https:
//   readyState, url, protocol, extensions, bufferedAmount, binaryType
//   addEventListener / removeEventListener / dispatchEvent ({ once } etc. come
//   from Node's EventTarget), onopen / onmessage / onerror / onclose
//   send(string | ArrayBuffer | ArrayBufferView | Blob), close(code?, reason?)
//   on(type, listener): Node-only alias of addEventListener, because the suites
//   call `socket.on("error", ...)` when they detect Node.js.

import { WebSocket as WsWebSocket } from "ws";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export class CloseEvent extends Event {
  #code;
  #reason;
  #wasClean;

  constructor(type, init = {}) {
    super(type, init);
    this.#code = init.code ?? 0;
    this.#reason = init.reason ?? "";
    this.#wasClean = init.wasClean ?? false;
  }

  get code() {
    return this.#code;
  }

  get reason() {
    return this.#reason;
  }

  get wasClean() {
    return this.#wasClean;
  }
}

function toWebSocketUrl(input) {
  let url;
  try {
    url = new URL(String(input));
  } catch {
    throw new DOMException(`Failed to construct 'WebSocket': The URL '${input}' is invalid.`, "SyntaxError");
  }
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new DOMException(
      `Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${url.protocol}' is not allowed.`,
      "SyntaxError"
    );
  }
  if (url.hash) {
    throw new DOMException("Failed to construct 'WebSocket': The URL contains a fragment identifier.", "SyntaxError");
  }
  return url;
}

function byteLength(data) {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof Blob) return data.size;
  return data.byteLength ?? 0;
}

// Task queue shared by all sockets (a browser keeps networking tasks in
// arrival order across sockets too).
//
// Each queued event is dispatched only once the microtask queue is empty, and
// the next one only after the microtasks caused by the previous dispatch have
// all run: that is the task boundary the suites rely on. The pump hops through
// a microtask into process.nextTick: Node runs a nextTick callback queued from
// a microtask only after it has drained the whole microtask queue, and before
// it goes back to the event loop.
//
// setImmediate (or setTimeout 0) would also separate the events, but it would
// delay them behind the other I/O read in the same event-loop turn: a fetch()
// response read just after a WebSocket frame would then be seen first, which a
// browser never does (it runs tasks in arrival order). The engine.io suite's
// "ignores HTTP requests with same sid after upgrade" depends on this: the
// "3probe" frame must arrive (and be dropped, nobody listens yet) before the
// poll response that precedes the echoed "4hello".
const taskQueue = [];
let pumpScheduled = false;

function queueTask(fn) {
  taskQueue.push(fn);
  if (!pumpScheduled) schedulePump();
}

function schedulePump() {
  pumpScheduled = true;
  queueMicrotask(() => process.nextTick(runOneTask));
}

function runOneTask() {
  const fn = taskQueue.shift();
  try {
    fn();
  } finally {
    if (taskQueue.length > 0) schedulePump();
    else pumpScheduled = false;
  }
}

export class BrowserLikeWebSocket extends EventTarget {
  static CONNECTING = CONNECTING;
  static OPEN = OPEN;
  static CLOSING = CLOSING;
  static CLOSED = CLOSED;

  #ws;
  #url;
  #readyState = CONNECTING;
  #binaryType = "blob";
  #protocol = "";
  #extensions = "";
  #bufferedAmount = 0;
  #handlers = new Map(); // event-handler attributes (onopen, ...): type -> slot
  #sendQueue = null; // non-null while a Blob is being read, keeps send order

  constructor(url, protocols = []) {
    super();
    const target = toWebSocketUrl(url);
    this.#url = target.href;
    const list = typeof protocols === "string" ? [protocols] : Array.from(protocols ?? []);

    const ws = new WsWebSocket(this.#url, list);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;

    ws.on("open", () => {
      this.#queueTask(() => {
        if (this.#readyState !== CONNECTING) return;
        this.#readyState = OPEN;
        this.#protocol = ws.protocol ?? "";
        this.#extensions = ws.extensions ?? "";
        this.dispatchEvent(new Event("open"));
      });
    });

    ws.on("message", (data, isBinary) => {
      this.#queueTask(() => {
        // A browser only delivers messages while the socket is OPEN.
        if (this.#readyState !== OPEN) return;
        let payload;
        if (!isBinary) {
          payload = Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
        } else {
          // binaryType is read when the event is dispatched, as in the HTML spec.
          const ab = data instanceof ArrayBuffer ? data : toArrayBuffer(data);
          payload = this.#binaryType === "arraybuffer" ? ab : new Blob([ab]);
        }
        this.dispatchEvent(new MessageEvent("message", { data: payload, origin: new URL(this.#url).origin }));
      });
    });

    ws.on("error", (err) => {
      this.#queueTask(() => {
        const event = new Event("error");
        // Not part of the browser API; handy when debugging a failing test.
        Object.defineProperty(event, "cause", { value: err, enumerable: false });
        this.dispatchEvent(event);
      });
    });

    ws.on("close", (code, reason) => {
      this.#queueTask(() => {
        this.#readyState = CLOSED;
        this.dispatchEvent(
          new CloseEvent("close", {
            code,
            reason: Buffer.isBuffer(reason) ? reason.toString("utf8") : String(reason ?? ""),
            wasClean: code !== 1006,
          })
        );
      });
    });
  }

  #queueTask(fn) {
    queueTask(fn);
  }

  get CONNECTING() {
    return CONNECTING;
  }
  get OPEN() {
    return OPEN;
  }
  get CLOSING() {
    return CLOSING;
  }
  get CLOSED() {
    return CLOSED;
  }

  get url() {
    return this.#url;
  }
  get readyState() {
    return this.#readyState;
  }
  get protocol() {
    return this.#protocol;
  }
  get extensions() {
    return this.#extensions;
  }
  get bufferedAmount() {
    return this.#bufferedAmount + (this.#ws.bufferedAmount ?? 0);
  }

  get binaryType() {
    return this.#binaryType;
  }
  set binaryType(value) {
    // Browsers ignore invalid values.
    if (value === "blob" || value === "arraybuffer") this.#binaryType = value;
  }

  send(data) {
    if (this.#readyState === CONNECTING) {
      throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", "InvalidStateError");
    }
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data) && !(data instanceof Blob)) {
      data = String(data);
    }
    if (this.#readyState !== OPEN || this.#ws.readyState !== WsWebSocket.OPEN) {
      // After closing has started, a browser silently discards the data.
      this.#bufferedAmount += byteLength(data);
      return;
    }
    if (data instanceof Blob || this.#sendQueue) {
      this.#enqueueSend(data);
      return;
    }
    this.#sendNow(data);
  }

  #sendNow(data) {
    if (this.#ws.readyState !== WsWebSocket.OPEN) return;
    if (typeof data === "string") {
      this.#ws.send(data);
    } else if (data instanceof ArrayBuffer) {
      this.#ws.send(Buffer.from(data), { binary: true });
    } else {
      this.#ws.send(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { binary: true });
    }
  }

  #enqueueSend(data) {
    const previous = this.#sendQueue ?? Promise.resolve();
    const next = previous.then(async () => {
      this.#sendNow(data instanceof Blob ? await data.arrayBuffer() : data);
    });
    this.#sendQueue = next;
    next.finally(() => {
      if (this.#sendQueue === next) this.#sendQueue = null;
    });
  }

  close(code, reason) {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new DOMException(
        `Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
        "InvalidAccessError"
      );
    }
    if (reason !== undefined && Buffer.byteLength(String(reason)) > 123) {
      throw new DOMException("Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.", "SyntaxError");
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    this.#readyState = CLOSING;
    // During CONNECTING `ws` aborts the handshake and emits error + close,
    // which is what a browser does too ("fail the WebSocket connection").
    this.#ws.close(code, reason === undefined ? undefined : String(reason));
  }

  // Event-handler attributes. The wrapper listener is added on the first
  // assignment and keeps that position among the listeners, as in a browser.
  #getHandler(type) {
    return this.#handlers.get(type)?.fn ?? null;
  }
  #setHandler(type, fn) {
    let slot = this.#handlers.get(type);
    if (!slot) {
      slot = { fn: null };
      slot.listener = (event) => slot.fn?.call(this, event);
      this.#handlers.set(type, slot);
      this.addEventListener(type, slot.listener);
    }
    slot.fn = typeof fn === "function" ? fn : null;
  }
  get onopen() {
    return this.#getHandler("open");
  }
  set onopen(fn) {
    this.#setHandler("open", fn);
  }
  get onmessage() {
    return this.#getHandler("message");
  }
  set onmessage(fn) {
    this.#setHandler("message", fn);
  }
  get onerror() {
    return this.#getHandler("error");
  }
  set onerror(fn) {
    this.#setHandler("error", fn);
  }
  get onclose() {
    return this.#getHandler("close");
  }
  set onclose(fn) {
    this.#setHandler("close", fn);
  }

  // Node-only alias used by the suites (`if (isNodejs) socket.on("error", ...)`).
  on(type, listener) {
    this.addEventListener(type, listener);
    return this;
  }
}

function toArrayBuffer(view) {
  const buf = Buffer.isBuffer(view) ? view : Buffer.from(view);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

export default BrowserLikeWebSocket;
