// The client follows a Server Reference in the forms brokers send, keeps its transport's security, and says
// in the disconnect and error events which entry it chose (issue 13, item 4).
import { describe, expect, it } from "vitest";
import { MqttClient, MqttConnectionError } from "../../src/client/index";
import type { MqttClientOptions } from "../../src/client/index";
import { FakePlatform } from "./fake-platform";

function connectedClient(options: Partial<MqttClientOptions> = {}) {
  const platform = new FakePlatform();
  const client = new MqttClient({ platform, host: "first.test", clientId: "c", reconnectPeriod: 60_000, ...options });
  const errors: Error[] = [];
  const disconnects: unknown[][] = [];
  client.on("error", (e) => errors.push(e));
  client.on("disconnect", (code, _props, next) => disconnects.push([code, next]));
  client.connect();
  platform.last.handler.onOpen();
  platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0 });
  return { platform, client, errors, disconnects };
}

function serverMoved(t: ReturnType<typeof connectedClient>, reference: string): void {
  t.platform.last.deliver({ type: 14, reasonCode: 0x9d, properties: { serverReference: reference } });
  t.platform.advance(0);
}

describe("following a Server Reference", () => {
  it("follows a URL form at once: mqtt://host:port", () => {
    const t = connectedClient();
    serverMoved(t, "mqtt://other.test:1884");
    expect(t.platform.transports).toHaveLength(2);
    expect(t.platform.last.options).toEqual({ host: "other.test", port: 1884 });
  });

  it("follows the first usable entry of a list and names it in the disconnect and error events", () => {
    const t = connectedClient();
    serverMoved(t, "ws://a.test/mqtt mqtts://b.test tcp://c.test d.test");
    expect(t.platform.last.options).toEqual({ host: "c.test", port: 1883 });
    expect(t.disconnects).toEqual([[0x9d, "tcp://c.test"]]);
    expect(t.errors[0]).toBeInstanceOf(MqttConnectionError);
    expect((t.errors[0] as MqttConnectionError).serverReference).toBe("tcp://c.test");
    expect(t.errors[0]!.message).toBe("disconnected by the server: 0x9d Server moved; next server: tcp://c.test");
  });

  it("over WebSocket takes only WebSocket entries, with their path (or the current one when they name none)", () => {
    const t = connectedClient({ websocket: { path: "/mqtt" }, port: 9001 });
    serverMoved(t, "mqtt://tcp.test ws://ws.test:9002/alt");
    expect(t.platform.last.options).toEqual({ host: "ws.test", port: 9002, websocket: { path: "/alt" } });
    expect(t.disconnects).toEqual([[0x9d, "ws://ws.test:9002/alt"]]);
    const bare = connectedClient({ websocket: { path: "/mqtt" }, port: 9001 });
    serverMoved(bare, "other.test");
    expect(bare.platform.last.options).toEqual({ host: "other.test", port: 9001, websocket: { path: "/mqtt" } });
  });

  it("keeps TLS: from mqtts it takes only TLS entries, with the same TLS options", () => {
    const tls = { rejectUnauthorized: true };
    const t = connectedClient({ tls });
    serverMoved(t, "mqtt://plain.test mqtts://safe.test:8884");
    expect(t.platform.last.options).toEqual({ host: "safe.test", port: 8884, tls });
  });

  it("drops a TLS server name given for the first host when it moves to another", () => {
    const t = connectedClient({ tls: { servername: "first.test", ca: "pem" } });
    serverMoved(t, "mqtts://safe.test");
    expect(t.platform.last.options).toEqual({ host: "safe.test", port: 8883, tls: { ca: "pem" } });
  });

  it("does not follow a reference it cannot use, and says so", () => {
    const t = connectedClient({ tls: true });
    serverMoved(t, "mqtt://plain.test");
    expect(t.platform.transports).toHaveLength(1); // waits out the reconnect delay, for the same server
    expect(t.disconnects).toEqual([[0x9d, undefined]]);
    expect(t.errors[0]!.message).toBe('disconnected by the server: 0x9d Server moved; Server Reference "mqtt://plain.test" not followed: no entry usable from this transport');
    t.platform.advance(60_000);
    expect(t.platform.last.options).toMatchObject({ host: "first.test", port: 8883 });
  });

  it("follows a CONNACK 0x9C (use another server) and names the entry in the error", () => {
    const platform = new FakePlatform();
    const client = new MqttClient({ platform, host: "first.test", clientId: "c", reconnectPeriod: 60_000 });
    const errors: MqttConnectionError[] = [];
    client.on("error", (e) => errors.push(e as MqttConnectionError));
    client.connect();
    platform.last.handler.onOpen();
    platform.last.deliver({ type: 2, sessionPresent: false, reasonCode: 0x9c, properties: { serverReference: "[::1]:1999" } });
    platform.advance(0);
    expect(platform.last.options).toEqual({ host: "::1", port: 1999 });
    expect(errors[0]!.message).toBe("connection refused: 0x9c Use another server; next server: [::1]:1999");
  });

  it("reports a reference but does not follow it when followServerReference is false", () => {
    const t = connectedClient({ followServerReference: false });
    serverMoved(t, "other.test");
    expect(t.platform.transports).toHaveLength(1);
    expect(t.errors[0]!.message).toBe('disconnected by the server: 0x9d Server moved; Server Reference "other.test" not followed: followServerReference is false');
  });
});
