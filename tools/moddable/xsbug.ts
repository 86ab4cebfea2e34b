// A stand-in for xsbug, the SDK's debugger, for one machine in mcsim (a debug build connects to
// XSBUG_HOST:XSBUG_PORT at start). It speaks the part of xsbug's protocol (xs/sources/xsDebug.c) a check needs:
//
// - The machine sends messages framed as `\r\n<xsbug>...</xsbug>\r\n`: <login> once, <log> for trace() and the
//   engine's reports (aborts, uncaught exceptions), <instruments> once (the names of what it samples), then
//   <samples> once a second (comma-separated integers in that order), and <break> when it stops.
// - We send `\r\n<go/>\r\n` after the login and after every break, so the machine runs on.
// - collect() sends <step/>, as xsbug's Break button does. An idle machine stops at once ("C: xsDebugger"),
//   and mcsim's break hook collects garbage and samples first (build/simulators/modules/screen.c,
//   debugBreak): that sample is what is live after a collection. The machine also stops again at the start
//   of its next callback ("step", the step it was asked for); that stop is answered too and not used.
//
// Each sample is the peak of the stack since the previous one (mcsim resets the peak after sampling).
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface Sample {
  /** When it arrived (Date.now()). */
  at: number;
  /** Instrument name ("Slot used", "Chunk used", "Stack used", ...) -> value, as the machine reports it. */
  values: Record<string, number>;
}

export interface LogLine {
  /** When it arrived (Date.now()). */
  at: number;
  text: string;
}

const GO = "\r\n<go/>\r\n";
const STEP = "\r\n<step/>\r\n";
/** The reason an idle machine gives when it stops because we asked it to. */
const IDLE_BREAK = "C: xsDebugger";

export class XsbugStandIn {
  readonly log: LogLine[] = [];
  readonly samples: Sample[] = [];
  /** Samples taken right after a collection that collect() asked for, with the machine idle. */
  readonly collected: Sample[] = [];
  /** Every stop's reason other than the ones collect() causes. */
  readonly unexpectedBreaks: string[] = [];
  /** "64-bit" or "32-bit" from the login; a slot is 32 or 16 bytes. */
  pointerBits = 0;
  private names: string[] = [];
  private socket: Socket | undefined;
  private pending = "";
  private collecting = false;

  private constructor(private readonly server: Server) {}

  /** Listens on a free loopback port; give the machine XSBUG_HOST=127.0.0.1 and XSBUG_PORT=<port>. */
  static async listen(): Promise<XsbugStandIn> {
    let standIn: XsbugStandIn | undefined;
    const server = createServer((socket) => standIn!.attach(socket));
    standIn = new XsbugStandIn(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Asks the machine to stop, which makes mcsim collect garbage and sample; it is let go again at once. */
  collect(): void {
    if (!this.connected) return;
    this.collecting = true;
    this.socket!.write(STEP);
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }

  private attach(socket: Socket): void {
    this.socket?.destroy(); // one machine at a time: a new connection is a restarted device
    this.socket = socket;
    this.pending = "";
    this.collecting = false;
    socket.setEncoding("utf8");
    socket.on("data", (data: string) => this.receive(data));
    socket.on("error", () => {});
  }

  private receive(data: string): void {
    this.pending += data;
    for (;;) {
      const start = this.pending.indexOf("<xsbug>");
      const end = this.pending.indexOf("</xsbug>", start);
      if (start < 0 || end < 0) break;
      this.message(this.pending.slice(start + 7, end));
      this.pending = this.pending.slice(end + 8);
    }
  }

  private message(body: string): void {
    const login = /<login [^>]*value="[^"]*?(\d+)-bit /.exec(body);
    if (login) {
      this.pointerBits = Number(login[1]);
      this.socket!.write(GO);
    }
    const instruments = body.match(/<instrument name="[^"]*"/g);
    if (instruments) this.names = instruments.map((tag) => unescape(tag.slice(18, -1)));
    const samples = /<samples>([^<]*)<\/samples>/.exec(body);
    if (samples) this.sample(samples[1]!);
    for (const match of body.matchAll(/<log[^>]*>([\s\S]*?)<\/log>/g)) this.log.push({ at: Date.now(), text: unescape(match[1]!).trimEnd() });
    const stop = /<break[^>]*># Break: ([\s\S]*?)!\n?<\/break>/.exec(body);
    if (stop) this.stopped(unescape(stop[1]!));
  }

  private sample(text: string): void {
    const numbers = text.split(",").map(Number);
    const values: Record<string, number> = {};
    this.names.forEach((name, i) => (values[name] = numbers[i]!));
    this.samples.push({ at: Date.now(), values });
  }

  private stopped(reason: string): void {
    if (this.collecting && reason === IDLE_BREAK) {
      // mcsim sampled right before it reported the stop: that sample follows the collection.
      const last = this.samples.at(-1);
      if (last) this.collected.push(last);
      this.collecting = false;
    } else if (reason !== "step") {
      this.unexpectedBreaks.push(reason);
    }
    this.socket!.write(GO);
  }
}

function unescape(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}
