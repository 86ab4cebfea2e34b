// PINGREQ and PINGRESP (3.12, 3.13): a fixed header and nothing else.

import type { Reader } from "./reader";

export function pingLength(): number {
  return 0;
}

export function decodePing(r: Reader, field: string): void {
  r.done(field);
}
