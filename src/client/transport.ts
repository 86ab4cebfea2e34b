// What the client needs from a platform: a byte stream to the broker, a monotonic clock and one timer.
//
// The client drives the engine from these callbacks; implementations live in src/platform/host (Node)
// and src/platform/moddable (ECMA-419 sockets, legacy socket). A transport never queues without bound:
// write() takes what fits now and says how much, and onWritable() says when more fits.

/** TLS settings of a connection. */
export interface TlsOptions {
  /** PEM (Node) or DER (Moddable) trust anchors; the platform's defaults when absent. */
  ca?: string | Uint8Array | (string | Uint8Array)[];
  /** Client certificate and key for mutual TLS. */
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  /** Name for SNI and certificate validation; defaults to the host. */
  servername?: string;
  /** Certificate validation is on unless this is explicitly false. */
  rejectUnauthorized?: boolean;
  /** ALPN protocol names offered in the TLS handshake, in order of preference (for example
   * ["x-amzn-mqtt-ca"] for MQTT over TLS on port 443 at AWS IoT Core). None are offered when absent. */
  alpn?: string[];
}

/** MQTT over WebSocket (MQTT 5 section 6): the "mqtt" subprotocol, binary frames. */
export interface WebSocketOptions {
  /** Request path and query, starting with "/" (default "/mqtt"). */
  path?: string;
  /** Extra HTTP headers for the opening handshake (authorization, for example). */
  headers?: Record<string, string>;
}

/** Where a transport connects. */
export interface TransportOptions {
  host: string;
  port: number;
  /** TLS when present (or true for defaults); plain TCP otherwise. */
  tls?: TlsOptions | boolean;
  /** MQTT over WebSocket (over TLS too when `tls` is set: wss) when present; MQTT straight over the
   * connection otherwise. The client fills in the default path. */
  websocket?: WebSocketOptions;
}

/** What a transport reports to the client. */
export interface TransportHandler {
  /** The connection is open (TLS handshake done): the client may write. */
  onOpen(): void;
  /** Received bytes in bytes[start, end). The bytes are valid only during the call. */
  onData(bytes: Uint8Array, start: number, end: number): void;
  /**
   * Optional, for transports that read from their socket (rather than being handed buffers): where to read
   * the next bytes to, readBuffer[readStart, readBuffer.length), then to pass them on as
   * onData(readBuffer, readStart, readStart + n). The client points it at its engine's receive buffer, where
   * the bytes are parsed as they lie: nothing is copied, and the platform needs no buffer of its own.
   * Undefined: read into the transport's own buffer.
   */
  readonly readBuffer?: Uint8Array;
  readonly readStart?: number;
  /** More can be written now, after a write() that took less than it was given. */
  onWritable(): void;
  /** The connection ended; `error` is absent for an orderly close. Called once; no callback follows. */
  onClose(error?: Error): void;
}

/** A byte stream to the broker that never queues without bound. */
export interface Transport {
  /** Writes as much of bytes[start, end) as fits now; returns how many bytes were taken (0 to end-start). */
  write(bytes: Uint8Array, start: number, end: number): number;
  /** Closes the connection; onClose follows unless it already came. */
  close(): void;
  /** Optional flow control: stop delivering onData until resume(). The client pauses while received bytes
   * wait for the engine (its acknowledgements have no room); a transport without it is bounded by the
   * client's hold limit instead. */
  pause?(): void;
  /** Delivers onData again after pause(). */
  resume?(): void;
}

/** Whatever the platform's setTimer returns, handed back to clearTimer. */
export type TimerHandle = unknown;

/**
 * What the client needs from where it runs: a transport, a monotonic clock, timers and randomness.
 * NodePlatform (package root) and Ecma419Platform / LegacySocketPlatform (Moddable) implement it.
 */
export interface Platform {
  /** Opens a connection; the handler hears what happens to it. Errors arrive through onClose. */
  connect(options: TransportOptions, handler: TransportHandler): Transport;
  /** Monotonic milliseconds (may wrap; the engine compares times modulo 2^32 safely). */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Cancels a timer that has not fired. */
  clearTimer(handle: TimerHandle): void;
  /** A number in [0, 1) for reconnect jitter. */
  random(): number;
}
