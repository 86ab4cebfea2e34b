// The firmware's settings, read from mc/config. Values given on the mcconfig command line
// (`mcconfig -p esp32 broker=10.0.0.2 port=8883 tls=true`) arrive as strings, manifest defaults as
// numbers and booleans: both are accepted. Wi-Fi's ssid/password are read by Moddable's setup/network,
// so the broker credentials are named mqttUser/mqttPassword.

export interface DeviceSettings {
  broker: string;
  port: number;
  tls: boolean;
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
  /** DNS server for the ECMA-419 resolver. */
  dns: string;
}

type Config = Readonly<Record<string, unknown>>;

export function readSettings(config: Config): DeviceSettings {
  return {
    broker: text(config, "broker", "127.0.0.1"),
    port: integer(config, "port", 1883),
    tls: flag(config, "tls"),
    ca: text(config, "ca", ""),
    mqttUser: text(config, "mqttUser", ""),
    mqttPassword: text(config, "mqttPassword", ""),
    deviceId: text(config, "deviceId", "moddable"),
    interval: integer(config, "interval", 5000),
    qos: qos(integer(config, "qos", 1)),
    sensor: text(config, "sensor", "simulated"),
    bufferSize: integer(config, "bufferSize", 1024),
    dns: text(config, "dns", "1.1.1.1"),
  };
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
