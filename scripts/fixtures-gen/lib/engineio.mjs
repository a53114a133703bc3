// engine.io-parser fixtures: single packets (WebSocket frames), payloads
// (HTTP long-polling bodies), and inputs that decode to an error packet.
import { encodePacket, decodePacket, encodePayload, decodePayload } from "engine.io-parser";
import { toFixture, fromFixture, bytes } from "./fixture-json.mjs";

const SEP = "\x1e";

function orderedPacket(packet) {
  const out = { type: packet.type };
  if (packet.data !== undefined) out.data = packet.data;
  return toFixture(out);
}

function encodeSync(packet, supportsBinary) {
  let result;
  let called = false;
  encodePacket(packet, supportsBinary, (encoded) => {
    result = encoded;
    called = true;
  });
  if (!called) throw new Error("encodePacket did not call back synchronously");
  return result;
}

function encodePayloadSync(packets) {
  let result;
  encodePayload(packets, (payload) => {
    result = payload;
  });
  if (result === undefined) throw new Error("encodePayload did not call back synchronously");
  return result;
}

const OPEN_DATA = JSON.stringify({
  sid: "lv_VI97HAXpY6yYWAAAC",
  upgrades: ["websocket"],
  pingInterval: 25000,
  pingTimeout: 20000,
  maxPayload: 1000000,
});

const PACKETS = [
  ["open with handshake data", { type: "open", data: OPEN_DATA }],
  ["open without data", { type: "open" }],
  ["close", { type: "close" }],
  ["ping", { type: "ping" }],
  ["pong", { type: "pong" }],
  ["ping probe", { type: "ping", data: "probe" }],
  ["pong probe", { type: "pong", data: "probe" }],
  ["upgrade", { type: "upgrade" }],
  ["noop", { type: "noop" }],
  ["message text", { type: "message", data: "hello" }],
  ["message empty string", { type: "message", data: "" }],
  ["message without data", { type: "message" }],
  ["message socket.io event", { type: "message", data: "2[\"hello\",\"world\"]" }],
  ["message accented characters", { type: "message", data: "àéîõü ç ñ ß" }],
  ["message emoji", { type: "message", data: "🚀👍🏽👨‍👩‍👧" }],
  ["message CJK", { type: "message", data: "日本語 中文 한국어" }],
  ["message with control characters and separators", { type: "message", data: "a\u0000b\u001ec\u2028d\ne" }],
  ["message starting with b (still text)", { type: "message", data: "bAQID" }],
  ["message starting with a digit", { type: "message", data: "4hello" }],
  ["message binary", { type: "message", data: bytes(1, 2, 3, 4) }],
  ["message binary empty", { type: "message", data: Buffer.alloc(0) }],
  ["message binary all byte values", { type: "message", data: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) }],
];

function buildPackets() {
  return PACKETS.map(([name, packet]) => {
    const fixturePacket = orderedPacket(packet);
    const encoded = toFixture(encodeSync(fromFixture(fixturePacket), true));
    const encodedNoBinary = toFixture(encodeSync(fromFixture(fixturePacket), false));
    const decoded = orderedPacket(decodePacket(fromFixture(encoded)));
    const decodedNoBinary = orderedPacket(decodePacket(fromFixture(encodedNoBinary)));
    return { name, packet: fixturePacket, encoded, decoded, encodedNoBinary, decodedNoBinary };
  });
}

const PAYLOADS = [
  ["single text message", [{ type: "message", data: "hello" }]],
  ["several text messages", [{ type: "message", data: "a" }, { type: "message", data: "bc" }, { type: "message", data: "def" }]],
  ["text then binary", [{ type: "message", data: "hello" }, { type: "message", data: bytes(1, 2, 3, 4) }]],
  ["binary then text", [{ type: "message", data: bytes(0xff) }, { type: "message", data: "x" }]],
  ["only binary", [{ type: "message", data: bytes(1, 2, 3) }]],
  ["several binaries", [{ type: "message", data: bytes(1) }, { type: "message", data: bytes(2, 2) }, { type: "message", data: bytes(3, 3, 3) }]],
  ["empty binary", [{ type: "message", data: Buffer.alloc(0) }]],
  ["empty text message", [{ type: "message", data: "" }]],
  ["two empty text messages", [{ type: "message", data: "" }, { type: "message", data: "" }]],
  ["unicode messages", [{ type: "message", data: "é🚀日本" }, { type: "message", data: "ß" }]],
  ["open packet", [{ type: "open", data: OPEN_DATA }]],
  ["open then socket.io connect reply", [{ type: "open", data: OPEN_DATA }, { type: "message", data: "0{\"sid\":\"edC1ZCNzKT2vuJ6yAAAD\"}" }]],
  ["ping", [{ type: "ping" }]],
  ["pong", [{ type: "pong" }]],
  ["noop", [{ type: "noop" }]],
  ["close", [{ type: "close" }]],
  ["message then close", [{ type: "message", data: "bye" }, { type: "close" }]],
  ["ping among messages", [{ type: "message", data: "a" }, { type: "ping" }, { type: "message", data: "b" }]],
  ["socket.io binary event with attachment", [{ type: "message", data: "51-[\"bin\",{\"_placeholder\":true,\"num\":0}]" }, { type: "message", data: bytes(1, 2, 3) }]],
  ["message looking like v3 length prefix", [{ type: "message", data: "3:abc" }]],
  ["message looking like base64 binary", [{ type: "message", data: "bAQID" }]],
  ["message containing colons and digits", [{ type: "message", data: "12:34:56" }]],
  ["message containing a record separator (does not round-trip)", [{ type: "message", data: "a\x1eb" }]],
  ["message containing other ASCII separators", [{ type: "message", data: "a\x1cb\x1dc\x1fd" }]],
  ["message with newline and tab", [{ type: "message", data: "line1\nline2\tend" }]],
];

function buildPayloads() {
  return PAYLOADS.map(([name, packets]) => {
    const fixturePackets = packets.map(orderedPacket);
    const payload = encodePayloadSync(fixturePackets.map(fromFixture));
    const decoded = decodePayload(payload).map(orderedPacket);
    const roundTrips = JSON.stringify(decoded) === JSON.stringify(fixturePackets);
    return { name, packets: fixturePackets, payload, decoded, roundTrips };
  });
}

// Decode-only inputs. Every one decodes to something ending in an error packet
// ({type:"error", data:"parser error"}) — checked below.
const ERROR_FRAMES = [
  ["empty frame", ""],
  ["unknown type 7", "7"],
  ["unknown type 9", "9"],
  ["unknown type with data", "9hello"],
  ["letter type", "abc"],
  ["uppercase B is not binary", "BAQID"],
  ["space before type", " 4hello"],
];

const ERROR_PAYLOADS = [
  ["empty payload", ""],
  ["letters only", "abc"],
  ["unknown type 9", "9"],
  ["unknown type after valid message", "4hello\x1e9x\x1e4never"],
  ["trailing record separator", "4hello\x1e"],
  ["leading record separator", "\x1e4hello"],
  ["double record separator", "4a\x1e\x1e4b"],
];

function buildDecodeErrors() {
  const cases = [];
  for (const [name, frame] of ERROR_FRAMES) {
    const decoded = orderedPacket(decodePacket(frame));
    if (decoded.type !== "error") throw new Error(`engineio frame error "${name}" decoded as ${decoded.type}`);
    cases.push({ name: `packet: ${name}`, frame, decoded });
  }
  for (const entry of ERROR_PAYLOADS) {
    const [name, payload] = entry;
    const decoded = decodePayload(payload).map(orderedPacket);
    if (decoded[decoded.length - 1].type !== "error") throw new Error(`engineio payload error "${name}" did not end in error`);
    cases.push({ name: `payload: ${name}`, payload, decoded });
  }
  return cases;
}

// Inputs a strict decoder might reject but engine.io-parser accepts.
const LENIENT_FRAMES = [
  ["b with invalid base64 characters", "b!!!"],
  ["b with missing padding", "bAQI"],
  ["b with extra padding", "bAQID===="],
  ["b with url-safe alphabet", "b-_8"],
  ["b with whitespace inside base64", "bAQ ID"],
  ["b alone is empty binary", "b"],
  ["type followed by arbitrary text", "2anything"],
  ["noop with data", "6data"],
  ["close with data", "1reason"],
  ["v3 length-prefixed packet decodes as noop", "6:4hello"],
];

const LENIENT_PAYLOADS = [
  ["payload with invalid base64", "4a\x1eb!!!"],
  ["payload with b alone", "b"],
  ["v3 length-prefixed payload decodes as noop", "6:4hello"],
  ["v3 length-prefixed payload with two packets", "6:4hello2:4a"],
];

function buildLenient() {
  const cases = [];
  for (const [name, frame] of LENIENT_FRAMES) {
    const decoded = orderedPacket(decodePacket(frame));
    if (decoded.type === "error") throw new Error(`engineio lenient "${name}" is an error`);
    cases.push({ name: `packet: ${name}`, frame, decoded });
  }
  for (const [name, payload] of LENIENT_PAYLOADS) {
    const decoded = decodePayload(payload).map(orderedPacket);
    if (decoded.some((p) => p.type === "error")) throw new Error(`engineio lenient "${name}" is an error`);
    cases.push({ name: `payload: ${name}`, payload, decoded });
  }
  return cases;
}

export function buildEngineIoFixtures() {
  return {
    packets: buildPackets(),
    payloads: buildPayloads(),
    decodeErrors: buildDecodeErrors(),
    lenient: buildLenient(),
  };
}
