// The full client (src/client MqttClient) on XS against a real mosquitto through the bridge: connect,
// subscribe, publish QoS 0/1/2 to its own subscription, receive all three, end. Once in the host's default
// heap and once inside a 32 KB ESP8266 heap with 512-byte buffers.
import { MqttClient } from "../../src/client/index";
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { xsHost } from "../../tools/xs/xs-globals";
import { ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { checkEqual, type XsCase } from "./support/xs-case";

declare const brokerPort: number;

function ascii(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function clientCase(name: string, inDeviceHeap: boolean): XsCase {
  return {
    name,
    run(context) {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        if (inDeviceHeap) context.note("client.device-heap.at-start", xsHost().deviceHeap(32768));
        const received: string[] = [];
        const completed: number[] = [];
        const guard = platform.setTimer(10_000, () => reject(new Error(`timed out; received ${JSON.stringify(received)}`)));
        const client = new MqttClient({
          platform,
          host: "127.0.0.1",
          port: brokerPort,
          clientId: inDeviceHeap ? "xs-client-esp8266" : "xs-client",
          keepalive: 30,
          engine: inDeviceHeap ? ESP8266_ENGINE_CONFIG : undefined,
        });
        const finish = (): void => {
          if (received.length < 3 || completed.length < 2) return;
          if (inDeviceHeap) context.note("client.device-heap.connected", xsHost().deviceHeapBytes());
          client.end();
        };
        client.on("error", (error) => reject(error));
        client.on("connect", () => { client.subscribe("xs/client/#", { qos: 2 }); });
        client.on("subscribed", (_token, codes) => {
          try { checkEqual(codes[0], 2, "granted QoS"); } catch (e) { reject(e as Error); return; }
          for (const qos of [0, 1, 2] as const) client.publish(`xs/client/q${qos}`, `hello qos ${qos}`, { qos });
        });
        client.on("publishDone", (_token, code) => { completed.push(code); finish(); });
        client.on("message", (topic, payload, packet) => { received.push(`${topic} ${packet.qos} ${ascii(payload)}`); finish(); });
        client.on("end", () => {
          platform.clearTimer(guard);
          try {
            checkEqual(JSON.stringify(received.sort()), JSON.stringify([
              "xs/client/q0 0 hello qos 0", "xs/client/q1 1 hello qos 1", "xs/client/q2 2 hello qos 2"]), "messages received");
            checkEqual(JSON.stringify(completed), JSON.stringify([0, 0]), "QoS 1 and 2 completion codes");
            resolve();
          } catch (e) { reject(e as Error); }
        });
        client.connect();
      });
    },
  };
}

export const clientBridgeCases: XsCase[] = [
  clientCase("the MQTT.js-style client connects, subscribes, publishes QoS 0/1/2 and receives them back", false),
];
export const clientBridgeDeviceCases: XsCase[] = [
  clientCase("the client does the same inside a 32 KB ESP8266 heap with 512-byte buffers", true),
];
