// A simulated temperature sensor for boards without one and for the lin simulator: a slow random
// walk around 21 °C with a little noise, so successive readings look like a room's.

import type { DeviceSettings } from "./settings";

export interface TemperatureSensor {
  /** Degrees Celsius. */
  read(): number;
}

export class SimulatedTemperature implements TemperatureSensor {
  #drift = 0;

  read(): number {
    this.#drift = clamp(this.#drift + (Math.random() - 0.5) * 0.2, -3, 3);
    const noise = (Math.random() - 0.5) * 0.1;
    return Math.round((21 + this.#drift + noise) * 100) / 100;
  }
}

export function createSensor(settings: DeviceSettings): TemperatureSensor {
  if (settings.sensor !== "simulated") throw new RangeError(`sensor ${settings.sensor}: this target has only "simulated"`);
  return new SimulatedTemperature();
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
