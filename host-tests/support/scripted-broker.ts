// A fake broker for byte-exact and fault-injection scenarios: it accepts TCP connections on 127.0.0.1,
// sends exactly the bytes a test gives it, and decodes (with our codec) and records what the client sends.
//
// Real brokers never send malformed packets on purpose, so scenarios about them need this. Everything
// else belongs against a real mosquitto (host-tests/support/mosquitto.ts).

import net from "node:net";
import { encodePacket, PacketDecoder } from "../../src/codec/index";
import type { ConnackPacket, ConnectPacket, Packet, PacketTypeNumber, ProtocolVersion, PublishPacket } from "../../src/codec/packet";

const RECEIVE_BUFFER = 1024 * 1024;
const DEFAULT_WAIT_MS = 5000;

/** Deep copy of a decoded packet: the decoder reuses its objects and payload windows. */
export function copyPacket(packet: Packet): Packet {
  if (packet.type !== 3) return structuredClone(packet);
  const { payload, payloadOffset, payloadLength, ...rest } = packet;
  const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const start = payloadOffset ?? 0;
  const copy = structuredClone(rest) as Omit<PublishPacket, "payload">;
  return { ...copy, payload: bytes.slice(start, start + (payloadLength ?? bytes.length - start)) };
}

/** Encodes one packet for the wire, for tests that send a valid packet or patch one byte of it. */
export function packetBytes(packet: Packet, version: ProtocolVersion = 5): Uint8Array {
  const out = new Uint8Array(RECEIVE_BUFFER);
  const n = encodePacket(packet, version, out, 0);
  if (n === 0) throw new Error("scripted packet too large");
  return out.slice(0, n);
}

/** "20 03 00 00 00" -> bytes. */
export function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** One client connection as the fake broker sees it. */
export class ScriptedConnection {
  /** Every packet the client sent, in order (copies). */
  readonly received: Packet[] = [];
  /** Every byte the client sent. */
  rawReceived = new Uint8Array(0);
  /** Set when the client's bytes did not decode; the connection keeps recording raw bytes. */
  decodeError: Error | undefined;
  /** Resolves when the socket closes; `reset` is true when it ended with an error such as ECONNRESET. */
  readonly closed: Promise<{ reset: boolean }>;
  isClosed = false;
  private readonly decoder: PacketDecoder;
  private readPosition = 0;
  private waiters: (() => void)[] = [];

  constructor(
    readonly socket: net.Socket,
    readonly version: ProtocolVersion,
  ) {
    this.decoder = new PacketDecoder({ buffer: new Uint8Array(RECEIVE_BUFFER), version, maximumPacketSize: RECEIVE_BUFFER });
    let reset = false;
    socket.on("error", () => (reset = true));
    socket.on("data", (chunk: Buffer) => this.take(chunk));
    this.closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.isClosed = true;
        this.wake();
        resolve({ reset });
      }),
    );
  }

  /** Sends bytes exactly as given (hex text or bytes), in one write. */
  send(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? hexBytes(bytes) : bytes;
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Encodes and sends a packet. */
  sendPacket(packet: Packet, version: ProtocolVersion = this.version): void {
    this.send(packetBytes(packet, version));
  }

  /** The next packet the client sends (in order, each returned once). Rejects if the client closes first. */
  async next(waitMs = DEFAULT_WAIT_MS): Promise<Packet> {
    const deadline = Date.now() + waitMs;
    while (this.readPosition >= this.received.length) {
      if (this.decodeError) throw this.decodeError;
      if (this.isClosed) throw new Error(`client closed; packets so far: ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no packet from the client within ${waitMs} ms; so far: ${this.describe()}`);
      await this.waitForChange(left);
    }
    return this.received[this.readPosition++];
  }

  /** The next packet, which must have this type. */
  async expect<T extends Packet>(type: PacketTypeNumber, waitMs?: number): Promise<T> {
    const packet = await this.next(waitMs);
    if (packet.type !== type) throw new Error(`expected packet type ${type}, got ${JSON.stringify(packet)}`);
    return packet as T;
  }

  /** Waits for CONNECT and answers with CONNACK (success unless `connack` says otherwise). */
  async handshake(connack: Partial<ConnackPacket> = {}): Promise<ConnectPacket> {
    const connect = await this.expect<ConnectPacket>(1);
    this.sendPacket({ type: 2, sessionPresent: false, reasonCode: 0, ...connack });
    return connect;
  }

  /** Waits until the client closes the connection (hang guard: `waitMs`). */
  async waitClosed(waitMs = DEFAULT_WAIT_MS): Promise<{ reset: boolean }> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`client did not close within ${waitMs} ms; sent: ${this.describe()}`)), waitMs);
    });
    try {
      return await Promise.race([this.closed, guard]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes from the broker side: FIN (end) or RST (reset). */
  close(how: "end" | "reset" = "end"): void {
    if (how === "reset") this.socket.resetAndDestroy();
    else this.socket.end();
  }

  describe(): string {
    return this.received.map((p) => p.type).join(",") || "none";
  }

  private take(chunk: Buffer): void {
    const joined = new Uint8Array(this.rawReceived.length + chunk.length);
    joined.set(this.rawReceived);
    joined.set(chunk, this.rawReceived.length);
    this.rawReceived = joined;
    if (!this.decodeError) this.decode(chunk);
    this.wake();
  }

  private decode(chunk: Uint8Array): void {
    try {
      let i = 0;
      while (i < chunk.length) {
        i += this.decoder.feed(chunk, i, chunk.length);
        if (this.decoder.packet) this.received.push(copyPacket(this.decoder.packet));
      }
    } catch (error) {
      this.decodeError = error as Error;
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Listens on 127.0.0.1 (free port); hands out connections in the order clients open them. */
export class ScriptedBroker {
  readonly connections: ScriptedConnection[] = [];
  private acceptPosition = 0;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(version: ProtocolVersion = 5): Promise<ScriptedBroker> {
    let broker: ScriptedBroker | undefined;
    const server = net.createServer({ noDelay: true }, (socket) => broker?.adopt(new ScriptedConnection(socket, version)));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    broker = new ScriptedBroker(server, (server.address() as net.AddressInfo).port);
    return broker;
  }

  /** The next connection a client opens (each returned once). */
  async accept(waitMs = DEFAULT_WAIT_MS): Promise<ScriptedConnection> {
    const deadline = Date.now() + waitMs;
    while (this.acceptPosition >= this.connections.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no client connected within ${waitMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.connections[this.acceptPosition++];
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private adopt(connection: ScriptedConnection): void {
    this.connections.push(connection);
    for (const w of this.waiters.splice(0)) w();
  }
}
