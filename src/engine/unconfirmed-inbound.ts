// Inbound QoS 2 ids the server has not confirmed since a session resumed. We hold an id from our PUBREC until
// the server's PUBREL; a server resuming the session must send that PUBREL again (or the PUBLISH, if our PUBREC
// was lost) before anything new. A server that lost the exchange instead (mosquitto after a restart can replay a
// finished QoS 2 PUBLISH and forget it again when the link drops) never will, and each such id stays held
// forever: once the inbound store is full, no new QoS 2 message can be accepted and the session stalls with the
// connection up. So at CONNACK with a session the held ids are noted here; a PUBREL or a resent PUBLISH for one
// confirms it; and when the store is full, the ids still unconfirmed are forgotten to make room. Forgetting is
// safe for delivery (the message went to the app when it first came); a duplicate could only follow if the
// server sent that PUBLISH again later, out of the order the specification requires.
import type { SessionStore } from "./session-store";

export class UnconfirmedInbound {
  private readonly ids: Uint16Array;
  private count = 0;

  constructor(capacity: number) {
    this.ids = new Uint16Array(capacity);
  }

  /** The session resumed: every id held now waits for the server's confirmation (up to our capacity). */
  noteHeld(store: SessionStore): void {
    const n = store.inboundCount();
    this.count = 0;
    for (let i = 0; i < n && this.count < this.ids.length; i++) this.ids[this.count++] = store.inboundId(i);
  }

  /** The server sent a PUBREL or the PUBLISH again for `packetId`: it knows the exchange. */
  confirm(packetId: number): void {
    for (let i = 0; i < this.count; i++) {
      if (this.ids[i] !== packetId) continue;
      this.ids[i] = this.ids[--this.count];
      return;
    }
  }

  /** Removes the unconfirmed ids from the store; returns how many it held. */
  forget(store: SessionStore): number {
    let forgotten = 0;
    for (let i = 0; i < this.count; i++) {
      if (!store.hasInbound(this.ids[i])) continue;
      store.removeInbound(this.ids[i]);
      forgotten++;
    }
    this.count = 0;
    return forgotten;
  }

  clear(): void {
    this.count = 0;
  }
}
