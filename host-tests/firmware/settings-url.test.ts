// The firmware's broker URL setting (mcconfig ... url=ws://host:port/path): the same schemes, default ports
// and default path as connect(url) on Node, parsed without a URL class (XS has none).
import { describe, expect, it } from "vitest";
import { readSettings } from "../../targets/settings";

const broker = (url: string) => {
  const s = readSettings({ url });
  return { broker: s.broker, port: s.port, tls: s.tls, websocket: s.websocket, path: s.path };
};

describe("firmware url setting", () => {
  it("reads ws:// and wss:// with the /mqtt default path and ports 80 / 443", () => {
    expect(broker("ws://192.168.1.10")).toEqual({ broker: "192.168.1.10", port: 80, tls: false, websocket: true, path: "/mqtt" });
    expect(broker("wss://broker.example:8443/ws?token=1")).toEqual({ broker: "broker.example", port: 8443, tls: true, websocket: true, path: "/ws?token=1" });
    expect(broker("ws://broker.example:9001?x=1").path).toBe("/?x=1");
  });

  it("reads mqtt:// and mqtts:// with ports 1883 / 8883", () => {
    expect(broker("mqtt://10.0.0.2")).toMatchObject({ broker: "10.0.0.2", port: 1883, tls: false, websocket: false });
    expect(broker("mqtts://[fd00::1]")).toMatchObject({ broker: "fd00::1", port: 8883, tls: true, websocket: false });
  });

  it("wins over the separate broker settings, which apply without it", () => {
    expect(readSettings({ url: "ws://a.example", broker: "b.example", port: 1 }).broker).toBe("a.example");
    expect(readSettings({ broker: "b.example", port: 1884, websocket: "true" })).toMatchObject({ broker: "b.example", port: 1884, websocket: true, path: "/mqtt" });
  });

  it("refuses another scheme or a port out of range, naming the setting", () => {
    for (const url of ["http://x", "ws://", "ws://x:70000", "x"]) expect(() => readSettings({ url })).toThrow(/mc\/config url/);
  });
});
