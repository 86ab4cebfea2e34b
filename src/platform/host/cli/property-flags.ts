// `-D <command> <property> <value> [value]`: MQTT 5 properties named as mosquitto_pub/sub name them, e.g.
// `-D publish user-property k v`, `-D publish message-expiry-interval 20`, `-D connect session-expiry-interval 300`.
// Commander hands every -D word over as one flat list (a variadic option); the table below says how many
// values each property takes, so the list splits back into properties without ambiguity.
import { InvalidArgumentError } from "commander";
import type { Properties } from "../../../codec/properties";

export type PropertyCommand = "connect" | "publish" | "subscribe" | "unsubscribe" | "disconnect" | "will";
const COMMANDS: readonly PropertyCommand[] = Object.freeze(["connect", "publish", "subscribe", "unsubscribe", "disconnect", "will"] as const);

type Kind = "number" | "string" | "binary" | "pair" | "identifier";

interface PropertyFlag {
  key: keyof Properties;
  kind: Kind;
  commands: readonly PropertyCommand[];
}

const MESSAGE: readonly PropertyCommand[] = Object.freeze(["publish", "will"] as const);
const CONNECT: readonly PropertyCommand[] = Object.freeze(["connect"] as const);

// Frozen tables (the rule for every module under src/: nothing mutable at module level).
const FLAGS: Readonly<Record<string, PropertyFlag>> = Object.freeze({
  "payload-format-indicator": Object.freeze({ key: "payloadFormatIndicator", kind: "number", commands: MESSAGE }),
  "message-expiry-interval": Object.freeze({ key: "messageExpiryInterval", kind: "number", commands: MESSAGE }),
  "content-type": Object.freeze({ key: "contentType", kind: "string", commands: MESSAGE }),
  "response-topic": Object.freeze({ key: "responseTopic", kind: "string", commands: MESSAGE }),
  "correlation-data": Object.freeze({ key: "correlationData", kind: "binary", commands: MESSAGE }),
  "subscription-identifier": Object.freeze({ key: "subscriptionIdentifiers", kind: "identifier", commands: Object.freeze(["subscribe"] as const) }),
  "session-expiry-interval": Object.freeze({ key: "sessionExpiryInterval", kind: "number", commands: Object.freeze(["connect", "disconnect"] as const) }),
  "authentication-method": Object.freeze({ key: "authenticationMethod", kind: "string", commands: CONNECT }),
  "authentication-data": Object.freeze({ key: "authenticationData", kind: "binary", commands: CONNECT }),
  "request-problem-information": Object.freeze({ key: "requestProblemInformation", kind: "number", commands: CONNECT }),
  "request-response-information": Object.freeze({ key: "requestResponseInformation", kind: "number", commands: CONNECT }),
  "receive-maximum": Object.freeze({ key: "receiveMaximum", kind: "number", commands: CONNECT }),
  "topic-alias-maximum": Object.freeze({ key: "topicAliasMaximum", kind: "number", commands: CONNECT }),
  "maximum-packet-size": Object.freeze({ key: "maximumPacketSize", kind: "number", commands: CONNECT }),
  "will-delay-interval": Object.freeze({ key: "willDelayInterval", kind: "number", commands: Object.freeze(["will"] as const) }),
  "reason-string": Object.freeze({ key: "reasonString", kind: "string", commands: Object.freeze(["disconnect"] as const) }),
  "user-property": Object.freeze({ key: "userProperties", kind: "pair", commands: COMMANDS }),
});

export type PropertiesByCommand = Partial<Record<PropertyCommand, Properties>>;

/** Splits the flat -D word list into properties per command; throws InvalidArgumentError naming the word at fault. */
export function parsePropertyFlags(words: readonly string[]): PropertiesByCommand {
  const result: PropertiesByCommand = {};
  let i = 0;
  const next = (what: string): string => {
    const word = words[i++];
    if (word === undefined) throw new InvalidArgumentError(`-D ${words.slice(0, i - 1).join(" ")}: ${what} missing`);
    return word;
  };
  while (i < words.length) {
    const command = next("command") as PropertyCommand;
    if (!COMMANDS.includes(command)) throw new InvalidArgumentError(`-D: '${command}' is not one of ${COMMANDS.join(", ")}`);
    const name = next("property name");
    if (name === "topic-alias") throw new InvalidArgumentError("-D: topic-alias is assigned by the client itself");
    const flag = FLAGS[name];
    if (flag === undefined) throw new InvalidArgumentError(`-D: unknown property '${name}' (known: ${Object.keys(FLAGS).join(", ")})`);
    if (!flag.commands.includes(command)) {
      throw new InvalidArgumentError(`-D: ${name} is not allowed on ${command} (only on ${flag.commands.join(", ")})`);
    }
    const properties = (result[command] ??= {});
    setProperty(properties, name, flag, next(`value of ${name}`), flag.kind === "pair" ? next(`second value of ${name}`) : "");
  }
  return result;
}

function setProperty(properties: Properties, name: string, flag: PropertyFlag, value: string, second: string): void {
  const target = properties as Record<string, unknown>;
  switch (flag.kind) {
    case "string":
      target[flag.key] = value;
      return;
    case "binary":
      target[flag.key] = new TextEncoder().encode(value);
      return;
    case "pair":
      (properties.userProperties ??= []).push([value, second]);
      return;
    case "number":
    case "identifier": {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`-D ${name}: '${value}' is not a whole number`);
      target[flag.key] = flag.kind === "identifier" ? [n] : n;
    }
  }
}
