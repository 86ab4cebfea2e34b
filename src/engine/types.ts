// The engine's public types: how it is configured, what a connection asks for, what it reports back.
//
// Everything here is plain data or a callback interface, so the same engine runs on XS and on Node.
// Results are numbers (not objects) so the hot paths allocate nothing.

import type { Bytes, ConnackPacket, ProtocolVersion, PublishPacket, Will } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { Authenticator } from "./authenticator";
import type { SessionStore } from "./session-store";

/** Sizes fixed at construction: nothing the engine holds grows after that. */
export interface EngineConfig {
  /** Bytes waiting for the transport (default 1024). A packet that does not fit waits in the session store. */
  transmitBufferSize?: number;
  /** Receive buffer: the largest inbound packet (default 1024). Also caps the Maximum Packet Size we announce. */
  receiveBufferSize?: number;
  /** Where in-flight and queued outbound messages, inbound QoS 2 ids and subscriptions live. Default: a
   * MemorySessionStore with queueLimit + maxInflight records and queueByteLimit + 2 * transmitBufferSize
   * bytes. Pass the same store to a new Engine to keep a session. */
  store?: SessionStore;
  /** Our own cap on unacknowledged outbound QoS>0 publishes (default 16); the server's Receive Maximum may lower it. */
  maxInflight?: number;
  /** Publishes waiting to be sent (offline, or behind Receive Maximum): at most this many (default 32) ... */
  queueLimit?: number;
  /** ... and this many encoded bytes (default 4096). */
  queueByteLimit?: number;
  /** Outbound topic aliases we keep (default 8); the server's Topic Alias Maximum may lower it; 0 turns them off. */
  outboundTopicAliases?: number;
  /** How long to wait for PINGRESP before the connection is declared dead (default: half the keepalive, at least 1 s). */
  pingTimeoutMs?: number;
  /** How long to wait for CONNACK (and AUTH exchanges) after CONNECT was written (default 30 s). */
  connectTimeoutMs?: number;
}

/** What happens to in-flight publishes when the server answers CONNACK with session present = 0. */
export type SessionLostPolicy = "resend" | "fail";

/** What the engine's CONNECT carries; given to {@link Engine.connect}. */
export interface ConnectOptions {
  /** 5 (default), 4 (MQTT 3.1.1) or 3 (MQTT 3.1, protocol name "MQIsdp"; for old brokers). */
  protocolVersion?: ProtocolVersion;
  /** Empty (default) lets an MQTT 5 server assign one; the assigned identifier is adopted. MQTT 3.1 needs
   * 1 to 23 bytes. */
  clientId?: string;
  /** Clean Start / Clean Session for the first connection (default true). Later connections made with the
   * same options resume the session (clean start 0) when MQTT 5 session expiry is non-zero. */
  cleanStart?: boolean;
  /** Seconds (default 60); 0 turns keepalive off. A Server Keep Alive in CONNACK overrides it. */
  keepAlive?: number;
  username?: string;
  password?: Bytes;
  will?: Will;
  /** CONNECT properties: sessionExpiryInterval, receiveMaximum, maximumPacketSize (capped by the receive
   * buffer), topicAliasMaximum, requestResponseInformation, requestProblemInformation, userProperties.
   * authenticationMethod/Data come from `authenticator`. */
  properties?: Properties;
  /** Enhanced authentication (MQTT 5). */
  authenticator?: Authenticator;
  /** Default "resend": send in-flight publishes again as new messages; "fail": report them failed (LOCAL_SESSION_LOST). */
  sessionLostPolicy?: SessionLostPolicy;
  /** Subscribe again to the stored subscriptions when the server has no session (default true). */
  resubscribe?: boolean;
}

/** Engine.state values. */
export const EngineState = Object.freeze({
  /** No transport connection. */
  DISCONNECTED: 0,
  /** Transport open, CONNECT written (or about to be), waiting for CONNACK; AUTH exchanges happen here. */
  CONNECTING: 1,
  /** CONNACK success received. */
  CONNECTED: 2,
  /** We decided to end the connection (DISCONNECT written or fatal error): flush pending() then close. */
  CLOSING: 3,
} as const);
/** One of the numbers in {@link EngineState}. */
export type EngineStateValue = (typeof EngineState)[keyof typeof EngineState];

/** Negative results of publish(); a positive result is the message token, 0 means a QoS 0 publish was written. */
export const PublishResult = Object.freeze({
  /** QoS 0 publish written into the transmit buffer; no completion event follows. */
  WRITTEN: 0,
  /** The bounded queue (count or bytes) or the session store is full: nothing was stored. */
  QUEUE_FULL: -1,
} as const);

/** Local outcome codes passed to completion callbacks (above the 0..255 range of MQTT reason codes). */
export const LocalReason = Object.freeze({
  /** The server had no session (CONNACK session present = 0) and the policy is "fail". */
  SESSION_LOST: 0x100,
  /** The connection closed before SUBACK/UNSUBACK came back. */
  CONNECTION_LOST: 0x101,
  /** The PINGRESP did not come in time. */
  KEEPALIVE_TIMEOUT: 0x102,
  /** The CONNACK (or an AUTH step) did not come in time. */
  CONNECT_TIMEOUT: 0x103,
  /** The authenticator refused the server's data. */
  AUTH_FAILED: 0x104,
  /** A queued publish outlived its Message Expiry Interval before it could be written; it was dropped. */
  MESSAGE_EXPIRED: 0x105,
} as const);

/**
 * Events. Called synchronously from inside engine methods. Objects passed in are reused by the engine
 * and valid only during the call: copy what you keep. Handlers may call publish/subscribe/unsubscribe/
 * disconnect; after any engine call, check pending() for bytes to write. A handler that throws while the
 * engine processes received bytes ends the connection (DISCONNECT 0x80, onClose with that error).
 */
export interface EngineHandler {
  /** CONNACK arrived (after the server's limits were adopted). reasonCode >= 0x80 (or a 3.1.1 return code
   * other than 0) means refused: onClose follows. */
  onConnack(connack: ConnackPacket): void;
  /** An inbound application message. `topic` is resolved (topic alias applied); the payload is the window
   * [payloadOffset, payloadOffset + payloadLength) of `payload` (the receive buffer). The acknowledgement
   * is written after this returns. Inbound QoS 2 is delivered exactly once. */
  onMessage(message: PublishPacket): void;
  /** A publish identified by its token finished: QoS 1 PUBACK, QoS 2 PUBCOMP (or PUBREC >= 0x80), a queued
   * QoS 0 written, or a failure with a LocalReason. */
  onPublishDone(token: number, reasonCode: number, properties: Properties | undefined): void;
  /** SUBACK: one reason code per filter (granted QoS or >= 0x80), or [LocalReason.CONNECTION_LOST]. */
  onSubscribeDone(token: number, reasonCodes: readonly number[], properties: Properties | undefined): void;
  /** UNSUBACK: one reason code per filter (empty for 3.1.1), or [LocalReason.CONNECTION_LOST]. */
  onUnsubscribeDone(token: number, reasonCodes: readonly number[], properties: Properties | undefined): void;
  /** The server sent DISCONNECT (reason code, reason string, Server Reference in properties). onClose follows. */
  onDisconnect(reasonCode: number, properties: Properties | undefined): void;
  /** Re-authentication (or the AUTH exchange) completed with this AUTH/CONNACK reason code. Optional. */
  onAuthDone?(reasonCode: number, properties: Properties | undefined): void;
  /** The engine is finished with this connection: write out pending() if possible, then close the transport
   * and call connectionClosed(). `reasonCode` is what we sent in DISCONNECT (or a LocalReason), `error`
   * says why when it was not an orderly disconnect. */
  onClose(reasonCode: number, error: Error | undefined): void;
}
