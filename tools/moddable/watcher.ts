// What a user's subscriber sees of the device: every message on devices/#, recorded as it arrives. MQTT.js,
// QoS 1, with a session that outlives a broker restart (the broker persists it), so nothing the device
// published is missed while the watcher itself reconnects.
import mqtt, { type MqttClient } from "mqtt";

export interface Seen {
  /** When it arrived (Date.now()). */
  at: number;
  topic: string;
  payload: string;
  /** Sent because of a new subscription (an old retained value), not because the device published it. */
  retained: boolean;
  contentType?: string;
  expiry?: number;
}

export interface Reading {
  value: number;
  timestamp: number;
}

export class Watcher {
  readonly seen: Seen[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      const properties = packet.properties;
      this.seen.push({ at: Date.now(), topic, payload: payload.toString(), retained: packet.retain, contentType: properties?.contentType, expiry: properties?.messageExpiryInterval });
    });
  }

  static async start(url: string): Promise<Watcher> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 5,
      clientId: "lin-check-watcher",
      clean: false,
      properties: { sessionExpiryInterval: 300 },
      reconnectPeriod: 250,
    });
    const watcher = new Watcher(client);
    await client.subscribeAsync("devices/#", { qos: 1 });
    return watcher;
  }

  /** The first "online" status that arrived after `since` (Date.now()). */
  onlineAfter(since: number): Seen | undefined {
    return this.seen.find((m) => m.topic.endsWith("/status") && m.payload === "online" && m.at > since);
  }

  /** Status payloads ("online", "offline") in order of arrival. */
  get status(): string[] {
    return this.seen.filter((m) => m.topic.endsWith("/status") && !m.retained).map((m) => m.payload);
  }

  /** Reading messages the device published while the watcher was subscribed. */
  get readingMessages(): Seen[] {
    return this.seen.filter((m) => m.topic.endsWith("/sensors/temperature") && !m.retained);
  }

  /** Distinct readings (a QoS 1 resend arrives twice), oldest first. */
  readings(): Reading[] {
    const byTime = new Map<number, Reading>();
    for (const m of this.readingMessages) {
      const reading = parseReading(m.payload);
      if (reading) byTime.set(reading.timestamp, reading);
    }
    return [...byTime.values()].sort((a, b) => a.timestamp - b.timestamp);
  }

  async stop(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export function parseReading(payload: string): Reading | undefined {
  try {
    const json = JSON.parse(payload) as { value?: unknown; timestamp?: unknown };
    if (typeof json.value === "number" && typeof json.timestamp === "number") return { value: json.value, timestamp: json.timestamp };
  } catch {
    // not JSON: counted as incomplete by the caller
  }
  return undefined;
}
