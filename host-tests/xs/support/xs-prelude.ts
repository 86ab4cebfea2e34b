// Imported first by every XS entry: the few globals that test helpers (not the library) expect and the
// XS host does not have: setTimeout/clearTimeout (fast-check) and TextEncoder (normal-form.ts).
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
