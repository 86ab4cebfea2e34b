// The type of targets/deep-sleep-esp32.js (a native function, deep-sleep-esp32.c), for TypeScript.
/** Sleeps `ms` milliseconds in deep sleep; the chip then restarts from reset. Does not return. */
export default function deepSleep(ms: number): void;
