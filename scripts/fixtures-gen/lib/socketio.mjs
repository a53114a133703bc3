// socket.io-parser fixtures: round trips through the real Encoder/Decoder,
// frames the Decoder rejects, and frames it accepts leniently.
import { Encoder, Decoder } from "socket.io-parser";
import { toFixture, fromFixture, bytes } from "./fixture-json.mjs";

const CONNECT = 0;
const DISCONNECT = 1;
const EVENT = 2;
const ACK = 3;
const CONNECT_ERROR = 4;

const PLACEHOLDER = (num) => ({ _placeholder: true, num });

/** Packet in a fixed key order, dropping absent keys. */
function orderedPacket(packet) {
  const out = { type: packet.type, nsp: packet.nsp };
  if (packet.id !== undefined) out.id = packet.id;
  if (packet.data !== undefined) out.data = packet.data;
  if (packet.attachments !== undefined) out.attachments = packet.attachments;
  return toFixture(out);
}

/** Feeds frames to a fresh Decoder; returns emitted packets and the error (if any). */
function runDecoder(frames) {
  const decoder = new Decoder();
  const decoded = [];
  decoder.on("decoded", (packet) => decoded.push(packet));
  for (let i = 0; i < frames.length; i++) {
    try {
      decoder.add(frames[i]);
    } catch (err) {
      return { decoded, error: err.message, errorAtFrame: i };
    }
  }
  return { decoded, error: null };
}

// ---------------------------------------------------------------------------
// Round-trip cases: [name, packet] — packets use the *input* type (EVENT/ACK
// even when binary is present), exactly as socket.io hands them to Encoder.
// ---------------------------------------------------------------------------
const MAX_SAFE = 9007199254740991;

const ROUND_TRIP = [
  // CONNECT
  ["connect main namespace without data", { type: CONNECT, nsp: "/" }],
  ["connect main namespace with auth object", { type: CONNECT, nsp: "/", data: { token: "abc", n: 1 } }],
  ["connect main namespace with empty auth object", { type: CONNECT, nsp: "/", data: {} }],
  ["connect custom namespace without data", { type: CONNECT, nsp: "/custom" }],
  ["connect custom namespace with auth object", { type: CONNECT, nsp: "/custom", data: { token: "xyz" } }],
  ["connect reply with sid", { type: CONNECT, nsp: "/", data: { sid: "oSO0OpakMV_3jnilAAAA" } }],
  ["connect reply with sid and pid", { type: CONNECT, nsp: "/", data: { sid: "oSO0OpakMV_3jnilAAAA", pid: "y9bnv8sRBqJyhD1JAAAB" } }],
  ["connect reply custom namespace with sid", { type: CONNECT, nsp: "/custom", data: { sid: "Vcd1ZmnQBm5p1W8XAAAC" } }],
  ["connect with nested auth object", { type: CONNECT, nsp: "/", data: { user: { id: 7, roles: ["a", "b"] }, flag: true, none: null } }],
  ["connect namespace with query-like characters (v2 style)", { type: CONNECT, nsp: "/custom?foo=bar" }],
  ["connect namespace with query-like characters and auth", { type: CONNECT, nsp: "/custom?foo=bar&x=1", data: { token: "t" } }],
  ["connect unicode namespace", { type: CONNECT, nsp: "/café-日本-🚀" }],
  ["connect nested path namespace", { type: CONNECT, nsp: "/a/b/c" }],
  // DISCONNECT
  ["disconnect main namespace", { type: DISCONNECT, nsp: "/" }],
  ["disconnect custom namespace", { type: DISCONNECT, nsp: "/custom" }],
  // EVENT
  ["event with only a name", { type: EVENT, nsp: "/", data: ["ping"] }],
  ["event with string argument", { type: EVENT, nsp: "/", data: ["message", "hello world"] }],
  ["event with integer arguments", { type: EVENT, nsp: "/", data: ["numbers", 0, 1, -1, 42, 2147483647, -2147483648, MAX_SAFE, -MAX_SAFE] }],
  ["event with floating point arguments", { type: EVENT, nsp: "/", data: ["floats", 1.5, -0.25, 3.141592653589793, 0.1, 1e-7, 123456.789] }],
  ["event with large float using exponent", { type: EVENT, nsp: "/", data: ["big", 1e21, 1.7976931348623157e308, 5e-324] }],
  ["event with booleans and null", { type: EVENT, nsp: "/", data: ["flags", true, false, null] }],
  ["event with nested objects", { type: EVENT, nsp: "/", data: ["nested", { a: { b: { c: [1, { d: "e" }] } }, empty: {}, list: [] }] }],
  ["event with nested arrays", { type: EVENT, nsp: "/", data: ["arrays", [], [[]], [1, [2, [3, [4]]]], ["x", null, true]] }],
  ["event with empty string argument", { type: EVENT, nsp: "/", data: ["s", ""] }],
  ["event with empty event name", { type: EVENT, nsp: "/", data: [""] }],
  ["event with numeric event name", { type: EVENT, nsp: "/", data: [1, "a"] }],
  ["event name containing spaces and punctuation", { type: EVENT, nsp: "/", data: ["my event:name/with,chars", 1] }],
  ["event with accented characters", { type: EVENT, nsp: "/", data: ["unicode", "àéîõü ÀÉÎÕÜ ç ñ ß"] }],
  ["event with emoji (astral plane)", { type: EVENT, nsp: "/", data: ["emoji", "🚀👍🏽👨‍👩‍👧"] }],
  ["event with CJK characters", { type: EVENT, nsp: "/", data: ["cjk", "日本語 中文 한국어"] }],
  ["event with escaped quotes and backslashes", { type: EVENT, nsp: "/", data: ["esc", "say \"hi\"", "C:\\path\\to", "\\\"", "/slash"] }],
  ["event with control characters", { type: EVENT, nsp: "/", data: ["ctl", "\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001e\u001f\u007f"] }],
  ["event with line and paragraph separators", { type: EVENT, nsp: "/", data: ["sep", "a\u2028b\u2029c"] }],
  ["event with lone surrogate", { type: EVENT, nsp: "/", data: ["surrogate", "x\ud800y", "\udfff"] }],
  ["event with unicode object keys", { type: EVENT, nsp: "/", data: ["keys", { "clé": 1, "🔑": 2, "键": 3 }] }],
  ["event with string looking like a packet", { type: EVENT, nsp: "/", data: ["inner", "42[\"x\"]", "451-[{\"_placeholder\":true,\"num\":0}]"] }],
  ["event with placeholder-shaped object but no binary", { type: EVENT, nsp: "/", data: ["fake", { _placeholder: true, num: 0 }] }],
  ["event in custom namespace", { type: EVENT, nsp: "/custom", data: ["hello", { from: "custom" }] }],
  ["event in unicode namespace", { type: EVENT, nsp: "/café-日本-🚀", data: ["hello"] }],
  ["event in namespace with query-like characters", { type: EVENT, nsp: "/custom?foo=bar", data: ["hello", 1] }],
  // EVENT with ack id
  ["event with ack id 0", { type: EVENT, nsp: "/", id: 0, data: ["ack me"] }],
  ["event with ack id 1", { type: EVENT, nsp: "/", id: 1, data: ["ack me", 1] }],
  ["event with ack id 456", { type: EVENT, nsp: "/", id: 456, data: ["ack me"] }],
  ["event with ack id 2147483647", { type: EVENT, nsp: "/", id: 2147483647, data: ["ack me"] }],
  ["event with ack id 9007199254740991", { type: EVENT, nsp: "/", id: MAX_SAFE, data: ["ack me"] }],
  ["event with numeric event name and ack id", { type: EVENT, nsp: "/", id: 12, data: [34, "x"] }],
  ["event with ack id in custom namespace", { type: EVENT, nsp: "/custom", id: 7, data: ["ack me", { ok: true }] }],
  // ACK
  ["ack with empty array", { type: ACK, nsp: "/", id: 0, data: [] }],
  ["ack with data", { type: ACK, nsp: "/", id: 1, data: ["result", 2, { ok: true }] }],
  ["ack with null argument", { type: ACK, nsp: "/", id: 5, data: [null] }],
  ["ack with large id", { type: ACK, nsp: "/", id: MAX_SAFE, data: ["x"] }],
  ["ack in custom namespace", { type: ACK, nsp: "/custom", id: 456, data: ["done"] }],
  ["ack with unicode data", { type: ACK, nsp: "/", id: 3, data: ["日本語 🚀 é"] }],
  // CONNECT_ERROR
  ["connect_error with message", { type: CONNECT_ERROR, nsp: "/", data: { message: "Invalid namespace" } }],
  ["connect_error custom namespace with message", { type: CONNECT_ERROR, nsp: "/nope", data: { message: "Invalid namespace" } }],
  ["connect_error with message and data", { type: CONNECT_ERROR, nsp: "/refused", data: { message: "not authorized", data: { code: "E1" } } }],
  ["connect_error with string data (v2 style)", { type: CONNECT_ERROR, nsp: "/", data: "not authorized" }],
  // binary (encoded as BINARY_EVENT / BINARY_ACK)
  ["binary event with single buffer", { type: EVENT, nsp: "/", data: ["bin", bytes(1, 2, 3)] }],
  ["binary event with several buffers", { type: EVENT, nsp: "/", data: ["bins", bytes(1), bytes(2, 2), bytes(3, 3, 3)] }],
  ["binary event with empty buffer", { type: EVENT, nsp: "/", data: ["empty", Buffer.alloc(0)] }],
  ["binary event with all byte values", { type: EVENT, nsp: "/", data: ["all", Buffer.from(Array.from({ length: 256 }, (_, i) => i))] }],
  ["binary event with buffer nested in object", { type: EVENT, nsp: "/", data: ["nested", { file: bytes(0xde, 0xad, 0xbe, 0xef), name: "f.bin" }] }],
  ["binary event with buffers nested in arrays and objects", { type: EVENT, nsp: "/", data: ["deep", { a: [bytes(1), { b: bytes(2) }], c: [[bytes(3)]] }, bytes(4)] }],
  ["binary event mixing buffers and plain values", { type: EVENT, nsp: "/", data: ["mixed", 1, "two", bytes(3), null, { four: bytes(4), five: 5 }] }],
  ["binary event with the same bytes twice", { type: EVENT, nsp: "/", data: ["twice", bytes(9, 9), bytes(9, 9)] }],
  ["binary event with ack id", { type: EVENT, nsp: "/", id: 23, data: ["bin-ack", bytes(1, 2)] }],
  ["binary event in custom namespace", { type: EVENT, nsp: "/custom", data: ["bin", bytes(0xff)] }],
  ["binary event in custom namespace with ack id", { type: EVENT, nsp: "/custom", id: 456, data: ["bin", bytes(0, 0xff)] }],
  ["binary event with numeric event name", { type: EVENT, nsp: "/", data: [7, bytes(7)] }],
  ["binary event with ten buffers", { type: EVENT, nsp: "/", data: ["ten", ...Array.from({ length: 10 }, (_, i) => bytes(i))] }],
  ["binary ack with single buffer", { type: ACK, nsp: "/", id: 4, data: [bytes(1, 2, 3)] }],
  ["binary ack with several buffers and values", { type: ACK, nsp: "/", id: 0, data: ["ok", bytes(1), { b: bytes(2) }] }],
  ["binary ack in custom namespace", { type: ACK, nsp: "/custom", id: 2147483647, data: [bytes(0xca, 0xfe)] }],
];

function buildRoundTrip() {
  const encoder = new Encoder();
  return ROUND_TRIP.map(([name, packet]) => {
    const fixturePacket = orderedPacket(packet);
    // Encode a copy rebuilt from the fixture so the file is the single source of truth.
    const encodedRaw = encoder.encode(fromFixture(fixturePacket));
    const encoded = encodedRaw.map(toFixture);
    const { decoded, error } = runDecoder(encoded.map(fromFixture));
    if (error) throw new Error(`socketio round trip "${name}": decoder threw ${error}`);
    if (decoded.length !== 1) throw new Error(`socketio round trip "${name}": ${decoded.length} packets decoded`);
    return { name, packet: fixturePacket, encoded, decoded: orderedPacket(decoded[0]) };
  });
}

// ---------------------------------------------------------------------------
// Decoder rejections: [name, frames]. Frames are what reaches the socket.io
// layer (i.e. without the engine.io "4" message prefix).
// ---------------------------------------------------------------------------
const bin = (...v) => toFixture(bytes(...v));
const encodedBy = (packet) => new Encoder().encode(packet).map(toFixture);

const DECODE_ERRORS = [
  ["unknown packet type 7", ["7"]],
  ["unknown packet type 8", ["8"]],
  ["unknown packet type 9 with data", ["9[\"a\"]"]],
  ["non-digit packet type", ["a"]],
  ["packet type minus sign", ["-1"]],
  ["packet type starting with space", [" 2[\"a\"]"]],
  ["connect_error with non-JSON payload", ["4abc"]],
  ["event with object payload", ["2{}"]],
  ["event with garbage before payload", ["2abc[\"x\"]"]],
  ["event with garbage after payload", ["2[\"a\"]x"]],
  ["event with string payload", ["2\"a\""]],
  ["event with empty array payload", ["2[]"]],
  ["event with null event name", ["2[null]"]],
  ["event with object as event name", ["2[{}]"]],
  ["event with array as event name", ["2[[\"a\"]]"]],
  ["event with boolean event name", ["2[true]"]],
  ["event with JSON null payload", ["2null"]],
  ["event truncated JSON", ["2[\"a\""]],
  ["event truncated string", ["2[\"abc]"]],
  ["event with trailing comma", ["2[\"a\",]"]],
  ["event with single-quoted JSON", ["2['a']"]],
  ["event with NaN literal", ["2[\"a\",NaN]"]],
  ["event with reserved name connect", ["2[\"connect\"]"]],
  ["event with reserved name connect_error", ["2[\"connect_error\"]"]],
  ["event with reserved name disconnect", ["2[\"disconnect\"]"]],
  ["event with reserved name disconnecting", ["2[\"disconnecting\"]"]],
  ["event with reserved name newListener", ["2[\"newListener\"]"]],
  ["event with reserved name removeListener", ["2[\"removeListener\"]"]],
  ["event with reserved name in custom namespace with ack id", ["2/custom,5[\"disconnect\",1]"]],
  ["ack with object payload", ["31{}"]],
  ["ack with string payload", ["31\"a\""]],
  ["connect with string data", ["0\"token\""]],
  ["connect with array data", ["0[]"]],
  ["connect with null data", ["0null"]],
  ["connect custom namespace with string data", ["0/custom,\"x\""]],
  ["connect with boolean data", ["0true"]],
  ["disconnect with object data", ["1{}"]],
  ["disconnect with array data", ["1/custom,[]"]],
  ["connect_error with array data", ["4[\"a\"]"]],
  ["connect_error with null data", ["4null"]],
  ["binary event with non-numeric attachment count", ["5abc-[\"a\",{\"_placeholder\":true,\"num\":0}]"]],
  ["binary event without dash after attachment count", ["51[\"a\",{\"_placeholder\":true,\"num\":0}]"]],
  ["binary event with empty attachment count", ["5-[\"a\",{\"_placeholder\":true,\"num\":0}]"]],
  ["binary event with zero attachments", ["50-[\"a\"]"]],
  ["binary event with fractional attachment count", ["51.5-[\"a\",{\"_placeholder\":true,\"num\":0}]"]],
  ["binary event with negative attachment count", ["5-1-[\"a\"]"]],
  ["binary event with 11 attachments (too many)", ["511-[\"a\"]"]],
  ["binary event with 1000 attachments (too many)", ["51000-[\"a\"]"]],
  ["binary ack with 11 attachments (too many)", ["611-1[]"]],
  ["binary event with object payload", ["51-{\"a\":{\"_placeholder\":true,\"num\":0}}"]],
  ["binary event with reserved event name", ["51-[\"connect\",{\"_placeholder\":true,\"num\":0}]"]],
  ["binary ack with object payload", ["61-1{}"]],
  ["binary frame when not reconstructing", [bin(1, 2, 3)]],
  ["binary frame after a complete binary packet", ["51-[\"a\",{\"_placeholder\":true,\"num\":0}]", bin(1), bin(2)]],
  ["text frame while reconstructing", ["52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", bin(1), "2[\"b\"]"]],
  ["placeholder index out of range", ["51-[\"a\",{\"_placeholder\":true,\"num\":1}]", bin(1)]],
  ["placeholder index negative", ["51-[\"a\",{\"_placeholder\":true,\"num\":-1}]", bin(1)]],
  ["placeholder index as string", ["51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]", bin(1)]],
  ["placeholder without index", ["51-[\"a\",{\"_placeholder\":true}]", bin(1)]],
  ["namespace containing a comma (encoder output does not round-trip)", encodedBy({ type: EVENT, nsp: "/a,b", data: ["x"] })],
  ["binary as first event argument (encoder output does not round-trip)", encodedBy({ type: EVENT, nsp: "/", data: [bytes(1)] })],
];

function buildDecodeErrors() {
  return DECODE_ERRORS.map(([name, frames]) => {
    const { error, errorAtFrame, decoded } = runDecoder(frames.map(fromFixture));
    if (error === null) throw new Error(`socketio decode error "${name}": decoder accepted ${JSON.stringify(frames)}`);
    const entry = { name, frames, error, errorAtFrame };
    if (decoded.length) entry.decodedBeforeError = decoded.map(orderedPacket);
    return entry;
  });
}

// ---------------------------------------------------------------------------
// Lenient decodes: frames a strict implementation might reject but the real
// Decoder accepts. "decoded" is every packet emitted, in order.
// ---------------------------------------------------------------------------
const LENIENT = [
  ["empty frame decodes as connect to main namespace", [""]],
  ["event without payload", ["2"]],
  ["ack without id or payload", ["3"]],
  ["disconnect with ack id", ["15"]],
  ["connect custom namespace without trailing comma", ["0/custom"]],
  ["event custom namespace without comma swallows payload into namespace", ["2/custom[\"a\"]"]],
  ["event custom namespace without payload", ["2/custom,"]],
  ["event custom namespace with id but no payload", ["2/custom,1"]],
  ["engine.io-prefixed frame 42{} is connect_error with ack id 2", ["42{}"]],
  ["connect_error with ack id 2 and message object", ["42{\"message\":\"x\"}"]],
  ["connect with ack id", ["0/custom,5"]],
  ["connect_error with ack id", ["445"]],
  ["connect_error with string data", ["4\"not authorized\""]],
  ["connect_error with id and string data", ["44\"x\""]],
  ["ack id preceded by a space", ["2 1[\"a\"]"]],
  ["ack id followed by a space", ["21 [\"a\"]"]],
  ["lone space parsed as ack id 0", ["2 [\"a\"]"]],
  ["ack id with leading zeros", ["2007[\"a\"]"]],
  ["whitespace inside JSON payload", ["2[ \"a\" , 1 ]"]],
  ["JSON payload with trailing whitespace", ["2[\"a\"]\n"]],
  ["duplicate keys keep the last value", ["0{\"a\":1,\"a\":2}"]],
  ["escaped unicode in payload", ["2[\"\\u00e9\\ud83d\\ude80\"]"]],
  // Node imposes no depth limit at all (5,000,000 levels decode fine); 32 keeps
  // this file readable by JSON readers with a default max depth of 64.
  ["nesting 32 levels deep", ["2[\"deep\"," + "[".repeat(32) + "]".repeat(32) + "]"]],
  ["attachment count with leading space", ["5 1-[\"a\",{\"_placeholder\":true,\"num\":0}]", bin(1)]],
  ["attachment count in exponent notation", ["51e0-[\"a\",{\"_placeholder\":true,\"num\":0}]", bin(1)]],
  ["attachment count with leading zero", ["501-[\"a\",{\"_placeholder\":true,\"num\":0}]", bin(1)]],
  ["unused attachment is dropped", ["52-[\"a\",{\"_placeholder\":true,\"num\":1}]", bin(1), bin(2)]],
  ["placeholder referenced twice", ["52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]", bin(1), bin(2)]],
  ["placeholder with extra keys is still replaced", ["51-[\"a\",{\"_placeholder\":true,\"num\":0,\"extra\":1}]", bin(1)]],
  ["placeholder with _placeholder false is kept as object", ["51-[\"a\",{\"_placeholder\":false,\"num\":0}]", bin(1)]],
  ["binary ack without id", ["61-[{\"_placeholder\":true,\"num\":0}]", bin(1)]],
  ["binary event without placeholders", ["51-[\"a\"]", bin(1)]],
  ["large ack id beyond 2^53 loses precision", ["2123456789012345678[\"a\"]"]],
];

function buildLenient() {
  return LENIENT.map(([name, frames]) => {
    const { decoded, error } = runDecoder(frames.map(fromFixture));
    if (error !== null) throw new Error(`socketio lenient "${name}": decoder threw ${error}`);
    return { name, frames, decoded: decoded.map(orderedPacket) };
  });
}

export function buildSocketIoFixtures() {
  return {
    packets: buildRoundTrip(),
    decodeErrors: buildDecodeErrors(),
    lenient: buildLenient(),
  };
}
