// INTERIM transport check (replaced by the src/app wiring when it lands): MQTT 5 CONNECT and PUBLISH
// hand-built, readings from the target's sensor, through the real platform and settings.
import config from "mc/config";
import { readSettings } from "mqtt5-target/settings";
import { createSensor } from "mqtt5-target/sensor";
import { brokerOptions, createPlatform } from "mqtt5-target/device-platform";

const settings = readSettings(config as Readonly<Record<string, unknown>>);
const sensor = createSensor(settings);
const platform = createPlatform(settings);
const utf8 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0)); // ASCII is enough here
function packet(first: number, parts: Uint8Array[]): Uint8Array {
  const body = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(2 + body);
  out[0] = first; out[1] = body;
  let i = 2;
  for (const p of parts) { out.set(p, i); i += p.length; }
  return out;
}
const str = (s: string) => { const b = utf8(s); return Uint8Array.of(b.length >> 8, b.length & 255, ...b); };
const connect = packet(0x10, [str("MQTT"), Uint8Array.of(5, 2, 0, 30, 0), str(settings.deviceId)]);
const transport = platform.connect(brokerOptions(settings), {
  onOpen() { trace("open\n"); transport.write(connect, 0, connect.length); },
  onData(bytes, start) {
    if (bytes[start] !== 0x20) return;
    trace("connack\n");
    platform.setTimer(0, function tick() {
      const json = utf8(JSON.stringify({ value: sensor.read(), unit: "C", timestamp: Date.now() }));
      const publish = packet(0x31, [str(`devices/${settings.deviceId}/sensors/temperature`), Uint8Array.of(0), json]);
      trace(`publish ${transport.write(publish, 0, publish.length)} bytes\n`);
      platform.setTimer(settings.interval, tick);
    });
  },
  onWritable() {},
  onClose(error) { trace(`closed ${error}\n`); },
});
