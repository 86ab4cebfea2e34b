// Topic names, topic filters (including $share) and the matching a client uses to route messages.
import { describe, expect, it } from "vitest";
import { MqttArgumentError, topicMatches, validateTopicFilter, validateTopicName } from "../../src/codec/index";

describe("validateTopicFilter", () => {
  const valid = ["a", "a/b", "#", "+", "a/#", "+/+", "a/+/c", "/", "//", "/+", "$SYS/#", "$share/g/a/#", "$share/g/+", "$share/g//"];
  const invalid = ["", "a#", "a/#/b", "#/a", "a+", "+a", "a/b+", "$share/g", "$share//a", "$share/g/", "$share/g+/a", "$share/#/a"];
  for (const f of valid) it(`accepts ${JSON.stringify(f)}`, () => expect(() => validateTopicFilter(f)).not.toThrow());
  for (const f of invalid) {
    it(`refuses ${JSON.stringify(f)}`, () => expect(() => validateTopicFilter(f, "filter")).toThrow(MqttArgumentError));
  }
});

describe("validateTopicName", () => {
  it("accepts names with levels, empty levels and $", () => {
    for (const t of ["a", "a/b", "/", "a//b", "$SYS/x", "é/😀"]) expect(() => validateTopicName(t)).not.toThrow();
  });
  it("refuses wildcards and the empty name, naming the argument", () => {
    for (const t of ["a/+", "#", "a#b", ""]) {
      expect(() => validateTopicName(t, "options.topic")).toThrow(/^options\.topic: /);
    }
  });
});

describe("topicMatches", () => {
  const cases: [string, string, boolean][] = [
    ["a/b", "a/b", true],
    ["a/b", "a/c", false],
    ["a/b", "a/b/c", false],
    ["a/+", "a/b", true],
    ["a/+", "a/", true],
    ["a/+", "a/b/c", false],
    ["+/+", "a/b", true],
    ["+", "/", false],
    ["+/", "a/", true],
    ["a/#", "a", true],
    ["a/#", "a/b/c", true],
    ["a/#", "ab", false],
    ["#", "a/b", true],
    ["#", "$SYS/x", false],
    ["+/x", "$SYS/x", false],
    ["$SYS/#", "$SYS/x", true],
    ["$share/g/a/+", "a/b", true],
    ["$share/g/a/+", "b/b", false],
    ["a/+/c", "a/b/c", true],
    ["a/+/c", "a/b/d", false],
    ["sport/tennis/#", "sport/tennis", true],
  ];
  for (const [filter, topic, result] of cases) {
    it(`${result ? "matches" : "does not match"} ${JSON.stringify(topic)} with ${JSON.stringify(filter)}`, () => {
      expect(topicMatches(filter, topic)).toBe(result);
    });
  }
});
