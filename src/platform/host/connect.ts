// connect(url, options): an MqttClient over the Node platform from a URL, started.
//
//   mqtt://host:1883   mqtts://host:8883           MQTT over TCP / TLS
//   ws://host:80/mqtt  wss://host:443/mqtt         MQTT over WebSocket / over TLS (the path defaults to /mqtt)
import { MqttArgumentError } from "../../codec/errors";
import { AsyncMqttClient } from "../../client/async-client";
import { MqttClient } from "../../client/mqtt-client";
import type { MqttClientOptions } from "../../client/options";
import type { WebSocketOptions } from "../../client/transport";
import { DEFAULT_WEBSOCKET_PATH, defaultPort } from "../../client/websocket-options";
import { NodePlatform } from "./node-platform";
import type { NodeTransportOptions } from "./node-transport";

export type NodeClientOptions = Omit<MqttClientOptions, "platform" | "host"> & {
  host?: string;
  /** Options for the Node transport itself. */
  transport?: NodeTransportOptions;
};

/** What each URL scheme means: TLS or not, WebSocket or not. */
const SCHEMES: Readonly<Record<string, Readonly<{ tls: boolean; websocket: boolean }>>> = Object.freeze({
  "mqtt:": Object.freeze({ tls: false, websocket: false }),
  "mqtts:": Object.freeze({ tls: true, websocket: false }),
  "ws:": Object.freeze({ tls: false, websocket: true }),
  "wss:": Object.freeze({ tls: true, websocket: true }),
});

export function connect(url: string, options: NodeClientOptions = {}): MqttClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MqttArgumentError("url", `not a URL: ${url}`);
  }
  const scheme = SCHEMES[parsed.protocol];
  if (scheme === undefined) throw new MqttArgumentError("url", "must start with mqtt://, mqtts://, ws:// or wss://");
  const { transport, ...rest } = options;
  const client = new MqttClient({
    ...rest,
    platform: new NodePlatform(transport),
    host: options.host ?? hostOf(parsed),
    port: options.port ?? (parsed.port === "" ? defaultPort(scheme.tls, scheme.websocket) : Number(parsed.port)),
    tls: scheme.tls ? (options.tls ?? true) : options.tls,
    ...(scheme.websocket ? { websocket: webSocketOptions(url, parsed, options.websocket) } : {}),
    ...(parsed.username !== "" && options.username === undefined ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== "" && options.password === undefined ? { password: decodeURIComponent(parsed.password) } : {}),
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

/** URL keeps IPv6 literals in brackets; sockets want them bare. */
function hostOf(parsed: URL): string {
  const host = parsed.hostname;
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** The URL's path and query, or /mqtt when the URL names none ("ws://host:port"); options.websocket
 * (its path too) takes precedence. */
function webSocketOptions(url: string, parsed: URL, given: NodeClientOptions["websocket"]): WebSocketOptions {
  const named = /^[a-z]+:\/\/[^/?#]*[/?]/i.test(url);
  const fromUrl: WebSocketOptions = { path: named ? `${parsed.pathname}${parsed.search}` : DEFAULT_WEBSOCKET_PATH };
  if (given === undefined || typeof given === "boolean") return fromUrl;
  return { ...fromUrl, ...given };
}
