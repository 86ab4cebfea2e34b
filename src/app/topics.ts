// Topic names the device uses; one place so the firmware, the simulator and their subscribers agree.

export function temperatureTopic(deviceId: string): string {
  return `devices/${deviceId}/sensors/temperature`;
}

/** "online" / "offline", retained; "offline" is also the will. */
export function statusTopic(deviceId: string): string {
  return `devices/${deviceId}/status`;
}
