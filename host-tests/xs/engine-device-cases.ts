// The engine inside an ESP8266-sized heap (32 KB static VM, see tools/xs/platform.c) with 512-byte
// buffers: connect, subscribe, publish at every QoS and receive, then keep going in steady state.
import { ScriptedSession, TOPIC, inboundPublish, telemetryPayload } from "./engine-session";
import { check, checkEqual, type XsCase } from "./support/xs-case";
import { xsHost } from "../../tools/xs/xs-globals";

const LIMIT = 32768;
/** Engine sizes for an ESP8266 app: 512-byte buffers, a few messages in flight or queued. */
export const ESP8266_ENGINE_CONFIG = { transmitBufferSize: 512, receiveBufferSize: 512, maxInflight: 4, queueLimit: 4, queueByteLimit: 512, outboundTopicAliases: 2 };

export const engineDeviceCases: XsCase[] = [
  {
    name: "connects, subscribes, publishes QoS 0/1/2 and receives QoS 0/1 inside a 32 KB ESP8266 heap with 512-byte buffers",
    run(context) {
      const xs = xsHost();
      const atStart = xs.deviceHeap(LIMIT);
      xs.gc();
      const slots = xs.slotsInUse();
      const chunks = xs.chunkBytes();
      const s = new ScriptedSession(ESP8266_ENGINE_CONFIG);
      s.subscribe([{ filter: "commands/#", qos: 1 }]);
      checkEqual(s.handler.subscribed, 1, "SUBACK");
      xs.gc();
      // What a connected engine keeps, in device bytes (16-byte slots).
      context.note("engine.connected.slots", xs.slotsInUse() - slots);
      context.note("engine.connected.chunk-bytes", xs.chunkBytes() - chunks);
      context.note("engine.connected.device-bytes", 16 * (xs.slotsInUse() - slots) + xs.chunkBytes() - chunks);

      const payload = telemetryPayload();
      const qos0 = inboundPublish(0, 0);
      const qos1 = inboundPublish(1, 9);
      for (let round = 0; round < 500; round++) {
        s.engine.publish(TOPIC, payload, 0, false, undefined, 0);
        s.discard();
        s.engine.publish(TOPIC, payload, 1, false, undefined, 0);
        const id1 = s.pendingPublishId();
        s.discard();
        s.serverAck(4, id1);
        s.engine.publish(TOPIC, payload, 2, false, undefined, 0);
        const id2 = s.pendingPublishId();
        s.discard();
        s.serverAck(5, id2);
        s.discard();
        s.serverAck(7, id2);
        s.deliver(qos0);
        s.deliver(qos1);
        s.discard();
      }
      checkEqual(s.handler.published, 1000, "QoS 1 and 2 publishes completed");
      checkEqual(s.handler.messages, 1000, "messages received");
      const used = xs.deviceHeapBytes();
      context.note("engine.device-heap.at-start", atStart);
      context.note("engine.device-heap.after-1500-publishes", used);
      check(used <= LIMIT, `device heap ${used} within ${LIMIT}`);
    },
  },
];
