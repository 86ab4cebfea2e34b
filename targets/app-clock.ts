// The app's clock on Moddable: Timer for delays, Date.now() for reading timestamps (set by SNTP in
// Moddable's setup/network on boards).

import type { AppClock } from "mqtt5/app/ports";
import { ModdableClock } from "mqtt5/platform/moddable/clock";

export class ModdableAppClock extends ModdableClock implements AppClock {
  epochMs(): number {
    return Date.now();
  }
}
