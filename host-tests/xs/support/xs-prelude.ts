// Imported first by every XS entry: the few globals that test helpers (not the library) expect and the
// XS host does not have: setTimeout/clearTimeout (fast-check), TextEncoder/TextDecoder, structuredClone and
// process.env.
import { HostTimers, installTimerGlobals } from "../../../tools/xs/timers";

installTimerGlobals(new HostTimers());

class Utf8Encoder {
  readonly encoding = "utf-8";
  encode(text = ""): Uint8Array {
    const out: number[] = [];
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  }
}

const g = globalThis as Record<string, unknown>;
if (typeof g.TextEncoder !== "function") g.TextEncoder = Utf8Encoder;

/** structuredClone for plain data (objects, arrays, typed arrays, primitives): what test helpers clone. */
function cloneData(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return value.map(cloneData);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [cloneData(k), cloneData(v)]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneData(v);
  return out;
}
if (typeof g.structuredClone !== "function") g.structuredClone = cloneData;

class Utf8Decoder {
  readonly encoding = "utf-8";
  decode(input?: Uint8Array): string {
    if (!input) return "";
    let s = "";
    for (let i = 0; i < input.length;) {
      const b = input[i++]!;
      let c = b;
      if (b >= 0xf0) c = ((b & 7) << 18) | ((input[i++]! & 63) << 12) | ((input[i++]! & 63) << 6) | (input[i++]! & 63);
      else if (b >= 0xe0) c = ((b & 15) << 12) | ((input[i++]! & 63) << 6) | (input[i++]! & 63);
      else if (b >= 0xc0) c = ((b & 31) << 6) | (input[i++]! & 63);
      s += String.fromCodePoint(c);
    }
    return s;
  }
}
if (typeof g.TextDecoder !== "function") g.TextDecoder = Utf8Decoder;

// Test files read settings from process.env. On XS the decoder fuzz runs fewer cases (XS interprets
// fast-check's generators ~20x slower than V8; the full count runs on Node).
if (typeof g.process !== "object") g.process = { env: { FUZZ_RUNS: "80" } };
