// What `bench` counts: messages sent, acknowledged, received, errors, and end-to-end latency in HDR
// histograms (Node's perf_hooks: fixed memory whatever the run's length), one for the whole run and one
// per progress line.
import { createHistogram, type RecordableHistogram } from "node:perf_hooks";

/** Latency is kept in microseconds, from 1 µs to 60 s, at 3 significant figures. */
function latencyHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export class BenchStats {
  sent = 0;
  acknowledged = 0;
  refused = 0;
  queueFull = 0;
  received = 0;
  connectionErrors = 0;
  private readonly total = latencyHistogram();
  private readonly interval = latencyHistogram();
  private lastSent = 0;
  private lastReceived = 0;

  get errors(): number {
    return this.refused + this.queueFull + this.connectionErrors;
  }

  recordLatency(ms: number): void {
    const us = Math.min(60_000_000, Math.max(1, Math.round(ms * 1000)));
    this.total.record(us);
    this.interval.record(us);
  }

  /** Counts since the previous call, and the latency over them; starts the next interval. */
  takeInterval(): { sent: number; received: number; latency: LatencySummary | undefined } {
    const result = { sent: this.sent - this.lastSent, received: this.received - this.lastReceived, latency: summarize(this.interval) };
    this.lastSent = this.sent;
    this.lastReceived = this.received;
    this.interval.reset();
    return result;
  }

  latency(): LatencySummary | undefined {
    return summarize(this.total);
  }
}

function summarize(h: RecordableHistogram): LatencySummary | undefined {
  if (h.count === 0) return undefined;
  const ms = (us: number) => Math.round(us) / 1000;
  return { p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), p999: ms(h.percentile(99.9)), max: ms(h.max) };
}
