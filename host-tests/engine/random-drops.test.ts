// Randomized: QoS 1 and QoS 2 streams in both directions between the engine and a simulated broker, with the
// connection dropped at random byte boundaries. Nothing may be lost, no QoS 2 message delivered twice (on
// either side), and every resend must carry DUP=1 (the broker records violations).

import { describe, expect, it } from "vitest";
import type { QoS } from "../../src/codec/packet";
import { EngineState } from "../../src/engine/index";
import { EngineDriver, prng, SimBroker } from "../support/engine-harness";

interface Outcome {
  brokerDelivered: string[];
  clientReceived: string[];
  completed: number;
  violations: string[];
  drops: number;
  finished: boolean;
  closes: number;
}

const MESSAGES = 40;

interface Setup {
  version: 4 | 5;
  brokerReceiveMaximum: number;
}

const MQTT5: Setup = { version: 5, brokerReceiveMaximum: 65535 };

function run(seed: number, dropRate: number, setup: Setup = MQTT5): Outcome {
  const random = prng(seed);
  const d = new EngineDriver({ transmitBufferSize: 128, maxInflight: 6, queueLimit: 8 });
  const broker = new SimBroker(setup.version, setup.brokerReceiveMaximum);
  d.engine.connect(setup.version === 5
    ? { clientId: "c", keepAlive: 0, properties: { sessionExpiryInterval: 3600, receiveMaximum: 4 } }
    : { clientId: "c", keepAlive: 0, protocolVersion: 4, cleanStart: false }, d.now);
  d.engine.connectionOpened(d.now);
  const clientReceived: string[] = [];
  let completed = 0;
  let closes = 0;
  let published = 0;
  let brokerPublished = 0;
  let drops = 0;
  const qos = (): QoS => (random() < 0.5 ? 1 : 2);

  const drop = () => {
    drops++;
    d.engine.connectionClosed(d.now);
    broker.dropConnection();
    d.engine.connectionOpened(d.now);
  };

  // Moves a random number of bytes one way; sometimes the connection dies part-way through them.
  const transfer = (available: number, move: (n: number) => void): boolean => {
    if (available === 0) return false;
    const n = 1 + Math.floor(random() * available);
    if (random() < dropRate) {
      move(Math.floor(random() * n));
      drop();
      return true;
    }
    move(n);
    return true;
  };

  for (let step = 0; step < 50_000; step++) {
    d.now += 1;
    if (published < MESSAGES && random() < 0.3) {
      const q = qos();
      if (d.engine.publish("t", `c${published}q${q}`, q, false, undefined, d.now) > 0) published++;
    }
    if (brokerPublished < MESSAGES && random() < 0.3) {
      const q = qos();
      broker.publishToClient(`b${brokerPublished}q${q}`, q);
      brokerPublished++;
    }
    transfer(d.engine.pending(), (n) => {
      const e = d.engine;
      const bytes = e.transmitBuffer.slice(e.pendingStart, e.pendingStart + n);
      e.consumed(n);
      broker.receive(bytes);
    });
    transfer(broker.pending(), (n) => d.feed(broker.take(n)));
    for (const e of d.events()) {
      if (e.event === "message") clientReceived.push(e.payload);
      else if (e.event === "publishDone" && e.reasonCode === 0) completed++;
      else if (e.event === "close") closes++;
    }
    if (d.engine.state === EngineState.CLOSING) drop();
    const settled = published === MESSAGES && brokerPublished === MESSAGES && completed === MESSAGES &&
      broker.unacknowledged() === 0 && broker.heldIds() === 0 && d.engine.pending() === 0 && broker.pending() === 0;
    if (settled) return { brokerDelivered: broker.delivered, clientReceived, completed, violations: broker.violations, drops, finished: true, closes };
  }
  return { brokerDelivered: broker.delivered, clientReceived, completed, violations: broker.violations, drops, finished: false, closes };
}

function checkDelivery(delivered: string[], prefix: string): void {
  for (let i = 0; i < MESSAGES; i++) {
    const copies = delivered.filter((p) => p.startsWith(`${prefix}${i}q`));
    expect(copies.length, `${prefix}${i} delivered`).toBeGreaterThanOrEqual(1);
    if (copies[0].endsWith("q2")) expect(copies.length, `${copies[0]} is QoS 2: exactly once`).toBe(1);
  }
}

describe("random connection drops during QoS 1 and QoS 2 streams in both directions", () => {
  it("loses nothing, delivers QoS 2 exactly once and sets DUP on every resend (200 seeds)", () => {
    let totalDrops = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const o = run(seed, 0.04);
      const context = `seed ${seed}`;
      expect(o.finished, context).toBe(true);
      expect(o.violations, context).toEqual([]);
      expect(o.closes, context).toBe(0);
      expect(o.completed, context).toBe(MESSAGES);
      checkDelivery(o.brokerDelivered, "c");
      checkDelivery(o.clientReceived, "b");
      totalDrops += o.drops;
    }
    expect(totalDrops).toBeGreaterThan(200);
  });

  it("survives a connection that drops very often (every few packets)", () => {
    for (let seed = 1000; seed <= 1030; seed++) {
      const o = run(seed, 0.2);
      expect(o.finished, `seed ${seed}`).toBe(true);
      expect(o.violations, `seed ${seed}`).toEqual([]);
      checkDelivery(o.brokerDelivered, "c");
      checkDelivery(o.clientReceived, "b");
    }
  });

  it("never exceeds a small server Receive Maximum while connections drop (broker announces 2)", () => {
    for (let seed = 2000; seed <= 2050; seed++) {
      const o = run(seed, 0.05, { version: 5, brokerReceiveMaximum: 2 });
      expect(o.finished, `seed ${seed}`).toBe(true);
      expect(o.violations, `seed ${seed}`).toEqual([]);
      checkDelivery(o.brokerDelivered, "c");
    }
  });

  it("keeps the same guarantees in MQTT 3.1.1 mode (Clean Session 0)", () => {
    for (let seed = 3000; seed <= 3060; seed++) {
      const o = run(seed, 0.05, { version: 4, brokerReceiveMaximum: 65535 });
      expect(o.finished, `seed ${seed}`).toBe(true);
      expect(o.violations, `seed ${seed}`).toEqual([]);
      checkDelivery(o.brokerDelivered, "c");
      checkDelivery(o.clientReceived, "b");
    }
  });
});
