// The temperature device: reads the sensor every `intervalMs` and publishes the reading, retained, to
// devices/<id>/sensors/temperature. The same code runs on the firmware and in the host simulator.
//
// Network drops: readings keep being taken; while the broker is unreachable only the newest one is kept
// (the topic is retained, so an old value has no use once a newer one exists) and it goes out as soon as the
// session reconnects. With queueWhileOffline every reading goes to the client, whose bounded offline queue
// keeps them all for the reconnect (the lin target does this, so `make lin-check` can count them).
// The will announces "offline" when the connection dies; "online" follows every connect.
//
// Deep-sleep mode (sleepMs > 0), for a battery board: each wake is a fresh start (RAM is lost in deep
// sleep), so the session lives in a persistent store (FlashSessionStore) and resumes (Clean Start 0, a
// Session Expiry longer than the sleep: sessionExpiryForSleep()). A wake takes one reading and hands it to
// the session, which stores it before anything is sent; once connected and nothing is owed any more (this
// reading and any left from earlier wakes acknowledged), or after awakeMs at the latest, it disconnects and
// sleeps. A broker out of reach only means the readings wait on flash for a later wake; a full store refuses
// new readings (counted in stats.refused), keeping the older ones. No status and no will in this mode: the
// device is away most of the time by design, and its readings' timestamps say when it was last heard.
import type { AppClock, AppPublishOptions, AppWill, MqttSession, NetworkStatus, PowerControl, QoS, ReadingObserver, Sensor } from "./ports";
import { READING_PAYLOAD_MAX, asciiBytes, writeReadingPayload } from "./reading-payload";
import { statusTopic, temperatureTopic } from "./topics";

export interface TemperatureAppConfig {
  deviceId: string;
  /** Between readings; default 5000 ms. */
  intervalMs?: number;
  /** QoS of readings and status; default 1. */
  qos?: QoS;
  /** Message Expiry of a reading in seconds; default 10 intervals (a stale reading disappears). */
  messageExpirySeconds?: number;
  /**
   * Hand readings to the session while disconnected too, so the client's offline queue (bounded by its queue
   * sizes) keeps each one for the reconnect; default false: only the newest unsent reading is kept.
   */
  queueWhileOffline?: boolean;
  /** Deep-sleep mode: ms asleep between wakes, one reading per wake (needs ports.power and a persistent session
   * store). Default 0: stay awake, a reading every intervalMs. */
  sleepMs?: number;
  /** Deep-sleep mode: the longest a wake lasts, connecting and waiting for acknowledgements; default 20000 ms. */
  awakeMs?: number;
}

export interface TemperatureAppPorts {
  sensor: Sensor;
  network: NetworkStatus;
  clock: AppClock;
  session: MqttSession;
  /** Deep sleep, for the deep-sleep mode. */
  power?: PowerControl;
  /** Hears whether each reading was accepted (instrumentation). */
  readings?: ReadingObserver;
}

export interface TemperatureAppStats {
  readings: number;
  published: number;
  /** Readings replaced by a newer one before they could be sent. */
  superseded: number;
  sensorErrors: number;
  connects: number;
  /** Readings the session refused: its queue (or store) was full. */
  refused: number;
  /** Deep-sleep mode: how long the last wake lasted, from start() to going to sleep (ms). */
  awakeMs: number;
}

/** A Session Expiry Interval (s) that outlasts a deep sleep of `sleepMs`, with room for a wake that cannot
 * connect at once: twice the sleep plus five minutes. */
export function sessionExpiryForSleep(sleepMs: number): number {
  return Math.ceil((2 * sleepMs) / 1000) + 300;
}

/** After the DISCONNECT is handed to the socket, the time it gets to leave before the radio goes off. */
const SETTLE_MS = 200;

// Status payloads. Byte arrays belong to the instance: a module-level one would be frozen by Moddable's preload.
const ONLINE = "online";
const OFFLINE = "offline";

export class TemperatureApp {
  readonly stats: TemperatureAppStats = { readings: 0, published: 0, superseded: 0, sensorErrors: 0, connects: 0, refused: 0, awakeMs: 0 };
  private readonly ports: TemperatureAppPorts;
  private readonly deviceId: string;
  private readonly intervalMs: number;
  private readonly queueWhileOffline: boolean;
  private readonly sleepMs: number;
  private readonly awakeMs: number;
  private wokeAt = 0;
  private readonly readingTopic: string;
  private readonly statusTopic: string;
  private readonly readingOptions: AppPublishOptions;
  private readonly statusOptions: AppPublishOptions;
  private readonly payload = new Uint8Array(READING_PAYLOAD_MAX);
  private readonly online = asciiBytes(ONLINE);
  private readonly offline = asciiBytes(OFFLINE);
  private payloadLength = 0;
  /** The timestamp in the payload. */
  private readingAt = 0;
  /** The payload holds a reading not yet handed to the session. */
  private unsent = false;
  private connected = false;
  private sessionStarted = false;
  private running = false;
  private timer: unknown = undefined;

  constructor(config: TemperatureAppConfig, ports: TemperatureAppPorts) {
    this.ports = ports;
    this.deviceId = config.deviceId;
    this.intervalMs = config.intervalMs ?? 5000;
    this.sleepMs = config.sleepMs ?? 0;
    this.awakeMs = config.awakeMs ?? 20000;
    if (this.sleepMs > 0 && ports.power === undefined) throw new RangeError("sleepMs: deep-sleep mode needs ports.power");
    // Asleep, a reading can only wait in the session's store.
    this.queueWhileOffline = this.sleepMs > 0 || (config.queueWhileOffline ?? false);
    const qos = config.qos ?? 1;
    this.readingTopic = temperatureTopic(config.deviceId);
    this.statusTopic = statusTopic(config.deviceId);
    const expiry = config.messageExpirySeconds ?? Math.max(1, Math.ceil((this.intervalMs * 10) / 1000));
    this.readingOptions = { qos, retain: true, contentType: "application/json", messageExpiryInterval: expiry, utf8: true };
    this.statusOptions = { qos, retain: true, contentType: "text/plain", utf8: true };
    ports.network.onChange((up) => this.networkChanged(up));
  }

  /** The will the session registers: "offline", retained, on the status topic. */
  get will(): AppWill {
    return { topic: this.statusTopic, payload: this.offline, ...this.statusOptions };
  }

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.sleepMs > 0) return this.wake();
    if (this.ports.network.up) this.startSession();
    this.sample();
  }

  /** Says "offline" itself (an orderly disconnect sends no will), then disconnects. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.ports.clock.clearTimer(this.timer);
    if (this.connected) this.ports.session.publish(this.statusTopic, this.offline, this.offline.length, this.statusOptions);
    if (this.sessionStarted) this.ports.session.stop();
    this.connected = false;
  }

  private startSession(): void {
    if (this.sessionStarted) return;
    this.sessionStarted = true;
    const session = this.ports.session;
    if (this.sleepMs > 0) {
      session.start(this.deviceId, undefined, {
        onConnected: () => this.sessionConnected(),
        onDisconnected: () => (this.connected = false),
        onPublishDone: () => this.sleepWhenDone(),
      });
      if (this.unsent) this.send();
      return;
    }
    session.start(this.deviceId, this.will, {
      onConnected: () => this.sessionConnected(),
      onDisconnected: () => (this.connected = false),
    });
    if (this.unsent && this.queueWhileOffline) this.send();
  }

  // ---- deep-sleep mode ----------------------------------------------------------------------------------------

  // One wake: a reading, handed to the session (stored first), then sleep once nothing is owed, or at the bound.
  private wake(): void {
    const clock = this.ports.clock;
    this.wokeAt = clock.epochMs();
    this.timer = clock.setTimer(this.awakeMs, this.sleepNow);
    // Started whatever the network: the reading goes into the store now; the session connects when it can.
    this.startSession();
    this.read();
  }

  private sleepWhenDone(): void {
    if (this.connected && !this.unsent && this.ports.session.pending() === 0) this.sleepNow();
  }

  private readonly sleepNow = (): void => {
    if (!this.running) return;
    this.running = false;
    const clock = this.ports.clock;
    clock.clearTimer(this.timer);
    this.stats.awakeMs = clock.epochMs() - this.wokeAt;
    if (this.sessionStarted) this.ports.session.stop();
    this.connected = false;
    clock.setTimer(SETTLE_MS, () => this.ports.power!.deepSleep(this.sleepMs));
  };

  private networkChanged(up: boolean): void {
    if (!this.running || !up) return;
    if (this.sessionStarted) this.ports.session.resume();
    else this.startSession();
  }

  // The session reports a connection from deep inside the client's receive path (socket callback, engine,
  // CONNACK, connect event); publishing from there stacks the whole publish path on top. On Moddable's XS
  // that overflowed the 384-slot stack an ESP32 app gets by default, so the status and a waiting reading go
  // out on the next turn, from a shallow stack.
  private sessionConnected(): void {
    this.connected = true;
    this.stats.connects++;
    this.ports.clock.setTimer(0, this.announce);
  }

  private readonly announce = (): void => {
    if (!this.connected) return;
    if (this.sleepMs === 0) this.ports.session.publish(this.statusTopic, this.online, this.online.length, this.statusOptions);
    if (this.unsent) this.send();
    if (this.sleepMs > 0) this.sleepWhenDone();
  };

  private sample(): void {
    if (!this.running) return;
    this.timer = this.ports.clock.setTimer(this.intervalMs, () => this.sample());
    this.read();
  }

  private read(): void {
    let value: number;
    try {
      value = this.ports.sensor.read();
    } catch {
      this.stats.sensorErrors++;
      return;
    }
    this.stats.readings++;
    if (this.unsent) this.stats.superseded++;
    this.readingAt = this.ports.clock.epochMs();
    this.payloadLength = writeReadingPayload(this.payload, value, "C", this.readingAt);
    this.unsent = true;
    if (this.connected || (this.queueWhileOffline && this.sessionStarted)) this.send();
  }

  private send(): void {
    const ok = this.ports.session.publish(this.readingTopic, this.payload, this.payloadLength, this.readingOptions);
    if (!ok) {
      // Kept here: it goes out on the next connect, unless a newer reading replaces it (asleep: lost).
      this.stats.refused++;
      this.ports.readings?.refused(this.readingAt);
      return;
    }
    this.ports.readings?.accepted(this.readingAt);
    this.unsent = false;
    this.stats.published++;
  }
}
