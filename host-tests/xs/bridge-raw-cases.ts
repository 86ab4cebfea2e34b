// The XS bridge on its own, before any MQTT code: hand-built packets through BridgePlatform to mosquitto.
import { BridgePlatform } from "../../tools/xs/bridge/xs-platform";
import { checkBytes, checkEqual, type XsCase } from "./support/xs-case";

declare const brokerPort: number;

// MQTT 5 CONNECT: client id "xs-raw", clean start, keepalive 30 s, no properties.
const CONNECT = new Uint8Array([0x10, 19, 0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0x02, 0, 30, 0, 0, 6, 0x78, 0x73, 0x2d, 0x72, 0x61, 0x77]);
const DISCONNECT = new Uint8Array([0xe0, 0]);

export const bridgeRawCases: XsCase[] = [
  {
    name: "a hand-built MQTT 5 CONNECT goes through the bridge to mosquitto and a CONNACK comes back",
    run() {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        const received: number[] = [];
        const transport = platform.connect({ host: "127.0.0.1", port: brokerPort }, {
          onOpen() { checkEqual(transport.write(CONNECT, 0, CONNECT.length), CONNECT.length, "bytes taken"); },
          onData(bytes, start, end) {
            for (let i = start; i < end; i++) received.push(bytes[i]!);
            if (received.length >= 2 && received.length >= 2 + received[1]!) {
              transport.write(DISCONNECT, 0, DISCONNECT.length);
              transport.close();
            }
          },
          onWritable() { /* everything fits the window */ },
          onClose(error) {
            try {
              checkEqual(error, undefined, "orderly close");
              // CONNACK: type 2, session present 0, reason code 0 (Success), then properties.
              checkBytes(new Uint8Array(received.slice(0, 1)), new Uint8Array([0x20]), "CONNACK type");
              checkEqual(received[3], 0, "CONNACK reason code");
              resolve();
            } catch (e) { reject(e as Error); }
          },
        });
      });
    },
  },
  {
    name: "a connection refused by the peer reaches onClose with an error",
    run() {
      return new Promise<void>((resolve, reject) => {
        const platform = new BridgePlatform();
        platform.connect({ host: "127.0.0.1", port: 1 }, {
          onOpen() { reject(new Error("port 1 opened")); },
          onData() { reject(new Error("data from port 1")); },
          onWritable() { /* never */ },
          onClose(error) { if (error) resolve(); else reject(new Error("no error for a refused connection")); },
        });
      });
    },
  },
];
