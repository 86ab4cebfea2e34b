// Platform for Moddable apps using ECMA-419 sockets. The app passes the socket classes it included:
//
//   import TCP from "embedded:io/socket/tcp";
//   new Ecma419Platform({ io: { TCP, TLS, dns: { io: Resolver, servers: ["1.1.1.1"], socket: { io: UDP } } } })
//
// With `WebSocket` (embedded:network/websocket/client) in io too, connections with the websocket option
// carry MQTT over WebSocket, over TCP or TLS.

import type { Platform, Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { Ecma419Io, TransportContext } from "./ecma419-transport";
import { Ecma419Transport } from "./ecma419-transport";
import { ModdableClock } from "./clock";
import { Ecma419WebSocketTransport } from "./websocket-transport";

/** Options of {@link Ecma419Platform}. */
export interface ModdablePlatformOptions {
  /** Bytes read from the socket per step when the transport's handler names no readBuffer (the client's
   * does: its engine's receive buffer); made on first use (default 1024). */
  receiveBufferSize?: number;
}

/**
 * The {@link Platform} for Moddable apps with ECMA-419 sockets: the app passes the socket classes it
 * included (`TCP`, optionally `TLS`, and a DNS resolver for host names).
 */
export class Ecma419Platform extends ModdableClock implements Platform, TransportContext {
  readonly #io: Ecma419Io;
  readonly #receiveBufferSize: number;
  // Made for a connection whose handler names no readBuffer (the client's does: its engine's receive buffer).
  #receiveBuffer: Uint8Array | undefined = undefined;

  constructor(options: { io: Ecma419Io } & ModdablePlatformOptions) {
    super();
    this.#io = options.io;
    this.#receiveBufferSize = options.receiveBufferSize ?? 1024;
  }

  /** Scratch space for transports whose handler names no readBuffer: made on first use. */
  get receiveBuffer(): Uint8Array {
    return (this.#receiveBuffer ??= new Uint8Array(this.#receiveBufferSize));
  }

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    if (options.websocket !== undefined) return new Ecma419WebSocketTransport(this.#io, options, handler, this);
    return new Ecma419Transport(this.#io, options, handler, this);
  }
}
