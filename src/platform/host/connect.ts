// connect(url, options): an MqttClient over the Node platform from an mqtt:// or mqtts:// URL, started.
// On Node a message handler's payload is a copy it may keep (copyPayloads defaults to true here, as
// MQTT.js users expect); copyPayloads: false gives the zero-copy views that MqttClient gives by default.
import { MqttArgumentError } from "../../codec/errors";
import { AsyncMqttClient } from "../../client/async-client";
import { MqttClient } from "../../client/mqtt-client";
import type { MqttClientOptions } from "../../client/options";
import { NodePlatform } from "./node-platform";
import type { NodeTransportOptions } from "./node-transport";

/** Options of {@link connect}: those of MqttClient but the platform (Node's) and the host (from the URL). */
export type NodeClientOptions = Omit<MqttClientOptions, "platform" | "host"> & {
  host?: string;
  /** Options for the Node transport itself. */
  transport?: NodeTransportOptions;
};

/**
 * Makes an {@link MqttClient} over Node's net/tls for an mqtt:// or mqtts:// URL (user and password may be
 * in it) and starts connecting; it reconnects after drops until end(). Throws MqttArgumentError for a bad URL.
 */
export function connect(url: string, options: NodeClientOptions = {}): MqttClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MqttArgumentError("url", `not a URL: ${url}`);
  }
  const secure = parsed.protocol === "mqtts:";
  if (!secure && parsed.protocol !== "mqtt:") throw new MqttArgumentError("url", "must start with mqtt:// or mqtts://");
  const { transport, ...rest } = options;
  const client = new MqttClient({
    ...rest,
    platform: new NodePlatform(transport),
    host: options.host ?? parsed.hostname,
    port: options.port ?? (parsed.port === "" ? (secure ? 8883 : 1883) : Number(parsed.port)),
    tls: secure ? (options.tls ?? true) : options.tls,
    copyPayloads: options.copyPayloads ?? true,
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
