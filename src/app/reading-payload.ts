// The reading as JSON, {"value":21.5,"unit":"C","timestamp":1700000000000}, written into a buffer the
// app owns. Every character is ASCII (numbers and a fixed unit), so each one is one byte.

/** Longest payload: two doubles printed in full plus the fixed text. */
export const READING_PAYLOAD_MAX = 96;

function putAscii(out: Uint8Array, offset: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

/** A new array holding ASCII text, one byte per character. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  putAscii(out, 0, text);
  return out;
}

/** Writes the JSON at out[0...]; returns its length. `value` is rounded to hundredths. */
export function writeReadingPayload(out: Uint8Array, value: number, unit: string, timestamp: number): number {
  const rounded = Math.round(value * 100) / 100;
  let i = putAscii(out, 0, '{"value":');
  i = putAscii(out, i, Number.isFinite(rounded) ? String(rounded) : "null");
  i = putAscii(out, i, ',"unit":"');
  i = putAscii(out, i, unit);
  i = putAscii(out, i, '","timestamp":');
  i = putAscii(out, i, String(Math.floor(timestamp)));
  return putAscii(out, i, "}");
}
