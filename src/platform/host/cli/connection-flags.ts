// The flags every command shares, named as mosquitto_pub/sub name them: where the broker is, who we are,
// TLS, MQTT version, the will and -D properties. toClientOptions() turns them into connect()'s arguments.
import { readFile } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import type { ProtocolVersion, QoS } from "../../../codec/packet";
import type { TlsOptions } from "../../../client/transport";
import type { NodeClientOptions } from "../connect";
import { parsePropertyFlags, type PropertiesByCommand } from "./property-flags";

export interface ConnectionFlags {
  host: string;
  port?: number;
  url?: string;
  id?: string;
  username?: string;
  pw?: string;
  keepalive: number;
  protocolVersion: ProtocolVersion;
  cleanSession: boolean;
  tls?: boolean;
  cafile?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  willTopic?: string;
  willPayload?: string;
  willQos: QoS;
  willRetain?: boolean;
  property: string[];
}

/** An integer in [min, max], or commander's "is invalid" error naming the flag. */
export function integer(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

export function qos(text: string): QoS {
  if (text !== "0" && text !== "1" && text !== "2") throw new InvalidArgumentError("QoS is 0, 1 or 2");
  return Number(text) as QoS;
}

function protocolVersion(text: string): ProtocolVersion {
  if (text === "5" || text === "mqttv5") return 5;
  if (text === "311" || text === "mqttv311") return 4;
  if (text === "31" || text === "mqttv31") return 3;
  throw new InvalidArgumentError("expected 5 (mqttv5), 311 (mqttv311) or 31 (mqttv31)");
}

export function addConnectionFlags(command: Command): Command {
  return command
    .option("-h, --host <host>", "broker host", "localhost")
    .option("-p, --port <port>", "broker port (default 1883, or 8883 with TLS)", integer(1, 65535))
    .option("-L, --url <url>", "mqtt(s)://[user[:password]@]host[:port][/topic] instead of -h -p -u -P -t")
    .option("-i, --id <id>", "client id (default: a random one)")
    .option("-u, --username <user>", "user name")
    .option("-P, --pw <password>", "password")
    .option("-k, --keepalive <seconds>", "keepalive", integer(0, 65535), 60)
    .option("-V, --protocol-version <version>", "5, 311 or 31 (also mqttv5, mqttv311, mqttv31)", protocolVersion, 5)
    .option("-c, --no-clean-session", "resume the session (MQTT 5: with -D connect session-expiry-interval)")
    .option("--tls", "TLS with the system's trusted CAs (also implied by mqtts://, --cafile, --cert, --insecure)")
    .option("--cafile <file>", "TLS: trust this CA certificate (PEM)")
    .option("--cert <file>", "TLS: client certificate (PEM), with --key")
    .option("--key <file>", "TLS: client private key (PEM)")
    .option("--insecure", "TLS: do not check the server's certificate (testing only)")
    .option("--will-topic <topic>", "will topic")
    .option("--will-payload <text>", "will payload")
    .option("--will-qos <qos>", "will QoS", qos, 0)
    .option("--will-retain", "retain the will")
    .option("-D, --property <words...>", "MQTT 5 property: COMMAND NAME VALUE [VALUE], e.g. publish user-property k v; " +
      "repeatable (commands: connect, publish, subscribe, unsubscribe, disconnect, will)", collectWords, []);
}

/** Every -D word, in order, across repeated -D flags (property-flags.ts splits them). */
function collectWords(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface ClientSetup {
  url: string;
  options: NodeClientOptions;
  properties: PropertiesByCommand;
  /** host:port for messages. */
  where: string;
  /** The topic given in --url's path, if any. */
  urlTopic?: string;
}

/** Turns the flags into connect()'s URL and options; reads TLS files. Throws InvalidArgumentError on bad flags. */
export async function toClientOptions(flags: ConnectionFlags, defaultClientId: string): Promise<ClientSetup> {
  const properties = parsePropertyFlags(flags.property);
  let host = flags.host;
  let port = flags.port;
  let username = flags.username;
  let password = flags.pw;
  let urlTopic: string | undefined;
  let secureUrl = false;
  if (flags.url !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.url);
    } catch {
      throw new InvalidArgumentError(`--url: '${flags.url}' is not a URL`);
    }
    if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") throw new InvalidArgumentError("--url: must start with mqtt:// or mqtts://");
    secureUrl = url.protocol === "mqtts:";
    host = url.hostname.replace(/^\[|\]$/g, "");
    if (url.port !== "") port = Number(url.port);
    if (url.username !== "") username = decodeURIComponent(url.username);
    if (url.password !== "") password = decodeURIComponent(url.password);
    if (url.pathname.length > 1) urlTopic = decodeURIComponent(url.pathname.slice(1));
  }
  const tls = await tlsOptions(flags, secureUrl);
  const options: NodeClientOptions = {
    host,
    port: port ?? (tls ? 8883 : 1883),
    clientId: flags.id ?? defaultClientId,
    keepalive: flags.keepalive,
    clean: flags.cleanSession,
    protocolVersion: flags.protocolVersion,
    // A command line tool reports a refused or failed connection rather than retrying it.
    reconnectPeriod: 0,
  };
  if (tls) options.tls = tls;
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  if (properties.connect) options.properties = properties.connect;
  if (flags.willTopic !== undefined) {
    options.will = { topic: flags.willTopic, payload: flags.willPayload ?? "", qos: flags.willQos, retain: flags.willRetain ?? false };
    if (properties.will) options.will.properties = properties.will;
  } else if (properties.will || flags.willPayload !== undefined) {
    throw new InvalidArgumentError("a will needs --will-topic");
  }
  const setup: ClientSetup = { url: tls ? "mqtts://localhost" : "mqtt://localhost", options, properties, where: `${host}:${options.port}` };
  if (urlTopic !== undefined) setup.urlTopic = urlTopic;
  return setup;
}

async function tlsOptions(flags: ConnectionFlags, secureUrl: boolean): Promise<TlsOptions | undefined> {
  const wanted = secureUrl || flags.tls || flags.cafile !== undefined || flags.cert !== undefined || flags.insecure;
  if (!wanted) return undefined;
  if ((flags.cert === undefined) !== (flags.key === undefined)) throw new InvalidArgumentError("--cert and --key go together");
  const tls: TlsOptions = {};
  if (flags.cafile !== undefined) tls.ca = await readText(flags.cafile, "--cafile");
  if (flags.cert !== undefined) tls.cert = await readText(flags.cert, "--cert");
  if (flags.key !== undefined) tls.key = await readText(flags.key, "--key");
  if (flags.insecure) tls.rejectUnauthorized = false;
  return tls;
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
