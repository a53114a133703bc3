// socket.io-msgpack-parser fixtures: packets as the Node.js server and the
// socket.io-client build them, encoded by the real Encoder (notepack.io), and
// what the real Decoder makes of them and of hand-made or broken messages.
import msgpackParser from "socket.io-msgpack-parser";
import { bytes } from "./fixture-json.mjs";

const { Encoder, Decoder } = msgpackParser;

const CONNECT = 0;
const DISCONNECT = 1;
const EVENT = 2;
const ACK = 3;
const CONNECT_ERROR = 4;

const MAX_SAFE = 9007199254740991;
const SID = "oSO0OpakMV_3jnilAAAA";
const PID = "y9bnv8sRBqJyhD1JAAAB";

// ---------------------------------------------------------------------------
// The fixture form of msgpack-decoded values: JSON plus markers for what JSON
// lacks. Binary {"$binary": b64} (a Buffer) or {"$arraybuffer": b64};
// {"$undefined": true}; {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"};
// {"$date": ms} (ms may be the string "NaN").
// ---------------------------------------------------------------------------
const UNDEFINED = { $undefined: true };

function toFixture(value) {
  if (value === undefined) return UNDEFINED;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { $number: "NaN" };
    if (value === Infinity) return { $number: "Infinity" };
    if (value === -Infinity) return { $number: "-Infinity" };
    if (Object.is(value, -0)) return { $number: "-0" };
    return value;
  }
  if (Buffer.isBuffer(value)) return { $binary: value.toString("base64") };
  if (value instanceof ArrayBuffer) return { $arraybuffer: Buffer.from(value).toString("base64") };
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isNaN(time) ? "NaN" : time };
  }
  if (Array.isArray(value)) return value.map(toFixture);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) define(out, key, toFixture(value[key]));
    return out;
  }
  return value;
}

function fromFixture(value) {
  if (Array.isArray(value)) return value.map(fromFixture);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const v = value[key];
    if (key === "$undefined") return undefined;
    if (key === "$binary") return Buffer.from(v, "base64");
    if (key === "$arraybuffer") return new Uint8Array(Buffer.from(v, "base64")).buffer;
    if (key === "$number") return v === "-0" ? -0 : Number(v);
    if (key === "$date") return new Date(v === "NaN" ? NaN : v);
  }
  const out = {};
  for (const key of keys) define(out, key, fromFixture(value[key]));
  return out;
}

// a plain data property even for "__proto__"
function define(target, key, value) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// Long uniform values are written compactly (the fixture would be megabytes otherwise):
// {"$repeat": [scalar, n]} an array of n copies, {"$repeatString": [text, n]},
// {"$repeatBinary": [byte, n]} a Buffer of n copies of one byte ({"$repeatArrayBuffer"} the same as an ArrayBuffer).
const COMPACT_FROM = 1024;

function compact(value) {
  if (typeof value === "string" && value.length >= COMPACT_FROM && value === value[0].repeat(value.length)) {
    return { $repeatString: [value[0], value.length] };
  }
  if (Array.isArray(value)) {
    const first = value[0];
    if (value.length >= COMPACT_FROM && (first === null || typeof first !== "object") && value.every((v) => v === first)) {
      return { $repeat: [first, value.length] };
    }
    return value.map(compact);
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === "$binary" || keys[0] === "$arraybuffer")) {
      const buffer = Buffer.from(value[keys[0]], "base64");
      if (buffer.length >= COMPACT_FROM && buffer.every((b) => b === buffer[0]))
        return { [keys[0] === "$binary" ? "$repeatBinary" : "$repeatArrayBuffer"]: [buffer[0], buffer.length] };
    }
    const out = {};
    for (const key of keys) define(out, key, compact(value[key]));
    return out;
  }
  return value;
}

function expand(value) {
  if (Array.isArray(value)) return value.map(expand);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0].startsWith("$repeat")) {
    const [v, n] = value[keys[0]];
    if (keys[0] === "$repeat") return Array.from({ length: n }, () => v);
    if (keys[0] === "$repeatString") return v.repeat(n);
    if (keys[0] === "$repeatBinary") return { $binary: Buffer.alloc(n, v).toString("base64") };
  }
  const out = {};
  for (const key of keys) define(out, key, expand(value[key]));
  return out;
}

/**
 * The decoded value as JSON.stringify sees it, binary kept as {"$binary"}: what a JSON client would have sent for
 * the same JavaScript value, and what our decoder produces (a JsonNode holds no undefined, Date, NaN or -0).
 */
function jsonView(value) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const buffer = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $binary: buffer.toString("base64") };
  }
  if (value instanceof Date) return value.toJSON();
  if (typeof value === "number") return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : jsonView(item)));
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) define(out, key, jsonView(value[key]));
    }
    return out;
  }
  return value;
}

/** The packet as the Decoder emitted it, in the fixed order type, nsp, id, data (absent keys omitted). */
function orderedJsonView(packet) {
  const out = { type: packet.type, nsp: packet.nsp };
  if (packet.id !== undefined) out.id = packet.id;
  if (packet.data !== undefined) out.data = packet.data;
  return jsonView(out);
}

function decode(message) {
  const decoder = new Decoder();
  let decoded;
  decoder.on("decoded", (packet) => (decoded = packet));
  decoder.add(message);
  return decoded;
}

const hex = (buffer) => Buffer.from(buffer).toString("hex");
const repeat = (length, make) => Array.from({ length }, (_, i) => make(i));
const bin = (length) => Buffer.from(repeat(length, (i) => (i * 7 + 3) & 0xff));

// ---------------------------------------------------------------------------
// Packets the server sends: [name, serverCall, packet], each packet object
// with its keys in the order socket.io 4.8 builds it (msgpack keeps it):
//   emit                 socket.ts emit()                  {type, data, nsp}
//   emitWithAck          socket.ts emit() with a callback  {type, data, id, nsp}
//   ack                  socket.ts ack()                   {id, type, data, nsp}
//   connect              socket.ts _onconnect()            {type, data: {sid, pid}, nsp}  (pid undefined without recovery)
//   connectError         namespace.ts, middleware error    {type, data: {message, data}, nsp}  (data undefined when err.data is)
//   invalidNamespace     client.ts                         {type, nsp, data: {message: "Invalid namespace"}}
//   disconnect           socket.ts disconnect()            {type, nsp}
// ---------------------------------------------------------------------------
const emit = (nsp, ...data) => ({ type: EVENT, data, nsp });
const emitWithAck = (nsp, id, ...data) => ({ type: EVENT, data, id, nsp });
const ack = (nsp, id, ...data) => ({ id, type: ACK, data, nsp });

const SERVER = [
  ["connect reply", "connect", { type: CONNECT, data: { sid: SID, pid: undefined }, nsp: "/" }],
  ["connect reply with pid (connection state recovery)", "connect", { type: CONNECT, data: { sid: SID, pid: PID }, nsp: "/" }],
  ["connect reply in custom namespace", "connect", { type: CONNECT, data: { sid: SID, pid: undefined }, nsp: "/custom" }],
  ["connect reply in unicode namespace", "connect", { type: CONNECT, data: { sid: SID, pid: undefined }, nsp: "/café-日本-🚀" }],
  ["connect_error from a middleware without data", "connectError", { type: CONNECT_ERROR, data: { message: "not authorized", data: undefined }, nsp: "/refused" }],
  ["connect_error from a middleware with data", "connectError", { type: CONNECT_ERROR, data: { message: "not authorized", data: { code: "E1", n: 1 } }, nsp: "/refused" }],
  ["connect_error for an invalid namespace", "invalidNamespace", { type: CONNECT_ERROR, nsp: "/nope", data: { message: "Invalid namespace" } }],
  ["connect_error for an invalid unicode namespace", "invalidNamespace", { type: CONNECT_ERROR, nsp: "/é", data: { message: "Invalid namespace" } }],
  ["disconnect main namespace", "disconnect", { type: DISCONNECT, nsp: "/" }],
  ["disconnect custom namespace", "disconnect", { type: DISCONNECT, nsp: "/custom" }],

  ["event with only a name", "emit", emit("/", "ping")],
  ["event in custom namespace", "emit", emit("/custom", "hello", { from: "custom" })],
  ["event in unicode namespace", "emit", emit("/café-日本-🚀", "hello")],
  ["event with booleans and null", "emit", emit("/", "flags", true, false, null)],
  ["event with empty string and empty containers", "emit", emit("/", "empty", "", {}, [])],

  // strings: header by UTF-8 length (fixstr < 32 bytes, str8 < 256, str16 < 65536, str32); notepack measures
  // strings up to 32 characters itself and longer ones with Buffer.byteLength
  ...[1, 31, 32, 33, 255, 256, 65536].map((n) => [`event with a ${n}-byte ASCII string`, "emit", emit("/", "s", "x".repeat(n))]),
  ["event with 15 two-byte characters (30 bytes, fixstr)", "emit", emit("/", "s", "é".repeat(15))],
  ["event with 16 two-byte characters (32 bytes, str8)", "emit", emit("/", "s", "é".repeat(16))],
  ["event with 85 three-byte characters (255 bytes, str8)", "emit", emit("/", "s", "€".repeat(85))],
  ["event with 86 three-byte characters (258 bytes, str16)", "emit", emit("/", "s", "€".repeat(86))],
  ["event with 8 emoji (32 bytes, 16 UTF-16 units)", "emit", emit("/", "s", "😀".repeat(8))],
  ["event with 9 emoji (36 bytes, 18 UTF-16 units)", "emit", emit("/", "s", "😀".repeat(9))],
  ["event with mixed unicode", "emit", emit("/", "unicode", "àéîõü ÀÉÎÕÜ ç ñ ß", "日本語 中文 한국어", "🚀👍🏽👨‍👩‍👧", "a\u2028b\u2029c")],
  ["event with control characters and quotes", "emit", emit("/", "ctl", "\u0000\u0001\u001f\u007f\"\\/\n\t")],
  ["event with unicode object keys", "emit", emit("/", "keys", { "clé": 1, "🔑": 2, "键": 3, "": 4 })],

  // integers: every boundary of notepack's integer forms
  ["event with positive integers at each boundary", "emit",
    emit("/", "uint", 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, MAX_SAFE, MAX_SAFE + 1)],
  ["event with negative integers at each boundary", "emit",
    emit("/", "int", -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -MAX_SAFE, -(MAX_SAFE + 1))],
  ["event with integers beyond 2^53", "emit", emit("/", "big", 2 ** 63, 1e19, 2 ** 64, 1e20, -1e20, 1e21, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE)],
  ["event with floats", "emit", emit("/", "floats", 0.5, -0.5, 1.5, 0.1, 3.141592653589793, 1e-7, 123456.789, -2.5e-300, 5e-324, 4294967296.5)],
  ["event with NaN, infinities and negative zero", "emit", emit("/", "special", NaN, Infinity, -Infinity, -0)],

  // containers: fixarray < 16 elements, array16 < 65536, array32; fixmap < 16 entries, map16
  ...[15, 16, 65536].map((n) => [`event with an array of ${n} elements`, "emit", emit("/", "a", repeat(n, () => 0))]),
  ...[15, 16, 300].map((n) => [`event with an object of ${n} entries`, "emit",
    emit("/", "o", Object.fromEntries(repeat(n, (i) => [`k${i}`, i])))]),
  ["event with 15 arguments (fixarray of 16)", "emit", emit("/", "many", ...repeat(15, (i) => i))],
  ["event with nested objects and arrays", "emit",
    emit("/", "nested", { a: { b: { c: [1, { d: "e" }] } }, empty: {}, list: [] }, [[], [[]], [1, [2, [3, [4]]]]])],
  ["event with keys in insertion order", "emit", emit("/", "order", { z: 1, a: 2, m: { y: 1, b: 2 } })],
  ["event with placeholder-shaped object", "emit", emit("/", "fake", { _placeholder: true, num: 0 })],

  // binary: bin8 < 256 bytes, bin16 < 65536, bin32
  ...[0, 1, 255, 256, 1000].map((n) => [`event with ${n} bytes of binary`, "emit", emit("/", "bin", bin(n))]),
  ["event with 65536 bytes of binary", "emit", emit("/", "bin", Buffer.alloc(65536, 0xab))],
  ["event with all byte values", "emit", emit("/", "all", Buffer.from(repeat(256, (i) => i)))],
  ["event with binary nested in objects and arrays", "emit",
    emit("/", "deep", { a: [bytes(1), { b: bytes(2) }], c: [[bytes(3)]] }, bytes(4), { file: bytes(0xde, 0xad), name: "f.bin" })],
  ["event with the same bytes twice", "emit", emit("/", "twice", bytes(9, 9), bytes(9, 9))],

  // acknowledgements asked by the server (ack ids count from 0 per namespace)
  ...[0, 1, 127, 128, 65536, 4294967296, MAX_SAFE].map((id) => [`event with ack id ${id}`, "emitWithAck", emitWithAck("/", id, "ask", 1)]),
  ["event with ack id in custom namespace with binary", "emitWithAck", emitWithAck("/custom", 7, "ask", { blob: bytes(1, 2, 3) })],

  // acknowledgements the server sends
  ["ack with no arguments", "ack", ack("/", 0)],
  ["ack with arguments", "ack", ack("/", 1, "result", 2, { ok: true }, null)],
  ["ack with binary", "ack", ack("/", 4, bytes(1, 2, 3), { b: bytes(4) })],
  ["ack in custom namespace with large id", "ack", ack("/custom", MAX_SAFE, "done")],
  ["ack with ack id 128", "ack", ack("/", 128, "x")],
];

// ---------------------------------------------------------------------------
// Packets socket.io-client 4.8 sends (decode only), keys in the order its
// socket.js builds them: EVENT {type, data, options: {compress}, id?, nsp};
// ACK {type, id, data, nsp}; CONNECT {type, data, nsp}, data undefined
// without auth; DISCONNECT {type, nsp}. Values JSON cannot hold come out as
// JSON.stringify would have sent them (decodedAsJson).
// ---------------------------------------------------------------------------
const OPTIONS = { compress: true };
const clientEmit = (nsp, ...data) => ({ type: EVENT, data, options: OPTIONS, nsp });
const clientEmitWithAck = (nsp, id, ...data) => ({ type: EVENT, data, options: OPTIONS, id, nsp });
const clientAck = (nsp, id, ...data) => ({ type: ACK, id, data, nsp });

const CLIENT = [
  ["client connect without auth (data undefined)", { type: CONNECT, data: undefined, nsp: "/" }],
  ["client connect with auth", { type: CONNECT, data: { token: "abc", n: 1, nested: { list: [1, "two", null] } }, nsp: "/" }],
  ["client connect to custom namespace with auth", { type: CONNECT, data: { token: "xyz" }, nsp: "/custom" }],
  ["client connect for recovery (pid and offset first)", { type: CONNECT, data: { pid: PID, offset: "0-1", token: "abc" }, nsp: "/" }],
  ["client disconnect", { type: DISCONNECT, nsp: "/" }],
  ["client event", clientEmit("/", "message", "hello", 1, 1.5, true, null, { a: [1, 2] })],
  ["client event asking for an ack", clientEmitWithAck("/", 0, "message-with-ack", "x")],
  ["client event with ack id 12345 in custom namespace", clientEmitWithAck("/custom", 12345, "m")],
  ["client event without arguments", clientEmit("/", "ping")],
  ["client event with numeric event name", clientEmit("/", 42, "a")],
  ["client event with a reserved event name", clientEmit("/", "disconnect", 1)],
  ["client event with empty data", { type: EVENT, data: [], options: OPTIONS, nsp: "/" }],
  ["client ack", clientAck("/", 3, "answer", { ok: true })],
  ["client ack without arguments", clientAck("/", 0)],
  ["client ack with binary", clientAck("/", 1, bytes(10, 20))],
  ["client event with a Buffer", clientEmit("/", "bin", bytes(1, 2, 3))],
  ["client event with an ArrayBuffer (ext 0)", clientEmit("/", "bin", new Uint8Array([9, 8, 7]).buffer)],
  ["client event with a Uint8Array (its whole ArrayBuffer, ext 0)", clientEmit("/", "bin", new Uint8Array([250, 251, 0, 255]))],
  ["client event with a Uint8Array view (notepack sends the whole underlying buffer)",
    clientEmit("/", "bin", new Uint8Array(new Uint8Array([0, 1, 2, 3, 4, 5]).buffer, 2, 3))],
  ["client event with a 300-byte ArrayBuffer (ext 16)", clientEmit("/", "bin", new Uint8Array(bin(300)).buffer)],
  ["client event with a 65536-byte ArrayBuffer (ext 32)", clientEmit("/", "bin", new Uint8Array(Buffer.alloc(65536, 0xcd)).buffer)],
  ["client event with undefined arguments", clientEmit("/", "u", undefined, 1, undefined)],
  ["client event with undefined object values", clientEmit("/", "u", { a: 1, b: undefined, c: { d: undefined } }, [undefined, 2])],
  ["client event with dates", clientEmit("/", "d", new Date(0), new Date(1700000000123), new Date(-1), { at: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)) })],
  ["client event with far dates", clientEmit("/", "d", new Date(-62198755200000), new Date(253402300800000), new Date(8.64e15), new Date(-8.64e15))],
  ["client event with an invalid date", clientEmit("/", "d", new Date(NaN))],
  ["client event with NaN and infinities", clientEmit("/", "n", NaN, Infinity, -Infinity, -0, [NaN], { x: Infinity })],
  ["client event with a __proto__ key", clientEmit("/", "p", JSON.parse('{"a":1,"__proto__":{"b":2},"c":3}'))],
  ["client event with object that has toJSON", clientEmit("/", "j", { toJSON: () => ({ replaced: true }) })],
];

// ---------------------------------------------------------------------------
// Hand-made messages (hex) the Decoder accepts: forms notepack never writes
// but other msgpack encoders do, and edge cases of notepack's decoding.
// ---------------------------------------------------------------------------
const T = "a474797065"; // "type"
const D = "a464617461"; // "data"
const N = "a36e7370"; // "nsp"
const I = "a26964"; // "id"
const ROOT = "a12f"; // "/"
const EV = "a16d"; // "m"
const event = (args) => `83${T}02${D}${args}${N}${ROOT}`;

const RAW = [
  ["float32 argument", event(`92${EV}ca3fc00000`)],
  ["float64 whole number", event(`92${EV}cb4008000000000000`)],
  ["type as float64", `83${T}cb4000000000000000${D}91${EV}${N}${ROOT}`],
  ["id as float64", `84${T}02${D}91${EV}${I}cb4008000000000000${N}${ROOT}`],
  ["id undefined", `84${T}02${D}91${EV}${I}d40000${N}${ROOT}`],
  ["negative ack id", `84${T}02${D}91${EV}${I}ff${N}${ROOT}`],
  ["integers in wider forms than needed", event(`95${EV}cc01cd0001ce00000001cf0000000000000001`)],
  ["negative integers in every signed form", event(`96${EV}d0ffd1fffed2fffffffdd3fffffffffffffffcd3ffffffffffffffff`)],
  ["uint64 above 2^63", event(`92${EV}cfffffffffffffffff`)],
  ["int64 minimum", event(`92${EV}d38000000000000000`)],
  ["short string as str8, str16 and str32", event(`94${EV}d90161da000162db0000000163`)],
  ["short binary as bin16 and bin32", event(`93${EV}c5000101c60000000102`)],
  ["short array as array16 and array32", event(`93${EV}dc000101dd0000000102`)],
  ["short map as map16 and map32", `83${T}02${D}93${EV}de0001a16101df00000001a16202${N}${ROOT}`],
  ["keys in another order", `83${N}${ROOT}${D}91${EV}${T}02`],
  ["unknown top-level keys", `85${T}02a5657874726181a178c0${D}91${EV}a16fc3${N}${ROOT}`],
  ["duplicate top-level key: the last wins", `84${T}01${T}02${D}91${EV}${N}${ROOT}`],
  ["duplicate data key: the last wins", `84${T}02${D}91a178${D}91${EV}${N}${ROOT}`],
  ["duplicate key inside data: the last wins in place", event(`92${EV}83a16101a16202a16103`)],
  ["extension type 5 in a fixext 1", event(`92${EV}d4052a`)],
  ["timestamp extension (type -1) in an ext 8", event(`92${EV}c704ff00000001`)],
  ["fixext 2, 4 and 16 of type 0", event(`94${EV}d5000102d60001020304d80000112233445566778899aabbccddeeff`)],
  ["fixext 1 of type 0 with a non-zero byte is still undefined", event(`93${EV}d400ff01`)],
  ["event whose data is an extension (an array to notepack)", `83${T}02${D}d40761${N}${ROOT}`],
  ["connect_error with string data", `83${T}04${D}a178${N}${ROOT}`],
  ["connect_error with object data", `83${T}04${D}81a76d657373616765a178${N}${ROOT}`],
  ["empty namespace", `82${T}01${N}a0`],
  ["namespace without a leading slash", `83${T}00${D}80${N}a6637573746f6d`],
  ["invalid UTF-8 in a string", event(`92${EV}a461ffc362`)],
  ["a map key that is a number", event(`92${EV}8101a178`)],
  ["a map key that is null", event(`92${EV}81c0a178`)],
  ["ack id beyond 2^63", `84${T}03${D}90${I}cf8000000000000001${N}${ROOT}`],
];

// ---------------------------------------------------------------------------
// Messages the Decoder rejects: [name, hex] or [name, {text}] (a text frame).
// ---------------------------------------------------------------------------
const ERRORS = [
  ["empty message", ""],
  ["reserved type byte 0xc1", "c1"],
  ["truncated map", `83${T}02`],
  ["string longer than the message", `81a5747970`],
  ["bin32 announcing 4 GB", event(`92${EV}c6ffffffff`)],
  ["array32 announcing 4 billion elements", event(`dd ffffffff`.replace(" ", ""))],
  ["map32 announcing 4 billion entries", "dfffffffff"],
  ["trailing bytes", `${event(`91${EV}`)}00`],
  ["two packets in one message", `${event(`91${EV}`)}${event(`91${EV}`)}`],
  ["top level is an array", `92${EV}01`],
  ["top level is a string", `a3616263`],
  ["top level is a number", `02`],
  ["top level is nil", `c0`],
  ["top level is undefined", `d40000`],
  ["empty map", `80`],
  ["type missing", `82${D}91${EV}${N}${ROOT}`],
  ["type as string", `83${T}a132${D}91${EV}${N}${ROOT}`],
  ["type as float 2.5", `83${T}cb4004000000000000${D}91${EV}${N}${ROOT}`],
  ["type 5 (BINARY_EVENT does not exist here)", `83${T}05${D}91${EV}${N}${ROOT}`],
  ["type 6", `83${T}06${D}91${EV}${N}${ROOT}`],
  ["type -1", `83${T}ff${D}91${EV}${N}${ROOT}`],
  ["type NaN", `83${T}cb7ff8000000000000${D}91${EV}${N}${ROOT}`],
  ["type nil", `83${T}c0${D}91${EV}${N}${ROOT}`],
  ["type true", `83${T}c3${D}91${EV}${N}${ROOT}`],
  ["nsp missing", `82${T}02${D}91${EV}`],
  ["nsp as number", `83${T}02${D}91${EV}${N}01`],
  ["nsp nil", `83${T}02${D}91${EV}${N}c0`],
  ["nsp as binary", `83${T}02${D}91${EV}${N}c4012f`],
  ["nsp undefined", `83${T}02${D}91${EV}${N}d40000`],
  ["connect with string data", `83${T}00${D}a178${N}${ROOT}`],
  ["connect with array data", `83${T}00${D}90${N}${ROOT}`],
  ["connect with nil data", `83${T}00${D}c0${N}${ROOT}`],
  ["connect with a date as data", `83${T}00${D}d7000000000000000000${N}${ROOT}`],
  ["connect with binary data", `83${T}00${D}c40101${N}${ROOT}`],
  ["disconnect with object data", `83${T}01${D}80${N}${ROOT}`],
  ["disconnect with nil data", `83${T}01${D}c0${N}${ROOT}`],
  ["connect_error without data", `82${T}04${N}${ROOT}`],
  ["connect_error with array data", `83${T}04${D}90${N}${ROOT}`],
  ["event without data", `82${T}02${N}${ROOT}`],
  ["event with object data", `83${T}02${D}80${N}${ROOT}`],
  ["event with string data", `83${T}02${D}a16d${N}${ROOT}`],
  ["event with nil data", `83${T}02${D}c0${N}${ROOT}`],
  ["event with binary data", `83${T}02${D}c40101${N}${ROOT}`],
  ["event with ArrayBuffer data", `83${T}02${D}c7010001${N}${ROOT}`],
  ["ack with object data", `84${T}03${D}80${I}01${N}${ROOT}`],
  ["id as string", `84${T}02${D}91${EV}${I}a131${N}${ROOT}`],
  ["id as float 1.5", `84${T}02${D}91${EV}${I}cb3ff8000000000000${N}${ROOT}`],
  ["id nil", `84${T}02${D}91${EV}${I}c0${N}${ROOT}`],
  ["id Infinity", `84${T}02${D}91${EV}${I}cb7ff0000000000000${N}${ROOT}`],
  ["invalid type before invalid namespace", `82${T}09${N}01`],
  ["text frame with a JSON packet", { text: '2["message"]' }],
  ["text frame 0", { text: "0" }],
  ["empty text frame", { text: "" }],
];

function buildServerCases() {
  const encoder = new Encoder();
  return SERVER.map(([name, serverCall, packet]) => {
    const fixturePacket = compact(toFixture(packet));
    // encode a copy rebuilt from the fixture so that the file is the single source of truth
    const [encoded] = encoder.encode(fromFixture(expand(fixturePacket)));
    if (hex(encoded) !== hex(encoder.encode(packet)[0])) throw new Error(`msgpack "${name}": the fixture form does not round-trip`);
    const decoded = decode(encoded);
    const entry = { name, source: "server", serverCall, packet: fixturePacket, encoded: hex(encoded) };
    // notepack decodes what it encoded, except numbers of 2^64 and beyond (its 32-bit arithmetic wraps them)
    if (JSON.stringify(toFixture(decoded)) !== JSON.stringify(toFixture(packet))) entry.decoded = compact(toFixture(decoded));
    entry.decodedAsJson = compact(orderedJsonView(decoded));
    return entry;
  });
}

function buildClientCases() {
  const encoder = new Encoder();
  return CLIENT.map(([name, packet]) => {
    const [encoded] = encoder.encode(packet);
    const decoded = decode(encoded);
    return {
      name, source: "client", packet: compact(toFixture(packet)), encoded: hex(encoded),
      decoded: compact(toFixture(decoded)), decodedAsJson: compact(orderedJsonView(decoded)),
    };
  });
}

function buildRawCases() {
  return RAW.map(([name, encoded]) => {
    const decoded = decode(Buffer.from(encoded, "hex"));
    return { name, source: "raw", encoded, decoded: compact(toFixture(decoded)), decodedAsJson: compact(orderedJsonView(decoded)) };
  });
}

function buildErrors() {
  return ERRORS.map(([name, message]) => {
    const input = typeof message === "string" ? Buffer.from(message, "hex") : message.text;
    try {
      decode(input);
    } catch (err) {
      return typeof message === "string" ? { name, encoded: message, error: err.message } : { name, text: message.text, error: err.message };
    }
    throw new Error(`msgpack decode error "${name}": the Decoder accepted it`);
  });
}

export function buildSocketIoMsgpackFixtures() {
  return {
    packets: [...buildServerCases(), ...buildClientCases(), ...buildRawCases()],
    decodeErrors: buildErrors(),
  };
}
