// The device app's boot-time store opening: a store that cannot be read back is formatted, and said so.
import { describe, expect, it } from "vitest";
import { openFlashStore } from "../../src/app/index";
import { RecordKind } from "../../src/engine/index";
import { SdkFlashArea } from "../../src/platform/moddable/sdk-flash-area";
import { FakeSdkFlash } from "../support/fake-sdk-flash";

describe("openFlashStore", () => {
  it("opens what the area holds", () => {
    const flash = new FakeSdkFlash(2 * 4096);
    openFlashStore(new SdkFlashArea(flash), {}).append(RecordKind.QUEUED, 1, 0, 1, Uint8Array.of(1), 0, 1);
    expect(openFlashStore(new SdkFlashArea(flash.reopen()), {}).count()).toBe(1);
  });

  it("formats an area it cannot read back, after a line saying what is lost", () => {
    const flash = new FakeSdkFlash(2 * 4096);
    flash.bytes.fill(0, 300, 400);
    const lines: string[] = [];
    const store = openFlashStore(new SdkFlashArea(flash), {}, (line) => lines.push(line));
    expect(store.formatted).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^session store corrupt: .*formatting it, what it held is lost$/)]);
  });
});
