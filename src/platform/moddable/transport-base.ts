// What both Moddable transports share: the connection ends exactly once, and onClose reaches the
// handler on a later turn (never inside a call the client made, such as close()).

import type { TransportHandler } from "../../client/transport";
import type { TransportContext } from "./ecma419-transport";

export abstract class TransportBase {
  protected readonly handler: TransportHandler;
  protected readonly context: TransportContext;
  protected closed = false;

  constructor(handler: TransportHandler, context: TransportContext) {
    this.handler = handler;
    this.context = context;
  }

  close(): void {
    this.finish(undefined);
  }

  /** Frees the socket (and resolver); called once, when the connection ends. */
  protected abstract release(): void;

  // Socket callbacks and constructors run outside the client's stack: an exception there would be lost in
  // the event loop, so it ends the connection instead. `step` is a method and its arguments are passed
  // along, so a socket event allocates nothing: a closure per event (guard(() => this.step(n))) cost 12
  // slots on XS.
  protected guard<A, B>(step: (a: A, b: B) => void, a: A, b: B): void {
    try {
      step.call(this, a, b);
    } catch (error) {
      this.finish(error instanceof Error ? error : new Error(String(error)));
    }
  }

  protected finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.release();
    } catch {
      // Closing an already failed socket may throw; the connection is over either way.
    }
    this.context.defer(() => this.handler.onClose(error));
  }
}
