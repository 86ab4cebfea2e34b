// Command line and environment for the simulator. Flags win over environment variables, which win over
// the defaults (a fresh machine needs none of them).
import { parseArgs } from "node:util";

export interface SimOptions {
  /** mqtt://, mqtts://, ws:// or wss:// (host:port[/path]); absent: start a private mosquitto. */
  url?: string;
  devices: number;
  intervalMs: number;
  qos: 0 | 1 | 2;
  tls: boolean;
  /** The private broker's devices and subscriber use MQTT over WebSocket. */
  websocket?: boolean;
  /** CA file (PEM) for mqtts:// URLs; the private broker's own CA otherwise. */
  caFile?: string;
  /** Mean ms between simulated Wi-Fi drops per device; 0 for none. */
  dropMs: number;
  protocolVersion: 4 | 5;
  /** Stop after this many readings have arrived at the subscriber (0: run until Ctrl-C). */
  readings: number;
  quiet: boolean;
  /** Where the device app runs: Node (default) or one XS engine per device. */
  engine: "node" | "xs";
  /** Deep-sleep mode (XS devices): ms asleep between wakes, one reading per wake; 0 or absent: awake. */
  sleepMs?: number;
  /** Cut the XS devices' power at random moments, some inside their store's flash writes. */
  powerCuts?: boolean;
}

export const USAGE = `usage: make sim  (or: npx tsx tools/sim/main.ts [options])
  --url URL         broker: mqtt://, mqtts://, ws:// or wss://host:port[/path]  [MQTT_URL]  default: private mosquitto
  --devices N       simulated devices                                  [SIM_DEVICES]  default 3
  --interval MS     between readings                                   [SIM_INTERVAL] default 2000
  --qos 0|1|2       QoS of readings                                    [SIM_QOS]      default 1
  --tls             TLS (private broker: generated certificates)       [SIM_TLS=1]
  --websocket       private broker: MQTT over WebSocket (ws, wss with --tls) [SIM_WEBSOCKET=1]
  --ca FILE         CA certificate (PEM) for an mqtts:// or wss:// broker [SIM_CA]
  --drops MS        mean time between Wi-Fi drops per device, 0 = none [SIM_DROPS]    default 20000
  --mqtt311         use MQTT 3.1.1 instead of 5                        [SIM_MQTT311=1]
  --engine node|xs  run each device app in Node or in its own XS engine [ENGINE]      default node
  --sleep MS        deep-sleep mode: a reading per wake, then MS asleep (RAM lost: each wake is a new XS
                    process; the session is kept in a flash file)   [SIM_SLEEP]   implies --engine xs
  --power-cuts      cut the devices' power at random moments, half of the cuts inside a flash write or
                    erase of their session store                     [SIM_POWER_CUTS=1] implies --engine xs
  --readings N      stop after N readings arrived (default: until Ctrl-C)
  --quiet           no per-reading lines`;

function intIn(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${name}: ${text} is not an integer in [${min}, ${max}]`);
  return n;
}

function engineOf(text: string): "node" | "xs" {
  if (text === "node" || text === "xs") return text;
  throw new RangeError(`engine: ${text} is not node or xs`);
}

export function parseSimOptions(argv: string[], env: NodeJS.ProcessEnv): SimOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      devices: { type: "string" },
      interval: { type: "string" },
      qos: { type: "string" },
      tls: { type: "boolean" },
      websocket: { type: "boolean" },
      ca: { type: "string" },
      drops: { type: "string" },
      mqtt311: { type: "boolean" },
      readings: { type: "string" },
      quiet: { type: "boolean" },
      engine: { type: "string" },
      sleep: { type: "string" },
      "power-cuts": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const url = values.url ?? env.MQTT_URL;
  const options: SimOptions = {
    devices: intIn("devices", values.devices ?? env.SIM_DEVICES ?? "3", 1, 1000),
    intervalMs: intIn("interval", values.interval ?? env.SIM_INTERVAL ?? "2000", 10, 3_600_000),
    qos: intIn("qos", values.qos ?? env.SIM_QOS ?? "1", 0, 2) as 0 | 1 | 2,
    tls: values.tls ?? (env.SIM_TLS === "1" || /^(mqtts|wss|ssl):/.test(url ?? "")),
    websocket: values.websocket ?? env.SIM_WEBSOCKET === "1",
    dropMs: intIn("drops", values.drops ?? env.SIM_DROPS ?? "20000", 0, 86_400_000),
    protocolVersion: values.mqtt311 || env.SIM_MQTT311 === "1" ? 4 : 5,
    readings: intIn("readings", values.readings ?? "0", 0, 1e9),
    quiet: values.quiet ?? false,
    engine: engineOf(values.engine ?? env.ENGINE ?? "node"),
    sleepMs: intIn("sleep", values.sleep ?? env.SIM_SLEEP ?? "0", 0, 2_147_483_647),
    powerCuts: values["power-cuts"] ?? env.SIM_POWER_CUTS === "1",
  };
  // Sleep and power cuts lose the device's RAM: only XS devices (a process each) do that.
  if ((options.sleepMs ?? 0) > 0 || options.powerCuts) {
    if ((values.engine ?? env.ENGINE) === "node") throw new RangeError("--sleep and --power-cuts need the XS engine (each wake or boot is a new process)");
    options.engine = "xs";
  }
  if (url) options.url = url;
  const ca = values.ca ?? env.SIM_CA;
  if (ca) options.caFile = ca;
  return options;
}
