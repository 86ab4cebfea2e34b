// bench:xs reference: the same encode and decode as a client that allocates per packet would do them
// (a fresh Uint8Array per PUBLISH, as MQTT.js and Moddable's legacy mqtt module do; a copied payload
// per received message). Compared with the allocation-free paths in codec-budget-cases.ts.
import { encodedLength, encodePacket, PacketDecoder, type PublishPacket } from "../../../src/codec/index";
import { measure } from "../../../tools/xs/measure";
import { runCasesOnXs } from "../support/xs-case";
import { TELEMETRY_TOPIC } from "../codec-budget-cases";

const payload = new Uint8Array(16).fill(0x41);
const publish = (qos: 0 | 1): PublishPacket => ({ type: 3, topic: TELEMETRY_TOPIC, qos, retain: false, dup: false, packetId: qos, payload });

void runCasesOnXs([
  {
    name: "reference: encode into a fresh buffer per packet",
    run(context) {
      for (const qos of [0, 1] as const) {
        const p = publish(qos);
        let kept: Uint8Array | undefined;
        context.record(`reference.encode.publish-qos${qos}`, measure(() => {
          kept = new Uint8Array(encodedLength(p, 5));
          encodePacket(p, 5, kept, 0);
        }));
        void kept;
      }
    },
  },
  {
    name: "reference: decode and copy the payload out per message",
    run(context) {
      for (const qos of [0, 1] as const) {
        const bytes = new Uint8Array(encodedLength(publish(qos), 5));
        encodePacket(publish(qos), 5, bytes, 0);
        const decoder = new PacketDecoder({ buffer: new Uint8Array(256), version: 5 });
        let kept: Uint8Array | undefined;
        context.record(`reference.decode.publish-qos${qos}`, measure(() => {
          decoder.feed(bytes, 0, bytes.length);
          const p = decoder.packet as PublishPacket;
          const start = p.payloadOffset ?? 0;
          kept = (p.payload as Uint8Array).slice(start, start + (p.payloadLength ?? 0));
        }));
        void kept;
      }
    },
  },
]);
