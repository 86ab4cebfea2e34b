// Per-operation cost on the XS test host: computrons and allocations of a steady-state operation.
import { xsHost } from "./xs-globals";

export interface Cost {
  /** Computrons per operation, the cost of the empty measuring loop removed. */
  computrons: number;
  /** Slots and chunk bytes allocated over all measured operations (0 = allocation-free). */
  slots: number;
  chunkBytes: number;
  operations: number;
}

const WARM_UP = 50;

/** Runs `operation` WARM_UP times, then `operations` times under the meter and the allocation counters. */
export function measure(operation: (i: number) => void, operations = 200): Cost {
  const xs = xsHost();
  for (let i = 0; i < WARM_UP; i++) operation(i);
  const empty = emptyLoopComputrons(operations);
  for (let attempt = 0; ; attempt++) {
    xs.gc();
    const collections = xs.gcCount();
    const slots = xs.slotsInUse();
    const chunks = xs.chunkBytes();
    xs.resetMeter();
    for (let i = 0; i < operations; i++) operation(i);
    const computrons = xs.resetMeter();
    const slotDelta = xs.slotsInUse() - slots;
    const chunkDelta = xs.chunkBytes() - chunks;
    // A collection in between makes the deltas meaningless (it frees what was there before): measure again.
    if (xs.gcCount() !== collections && attempt < 3) continue;
    if (xs.gcCount() !== collections) throw new Error("a collection ran during every measurement");
    return {
      computrons: Math.round((computrons - empty) / operations),
      slots: slotDelta,
      chunkBytes: chunkDelta,
      operations,
    };
  }
}

function emptyLoopComputrons(operations: number): number {
  const xs = xsHost();
  const nothing = (i: number): void => { void i; };
  xs.resetMeter();
  for (let i = 0; i < operations; i++) nothing(i);
  return xs.resetMeter();
}
