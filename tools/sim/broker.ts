// Where the simulator's devices connect: the broker named by --url / MQTT_URL, or a private mosquitto on a
// free loopback port (with generated certificates when TLS is asked for).
import { readFile, rm } from "node:fs/promises";
import type { TlsOptions, TransportOptions } from "../../src/client/transport";
import { startMosquitto, type Mosquitto } from "../broker/mosquitto";
import { generateTestCerts, type TestCerts } from "../broker/certs";
import { parseBrokerUrl } from "../../src/platform/host/connect";

export interface SimBroker {
  transport: TransportOptions;
  description: string;
  username?: string;
  password?: string;
  /** Stops the private broker; nothing for an external one. */
  close(): Promise<void>;
}

export async function openBroker(url: string | undefined, tls: boolean, caFile?: string, websocket = false): Promise<SimBroker> {
  if (url) return external(url, tls, caFile);
  // Certificates of its own, in a temporary directory that goes away with the broker.
  const certs: TestCerts | undefined = tls ? await generateTestCerts() : undefined;
  const removeCerts = async () => {
    if (certs) await rm(certs.dir, { recursive: true, force: true });
  };
  let broker: Mosquitto;
  try {
    broker = await startMosquitto({ tls: certs ? { certs } : false, websockets: websocket });
  } catch (error) {
    await removeCerts();
    throw new Error(`no MQTT_URL given and a private mosquitto would not start (run scripts/setup.sh): ${String(error)}`);
  }
  const transport: TransportOptions = { host: broker.host, port: websocket ? broker.wsPort : broker.port };
  if (certs) transport.tls = { ca: certs.ca.cert };
  if (websocket) transport.websocket = { path: "/mqtt" };
  return {
    transport,
    description: `private mosquitto at ${websocket ? broker.wsUrl : broker.url}`,
    close: async () => {
      await broker.close();
      await removeCerts();
    },
  };
}

/** mqtt://, mqtts://, ws:// or wss:// (parseBrokerUrl, as connect(url) reads them); --tls forces TLS. */
async function external(url: string, tls: boolean, caFile?: string): Promise<SimBroker> {
  let parsed;
  try {
    parsed = parseBrokerUrl(url);
  } catch {
    throw new Error(`unsupported broker URL ${url} (mqtt://, mqtts://, ws:// or wss://)`);
  }
  const transport: TransportOptions = { host: parsed.host, port: parsed.port };
  if (parsed.tls || tls) {
    const options: TlsOptions = {};
    if (caFile) options.ca = await readFile(caFile, "utf8");
    transport.tls = options;
  }
  if (parsed.websocket) transport.websocket = parsed.websocket;
  const broker: SimBroker = { transport, description: url, close: async () => {} };
  if (parsed.username !== undefined) broker.username = parsed.username;
  if (parsed.password !== undefined) broker.password = parsed.password;
  return broker;
}
