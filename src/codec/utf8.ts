// UTF-8 for MQTT strings, without TextEncoder/TextDecoder and without intermediate arrays.
//
// MQTT (1.5.4) requires well-formed UTF-8 with no U+0000 and no surrogate code points. The encoder
// measures a JS string first (utf8Length, which also rejects lone surrogates and U+0000), then writes it
// straight into the caller's buffer. The decoder validates shortest form, the U+10FFFF ceiling, surrogates
// and U+0000 while it builds the string.

import { MqttArgumentError, malformed } from "./errors";

// On XS, reading `s.length` or calling `s.charCodeAt(i)` on a primitive string boxes it (2 slots each
// time); calling the builtins through .call does not, and V8 inlines these calls as well as the method
// form. (Reading past the end instead of knowing the length would make V8 deoptimize charCodeAt.)
export const charCodeAt = String.prototype.charCodeAt;
const indexOf = String.prototype.indexOf;

/** `s.length` without a property read: an empty search from past the end stops at the length. */
export function lengthOf(s: string): number {
  return indexOf.call(s, "", 0x7fffffff);
}

/** UTF-8 byte length of `s`. Throws MqttArgumentError(argument) on a lone surrogate or U+0000. */
export function utf8Length(s: string, argument: string): number {
  let n = 0;
  for (let i = 0, len = lengthOf(s); i < len; i++) {
    const c = charCodeAt.call(s, i);
    if (c < 0x80) {
      if (c === 0) throw new MqttArgumentError(argument, "contains U+0000");
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = charCodeAt.call(s, i + 1); // NaN at the end fails the range test below
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        throw new MqttArgumentError(argument, "contains a lone surrogate");
      }
      n += 4;
      i++;
    } else {
      // XS without CESU-8 (Moddable's device builds) indexes strings by code point: charCodeAt gives
      // code points above U+FFFF whole instead of surrogate pairs.
      n += c > 0xffff ? 4 : 3;
    }
  }
  return n;
}

/** Writes `s` (already checked by utf8Length) at out[pos...]; returns the position after it. */
export function writeUtf8(out: Uint8Array, pos: number, s: string): number {
  for (let i = 0, len = lengthOf(s); i < len; i++) {
    let c = charCodeAt.call(s, i);
    if (c < 0x80) {
      out[pos++] = c;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if ((c >= 0xd800 && c <= 0xdbff) || c > 0xffff) {
      // A surrogate pair (V8, XS with CESU-8), or a whole code point (XS on devices: see utf8Length).
      if (c <= 0xffff) c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[pos++] = 0xf0 | (c >> 18);
      out[pos++] = 0x80 | ((c >> 12) & 0x3f);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    } else {
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/** The continuation byte at buf[i] (10xxxxxx), as its 6 payload bits, or -1. */
function cont(buf: Uint8Array, i: number, end: number): number {
  if (i >= end) return -1;
  const b = buf[i];
  return (b & 0xc0) === 0x80 ? b & 0x3f : -1;
}

/**
 * Decodes and validates the UTF-8 in buf[start, end). Throws MqttError 0x81 naming `field` on anything
 * MQTT forbids. Returns "" for an empty range without touching the buffer.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number, field: string): string {
  let i = start;
  while (i < end && buf[i] < 0x80 && buf[i] !== 0) i++;
  // An ASCII prefix becomes a string in one native call per chunk rather than one concatenation per
  // byte (which on XS would also leave a garbage string per byte).
  let s = i > start ? asciiString(buf, start, i) : "";
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      if (b === 0) throw malformed(field, "contains U+0000");
      s += String.fromCharCode(b);
      i += 1;
      continue;
    }
    const cp = decodeMultiByte(buf, i, end, b);
    if (cp < 0) throw malformed(field, "is not well-formed UTF-8");
    s += String.fromCodePoint(cp);
    i += cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return s;
}

const ASCII_CHUNK = 1024;

/** buf[start, end), known to be ASCII, as a string. */
function asciiString(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += ASCII_CHUNK) {
    const chunk = buf.subarray(i, Math.min(end, i + ASCII_CHUNK));
    s += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return s;
}

/** The code point of the 2-4 byte sequence at buf[i] led by `b`, or -1 when ill-formed or forbidden. */
function decodeMultiByte(buf: Uint8Array, i: number, end: number, b: number): number {
  if (b >= 0xc2 && b <= 0xdf) {
    const c1 = cont(buf, i + 1, end);
    return c1 < 0 ? -1 : ((b & 0x1f) << 6) | c1;
  }
  if (b >= 0xe0 && b <= 0xef) {
    const c1 = cont(buf, i + 1, end);
    const c2 = cont(buf, i + 2, end);
    if (c1 < 0 || c2 < 0) return -1;
    const cp = ((b & 0x0f) << 12) | (c1 << 6) | c2;
    // Overlong (< U+0800) or a surrogate code point.
    return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? -1 : cp;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const c1 = cont(buf, i + 1, end);
    const c2 = cont(buf, i + 2, end);
    const c3 = cont(buf, i + 3, end);
    if (c1 < 0 || c2 < 0 || c3 < 0) return -1;
    const cp = ((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    return cp < 0x10000 || cp > 0x10ffff ? -1 : cp;
  }
  return -1;
}

/**
 * True when buf[start, end) is exactly the UTF-8 encoding of `s` (a string that decodeUtf8 produced, so
 * already valid). Lets the decoder reuse the previous topic string without allocating a new one.
 */
export function utf8Equals(buf: Uint8Array, start: number, end: number, s: string): boolean {
  let pos = start;
  for (let i = 0, len = lengthOf(s); i < len; i++) {
    let c = charCodeAt.call(s, i);
    if (c < 0x80) {
      if (pos >= end || buf[pos++] !== c) return false;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) c = 0x10000 + ((c - 0xd800) << 10) + (charCodeAt.call(s, ++i) - 0xdc00);
    const n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (pos + n > end) return false;
    if (!sameMultiByte(buf, pos, c, n)) return false;
    pos += n;
  }
  return pos === end;
}

function sameMultiByte(buf: Uint8Array, pos: number, c: number, n: number): boolean {
  const lead = n === 2 ? 0xc0 | (c >> 6) : n === 3 ? 0xe0 | (c >> 12) : 0xf0 | (c >> 18);
  if (buf[pos] !== lead) return false;
  for (let k = 1; k < n; k++) {
    if (buf[pos + k] !== (0x80 | ((c >> (6 * (n - 1 - k))) & 0x3f))) return false;
  }
  return true;
}
