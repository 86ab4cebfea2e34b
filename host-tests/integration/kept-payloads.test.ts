// On Node a message handler gets a payload it may keep, as with MQTT.js; zero-copy views are an explicit
// option there (copyPayloads: false), and stay the default of MqttClient itself (the device) (issue 13, item 9).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MqttClient } from "../../src/client/index";
import { connect } from "../../src/platform/host/connect";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { delay, once, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

async function keptPayloads(options: { copyPayloads?: boolean }): Promise<Uint8Array[]> {
  const url = `mqtt://${broker.host}:${broker.port}`;
  const sub = connect(url, { clientId: uniqueId("keep"), ...options });
  const pub = connect(url, { clientId: uniqueId("keep-pub") });
  const topic = uniqueId("keep/t");
  const kept: Uint8Array[] = [];
  sub.on("message", (_topic, payload) => kept.push(payload));
  await Promise.all([once(sub, "connect"), once(pub, "connect")]);
  await new Promise<void>((resolve) => {
    sub.on("subscribed", () => resolve());
    sub.subscribe(topic, { qos: 1 });
  });
  for (const text of ["first", "second", "third"]) pub.publish(topic, text, { qos: 1 });
  while (kept.length < 3) await delay(10);
  await end(sub);
  await end(pub);
  return kept;
}

const texts = (payloads: Uint8Array[]) => payloads.map((p) => new TextDecoder().decode(p));

function end(client: MqttClient): Promise<unknown> {
  const ended = once(client, "end");
  client.end();
  return ended;
}

describe("payloads a message handler keeps, on Node", () => {
  it("are copies by default: three kept payloads read as three messages", async () => {
    const kept = await keptPayloads({});
    expect(texts(kept)).toEqual(["first", "second", "third"]);
    expect(new Set(kept.map((p) => p.buffer)).size).toBe(3);
  });

  it("are views into the one receive buffer with copyPayloads: false, valid only during the call", async () => {
    const kept = await keptPayloads({ copyPayloads: false });
    expect(new Set(kept.map((p) => p.buffer)).size).toBe(1);
  });
});
