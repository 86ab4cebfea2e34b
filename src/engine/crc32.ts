// CRC-32 (IEEE 802.3: polynomial 0x04C11DB7, reflected, as zlib and PNG compute it). The flash session store
// puts one after every entry it writes, so a power cut in the middle of a write leaves an entry whose CRC does
// not match: it is recognised as torn and dropped, never read back as a different message.
//
// Table-driven: one lookup, one shift and two XORs per byte. The table is built once, at module load (on a
// device, at preload: it is frozen into flash with the module and costs no RAM).

const TABLE: readonly number[] = makeTable();

/** The running value to start a CRC with. */
export const CRC32_START = -1;

/** Takes bytes[start, end) into `crc` (a running value: CRC32_START, or what the last call returned). */
export function crc32Update(crc: number, bytes: Uint8Array, start: number, end: number): number {
  const table = TABLE;
  let i = start;
  // Four bytes a turn: on XS a fifth less than one (the loop's own test and step are interpreted too).
  for (const stop = end - 3; i < stop; i += 4) {
    crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    crc = table[(crc ^ bytes[i + 1]) & 0xff] ^ (crc >>> 8);
    crc = table[(crc ^ bytes[i + 2]) & 0xff] ^ (crc >>> 8);
    crc = table[(crc ^ bytes[i + 3]) & 0xff] ^ (crc >>> 8);
  }
  for (; i < end; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

/** The CRC of what a running value took in, as an unsigned 32-bit number. */
export function crc32Final(crc: number): number {
  return (crc ^ -1) >>> 0;
}

/** The CRC-32 of bytes[start, end). */
export function crc32(bytes: Uint8Array, start: number, end: number): number {
  return crc32Final(crc32Update(CRC32_START, bytes, start, end));
}

function makeTable(): readonly number[] {
  const table: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    // Kept as signed 32-bit integers: XS stores those in a slot without a double.
    table.push(c | 0);
  }
  return Object.freeze(table);
}
