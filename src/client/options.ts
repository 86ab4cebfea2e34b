// MqttClient options (MQTT.js names where they fit) and their checks. A bad value throws
// MqttArgumentError naming the option, before anything connects.

import { MqttArgumentError } from "../codec/errors";
import type { Bytes, ProtocolVersion, Will } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { Authenticator, ConnectOptions, EngineConfig, SessionLostPolicy, SessionStore } from "../engine/index";
import type { BackoffOptions } from "../engine/index";
import type { Platform, TlsOptions, TransportOptions, WebSocketOptions } from "./transport";
import { checkTls, defaultPort, webSocketOptions } from "./websocket-options";

/** How reconnect delays grow (see {@link MqttClientOptions.backoff}). */
export interface ReconnectBackoffOptions {
  /** First delay in ms (default: reconnectPeriod). */
  min?: number;
  /** Cap in ms (default 60000). */
  max?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomised, 0 to 1 (default 0.5). */
  jitter?: number;
  /** A connection that stayed up this long (ms) resets the backoff (default 30000). */
  stableAfter?: number;
}

/** Options of {@link MqttClient}; a bad value throws MqttArgumentError naming it. */
export interface MqttClientOptions {
  platform: Platform;
  host: string;
  /** Default 1883, or 8883 with tls (80 / 443 with websocket). */
  port?: number;
  /** TLS options (or true for the platform's defaults); plain TCP when absent. */
  tls?: TlsOptions | boolean;
  /** MQTT over WebSocket (true: path "/mqtt"); over TLS (wss) when `tls` is set too. */
  websocket?: WebSocketOptions | boolean;
  /** Empty (default) lets an MQTT 5 server assign one. */
  clientId?: string;
  /** Seconds (default 60); 0 turns keepalive off. */
  keepalive?: number;
  /** Clean Start / Clean Session on the first connection (default true). Reconnects resume the session
   * when properties.sessionExpiryInterval is non-zero (MQTT 5) or clean is false (3.1.1). */
  clean?: boolean;
  /** 5 (default), 4 (MQTT 3.1.1) or 3 (MQTT 3.1, for old brokers: needs a clientId of 1 to 23 bytes). */
  protocolVersion?: ProtocolVersion;
  will?: Will;
  username?: string;
  password?: Bytes;
  /** CONNECT properties (MQTT 5): sessionExpiryInterval, receiveMaximum, topicAliasMaximum, ... */
  properties?: Properties;
  authenticator?: Authenticator;
  /** Milliseconds before the first reconnect attempt (default 1000); 0 turns reconnecting off. */
  reconnectPeriod?: number;
  /** Exponential backoff with jitter on top of reconnectPeriod. */
  backoff?: ReconnectBackoffOptions;
  /** Milliseconds for the transport to open, and then for CONNACK (default 30000). */
  connectTimeout?: number;
  /** Subscribe again when a reconnect finds no session (default true). */
  resubscribe?: boolean;
  /** Where the session lives; pass the same store to a new client to continue a session. */
  sessionStore?: SessionStore;
  sessionLostPolicy?: SessionLostPolicy;
  /** Go to the server a CONNACK or DISCONNECT names in Server Reference (0x9C/0x9D) (default true). */
  followServerReference?: boolean;
  /** Buffer and queue sizes (see EngineConfig); fixed at construction. */
  engine?: EngineConfig;
  /** false (default): the `message` event's payload is a view into the receive buffer, valid only during
   * the call (no allocation per message, what a device wants). true: a copy the handler may keep (what
   * MQTT.js users expect; the Node connect() sets it unless told otherwise). */
  copyPayloads?: boolean;
}

export interface NormalizedOptions {
  platform: Platform;
  transport: TransportOptions;
  connect: ConnectOptions;
  engine: EngineConfig;
  reconnectPeriod: number;
  backoff: BackoffOptions;
  connectTimeout: number;
  followServerReference: boolean;
  copyPayloads: boolean;
}

export function normalizeOptions(o: MqttClientOptions): NormalizedOptions {
  if (o === null || typeof o !== "object") throw new MqttArgumentError("options", "must be an object");
  const p = o.platform;
  if (p === null || typeof p !== "object" || typeof p.connect !== "function") {
    throw new MqttArgumentError("options.platform", "must be a Platform");
  }
  if (typeof o.host !== "string" || o.host === "") throw new MqttArgumentError("options.host", "must be a non-empty string");
  const websocket = webSocketOptions(o.websocket, "options.websocket");
  checkTls(o.tls, "options.tls");
  const port = o.port ?? defaultPort(!!o.tls, websocket !== undefined);
  checkInteger("options.port", port, 1, 65535);
  const keepAlive = o.keepalive ?? 60;
  checkInteger("options.keepalive", keepAlive, 0, 65535);
  const protocolVersion = o.protocolVersion ?? 5;
  if (protocolVersion !== 3 && protocolVersion !== 4 && protocolVersion !== 5) {
    throw new MqttArgumentError("options.protocolVersion", "must be 3, 4 or 5");
  }
  if (o.clientId !== undefined && typeof o.clientId !== "string") throw new MqttArgumentError("options.clientId", "must be a string");
  if (o.clean !== undefined && typeof o.clean !== "boolean") throw new MqttArgumentError("options.clean", "must be a boolean");
  const reconnectPeriod = o.reconnectPeriod ?? 1000;
  checkInteger("options.reconnectPeriod", reconnectPeriod, 0, 0x7fffffff);
  const connectTimeout = o.connectTimeout ?? 30000;
  checkInteger("options.connectTimeout", connectTimeout, 1, 0x7fffffff);
  const connect: ConnectOptions = { protocolVersion, keepAlive, cleanStart: o.clean ?? true, clientId: o.clientId ?? "" };
  if (o.username !== undefined) connect.username = o.username;
  if (o.password !== undefined) connect.password = o.password;
  if (o.will !== undefined) connect.will = o.will;
  if (o.properties !== undefined) connect.properties = o.properties;
  if (o.authenticator !== undefined) connect.authenticator = o.authenticator;
  if (o.sessionLostPolicy !== undefined) connect.sessionLostPolicy = o.sessionLostPolicy;
  if (o.resubscribe !== undefined) connect.resubscribe = o.resubscribe;
  const engine: EngineConfig = { connectTimeoutMs: connectTimeout, ...o.engine };
  if (o.sessionStore !== undefined) engine.store = o.sessionStore;
  const transport: TransportOptions = { host: o.host, port };
  if (o.tls !== undefined && o.tls !== false) transport.tls = o.tls;
  if (o.copyPayloads !== undefined && typeof o.copyPayloads !== "boolean") throw new MqttArgumentError("options.copyPayloads", "must be a boolean");
  if (websocket !== undefined) transport.websocket = websocket;
  return {
    platform: p, transport, connect, engine, reconnectPeriod, backoff: backoffOptions(o.backoff, reconnectPeriod), connectTimeout,
    followServerReference: o.followServerReference ?? true, copyPayloads: o.copyPayloads ?? false,
  };
}

function backoffOptions(b: ReconnectBackoffOptions | undefined, period: number): BackoffOptions {
  const out: BackoffOptions = { minDelayMs: b?.min ?? period };
  if (b === undefined) return out;
  if (b.max !== undefined) out.maxDelayMs = checkNumber("options.backoff.max", b.max, 0);
  if (b.factor !== undefined) out.factor = checkNumber("options.backoff.factor", b.factor, 1);
  if (b.jitter !== undefined) out.jitter = checkNumber("options.backoff.jitter", b.jitter, 0, 1);
  if (b.stableAfter !== undefined) out.stableAfterMs = checkNumber("options.backoff.stableAfter", b.stableAfter, 0);
  if (b.min !== undefined) checkNumber("options.backoff.min", b.min, 0);
  return out;
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MqttArgumentError(name, `must be an integer from ${min} to ${max}`);
  }
}

function checkNumber(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new MqttArgumentError(name, `must be a number from ${min}${max === Infinity ? " up" : ` to ${max}`}`);
  }
  return value;
}
