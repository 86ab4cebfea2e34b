// Inbound QoS 2 ids the server has not confirmed across resumed sessions. We hold an id from our PUBREC until
// the server's PUBREL; a server resuming the session must send that PUBREL again (or the PUBLISH, if our PUBREC
// was lost). A server that lost the exchange (mosquitto after a restart can replay a finished QoS 2 PUBLISH and
// forget it again when the link drops) never will, and each such id stays held forever: once the inbound store
// is full, no new QoS 2 message can be accepted and the session stalls with the connection up.
// So at each CONNACK with a session, every held id's count of resumes without a confirmation goes up; a PUBREL
// or a resent PUBLISH for it resets it. When the store is full, ids left unconfirmed through STALE_AFTER
// resumed sessions are forgotten to make room. Not sooner: mosquitto can resend a held id several short
// connections later (seen 6 in the soak), and forgetting it first would deliver that resend twice. Forgetting
// a stale id loses nothing (its message reached the app when it first came).
import type { SessionStore } from "./session-store";

/** Resumed sessions an id may stay unconfirmed before it counts as forgotten by the server. */
export const STALE_AFTER = 16;

export class UnconfirmedInbound {
  private ids: Uint16Array;
  private resumes: Uint8Array;
  // The previous list while noteHeld() builds the next one: both preallocated, swapped.
  private spareIds: Uint16Array;
  private spareResumes: Uint8Array;
  private count = 0;

  constructor(capacity: number) {
    this.ids = new Uint16Array(capacity);
    this.resumes = new Uint8Array(capacity);
    this.spareIds = new Uint16Array(capacity);
    this.spareResumes = new Uint8Array(capacity);
  }

  /** The session resumed: each held id has waited one more resume without confirmation (up to our capacity). */
  noteHeld(store: SessionStore): void {
    const oldIds = this.ids;
    const oldResumes = this.resumes;
    const oldCount = this.count;
    this.ids = this.spareIds;
    this.resumes = this.spareResumes;
    this.spareIds = oldIds;
    this.spareResumes = oldResumes;
    this.count = 0;
    const n = store.inboundCount();
    for (let i = 0; i < n && this.count < this.ids.length; i++) {
      const id = store.inboundId(i);
      let resumes = 1;
      for (let k = 0; k < oldCount; k++) if (oldIds[k] === id) resumes = Math.min(255, oldResumes[k] + 1);
      this.ids[this.count] = id;
      this.resumes[this.count++] = resumes;
    }
  }

  /** The server sent a PUBREL or the PUBLISH again for `packetId`: it knows the exchange. */
  confirm(packetId: number): void {
    for (let i = 0; i < this.count; i++) {
      if (this.ids[i] !== packetId) continue;
      this.count--;
      this.ids[i] = this.ids[this.count];
      this.resumes[i] = this.resumes[this.count];
      return;
    }
  }

  /** Removes from the store the ids unconfirmed through STALE_AFTER resumes; returns how many it held. */
  forgetStale(store: SessionStore): number {
    let forgotten = 0;
    let i = 0;
    while (i < this.count) {
      if (this.resumes[i] < STALE_AFTER) { i++; continue; }
      if (store.hasInbound(this.ids[i])) {
        store.removeInbound(this.ids[i]);
        forgotten++;
      }
      this.count--;
      this.ids[i] = this.ids[this.count];
      this.resumes[i] = this.resumes[this.count];
    }
    return forgotten;
  }

  /** Ids followed. */
  get size(): number {
    return this.count;
  }
}
