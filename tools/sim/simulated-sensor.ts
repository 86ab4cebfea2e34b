// A room thermometer: a slow random walk around a base temperature (drift) plus reading noise.
import type { Sensor } from "../../src/app/index";

export class SimulatedSensor implements Sensor {
  private drift = 0;

  constructor(private readonly base = 19 + Math.random() * 4, private readonly random: () => number = Math.random) {}

  read(): number {
    this.drift = Math.min(3, Math.max(-3, this.drift + (this.random() - 0.5) * 0.2));
    const noise = (this.random() - 0.5) * 0.1;
    return this.base + this.drift + noise;
  }
}
