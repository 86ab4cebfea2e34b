// MqttClient wiring in virtual time over a fake Platform: what it writes, when its one timer fires, how
// it reconnects, and how it honours a transport that takes less than it is given.
import { describe, expect, it } from "vitest";
import { MqttClient, MqttConnectionError } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { MqttArgumentError } from "../../src/codec/errors";
import type { Packet } from "../../src/codec/packet";
import { FakePlatform } from "./fake-platform";

function setup(options: Partial<MqttClientOptions> = {}) {
  const platform = new FakePlatform();
  const client = new MqttClient({ platform, host: "broker.test", clientId: "c1", keepalive: 10, ...options });
  const events: string[] = [];
  for (const name of ["connect", "reconnect", "offline", "close", "end"] as const) client.on(name, () => events.push(name));
  client.on("error", (e) => events.push(`error:${e.message}`));
  return { platform, client, events };
}

function connack(reasonCode = 0): Packet {
  return { type: 2, sessionPresent: false, reasonCode };
}

function openAndAccept(platform: FakePlatform) {
  const t = platform.last;
  t.handler.onOpen();
  t.deliver(connack());
  return t;
}

describe("MqttClient over a fake platform", () => {
  it("writes CONNECT when the transport opens and emits connect on CONNACK", () => {
    const { platform, client, events } = setup();
    client.connect();
    expect(platform.last.options).toEqual({ host: "broker.test", port: 1883 });
    platform.last.handler.onOpen();
    const [connect] = platform.last.take();
    expect(connect).toMatchObject({ type: 1, clientId: "c1", keepAlive: 10, cleanStart: true });
    platform.last.deliver(connack());
    expect(client.connected).toBe(true);
    expect(events).toEqual(["connect"]);
  });

  it("sends PINGREQ from its single timer after the keepalive interval", () => {
    const { platform, client } = setup();
    client.connect();
    const t = openAndAccept(platform);
    t.take();
    platform.advance(10_000);
    expect(t.take().map((p) => p.type)).toEqual([12]);
    expect(platform.timers.size).toBe(1);
  });

  it("closes the connection and reconnects with backoff when the PINGRESP never comes", () => {
    const { platform, client, events } = setup({ reconnectPeriod: 500 });
    client.connect();
    openAndAccept(platform);
    platform.advance(10_000 + 5_000);
    expect(platform.transports[0]!.closed).toBe(true);
    expect(events).toContain("offline");
    expect(platform.transports).toHaveLength(1);
    platform.advance(500);
    expect(platform.transports).toHaveLength(2);
    expect(events).toContain("reconnect");
  });

  it("grows the reconnect delay while attempts fail and starts over after end()", () => {
    const { platform, client } = setup({ reconnectPeriod: 100, backoff: { factor: 2, max: 1000 } });
    client.connect();
    const opened: number[] = [platform.time];
    for (let i = 0; i < 4; i++) {
      platform.last.drop();
      const before = platform.transports.length;
      while (platform.transports.length === before) platform.advance(1);
      opened.push(platform.time);
    }
    const gaps = opened.slice(1).map((t, i) => t - opened[i]!);
    expect(gaps).toEqual([100, 200, 400, 800]);
    client.end();
    platform.advance(10_000);
    expect(platform.transports).toHaveLength(5);
  });

  it("retryNow() skips the rest of the reconnect delay and leaves a live connection alone", () => {
    const { platform, client } = setup({ reconnectPeriod: 60_000 });
    client.connect();
    const t = openAndAccept(platform);
    client.retryNow();
    expect(platform.transports).toHaveLength(1);
    t.drop();
    client.retryNow();
    expect(platform.transports).toHaveLength(2);
    expect(platform.timers.size).toBe(1); // the new attempt's open timeout only
  });

  it("follows a Server Reference in DISCONNECT 0x9D to another host and port without waiting", () => {
    const { platform, client } = setup({ reconnectPeriod: 60_000 });
    client.connect();
    const t = openAndAccept(platform);
    t.deliver({ type: 14, reasonCode: 0x9d, properties: { serverReference: "other.test:1884" } });
    t.drop(); // the broker closes after its DISCONNECT
    platform.advance(0);
    expect(platform.last.options).toEqual({ host: "other.test", port: 1884 });
  });

  it("gives up on a transport that does not open within connectTimeout", () => {
    const { platform, client, events } = setup({ connectTimeout: 2000, reconnectPeriod: 0 });
    client.connect();
    platform.advance(2000);
    expect(platform.last.closed).toBe(true);
    expect(events).toEqual(["error:transport did not open within 2000 ms", "close"]);
  });

  it("ignores late callbacks from a connection it has given up on while the next one is up", () => {
    const { platform, client, events } = setup({ connectTimeout: 2000, reconnectPeriod: 100 });
    client.connect();
    const first = platform.last;
    platform.advance(2000); // never opened: given up on
    platform.advance(5000); // the reconnect delay
    const second = platform.last;
    expect(second).not.toBe(first);
    openAndAccept(platform);
    second.take();
    events.length = 0;
    first.handler.onOpen();
    first.handler.onData(Uint8Array.of(0x20, 0x03, 0x00, 0x00, 0x00), 0, 5);
    first.handler.onWritable();
    first.handler.onClose(new Error("late reset"));
    expect(first.take()).toEqual([]); // no CONNECT on the old one
    expect(events).toEqual([]);
    expect(client.connected).toBe(true);
    expect(second.closed).toBe(false);
  });

  it("writes what the transport takes and the rest when it is writable again", () => {
    const { platform, client } = setup();
    client.connect();
    const t = openAndAccept(platform);
    t.take();
    t.room = 5;
    expect(client.publish("a/b", "hello world", { qos: 1 })).toBeGreaterThan(0);
    expect(t.written).toHaveLength(5);
    t.room = Infinity;
    t.handler.onWritable();
    const [publish] = t.take();
    expect(publish).toMatchObject({ type: 3, topic: "a/b", qos: 1 });
  });

  it("reports publishDone with the token publish returned", () => {
    const { platform, client } = setup();
    const done: [number, number][] = [];
    client.on("publishDone", (token, code) => done.push([token, code]));
    client.connect();
    const t = openAndAccept(platform);
    const token = client.publish("a/b", new Uint8Array([1, 2, 3]), { qos: 1 });
    const publish = t.take().find((p) => p.type === 3) as { packetId: number };
    t.deliver({ type: 4, packetId: publish.packetId, reasonCode: 0 });
    expect(done).toEqual([[token, 0]]);
  });

  it("delivers messages with the topic, a payload view and the packet", () => {
    const { platform, client } = setup();
    const got: [string, number[]][] = [];
    client.on("message", (topic, payload) => got.push([topic, Array.from(payload)]));
    client.connect();
    const t = openAndAccept(platform);
    t.deliver({ type: 3, topic: "x/y", qos: 0, retain: false, dup: false, packetId: 0, payload: new Uint8Array([7, 8]) });
    expect(got).toEqual([["x/y", [7, 8]]]);
  });

  it("hands the same payload view again for a message with the same window, and a new one when it moves", () => {
    const { platform, client } = setup();
    const views: Uint8Array[] = [];
    const bytes: number[][] = [];
    client.on("message", (_topic, payload) => { views.push(payload); bytes.push(Array.from(payload)); });
    client.connect();
    const t = openAndAccept(platform);
    const publish = (payload: number[]) => t.deliver({ type: 3, topic: "x/y", qos: 0, retain: false, dup: false, packetId: 0, payload: new Uint8Array(payload) });
    publish([1, 2]);
    publish([3, 4]);
    publish([5, 6, 7]);
    expect(bytes).toEqual([[1, 2], [3, 4], [5, 6, 7]]);
    expect(views[1]).toBe(views[0]);
    expect(views[2]).not.toBe(views[1]);
  });

  it("subscribes with MQTT.js-style options (nl, rap, rh) and reports SUBACK codes", () => {
    const { platform, client } = setup();
    const acks: number[][] = [];
    client.on("subscribed", (_t, codes) => acks.push([...codes]));
    client.connect();
    const t = openAndAccept(platform);
    t.take();
    client.subscribe(["a/#", "b"], { qos: 1, nl: true, rap: true, rh: 2, properties: { subscriptionIdentifiers: [7] } });
    const [sub] = t.take() as [{ type: 8; packetId: number; subscriptions: unknown[]; properties: unknown }];
    expect(sub.subscriptions).toEqual([
      { filter: "a/#", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
      { filter: "b", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
    ]);
    expect(sub.properties).toMatchObject({ subscriptionIdentifiers: [7] });
    t.deliver({ type: 9, packetId: sub.packetId, reasonCodes: [1, 0x80] });
    expect(acks).toEqual([[1, 0x80]]);
  });

  it("emits an MqttConnectionError with the CONNACK reason code when refused", () => {
    const { platform, client } = setup({ reconnectPeriod: 0 });
    const errors: Error[] = [];
    client.on("error", (e) => errors.push(e));
    client.connect();
    platform.last.handler.onOpen();
    platform.last.deliver(connack(0x87));
    expect(errors[0]).toBeInstanceOf(MqttConnectionError);
    expect((errors[0] as MqttConnectionError).reasonCode).toBe(0x87);
    expect(platform.last.closed).toBe(true);
  });

  it("end() sends DISCONNECT with the reason code, closes, and emits end", () => {
    const { platform, client, events } = setup();
    client.connect();
    const t = openAndAccept(platform);
    t.take();
    client.end(4);
    expect(t.take()).toMatchObject([{ type: 14, reasonCode: 4 }]);
    expect(t.closed).toBe(true);
    expect(events.slice(-3)).toEqual(["close", "offline", "end"]);
    platform.advance(60_000);
    expect(platform.transports).toHaveLength(1);
  });

  it("keeps QoS 1 publishes made offline and sends them after connecting", () => {
    const { platform, client } = setup();
    client.connect();
    const token = client.publish("q", "later", { qos: 1 });
    expect(token).toBeGreaterThan(0);
    const t = openAndAccept(platform);
    expect(t.take().map((p) => p.type)).toEqual([1, 3]);
  });

  it("does not re-arm its timer for each publish in steady state", () => {
    const { platform, client } = setup();
    let armed = 0;
    const setTimer = platform.setTimer.bind(platform);
    platform.setTimer = (d, cb) => (armed++, setTimer(d, cb));
    client.connect();
    const t = openAndAccept(platform);
    const before = armed;
    const payload = new Uint8Array(16);
    for (let i = 0; i < 100; i++) client.publishWindow("t", payload, 0, 16, { qos: 0 });
    expect(armed - before).toBeLessThanOrEqual(1);
    expect(t.take().filter((p) => p.type === 3)).toHaveLength(100);
  });

  it("names the bad option in MqttArgumentError", () => {
    const platform = new FakePlatform();
    const bad: [Partial<MqttClientOptions>, string][] = [
      [{ host: "" }, "options.host"],
      [{ port: 70000 }, "options.port"],
      [{ keepalive: -1 }, "options.keepalive"],
      [{ protocolVersion: 6 as never }, "options.protocolVersion"],
      [{ reconnectPeriod: 1.5 }, "options.reconnectPeriod"],
      [{ backoff: { jitter: 2 } }, "options.backoff.jitter"],
    ];
    for (const [options, argument] of bad) {
      let caught: unknown;
      try {
        new MqttClient({ platform, host: "h", ...options });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MqttArgumentError);
      expect((caught as MqttArgumentError).argument).toBe(argument);
    }
  });

  it("speaks MQTT 3.1 (protocolVersion 3): a level 3 CONNECT, and the client id is required at connect()", () => {
    const platform = new FakePlatform();
    const anonymous = new MqttClient({ platform, host: "h", protocolVersion: 3 });
    expect(() => anonymous.connect()).toThrow(/clientId/);
    expect(platform.transports).toHaveLength(0);
    const { client, platform: p } = setup({ protocolVersion: 3 });
    client.connect();
    p.last.handler.onOpen();
    expect(p.last.written.slice(0, 11)).toEqual([0x10, 0x10, 0, 6, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, 3]);
    p.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 }, 3);
    expect(client.connected).toBe(true);
  });
});

describe("message payloads", () => {
  function receiveTwo(options: Partial<MqttClientOptions>): Uint8Array[] {
    const { platform, client } = setup(options);
    const kept: Uint8Array[] = [];
    client.on("message", (_topic, payload) => kept.push(payload));
    client.connect();
    const t = openAndAccept(platform);
    for (const b of [1, 2]) t.deliver({ type: 3, topic: "x", qos: 0, retain: false, dup: false, packetId: 0, payload: new Uint8Array([b]) });
    return kept;
  }

  it("are zero-copy views by default (the device default): a kept one reads as the latest", () => {
    expect(receiveTwo({}).map((p) => p[0])).toEqual([2, 2]);
  });

  it("are copies the handler may keep with copyPayloads: true", () => {
    expect(receiveTwo({ copyPayloads: true }).map((p) => p[0])).toEqual([1, 2]);
  });
});
