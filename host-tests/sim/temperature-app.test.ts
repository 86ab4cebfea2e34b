// The device app with scripted ports: what it publishes, where, with which options, and how it rides out
// network drops. Time is a manual clock, so nothing here waits.
import { describe, expect, it } from "vitest";
import { TemperatureApp } from "../../src/app/index";
import type { AppClock, AppPublishOptions, AppWill, MqttSession, NetworkStatus, SessionEvents } from "../../src/app/index";

class ManualClock implements AppClock {
  now = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  setTimer(delayMs: number, callback: () => void): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.now + delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  epochMs(): number {
    return 1_700_000_000_000 + this.now;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = end;
  }
}

class FakeNetwork implements NetworkStatus {
  up = false;
  private listeners: ((up: boolean) => void)[] = [];
  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }
  set(up: boolean): void {
    this.up = up;
    for (const l of this.listeners) l(up);
  }
}

interface Sent {
  topic: string;
  text: string;
  options: AppPublishOptions;
}

class FakeSession implements MqttSession {
  started?: { clientId: string; will: AppWill | undefined };
  events?: SessionEvents;
  sent: Sent[] = [];
  resumes = 0;
  stopped = false;
  start(clientId: string, will: AppWill | undefined, events: SessionEvents): void {
    this.started = { clientId, will };
    this.events = events;
  }
  /** publish() answers false (the store is full). */
  full = false;
  publish(topic: string, payload: Uint8Array, length: number, options: AppPublishOptions): boolean {
    if (this.full) return false;
    this.sent.push({ topic, text: new TextDecoder().decode(payload.subarray(0, length)), options });
    return true;
  }
  resume(): void {
    this.resumes++;
  }
  /** Publishes not done yet, as the test says. */
  owed = 0;
  pending(): number {
    return this.owed;
  }
  stop(): void {
    this.stopped = true;
  }
  readings(): Sent[] {
    return this.sent.filter((s) => s.topic.endsWith("/sensors/temperature"));
  }
}

function setup(networkUp = true, queueWhileOffline = false) {
  const clock = new ManualClock();
  const network = new FakeNetwork();
  network.up = networkUp;
  const session = new FakeSession();
  let value = 20;
  const sensor = { read: () => (value += 0.25) };
  const app = new TemperatureApp({ deviceId: "dev-1", intervalMs: 1000, qos: 1, queueWhileOffline }, { sensor, network, clock, session });
  return { app, clock, network, session };
}

describe("temperature app", () => {
  it("publishes each reading as retained JSON with content type and message expiry", () => {
    const { app, clock, session } = setup();
    app.start();
    session.events!.onConnected();
    clock.advance(2000);
    const readings = session.readings();
    expect(readings.map((r) => JSON.parse(r.text))).toEqual([
      { value: 20.25, unit: "C", timestamp: 1_700_000_000_000 },
      { value: 20.5, unit: "C", timestamp: 1_700_000_001_000 },
      { value: 20.75, unit: "C", timestamp: 1_700_000_002_000 },
    ]);
    expect(readings[0]!.topic).toBe("devices/dev-1/sensors/temperature");
    expect(readings[0]!.options).toEqual({
      qos: 1, retain: true, contentType: "application/json", messageExpiryInterval: 10, utf8: true,
    });
  });

  it("registers an offline will and announces online on every connect", () => {
    const { app, clock, session } = setup();
    app.start();
    expect(session.started).toMatchObject({ clientId: "dev-1", will: { topic: "devices/dev-1/status", retain: true } });
    expect(new TextDecoder().decode(session.started!.will!.payload)).toBe("offline");
    session.events!.onConnected();
    clock.advance(0);
    session.events!.onDisconnected();
    session.events!.onConnected();
    clock.advance(0);
    const status = session.sent.filter((s) => s.topic === "devices/dev-1/status").map((s) => s.text);
    expect(status).toEqual(["online", "online"]);
  });

  it("publishes on connect from the next turn, not inside the session's callback, and not once the link is gone", () => {
    // On a device the connect callback runs deep inside the client's receive path; publishing there too
    // overflowed the 384-slot XS stack of an ESP32 (seen in Moddable's simulator).
    const { app, clock, session } = setup();
    app.start();
    session.events!.onConnected();
    expect(session.sent).toEqual([]);
    clock.advance(0);
    expect(session.sent.map((s) => s.text)).toEqual(["online", expect.stringContaining('"value"')]);
    session.events!.onDisconnected();
    session.events!.onConnected();
    session.events!.onDisconnected();
    clock.advance(0);
    expect(session.sent).toHaveLength(2);
  });

  it("waits for the network before connecting, and asks for a prompt reconnect when it returns", () => {
    const { app, network, session } = setup(false);
    app.start();
    expect(session.started).toBeUndefined();
    network.set(true);
    expect(session.started?.clientId).toBe("dev-1");
    network.set(false);
    network.set(true);
    expect(session.resumes).toBe(1);
  });

  it("keeps only the newest reading while disconnected and sends it on reconnect", () => {
    const { app, clock, session } = setup();
    app.start();
    session.events!.onConnected();
    clock.advance(0);
    session.events!.onDisconnected();
    clock.advance(3000); // three readings while the broker is unreachable
    expect(session.readings()).toHaveLength(1);
    session.events!.onConnected();
    clock.advance(0);
    const readings = session.readings();
    expect(readings).toHaveLength(2);
    expect(JSON.parse(readings[1]!.text).value).toBe(21);
    expect(app.stats.superseded).toBe(2);
  });

  it("with queueWhileOffline hands every reading taken while disconnected to the session, which queues them", () => {
    const { app, clock, session } = setup(true, true);
    app.start();
    session.events!.onConnected();
    clock.advance(0);
    session.events!.onDisconnected();
    clock.advance(3000); // three readings while the broker is unreachable
    expect(session.readings().map((r) => JSON.parse(r.text).value)).toEqual([20.25, 20.5, 20.75, 21]);
    expect(app.stats.superseded).toBe(0);
    session.events!.onConnected();
    clock.advance(0);
    expect(session.readings()).toHaveLength(4); // nothing was left over to send again
  });

  it("says offline itself on an orderly stop, since no will is sent then", () => {
    const { app, clock, session } = setup();
    app.start();
    session.events!.onConnected();
    app.stop();
    expect(session.sent.at(-1)).toMatchObject({ topic: "devices/dev-1/status", text: "offline" });
    expect(session.stopped).toBe(true);
    const count = session.sent.length;
    clock.advance(5000);
    expect(session.sent).toHaveLength(count);
  });

  it("counts a failing sensor read and keeps sampling", () => {
    const clock = new ManualClock();
    const network = new FakeNetwork();
    network.up = true;
    const session = new FakeSession();
    let calls = 0;
    const sensor = { read: () => { if (++calls === 1) throw new Error("i2c"); return 22; } };
    const app = new TemperatureApp({ deviceId: "d", intervalMs: 1000 }, { sensor, network, clock, session });
    app.start();
    session.events!.onConnected();
    clock.advance(1000);
    expect(app.stats.sensorErrors).toBe(1);
    expect(session.readings().map((r) => JSON.parse(r.text).value)).toEqual([22]);
  });
});

function sleeper(networkUp = true) {
  const clock = new ManualClock();
  const network = new FakeNetwork();
  network.up = networkUp;
  const session = new FakeSession();
  const sleeps: number[] = [];
  const power = { deepSleep: (ms: number) => sleeps.push(ms) };
  const app = new TemperatureApp({ deviceId: "dev-1", intervalMs: 1000, sleepMs: 60_000, awakeMs: 10_000 }, { sensor: { read: () => 21 }, network, clock, session, power });
  return { app, clock, network, session, sleeps };
}

describe("temperature app in deep-sleep mode", () => {
  it("takes one reading per wake and hands it to the session at once, before any connection (the store keeps it)", () => {
    const { app, clock, session } = sleeper();
    app.start();
    expect(session.readings()).toHaveLength(1);
    clock.advance(5000);
    expect(session.readings()).toHaveLength(1);
    expect(session.started?.will).toBeUndefined();
  });

  it("hands the reading to the session (its store) at once, also when it woke without a network", () => {
    const { app, session } = sleeper(false);
    app.start();
    expect(session.started?.clientId).toBe("dev-1");
    expect(session.readings()).toHaveLength(1);
    expect(app.stats.refused).toBe(0);
  });

  it("disconnects and sleeps once connected with nothing owed, without a status message", () => {
    const { app, clock, session, sleeps } = sleeper();
    app.start();
    session.owed = 1;
    session.events!.onConnected();
    clock.advance(0);
    expect(sleeps).toEqual([]);
    session.owed = 0;
    session.events!.onPublishDone!();
    expect(session.stopped).toBe(true);
    clock.advance(1000);
    expect(sleeps).toEqual([60_000]);
    expect(session.sent.filter((s) => s.topic.endsWith("/status"))).toEqual([]);
    expect(app.stats.awakeMs).toBe(0);
  });

  it("sleeps after awakeMs when the broker cannot be reached, leaving the reading with the session", () => {
    const { app, clock, session, sleeps } = sleeper();
    app.start();
    session.owed = 1;
    clock.advance(9999);
    expect(sleeps).toEqual([]);
    clock.advance(1000);
    expect(session.stopped).toBe(true);
    expect(sleeps).toEqual([60_000]);
    expect(app.stats.awakeMs).toBe(10_000);
  });

  it("counts a reading the session refused (its store full) and still sleeps", () => {
    const { app, clock, session, sleeps } = sleeper();
    session.full = true;
    app.start();
    expect(app.stats.refused).toBe(1);
    clock.advance(11_000);
    expect(sleeps).toEqual([60_000]);
  });

  it("refuses deep-sleep mode without a way to sleep", () => {
    expect(() => new TemperatureApp({ deviceId: "d", sleepMs: 1000 }, { sensor: { read: () => 1 }, network: new FakeNetwork(), clock: new ManualClock(), session: new FakeSession() })).toThrow(/ports.power/);
  });
});
