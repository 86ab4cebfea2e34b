// Moddable's simulator (mcsim) has no deep sleep: the lin firmware runs awake (sleep=0), with its session on
// a file (flash-lin.ts). The XS simulator's devices (make sim ARGS="--sleep ...") are where sleep is simulated.

import type { PowerControl } from "mqtt5/app/ports";

export function createPower(): PowerControl {
  throw new RangeError("mc/config sleep: Moddable's simulator has no deep sleep; build lin with sleep=0");
}
