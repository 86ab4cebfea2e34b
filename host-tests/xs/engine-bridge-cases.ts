// MQTT on XS against a real mosquitto: the engine, driven over the bridge platform, connects,
// subscribes, publishes at QoS 0, 1 and 2 to its own subscription and receives every message back.
import type { ConnackPacket, PublishPacket } from "../../src/codec/packet";
import type { EngineHandler } from "../../src/engine/index";
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { EngineLink } from "./engine-link";
import { ESP8266_ENGINE_CONFIG } from "./engine-device-cases";
import { checkEqual, type XsCase } from "./support/xs-case";
import { xsHost } from "../../tools/xs/xs-globals";

declare const brokerPort: number;

function text(p: PublishPacket): string {
  const bytes = p.payload as Uint8Array;
  const start = p.payloadOffset ?? 0;
  let s = "";
  for (let i = start; i < start + (p.payloadLength ?? 0); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function bridgeCase(name: string, inDeviceHeap: boolean): XsCase {
  return {
    name,
    run(context) {
      return new Promise<void>((resolve, reject) => {
        // The platform stands for the device's native socket layer: its buffers are not in the JS heap.
        const platform = new BridgePlatform();
        if (inDeviceHeap) context.note("bridge.device-heap.at-start", xsHost().deviceHeap(32768));
        const received: string[] = [];
        const completed: number[] = [];
        const fail = (e: unknown): void => reject(e instanceof Error ? e : new Error(String(e)));
        const guard = platform.setTimer(10_000, () => fail(new Error(`timed out; received ${JSON.stringify(received)}`)));
        let link: EngineLink;
        // Ends once every message came back and both acknowledged publishes completed (in either order).
        const maybeDone = (): void => {
          if (received.length < 3 || completed.length < 2) return;
          link.engine.disconnect(0, undefined, platform.now());
          link.after();
        };
        const handler: EngineHandler = {
          onConnack(connack: ConnackPacket) {
            if (connack.reasonCode !== 0) return fail(new Error(`CONNACK ${connack.reasonCode}`));
            link.engine.subscribe([{ filter: "xs/bridge/#", qos: 2 }], undefined, platform.now());
            link.after();
          },
          onSubscribeDone(_token, codes) {
            try { checkEqual(codes[0], 2, "granted QoS"); } catch (e) { return fail(e); }
            for (const qos of [0, 1, 2] as const) {
              link.engine.publish(`xs/bridge/q${qos}`, `hello qos ${qos}`, qos, false, undefined, platform.now());
            }
            link.after();
          },
          onPublishDone(_token, code) { completed.push(code); maybeDone(); },
          onMessage(message) {
            received.push(`${message.topic} ${message.qos} ${text(message)}`);
            maybeDone();
          },
          onUnsubscribeDone() { /* not used */ },
          onDisconnect(code) { fail(new Error(`server DISCONNECT ${code}`)); },
          onClose(code, error) {
            platform.clearTimer(guard);
            try {
              checkEqual(error, undefined, "orderly close");
              checkEqual(code, 0, "DISCONNECT reason code we sent");
              checkEqual(JSON.stringify(received.sort()), JSON.stringify([
                "xs/bridge/q0 0 hello qos 0", "xs/bridge/q1 1 hello qos 1", "xs/bridge/q2 2 hello qos 2"]), "messages received");
              checkEqual(JSON.stringify(completed), JSON.stringify([0, 0]), "QoS 1 and 2 completion codes");
              if (inDeviceHeap) context.note("bridge.device-heap.at-end", xsHost().deviceHeapBytes());
              resolve();
            } catch (e) { fail(e); }
          },
        };
        link = new EngineLink(platform, handler, inDeviceHeap ? ESP8266_ENGINE_CONFIG : { transmitBufferSize: 512, receiveBufferSize: 512 });
        link.open("127.0.0.1", brokerPort, { clientId: inDeviceHeap ? "xs-bridge-esp8266" : "xs-bridge-engine", keepAlive: 30 });
      });
    },
  };
}

export const engineBridgeCases: XsCase[] = [
  bridgeCase("connects to mosquitto through the bridge, subscribes, publishes QoS 0/1/2 and receives them back", false),
];

export const engineBridgeDeviceCases: XsCase[] = [
  bridgeCase("does the same with 512-byte buffers inside a 32 KB ESP8266 heap", true),
];
