// TLS failure modes against mosquitto with the harness's certificates: an expired server certificate, one
// for another host name, and a server whose CA the client does not trust. Each attempt fails with an error
// that names the problem, nothing throws, the session never reaches CONNECTED, and the attempts follow the
// reconnect backoff (virtual time, real handshakes). The torn-handshake case is tls-handshake-cut.test.ts.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TlsOptions } from "../../src/client/transport";
import { seededRandom } from "../../tools/chaos/random";
import { testCerts, type TestCerts } from "../support/certs";
import { startMosquitto, type Mosquitto, type MosquittoTlsOptions } from "../support/mosquitto";
import { VirtualClock } from "./support/clock";
import { TcpSession } from "./support/tcp-session";

const BACKOFF = { minDelayMs: 1000, maxDelayMs: 8000, jitter: 0.5 };
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
    const session = new TcpSession({ port: broker.port, tls: c.trust(certs), clock, connect: { clientId: "tls-failure" }, backoff: BACKOFF });
    session.start();
    await clock.advance(20_000);
    session.stop();

    expect(session.connacks).toEqual([]);
    expect(session.attempts).toBeGreaterThanOrEqual(3);
    // Every finished attempt failed with the certificate problem named in its message.
    expect(session.transportErrors.length).toBeGreaterThanOrEqual(session.attempts - 1);
    for (const { error } of session.transportErrors) expect(error.message).toMatch(c.message);
    // Gap from each failure to the next attempt: inside the jitter window of a doubling delay.
    let delay = BACKOFF.minDelayMs;
    for (let i = 0; i + 1 < session.attemptTimes.length && i < session.transportErrors.length; i++) {
      const gap = session.attemptTimes[i + 1] - session.transportErrors[i].at;
      expect(gap).toBeGreaterThanOrEqual(delay * (1 - BACKOFF.jitter) - 1);
      expect(gap).toBeLessThanOrEqual(delay + 25);
      delay = Math.min(BACKOFF.maxDelayMs, delay * 2);
    }
  }, 30_000);

  it("connects with the right CA and host once the server certificate is valid (the failures were the certificates)", async () => {
    const broker = await startMosquitto({ tls: true });
    brokers.push(broker);
    const clock = new VirtualClock();
    const session = new TcpSession({ port: broker.port, tls: { ca: certs.ca.cert }, clock, connect: { clientId: "tls-ok" } });
    session.start();
    await clock.until(() => session.connected, 5000, "TLS connection");
    expect(session.transportErrors).toEqual([]);
    session.stop();
  });
});
