// A Transport over ECMA-419 sockets: `embedded:io/socket/tcp`, optionally wrapped by
// `embedded:io/socket/tcp/tls`, after a lookup through `embedded:network/dns/resolver/udp` when the
// host is a name.
//
// Backpressure: the socket says how much fits (onWritable(count), and write() returns what is still
// writable); write() hands over at most that much and reports the count, so nothing queues here.
// Reception: onReadable(count) is drained at once into the receive buffer, in buffer-sized steps.

import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { Resolver, ResolverClass, StreamSocket, StreamSocketClass, StreamSocketOptions } from "./socket-io";
import { literalAddress } from "./address";
import { moddableSecureOptions, serverName } from "./tls-options";
import { ViewCache } from "./view-cache";
import { TransportBase } from "./transport-base";

/** The socket classes, injected the ECMA-419 way. */
export interface Ecma419Io {
  TCP: StreamSocketClass;
  /** Needed only for TLS connections. */
  TLS?: StreamSocketClass;
  /** Needed only for host names: IPv4 literals and "localhost" connect directly. */
  dns?: { io: ResolverClass; servers: string[]; socket: { io: unknown } };
}

/** What a transport borrows from its platform. */
export interface TransportContext {
  /** Scratch space for received bytes; only valid during onData, so connections may share it. */
  receiveBuffer: Uint8Array;
  /** Runs the callback soon, outside the current call stack. */
  defer(callback: () => void): void;
}

/** A {@link Transport} over an ECMA-419 TCP (or TLS) socket, resolving host names first. */
export class Ecma419Transport extends TransportBase implements Transport {
  readonly #io: Ecma419Io;
  readonly #options: TransportOptions;
  readonly #outView = new ViewCache();
  readonly #inView = new ViewCache();
  #socket: StreamSocket | undefined = undefined;
  #resolver: Resolver | undefined = undefined;
  #writable = 0;
  #opened = false;
  #blocked = false;
  /** Bytes the socket holds that we have not read; read only while not paused. */
  #unread = 0;
  #paused = false;

  constructor(io: Ecma419Io, options: TransportOptions, handler: TransportHandler, context: TransportContext) {
    super(handler, context);
    this.#io = io;
    this.#options = options;
    this.guard(this.#start, undefined, undefined);
  }

  write(bytes: Uint8Array, start: number, end: number): number {
    const socket = this.#socket;
    if (this.closed || !this.#opened || socket === undefined) return 0;
    const count = Math.min(end - start, this.#writable);
    if (count < end - start) this.#blocked = true;
    if (count <= 0) return 0;
    let left: unknown;
    try {
      left = socket.write(this.#outView.view(bytes, start, start + count));
    } catch {
      // "would block": the socket's own count was smaller than ours. Nothing was taken.
      this.#writable = 0;
      this.#blocked = true;
      return 0;
    }
    this.#writable = typeof left === "number" ? left : this.#writable - count;
    return count;
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
      onReadable: (count) => this.guard(this.#onReadable, count, undefined),
      onWritable: (count) => this.guard(this.#onWritable, count, undefined),
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

  // The first onWritable means connected (for TLS: handshake done).
  #onWritable(count: number): void {
    if (this.closed) return;
    this.#writable = count;
    if (!this.#opened) {
      this.#opened = true;
      this.handler.onOpen();
    } else if (this.#blocked && count > 0) {
      this.#blocked = false;
      this.handler.onWritable();
    }
  }

  // onReadable reports every byte waiting in the socket; while the client has paused us they stay there
  // (the TCP window closes and the broker waits), and resume() reads them.
  #onReadable(count: number): void {
    this.#unread = count;
    this.#drain();
  }

  #drain(): void {
    const buffer = this.context.receiveBuffer;
    while (this.#unread > 0 && !this.#paused && !this.closed && this.#socket !== undefined) {
      const length = Math.min(this.#unread, buffer.length);
      this.#socket.read(this.#inView.view(buffer, 0, length));
      this.#unread -= length;
      this.handler.onData(buffer, 0, length);
    }
  }

  pause(): void {
    this.#paused = true;
  }

  /** Reads from the socket again after pause(). */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.guard(this.#drain, undefined, undefined);
  }

  protected release(): void {
    const socket = this.#socket;
    const resolver = this.#resolver;
    this.#socket = this.#resolver = undefined;
    this.#outView.clear();
    this.#inView.clear();
    socket?.close();
    resolver?.close();
  }
}
