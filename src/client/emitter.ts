// A small typed event emitter of our own (Node's EventEmitter is not on devices).
//
// An event's one listener is kept as is, several in an array made for the second. emit() takes up to three
// fixed arguments instead of a rest parameter so that delivering an event allocates nothing.

type Listener = (a?: unknown, b?: unknown, c?: unknown) => void;

/**
 * A typed event emitter (Node's EventEmitter is not on devices); delivering an event allocates nothing.
 * @typeParam Events - maps each event name to its listener's signature.
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  // One listener per event is the common case: it is kept as is, and a list is made only for a second one
  // (on XS an array costs 2 slots and a chunk beside the function it holds).
  private readonly listeners: { [K in keyof Events]?: Listener | Listener[] } = {};

  /** Adds a listener for `event`. */
  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    const current = this.listeners[event];
    const added = listener as unknown as Listener;
    if (current === undefined) this.listeners[event] = added;
    else if (typeof current === "function") this.listeners[event] = [current, added];
    else current.push(added);
    return this;
  }

  /** Removes one registration of `listener` (the most recent). */
  off<K extends keyof Events>(event: K, listener: Events[K]): this {
    const current = this.listeners[event];
    const removed = listener as unknown as Listener;
    if (current === removed) {
      delete this.listeners[event];
    } else if (Array.isArray(current)) {
      const i = current.lastIndexOf(removed);
      // A copy, so that an emit in progress keeps iterating the array it started with.
      if (i >= 0) this.listeners[event] = current.slice(0, i).concat(current.slice(i + 1));
    }
    return this;
  }

  /** Adds a listener that is removed after its first call. */
  once<K extends keyof Events>(event: K, listener: Events[K]): this {
    const wrapper = ((a?: unknown, b?: unknown, c?: unknown) => {
      this.off(event, wrapper);
      (listener as unknown as Listener)(a, b, c);
    }) as unknown as Events[K];
    return this.on(event, wrapper);
  }

  /** How many listeners `event` has. */
  listenerCount<K extends keyof Events>(event: K): number {
    const current = this.listeners[event];
    return current === undefined ? 0 : typeof current === "function" ? 1 : current.length;
  }

  protected emit<K extends keyof Events>(event: K, a?: unknown, b?: unknown, c?: unknown): void {
    const current = this.listeners[event];
    if (current === undefined) return;
    if (typeof current === "function") return current(a, b, c);
    for (let i = 0; i < current.length; i++) current[i]!(a, b, c);
  }
}
