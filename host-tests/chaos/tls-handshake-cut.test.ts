// A TLS handshake torn in the middle (either direction, many offsets) through the fault proxy in front
// of a TLS mosquitto: the transport reports a clear error through onClose, never opens, never throws, and
// the same settings connect once the link is healthy again; the public MqttClient reports each torn
// handshake to the app and its reconnect policy carries it through to a connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/mqtt-client";
import type { TlsOptions, TransportHandler } from "../../src/client/transport";
import { NodePlatform } from "../../src/platform/host/index";
import type { Direction } from "../../tools/chaos/pump";
import { brokerBehindProxy, type BrokerBehindProxy } from "./support/broker-behind-proxy";

interface Attempt {
  opened: boolean;
  error: Error | undefined;
}

function attempt(port: number, tls: TlsOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const result: Attempt = { opened: false, error: undefined };
    const handler: TransportHandler = {
      onOpen: () => {
        result.opened = true;
        transport.close();
      },
      onData: () => undefined,
      onWritable: () => undefined,
      onClose: (error) => {
        result.error = error;
        resolve(result);
      },
    };
    const transport = new NodePlatform({ closeTimeoutMs: 200 }).connect({ host: "127.0.0.1", port, tls }, handler);
  });
}

let link: BrokerBehindProxy;
let tls: TlsOptions;

beforeAll(async () => {
  link = await brokerBehindProxy({ tls: true });
  tls = link.tls!;
});
afterAll(() => link?.close());

// The client's hello is ~300 bytes; the server's flight (hello, certificate, finished) a little under 1 KB.
const CUTS: [Direction, number][] = [
  ["up", 0], ["up", 1], ["up", 5], ["up", 100],
  ["down", 0], ["down", 1], ["down", 5], ["down", 60], ["down", 200], ["down", 400], ["down", 600],
];

describe("TLS handshake cut midway", () => {
  it.each(CUTS)("reports an error without opening when the %s stream is cut after %i bytes", async (direction, bytes) => {
    link.proxy.onConnection = (c) => (direction === "up" ? c.upstream : c.downstream).armCut(bytes);
    const result = await attempt(link.port, tls);
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(Error);
    expect(result.error?.message.length).toBeGreaterThan(0);
  });

  it("MqttClient: each torn handshake reaches the app as an error, and the reconnect policy connects once the link holds", async () => {
    const tears: [Direction, number][] = [["down", 200], ["up", 5], ["down", 600]];
    let accepted = 0;
    link.proxy.onConnection = (c) => {
      const tear = tears[accepted++];
      if (tear) (tear[0] === "up" ? c.upstream : c.downstream).armCut(tear[1]);
    };
    const client = new MqttClient({
      platform: new NodePlatform({ closeTimeoutMs: 200 }), host: "127.0.0.1", port: link.port, tls, clientId: "tls-torn",
      reconnectPeriod: 20, backoff: { min: 20, max: 100 },
    });
    const errors: Error[] = [];
    let connects = 0;
    client.on("error", (error) => errors.push(error));
    client.on("connect", () => connects++);
    client.connect();
    const end = Date.now() + 10_000;
    while (connects === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    client.end();
    expect(connects).toBe(1);
    expect(accepted).toBe(tears.length + 1);
    expect(errors.length).toBe(tears.length);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
    link.proxy.onConnection = undefined;
  });

  it("connects with the same settings once nothing cuts the link", async () => {
    link.proxy.onConnection = undefined;
    const result = await attempt(link.port, tls);
    expect(result.opened).toBe(true);
  });
});
