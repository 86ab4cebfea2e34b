// The engine inside an ESP8266-sized heap (32 KB static VM, see tools/xs/platform.c) with 512-byte
// buffers: connect, subscribe, publish at every QoS and receive, then keep going in steady state. And what
// a connected engine keeps with the default sizes (1024-byte buffers, what the ESP32 firmware uses).
import { ScriptedSession, TOPIC, inboundPublish, telemetryPayload } from "./engine-session";
import { check, checkEqual, type CaseContext, type XsCase } from "./support/xs-case";
import { xsHost } from "../../tools/xs/xs-globals";

const LIMIT = 32768;
/** Engine sizes for an ESP8266 app: 512-byte buffers, a few messages in flight or queued. */
// A queue of 2 is enough for the app, which keeps only its newest unsent reading itself; 4 would cost 0.6 KB.
export const ESP8266_ENGINE_CONFIG = { transmitBufferSize: 512, receiveBufferSize: 512, maxInflight: 4, queueLimit: 2, queueByteLimit: 256, outboundTopicAliases: 2 };
/**
 * Device-heap limit for the default configuration. An ESP32's VM has far more (~78 KB of chunks and
 * ~5,000 slots); 64 KB is only a bound the measurement must stay inside, the accounting is the ESP8266 one.
 */
export const DEFAULT_CONFIG_HEAP_LIMIT = 65536;
/**
 * Measured device bytes of a connected engine (16-byte slots + chunk bytes, after a collection) with the
 * ESP8266 and the default sizes; the cases fail when it grows by more than 10 %, so a change shows.
 */
const ESP8266_ENGINE_BYTES = 13040;
const DEFAULT_ENGINE_BYTES = 21120;

/**
 * Notes what stayed live, after a collection, since the counts `slotsBefore`/`chunksBefore` (taken after a
 * collection) under `prefix`: slots, chunk bytes, and both in device bytes (16-byte slots). Returns the
 * device bytes. Plain numbers in and out, so the measurement itself keeps nothing.
 */
function noteKept(context: CaseContext, prefix: string, slotsBefore: number, chunksBefore: number): number {
  const xs = xsHost();
  xs.gc();
  const slots = xs.slotsInUse() - slotsBefore;
  const chunks = xs.chunkBytes() - chunksBefore;
  context.note(`${prefix}.slots`, slots);
  context.note(`${prefix}.chunk-bytes`, chunks);
  context.note(`${prefix}.device-bytes`, 16 * slots + chunks);
  return 16 * slots + chunks;
}

// The session is built in the case itself, not in a helper: one more frame under the engine's connect
// path would pass the stack slots a device machine has (see tools/xs/README.md).
export const engineDeviceCases: XsCase[] = [
  {
    name: "connects, subscribes, publishes QoS 0/1/2 and receives QoS 0/1 inside a 32 KB ESP8266 heap with 512-byte buffers",
    run(context) {
      const xs = xsHost();
      const atStart = xs.deviceHeap(LIMIT);
      // What a connected engine keeps, in device bytes (16-byte slots).
      xs.gc();
      const slots = xs.slotsInUse();
      const chunks = xs.chunkBytes();
      const s = new ScriptedSession(ESP8266_ENGINE_CONFIG);
      s.subscribe([{ filter: "commands/#", qos: 1 }]);
      checkEqual(s.handler.subscribed, 1, "SUBACK");
      const kept = noteKept(context, "engine.connected", slots, chunks);
      check(kept <= ESP8266_ENGINE_BYTES * 1.1, `connected engine keeps ${kept} device bytes, measured ${ESP8266_ENGINE_BYTES} (+10 % allowed)`);

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
  {
    // Live counts after a collection do not depend on what ran before (checked with the cases swapped).
    name: "a connected engine with the default 1024-byte buffers (ESP32) keeps the measured heap, within 10 %",
    run(context) {
      const xs = xsHost();
      xs.deviceHeap(DEFAULT_CONFIG_HEAP_LIMIT);
      xs.gc();
      const slots = xs.slotsInUse();
      const chunks = xs.chunkBytes();
      const session = new ScriptedSession();
      session.subscribe([{ filter: "commands/#", qos: 1 }]);
      checkEqual(session.handler.subscribed, 1, "SUBACK");
      const bytes = noteKept(context, "engine.default.connected", slots, chunks);
      session.engine.publish(TOPIC, telemetryPayload(), 1, false, undefined, 0);
      const id = session.pendingPublishId();
      session.discard();
      session.serverAck(4, id);
      session.deliver(inboundPublish(1, 9));
      checkEqual(session.handler.published, 1, "QoS 1 publish completed");
      checkEqual(session.handler.messages, 1, "message received");
      check(bytes <= DEFAULT_ENGINE_BYTES * 1.1, `connected engine keeps ${bytes} device bytes, measured ${DEFAULT_ENGINE_BYTES} (+10 % allowed)`);
    },
  },
];
