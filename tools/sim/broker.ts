// Where the simulator's devices connect: the broker named by --url / MQTT_URL, or a private mosquitto on a
// free loopback port (with generated certificates when TLS is asked for).
import { readFile, rm } from "node:fs/promises";
import type { TlsOptions, TransportOptions } from "../../src/client/transport";
import { startMosquitto, type Mosquitto } from "../broker/mosquitto";
import { generateTestCerts, type TestCerts } from "../broker/certs";

export interface SimBroker {
  transport: TransportOptions;
  description: string;
  username?: string;
  password?: string;
  /** Stops the private broker; nothing for an external one. */
  close(): Promise<void>;
}

export async function openBroker(url: string | undefined, tls: boolean, caFile?: string): Promise<SimBroker> {
  if (url) return external(url, tls, caFile);
  // Certificates of its own, in a temporary directory that goes away with the broker.
  const certs: TestCerts | undefined = tls ? await generateTestCerts() : undefined;
  const removeCerts = async () => {
    if (certs) await rm(certs.dir, { recursive: true, force: true });
  };
  let broker: Mosquitto;
  try {
    broker = await startMosquitto(certs ? { tls: { certs } } : {});
  } catch (error) {
    await removeCerts();
    throw new Error(`no MQTT_URL given and a private mosquitto would not start (run scripts/setup.sh): ${String(error)}`);
  }
  const transport: TransportOptions = { host: broker.host, port: broker.port };
  if (certs) transport.tls = { ca: certs.ca.cert };
  return {
    transport,
    description: `private mosquitto at ${broker.url}`,
    close: async () => {
      await broker.close();
      await removeCerts();
    },
  };
}

async function external(url: string, tls: boolean, caFile?: string): Promise<SimBroker> {
  const parsed = new URL(url);
  const secure = parsed.protocol === "mqtts:" || tls;
  if (!["mqtt:", "mqtts:", "tcp:", "ssl:"].includes(parsed.protocol)) throw new Error(`unsupported broker URL ${url}`);
  const transport: TransportOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port || (secure ? 8883 : 1883)),
  };
  if (secure) {
    const options: TlsOptions = {};
    if (caFile) options.ca = await readFile(caFile, "utf8");
    transport.tls = options;
  }
  const broker: SimBroker = { transport, description: url, close: async () => {} };
  if (parsed.username) broker.username = decodeURIComponent(parsed.username);
  if (parsed.password) broker.password = decodeURIComponent(parsed.password);
  return broker;
}
