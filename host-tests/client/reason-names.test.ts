// Refusals and server DISCONNECTs reach the app as MqttConnectionError whose message names the reason as the
// specification does, beside the typed reasonCode (issue 13, item 10).
import { describe, expect, it } from "vitest";
import { MqttClient, MqttConnectionError } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { PacketType, REASON_CODES, reasonName } from "../../src/codec/index";
import type { ProtocolVersion } from "../../src/codec/packet";
import { FakePlatform } from "./fake-platform";

function setup(options: Partial<MqttClientOptions> = {}) {
  const platform = new FakePlatform();
  const client = new MqttClient({ platform, host: "broker.test", clientId: "c1", reconnectPeriod: 0, ...options });
  const errors: Error[] = [];
  client.on("error", (e) => errors.push(e));
  client.connect();
  platform.last.handler.onOpen();
  platform.last.take();
  return { platform, client, errors };
}

function refusedWith(code: number, version: ProtocolVersion = 5): MqttConnectionError {
  const { platform, errors } = setup({ protocolVersion: version });
  platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: code }, version);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(MqttConnectionError);
  return errors[0] as MqttConnectionError;
}

describe("reason names in connection errors", () => {
  it("names an MQTT 5 CONNACK refusal: code and the specification's name", () => {
    const error = refusedWith(0x87);
    expect(error.reasonCode).toBe(0x87);
    expect(error.message).toBe("connection refused: 0x87 Not authorized");
  });

  it("names an MQTT 3.1.1 CONNACK return code", () => {
    const error = refusedWith(5, 4);
    expect(error.reasonCode).toBe(5);
    expect(error.message).toBe("connection refused: 0x05 Connection Refused, not authorized");
  });

  it("names every MQTT 5 CONNACK refusal and every 3.1.1 return code", () => {
    for (const code of REASON_CODES[PacketType.CONNACK]!.filter((c) => c >= 0x80)) {
      expect(refusedWith(code).message).toContain(`${reasonName(code, PacketType.CONNACK)}`);
    }
    for (let code = 1; code <= 5; code++) expect(refusedWith(code, 4).message).toContain(reasonName(code, PacketType.CONNACK, 4));
  });

  it("reports a server DISCONNECT with an error reason as an error naming it, with its reason string", () => {
    const { platform, errors } = setup();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
    platform.last.deliver({ type: 14, reasonCode: 0x8b, properties: { reasonString: "maintenance" } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MqttConnectionError);
    expect((errors[0] as MqttConnectionError).reasonCode).toBe(0x8b);
    expect(errors[0]!.message).toBe("disconnected by the server: 0x8b Server shutting down (maintenance)");
  });

  it("names every MQTT 5 DISCONNECT reason a server may send", () => {
    for (const code of REASON_CODES[PacketType.DISCONNECT]!.filter((c) => c >= 0x80)) {
      const { platform, errors } = setup();
      platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
      platform.last.deliver({ type: 14, reasonCode: code });
      expect(errors.map((e) => e.message)).toEqual([`disconnected by the server: 0x${code.toString(16)} ${reasonName(code, PacketType.DISCONNECT)}`]);
    }
  });

  it("reports no error for a normal DISCONNECT from the server", () => {
    const { platform, errors } = setup();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
    platform.last.deliver({ type: 14, reasonCode: 0 });
    expect(errors).toEqual([]);
  });
});
