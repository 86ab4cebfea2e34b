// The firmware's settings, read from mc/config. Values given on the mcconfig command line
// (`mcconfig -p esp32 broker=10.0.0.2 port=8883 tls=true`) arrive as strings, manifest defaults as
// numbers and booleans: both are accepted. Wi-Fi's ssid/password are read by Moddable's setup/network,
// so the broker credentials are named mqttUser/mqttPassword.

export interface DeviceSettings {
  /** From `url` (mqtt://, mqtts://, ws:// or wss://host[:port][/path]) when given, else from the fields below. */
  broker: string;
  port: number;
  tls: boolean;
  /** MQTT over WebSocket (ws, or wss with tls) instead of MQTT over TCP. */
  websocket: boolean;
  /** The WebSocket request path (and query). */
  path: string;
  /** Name of the DER CA certificate resource trusted for TLS ("" for the firmware's built-in roots). */
  ca: string;
  mqttUser: string;
  mqttPassword: string;
  deviceId: string;
  /** Milliseconds between readings. */
  interval: number;
  qos: 0 | 1 | 2;
  /** "simulated", or the name of a sensor driver the target includes ("tmp117"). */
  sensor: string;
  /** Size of the client's transmit and receive buffers, and of the transport's read steps. */
  bufferSize: number;
  /** QoS 1/2 publishes in flight at once (the engine's maxInflight). */
  inflight: number;
  /** Publishes that may wait (offline, behind Receive Maximum), by count and by encoded bytes. */
  queue: number;
  queueBytes: number;
  /** Topic aliases we assign to our own topics (up to the server's maximum). */
  topicAliases: number;
  /** Readings taken while disconnected all wait in the client's queue, not only the newest (TemperatureApp). */
  queueOffline: boolean;
  /** DNS server for the ECMA-419 resolver. */
  dns: string;
  /** Deep-sleep mode: ms asleep between wakes (0: stay awake). Implies `store`. */
  sleep: number;
  /** Deep-sleep mode: the longest a wake lasts (ms). */
  awake: number;
  /** Keep the session (queued and in-flight readings) on flash: it survives reboots and power cuts. */
  store: boolean;
  /** Flash blocks (4 KB) the store uses: two halves, each holds the live session. */
  storeBlocks: number;
  /** Readings that may wait in the store while the broker is out of reach. */
  storeQueue: number;
  /** lin: the file that stands in for the flash ("" for /tmp/mqtt5-xs-<deviceId>.flash). */
  storeFile: string;
  /** trace() "reading accepted <timestamp>" (or refused) for every reading (lin-check reads them). */
  traceReadings: boolean;
}

type Config = Readonly<Record<string, unknown>>;

export function readSettings(config: Config): DeviceSettings {
  const url = text(config, "url", "");
  const broker: BrokerSettings = url === "" ? {
    broker: text(config, "broker", "127.0.0.1"),
    port: integer(config, "port", 1883),
    tls: flag(config, "tls"),
    websocket: flag(config, "websocket"),
    path: text(config, "path", "/mqtt"),
  } : brokerUrl(url);
  const sleep = integer(config, "sleep", 0);
  return {
    ...broker,
    ca: text(config, "ca", ""),
    mqttUser: text(config, "mqttUser", ""),
    mqttPassword: text(config, "mqttPassword", ""),
    deviceId: text(config, "deviceId", "moddable"),
    interval: integer(config, "interval", 5000),
    qos: qos(integer(config, "qos", 1)),
    sensor: text(config, "sensor", "simulated"),
    bufferSize: integer(config, "bufferSize", 1024),
    inflight: integer(config, "inflight", 16),
    queue: integer(config, "queue", 32),
    queueBytes: integer(config, "queueBytes", 4096),
    topicAliases: integer(config, "topicAliases", 8),
    queueOffline: flag(config, "queueOffline"),
    dns: text(config, "dns", "1.1.1.1"),
    sleep,
    awake: integer(config, "awake", 20000),
    store: sleep > 0 || flag(config, "store"),
    storeBlocks: integer(config, "storeBlocks", 4),
    storeQueue: integer(config, "storeQueue", 16),
    storeFile: text(config, "storeFile", ""),
    traceReadings: flag(config, "traceReadings"),
  };
}

/**
 * The engine's sizes from the settings. The defaults are the engine's own (what the ESP32 build runs); the
 * esp8266 target lowers them to what a 32 KB heap holds (measured on XS: host-tests/xs, ESP8266_ENGINE_CONFIG).
 */
export function engineConfig(settings: DeviceSettings) {
  return {
    transmitBufferSize: settings.bufferSize,
    receiveBufferSize: settings.bufferSize,
    maxInflight: settings.inflight,
    // With the store the queue is on flash: its limits cost no RAM (the store refuses what it has no room for).
    queueLimit: settings.store ? settings.storeQueue : settings.queue,
    queueByteLimit: settings.store ? settings.storeQueue * settings.bufferSize : settings.queueBytes,
    outboundTopicAliases: settings.topicAliases,
  };
}

/** The session store's index: a record for every reading that may wait and every publish in flight. */
export function storeOptions(settings: DeviceSettings) {
  return { records: settings.storeQueue + settings.inflight, inbound: 8 };
}

type BrokerSettings = Pick<DeviceSettings, "broker" | "port" | "tls" | "websocket" | "path">;

const URL_PATTERN = /^(mqtts?|wss?):\/\/([^/?#:[\]]+|\[[^\]]+\])(?::(\d+))?([/?][^#]*)?$/;

/** `url=ws://host:port/path` (mqtt, mqtts, ws, wss), as connect(url) reads it on Node; XS has no URL class. */
export function brokerUrl(url: string): BrokerSettings {
  const match = URL_PATTERN.exec(url);
  if (match === null) throw new RangeError("mc/config url: mqtt://, mqtts://, ws:// or wss://host[:port][/path]");
  const scheme = match[1]!;
  const tls = scheme === "mqtts" || scheme === "wss";
  const websocket = scheme === "ws" || scheme === "wss";
  const port = match[3] === undefined ? (websocket ? (tls ? 443 : 80) : tls ? 8883 : 1883) : Number(match[3]);
  if (!(port >= 1 && port <= 65535)) throw new RangeError("mc/config url: port out of range");
  const host = match[2]!.replace(/^\[|\]$/g, "");
  const path = match[4] === undefined ? "/mqtt" : match[4].startsWith("?") ? `/${match[4]}` : match[4];
  return { broker: host, port, tls, websocket, path };
}

function text(config: Config, name: string, fallback: string): string {
  const value = config[name];
  return value === undefined || value === "" ? fallback : String(value);
}

function integer(config: Config, name: string, fallback: number): number {
  const value = Number(config[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`mc/config ${name}: not a whole number`);
  return value;
}

function flag(config: Config, name: string): boolean {
  const value = config[name];
  return value === true || value === "true" || value === "1" || value === 1;
}

function qos(value: number): 0 | 1 | 2 {
  if (value === 0 || value === 1 || value === 2) return value;
  throw new RangeError("mc/config qos: 0, 1 or 2");
}
