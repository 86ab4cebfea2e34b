// Any number of timers on top of the XS host's one alarm: a list kept in due order, the alarm set for
// the earliest. Used by the bridge platform and by test code that expects setTimeout.
import { xsHost } from "./xs-globals";

interface Timer { due: number; callback: () => void; cancelled: boolean }

export class HostTimers {
  private readonly timers: Timer[] = [];

  set(delayMs: number, callback: () => void): Timer {
    const timer: Timer = { due: xsHost().now() + Math.max(0, delayMs), callback, cancelled: false };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.due > timer.due) i--;
    this.timers.splice(i, 0, timer);
    this.arm();
    return timer;
  }

  clear(timer: unknown): void {
    const i = this.timers.indexOf(timer as Timer);
    if (i < 0) return;
    this.timers[i]!.cancelled = true;
    this.timers.splice(i, 1);
    this.arm();
  }

  private arm(): void {
    const first = this.timers[0];
    if (!first) { xsHost().setAlarm(-1); return; }
    xsHost().setAlarm(Math.max(0, first.due - xsHost().now()), () => this.fire());
  }

  private fire(): void {
    const now = xsHost().now();
    while (this.timers.length > 0 && this.timers[0]!.due <= now) {
      const timer = this.timers.shift()!;
      timer.callback();
    }
    this.arm();
  }
}

/** setTimeout / clearTimeout for libraries that look for them (fast-check does). Test code only. */
export function installTimerGlobals(timers: HostTimers): void {
  const g = globalThis as Record<string, unknown>;
  g.setTimeout = (callback: () => void, ms?: number) => timers.set(ms ?? 0, callback);
  g.clearTimeout = (timer: unknown) => timers.clear(timer);
}
