// The engine driven directly over a Platform (no client layer): the smallest loop that connects the
// sans-IO engine to a transport. Used to prove the XS bridge with real MQTT against mosquitto.
import type { Platform, TimerHandle, Transport } from "../../src/client/transport";
import type { ConnectOptions, EngineConfig, EngineHandler } from "../../src/engine/index";
import { Engine } from "../../src/engine/index";

export class EngineLink {
  readonly engine: Engine;
  private transport: Transport | null = null;
  private timer: TimerHandle | null = null;
  /** Received bytes the engine did not take yet (its acks had no room), fed again once the transport drains;
   * the transport is paused meanwhile. */
  private held: Uint8Array | null = null;

  constructor(private readonly platform: Platform, handler: EngineHandler, config?: EngineConfig) {
    // onClose must also close our transport: wrap the handler's onClose.
    const link = this;
    const wrapped: EngineHandler = Object.assign(Object.create(handler) as EngineHandler, {
      onClose(code: number, error: Error | undefined) {
        link.flush();
        link.transport?.close();
        handler.onClose(code, error);
      },
    });
    this.engine = new Engine(wrapped, config);
  }

  open(host: string, port: number, options: ConnectOptions): void {
    this.engine.connect(options, this.platform.now());
    this.transport = this.platform.connect({ host, port }, {
      onOpen: () => { this.engine.connectionOpened(this.platform.now()); this.after(); },
      onData: (bytes, start, end) => { this.received(bytes, start, end); this.after(); },
      onWritable: () => this.flush(),
      onClose: (error) => {
        this.transport = null;
        this.held = null; // bytes of a dead connection: the session resends what mattered
        if (this.timer !== null) this.platform.clearTimer(this.timer);
        this.timer = null;
        this.engine.connectionClosed(this.platform.now(), error);
      },
    });
  }

  /** Call after every engine command: writes what the engine produced and re-arms its poll timer. */
  after(): void {
    this.flush();
    const delay = this.engine.poll(this.platform.now());
    this.flush();
    if (this.timer !== null) this.platform.clearTimer(this.timer);
    this.timer = delay < 0 || !this.transport ? null : this.platform.setTimer(delay, () => { this.timer = null; this.after(); });
  }

  /** Feeds received bytes to the engine; what it does not take now is held, in order, after what waits. */
  private received(bytes: Uint8Array, start: number, end: number): void {
    const waiting = this.held;
    if (waiting === null) {
      start += this.engine.receive(bytes, start, end, this.platform.now());
      if (start === end) return;
      this.held = bytes.slice(start, end); // bytes are valid only during onData
    } else {
      const more = new Uint8Array(waiting.length + end - start);
      more.set(waiting);
      more.set(bytes.subarray(start, end), waiting.length);
      this.held = more;
    }
    this.transport?.pause?.();
  }

  /** Feeds held bytes again; true when the engine took some (its acks may then be waiting to go out). */
  private feedHeld(): boolean {
    const held = this.held;
    if (held === null) return false;
    const taken = this.engine.receive(held, 0, held.length, this.platform.now());
    this.held = taken === held.length ? null : held.subarray(taken);
    if (this.held === null) this.transport?.resume?.();
    return taken > 0;
  }

  private flush(): void {
    const e = this.engine;
    do {
      while (this.transport && e.pending() > 0) {
        const n = this.transport.write(e.transmitBuffer, e.pendingStart, e.pendingEnd);
        if (n <= 0) return;
        e.consumed(n);
      }
    } while (this.transport && this.feedHeld());
  }
}
