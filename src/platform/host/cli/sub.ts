// `mqtt5-xs sub`: subscribe and print each message as it arrives, like mosquitto_sub; runs until Ctrl-C,
// -C messages or -W seconds. Output: the payload, `topic payload` (-v), a -F format, or JSON lines (-j).
import { type Command, InvalidArgumentError } from "commander";
import type { SubscribeOptions } from "../../../client/mqtt-client";
import { PacketType, type QoS } from "../../../codec/packet";
import { validateTopicFilter } from "../../../codec/topic";
import { CliFailure, type CliIo } from "./cli-io";
import { addConnectionFlags, integer, qos, toClientOptions, type ConnectionFlags } from "./connection-flags";
import { formatMessage, jsonLine, receivedMessage, type ReceivedMessage } from "./message-format";
import { openSession, randomClientId, refusal } from "./session";

export interface SubFlags extends ConnectionFlags {
  topic: string[];
  qos: QoS;
  count?: number;
  timeout?: number;
  verbose?: boolean;
  format?: string;
  json?: boolean;
  retainedOnly?: boolean;
  /** false with -R (commander names a --no-x flag's value x). */
  retained: boolean;
  /** false with --no-local. */
  local: boolean;
}

/** The largest PUBLISH sub receives (announced to the broker as our Maximum Packet Size). */
const RECEIVE_ROOM = 1024 * 1024;

/** mosquitto_sub's exit status when -W ran out. */
export const TIMEOUT_EXIT = 27;

export function addSubCommand(program: Command, run: (flags: SubFlags) => Promise<void>): void {
  const command = program.command("sub").description("subscribe and print messages (like mosquitto_sub)");
  addConnectionFlags(command)
    .option("-t, --topic <filter>", "topic filter to subscribe to; repeatable", (value: string, previous: string[]) => [...previous, value], [])
    .option("-q, --qos <qos>", "QoS 0, 1 or 2", qos, 0)
    .option("-C, --count <n>", "exit after this many messages", integer(1, 1e9))
    .option("-W, --timeout <seconds>", `exit (status ${TIMEOUT_EXIT}) after this long`, integer(1, 1e9))
    .option("-v, --verbose", "print the topic before each payload")
    .option("-F, --format <format>", "mosquitto_sub format: %t topic, %p payload, %q QoS, %r retain, %C content type, " +
      "%E expiry, %R response topic, %D correlation data, %P user properties, %x hex, %l length, %I time, %j JSON")
    .option("-j, --json", "one JSON object per message and line (time, topic, qos, retain, payload, properties)")
    .option("-R, --no-retained", "do not print retained messages (stale ones the broker keeps)")
    .option("--retained-only", "print retained messages only, and exit at the first that is not")
    .option("--no-local", "MQTT 5: do not receive what this client publishes")
    .action((flags: SubFlags) => run(flags));
}

export async function runSub(flags: SubFlags, io: CliIo): Promise<number> {
  const setup = await toClientOptions(flags, randomClientId("sub"));
  const topics = flags.topic.length > 0 ? flags.topic : setup.urlTopic !== undefined ? [setup.urlTopic] : [];
  if (topics.length === 0) throw new InvalidArgumentError("a topic filter is needed: -t FILTER (repeatable)");
  for (const topic of topics) validateTopicFilter(topic, "-t");
  if ([flags.verbose, flags.format !== undefined, flags.json].filter(Boolean).length > 1) throw new InvalidArgumentError("-v, -F and -j exclude each other");
  const print = printer(flags);
  // The largest message sub takes (the engine's default, 1 KB, is a device's).
  setup.options.engine = { receiveBufferSize: RECEIVE_ROOM };
  const session = await openSession(setup);
  const client = session.client;
  let received = 0;
  return new Promise<number>((resolve, reject) => {
    let finished = false;
    const finish = (code: number, error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      io.stop.removeEventListener("abort", onStop);
      void session.endAsync(0, setup.properties.disconnect).then(() => (error ? reject(error) : resolve(code)));
    };
    const onStop = () => finish(0);
    io.stop.addEventListener("abort", onStop);
    const timer = flags.timeout === undefined ? undefined : setTimeout(() => finish(TIMEOUT_EXIT), flags.timeout * 1000);
    client.on("message", (topic, payload, packet) => {
      if (finished) return;
      if (flags.retainedOnly && !packet.retain) return finish(0);
      if (!flags.retained && packet.retain) return;
      io.stdout.write(print(receivedMessage(topic, payload, packet, Date.now())) + "\n");
      received++;
      if (flags.count !== undefined && received >= flags.count) finish(0);
    });
    client.on("offline", () => {
      if (!finished) io.stderr.write(`mqtt5-xs sub: connection to ${setup.where} lost\n`);
    });
    client.on("close", (error) => {
      // reconnectPeriod is 0: a lost connection ends the command, as mosquitto_sub's does without -c.
      if (!finished && !client.connected) finish(1, new CliFailure(`connection to ${setup.where} closed${error ? `: ${error.message}` : ""}`));
    });
    const options: SubscribeOptions = { qos: flags.qos, nl: !flags.local };
    if (setup.properties.subscribe) options.properties = setup.properties.subscribe;
    session.subscribeAsync(topics, options).then(({ reasonCodes }) => {
      const failed = reasonCodes.map((code, i) => [topics[i], refusal(code, PacketType.SUBACK, flags.protocolVersion)] as const).filter(([, r]) => r !== undefined);
      if (failed.length > 0) finish(1, new CliFailure(`the broker refused the subscription: ${failed.map(([t, r]) => `${t}: ${r}`).join("; ")}`));
    }, (error: unknown) => finish(1, error instanceof Error ? error : new Error(String(error))));
  });
}

function printer(flags: SubFlags): (m: ReceivedMessage) => string {
  if (flags.json) return jsonLine;
  if (flags.format !== undefined) {
    const format = flags.format;
    return (m) => formatMessage(format, m);
  }
  if (flags.verbose) return (m) => formatMessage("%t %p", m);
  return (m) => formatMessage("%p", m);
}
