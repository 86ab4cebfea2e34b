// Maps the platform-neutral TlsOptions onto the options Moddable's TLS session takes (the `secure`
// dictionary of `embedded:io/socket/tcp/tls` and of the legacy SecureSocket). Moddable's TLS reads DER,
// not PEM, and trusts one extra CA besides the certificates built into the firmware.

import type { TlsOptions } from "../../client/transport";
import { MqttArgumentError } from "../../codec/errors";

export function moddableSecureOptions(tls: TlsOptions | true): Record<string, unknown> {
  const options: TlsOptions = tls === true ? {} : tls;
  const secure: Record<string, unknown> = { verify: options.rejectUnauthorized !== false };
  const ca = singleCa(options.ca);
  if (ca !== undefined) secure.certificate = ca;
  if (options.cert !== undefined) secure.clientCertificates = [der(options.cert, "tls.cert")];
  if (options.key !== undefined) secure.clientKey = der(options.key, "tls.key");
  // The SDK's TLS (modules/crypt/ssl, both sockets) offers these names in its ClientHello's ALPN
  // extension; it does not check which one the server selected.
  if (options.alpn !== undefined) secure.applicationLayerProtocolNegotiation = options.alpn;
  return secure;
}

/** The name the TLS session checks the certificate against (and sends as SNI). */
export function serverName(tls: TlsOptions | true, host: string): string {
  return (tls !== true && tls.servername) || host;
}

function singleCa(ca: TlsOptions["ca"]): Uint8Array | undefined {
  if (ca === undefined) return undefined;
  if (!Array.isArray(ca)) return der(ca, "tls.ca");
  if (ca.length > 1) throw new MqttArgumentError("tls.ca", "Moddable's TLS takes one CA certificate");
  return ca.length === 1 ? der(ca[0], "tls.ca") : undefined;
}

function der(value: string | Uint8Array, argument: string): Uint8Array {
  if (typeof value === "string") throw new MqttArgumentError(argument, "Moddable's TLS takes DER bytes, not PEM text");
  return value;
}
