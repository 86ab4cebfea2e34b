// Checks of the transport options that MQTT over WebSocket and ALPN add: a request path and headers that
// cannot break the HTTP request they are written into, and ALPN names that fit the TLS extension. A bad
// value throws MqttArgumentError naming the option, before anything connects.

import { MqttArgumentError } from "../codec/errors";
import { utf8Length } from "../codec/utf8";
import type { TlsOptions, WebSocketOptions } from "./transport";

/** The subprotocol MQTT over WebSocket offers and requires ([MQTT-6.0.0-3], [MQTT-6.0.0-4]). */
export const MQTT_SUBPROTOCOL = "mqtt";

/** Where brokers conventionally serve MQTT over WebSocket (mosquitto serves any path). */
export const DEFAULT_WEBSOCKET_PATH = "/mqtt";

/** The port when none is given: 1883 / 8883 for MQTT over TCP / TLS, 80 / 443 over WebSocket. */
export function defaultPort(tls: boolean, websocket: boolean): number {
  if (websocket) return tls ? 443 : 80;
  return tls ? 8883 : 1883;
}

/** The checked WebSocket options with the default path filled in; undefined for plain MQTT. */
export function webSocketOptions(value: WebSocketOptions | boolean | undefined, name: string): WebSocketOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { path: DEFAULT_WEBSOCKET_PATH };
  if (value === null || typeof value !== "object") throw new MqttArgumentError(name, "must be an object or a boolean");
  const path = value.path ?? DEFAULT_WEBSOCKET_PATH;
  if (typeof path !== "string" || path.charCodeAt(0) !== 0x2f || !isVisibleAscii(path)) {
    throw new MqttArgumentError(`${name}.path`, "must start with / and hold only visible ASCII (percent-encode the rest)");
  }
  const out: WebSocketOptions = { path };
  if (value.headers !== undefined) out.headers = checkHeaders(value.headers, `${name}.headers`);
  return out;
}

/** ALPN names are 1 to 255 bytes each in the TLS extension (RFC 7301). */
export function checkTls(tls: TlsOptions | boolean | undefined, name: string): void {
  if (tls === undefined || typeof tls === "boolean") return;
  const alpn = tls.alpn;
  if (alpn === undefined) return;
  if (!Array.isArray(alpn) || alpn.length === 0) throw new MqttArgumentError(`${name}.alpn`, "must be a non-empty array of protocol names");
  for (const protocol of alpn) {
    if (typeof protocol !== "string" || protocol.length === 0 || utf8Length(protocol, `${name}.alpn`) > 255) {
      throw new MqttArgumentError(`${name}.alpn`, "each protocol name must be a string of 1 to 255 bytes");
    }
  }
}

function checkHeaders(headers: Record<string, string>, name: string): Record<string, string> {
  if (headers === null || typeof headers !== "object") throw new MqttArgumentError(name, "must be an object of strings");
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (key.length === 0 || !isVisibleAscii(key) || key.indexOf(":") >= 0) {
      throw new MqttArgumentError(name, `header name ${JSON.stringify(key)} is not a token`);
    }
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
      throw new MqttArgumentError(name, `header ${key} must be a string without line breaks`);
    }
  }
  return headers;
}

function isVisibleAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}
