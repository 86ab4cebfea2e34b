// What the client does with calls its state does not allow yet or any more: publish after end() throws a
// MqttStateError (item 6); subscribe/unsubscribe before the CONNACK wait, bounded, and go out once connected
// (item 8); a rejected connectAsync() leaves nothing running (item 7). Issue 13.
import { describe, expect, it } from "vitest";
import { AsyncMqttClient, MqttClient, MqttConnectionError, MqttStateError } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { MqttArgumentError } from "../../src/codec/errors";
import { LocalReason } from "../../src/engine/index";
import { FakePlatform } from "./fake-platform";

function setup(options: Partial<MqttClientOptions> = {}) {
  const platform = new FakePlatform();
  const client = new MqttClient({ platform, host: "h", clientId: "c", reconnectPeriod: 100, ...options });
  const errors: Error[] = [];
  client.on("error", (e) => errors.push(e));
  return { platform, client, errors, async: new AsyncMqttClient(client) };
}

function accept(platform: FakePlatform): void {
  platform.last.handler.onOpen();
  platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
}

describe("publish after end()", () => {
  it("throws MqttStateError at the call, not an argument error, and keeps nothing", () => {
    const { platform, client } = setup();
    client.connect();
    accept(platform);
    client.end();
    let caught: unknown;
    try {
      client.publish("t", "x", { qos: 1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MqttStateError);
    expect(caught).not.toBeInstanceOf(MqttArgumentError);
    expect((caught as MqttStateError).operation).toBe("publish");
    expect(() => client.publishWindow("t", new Uint8Array(2), 0, 2)).toThrow(MqttStateError);
    expect(client.engine.queuedMessages + client.engine.inflightCount).toBe(0);
  });

  it("publishAsync rejects with MqttStateError instead of never settling", async () => {
    const { platform, client, async } = setup();
    client.connect();
    accept(platform);
    await async.endAsync();
    await expect(async.publishAsync("t", "x", { qos: 1 })).rejects.toBeInstanceOf(MqttStateError);
    await expect(async.publishAsync("t", "x")).rejects.toBeInstanceOf(MqttStateError);
  });

  it("throws after destroy() too, and publishes again once connect() is called", () => {
    const { platform, client } = setup();
    client.connect();
    accept(platform);
    client.destroy();
    expect(() => client.publish("t", "x")).toThrow(MqttStateError);
    client.connect();
    expect(client.publish("t", "x", { qos: 1 })).toBeGreaterThan(0);
    accept(platform);
    expect(platform.last.take().map((p) => p.type)).toEqual([1, 3]);
  });

  it("still queues a publish made before the first connect()", () => {
    const { platform, client } = setup();
    expect(client.publish("t", "x", { qos: 1 })).toBeGreaterThan(0);
    client.connect();
    accept(platform);
    expect(platform.last.take().map((p) => p.type)).toEqual([1, 3]);
  });
});

describe("subscribe and unsubscribe before the CONNACK", () => {
  it("waits and sends them, in order, once connected; the tokens returned are the ones reported", () => {
    const { platform, client } = setup();
    const done: [string, number, number[]][] = [];
    client.on("subscribed", (token, codes) => done.push(["sub", token, [...codes]]));
    client.on("unsubscribed", (token, codes) => done.push(["unsub", token, [...codes]]));
    const first = client.subscribe("a/#", { qos: 1 });
    client.connect();
    const second = client.unsubscribe("b");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    accept(platform);
    const packets = platform.last.take();
    expect(packets.map((p) => p.type)).toEqual([1, 8, 10]);
    const [, sub, unsub] = packets as [unknown, { packetId: number }, { packetId: number }];
    platform.last.deliver({ type: 9, packetId: sub.packetId, reasonCodes: [1] });
    platform.last.deliver({ type: 11, packetId: unsub.packetId, reasonCodes: [0x11] });
    expect(done).toEqual([["sub", first, [1]], ["unsub", second, [0x11]]]);
  });

  it("waits through a reconnect as well", () => {
    const { platform, client } = setup();
    client.connect();
    accept(platform);
    platform.last.drop();
    const token = client.subscribe("x");
    expect(token).toBeGreaterThan(0);
    platform.advance(100);
    accept(platform);
    expect(platform.last.take().map((p) => p.type)).toEqual([1, 8]);
  });

  it("bounds what waits: the ninth request is refused with a MqttStateError that says why", () => {
    const { client } = setup();
    for (let i = 0; i < 8; i++) expect(client.subscribe(`t/${i}`)).toBeGreaterThan(0);
    expect(() => client.subscribe("t/8")).toThrow(MqttStateError);
    expect(() => client.unsubscribe("t/8")).toThrow(/8 requests already wait for the connection/);
  });

  it("refuses a bad filter at the call, not once connected", () => {
    const { client } = setup();
    expect(() => client.subscribe("a/#/b")).toThrow(MqttArgumentError);
  });

  it("completes waiting requests with CONNECTION_LOST when the client ends, so promises settle", async () => {
    const { client, async } = setup();
    const pending = async.subscribeAsync("a");
    client.end();
    expect((await pending).reasonCodes).toEqual([LocalReason.CONNECTION_LOST]);
    expect(() => client.subscribe("a")).toThrow(MqttStateError);
  });

  it("allocates the waiting list only when a request has to wait", () => {
    const { platform, client } = setup();
    client.connect();
    accept(platform);
    client.subscribe("a");
    expect((client as unknown as { waiting: unknown }).waiting).toBeUndefined();
  });

  it("the engine itself refuses with MqttStateError, not MqttArgumentError", () => {
    const { client } = setup();
    expect(() => client.engine.subscribe([{ filter: "a", qos: 0 }])).toThrow(MqttStateError);
  });
});

describe("a rejected connectAsync()", () => {
  it("leaves nothing running after a refused CONNACK: no timer, no further attempt", async () => {
    const { platform, async, client } = setup();
    const connecting = async.connectAsync();
    platform.last.handler.onOpen();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0x87 });
    await expect(connecting).rejects.toBeInstanceOf(MqttConnectionError);
    platform.advance(600_000);
    expect(platform.transports).toHaveLength(1);
    expect(platform.timers.size).toBe(0);
    expect(() => client.publish("t", "x")).toThrow(MqttStateError);
  });

  it("leaves nothing running after the transport fails to open (connection refused)", async () => {
    const { platform, async } = setup();
    const connecting = async.connectAsync();
    platform.last.drop(new Error("connect ECONNREFUSED 127.0.0.1:1"));
    await expect(connecting).rejects.toThrow(/ECONNREFUSED/);
    platform.advance(600_000);
    expect(platform.transports).toHaveLength(1);
    expect(platform.timers.size).toBe(0);
  });

  it("emits end once", async () => {
    const { platform, async, client } = setup();
    let ends = 0;
    client.on("end", () => ends++);
    const connecting = async.connectAsync();
    platform.last.drop(new Error("reset"));
    await connecting.catch(() => undefined);
    expect(ends).toBe(1);
  });
});
