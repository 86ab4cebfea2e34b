// The shapes of the Moddable socket classes as the transports use them. The classes themselves are
// injected (ECMA-419 style: `socket: {io: TCP}`), so the library imports no socket module: an app
// includes only the socket implementations it needs, and host tests can substitute fakes.

/** ECMA-419 stream socket (`embedded:io/socket/tcp`, `embedded:io/socket/tcp/tls`) in "buffer" format. */
export interface StreamSocket {
  /** Fills `into` whole; its length must not exceed what onReadable announced. */
  read(into: Uint8Array): unknown;
  /** Throws when the bytes do not fit. Returns the bytes still writable (TCP, TLS) or undefined. */
  write(bytes: Uint8Array): unknown;
  /** Closes the socket; no callback follows. */
  close(): void;
}

/** What a transport passes to a {@link StreamSocketClass} constructor. */
export interface StreamSocketOptions {
  address: string;
  port: number;
  nodelay: boolean;
  format: "buffer";
  /** `count` bytes can be read. */
  onReadable(count: number): void;
  /** `count` bytes can be written. */
  onWritable(count: number): void;
  /** The connection failed or broke. */
  onError(message?: string): void;
  /** TLS only: name for SNI and certificate checks. */
  host?: string;
  /** TLS only: Moddable's TLS session options (certificate, verify, clientCertificates, clientKey). */
  secure?: Record<string, unknown>;
  /** TLS only: the TCP class the TLS socket runs over. */
  TCP?: { io: StreamSocketClass };
}

/** An ECMA-419 stream socket class (`TCP` or `TLS`), as the app imports it. */
export type StreamSocketClass = new (options: StreamSocketOptions) => StreamSocket;

/** `embedded:network/dns/resolver/udp`. */
export interface Resolver {
  /** Looks `host` up; onResolved or onError follows. */
  resolve(request: {
    host: string;
    onResolved(host: string, address: string): void;
    onError(host: string): void;
  }): void;
  /** Closes the resolver. */
  close(): void;
}

/** An ECMA-419 DNS resolver class (`embedded:network/dns/resolver/udp`). */
export type ResolverClass = new (options: { servers: string[]; socket: { io: unknown } }) => Resolver;

/** Legacy `socket` Socket and `securesocket` SecureSocket: one callback with numbered messages. */
export interface LegacySocket {
  /** Set by the transport: receives the numbered socket messages. */
  callback: (message: number, value?: number) => void;
  /** With ArrayBuffer: everything received so far. */
  read(type: ArrayBufferConstructor): ArrayBuffer;
  /** With no argument: how many bytes fit now. With bytes: sends them all or throws. */
  write(bytes?: Uint8Array): unknown;
  /** Closes the socket. */
  close(): void;
}

/** The legacy `Socket` or `SecureSocket` class. */
export type LegacySocketClass = new (options: Record<string, unknown>) => LegacySocket;

/** Legacy socket callback messages (socket.js: Socket.connected, readable, writable, disconnected, error). */
export const LegacyMessage = Object.freeze({
  connected: 1,
  readable: 2,
  writable: 3,
  disconnected: -1,
  error: -2,
});
