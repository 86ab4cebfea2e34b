// How `sub` prints a message: mosquitto_sub's -F format codes (a subset), -v, or one JSON object per line.
import type { PublishPacket } from "../../../codec/packet";
import type { Properties } from "../../../codec/properties";

/** The received message, copied out of the client's buffer (its payload window is valid only during the event). */
export interface ReceivedMessage {
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
  properties: Properties | undefined;
  /** Wall-clock receive time, ms since the epoch. */
  receivedAt: number;
}

export function receivedMessage(topic: string, payload: Uint8Array, packet: PublishPacket, receivedAt: number): ReceivedMessage {
  return { topic, payload: payload.slice(), qos: packet.qos, retain: packet.retain, properties: copyProperties(packet.properties), receivedAt };
}

function copyProperties(p: Properties | undefined): Properties | undefined {
  if (p === undefined) return undefined;
  const copy: Properties = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    (copy as Record<string, unknown>)[key] = value instanceof Uint8Array ? value.slice() : Array.isArray(value) ? value.map((v: unknown) => (Array.isArray(v) ? [...v] : v)) : value;
  }
  return copy;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** One JSON object: the payload as text when it is UTF-8, otherwise as base64 under payloadBase64. */
export function jsonLine(m: ReceivedMessage): string {
  const out: Record<string, unknown> = { time: new Date(m.receivedAt).toISOString(), topic: m.topic, qos: m.qos, retain: m.retain };
  try {
    out.payload = new TextDecoder("utf-8", { fatal: true }).decode(m.payload);
  } catch {
    out.payloadBase64 = Buffer.from(m.payload).toString("base64");
  }
  const p = m.properties;
  if (p !== undefined) {
    const props: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(p)) {
      if (value !== undefined) props[key] = value instanceof Uint8Array ? hex(value) : value;
    }
    out.properties = props;
  }
  return JSON.stringify(out);
}

/** mosquitto_sub -F: %t topic, %p payload, %x payload as hex, %l length, %q QoS, %r retain, %C content type,
 * %E message expiry, %R response topic, %D correlation data (hex), %P user properties, %S subscription ids,
 * %I ISO-8601 time, %U Unix time, %j JSON, %% a percent sign; \n \t \\ escapes. */
export function formatMessage(format: string, m: ReceivedMessage): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === "\\" && i + 1 < format.length) {
      const e = format[++i]!;
      out += e === "n" ? "\n" : e === "t" ? "\t" : e;
    } else if (c === "%" && i + 1 < format.length) {
      out += code(format[++i]!, m);
    } else {
      out += c;
    }
  }
  return out;
}

function code(c: string, m: ReceivedMessage): string {
  const p = m.properties;
  switch (c) {
    case "t": return m.topic;
    case "p": return new TextDecoder().decode(m.payload);
    case "x": return hex(m.payload);
    case "l": return String(m.payload.length);
    case "q": return String(m.qos);
    case "r": return m.retain ? "1" : "0";
    case "C": return p?.contentType ?? "";
    case "E": return p?.messageExpiryInterval === undefined ? "" : String(p.messageExpiryInterval);
    case "R": return p?.responseTopic ?? "";
    case "D": return p?.correlationData === undefined ? "" : hex(p.correlationData);
    case "P": return (p?.userProperties ?? []).map(([k, v]) => `${k}:${v}`).join(",");
    case "S": return (p?.subscriptionIdentifiers ?? []).join(",");
    case "I": return new Date(m.receivedAt).toISOString();
    case "U": return (m.receivedAt / 1000).toFixed(3);
    case "j": return jsonLine(m);
    case "%": return "%";
    default: return `%${c}`;
  }
}
