// SUBSCRIBE and UNSUBSCRIBE packets waiting for their SUBACK/UNSUBACK: packet id -> token. A token of 0 marks
// an automatic resubscription, which the app does not hear about.

import type { Subscription } from "../codec/packet";

export const RequestKind = Object.freeze({ SUBSCRIBE: 1, UNSUBSCRIBE: 2 } as const);

export class PendingRequests {
  private readonly ids: Uint16Array;
  private readonly tokens: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly entries: Uint16Array;
  // The SUBSCRIBE's subscriptions (references, not copies), so refused ones can leave the session store.
  private readonly subscriptionLists: (readonly Subscription[] | undefined)[];
  private count = 0;

  constructor(capacity: number) {
    this.ids = new Uint16Array(capacity);
    this.tokens = new Int32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.entries = new Uint16Array(capacity);
    this.subscriptionLists = new Array<readonly Subscription[] | undefined>(capacity).fill(undefined);
  }

  get size(): number { return this.count; }
  full(): boolean { return this.count === this.ids.length; }

  /** `entries`: filters in the request, so the acknowledgement's reason codes can be checked against it. */
  add(kind: number, packetId: number, token: number, entries: number, subscriptions?: readonly Subscription[]): void {
    this.entries[this.count] = entries;
    this.subscriptionLists[this.count] = subscriptions;
    this.ids[this.count] = packetId;
    this.tokens[this.count] = token;
    this.kinds[this.count] = kind;
    this.count++;
  }

  /** Index of the request with this packet id and kind, or -1. */
  find(kind: number, packetId: number): number {
    for (let i = 0; i < this.count; i++) if (this.ids[i] === packetId && this.kinds[i] === kind) return i;
    return -1;
  }

  token(i: number): number { return this.tokens[i]; }
  entryCount(i: number): number { return this.entries[i]; }
  subscriptions(i: number): readonly Subscription[] | undefined { return this.subscriptionLists[i]; }
  kind(i: number): number { return this.kinds[i]; }
  packetId(i: number): number { return this.ids[i]; }

  removeAt(i: number): void {
    const last = --this.count;
    this.ids[i] = this.ids[last];
    this.tokens[i] = this.tokens[last];
    this.kinds[i] = this.kinds[last];
    this.entries[i] = this.entries[last];
    this.subscriptionLists[i] = this.subscriptionLists[last];
    this.subscriptionLists[last] = undefined;
  }
}
