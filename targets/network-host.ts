// NetworkStatus in Moddable's desktop simulator: the host's network, which the simulator does not
// report on; it counts as up, and the MQTT session's reconnects cover a broker that goes away.

import type { NetworkStatus } from "mqtt5/app/ports";

export function createNetworkStatus(_ssid: string): NetworkStatus {
  return { up: true, onChange: () => {} };
}
