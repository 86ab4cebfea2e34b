// The session store's flash on ESP32 and ESP8266: the SDK's `flash` module (modules/files/flash) over the
// partition named "storage": on an ESP8266 the area Moddable keeps for a file system (~3 MB on a 4 MB board;
// the firmware uses no file system), on an ESP32 the 64 KB data partition that targets/esp32/manifest.json has
// mcconfig make. The store takes its first storeBlocks 4 KB blocks.

import Flash from "flash";
import type { FlashArea } from "mqtt5/engine/flash-area";
import { SdkFlashArea, type SdkFlash } from "mqtt5/platform/moddable/sdk-flash-area";
import type { DeviceSettings } from "./settings";

export function createFlashArea(settings: DeviceSettings): FlashArea {
  // The SDK's typings type read() as ArrayBuffer | HostBuffer, which our structural type takes as ArrayBufferLike.
  return new SdkFlashArea(new Flash("storage") as unknown as SdkFlash, { blocks: settings.storeBlocks });
}
