// Helpers shared by every fixture generator: the {"$binary": base64}
// convention and deterministic JSON output.
import { writeFileSync } from "node:fs";

/** True for every binary representation Node may hand us. */
export function isBinaryValue(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function bytesOf(value) {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Converts a JS value (possibly holding Buffers) into plain JSON with $binary markers. */
export function toFixture(value) {
  if (isBinaryValue(value)) {
    return { $binary: bytesOf(value).toString("base64") };
  }
  if (Array.isArray(value)) {
    return value.map((item) => (item === undefined ? null : toFixture(item)));
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) {
      if (value[key] === undefined) continue;
      Object.defineProperty(out, key, {
        value: toFixture(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** True when value is exactly {"$binary": "<base64>"}. */
export function isBinaryMarker(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof value.$binary === "string"
  );
}

/** Inverse of toFixture: every {"$binary"} marker becomes a fresh Buffer. */
export function fromFixture(value) {
  if (isBinaryMarker(value)) return Buffer.from(value.$binary, "base64");
  if (Array.isArray(value)) return value.map(fromFixture);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: fromFixture(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** Shorthand used by the case tables: bytes given as numbers. */
export function bytes(...values) {
  return Buffer.from(values);
}

/** Stable 2-space JSON with a trailing newline. */
export function writeJson(path, value) {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n", "utf8");
}

/** Throws when two case names collide inside one file. */
export function assertUniqueNames(fileName, cases) {
  const seen = new Set();
  for (const c of cases) {
    if (typeof c.name !== "string" || c.name.length === 0) {
      throw new Error(`${fileName}: case without a name`);
    }
    if (seen.has(c.name)) {
      throw new Error(`${fileName}: duplicate case name "${c.name}"`);
    }
    seen.add(c.name);
  }
}
