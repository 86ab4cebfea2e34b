// A TypeScript program against the installed package's types (checked with nodenext and bundler resolution).
import {
  AsyncMqttClient, connect, connectAsync, MqttArgumentError, MqttClient, MqttConnectionError, MqttError, MqttLimitError,
  type MqttClientOptions, type NodeClientOptions, type Properties, type PublishPacket,
} from "mqtt5-xs";
import { encodePacket, PacketDecoder, type Packet } from "mqtt5-xs/codec";
import { Engine, type EngineHandler } from "mqtt5-xs/engine";
import type { Ecma419Platform, ModdablePlatformOptions } from "mqtt5-xs/moddable";

const options: NodeClientOptions = { clientId: "typed", properties: { sessionExpiryInterval: 60 } };
const client: MqttClient = connect("mqtt://127.0.0.1:1883", options);
client.on("message", (topic: string, payload: Uint8Array, packet: PublishPacket) => {
  const properties: Properties | undefined = packet.properties;
  void [topic, payload, properties];
});
// @ts-expect-error QoS 3 does not exist
client.publish("t", "p", { qos: 3 });

export async function publishOnce(): Promise<number> {
  const c: AsyncMqttClient = await connectAsync("mqtt://127.0.0.1:1883");
  const { reasonCode } = await c.publishAsync("t", "p", { qos: 1 });
  await c.endAsync();
  return reasonCode;
}

export function encode(packet: Packet, out: Uint8Array): number {
  new PacketDecoder({ buffer: new Uint8Array(64) }).reset();
  return encodePacket(packet, 5, out);
}

export type Handler = EngineHandler;
export const engineClass: typeof Engine = Engine;
export const errorClasses = [MqttError, MqttArgumentError, MqttConnectionError, MqttLimitError] as const;
export type DeviceClientOptions = MqttClientOptions;
export type DevicePlatform = Ecma419Platform;
export type DevicePlatformOptions = ModdablePlatformOptions;
