// Steady-state cost of the engine on XS: a connected engine publishes and receives the telemetry shape
// (28-byte topic, 16-byte payload, MQTT 5) with no allocation at all, within its computron budget.
import { PublishResult } from "../../src/engine/index";
import { measure } from "../../tools/xs/measure";
import { ScriptedSession, TOPIC, inboundPublish, telemetryPayload } from "./engine-session";
import { checkEqual, recordAllocationFree, type XsCase } from "./support/xs-case";


export const engineBudgetCases: XsCase[] = [
  {
    name: "publishes QoS 0 telemetry with no allocation after warm-up",
    run(context) {
      const s = new ScriptedSession();
      const payload = telemetryPayload();
      recordAllocationFree(context, "engine.publish-qos0", measure(() => {
        if (s.engine.publish(TOPIC, payload, 0, false, undefined, 0) !== PublishResult.WRITTEN) throw new Error("not written");
        s.discard();
      }));
    },
  },
  {
    name: "publishes QoS 1 telemetry and completes it on PUBACK with no allocation after warm-up",
    run(context) {
      const s = new ScriptedSession();
      const payload = telemetryPayload();
      recordAllocationFree(context, "engine.publish-qos1-with-puback", measure(() => {
        if (s.engine.publish(TOPIC, payload, 1, false, undefined, 0) <= 0) throw new Error("no token");
        const id = s.pendingPublishId();
        s.discard();
        s.serverAck(4, id);
      }));
      checkEqual(s.handler.lastPublishCode, 0, "PUBACK reason code");
      checkEqual(s.handler.published, 250, "completed publishes (warm-up + measured)");
    },
  },
  {
    name: "receives an inbound QoS 0 PUBLISH with no allocation after warm-up",
    run(context) {
      const s = new ScriptedSession();
      const bytes = inboundPublish(0, 0);
      recordAllocationFree(context, "engine.receive-qos0", measure(() => { s.deliver(bytes); }));
      checkEqual(s.handler.messages, 250, "messages delivered");
    },
  },
  {
    name: "receives an inbound QoS 1 PUBLISH and writes its PUBACK with no allocation after warm-up",
    run(context) {
      const s = new ScriptedSession();
      const bytes = inboundPublish(1, 7);
      recordAllocationFree(context, "engine.receive-qos1-with-puback", measure(() => {
        s.deliver(bytes);
        if (s.pendingType() !== 4) throw new Error("no PUBACK written");
        s.discard();
      }));
      checkEqual(s.handler.messages, 250, "messages delivered");
    },
  },
  {
    name: "publishes QoS 2 through PUBREC, PUBREL and PUBCOMP (cost measured)",
    run(context) {
      const s = new ScriptedSession();
      const payload = telemetryPayload();
      context.record("engine.publish-qos2-full-flow", measure(() => {
        s.engine.publish(TOPIC, payload, 2, false, undefined, 0);
        const id = s.pendingPublishId();
        s.discard();
        s.serverAck(5, id);
        s.discard();
        s.serverAck(7, id);
      }));
      checkEqual(s.handler.lastPublishCode, 0, "PUBCOMP reason code");
    },
  },
];
