// `mqtt5-xs pub`: publish one message, a file, standard input, or each line of standard input, like
// mosquitto_pub; exits once every publish is acknowledged (QoS 1/2) or written (QoS 0).
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { type Command, InvalidArgumentError } from "commander";
import type { AsyncMqttClient } from "../../../client/async-client";
import type { PublishOptions } from "../../../client/mqtt-client";
import { PacketType, type QoS } from "../../../codec/packet";
import { validateTopicName } from "../../../codec/topic";
import { CliFailure, type CliIo } from "./cli-io";
import { addConnectionFlags, integer, qos, toClientOptions, type ConnectionFlags } from "./connection-flags";
import { openSession, randomClientId, refusal } from "./session";

/** With -l, the room for one line's PUBLISH. */
const LINE_ROOM = 1024 * 1024;

export interface PubFlags extends ConnectionFlags {
  topic?: string;
  message?: string;
  file?: string;
  nullMessage?: boolean;
  stdinFile?: boolean;
  stdinLine?: boolean;
  qos: QoS;
  retain?: boolean;
  repeat: number;
  repeatDelay: number;
}

export function addPubCommand(program: Command, run: (flags: PubFlags) => Promise<void>): void {
  const command = program.command("pub").description("publish a message (like mosquitto_pub)");
  addConnectionFlags(command)
    .option("-t, --topic <topic>", "topic to publish to")
    .option("-m, --message <text>", "the message")
    .option("-f, --file <file>", "send this file as the message")
    .option("-n, --null-message", "send an empty message")
    .option("-s, --stdin-file", "send all of standard input as one message")
    .option("-l, --stdin-line", "send each line of standard input as a message")
    .option("-q, --qos <qos>", "QoS 0, 1 or 2", qos, 0)
    .option("-r, --retain", "ask the broker to retain the message")
    .option("--repeat <count>", "publish the message this many times", integer(1, 1_000_000), 1)
    .option("--repeat-delay <seconds>", "between repeats", Number, 0)
    .action((flags: PubFlags) => run(flags));
}

export async function runPub(flags: PubFlags, io: CliIo): Promise<void> {
  const setup = await toClientOptions(flags, randomClientId("pub"));
  const topic = flags.topic ?? setup.urlTopic;
  if (topic === undefined) throw new InvalidArgumentError("a topic is needed: -t TOPIC (or a path in --url)");
  validateTopicName(topic, "-t");
  const sources = [flags.message !== undefined, flags.file !== undefined, flags.nullMessage, flags.stdinFile, flags.stdinLine].filter(Boolean).length;
  if (sources !== 1) throw new InvalidArgumentError("give exactly one of -m, -f, -n, -s, -l");
  const payload = flags.file !== undefined ? await readMessageFile(flags.file) : flags.stdinFile ? await readAll(io) : flags.message ?? "";
  const options: PublishOptions = { qos: flags.qos, retain: flags.retain ?? false };
  if (setup.properties.publish) options.properties = setup.properties.publish;
  // The engine's buffers are sized for devices (1 KB); here they fit the message, whatever its size.
  const room = flags.stdinLine ? LINE_ROOM : payloadLength(payload) + 3 * topic.length + 1024;
  setup.options.engine = { transmitBufferSize: Math.max(4096, room), queueByteLimit: Math.max(4096, room) };
  const session = await openSession(setup);
  try {
    if (flags.stdinLine) {
      for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) await publish(session, topic, line, options, flags);
    } else {
      for (let i = 0; i < flags.repeat; i++) {
        if (i > 0 && flags.repeatDelay > 0) await delay(flags.repeatDelay * 1000);
        await publish(session, topic, payload, options, flags);
      }
    }
  } finally {
    await session.endAsync(0, setup.properties.disconnect);
  }
}

async function publish(session: AsyncMqttClient, topic: string, payload: string | Uint8Array, options: PublishOptions, flags: PubFlags): Promise<void> {
  const outcome = await session.publishAsync(topic, payload, options);
  const refused = refusal(outcome.reasonCode, flags.qos === 2 ? PacketType.PUBREC : PacketType.PUBACK, flags.protocolVersion);
  if (refused !== undefined) throw new CliFailure(`the broker refused the publish to ${topic}: ${refused}`);
}

async function readMessageFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new InvalidArgumentError(`-f: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

async function readAll(io: CliIo): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

function payloadLength(payload: string | Uint8Array): number {
  return typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
