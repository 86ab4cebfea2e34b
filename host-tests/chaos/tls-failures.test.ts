// TLS failure modes against mosquitto with the harness's certificates: an expired server certificate, one
// for another host name, and a server whose CA the client does not trust. Each attempt fails with an error
// that names the problem, nothing throws, the session never reaches CONNECTED, and the attempts follow the
// reconnect backoff (virtual time, real handshakes). The public MqttClient runs on the real Node platform; a
// recording probe supplies the virtual time and records each attempt. The torn-handshake case is
// tls-handshake-cut.test.ts.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/mqtt-client";
import type { TlsOptions } from "../../src/client/transport";
import { NodePlatform } from "../../src/platform/host/index";
import { seededRandom } from "../../tools/chaos/random";
import { testCerts, type TestCerts } from "../support/certs";
import { startMosquitto, type Mosquitto, type MosquittoTlsOptions } from "../support/mosquitto";
import { VirtualClock } from "./support/clock";
import { RecordingPlatform } from "./support/recording-platform";

const BACKOFF = { min: 1000, max: 8000, jitter: 0.5 };

function tlsClient(port: number, tls: TlsOptions, clock: VirtualClock, clientId: string): { client: MqttClient; platform: RecordingPlatform } {
  const platform = new RecordingPlatform(new NodePlatform({ closeTimeoutMs: 200 }), { clock });
  const client = new MqttClient({ platform, host: "127.0.0.1", port, tls, clientId, reconnectPeriod: BACKOFF.min, backoff: BACKOFF });
  return { client, platform };
}
let certs: TestCerts;
const brokers: Mosquitto[] = [];

beforeAll(async () => {
  certs = await testCerts();
});
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

interface FailureCase {
  name: string;
  serverCert: MosquittoTlsOptions["serverCert"];
  trust: (c: TestCerts) => TlsOptions;
  message: RegExp;
}

const CASES: FailureCase[] = [
  { name: "an expired server certificate", serverCert: "expired", trust: (c) => ({ ca: c.ca.cert }), message: /expired/i },
  { name: "a certificate for another host name", serverCert: "wrongHost", trust: (c) => ({ ca: c.ca.cert }), message: /altname|host|IP/i },
  { name: "a server signed by a CA the client does not trust", serverCert: "valid", trust: (c) => ({ ca: c.otherCa.cert }), message: /self.signed|verify|issuer|certificate/i },
];

describe("TLS failure modes", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: clear error on each attempt, never connected, backoff between attempts", async (_name, c) => {
    const broker = await startMosquitto({ tls: { serverCert: c.serverCert } });
    brokers.push(broker);
    const clock = new VirtualClock(seededRandom(9));
    const { client, platform } = tlsClient(broker.port, c.trust(certs), clock, "tls-failure");
    const errors: Error[] = [];
    let connacks = 0;
    client.on("error", (error) => errors.push(error));
    client.on("connect", () => connacks++);
    client.connect();
    await clock.advance(20_000);
    client.end();

    expect(connacks).toBe(0);
    const attempts = platform.connections;
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    // Every finished attempt failed with the certificate problem named in its message, reported to the app.
    const failed = attempts.filter((a) => a.error !== undefined);
    expect(failed.length).toBeGreaterThanOrEqual(attempts.length - 1);
    for (const a of failed) expect(a.error?.message).toMatch(c.message);
    expect(errors.length).toBeGreaterThanOrEqual(failed.length);
    for (const e of errors) expect(e.message).toMatch(c.message);
    // Gap from each failure to the next attempt: inside the jitter window of a doubling delay.
    let delay = BACKOFF.min;
    for (let i = 0; i + 1 < attempts.length && attempts[i].error !== undefined; i++) {
      const gap = attempts[i + 1].openedAt - attempts[i].closedAt!;
      expect(gap).toBeGreaterThanOrEqual(delay * (1 - BACKOFF.jitter) - 1);
      expect(gap).toBeLessThanOrEqual(delay + 25);
      delay = Math.min(BACKOFF.max, delay * 2);
    }
  }, 30_000);

  it("connects with the right CA and host once the server certificate is valid (the failures were the certificates)", async () => {
    const broker = await startMosquitto({ tls: true });
    brokers.push(broker);
    const clock = new VirtualClock();
    const { client, platform } = tlsClient(broker.port, { ca: certs.ca.cert }, clock, "tls-ok");
    const errors: Error[] = [];
    client.on("error", (error) => errors.push(error));
    client.connect();
    await clock.until(() => client.connected, 5000, "TLS connection");
    expect(errors).toEqual([]);
    expect(platform.connections.length).toBe(1);
    client.end();
  });
});
