// The Moddable side of Platform's clock and timer: Time.ticks (monotonic milliseconds) and Timer.
// Both platforms (ECMA-419 and legacy sockets) share it.

import Time from "time";
import Timer from "timer";
import type { TimerHandle } from "../../client/transport";

export class ModdableClock {
  now(): number {
    return Time.ticks;
  }

  /** Calls `callback` once after `delayMs` milliseconds (Moddable's Timer). */
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return Timer.set(callback, delayMs);
  }

  /** Cancels a timer that has not fired. */
  clearTimer(handle: TimerHandle): void {
    Timer.clear(handle as Timer);
  }

  random(): number {
    return Math.random();
  }

  /** Runs the callback on the next turn of the event loop. */
  defer(callback: () => void): void {
    Timer.set(callback, 0);
  }
}
