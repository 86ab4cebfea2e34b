// Server Reference (MQTT 5 section 4.11): the forms brokers send, and which entry the client may follow
// from its current transport (never from TLS to plain; WebSocket only from WebSocket) (issue 13, item 4).
import { describe, expect, it } from "vitest";
import { chooseServerReference, parseServerReference } from "../../src/client/server-reference";

const plain = { tls: false, websocket: false, port: 1883 };
const secure = { tls: true, websocket: false, port: 8883 };

describe("parseServerReference", () => {
  it("reads host, host:port and [v6]:port, keeping the current transport and port", () => {
    expect(parseServerReference("a.example", 1883)).toMatchObject({ scheme: "", host: "a.example", port: 1883, tls: undefined, websocket: undefined });
    expect(parseServerReference("a.example:8884", 1883)).toMatchObject({ host: "a.example", port: 8884 });
    expect(parseServerReference("[fe80::1]:1884", 1883)).toMatchObject({ host: "fe80::1", port: 1884 });
    expect(parseServerReference("[::1]", 8883)).toMatchObject({ host: "::1", port: 8883 });
  });

  it("reads URL forms with their scheme's security and default port", () => {
    expect(parseServerReference("mqtt://h:1884", 9)).toMatchObject({ scheme: "mqtt", host: "h", port: 1884, tls: false, websocket: false });
    expect(parseServerReference("tcp://h", 9)).toMatchObject({ scheme: "tcp", port: 1883, tls: false });
    expect(parseServerReference("mqtts://h", 9)).toMatchObject({ scheme: "mqtts", port: 8883, tls: true });
    expect(parseServerReference("ssl://h:9000", 9)).toMatchObject({ scheme: "ssl", port: 9000, tls: true });
    expect(parseServerReference("MQTTS://[::1]:8884", 9)).toMatchObject({ scheme: "mqtts", host: "::1", port: 8884 });
    expect(parseServerReference("ws://h/mqtt", 9)).toMatchObject({ scheme: "ws", host: "h", port: 80, tls: false, websocket: true, path: "/mqtt" });
    expect(parseServerReference("wss://h:8443", 9)).toMatchObject({ scheme: "wss", port: 8443, tls: true, websocket: true, path: "/" });
  });

  it("keeps the entry as the server wrote it", () => {
    expect(parseServerReference("mqtts://h:8884", 1)?.text).toBe("mqtts://h:8884");
  });

  it("refuses what it cannot use: unknown schemes, bad ports, paths on MQTT URLs, empty hosts", () => {
    for (const bad of ["http://h", "h:0", "h:65536", "h:x", "mqtt://h/path", "mqtt://", "", ":1883", "a b", "[::1", "mqtt://u:p@h"]) {
      expect(parseServerReference(bad, 1883), bad).toBeUndefined();
    }
  });
});

describe("chooseServerReference", () => {
  it("follows the first usable entry of a space-separated list", () => {
    expect(chooseServerReference("ws://a/mqtt  mqtts://b  c:1884 d", plain)?.text).toBe("c:1884");
    expect(chooseServerReference("  a   b ", plain)?.host).toBe("a");
  });

  it("never goes from TLS to plain TCP", () => {
    expect(chooseServerReference("mqtt://a tcp://b:1883", secure)).toBeUndefined();
    expect(chooseServerReference("mqtt://a mqtts://b", secure)).toMatchObject({ host: "b", port: 8883, tls: true });
    expect(chooseServerReference("c", secure)).toMatchObject({ host: "c", port: 8883 });
  });

  it("does not go from plain TCP to TLS either: the app gave no trust settings for it", () => {
    expect(chooseServerReference("mqtts://a ssl://b", plain)).toBeUndefined();
    expect(chooseServerReference("mqtts://a mqtt://b:1999", plain)).toMatchObject({ host: "b", port: 1999 });
  });

  it("takes WebSocket entries only over a WebSocket transport", () => {
    expect(chooseServerReference("ws://a/mqtt", plain)).toBeUndefined();
    expect(chooseServerReference("mqtt://b ws://a/mqtt", { tls: false, websocket: true, port: 80 })).toMatchObject({ host: "a", path: "/mqtt" });
    expect(chooseServerReference("ws://a/mqtt wss://b/mqtt", { tls: true, websocket: true, port: 443 })).toMatchObject({ host: "b" });
  });
});
