// TopicCache: the topics a connection publishes to and hears on, kept with their wire form. A remembered topic
// skips validation and measurement on the way out and decoding on the way in, so it must never change what is
// encoded or decoded, nor let an invalid topic through.
import { describe, expect, it } from "vitest";
import { MqttArgumentError, TopicCache, PacketDecoder, type PublishPacket } from "../../src/codec/index";
import { encodeToBytes } from "../support/codec-harness";

function cache(): { topics: TopicCache; bytes: Uint8Array } {
  const bytes = new Uint8Array(16 + TopicCache.BYTES);
  return { topics: new TopicCache(bytes, 16), bytes };
}

/** The topic as an MQTT string: 2-byte length, then UTF-8. */
function wire(topic: string): number[] {
  const utf8 = [...new TextEncoder().encode(topic)];
  return [utf8.length >> 8, utf8.length & 0xff, ...utf8];
}

describe("TopicCache", () => {
  it("keeps a topic's wire form at foundAt, multi-byte UTF-8 included, and writes it the same way", () => {
    const { topics, bytes } = cache();
    for (const topic of ["sensors/device-1/temperature", "häuser/küche/°C", "emoji/\u{1F600}"]) {
      const entry = topics.entry(topic);
      expect(topics.found).toBe(new TextEncoder().encode(topic).length);
      expect([...bytes.subarray(topics.foundAt, topics.foundAt + 2 + topics.found)]).toEqual(wire(topic));
      const out = new Uint8Array(80);
      const end = topics.write(entry, topics.found, out, 3);
      expect([...out.subarray(3, end)]).toEqual(wire(topic));
      expect(topics.entry(topic)).toBe(entry); // found again, not added
    }
  });

  it("finds an equal topic built at run time, not only the same string", () => {
    const { topics } = cache();
    const entry = topics.entry("devices/7/status");
    expect(topics.entry(["devices", String(7), "status"].join("/"))).toBe(entry);
  });

  it("refuses a wildcard, U+0000, the empty topic and a non-string, naming the argument, after valid ones", () => {
    const { topics } = cache();
    topics.entry("a/b");
    for (const bad of ["a/+", "a/#", "a\u0000b", "", 42 as unknown as string]) {
      expect(() => topics.entry(bad)).toThrow(MqttArgumentError);
      expect(() => topics.entry(bad)).toThrow(/topic/);
    }
  });

  it("keeps the four most recent topics, replacing the oldest first and counting each replacement", () => {
    const { topics } = cache();
    const entries = ["t/1", "t/22", "t/333", "t/4444"].map((t) => topics.entry(t));
    expect(entries).toEqual([0, 1, 2, 3]);
    const before = topics.changes;
    expect(topics.entry("t/55555")).toBe(0); // t/1 was the oldest
    expect(topics.changes).toBe(before + 1);
    expect(topics.entry("t/22")).toBe(1);
    expect(topics.changes).toBe(before + 1); // found, nothing replaced
  });

  it("recognises a received topic by its bytes, whether it was published or received before", () => {
    const { topics } = cache();
    topics.entry("out/topic");
    const received = new Uint8Array([0, 0, ...new TextEncoder().encode("in/topic")]);
    expect(topics.match(received, 2, received.length)).toBeUndefined();
    topics.learn("in/topic", received, 2, received.length);
    expect(topics.match(received, 2, received.length)).toBe("in/topic");
    const published = new TextEncoder().encode("out/topic");
    expect(topics.match(published, 0, published.length)).toBe("out/topic");
    const sameLengthOtherBytes = new TextEncoder().encode("in/topiX");
    expect(topics.match(sameLengthOtherBytes, 0, sameLengthOtherBytes.length)).toBeUndefined();
  });

  it("writes and recognises topics longer than a slot from their strings", () => {
    const { topics } = cache();
    const long = `long/${"x".repeat(100)}`;
    const entry = topics.entry(long);
    expect(topics.foundAt).toBe(-1);
    const out = new Uint8Array(200);
    expect([...out.subarray(0, topics.write(entry, topics.found, out, 0))]).toEqual(wire(long));
    const utf8 = new TextEncoder().encode(long);
    expect(topics.match(utf8, 0, utf8.length)).toBe(long);
  });
});

describe("PacketDecoder with a shared TopicCache", () => {
  const publish = (topic: string): PublishPacket => ({ type: 3, topic, qos: 0, retain: false, dup: false, packetId: 0, payload: "x" });

  it("returns the cached string for a topic the cache knows, and teaches it a new one", () => {
    const { topics } = cache();
    topics.entry("shared/topic");
    const decoder = new PacketDecoder({ buffer: new Uint8Array(64), version: 4, topics });
    const known = encodeToBytes(publish("shared/topic"), 4);
    decoder.feed(known, 0, known.length);
    expect((decoder.packet as PublishPacket).topic).toBe(topics.topic(0));
    const fresh = encodeToBytes(publish("new/topic"), 4);
    decoder.feed(fresh, 0, fresh.length);
    expect((decoder.packet as PublishPacket).topic).toBe("new/topic");
    const utf8 = new TextEncoder().encode("new/topic");
    expect(topics.match(utf8, 0, utf8.length)).toBe("new/topic");
  });
});
