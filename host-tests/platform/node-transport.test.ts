// The Node transport against a real mosquitto (plain, TLS, mutual TLS) and against a TCP sink that stops
// reading (backpressure). MQTT bytes come from mqtt-packet so these tests do not depend on our codec.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import mqttPacket from "mqtt-packet";
import { NodePlatform } from "../../src/platform/host/index";
import type { TlsOptions, Transport, TransportHandler } from "../../src/client/transport";
import { startMosquitto, type Mosquitto, type MosquittoOptions } from "../support/mosquitto";
import { testCerts, type TestCerts } from "../support/certs";

const CONNECT = mqttPacket.generate({
  cmd: "connect", protocolId: "MQTT", protocolVersion: 5, clientId: "node-transport-test", clean: true, keepalive: 30,
});

interface Outcome {
  opened: boolean;
  /** First byte of the first packet the broker sent (0x20 = CONNACK). */
  firstByte?: number;
  received: number;
  error?: Error;
}

/** Connects, sends CONNECT once open, and settles when a CONNACK arrives or the connection closes. */
function attempt(platform: NodePlatform, port: number, tls?: TlsOptions): Promise<{ outcome: Outcome; transport: Transport }> {
  return new Promise((resolve) => {
    const outcome: Outcome = { opened: false, received: 0 };
    let transport!: Transport;
    const handler: TransportHandler = {
      onOpen() {
        outcome.opened = true;
        expect(transport.write(CONNECT, 0, CONNECT.length)).toBe(CONNECT.length);
      },
      onData(bytes, start, end) {
        outcome.firstByte ??= bytes[start];
        outcome.received += end - start;
        resolve({ outcome, transport });
      },
      onWritable() {},
      onClose(error) {
        outcome.error = error;
        resolve({ outcome, transport });
      },
    };
    transport = platform.connect({ host: "127.0.0.1", port, tls }, handler);
  });
}

const platform = new NodePlatform();
let certs: TestCerts;
const brokers: Mosquitto[] = [];
const transports: Transport[] = [];

async function broker(options: MosquittoOptions): Promise<Mosquitto> {
  const b = await startMosquitto(options);
  brokers.push(b);
  return b;
}

async function connackFrom(b: Mosquitto, tls?: TlsOptions): Promise<Outcome> {
  const { outcome, transport } = await attempt(platform, b.port, tls);
  transports.push(transport);
  return outcome;
}

beforeAll(async () => {
  certs = await testCerts();
});
afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

describe("Node transport against mosquitto", () => {
  it("opens plain TCP and carries CONNECT and CONNACK", async () => {
    const outcome = await connackFrom(await broker({}));
    expect(outcome).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("opens TLS when the server certificate chains to the given CA and names 127.0.0.1", async () => {
    const outcome = await connackFrom(await broker({ tls: true }), { ca: certs.ca.cert });
    expect(outcome).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("validates against the SNI name when servername is given", async () => {
    const outcome = await connackFrom(await broker({ tls: true }), { ca: certs.ca.cert, servername: "localhost" });
    expect(outcome).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("accepts a DER trust anchor (the Moddable form)", async () => {
    const der = new Uint8Array(Buffer.from(certs.ca.cert.replace(/-----[^-]+-----|\s/g, ""), "base64"));
    const outcome = await connackFrom(await broker({ tls: true }), { ca: der });
    expect(outcome).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("refuses a server certificate from an untrusted CA", async () => {
    const outcome = await connackFrom(await broker({ tls: true }), { ca: certs.otherCa.cert });
    expect(outcome.opened).toBe(false);
    // mosquitto sends its CA along, so Node names the untrusted self-signed root in the chain.
    expect((outcome.error as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it("refuses by default, with no CA given, a certificate the system does not trust", async () => {
    const outcome = await connackFrom(await broker({ tls: true }), {});
    expect(outcome.opened).toBe(false);
    expect(outcome.error).toBeInstanceOf(Error);
  });

  it("refuses a server certificate issued for another host name", async () => {
    const outcome = await connackFrom(await broker({ tls: { serverCert: "wrongHost" } }), { ca: certs.ca.cert });
    expect(outcome.opened).toBe(false);
    expect(outcome.error).toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });

  it("refuses an expired server certificate", async () => {
    const outcome = await connackFrom(await broker({ tls: { serverCert: "expired" } }), { ca: certs.ca.cert });
    expect(outcome.opened).toBe(false);
    expect(outcome.error).toMatchObject({ code: "CERT_HAS_EXPIRED" });
  });

  it("connects only when validation is explicitly turned off, for an untrusted certificate", async () => {
    const outcome = await connackFrom(await broker({ tls: true }), { rejectUnauthorized: false });
    expect(outcome).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("presents a client certificate for mutual TLS", async () => {
    const b = await broker({ tls: { requireCertificate: true } });
    const withCert = await connackFrom(b, { ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key });
    expect(withCert).toMatchObject({ opened: true, firstByte: 0x20 });
  });

  it("gets no CONNACK from a mutual-TLS broker without a trusted client certificate", async () => {
    const b = await broker({ tls: { requireCertificate: true } });
    const none = await connackFrom(b, { ca: certs.ca.cert });
    const untrusted = await connackFrom(b, {
      ca: certs.ca.cert, cert: certs.untrustedClient.cert, key: certs.untrustedClient.key,
    });
    for (const outcome of [none, untrusted]) {
      expect(outcome.firstByte).toBeUndefined();
      expect(outcome.error).toBeInstanceOf(Error);
    }
  });
});

describe("Node transport backpressure", () => {
  let server: Server;
  let peer: Socket;
  const peerReady = () => new Promise<Socket>((resolve) => server.once("connection", resolve));
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("takes only what fits below the high-water mark, then resumes on onWritable with every byte in order", async () => {
    const highWaterMark = 32 * 1024;
    const sink = new NodePlatform({ highWaterMark, chunkSize: 4096 });
    const block = new Uint8Array(10_000).map((_, i) => i & 0xff);
    const total = 16 * 1024 * 1024; // far beyond what the kernel buffers while the peer does not read
    let written = 0;
    let shortWrites = 0;
    let largestTake = 0;
    const received: Buffer[] = [];
    const port = (server.address() as { port: number }).port;
    const accepted = peerReady();
    let firstShortWrite!: () => void;
    const blocked = new Promise<void>((resolve) => (firstShortWrite = resolve));
    const done = new Promise<void>((resolve, reject) => {
      const pump = () => {
        while (written < total) {
          const offset = written % block.length;
          const want = Math.min(block.length - offset, total - written);
          const took = transport.write(block, offset, offset + want);
          largestTake = Math.max(largestTake, took);
          written += took;
          if (took < want) {
            shortWrites++;
            firstShortWrite();
            return; // wait for onWritable
          }
        }
        transport.close();
      };
      const transport = sink.connect({ host: "127.0.0.1", port }, {
        onOpen: pump,
        onData() {},
        onWritable: pump,
        onClose: (error) => (error ? reject(error) : resolve()),
      });
    });
    peer = await accepted;
    peer.pause();
    // The writer fills the kernel buffers and hits the mark while the peer does not read.
    await blocked;
    expect(written).toBeLessThan(total);
    peer.on("data", (d: Buffer) => received.push(d));
    peer.resume();
    await done;
    await new Promise<void>((resolve) => (peer.readableEnded ? resolve() : peer.once("end", () => resolve())));
    expect(shortWrites).toBeGreaterThan(0);
    expect(largestTake).toBeLessThanOrEqual(highWaterMark);
    const all = Buffer.concat(received);
    expect(all.length).toBe(total);
    const expected = Buffer.alloc(total);
    for (let i = 0; i < total; i += block.length) expected.set(block.subarray(0, Math.min(block.length, total - i)), i);
    expect(all.equals(expected)).toBe(true);
  });

  it("keeps a trickle of small writes, one per turn of the event loop, whole and in order", async () => {
    const port = (server.address() as { port: number }).port;
    const accepted = peerReady();
    const received: Buffer[] = [];
    const writes = 3000; // 3000 x 7 bytes: several 4 KiB staging chunks, each shared by many flushes
    const closed = new Promise<void>((resolve, reject) => {
      let k = 0;
      const step = () => {
        if (k === writes) return transport.close();
        const bytes = Uint8Array.of(k >> 8, k & 0xff, 1, 2, 3, 4, 5);
        expect(transport.write(bytes, 0, bytes.length)).toBe(bytes.length);
        k++;
        setImmediate(step);
      };
      const transport = new NodePlatform({ chunkSize: 4096 }).connect({ host: "127.0.0.1", port }, {
        onOpen: step,
        onData() {},
        onWritable() {},
        onClose: (error) => (error ? reject(error) : resolve()),
      });
    });
    const sink = await accepted;
    sink.on("data", (d: Buffer) => received.push(d));
    await closed;
    await new Promise<void>((resolve) => (sink.readableEnded ? resolve() : sink.once("end", () => resolve())));
    const all = Buffer.concat(received);
    expect(all.length).toBe(writes * 7);
    for (let k = 0; k < writes; k++) expect(all.readUInt16BE(k * 7)).toBe(k);
  });
});
