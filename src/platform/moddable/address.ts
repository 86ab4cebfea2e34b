// Which hosts need no DNS lookup. ECMA-419 TCP takes only an IP address, and a resolver costs a UDP
// socket and a round trip, so literals (and "localhost", which Moddable's resolver maps the same way)
// go straight to the socket.

/** The IPv4 address `host` denotes by itself, or undefined when it is a name to resolve. */
export function literalAddress(host: string): string | undefined {
  if (host === "localhost") return "127.0.0.1";
  const parts = host.split(".");
  if (parts.length !== 4) return undefined;
  for (const part of parts) {
    if (!isOctet(part)) return undefined;
  }
  return host;
}

function isOctet(part: string): boolean {
  if (part.length < 1 || part.length > 3) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return Number(part) <= 255;
}
