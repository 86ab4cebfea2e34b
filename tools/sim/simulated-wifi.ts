// Simulated Wi-Fi for one device: it joins after a delay, drops now and then, and rejoins. While it is
// down no connection opens, and a drop cuts every open connection without an MQTT DISCONNECT (so the
// broker publishes the device's will), as a lost radio link would.
// Timers come from the platform it wraps, so the same Wi-Fi runs on Node and inside XS (ENGINE=xs).
import type { Platform, TimerHandle, Transport, TransportHandler, TransportOptions } from "../../src/client/transport";
import type { NetworkStatus } from "../../src/app/index";

export interface WifiOptions {
  /** Time to join the network; default 500-1500 ms. */
  joinDelayMs?: number;
  /** Mean time between drops; 0 (default) never drops. */
  meanUptimeMs?: number;
  /** How long a drop lasts before rejoining starts; default 2000 ms. */
  outageMs?: number;
}

export class SimulatedWifi implements NetworkStatus {
  up = false;
  drops = 0;
  readonly platform: Platform;
  private readonly listeners: ((up: boolean) => void)[] = [];
  private readonly open = new Set<Transport>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly base: Platform, private readonly options: WifiOptions = {}, private readonly random = Math.random) {
    this.platform = {
      connect: (o, h) => this.connect(o, h),
      now: () => base.now(),
      setTimer: (d, cb): TimerHandle => base.setTimer(d, cb),
      clearTimer: (t) => base.clearTimer(t),
      random: () => base.random(),
    };
  }

  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Starts joining. */
  join(): void {
    const delay = this.options.joinDelayMs ?? 500 + this.random() * 1000;
    this.after(delay, () => this.set(true));
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private after(ms: number, step: () => void): void {
    this.cancel();
    if (!this.stopped) this.timer = this.base.setTimer(ms, step);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.base.clearTimer(this.timer);
    this.timer = undefined;
  }

  private set(up: boolean): void {
    this.up = up;
    if (up) this.scheduleDrop();
    else this.cutAll();
    for (const listener of this.listeners) listener(up);
  }

  private scheduleDrop(): void {
    const mean = this.options.meanUptimeMs ?? 0;
    if (mean <= 0) return;
    // Exponentially distributed uptime: drops come at random, not on a beat.
    const uptime = -Math.log(1 - this.random()) * mean;
    this.after(uptime, () => {
      this.drops++;
      this.set(false);
      this.after(this.options.outageMs ?? 2000, () => this.join());
    });
  }

  private cutAll(): void {
    for (const transport of this.open) transport.close();
    this.open.clear();
  }

  private connect(options: TransportOptions, handler: TransportHandler): Transport {
    if (!this.up) return refused(this.base, handler);
    const transport = this.base.connect(options, {
      onOpen: () => handler.onOpen(),
      onData: (b, s, e) => handler.onData(b, s, e),
      onWritable: () => handler.onWritable(),
      onClose: (error) => {
        this.open.delete(transport);
        handler.onClose(error ?? (this.up ? undefined : new Error("Wi-Fi lost")));
      },
    });
    this.open.add(transport);
    return transport;
  }
}

/** A connection attempt without a network: it fails on the next turn. */
function refused(base: Platform, handler: TransportHandler): Transport {
  base.setTimer(0, () => handler.onClose(new Error("no network")));
  return { write: () => 0, close: () => {} };
}
