// Well-formed UTF-8 check for a payload whose Payload Format Indicator is 1 (no overlongs, no surrogates,
// nothing above U+10FFFF), without decoding it.

export function isWellFormedUtf8(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; }
    else return false;
    if (i + n >= end) return false;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

/** The same check for a payload window: `length` bytes from `offset` (defaults: the whole array). */
export function isWellFormedUtf8Payload(b: Uint8Array, offset: number | undefined, length: number | undefined): boolean {
  const start = offset ?? 0;
  return isWellFormedUtf8(b, start, start + (length ?? b.length - start));
}
