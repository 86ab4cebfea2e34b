// A small typed event emitter of our own (Node's EventEmitter is not on devices).
//
// Listeners live in one array per event, created on first `on`. emit() takes up to three fixed arguments
// instead of a rest parameter so that delivering an event allocates nothing.

type Listener = (a?: unknown, b?: unknown, c?: unknown) => void;

/**
 * A typed event emitter (Node's EventEmitter is not on devices); delivering an event allocates nothing.
 * @typeParam Events - maps each event name to its listener's signature.
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly listeners: { [K in keyof Events]?: Listener[] } = {};

  /** Calls `listener` on every `event`. */
  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    const list = this.listeners[event];
    if (list === undefined) this.listeners[event] = [listener as unknown as Listener];
    else list.push(listener as unknown as Listener);
    return this;
  }

  /** Removes one registration of `listener` (the most recent). */
  off<K extends keyof Events>(event: K, listener: Events[K]): this {
    const list = this.listeners[event];
    if (list === undefined) return this;
    const i = list.lastIndexOf(listener as unknown as Listener);
    // A copy, so that an emit in progress keeps iterating the array it started with.
    if (i >= 0) this.listeners[event] = list.slice(0, i).concat(list.slice(i + 1));
    return this;
  }

  /** Calls `listener` on the next `event` only. */
  once<K extends keyof Events>(event: K, listener: Events[K]): this {
    const wrapper = ((a?: unknown, b?: unknown, c?: unknown) => {
      this.off(event, wrapper);
      (listener as unknown as Listener)(a, b, c);
    }) as unknown as Events[K];
    return this.on(event, wrapper);
  }

  /** How many listeners `event` has. */
  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners[event]?.length ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, a?: unknown, b?: unknown, c?: unknown): void {
    const list = this.listeners[event];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) list[i]!(a, b, c);
  }
}
