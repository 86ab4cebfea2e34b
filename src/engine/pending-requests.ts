// SUBSCRIBE and UNSUBSCRIBE packets waiting for their SUBACK/UNSUBACK: packet id -> token. A token of 0 marks
// an automatic resubscription, which the app does not hear about.

import type { Subscription } from "../codec/packet";

export const RequestKind = Object.freeze({ SUBSCRIBE: 1, UNSUBSCRIBE: 2 } as const);

// Per request, in one Int32Array: packet id, token, kind, filters in the request.
const ID = 0;
const TOKEN = 1;
const KIND = 2;
const ENTRIES = 3;
const FIELDS = 4;

export class PendingRequests {
  private readonly table: Int32Array;
  // The SUBSCRIBE's subscriptions (references, not copies), so refused ones can leave the session store.
  private readonly subscriptionLists: (readonly Subscription[] | undefined)[];
  private count = 0;

  constructor(capacity: number) {
    this.table = new Int32Array(FIELDS * capacity);
    this.subscriptionLists = new Array<readonly Subscription[] | undefined>(capacity).fill(undefined);
  }

  get size(): number { return this.count; }
  full(): boolean { return this.count === this.subscriptionLists.length; }

  /** `entries`: filters in the request, so the acknowledgement's reason codes can be checked against it. */
  add(kind: number, packetId: number, token: number, entries: number, subscriptions?: readonly Subscription[]): void {
    const at = this.count * FIELDS;
    this.table[at + ID] = packetId;
    this.table[at + TOKEN] = token;
    this.table[at + KIND] = kind;
    this.table[at + ENTRIES] = entries;
    this.subscriptionLists[this.count] = subscriptions;
    this.count++;
  }

  /** Index of the request with this packet id and kind, or -1. */
  find(kind: number, packetId: number): number {
    for (let i = 0; i < this.count; i++) {
      if (this.table[i * FIELDS + ID] === packetId && this.table[i * FIELDS + KIND] === kind) return i;
    }
    return -1;
  }

  token(i: number): number { return this.table[i * FIELDS + TOKEN]; }
  entryCount(i: number): number { return this.table[i * FIELDS + ENTRIES]; }
  subscriptions(i: number): readonly Subscription[] | undefined { return this.subscriptionLists[i]; }
  kind(i: number): number { return this.table[i * FIELDS + KIND]; }
  packetId(i: number): number { return this.table[i * FIELDS + ID]; }

  removeAt(i: number): void {
    const last = --this.count;
    this.table.copyWithin(i * FIELDS, last * FIELDS, last * FIELDS + FIELDS);
    this.subscriptionLists[i] = this.subscriptionLists[last];
    this.subscriptionLists[last] = undefined;
  }
}
