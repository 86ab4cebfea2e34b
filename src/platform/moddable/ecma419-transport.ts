// A Transport over ECMA-419 sockets: `embedded:io/socket/tcp`, optionally wrapped by
// `embedded:io/socket/tcp/tls`, after a lookup through `embedded:network/dns/resolver/udp` when the
// host is a name.
//
// Backpressure and reception as StreamTransport says: writes sized by the socket's reported room, reads
// drained into the receive buffer in buffer-sized steps, left in the socket while paused.

import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { Resolver, ResolverClass, StreamSocket, StreamSocketClass, StreamSocketOptions, WebSocketClientClass } from "./socket-io";
import { literalAddress } from "./address";
import { moddableSecureOptions, serverName } from "./tls-options";
import { StreamTransport } from "./stream-transport";

/** The socket classes, injected the ECMA-419 way. */
export interface Ecma419Io {
  TCP: StreamSocketClass;
  /** Needed only for TLS connections. */
  TLS?: StreamSocketClass;
  /** Needed only for host names: IPv4 literals and "localhost" connect directly. */
  dns?: { io: ResolverClass; servers: string[]; socket: { io: unknown } };
  /** `embedded:network/websocket/client`; needed only for MQTT over WebSocket (ws, wss). */
  WebSocket?: WebSocketClientClass;
}

/** What a transport borrows from its platform (the platform itself: no object or closure per connection). */
export interface TransportContext {
  /** Scratch space for received bytes when the handler names no readBuffer; only valid during onData, so
   * connections may share it. */
  readonly receiveBuffer: Uint8Array;
  /** Runs the callback soon, outside the current call stack. */
  defer(callback: () => void): void;
}

/** A {@link Transport} over an ECMA-419 TCP (or TLS) socket, resolving host names first. */
export class Ecma419Transport extends StreamTransport implements Transport {
  readonly #io: Ecma419Io;
  readonly #options: TransportOptions;
  #socket: StreamSocket | undefined = undefined;
  #resolver: Resolver | undefined = undefined;

  constructor(io: Ecma419Io, options: TransportOptions, handler: TransportHandler, context: TransportContext) {
    super(handler, context, Infinity);
    this.#io = io;
    this.#options = options;
    this.guard(this.#start, undefined, undefined);
  }

  protected stream(): StreamSocket | undefined {
    return this.#socket;
  }

  #start(): void {
    const { host } = this.#options;
    const address = literalAddress(host);
    if (address !== undefined) return this.#open(address);
    const dns = this.#io.dns;
    if (dns === undefined) throw new Error(`no DNS resolver to look up ${host}`);
    const resolver = new dns.io({ servers: dns.servers, socket: dns.socket });
    this.#resolver = resolver;
    resolver.resolve({
      host,
      onResolved: (_name, resolved) => this.guard(this.#onResolved, resolved, undefined),
      onError: () => this.finish(new Error(`cannot resolve ${host}`)),
    });
  }

  #onResolved(address: string): void {
    if (this.closed) return;
    this.#resolver?.close();
    this.#resolver = undefined;
    this.#open(address);
  }

  #open(address: string): void {
    const { port, tls } = this.#options;
    const options: StreamSocketOptions = {
      address,
      port,
      nodelay: true,
      format: "buffer",
      onReadable: (count) => this.guard(this.readableCount, count, undefined),
      onWritable: (count) => this.guard(this.writableCount, count, undefined),
      onError: (message) => this.finish(new Error(message ?? "connection lost")),
    };
    if (!tls) {
      this.#socket = new this.#io.TCP(options);
      return;
    }
    const TLS = this.#io.TLS;
    if (TLS === undefined) throw new Error("TLS requested but no TLS socket class was given");
    options.host = serverName(tls, this.#options.host);
    options.secure = moddableSecureOptions(tls);
    options.TCP = { io: this.#io.TCP };
    this.#socket = new TLS(options);
  }

  protected release(): void {
    const socket = this.#socket;
    const resolver = this.#resolver;
    this.#socket = this.#resolver = undefined;
    this.clearViews();
    socket?.close();
    resolver?.close();
  }
}
