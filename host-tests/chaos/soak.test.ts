// Soak through the fault proxy against a real mosquitto with persistence: two sessions each publish QoS 1
// and QoS 2 messages to the other while the proxy cuts connections at random byte offsets (either
// direction, mid-packet) and the broker is restarted several times. Nothing may be lost, no QoS 2 message
// may reach the app twice, and every PUBLISH sent again on a resumed session must carry DUP.
//
// CI: 300 + 300 messages each way, >= 30 cuts, 1 restart. CHAOS_LONG=1 (make soak): 10,000 + 10,000 each
// way, >= 1,000 cuts, 3 restarts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QoS } from "../../src/codec/packet";
import { FaultProxy } from "../../tools/chaos/fault-proxy";
import { randomInt, seededRandom } from "../../tools/chaos/random";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { TcpSession } from "./support/tcp-session";

const LONG = process.env.CHAOS_LONG === "1";
const PER_QOS = Number(process.env.CHAOS_SOAK_MESSAGES ?? (LONG ? 10_000 : 300));
const MIN_CUTS = LONG ? 1_000 : 30;
const RESTARTS = LONG ? 3 : 1;
const SEED = Number(process.env.CHAOS_SEED ?? 0xc0ffee);
const random = seededRandom(SEED);

let broker: Mosquitto;
let proxy: FaultProxy;

beforeAll(async () => {
  broker = await startMosquitto({ persistence: true, settings: { max_queued_messages: 0, max_inflight_messages: 20 } });
  proxy = new FaultProxy({ targetPort: broker.port });
  await proxy.listen();
});
afterAll(async () => {
  await proxy?.close();
  await broker?.close();
});

/** One side: publishes PER_QOS messages at QoS 1 and at QoS 2 to `out`, receives the other side's on `in`. */
class Side {
  readonly session: TcpSession;
  private next: Record<1 | 2, number> = { 1: 0, 2: 0 };
  private readonly outstanding = new Set<number>();
  completed = 0;
  failures: string[] = [];
  readonly received: Record<1 | 2, Map<number, number>> = { 1: new Map(), 2: new Map() };

  constructor(readonly name: string, readonly out: string, readonly inbound: string) {
    this.session = new TcpSession({
      port: proxy.port,
      connect: { clientId: `soak-${name}`, keepAlive: 30, cleanStart: true, properties: { sessionExpiryInterval: 3600 } },
      engine: { maxInflight: 16, queueLimit: 64, queueByteLimit: 16 * 1024, connectTimeoutMs: 5000 },
      backoff: { minDelayMs: 20, maxDelayMs: 500, jitter: 0.5 },
    });
    this.session.onDoneHook = (token, code) => this.done(token, code);
    this.session.onMessageHook = (m) => {
      const [qos, seq] = m.payload.split(":").map(Number);
      const counts = this.received[qos as 1 | 2];
      if (counts) counts.set(seq, (counts.get(seq) ?? 0) + 1);
      else this.failures.push(`unexpected message ${m.topic} ${m.payload}`);
    };
  }

  get allSent(): boolean {
    return this.completed === 2 * PER_QOS;
  }

  /** Publishes as long as the engine takes more (it bounds what waits). */
  pump(): void {
    if (!this.session.connected) return;
    for (const qos of [1, 2] as const) {
      while (this.next[qos] < PER_QOS && this.outstanding.size < 48) {
        const token = this.session.publish(`${this.out}/${qos}`, `${qos}:${this.next[qos]}`, qos as QoS);
        if (token <= 0) return;
        this.outstanding.add(token);
        this.next[qos]++;
      }
    }
  }

  private done(token: number, code: number): void {
    if (!this.outstanding.delete(token)) return;
    if (code >= 0x80) this.failures.push(`${this.name}: publish token ${token} ended with 0x${code.toString(16)}`);
    this.completed++;
  }

  describe(): string {
    const last = this.session.closes[this.session.closes.length - 1];
    const errors = new Map<string, number>();
    for (const c of this.session.closes) {
      const key = `0x${c.reasonCode.toString(16)} ${c.error?.message ?? ""}`.slice(0, 200);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
    return `${this.name}: state ${this.session.engine.state}, attempts ${this.session.attempts}, outstanding ${this.outstanding.size}, next ${this.next[1]}/${this.next[2]}, last close ${last ? last.reasonCode.toString(16) : "-"}, closes ${JSON.stringify([...errors])}, most input held back ${this.session.maxUnreadBytes} B, failures ${this.failures.slice(0, 3)}`;
  }

  /** Sequence numbers missing for a QoS, and QoS 2 numbers delivered more than once. */
  check(): { missing: number; duplicatesQos2: number } {
    let missing = 0;
    for (const qos of [1, 2] as const) for (let i = 0; i < PER_QOS; i++) if (!this.received[qos].has(i)) missing++;
    let duplicatesQos2 = 0;
    for (const n of this.received[2].values()) if (n > 1) duplicatesQos2++;
    return { missing, duplicatesQos2 };
  }

  /** PUBLISHes written again (same payload) on a connection whose CONNACK resumed the session, without DUP. */
  resendsWithoutDup(): { resends: number; withoutDup: number } {
    const resumed = new Set(this.session.connacks.filter((c) => c.sessionPresent).map((c) => c.connection));
    const seen = new Set<string>();
    let resends = 0;
    let withoutDup = 0;
    for (const w of this.session.written) {
      if (w.qos === 0) continue;
      if (seen.has(w.payload)) {
        resends++;
        if (!w.dup && resumed.has(w.connection)) withoutDup++;
      }
      seen.add(w.payload);
    }
    return { resends, withoutDup };
  }
}

async function until(check: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`soak stalled: ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("soak through the fault proxy", () => {
  it(`delivers ${PER_QOS} QoS 1 + ${PER_QOS} QoS 2 each way through >= ${MIN_CUTS} cuts and ${RESTARTS} broker restarts: none lost, no QoS 2 duplicate, DUP on every resend`, async () => {
    const a = new Side("a", "soak/ab", "soak/ba");
    const b = new Side("b", "soak/ba", "soak/ab");
    const sides = [a, b];
    for (const s of sides) s.session.start();
    await until(() => sides.every((s) => s.session.connected), 10_000, () => "first connections");
    const subs = sides.map((s) => s.session.subscribe([`${s.inbound}/#`], 2));
    await until(() => sides.every((s, i) => s.session.subscribeDone.has(subs[i])), 10_000, () => "SUBACKs");

    // Cuts: each new connection dies after a random number of bytes in a random direction until enough
    // cuts happened; the budget is small enough that many cuts land inside packets.
    const meanBytes = LONG ? 2000 : 800;
    proxy.onConnection = (c) => {
      if (proxy.stats.cuts >= MIN_CUTS * 1.2) return;
      (random() < 0.5 ? c.upstream : c.downstream).armCut(randomInt(random, 1, 2 * meanBytes));
    };
    proxy.cutAll();

    const progress = (): number => (a.completed + b.completed) / (4 * PER_QOS);
    let restarts = 0;
    const status = (): string =>
      `sent ${a.completed}+${b.completed}/${4 * PER_QOS}, received a ${a.received[1].size}/${a.received[2].size} b ${b.received[1].size}/${b.received[2].size}, cuts ${proxy.stats.cuts}, restarts ${restarts}; ${sides.map((s) => s.describe()).join("; ")}`;
    const started = Date.now();
    const deadline = started + (LONG ? 1_700_000 : 60_000);
    let lastReport = started;
    while (!(sides.every((s) => s.allSent && s.check().missing === 0) && proxy.stats.cuts >= MIN_CUTS)) {
      if (Date.now() > deadline) throw new Error(`soak stalled: ${status()}`);
      if (LONG && Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.info(`soak progress after ${Math.round((lastReport - started) / 1000)} s: ${status()}`);
      }
      for (const s of sides) s.pump();
      if (restarts < RESTARTS && progress() >= (restarts + 1) / (RESTARTS + 1)) {
        restarts++;
        await broker.restart();
      }
      // Keep cutting after the messages are through, if the sample needs more cuts.
      if (sides.every((s) => s.allSent) && proxy.stats.cuts < MIN_CUTS) proxy.cutAll();
      await new Promise((r) => setTimeout(r, 2));
    }

    const report = sides.map((s) => ({ side: s.name, ...s.check(), ...s.resendsWithoutDup(), failures: s.failures.slice(0, 5) }));
    console.info(`soak ${status()} in ${Date.now() - started} ms; ${JSON.stringify(report)}`);
    for (const r of report) {
      expect(r.failures).toEqual([]);
      expect(r.missing).toBe(0);
      expect(r.duplicatesQos2).toBe(0);
      expect(r.withoutDup).toBe(0);
    }
    expect(restarts).toBe(RESTARTS);
    expect(proxy.stats.cuts).toBeGreaterThanOrEqual(MIN_CUTS);
    for (const s of sides) s.session.stop();
  }, LONG ? 1_800_000 : 80_000);
});
