// Server Reference (MQTT 5 section 4.11): where a CONNACK or DISCONNECT with 0x9C (Use another server) or
// 0x9D (Server moved) sends the client. The specification leaves its format to the server; brokers send
// "host", "host:port", "[v6]:port", URLs (mqtt://, mqtts://, tcp://, ssl://, ws://host/path, wss://) and
// space-separated lists of them. The client follows the first entry it can use from its current transport:
// - the same security: never from TLS to plain TCP, and not from plain TCP to TLS either, because the app
//   gave no trust settings (CA, server name) for a TLS connection;
// - WebSocket entries only over a WebSocket transport, TCP entries only over TCP;
// - the bare forms (host, host:port) keep the current transport, and its port when they name none.

export interface ServerReference {
  /** The entry as the server wrote it (what the client reports). */
  text: string;
  /** The URL scheme in lower case; "" for the bare forms. */
  scheme: string;
  host: string;
  port: number;
  /** From the scheme; undefined for the bare forms (the current transport's). */
  tls: boolean | undefined;
  /** From the scheme; undefined for the bare forms (the current transport's). */
  websocket: boolean | undefined;
  /** The WebSocket path ("/" when none is given); "" for TCP. */
  path: string;
}

/** What the client is connected over now, for chooseServerReference. */
export interface CurrentTransport {
  tls: boolean;
  websocket: boolean;
  port: number;
}

interface Scheme {
  tls: boolean;
  websocket: boolean;
  port: number;
}

const PLAIN: Scheme = Object.freeze({ tls: false, websocket: false, port: 1883 });
const SECURE: Scheme = Object.freeze({ tls: true, websocket: false, port: 8883 });
const WS: Scheme = Object.freeze({ tls: false, websocket: true, port: 80 });
const WSS: Scheme = Object.freeze({ tls: true, websocket: true, port: 443 });

function schemeNamed(name: string): Scheme | undefined {
  switch (name) {
    case "mqtt": case "tcp": return PLAIN;
    case "mqtts": case "ssl": case "tls": return SECURE;
    case "ws": return WS;
    case "wss": return WSS;
    default: return undefined;
  }
}

/** The first entry of a Server Reference that the current transport can follow, or undefined. */
export function chooseServerReference(reference: string, current: CurrentTransport): ServerReference | undefined {
  for (const entry of reference.trim().split(/\s+/)) {
    const ref = parseServerReference(entry, current.port);
    if (ref === undefined) continue;
    if ((ref.tls === undefined || ref.tls === current.tls) && (ref.websocket === undefined || ref.websocket === current.websocket)) return ref;
  }
  return undefined;
}

/** One entry: host, host:port, [v6]:port or scheme://host[:port][/path]; undefined when it is none of them. */
export function parseServerReference(entry: string, currentPort: number): ServerReference | undefined {
  const separator = entry.indexOf("://");
  if (separator < 0) return withAuthority(entry, entry, "", undefined, currentPort, "");
  const name = entry.slice(0, separator).toLowerCase();
  const scheme = schemeNamed(name);
  if (scheme === undefined) return undefined;
  const rest = entry.slice(separator + 3);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  // An MQTT URL has no path (a trailing "/" aside); a WebSocket one keeps it.
  if (!scheme.websocket && path !== "/") return undefined;
  return withAuthority(entry, authority, name, scheme, scheme.port, scheme.websocket ? path : "");
}

// host[:port] or [v6][:port] -> the reference; credentials ("user@") are not carried over.
function withAuthority(text: string, authority: string, name: string, scheme: Scheme | undefined, defaultPort: number, path: string): ServerReference | undefined {
  let host: string;
  let after: string;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return undefined;
    host = authority.slice(1, close);
    after = authority.slice(close + 1);
  } else {
    const colon = authority.indexOf(":");
    host = colon < 0 ? authority : authority.slice(0, colon);
    after = colon < 0 ? "" : authority.slice(colon);
  }
  if (host === "" || /[\s@\[\]\/]/.test(host)) return undefined;
  const port = after === "" ? defaultPort : portOf(after);
  if (port === undefined) return undefined;
  return { text, scheme: name, host, port, tls: scheme?.tls, websocket: scheme?.websocket, path };
}

// ":1883" -> 1883; anything else (no colon, not digits, out of range) -> undefined.
function portOf(text: string): number | undefined {
  if (!/^:\d{1,5}$/.test(text)) return undefined;
  const port = Number(text.slice(1));
  return port >= 1 && port <= 65535 ? port : undefined;
}
