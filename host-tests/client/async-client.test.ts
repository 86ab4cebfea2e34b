// The promise layer over MqttClient in virtual time: promises settle on the acks for their own tokens.
import { describe, expect, it } from "vitest";
import { AsyncMqttClient, MqttClient, MqttConnectionError } from "../../src/client/index";
import type { Packet } from "../../src/codec/packet";
import { FakePlatform } from "./fake-platform";

function setup() {
  const platform = new FakePlatform();
  const client = new MqttClient({ platform, host: "h", clientId: "a", reconnectPeriod: 0 });
  return { platform, client, async: new AsyncMqttClient(client) };
}

describe("AsyncMqttClient", () => {
  it("connectAsync resolves with the CONNACK and publishAsync with each publish's own PUBACK", async () => {
    const { platform, async } = setup();
    const connecting = async.connectAsync();
    platform.last.handler.onOpen();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
    expect((await connecting).reasonCode).toBe(0);
    const first = async.publishAsync("t", "1", { qos: 1 });
    const second = async.publishAsync("t", "2", { qos: 1 });
    const ids = platform.last.take().filter((p): p is Extract<Packet, { type: 3 }> => p.type === 3).map((p) => p.packetId);
    platform.last.deliver({ type: 4, packetId: ids[1]!, reasonCode: 0x10 });
    platform.last.deliver({ type: 4, packetId: ids[0]!, reasonCode: 0 });
    expect((await first).reasonCode).toBe(0);
    expect((await second).reasonCode).toBe(0x10);
    expect(await async.publishAsync("t", "q0")).toEqual({ reasonCode: 0, properties: undefined });
  });

  it("connectAsync rejects with MqttConnectionError when the CONNACK refuses", async () => {
    const { platform, async } = setup();
    const connecting = async.connectAsync();
    platform.last.handler.onOpen();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0x86 });
    await expect(connecting).rejects.toBeInstanceOf(MqttConnectionError);
  });

  it("subscribeAsync resolves with the SUBACK reason codes", async () => {
    const { platform, async } = setup();
    const connecting = async.connectAsync();
    platform.last.handler.onOpen();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
    await connecting;
    platform.last.take();
    const sub = async.subscribeAsync(["a", "b"], { qos: 2 });
    const [packet] = platform.last.take() as unknown as [{ packetId: number }];
    platform.last.deliver({ type: 9, packetId: packet.packetId, reasonCodes: [2, 0x87] });
    expect((await sub).reasonCodes).toEqual([2, 0x87]);
  });
});
