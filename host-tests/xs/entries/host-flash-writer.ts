// A device that only writes its session store, on the XS host's flash stand-in (tools/xs/host-flash.ts):
// host-flash.test.ts runs it with power cuts at chosen flash steps and reads the file back on Node.
// Globals: flashFile (path), records (how many to append). Prints "accepted <n>" once append() of record n
// returned and "removed <n>" once its removal did; "@done <bytes written> <erases>" at the end.
import { FlashSessionStore } from "../../../src/engine/flash-session-store";
import { RecordKind } from "../../../src/engine/session-store";
import { SdkFlashArea } from "../../../src/platform/moddable/sdk-flash-area";
import { XsHostFlash } from "../../../tools/xs/host-flash";
import { xsHost } from "../../../tools/xs/xs-globals";

declare const flashFile: string;
declare const records: number;

const print = xsHost().print;
const store = FlashSessionStore.open(new SdkFlashArea(new XsHostFlash(flashFile, 4 * 4096)), { records: 64 });
print(`opened ${store.count()} ${store.tornEntry}`);
let first = 1;
for (let h = store.first(); h >= 0; h = store.next(h)) first = store.token(h) + 1;
const bytes = new Uint8Array(90);
for (let n = first; n < first + records; n++) {
  bytes.fill(n & 0xff);
  store.append(RecordKind.PUBLISH, 1, n & 0xffff || 1, n, bytes, 0, bytes.length);
  print(`accepted ${n}`);
  if (n % 3 !== 0) {
    const token = store.token(store.first());
    store.remove(store.first());
    print(`removed ${token}`);
  }
}
print(`@done ${store.stats.bytesWritten} ${store.stats.erases}`);
