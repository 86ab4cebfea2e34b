// FlashSessionStore on the XS engine (issue 14): the power-cut check of host-tests/engine (every step of a
// session workload cut, over the SDK flash stand-in FakeSdkFlash), what a QoS 1 publish costs through the
// public client over the store, and the RAM the store keeps.
//
// Measured:
// - `store.flash.<sizes>.qos1-publish-puback`: computrons of a QoS 1 publish and its PUBACK through MqttClient
//   over a FlashSessionStore, on a flash whose writes cost nothing (as a native write costs no computrons),
//   between compactions, allocation-free.
// - `store.flash.<sizes>.compaction-slots-per-message`: slots allocated per message over enough messages to
//   compact several times (the SDK's flash reads return new ArrayBuffers; only compaction reads).
// - `store.flash.<sizes>.kept.device-bytes` (and .slots, .chunk-bytes): what an open store keeps.
// - `store.flash.<sizes>.client-kept.device-bytes`: what a connected client keeps with this store (which it
//   does not own), and `.client-kept-memory-store.device-bytes` the same firmware's client without it: its
//   memory store, sized by the firmware's queue settings, is then part of the client.
import { encodePacket } from "../../src/codec/index";
import { MqttClient, type PublishOptions } from "../../src/client/index";
import { FlashSessionStore, type FlashSessionStoreOptions } from "../../src/engine/flash-session-store";
import type { EngineConfig } from "../../src/engine/index";
import { SdkFlashArea, type SdkFlash } from "../../src/platform/moddable/sdk-flash-area";
import { measure } from "../../tools/xs/measure";
import { xsHost } from "../../tools/xs/xs-globals";
import { cutEverywhere, workload } from "../support/store-workload";
import { engineConfig, readSettings, storeOptions } from "../../targets/settings";
import { FakePlatform } from "./fake-platform";
import { check, checkEqual, recordAllocationFree, type XsCase } from "./support/xs-case";

const TOPIC = "devices/sensor-1/sensors/temperature";
const QOS1: PublishOptions = { qos: 1 };

/** The firmware's sizes with store=true (targets/settings.ts): the ESP8266 target's (its manifest's config) and
 * the defaults (the ESP32 target's). */
const ESP8266_CONFIG = { bufferSize: 512, inflight: 4, queue: 2, queueBytes: 256, topicAliases: 2 };
const ESP8266_SETTINGS = readSettings({ ...ESP8266_CONFIG, store: true });
const DEFAULT_SETTINGS = readSettings({ store: true });
/** store and engine: with the store; memoryEngine: the same firmware without it (its memory store sized by the
 * queue settings), for comparison. */
export const STORE_SIZES: Record<"esp8266" | "default", { store: FlashSessionStoreOptions; engine: EngineConfig; memoryEngine: EngineConfig; blocks: number }> = {
  esp8266: { store: storeOptions(ESP8266_SETTINGS), engine: engineConfig(ESP8266_SETTINGS), memoryEngine: engineConfig(readSettings(ESP8266_CONFIG)), blocks: ESP8266_SETTINGS.storeBlocks },
  default: { store: storeOptions(DEFAULT_SETTINGS), engine: engineConfig(DEFAULT_SETTINGS), memoryEngine: engineConfig(readSettings({})), blocks: DEFAULT_SETTINGS.storeBlocks },
};

/**
 * SDK flash for measuring the store's own cost: writes and erases do nothing (on a device they are native
 * calls, which XS does not meter) and reads hand out one buffer per length, made once. What it reads back
 * is not what was written: for measurements only, never for a store that is reopened.
 */
class MeasuringFlash implements SdkFlash {
  readonly blockSize = 4096;
  private readonly buffers = new Map<number, ArrayBuffer>();
  constructor(readonly byteLength: number) {}
  erase(sector: number): void { void sector; }
  write(offset: number, byteLength: number, buffer: Uint8Array): void { void offset; void byteLength; void buffer; }
  read(offset: number, byteLength: number): ArrayBuffer {
    void offset;
    let buffer = this.buffers.get(byteLength);
    if (buffer === undefined) this.buffers.set(byteLength, (buffer = new ArrayBuffer(byteLength)));
    return buffer;
  }
}

function payloadOf(size: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = 0x30 + (i % 10);
  return payload;
}

function connectedClient(platform: FakePlatform, store: FlashSessionStore | undefined, engine: EngineConfig | undefined): MqttClient {
  const client = new MqttClient({
    platform, host: "127.0.0.1", clientId: "sensor-1", keepalive: 60, clean: false, properties: { sessionExpiryInterval: 3600 },
    engine: store === undefined ? engine : { ...engine, store },
  });
  client.connect();
  platform.opened();
  const connack = new Uint8Array(16);
  platform.feed(connack, encodePacket({ type: 2, sessionPresent: false, reasonCode: 0 }, 5, connack, 0));
  check(client.connected, "connected");
  return client;
}

/** QoS 1 publishes each followed by its PUBACK: packet ids are handed out in turn from 1. */
function publisher(client: MqttClient, platform: FakePlatform, payload: Uint8Array): (i: number) => void {
  const puback = new Uint8Array([0x40, 2, 0, 0]);
  let id = 0;
  return () => {
    client.publish(TOPIC, payload, QOS1);
    id = id === 65535 ? 1 : id + 1;
    puback[2] = id >> 8;
    puback[3] = id & 0xff;
    platform.feed(puback, 4);
  };
}

function publishCase(sizes: "esp8266" | "default"): XsCase {
  const prefix = `store.flash.${sizes}`;
  const config = STORE_SIZES[sizes];
  return {
    name: `a QoS 1 publish and its PUBACK through MqttClient over a FlashSessionStore (${sizes} sizes) allocate nothing between compactions`,
    run(context) {
      // Two regions of 16 KB (not the firmware's 8 KB): no compaction within measure()'s 70 publishes of ~140
      // flash bytes each.
      const store = FlashSessionStore.format(new SdkFlashArea(new MeasuringFlash(8 * 4096)), config.store);
      const platform = new FakePlatform();
      const client = connectedClient(platform, store, config.engine);
      const publish = publisher(client, platform, payloadOf(64));
      recordAllocationFree(context, `${prefix}.qos1-publish-puback`, measure(publish, 20));
      checkEqual(store.stats.compactions, 0, "compactions while measuring");
      checkEqual(store.count(), 0, "records left after their PUBACKs");
      // Over many messages, with compactions (each region of 16 KB fills in ~110 messages).
      const xs = xsHost();
      xs.gc();
      const slots = xs.slotsInUse();
      const collections = xs.gcCount();
      for (let i = 0; i < 1000; i++) publish(i);
      check(xs.gcCount() === collections, "no collection during the long run");
      check(store.stats.compactions >= 5, `compactions over 1,000 messages: ${store.stats.compactions}`);
      context.note(`${prefix}.compaction-slots-per-message`, Math.round(((xs.slotsInUse() - slots) / 1000) * 100) / 100);
      context.note(`${prefix}.flash-bytes-per-message`, Math.round(store.stats.bytesWritten / 1070));
      client.end();
      platform.settle();
    },
  };
}

function keptCase(sizes: "esp8266" | "default"): XsCase {
  const prefix = `store.flash.${sizes}`;
  const config = STORE_SIZES[sizes];
  return {
    name: `an open FlashSessionStore (${sizes} sizes) keeps its index, inbound ids and stage in one buffer, and a client over it keeps less than over its default store`,
    run(context) {
      const xs = xsHost();
      const area = new SdkFlashArea(new MeasuringFlash(config.blocks * 4096));
      xs.gc();
      const slots = xs.slotsInUse();
      const chunks = xs.chunkBytes();
      let store: FlashSessionStore | undefined = FlashSessionStore.format(area, config.store);
      xs.gc();
      const keptSlots = xs.slotsInUse() - slots;
      const keptChunks = xs.chunkBytes() - chunks;
      context.note(`${prefix}.kept.slots`, keptSlots);
      context.note(`${prefix}.kept.chunk-bytes`, keptChunks);
      context.note(`${prefix}.kept.device-bytes`, 16 * keptSlots + keptChunks);
      context.note(`${prefix}.client-kept.device-bytes`, clientKept(store, config.engine));
      context.note(`${prefix}.client-kept-memory-store.device-bytes`, clientKept(undefined, config.memoryEngine));
      store = undefined;
    },
  };
}

// Device bytes a connected client (and its store, when given) keeps: live while connected minus live once
// ended and dropped.
function clientKept(store: FlashSessionStore | undefined, engine: EngineConfig | undefined): number {
  const xs = xsHost();
  const platform = new FakePlatform();
  let client: MqttClient | undefined = connectedClient(platform, store, engine);
  publisher(client, platform, payloadOf(64))(0);
  xs.gc();
  const slots = xs.slotsInUse();
  const chunks = xs.chunkBytes();
  client.end();
  platform.settle();
  client = undefined;
  xs.gc();
  return 16 * (slots - xs.slotsInUse()) + (chunks - xs.chunkBytes());
}

const cutCase: XsCase = {
  name: "a power cut at every third flash step of a session workload leaves a store that opens with what completed, and goes on (SDK flash stand-in)",
  run(context) {
    const result = cutEverywhere({
      workload: workload({ seed: 5, ops: 60, sizes: [10, 40], records: 6 }),
      areaBytes: 1024,
      blockSize: 256,
      store: { records: 8, inbound: 4 },
      stride: 3,
      after: 3,
    });
    check(result.compactions >= 2, `compactions in the workload: ${result.compactions}`);
    checkEqual(result.completed + result.rolledBack, result.cuts, "cuts accounted for");
    context.note("store.flash.cuts", result.cuts);
    context.note("store.flash.torn-entries", result.tornEntries);
  },
};

export const flashStoreCases: XsCase[] = [cutCase, publishCase("esp8266"), publishCase("default"), keptCase("esp8266"), keptCase("default")];

/** For the Node side: the figures noted, by key. */
export function storeNoteKeys(sizes: "esp8266" | "default"): string[] {
  return ["kept.device-bytes", "client-kept.device-bytes", "client-kept-memory-store.device-bytes", "compaction-slots-per-message", "flash-bytes-per-message"].map((k) => `store.flash.${sizes}.${k}`);
}

