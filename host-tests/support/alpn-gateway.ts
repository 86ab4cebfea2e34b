// A TLS front that requires an ALPN protocol name, as AWS IoT Core does for MQTT on port 443
// ("x-amzn-mqtt-ca"): a connection that did not negotiate that name is closed right after the handshake,
// and one that did is relayed as plain TCP to a broker (mosquitto's MQTT listener).
import { connect } from "node:net";
import { createServer, type Server, type TLSSocket } from "node:tls";
import type { CertPair } from "../../tools/broker/certs";

export class AlpnGateway {
  /** The protocol each accepted TLS connection negotiated (false: none). */
  readonly negotiated: (string | false)[] = [];
  port = 0;
  private readonly server: Server;
  private readonly sockets = new Set<TLSSocket>();

  constructor(private readonly brokerPort: number, certificate: CertPair, readonly protocol = "x-amzn-mqtt-ca") {
    this.server = createServer({ cert: certificate.cert, key: certificate.key, ALPNProtocols: [protocol] }, (socket) => this.accept(socket));
    // A client offering only other names fails during the handshake; that is a refusal too.
    this.server.on("tlsClientError", () => this.negotiated.push(false));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: TLSSocket): void {
    this.negotiated.push(socket.alpnProtocol ?? false);
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    if (socket.alpnProtocol !== this.protocol) {
      socket.destroy();
      return;
    }
    const broker = connect({ host: "127.0.0.1", port: this.brokerPort });
    broker.on("error", () => socket.destroy());
    broker.on("close", () => socket.destroy());
    socket.on("close", () => broker.destroy());
    socket.pipe(broker);
    broker.pipe(socket);
  }
}
