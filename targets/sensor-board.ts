// The sensor on ESP32 / ESP8266 boards: a TI TMP117 on the board's default I2C bus, through Moddable's
// ECMA-419 driver (embedded:sensor/Temperature/TMP117, SMBus from the host provider), when mc/config
// says sensor=tmp117; otherwise the simulated one.

import Temperature from "embedded:sensor/Temperature/TMP117";
import type { DeviceSettings } from "./settings";
import type { TemperatureSensor } from "./sensor-simulated";
import { SimulatedTemperature } from "./sensor-simulated";

class Tmp117Temperature implements TemperatureSensor {
  readonly #driver: { sample(): { temperature: number } };

  constructor() {
    const host = (globalThis as unknown as { device: BoardDevice }).device;
    this.#driver = new Temperature({ sensor: { ...host.I2C.default, io: host.io.SMBus } });
  }

  read(): number {
    return this.#driver.sample().temperature;
  }
}

interface BoardDevice {
  I2C: { default: Record<string, unknown> };
  io: { SMBus: unknown };
}

export function createSensor(settings: DeviceSettings): TemperatureSensor {
  if (settings.sensor === "tmp117") return new Tmp117Temperature();
  if (settings.sensor === "simulated") return new SimulatedTemperature();
  throw new RangeError(`sensor ${settings.sensor}: "tmp117" or "simulated"`);
}
