// connect(url, options): an MqttClient over the Node platform from a URL, started.
//
//   mqtt://host:1883   mqtts://host:8883           MQTT over TCP / TLS
//   ws://host:80/mqtt  wss://host:443/mqtt         MQTT over WebSocket / over TLS (the path defaults to /mqtt)
//
// On Node a message handler's payload is a copy it may keep (copyPayloads defaults to true here, as
// MQTT.js users expect); copyPayloads: false gives the zero-copy views that MqttClient gives by default.
import { MqttArgumentError } from "../../codec/errors";
import { AsyncMqttClient } from "../../client/async-client";
import { MqttClient } from "../../client/mqtt-client";
import type { MqttClientOptions } from "../../client/options";
import type { WebSocketOptions } from "../../client/transport";
import { DEFAULT_WEBSOCKET_PATH, defaultPort } from "../../client/websocket-options";
import { NodePlatform } from "./node-platform";
import type { NodeTransportOptions } from "./node-transport";

/** Options of {@link connect}: those of MqttClient but the platform (Node's) and the host (from the URL). */
export type NodeClientOptions = Omit<MqttClientOptions, "platform" | "host"> & {
  host?: string;
  /** Options for the Node transport itself. */
  transport?: NodeTransportOptions;
};

/** What each URL scheme means: TLS or not, WebSocket or not (tcp: and ssl: as MQTT.js takes them). */
const SCHEMES: Readonly<Record<string, Readonly<{ tls: boolean; websocket: boolean }>>> = Object.freeze({
  "mqtt:": Object.freeze({ tls: false, websocket: false }),
  "tcp:": Object.freeze({ tls: false, websocket: false }),
  "mqtts:": Object.freeze({ tls: true, websocket: false }),
  "ssl:": Object.freeze({ tls: true, websocket: false }),
  "ws:": Object.freeze({ tls: false, websocket: true }),
  "wss:": Object.freeze({ tls: true, websocket: true }),
});

/** What a broker URL says: where to connect and how, and credentials when it carries them. */
export interface BrokerUrl {
  host: string;
  port: number;
  tls: boolean;
  /** For ws:// and wss://: the URL's path and query, or /mqtt when it names none ("ws://host:port"). */
  websocket?: WebSocketOptions;
  username?: string;
  password?: string;
}

/** Reads a broker URL: mqtt://, tcp://, mqtts://, ssl://, ws:// or wss://, with user and password if it has
 * them. Throws MqttArgumentError for anything else. */
export function parseBrokerUrl(url: string): BrokerUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MqttArgumentError("url", `not a URL: ${url}`);
  }
  const scheme = SCHEMES[parsed.protocol];
  if (scheme === undefined) throw new MqttArgumentError("url", "must start with mqtt://, mqtts://, ws:// or wss://");
  const host = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === "" ? defaultPort(scheme.tls, scheme.websocket) : Number(parsed.port);
  const broker: BrokerUrl = { host, port, tls: scheme.tls };
  if (scheme.websocket) {
    const named = /^[a-z]+:\/\/[^/?#]*[/?]/i.test(url);
    broker.websocket = { path: named ? `${parsed.pathname}${parsed.search}` : DEFAULT_WEBSOCKET_PATH };
  }
  if (parsed.username !== "") broker.username = decodeURIComponent(parsed.username);
  if (parsed.password !== "") broker.password = decodeURIComponent(parsed.password);
  return broker;
}

/** An MqttClient for the broker at `url` (see parseBrokerUrl), started; `options` take precedence. */
export function connect(url: string, options: NodeClientOptions = {}): MqttClient {
  const broker = parseBrokerUrl(url);
  const { transport, ...rest } = options;
  const client = new MqttClient({
    ...rest,
    platform: new NodePlatform(transport),
    host: options.host ?? broker.host,
    port: options.port ?? broker.port,
    tls: broker.tls ? (options.tls ?? true) : options.tls,
    copyPayloads: options.copyPayloads ?? true,
    ...(broker.websocket ? { websocket: webSocketOptions(broker.websocket, options.websocket) } : {}),
    ...(broker.username !== undefined && options.username === undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined && options.password === undefined ? { password: broker.password } : {}),
  });
  return client.connect();
}

/** connect() and wait for the first CONNACK. */
export async function connectAsync(url: string, options: NodeClientOptions = {}): Promise<AsyncMqttClient> {
  const client = connect(url, { ...options });
  const wrapped = new AsyncMqttClient(client);
  await wrapped.connectAsync();
  return wrapped;
}

/** The URL's WebSocket options, with options.websocket (its path too) taking precedence. */
function webSocketOptions(fromUrl: WebSocketOptions, given: NodeClientOptions["websocket"]): WebSocketOptions {
  if (given === undefined || typeof given === "boolean") return fromUrl;
  return { ...fromUrl, ...given };
}
