// `make sim`: the host simulator, until Ctrl-C (or --readings). See tools/sim/options.ts for flags.
import { parseSimOptions, USAGE } from "./options";
import { startSimulation, type SimDevice, type Simulation } from "./simulator";
import type { Arrival } from "./subscriber";

function time(): string {
  return new Date().toISOString().slice(11, 23);
}

function show(arrival: Arrival): void {
  if (arrival.kind === "status") {
    console.log(`${time()}  ${arrival.deviceId.padEnd(8)} is ${arrival.text}${arrival.retained ? " (retained)" : ""}`);
    return;
  }
  let shown = arrival.text;
  try {
    const reading = JSON.parse(arrival.text) as { value: number; unit: string; timestamp: number };
    const age = Date.now() - reading.timestamp;
    shown = `${reading.value.toFixed(2).padStart(6)} °${reading.unit}   taken ${age} ms ago`;
  } catch {
    // Not ours or not JSON: show it as it came.
  }
  const tags = [arrival.contentType, arrival.retained ? "retained" : ""].filter(Boolean).join(", ");
  console.log(`${time()}  ${arrival.deviceId.padEnd(8)} ${shown}${tags ? `   [${tags}]` : ""}`);
}

/** Ctrl-C, `kill` (SIGTERM), a closed terminal (SIGHUP): each stops the simulator the same way. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

async function main(): Promise<void> {
  const options = parseSimOptions(process.argv.slice(2), process.env);
  if (options === "help") return console.log(USAGE);
  const log = (line: string) => console.log(`${time()}  - ${line}`);
  const starting = new AbortController();
  const startup = startSimulation(options, {
    onArrival: options.quiet ? undefined : show,
    log,
    onBrokerProblem: (explanation) => console.log(`simulator: ${explanation}. Retrying with backoff; Ctrl-C stops.`),
  }, starting.signal);
  let stopping = false;
  const stop = async (why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) log(why);
    // A start still under way (the XS build, mosquitto starting) ends and cleans up after itself.
    starting.abort();
    const sim = await startup.catch(() => undefined);
    if (sim) {
      await sim.stop();
      console.log(summary(sim));
    } else {
      console.log("simulator: stopped while starting; nothing left running");
    }
    process.exit(0);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => void stop());
  watchParent(() => void stop("the terminal or make that started the simulator went away: stopping"));
  let sim: Simulation;
  try {
    sim = await startup;
  } catch (error) {
    if (starting.signal.aborted) return; // stop() is finishing
    throw error;
  }
  const pace = (options.sleepMs ?? 0) > 0 ? `a reading per wake, ${options.sleepMs} ms asleep between wakes` : `every ${options.intervalMs} ms`;
  console.log(`simulator: ${options.devices} devices${options.engine === "xs" ? " on the XS engine" : ""} ${pace}, QoS ${options.qos}, MQTT ` +
    `${options.protocolVersion === 5 ? "5" : "3.1.1"}${options.powerCuts ? ", power cut at random" : ""}, broker ${sim.broker.description}. Ctrl-C stops.`);
  if (options.readings > 0) {
    await sim.done;
    await stop();
  }
}

function summary(sim: Simulation): string {
  if (!sim.reachedBroker) {
    return `simulator: the broker at ${sim.broker.description} was never reached (${sim.failures} attempts` +
      `${sim.lastError ? `; last error: ${sim.lastError.message}` : ""})`;
  }
  return `simulator: ${sim.received} readings received; Wi-Fi drops: ` + sim.devices.map((d) => `${d.id} ${d.drops}`).join(", ") + lifeSummary(sim);
}

/** Sleeping and power-cut devices: what their lives came to (the figures for battery and flash wear). */
function lifeSummary(sim: Simulation): string {
  const lives = sim.devices.flatMap((d) => (d.life === undefined ? [] : [d.life]));
  if (lives.length === 0) return "";
  const sum = (pick: (l: NonNullable<SimDevice["life"]>) => number) => lives.reduce((n, l) => n + pick(l), 0);
  const accepted = sum((l) => l.accepted);
  const per = (n: number) => (accepted === 0 ? "-" : (n / accepted).toFixed(0));
  const wakes = sum((l) => l.wakes);
  return `\nsimulator: readings accepted ${accepted}, refused (store full) ${sum((l) => l.refused)}; ` +
    (wakes > 0 ? `${wakes} wakes, awake ${per(sum((l) => l.awakeMs))} ms per reading; ` : "") +
    `flash ${per(sum((l) => l.bytesWritten))} bytes written and ${(sum((l) => l.erases) / Math.max(1, accepted)).toFixed(3)} blocks erased per reading (in completed wakes, each device's first format included); ` +
    `power cuts ${sum((l) => l.cuts)} (${sum((l) => l.cutsInFlash)} inside a flash write or erase)`;
}

/**
 * `make sim` killed by SIGTERM or SIGHUP dies without passing the signal on, which would leave this process,
 * its mosquitto and its XS devices running: when our parent goes away (we are adopted by another process),
 * stop as if told to.
 */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 500).unref();
}

main().catch((error: unknown) => {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
