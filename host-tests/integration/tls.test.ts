// TLS with certificates generated at test time: validation against our CA, refusal of an unknown CA and of
// a certificate for another host, and mutual TLS. Also the Node connect(url) factory with mqtts://.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncMqttClient } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { connect } from "../../src/platform/host/connect";
import { testCerts, type TestCerts } from "../support/certs";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, once, open } from "./helpers";

let certs: TestCerts;
let valid: Mosquitto;
let wrongHost: Mosquitto;
let mutual: Mosquitto;
beforeAll(async () => {
  certs = await testCerts();
  [valid, wrongHost, mutual] = await Promise.all([
    startMosquitto({ tls: true }),
    startMosquitto({ tls: { serverCert: "wrongHost" } }),
    startMosquitto({ tls: { requireCertificate: true } }),
  ]);
});
afterAll(async () => {
  await Promise.all([valid?.close(), wrongHost?.close(), mutual?.close()]);
});

/** Resolves with the error that ended the first attempt; fails if a CONNACK arrives instead. */
async function refused(broker: Mosquitto, options: Partial<MqttClientOptions>): Promise<Error> {
  const t = open(broker, { reconnectPeriod: 0, ...options });
  const error = once<[Error]>(t.client, "error");
  t.client.on("connect", () => {
    throw new Error("connected although it should have been refused");
  });
  t.client.connect();
  const [e] = await error;
  t.client.end();
  return e;
}

describe("TLS", () => {
  it("connects to a broker whose certificate our CA signed, and round-trips a message", async () => {
    const c = await connected(valid, { tls: { ca: certs.ca.cert } });
    await c.async.subscribeAsync("tls/echo", { qos: 1 });
    await c.async.publishAsync("tls/echo", "secret", { qos: 1 });
    expect((await c.inbox.waitFor(1))[0]!.text).toBe("secret");
    await endAll(c);
  });

  it("connect('mqtts://…') builds a TLS client over the Node platform", async () => {
    const client = connect(`mqtts://127.0.0.1:${valid.port}`, { tls: { ca: certs.ca.cert }, reconnectPeriod: 0 });
    await once(client, "connect");
    expect(client.connected).toBe(true);
    await new AsyncMqttClient(client).endAsync();
  });

  it("refuses a server certificate signed by a CA we do not trust", async () => {
    const e = await refused(valid, { tls: { ca: certs.otherCa.cert } });
    expect(e.message).toMatch(/certificate/i);
  });

  it("refuses a valid certificate issued for another host name", async () => {
    const e = await refused(wrongHost, { tls: { ca: certs.ca.cert } });
    expect(e.message).toMatch(/altnames|host|IP/i);
  });

  it("mutual TLS: connects with a client certificate our CA signed", async () => {
    const c = await connected(mutual, { tls: { ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key } });
    expect(c.client.connected).toBe(true);
    await endAll(c);
  });

  it("mutual TLS: the broker refuses a client without a certificate", async () => {
    const e = await refused(mutual, { tls: { ca: certs.ca.cert } });
    expect(e).toBeInstanceOf(Error);
  });
});
