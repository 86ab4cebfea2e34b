// A fault-injection TCP proxy for tests: client -> proxy (127.0.0.1) -> broker.
//
// Every accepted connection is piped to the target through a pair of Pumps, one per direction. Faults are
// set on the proxy (they apply to connections opened later and to the live ones) and act on the stream,
// not on packets, so they reach the client's real receive path: a cut lands in the middle of a packet,
// single-byte writes split every field, a stall holds bytes back without closing, and a black hole swallows
// everything without the FIN a clean close would send - the case only keepalive can detect.

import net from "node:net";
import { Pump, type Direction, type PumpFaults } from "./pump";

export interface FaultProxyOptions {
  /** Where connections are forwarded. */
  targetHost?: string;
  targetPort: number;
}

export interface ProxyStats {
  /** Connections accepted so far. */
  accepted: number;
  /** Connections ended by cut() or a cut offset. */
  cuts: number;
  /** Bytes forwarded client -> broker and broker -> client. */
  upstreamBytes: number;
  downstreamBytes: number;
}

/** One proxied connection: the client's socket, the broker's socket and the two pumps between them. */
export class ProxiedConnection {
  readonly upstream: Pump;
  readonly downstream: Pump;
  closed = false;

  constructor(
    readonly client: net.Socket,
    readonly server: net.Socket,
    faults: { up: PumpFaults; down: PumpFaults },
    private readonly onCut: () => void,
  ) {
    const cut = (): void => this.cut();
    this.upstream = new Pump(client, server, faults.up, cut);
    this.downstream = new Pump(server, client, faults.down, cut);
    const end = (): void => this.destroy();
    client.on("close", end);
    server.on("close", end);
    client.on("error", end);
    server.on("error", end);
  }

  /** Ends both sides abruptly (RST), as a dropped link or a crashed peer would. */
  cut(): void {
    if (this.closed) return;
    this.onCut();
    this.closed = true;
    this.client.resetAndDestroy();
    this.server.resetAndDestroy();
  }

  /** Closes both sides; a clean FIN when nothing is left to flush. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.upstream.stop();
    this.downstream.stop();
    this.client.destroy();
    this.server.destroy();
  }
}

export class FaultProxy {
  private readonly server: net.Server;
  private readonly targetHost: string;
  private readonly targetPort: number;
  private readonly live = new Set<ProxiedConnection>();
  /** Faults per direction; the objects are shared with every pump, so changes reach live connections. */
  readonly faults: Record<Direction, PumpFaults> = { up: Pump.noFaults(), down: Pump.noFaults() };
  readonly stats: ProxyStats = { accepted: 0, cuts: 0, upstreamBytes: 0, downstreamBytes: 0 };
  /** Called for each new connection, e.g. to arm a cut offset drawn at random. */
  onConnection: ((connection: ProxiedConnection) => void) | undefined;
  port = 0;

  constructor(options: FaultProxyOptions) {
    this.targetHost = options.targetHost ?? "127.0.0.1";
    this.targetPort = options.targetPort;
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** The live connections, oldest first. */
  connections(): ProxiedConnection[] {
    return [...this.live].filter((c) => !c.closed);
  }

  /** Cuts every live connection now. */
  cutAll(): void {
    for (const c of this.connections()) c.cut();
  }

  /** Cuts each live connection after `bytes` more bytes pass in `direction`. For connections not yet
   * opened, arm the cut from onConnection (`connection.upstream.armCut(n)`). */
  cutAfter(direction: Direction, bytes: number): void {
    for (const c of this.connections()) (direction === "up" ? c.upstream : c.downstream).armCut(bytes);
  }

  /** Holds back (true) or releases (false) the bytes of one direction; the sockets stay open. */
  stall(direction: Direction, on: boolean): void {
    this.faults[direction].stalled = on;
    for (const c of this.connections()) (direction === "up" ? c.upstream : c.downstream).kick();
  }

  /** Swallows everything in both directions, for ever, without closing: a dead link with no FIN/RST. */
  blackHole(on: boolean): void {
    this.faults.up.blackHole = on;
    this.faults.down.blackHole = on;
  }

  /** Delays every chunk by this many ms (order is kept). */
  delay(direction: Direction, ms: number): void {
    this.faults[direction].delayMs = ms;
  }

  /** Forwards byte by byte, one write per byte. */
  splitBytes(direction: Direction, on: boolean): void {
    this.faults[direction].singleBytes = on;
  }

  /** Clears every fault; stalled bytes flow again. */
  heal(): void {
    for (const d of ["up", "down"] as const) Object.assign(this.faults[d], Pump.noFaults());
    for (const c of this.connections()) {
      c.upstream.disarmCut();
      c.downstream.disarmCut();
      c.upstream.kick();
      c.downstream.kick();
    }
  }

  async close(): Promise<void> {
    for (const c of this.live) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.stats.accepted++;
    client.pause();
    const server = net.connect({ host: this.targetHost, port: this.targetPort, noDelay: true });
    const connection = new ProxiedConnection(client, server, { up: this.faults.up, down: this.faults.down }, () => {
      this.stats.cuts++;
    });
    connection.upstream.onForward = (n) => (this.stats.upstreamBytes += n);
    connection.downstream.onForward = (n) => (this.stats.downstreamBytes += n);
    this.live.add(connection);
    const forget = (): void => {
      this.live.delete(connection);
    };
    client.on("close", forget);
    server.once("connect", () => client.resume());
    this.onConnection?.(connection);
  }
}
