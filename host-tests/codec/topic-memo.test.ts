// The encoder's TopicMemo: a remembered topic skips validation and measurement, so it must never change what
// is encoded or let an invalid topic through.
import { describe, expect, it } from "vitest";
import { MqttArgumentError, TopicMemo, encodePacket, encodedLength, type PublishPacket } from "../../src/codec/index";

function publish(topic: string, extra: Partial<PublishPacket> = {}): PublishPacket {
  return { type: 3, topic, qos: 1, retain: false, dup: false, packetId: 7, payload: Uint8Array.of(1, 2, 3), ...extra };
}

function encode(p: PublishPacket, memo?: TopicMemo): number[] {
  const out = new Uint8Array(256);
  return [...out.subarray(0, encodePacket(p, 5, out, 0, memo))];
}

describe("TopicMemo", () => {
  it("encodes a remembered topic byte for byte as without a memo, multi-byte UTF-8 included", () => {
    const memo = new TopicMemo();
    for (const topic of ["sensors/device-1/temperature", "häuser/küche/°C", "emoji/\u{1F600}"]) {
      const expected = encode(publish(topic));
      expect(encode(publish(topic), memo)).toEqual(expected); // learns it
      expect(encode(publish(topic), memo)).toEqual(expected); // uses it
      expect(encodedLength(publish(topic), 5, memo)).toBe(expected.length);
      expect(memo.utf8Length(topic)).toBe(new TextEncoder().encode(topic).length);
    }
  });

  it("recognises an equal topic built at run time, not only the same string", () => {
    const memo = new TopicMemo();
    encodedLength(publish("devices/7/status"), 5, memo);
    const built = ["devices", String(7), "status"].join("/");
    expect(memo.utf8Length(built)).toBe(16);
  });

  it("still refuses a wildcard or a U+0000 topic after valid topics are remembered", () => {
    const memo = new TopicMemo();
    encodedLength(publish("a/b"), 5, memo);
    for (const bad of ["a/+", "a/#", "a\u0000b"]) {
      expect(() => encodedLength(publish(bad), 5, memo)).toThrow(MqttArgumentError);
      expect(memo.utf8Length(bad)).toBe(-1);
    }
  });

  it("refuses a topic that is not a string, naming the argument", () => {
    const memo = new TopicMemo();
    encodedLength(publish("a/b"), 5, memo);
    expect(() => encodedLength(publish(42 as unknown as string), 5, memo)).toThrow(/topic/);
  });

  it("never remembers the empty topic: it needs a topic alias every time", () => {
    const memo = new TopicMemo();
    expect(encode(publish("", { properties: { topicAlias: 3 } }), memo).length).toBeGreaterThan(0);
    expect(memo.utf8Length("")).toBe(-1);
    expect(() => encodedLength(publish(""), 5, memo)).toThrow(/topic/);
  });

  it("keeps the four most recent topics, replacing the oldest first", () => {
    const memo = new TopicMemo();
    const topics = ["t/1", "t/22", "t/333", "t/4444", "t/55555"];
    for (const t of topics) encodedLength(publish(t), 5, memo);
    expect(memo.utf8Length("t/1")).toBe(-1);
    expect(topics.slice(1).map((t) => memo.utf8Length(t))).toEqual([4, 5, 6, 7]);
  });
});
