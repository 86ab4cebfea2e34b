// NetworkStatus on Wi-Fi boards. Moddable's setup/network joins the network (ssid/password from
// mc/config) before main runs; this watches the ECMA-419 Wi-Fi interface afterwards so the app hears
// drops and returns. Without an ssid there is nothing to watch: the link counts as up.

import WiFi from "embedded:network/interface/wifi";
import type { NetworkStatus } from "mqtt5/app/ports";

const HAS_ADDRESS = 500;

export class WiFiStatus implements NetworkStatus {
  #up = true;
  #listeners: ((up: boolean) => void)[] = [];

  constructor(ssid: string) {
    if (!ssid) return;
    const wifi: WiFi = new WiFi({ onChanged: () => this.#update(wifi.connection >= HAS_ADDRESS) });
  }

  get up(): boolean {
    return this.#up;
  }

  onChange(listener: (up: boolean) => void): void {
    this.#listeners.push(listener);
  }

  #update(up: boolean): void {
    if (up === this.#up) return;
    this.#up = up;
    trace(`Wi-Fi ${up ? "up" : "down"}\n`);
    for (const listener of this.#listeners) listener(up);
  }
}

export function createNetworkStatus(ssid: string): NetworkStatus {
  return new WiFiStatus(ssid);
}
