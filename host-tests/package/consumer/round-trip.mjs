// A plain Node program using the installed package (no TypeScript, no tsx): subscribe, publish QoS 1,
// receive it, and check that an error class is the same whichever entry point it is imported from.
import { connectAsync, MqttArgumentError } from "mqtt5-xs";
import { MqttArgumentError as CodecArgumentError, topicMatches } from "mqtt5-xs/codec";
import { Engine } from "mqtt5-xs/engine";

const url = process.argv[2];
const sub = await connectAsync(url, { clientId: "package-sub" });
const received = new Promise((resolve) => {
  sub.client.on("message", (topic, payload) => resolve({ topic, text: new TextDecoder().decode(payload) }));
});
await sub.subscribeAsync("package/+", { qos: 1 });
const pub = await connectAsync(url, { clientId: "package-pub" });
const outcome = await pub.publishAsync("package/test", "hello from the tarball", { qos: 1 });
const message = await received;
let sameErrorClass = false;
try {
  pub.client.publish("package/+", "a wildcard is not a topic name");
} catch (error) {
  sameErrorClass = error instanceof MqttArgumentError && error instanceof CodecArgumentError;
}
await pub.endAsync();
await sub.endAsync();
console.log(JSON.stringify({
  node: process.version,
  message,
  reasonCode: outcome.reasonCode,
  sameErrorClass,
  codec: topicMatches("package/+", "package/test"),
  engine: typeof Engine,
}));
