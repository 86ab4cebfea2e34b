// The client's own emitter: registration order, once, off during an emit, listener counts.
import { describe, expect, it } from "vitest";
import { Emitter } from "../../src/client/index";

interface Events {
  tick: (n: number, s: string) => void;
}

class Source extends Emitter<Events> {
  fire(n: number, s: string): void {
    this.emit("tick", n, s);
  }
}

describe("Emitter", () => {
  it("calls listeners in registration order with the emitted arguments", () => {
    const src = new Source();
    const seen: string[] = [];
    src.on("tick", (n, s) => seen.push(`a${n}${s}`)).on("tick", (n, s) => seen.push(`b${n}${s}`));
    src.fire(1, "x");
    expect(seen).toEqual(["a1x", "b1x"]);
  });

  it("once listeners run a single time", () => {
    const src = new Source();
    let count = 0;
    src.once("tick", () => count++);
    src.fire(1, "");
    src.fire(2, "");
    expect(count).toBe(1);
    expect(src.listenerCount("tick")).toBe(0);
  });

  it("a listener removed during an emit still lets the others of that emit run", () => {
    const src = new Source();
    const seen: string[] = [];
    const second = () => seen.push("second");
    src.on("tick", () => {
      seen.push("first");
      src.off("tick", second);
    });
    src.on("tick", second);
    src.fire(1, "");
    src.fire(2, "");
    expect(seen).toEqual(["first", "second", "first"]);
  });
});
