// The app's ClientSession over the public MqttClient, against a real mosquitto: the link is cut under it
// (no DISCONNECT, as a lost radio link), and it must report the drop, publish the will, keep a QoS 1
// reading published while offline, reconnect by itself and deliver it with its MQTT 5 properties.
import { afterEach, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { ClientSession } from "../../src/app/index";
import type { MqttClient } from "../../src/client/mqtt-client";
import type { Platform, Transport } from "../../src/client/transport";
import { connect } from "../../src/platform/host/connect";
import { NodePlatform } from "../../src/platform/host/index";

const brokers: Mosquitto[] = [];
const clients: MqttClient[] = [];
const sessions: ClientSession[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) s.stop();
  for (const c of clients.splice(0)) c.end();
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

/** A Node platform whose open connections can be cut at once. */
function cuttablePlatform(): { platform: Platform; cut(): void } {
  const base = new NodePlatform();
  const open = new Set<Transport>();
  const platform: Platform = {
    connect: (options, handler) => {
      const transport = base.connect(options, {
        onOpen: () => handler.onOpen(),
        onData: (b, s, e) => handler.onData(b, s, e),
        onWritable: () => handler.onWritable(),
        onClose: (error) => {
          open.delete(transport);
          handler.onClose(error);
        },
      });
      open.add(transport);
      return transport;
    },
    now: () => base.now(),
    setTimer: (ms, cb) => base.setTimer(ms, cb),
    clearTimer: (t) => base.clearTimer(t),
    random: () => base.random(),
  };
  return { platform, cut: () => [...open].forEach((t) => t.close()) };
}

function waitFor<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>(register);
}

describe("ClientSession", () => {
  it("reports a cut link, publishes the will, and delivers a QoS 1 reading published offline after reconnecting", async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const arrivals: { topic: string; text: string; contentType: string | undefined }[] = [];
    let arrived: (() => void) | undefined;
    const watcher = connect(broker.url, { clientId: "cs-watcher" });
    clients.push(watcher);
    watcher.on("message", (topic, payload, packet) => {
      arrivals.push({ topic, text: new TextDecoder().decode(payload), contentType: packet.properties?.contentType });
      arrived?.();
    });
    await waitFor<void>((resolve) => watcher.once("connect", () => resolve()));
    const subscribed = waitFor<void>((resolve) => watcher.once("subscribed", () => resolve()));
    watcher.subscribe("cs/#", { qos: 1 });
    await subscribed;

    const link = cuttablePlatform();
    const session = new ClientSession({
      platform: link.platform,
      broker: { host: "127.0.0.1", port: broker.port },
      backoff: { minDelayMs: 100, jitter: 0 },
    });
    sessions.push(session);
    let connects = 0;
    let onConnect: (() => void) | undefined;
    let onDrop: (() => void) | undefined;
    const will = { topic: "cs/status", payload: new TextEncoder().encode("offline"), qos: 1 as const, retain: false };
    session.start("cs-device", will, {
      onConnected: () => {
        connects++;
        onConnect?.();
      },
      onDisconnected: () => onDrop?.(),
    });
    await waitFor<void>((resolve) => (onConnect = resolve));
    expect(session.connected).toBe(true);

    const dropped = waitFor<void>((resolve) => (onDrop = resolve));
    link.cut();
    await dropped;
    expect(session.connected).toBe(false);
    const reading = new TextEncoder().encode("21.5 and padding the app does not send");
    const options = { qos: 1 as const, retain: false, contentType: "text/plain" };
    const delivered = waitFor<void>((resolve) => {
      arrived = () => {
        if (arrivals.some((a) => a.topic === "cs/reading") && arrivals.some((a) => a.topic === "cs/status")) resolve();
      };
    });
    expect(session.publish("cs/reading", reading, 4, options)).toBe(true);
    await delivered;

    expect(connects).toBe(2);
    expect(arrivals.find((a) => a.topic === "cs/status")?.text).toBe("offline");
    expect(arrivals.find((a) => a.topic === "cs/reading")).toEqual({ topic: "cs/reading", text: "21.5", contentType: "text/plain" });
  });
});
