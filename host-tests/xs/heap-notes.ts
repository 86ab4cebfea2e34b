// Device-heap figures of a client or app run on XS, noted for the Node side (tests, bench:xs):
// - `<prefix>.<point>`: device bytes charged since deviceHeap() (tools/xs/platform.c): the heap's growth at
//   16 bytes a slot, plus chunk bytes, plus the 371-slot stack. This is what the 32 KB limit is held against.
//   What was live at deviceHeap() counts as flash: its room is not reused once it is garbage (the bundle's
//   module-level objects that nothing references after the module's evaluation), so growth after the
//   evaluation is charged like any other.
// - `<prefix>.<point>.retained-slots` / `.retained-chunk-bytes` / `.retained-bytes`: what the client (or app)
//   keeps at `point`: live counts after a collection at `point`, minus the same once it is closed and
//   dropped. Both are taken after the module's evaluation, so that garbage is in neither.
// Counters are read before anything is noted (printing a note allocates).
import type { Platform } from "../../src/client/transport";
import { xsHost } from "../../tools/xs/xs-globals";
import type { CaseContext } from "./support/xs-case";

export interface HeapNotes {
  /** Notes the charged device bytes at `point` (e.g. "connected") and returns them; keeps the live counts. */
  at(point: string): number;
  /**
   * On a later turn of `platform`'s timers (the caller has dropped the client by then), notes what the client
   * kept at the last `at()` point, then calls `done`. Pass `done` as is (e.g. a promise's resolve): a closure
   * made where the client is in scope could keep it alive. With `released`, waits (polling every 20 ms)
   * until it returns true, e.g. until the connection has closed; pass a module-level function too.
   */
  retainedAfterRelease(platform: Platform, done: () => void, released?: (platform: Platform) => boolean): void;
}

/** Starts device-heap accounting against `limitBytes` and notes `<prefix>.at-start`. */
export function startHeapNotes(context: CaseContext, prefix: string, limitBytes: number): HeapNotes {
  const xs = xsHost();
  context.note(`${prefix}.at-start`, xs.deviceHeap(limitBytes));
  let point = "";
  let liveSlots = 0;
  let liveChunks = 0;
  return {
    at(name) {
      const charged = xs.deviceHeapBytes();
      xs.gc();
      liveSlots = xs.slotsInUse();
      liveChunks = xs.chunkBytes();
      point = name;
      context.note(`${prefix}.${name}`, charged);
      return charged;
    },
    retainedAfterRelease(platform, done, released) {
      const measure = (): void => {
        if (released && !released(platform)) { platform.setTimer(20, measure); return; }
        xs.gc();
        const slots = liveSlots - xs.slotsInUse();
        const chunks = liveChunks - xs.chunkBytes();
        context.note(`${prefix}.${point}.retained-slots`, slots);
        context.note(`${prefix}.${point}.retained-chunk-bytes`, chunks);
        context.note(`${prefix}.${point}.retained-bytes`, 16 * slots + chunks);
        done();
      };
      platform.setTimer(0, measure);
    },
  };
}
