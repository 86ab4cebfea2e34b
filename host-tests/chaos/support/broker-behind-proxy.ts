// A real mosquitto with the fault proxy (tools/chaos) in front of it, for one test file. Several chaos files
// need exactly this pair and used to start and stop it each in their own words; one fixture keeps the order
// (broker, then proxy; on close the proxy first, so no proxied connection outlives its broker) and the TLS
// trust in one place, and never leaves a broker running when the proxy fails to start.
import type { TlsOptions } from "../../../src/client/transport";
import { FaultProxy } from "../../../tools/chaos/fault-proxy";
import { testCerts } from "../../support/certs";
import { startMosquitto, type Mosquitto, type MosquittoOptions } from "../../support/mosquitto";

export interface BrokerBehindProxy {
  readonly broker: Mosquitto;
  readonly proxy: FaultProxy;
  /** Where a client connects: the proxy's port on 127.0.0.1 (the broker's own is broker.port). */
  readonly port: number;
  /** With a TLS broker, what the client trusts (the harness CA); undefined for plain TCP. */
  readonly tls: TlsOptions | undefined;
  /** Closes the proxy and its connections, then stops the broker. */
  close(): Promise<void>;
}

/** Starts mosquitto with `options` (TLS, persistence, settings as startMosquitto takes them) and the proxy,
 * in front of its MQTT listener, or of its WebSocket listener when `options.websockets` is set. */
export async function brokerBehindProxy(options: MosquittoOptions = {}): Promise<BrokerBehindProxy> {
  const tls = options.tls ? { ca: (await testCerts()).ca.cert } : undefined;
  const broker = await startMosquitto(options);
  const proxy = new FaultProxy({ targetPort: options.websockets ? broker.wsPort : broker.port });
  try {
    await proxy.listen();
  } catch (error) {
    await broker.close();
    throw error;
  }
  const close = async (): Promise<void> => {
    await proxy.close();
    await broker.close();
  };
  return { broker, proxy, port: proxy.port, tls, close };
}
