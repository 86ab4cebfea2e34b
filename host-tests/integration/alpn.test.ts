// ALPN on TLS connections (the `tls.alpn` option), against a TLS server that requires a protocol name and
// relays to mosquitto: offering that name connects and round-trips; offering none, or only others, is
// refused and reported through the `error` event; bad names are refused before anything connects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttArgumentError } from "../../src/codec/errors";
import { NodePlatform } from "../../src/platform/host/index";
import { MqttClient } from "../../src/client/index";
import { AlpnGateway } from "../support/alpn-gateway";
import { testCerts, type TestCerts } from "../support/certs";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, once, open, uniqueId } from "./helpers";

let certs: TestCerts;
let broker: Mosquitto;
let gateway: AlpnGateway;
beforeAll(async () => {
  certs = await testCerts();
  broker = await startMosquitto();
  gateway = new AlpnGateway(broker.port, certs.server);
  await gateway.listen();
});
afterAll(async () => {
  await gateway?.close();
  await broker?.close();
});

const throughGateway = (alpn?: string[]) => ({ port: gateway.port, tls: { ca: certs.ca.cert, ...(alpn ? { alpn } : {}) } });

describe("ALPN", () => {
  it("offering the protocol the server requires connects, and QoS 1 round-trips through it", async () => {
    const t = await connected(broker, throughGateway(["x-amzn-mqtt-ca"]));
    expect(gateway.negotiated.at(-1)).toBe("x-amzn-mqtt-ca");
    const topic = uniqueId("alpn");
    await t.async.subscribeAsync(topic, { qos: 1 });
    await t.async.publishAsync(topic, "over alpn", { qos: 1 });
    expect((await t.inbox.waitFor(1))[0]!.text).toBe("over alpn");
    await endAll(t);
  });

  it("the server picks its protocol from a list offered in order of preference", async () => {
    const t = await connected(broker, throughGateway(["h2", "x-amzn-mqtt-ca"]));
    expect(gateway.negotiated.at(-1)).toBe("x-amzn-mqtt-ca");
    await endAll(t);
  });

  it("offering only other names fails the TLS handshake (no_application_protocol), reported as an error and retried", async () => {
    const before = gateway.negotiated.length;
    const t = open(broker, { ...throughGateway(["h2", "http/1.1"]), reconnectPeriod: 50 });
    const errors: Error[] = [];
    t.client.on("error", (e) => errors.push(e));
    t.client.connect();
    await once(t.client, "close");
    await once(t.client, "close");
    t.client.end();
    expect(t.client.connected).toBe(false);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]!.message).toMatch(/no.application.protocol/i);
    expect(gateway.negotiated.slice(before).every((p) => p === false)).toBe(true);
  });

  it("offering no name is closed by the server after the handshake, before any CONNACK, and retried", async () => {
    const before = gateway.negotiated.length;
    const t = open(broker, { ...throughGateway(), reconnectPeriod: 50 });
    let connacks = 0;
    t.client.on("connect", () => connacks++);
    t.client.connect();
    await once(t.client, "close");
    await once(t.client, "close");
    t.client.end();
    expect(connacks).toBe(0);
    expect(gateway.negotiated.slice(before).slice(0, 2)).toEqual([false, false]);
  });

  it("refuses an empty list, an empty name or a name over 255 bytes, naming options.tls.alpn", () => {
    for (const alpn of [[], [""], ["x".repeat(256)]]) {
      const create = () => new MqttClient({ platform: new NodePlatform(), host: "127.0.0.1", tls: { alpn } });
      expect(create).toThrow(MqttArgumentError);
      expect(create).toThrow(/options\.tls\.alpn/);
    }
  });
});
