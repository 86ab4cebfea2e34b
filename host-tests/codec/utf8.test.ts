// UTF-8 without TextEncoder: lengths and bytes agree with the platform's encoder, surrogate pairs
// included; decoding accepts exactly well-formed, shortest-form UTF-8 without U+0000 or surrogates.
import { describe, expect, it } from "vitest";
import { MqttArgumentError, MqttError, decodeUtf8, utf8Length, writeUtf8 } from "../../src/codec/index";

const SAMPLES = ["", "a", "x".repeat(3000) + "é" + "y".repeat(1500), "topic/1", "é", "ÿĀ", "€", "\u07ff\u0800", "\uffff", "😀", "a😀b€é", "\ud800\udc00\udbff\udfff"];

describe("encoding", () => {
  for (const s of SAMPLES) {
    it(`writes ${JSON.stringify(s)} exactly as TextEncoder does`, () => {
      const expected = new TextEncoder().encode(s);
      expect(utf8Length(s, "s")).toBe(expected.length);
      const out = new Uint8Array(expected.length + 2);
      expect(writeUtf8(out, 1, s)).toBe(1 + expected.length);
      expect(Array.from(out.subarray(1, 1 + expected.length))).toEqual(Array.from(expected));
    });
  }
  it("refuses lone surrogates and U+0000, naming the argument", () => {
    for (const s of ["\ud800", "a\ud800b", "\udc00", "\udfff\ud800", "\u0000"]) {
      expect(() => utf8Length(s, "clientId")).toThrow(MqttArgumentError);
      expect(() => utf8Length(s, "clientId")).toThrow(/^clientId: /);
    }
  });
});

describe("decoding", () => {
  for (const s of SAMPLES) {
    it(`reads back ${JSON.stringify(s)}`, () => {
      const bytes = new TextEncoder().encode(s);
      expect(decodeUtf8(bytes, 0, bytes.length, "f")).toBe(s);
    });
  }
  const bad: [string, number[]][] = [
    ["a lone continuation byte", [0x80]],
    ["an overlong 2-byte form of '/'", [0xc0, 0xaf]],
    ["an overlong 3-byte form", [0xe0, 0x80, 0xaf]],
    ["an overlong 4-byte form", [0xf0, 0x80, 0x80, 0xaf]],
    ["a surrogate (U+D800)", [0xed, 0xa0, 0x80]],
    ["a surrogate (U+DFFF)", [0xed, 0xbf, 0xbf]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a truncated 3-byte sequence", [0xe2, 0x82]],
    ["a lead byte 0xff", [0xff]],
    ["U+0000", [0x61, 0x00]],
  ];
  for (const [what, bytes] of bad) {
    it(`refuses ${what} as malformed (0x81)`, () => {
      const buf = new Uint8Array(bytes);
      let error: unknown;
      try {
        decodeUtf8(buf, 0, buf.length, "CONNECT.clientId");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MqttError);
      expect((error as MqttError).reasonCode).toBe(0x81);
      expect((error as MqttError).field).toBe("CONNECT.clientId");
    });
  }
  it("never reads past the end it is given", () => {
    const buf = new Uint8Array([0x61, 0xe2, 0x82, 0xac]); // "a€", cut after the lead byte of "€"
    expect(() => decodeUtf8(buf, 0, 2, "f")).toThrow(MqttError);
  });
});
