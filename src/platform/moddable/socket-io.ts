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

/** What `embedded:network/websocket/client` (the SDK's examples/io/tcp/websocketclient) says about the
 * data it announces: `binary` is false for a text message; `more` is true until a message's last bytes. */
export interface WebSocketReadableInfo {
  more: boolean;
  binary: boolean;
}

/** `embedded:network/websocket/client` in "buffer" format, as the transport uses it. */
export interface WebSocketClient {
  /** Fills `into` with data of the current message; its length must not exceed what onReadable announced. */
  read(into: Uint8Array): unknown;
  /** Sends `bytes` as one binary message. Throws when they do not fit; returns the bytes still writable. */
  write(bytes: Uint8Array): unknown;
  /** Starts the closing handshake (or drops a connection not yet open). */
  close(): void;
}

/** What the SDK's WebSocket client takes: where to connect, the subprotocol, and its callbacks. */
export interface WebSocketClientOptions {
  /** Name (or address) to resolve through `dns`; also the Host header. */
  host: string;
  port: number;
  path: string;
  /** The one subprotocol offered (Sec-WebSocket-Protocol). */
  protocol: string;
  headers?: [string, string][];
  /** The client constructs `new dns.io(dns)` and calls resolve({host, onResolved, onError}) on it. */
  dns: { io: new (dns: never) => Resolver } & Record<string, unknown>;
  /** The client constructs `new socket.io({...socket, address, host, port, onReadable, onWritable, onError})`. */
  socket: { io: StreamSocketClass } & Record<string, unknown>;
  /** `count` bytes of a data message can be read(); `info.more`: the message continues. */
  onReadable(count: number, info: WebSocketReadableInfo): void;
  /** `count` bytes can be written now. */
  onWritable(count: number): void;
  /** A control frame arrived: 8 close, 9 ping (the client answers it), 10 pong. */
  onControl(opcode: number, data: ArrayBuffer): void;
  /** The closing handshake finished. */
  onClose(): void;
  /** The connection failed (lookup, socket, HTTP upgrade) or broke. The client reports no detail. */
  onError(): void;
}

/** The client's constructor, given to the platform as `io.WebSocket`. */
export type WebSocketClientClass = new (options: WebSocketClientOptions) => WebSocketClient;
