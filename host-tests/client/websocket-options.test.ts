// The client options MQTT over WebSocket and ALPN add: what the transport is asked for (path, headers,
// ports), and bad values refused with MqttArgumentError naming the option before anything connects.
import { describe, expect, it } from "vitest";
import { MqttClient } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { MqttArgumentError } from "../../src/codec/errors";
import { FakePlatform } from "./fake-platform";

function transportFor(options: Partial<MqttClientOptions>) {
  const platform = new FakePlatform();
  new MqttClient({ platform, host: "broker.example", ...options }).connect();
  return platform.last.options;
}

describe("WebSocket client options", () => {
  it("websocket: true asks the transport for /mqtt on port 80, or 443 with TLS", () => {
    expect(transportFor({ websocket: true })).toEqual({ host: "broker.example", port: 80, websocket: { path: "/mqtt" } });
    expect(transportFor({ websocket: true, tls: true })).toMatchObject({ port: 443, tls: true, websocket: { path: "/mqtt" } });
  });

  it("passes a given path, query and headers through, and keeps an explicit port", () => {
    const headers = { Authorization: "Bearer token" };
    expect(transportFor({ websocket: { path: "/ws?x=1", headers }, port: 8080 })).toEqual({
      host: "broker.example", port: 8080, websocket: { path: "/ws?x=1", headers },
    });
  });

  it("leaves plain MQTT on 1883 / 8883 without websocket", () => {
    expect(transportFor({})).toEqual({ host: "broker.example", port: 1883 });
    expect(transportFor({ websocket: false, tls: true })).toEqual({ host: "broker.example", port: 8883, tls: true });
  });

  it("refuses a path that could break the request line, naming options.websocket.path", () => {
    for (const path of ["mqtt", "/a b", "/a\r\nHost: evil", "/caf\u00e9", ""]) {
      expect(() => transportFor({ websocket: { path } })).toThrow(MqttArgumentError);
      expect(() => transportFor({ websocket: { path } })).toThrow(/options\.websocket\.path/);
    }
  });

  it("refuses header names that are not tokens and values with line breaks, naming options.websocket.headers", () => {
    const bad: Record<string, string>[] = [{ "": "x" }, { "Bad Name": "x" }, { "X-A:": "x" }, { "X-Ok": "a\r\nInjected: 1" }];
    for (const headers of bad) {
      expect(() => transportFor({ websocket: { headers } })).toThrow(/options\.websocket\.headers/);
    }
  });

  it("passes ALPN names to the transport with the other TLS options", () => {
    expect(transportFor({ tls: { alpn: ["x-amzn-mqtt-ca"] } })).toMatchObject({ port: 8883, tls: { alpn: ["x-amzn-mqtt-ca"] } });
  });
});
