// The broker harness itself: every other integration test depends on it behaving as documented.
import { afterEach, describe, expect, it } from "vitest";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { testCerts } from "../support/certs";

const brokers: Mosquitto[] = [];
const clients: MqttClient[] = [];

async function broker(options: Parameters<typeof startMosquitto>[0] = {}): Promise<Mosquitto> {
  const b = await startMosquitto(options);
  brokers.push(b);
  return b;
}

/** Resolves with the CONNACK reason, or rejects with the connection error. */
function connectWith(url: string, options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    clients.push(client);
    client.once("connect", () => resolve(client));
    client.once("error", reject);
    client.once("close", () => reject(new Error("closed before CONNACK")));
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.end(true);
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

describe("mosquitto harness", () => {
  it("serves MQTT 5 and 3.1.1 on one loopback listener", async () => {
    const b = await broker();
    expect(b.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    await connectWith(b.url, { protocolVersion: 5 });
    await connectWith(b.url, { protocolVersion: 4 });
  });

  // mosquitto 2.0 answers a wrong password with 0x87 Not authorized, not 0x86 Bad user name or password.
  it("accepts the configured user and refuses a wrong password with 0x87", async () => {
    const b = await broker({ users: { alice: "s3cret" } });
    await connectWith(b.url, { protocolVersion: 5, username: "alice", password: "s3cret" });
    const refused = connectWith(b.url, { protocolVersion: 5, username: "alice", password: "nope" });
    await expect(refused).rejects.toMatchObject({ code: 0x87 });
  });

  it("serves TLS with the generated CA and requires a client certificate when asked", async () => {
    const certs = await testCerts();
    const b = await broker({ tls: { requireCertificate: true } });
    expect(b.url.startsWith("mqtts://")).toBe(true);
    await connectWith(b.url, { ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key });
    await expect(connectWith(b.url, { ca: certs.ca.cert })).rejects.toThrow();
  });

  it("keeps retained messages across a restart with persistence", async () => {
    const b = await broker({ persistence: true });
    const pub = await connectWith(b.url, { protocolVersion: 5 });
    await pub.publishAsync("harness/kept", "42", { qos: 1, retain: true });
    pub.end(true);
    await b.restart();
    const sub = await connectWith(b.url, { protocolVersion: 5 });
    const got = new Promise<string>((resolve) => sub.on("message", (_t, payload) => resolve(payload.toString())));
    await sub.subscribeAsync("harness/kept", { qos: 1 });
    expect(await got).toBe("42");
  });

  it("passes broker settings through and captures the log", async () => {
    const b = await broker({ settings: { max_packet_size: 200 }, verbose: true });
    const client = await connectWith(b.url, { protocolVersion: 5 });
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.publish("harness/big", "x".repeat(500), { qos: 0 });
    await closed;
    expect(b.log).toMatch(/mosquitto version/);
  });
});
