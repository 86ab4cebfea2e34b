// The error a WebSocket transport reports when the opening handshake fails (RFC 6455 section 4.1). It
// reaches the app through the client's `error` event like any transport error, and the reconnect policy
// applies: a wrong path or a proxy that refuses the upgrade is retried with backoff.

/** What was wrong with the server's answer to the upgrade request. */
export const WebSocketHandshakeFailure = Object.freeze({
  /** An HTTP status other than 101 Switching Protocols (404 for a wrong path, 401, 502...). */
  STATUS: "status",
  /** The server did not select the "mqtt" subprotocol ([MQTT-6.0.0-4]). */
  SUBPROTOCOL: "subprotocol",
  /** Anything else: a malformed answer, a bad Sec-WebSocket-Accept, or no answer at all. */
  HANDSHAKE: "handshake",
});

/** One of the values of {@link WebSocketHandshakeFailure}. */
export type WebSocketHandshakeFailureKind = (typeof WebSocketHandshakeFailure)[keyof typeof WebSocketHandshakeFailure];

/** The WebSocket opening handshake failed: a wrong path (404), another HTTP status, another subprotocol, no
 * answer. Reported through the client's `error` event; the reconnect policy applies. */
export class WebSocketHandshakeError extends Error {
  /** The HTTP status of the server's answer; 0 when none was read. */
  readonly status: number;
  /** What was wrong (see {@link WebSocketHandshakeFailure}). */
  readonly kind: WebSocketHandshakeFailureKind;

  constructor(kind: WebSocketHandshakeFailureKind, status: number, detail: string) {
    super(`WebSocket handshake failed: ${detail}`);
    this.name = "WebSocketHandshakeError";
    this.kind = kind;
    this.status = status;
  }
}
