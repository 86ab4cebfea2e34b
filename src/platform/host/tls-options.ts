// Maps the transport's TLS options onto Node's tls.connect options. Validation stays on unless the
// caller explicitly turns it off; DER certificates (the Moddable form) are accepted and turned into PEM.
import type { ConnectionOptions } from "node:tls";
import { isIP } from "node:net";
import type { TlsOptions } from "../../client/transport";

type Pem = string | Uint8Array;

function isPemText(bytes: Uint8Array): boolean {
  // "-----" starts every PEM block; DER starts with 0x30 (SEQUENCE).
  return bytes.length > 5 && bytes[0] === 0x2d && bytes[4] === 0x2d;
}

function toPem(value: Pem, label: string): string | Buffer {
  if (typeof value === "string") return value;
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (isPemText(value)) return bytes;
  const body = bytes.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export function nodeTlsOptions(host: string, port: number, tls: TlsOptions | true): ConnectionOptions {
  const options: TlsOptions = tls === true ? {} : tls;
  const result: ConnectionOptions = {
    host,
    port,
    rejectUnauthorized: options.rejectUnauthorized !== false,
  };
  const name = options.servername ?? (isIP(host) ? undefined : host);
  // SNI never carries an IP address (RFC 6066); Node then checks the certificate against `host`.
  if (name !== undefined) result.servername = name;
  if (options.ca !== undefined) {
    const list = Array.isArray(options.ca) ? options.ca : [options.ca];
    result.ca = list.map((ca) => toPem(ca, "CERTIFICATE"));
  }
  if (options.cert !== undefined) result.cert = toPem(options.cert, "CERTIFICATE");
  if (options.key !== undefined) result.key = toPem(options.key, "PRIVATE KEY");
  if (options.alpn !== undefined) result.ALPNProtocols = options.alpn;
  return result;
}
