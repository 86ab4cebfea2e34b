// Deep sleep on an ESP32. The Moddable SDK (8.2.3) has no deep-sleep module for the ESP32 (its io System's
// deepSleep does nothing there), so targets/deep-sleep-esp32.c is a small native function of ours: a timer
// wake-up after `ms`, then esp_deep_sleep_start(). The chip restarts from reset when it wakes.

import type { PowerControl } from "mqtt5/app/ports";
import deepSleep from "mqtt5-target/deep-sleep-esp32";

export function createPower(): PowerControl {
  return { deepSleep };
}
