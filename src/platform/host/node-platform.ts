// The Node platform: net/tls and WebSocket (ws/wss) transports, a monotonic clock and Node timers.
import type { Platform, TimerHandle, Transport, TransportHandler, TransportOptions } from "../../client/transport";
import { NodeTransport, type NodeTransportOptions } from "./node-transport";
import { NodeWebSocketTransport } from "./node-websocket-transport";

/** The {@link Platform} for Node: net/tls transports, a monotonic clock and Node's timers. */
export class NodePlatform implements Platform {
  constructor(private readonly transportOptions: NodeTransportOptions = {}) {}

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    if (options.websocket !== undefined) return new NodeWebSocketTransport(options, handler, this.transportOptions);
    return new NodeTransport(options, handler, this.transportOptions);
  }

  /** performance.now() is monotonic (wall-clock changes do not move it); whole ms, wrapping at 2^32. */
  now(): number {
    return Math.floor(performance.now()) >>> 0;
  }

  /** Calls `callback` once after `delayMs` milliseconds (setTimeout). */
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return setTimeout(callback, Math.max(0, delayMs));
  }

  /** Cancels a timer that has not fired. */
  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  random(): number {
    return Math.random();
  }
}
