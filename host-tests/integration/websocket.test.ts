// MQTT over WebSocket against mosquitto's `protocol websockets` listener, plain (ws://) and over TLS
// (wss://): QoS 0/1/2 round trips, a 70,000-byte payload (it spans several WebSocket messages on the way
// out, since the transport stages 16 KiB chunks), a session resumed over ws, and connect(url) with ws://
// and wss:// URLs. Failed handshakes go through an HTTP gateway in front of the broker (as a reverse
// proxy in front of a cloud broker): they reach the app as WebSocketHandshakeError and the client retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AsyncMqttClient, WebSocketHandshakeError } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { payloadView } from "../../src/codec/index";
import { connect } from "../../src/platform/host/connect";
import { testCerts, type TestCerts } from "../support/certs";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { WebSocketGateway } from "../support/websocket-gateway";
import { connected, endAll, once, uniqueId } from "./helpers";

const BIG = 70_000;
/** Buffers that hold the big payload's packet whole (the engine's limit on one packet). */
const bigBuffers = { engine: { receiveBufferSize: 80_000, transmitBufferSize: 80_000 } };

let certs: TestCerts;
let plain: Mosquitto;
let secure: Mosquitto;
beforeAll(async () => {
  certs = await testCerts();
  [plain, secure] = await Promise.all([
    startMosquitto({ websockets: true, persistence: true }),
    startMosquitto({ websockets: true, tls: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), secure?.close()]);
});

const variants = [
  { name: "ws://", broker: () => plain, options: (): Partial<MqttClientOptions> => ({}) },
  { name: "wss://", broker: () => secure, options: (): Partial<MqttClientOptions> => ({ tls: { ca: certs.ca.cert } }) },
];

for (const variant of variants) {
  describe(`MQTT over WebSocket (${variant.name})`, () => {
    const overWebSocket = (extra: Partial<MqttClientOptions> = {}) =>
      connected(variant.broker(), { port: variant.broker().wsPort, websocket: true, ...variant.options(), ...extra });

    for (const qos of [0, 1, 2] as const) {
      it(`round-trips QoS ${qos} messages in order through mosquitto`, async () => {
        const sub = await overWebSocket();
        const pub = await overWebSocket();
        const topic = uniqueId(`ws/q${qos}`);
        expect((await sub.async.subscribeAsync(topic, { qos })).reasonCodes).toEqual([qos]);
        const done = Array.from({ length: 20 }, (_, i) => pub.async.publishAsync(topic, `m${i}`, { qos }));
        expect((await Promise.all(done)).map((d) => d.reasonCode)).toEqual(new Array(20).fill(0));
        const got = await sub.inbox.waitFor(20);
        expect(got.map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
        expect(got.every((m) => m.qos === qos)).toBe(true);
        await endAll(sub, pub);
      });
    }

    it(`carries a ${BIG}-byte payload both ways at QoS 1 and QoS 2, byte for byte`, async () => {
      const sub = await overWebSocket(bigBuffers);
      const pub = await overWebSocket(bigBuffers);
      const topic = uniqueId("ws/big");
      await sub.async.subscribeAsync(topic, { qos: 2 });
      const payload = new Uint8Array(BIG).map((_, i) => (i * 31 + 7) & 0xff);
      const received: Uint8Array[] = [];
      sub.client.on("message", (_t, _p, packet) => received.push(payloadView(packet).slice()));
      expect((await pub.async.publishAsync(topic, payload, { qos: 1 })).reasonCode).toBe(0);
      expect((await pub.async.publishAsync(topic, payload, { qos: 2 })).reasonCode).toBe(0);
      await sub.inbox.waitFor(2);
      expect(received).toHaveLength(2);
      for (const r of received) expect(Buffer.compare(r, payload)).toBe(0);
      await endAll(sub, pub);
    });
  });
}

describe("connect(url) with WebSocket URLs", () => {
  it("ws://host:port/mqtt and wss://host:port/mqtt connect, subscribe and receive", async () => {
    for (const [url, tls] of [[plain.wsUrl, undefined], [secure.wsUrl, { ca: certs.ca.cert }]] as const) {
      const client = new AsyncMqttClient(connect(url, { clientId: uniqueId("url"), ...(tls ? { tls } : {}) }));
      await client.connectAsync();
      const topic = uniqueId("ws/url");
      await client.subscribeAsync(topic, { qos: 1 });
      const got = new Promise<string>((resolve) => client.client.on("message", (_t, p) => resolve(new TextDecoder().decode(p))));
      await client.publishAsync(topic, "over websocket", { qos: 1 });
      expect(await got).toBe("over websocket");
      await client.endAsync();
    }
  });

  it("refuses wss:// to a broker whose certificate it does not trust, as mqtts:// does", async () => {
    const client = connect(secure.wsUrl, { clientId: uniqueId("untrusted"), reconnectPeriod: 0 });
    const [error] = await once<[Error]>(client, "error");
    expect(error.message).toMatch(/self.signed|unable to (get|verify)|certificate/i);
    client.end();
  });
});

describe("session resume over WebSocket", () => {
  it("a subscriber that comes back with its session gets what was published while it was away", async () => {
    const topic = uniqueId("ws/away");
    const session = { port: plain.wsPort, websocket: true, clean: false, properties: { sessionExpiryInterval: 300 }, reconnectPeriod: 0 };
    const sub = await connected(plain, session);
    await sub.async.subscribeAsync(topic, { qos: 2 });
    sub.platform.cut();
    await once(sub.client, "close");
    const pub = await connected(plain, { port: plain.wsPort, websocket: true });
    await Promise.all(Array.from({ length: 6 }, (_, i) => pub.async.publishAsync(topic, `m${i}`, { qos: (1 + (i % 2)) as 1 | 2 })));
    const resumed = once<[{ sessionPresent: boolean }]>(sub.client, "connect");
    sub.client.connect();
    expect((await resumed)[0].sessionPresent).toBe(true);
    const got = await sub.inbox.waitFor(6);
    expect(got.map((m) => m.text).sort()).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    await endAll(sub, pub);
  });
});

describe("WebSocket handshakes that fail", () => {
  let gateway: WebSocketGateway;
  beforeAll(async () => {
    gateway = new WebSocketGateway(plain.wsPort);
    await gateway.listen();
  });
  afterAll(() => gateway?.close());

  /** The error of the first attempt through the gateway, and proof that the client tried again. */
  async function failure(url: string): Promise<WebSocketHandshakeError> {
    const before = gateway.requests.length;
    const client = connect(url, { clientId: uniqueId("refused"), reconnectPeriod: 50 });
    client.on("connect", () => {
      throw new Error("connected although the handshake should have failed");
    });
    const [error] = await once<[Error]>(client, "error");
    await once(client, "error"); // the reconnect policy applies: a second attempt fails the same way
    client.end();
    expect(gateway.requests.length - before).toBeGreaterThanOrEqual(2);
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    return error as WebSocketHandshakeError;
  }

  it("a URL without a path asks for /mqtt, and connects through the gateway", async () => {
    gateway.answer = { kind: "relay" };
    const client = new AsyncMqttClient(connect(`ws://127.0.0.1:${gateway.port}`, { clientId: uniqueId("default-path") }));
    await client.connectAsync();
    expect(gateway.requests.at(-1)).toBe("/mqtt");
    await client.endAsync();
  });

  it("a wrong path (the URL's path and query, as given) is HTTP 404", async () => {
    gateway.answer = { kind: "relay" };
    const error = await failure(gateway.url("/wrong?token=a%20b"));
    expect(gateway.requests.at(-1)).toBe("/wrong?token=a%20b");
    expect(error).toMatchObject({ kind: "status", status: 404 });
  });

  it("an HTTP error status is reported with that status", async () => {
    gateway.answer = { kind: "status", status: 503, text: "Service Unavailable" };
    const error = await failure(gateway.url());
    expect(error).toMatchObject({ kind: "status", status: 503 });
    expect(error.message).toContain("503");
  });

  it("a server that selects another subprotocol, or none, is refused [MQTT-6.0.0-4]", async () => {
    gateway.answer = { kind: "subprotocol", protocol: "chat" };
    expect(await failure(gateway.url())).toMatchObject({ kind: "subprotocol", status: 101 });
    gateway.answer = { kind: "subprotocol", protocol: undefined };
    expect(await failure(gateway.url())).toMatchObject({ kind: "subprotocol", status: 101 });
  });

  it("a server that hangs up without answering the upgrade request", async () => {
    gateway.answer = { kind: "hangup" };
    expect(await failure(gateway.url())).toMatchObject({ kind: "handshake", status: 0 });
  });
});
