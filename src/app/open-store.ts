// Opening the device's session store at boot. A store that cannot be read back is a SessionStoreError
// (FlashSessionStore.open says so instead of opening without part of its state); a device has nobody to ask,
// so it says what it loses and starts over with an empty store rather than not run at all.
import { SessionStoreError } from "../engine/errors";
import type { FlashArea } from "../engine/flash-area";
import { FlashSessionStore, type FlashSessionStoreOptions } from "../engine/flash-session-store";

/** Opens the session store kept in `area`; formats it when it cannot be read back ("corrupt", or it holds more
 * than `options` make room for), after one `log` line saying so. Other errors (a failing flash) propagate. */
export function openFlashStore(area: FlashArea, options: FlashSessionStoreOptions, log?: (line: string) => void): FlashSessionStore {
  try {
    return FlashSessionStore.open(area, options);
  } catch (e) {
    if (!(e instanceof SessionStoreError)) throw e;
    log?.(`${e.message}: formatting it, what it held is lost`);
    return FlashSessionStore.format(area, options);
  }
}
