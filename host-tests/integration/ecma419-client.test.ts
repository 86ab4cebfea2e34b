// The ECMA-419-shaped client (Moddable's embedded:network/mqtt/client pattern, with MQTT 5) against
// mosquitto: CONNACK/SUBACK/PUBACK through onControl, payloads written and read in fragments, MQTT 5
// properties both ways, the will after close(), and onError for a refused login.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ecma419Client, MqttConnectionError } from "../../src/client/index";
import type { Ecma419ClientOptions, Ecma419ControlMessage, Ecma419ReadableInfo } from "../../src/client/index";
import { NodePlatform } from "../../src/platform/host/index";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { connected, endAll, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ users: { dev: "secret" } });
});
afterAll(async () => {
  await broker?.close();
});

interface Recorder {
  controls: Ecma419ControlMessage[];
  fragments: { count: number; info: Ecma419ReadableInfo; text: string }[];
  errors: (Error | undefined)[];
  closes: number;
  wait(predicate: () => boolean, ms?: number): Promise<void>;
}

function make(options: Partial<Ecma419ClientOptions>, onControl?: (this: Ecma419Client, m: Ecma419ControlMessage) => void) {
  const r: Recorder = {
    controls: [], fragments: [], errors: [], closes: 0,
    wait(predicate, ms = 5000) {
      return new Promise((resolve, reject) => {
        const start = Date.now();
        const tick = () => (predicate() ? resolve() : Date.now() - start > ms ? reject(new Error("timed out")) : setTimeout(tick, 5));
        tick();
      });
    },
  };
  const client = new Ecma419Client({
    platform: new NodePlatform(), host: broker.host, port: broker.port, id: uniqueId("ecma419"), user: "dev", password: "secret",
    onControl(m) {
      r.controls.push(structuredClone(m));
      onControl?.call(this, m);
    },
    onReadable(count, info) {
      const bytes = this.read(count);
      r.fragments.push({ count, info: structuredClone(info), text: new TextDecoder().decode(bytes) });
    },
    onError(e) {
      r.errors.push(e);
    },
    onClose() {
      r.closes++;
    },
    ...options,
  });
  return { client, r };
}

describe("Ecma419Client against mosquitto", () => {
  it("reports CONNACK and SUBACK through onControl, writes a payload in fragments and reads it back in fragments", async () => {
    const topic = uniqueId("ecma/frag");
    const { client, r } = make({ readFragment: 4 }, function (m) {
      if (m.operation === Ecma419Client.CONNACK) this.write(null, { operation: Ecma419Client.SUBSCRIBE, items: [{ topic, QoS: 1 }] });
      if (m.operation === Ecma419Client.SUBACK) {
        this.write("Hello", { topic, byteLength: 11, QoS: 1, id: 1234 });
        this.write(" world");
      }
    });
    await r.wait(() => r.fragments.length === 3 && r.controls.some((c) => c.operation === Ecma419Client.PUBACK));
    expect(r.controls[0]).toMatchObject({ operation: Ecma419Client.CONNACK, returnCode: 0 });
    expect(r.controls.find((c) => c.operation === Ecma419Client.SUBACK)?.payload).toEqual([1]);
    expect(r.controls.find((c) => c.operation === Ecma419Client.PUBACK)).toMatchObject({ id: 1234, reasonCode: 0 });
    expect(r.fragments.map((f) => [f.count, f.text, f.info.more])).toEqual([[4, "Hell", true], [4, "o wo", true], [3, "rld", false]]);
    expect(r.fragments[0]!.info).toMatchObject({ topic, byteLength: 11, QoS: 1 });
    client.write(null, { operation: Ecma419Client.DISCONNECT });
    await r.wait(() => r.closes === 1);
    expect(r.errors).toEqual([]);
  });

  it("carries MQTT 5 properties on write and in onReadable", async () => {
    const topic = uniqueId("ecma/props");
    const { client, r } = make({}, function (m) {
      if (m.operation === Ecma419Client.CONNACK) this.write(null, { operation: Ecma419Client.SUBSCRIBE, items: [{ topic, QoS: 0 }] });
      if (m.operation === Ecma419Client.SUBACK) {
        this.write("{}", { topic, properties: { contentType: "application/json", userProperties: [["k", "v"]] } });
      }
    });
    await r.wait(() => r.fragments.length === 1);
    expect(r.fragments[0]!.info.properties).toMatchObject({ contentType: "application/json", userProperties: [["k", "v"]] });
    client.close();
  });

  it("close() drops the connection without DISCONNECT, so the broker publishes the will", async () => {
    const topic = uniqueId("ecma/will");
    const watcher = await connected(broker, { username: "dev", password: "secret" });
    await watcher.async.subscribeAsync(topic, { qos: 1 });
    const { client, r } = make({ will: { topic, message: "offline", QoS: 1 } });
    await r.wait(() => r.controls.length > 0);
    client.close();
    const [m] = await watcher.inbox.waitFor(1);
    expect(m!.text).toBe("offline");
    expect(r.closes + r.errors.length).toBe(0);
    await endAll(watcher);
  });

  it("calls onError with the CONNACK reason code when the broker refuses the login (no onControl, as in Moddable)", async () => {
    const { r } = make({ password: "wrong" });
    await r.wait(() => r.errors.length === 1);
    expect(r.errors[0]).toBeInstanceOf(MqttConnectionError);
    expect((r.errors[0] as MqttConnectionError).reasonCode).toBe(0x87);
    expect(r.controls).toEqual([]);
  });
});
