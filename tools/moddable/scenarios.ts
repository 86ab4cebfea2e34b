// What `make lin-check` proves on Moddable's own engine, each scenario a fresh run of the lin firmware in
// mcsim against a fresh mosquitto (device-run.ts), each with a verdict:
//   readings        status "online", complete JSON readings, the will "offline" once the device dies
//   broker restart  mosquitto stops (persisting) and comes back on the same port: the device reconnects with
//                   growing delays, and every QoS 1 reading, those taken while the broker was away included,
//                   arrives (the lin target sets queueOffline, so the client queues them all; readings are
//                   consecutive by their timestamps, one interval apart)
//   power cut       the session on "flash" (the lin target keeps it in a file): with the broker away, readings
//                   the device traced as accepted pile up in its store; mcsim is killed in the middle of its
//                   run, the broker comes back, mcsim starts again over the same file, and every reading
//                   accepted before the cut arrives
//   heap            a longer run with a collection forced every few seconds (xsbug.ts): the app's slots and
//                   chunk bytes after a collection do not grow
//   stack           the deepest stack of all runs, from mcsim's instrumentation, against targets/lin's stack
import { sleep } from "./device";
import { DeviceRun, type Firmware } from "./device-run";
import { parseReading } from "./watcher";
import type { Sample } from "./xsbug";

export interface Verdict {
  name: string;
  /** One line: what was seen. */
  summary: string;
  problems: string[];
  seconds: number;
  /** The device's log, printed when the verdict fails. */
  log: string[];
  samples: Sample[];
  /** A figure worth its own line in the output. */
  report?: string;
}

const READINGS_SECONDS = Number(process.env.LIN_CHECK_SECONDS ?? 12);
const HEAP_SECONDS = Number(process.env.LIN_CHECK_HEAP_SECONDS ?? 30);
/** How long a device may take to start and send its first readings. */
const STARTUP_MS = 30_000;
const OUTAGE_MS = 7000;
const COLLECT_EVERY_MS = 2500;
/** A gap between readings longer than this many intervals means one is missing (timers run a little late). */
const GAP_LIMIT = 1.75;
/** The stack may fill this much of targets/lin's at most. */
const STACK_LIMIT = 0.9;

/** Drives the run and records problems in the verdict; returns its summary. */
type Body = (run: DeviceRun, verdict: Verdict) => Promise<string>;

async function scenario(name: string, firmware: Firmware, options: { persistence?: boolean }, body: Body): Promise<Verdict> {
  const started = performance.now();
  const verdict: Verdict = { name, summary: "", problems: [], seconds: 0, log: [], samples: [] };
  const run = await DeviceRun.start(firmware, options);
  try {
    verdict.summary = await body(run, verdict);
    verdict.problems.push(...run.engineFailures());
  } finally {
    await run.close();
  }
  verdict.seconds = Math.round((performance.now() - started) / 1000);
  verdict.log = run.xsbug.log.map((line) => line.text);
  verdict.samples = run.xsbug.samples;
  return verdict;
}

export function readings(firmware: Firmware): Promise<Verdict> {
  return scenario("readings", firmware, {}, async (run, { problems }) => {
    // Counted from the device's first "online": mcsim and its display take a few seconds to start on a busy machine.
    if (await run.until(() => run.watcher.status.includes("online"), STARTUP_MS)) await run.runFor(READINGS_SECONDS * 1000);
    await run.powerOff();
    const status = run.watcher.status;
    if (!status.includes("online")) problems.push(`no "online" status (saw ${JSON.stringify(status)})`);
    else if (status.at(-1) !== "offline") problems.push(`no "offline" will after the device died (saw ${JSON.stringify(status)})`);
    const messages = run.watcher.readingMessages;
    const complete = messages.filter((m) => m.contentType === "application/json" && m.expiry !== undefined && parseReading(m.payload));
    const wanted = Math.max(2, Math.floor((READINGS_SECONDS * 1000) / firmware.intervalMs) - 2);
    if (complete.length < wanted) problems.push(`${complete.length} JSON readings with content type and expiry, wanted at least ${wanted}`);
    return `${complete.length} of ${messages.length} readings complete (JSON, content type, expiry), status ${status.join(" -> ")}`;
  });
}

export function brokerRestart(firmware: Firmware): Promise<Verdict> {
  return scenario("broker restart", firmware, { persistence: true }, async (run, { problems }) => {
    const interval = firmware.intervalMs;
    if (!(await run.until(() => run.watcher.readings().length >= 3, STARTUP_MS + 3 * interval))) {
      problems.push("fewer than 3 readings before the restart");
      return "";
    }
    const stoppedAt = Date.now();
    await run.broker.stop();
    await sleep(OUTAGE_MS);
    const restartedAt = Date.now();
    await run.broker.restart();
    // Back: the device said "online" again, and a reading it took after that arrived.
    const backOnline = () => {
      const online = run.watcher.onlineAfter(restartedAt);
      return online !== undefined && run.watcher.readings().some((r) => r.timestamp > online.at);
    };
    if (!(await run.until(backOnline, 45_000))) problems.push(`not back within 45 s of the restart: no "online" followed by a new reading (status ${run.watcher.status.join(" -> ")})`);
    await run.powerOff();

    const attempts = run.xsbug.log.filter((line) => line.text === "reconnecting" && line.at >= stoppedAt).map((line) => line.at);
    problems.push(...backoffProblems(attempts));
    // The device was offline from the stop to its last attempt, the one that connected.
    const reconnectedAt = attempts.at(-1) ?? restartedAt;
    const readings = run.watcher.readings();
    const offline = readings.filter((r) => r.timestamp >= stoppedAt && r.timestamp < reconnectedAt);
    const expected = Math.floor((reconnectedAt - stoppedAt) / interval) - 1;
    if (offline.length < expected) problems.push(`${offline.length} readings taken while the device was offline arrived, expected at least ${expected}`);
    const gaps = readings.slice(1).map((r, i) => r.timestamp - readings[i]!.timestamp);
    const missing = gaps.filter((gap) => gap > GAP_LIMIT * interval);
    if (missing.length > 0) problems.push(`readings missing: gaps of ${missing.join(", ")} ms between consecutive readings (interval ${interval} ms)`);

    const times = attempts.map((at) => `+${((at - stoppedAt) / 1000).toFixed(1)} s`).join(", ") || "none";
    return `broker away ${OUTAGE_MS / 1000} s; reconnect attempts at ${times}; ${offline.length} readings taken while offline; ` +
      `${readings.length} readings in all, at most ${Math.max(0, ...gaps)} ms apart`;
  });
}

/** Timestamps of the readings the device traced as accepted ("reading accepted <timestamp>": its store has them). */
function acceptedReadings(run: DeviceRun): number[] {
  return run.xsbug.log.flatMap((line) => {
    const match = /^reading accepted (\d+)$/.exec(line.text);
    return match ? [Number(match[1])] : [];
  });
}

export function powerCut(firmware: Firmware): Promise<Verdict> {
  return scenario("power cut", firmware, { persistence: true }, async (run, { problems }) => {
    const interval = firmware.intervalMs;
    if (!(await run.until(() => run.watcher.readings().length >= 2, STARTUP_MS + 2 * interval))) {
      problems.push("fewer than 2 readings before the broker stopped");
      return "";
    }
    await run.broker.stop();
    const stoppedAt = Date.now();
    // Taken while the broker is away: accepted into the store, not sent.
    const waiting = () => acceptedReadings(run).filter((timestamp) => timestamp >= stoppedAt);
    if (!(await run.until(() => waiting().length >= 3, 5 * interval + 5000))) problems.push(`${waiting().length} readings accepted while the broker was away, wanted 3`);
    const accepted = acceptedReadings(run);
    const offline = waiting().length;
    problems.push(...run.engineFailures());
    run.cutPower();
    await run.broker.restart();
    await run.powerOn();
    const missing = () => {
      const arrived = new Set(run.watcher.readings().map((r) => r.timestamp));
      return accepted.filter((timestamp) => !arrived.has(timestamp));
    };
    if (!(await run.until(() => missing().length === 0, STARTUP_MS + 30_000))) {
      problems.push(`${missing().length} of ${accepted.length} readings accepted before the power cut never arrived: ${missing().join(", ")}`);
    }
    const boot = run.xsbug.log.map((line) => /^session store: (\d+) messages kept/.exec(line.text)).find((m) => m !== null);
    const kept = boot ? Number(boot[1]) : -1;
    if (kept < offline) problems.push(`after the power cut the store held ${kept} messages, ${offline} readings were waiting in it`);
    await run.powerOff();
    return `broker away, ${offline} readings accepted into the store; mcsim killed and started again over the same file: ` +
      `${kept} messages kept; ${accepted.length - missing().length} of the ${accepted.length} readings accepted before the cut arrived`;
  });
}

/** The client's backoff doubles the delay, with up to half of it taken off at random: delays never shrink. */
function backoffProblems(attempts: number[]): string[] {
  const delays = attempts.slice(1).map((at, i) => at - attempts[i]!);
  if (attempts.length < 2) return [`${attempts.length} reconnect attempts during a ${OUTAGE_MS / 1000} s outage, expected a few`];
  if (delays.some((delay, i) => i > 0 && delay < delays[i - 1]! - 250)) return [`reconnect delays do not grow: ${delays.join(", ")} ms`];
  return [];
}

/** Bytes per slot in mcsim's figures (32 on a 64-bit host, 16 on a device): the stack's size over its slots. */
function slotBytes(samples: Sample[], firmware: Firmware): number {
  const available = samples.find((s) => s.values["Stack available"])?.values["Stack available"];
  return available ? available / firmware.stackSlots : NaN;
}

export function heap(firmware: Firmware): Promise<Verdict> {
  return scenario("heap", firmware, {}, async (run, verdict) => {
    const problems = verdict.problems;
    if (!(await run.until(() => run.watcher.readings().length >= 2, STARTUP_MS + 2 * firmware.intervalMs))) {
      problems.push("fewer than 2 readings to warm up");
      return "";
    }
    for (let elapsed = 0; elapsed < HEAP_SECONDS * 1000; elapsed += COLLECT_EVERY_MS) {
      run.xsbug.collect();
      await run.runFor(COLLECT_EVERY_MS);
    }
    await run.powerOff();
    const bytes = slotBytes(run.xsbug.samples, firmware);
    const figures = run.xsbug.collected.map((s) => ({ slots: s.values["Slot used"]! / bytes, chunks: s.values["Chunk used"]! }));
    if (figures.length < 4) {
      problems.push(`${figures.length} samples after a collection, wanted at least 4`);
      return "";
    }
    const first = figures[0]!;
    const last = figures.at(-1)!;
    const most = { slots: Math.max(...figures.map((f) => f.slots)), chunks: Math.max(...figures.map((f) => f.chunks)) };
    if (last.slots > first.slots || last.chunks > first.chunks) {
      problems.push(`grew over ${HEAP_SECONDS} s: slots ${figures.map((f) => f.slots).join(", ")}; chunk bytes ${figures.map((f) => f.chunks).join(", ")}`);
    }
    verdict.report = `heap slots ${last.slots}, chunks ${last.chunks} bytes (live after a collection on mcsim, 64-bit: ${bytes}-byte slots)`;
    const readings = run.watcher.readings().length;
    return `${figures.length} collections over ${HEAP_SECONDS} s (${readings} readings): slots ${first.slots} -> ${last.slots} (most ${most.slots}), chunk bytes ${first.chunks} -> ${last.chunks} (most ${most.chunks})`;
  });
}

/** The deepest stack any sample of any run saw, against targets/lin's creation.stack. */
export function stack(firmware: Firmware, verdicts: Verdict[]): Verdict {
  const samples = verdicts.flatMap((v) => v.samples);
  const peak = Math.max(0, ...samples.map((s) => s.values["Stack used"] ?? 0)) / slotBytes(samples, firmware);
  const problems: string[] = [];
  if (samples.length === 0) problems.push("no samples from mcsim's instrumentation");
  else if (peak > STACK_LIMIT * firmware.stackSlots) problems.push(`stack peak ${peak} of ${firmware.stackSlots} slots: less than ${Math.round((1 - STACK_LIMIT) * 100)} % left`);
  const percent = Math.round((peak / firmware.stackSlots) * 100);
  return { name: "stack", summary: `peak ${peak} of ${firmware.stackSlots} slots (${percent} %) over ${samples.length} samples`, problems, seconds: 0, log: [], samples: [] };
}
