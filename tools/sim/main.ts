// `make sim`: the host simulator, until Ctrl-C (or --readings). See tools/sim/options.ts for flags.
import { parseSimOptions, USAGE } from "./options";
import { startSimulation } from "./simulator";
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

async function main(): Promise<void> {
  const options = parseSimOptions(process.argv.slice(2), process.env);
  if (options === "help") return console.log(USAGE);
  const sim = await startSimulation(options, {
    onArrival: options.quiet ? undefined : show,
    log: (line) => console.log(`${time()}  - ${line}`),
  });
  console.log(`simulator: ${options.devices} devices${options.engine === "xs" ? " on the XS engine" : ""} every ${options.intervalMs} ms, QoS ${options.qos}, MQTT ` +
    `${options.protocolVersion === 5 ? "5" : "3.1.1"}, broker ${sim.broker.description}. Ctrl-C stops.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sim.stop();
    console.log(`simulator: ${sim.received} readings received; Wi-Fi drops: ` +
      sim.devices.map((d) => `${d.id} ${d.drops}`).join(", "));
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (options.readings > 0) {
    await sim.done;
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
