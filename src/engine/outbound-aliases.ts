// Outbound topic aliases, assigned automatically: each topic we publish gets an alias while there are free
// ones (within the server's Topic Alias Maximum); after that the least recently used alias is reassigned.
// A topic's first publish carries topic + alias; later ones an empty topic + alias. Cleared per connection.

export class OutboundAliases {
  // The tables exist only while aliases are in use: many servers grant none, and MQTT 3.1.1 has none.
  private topics: (string | undefined)[] | undefined = undefined;
  private lastUse: Uint32Array | undefined = undefined;
  private readonly capacity: number;
  /** Aliases in use on this connection: the server's Topic Alias Maximum or ours, whichever is less
   * (0: none). Read by the publish path, so a field rather than a getter. */
  limit = 0;
  private clock = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** A new connection: forget every alias and use at most `serverMaximum` of ours. */
  reset(serverMaximum: number): void {
    this.limit = Math.min(serverMaximum, this.capacity);
    this.clock = 0;
    if (this.limit === 0) {
      this.topics = this.lastUse = undefined;
      return;
    }
    this.topics = new Array<string | undefined>(this.limit).fill(undefined);
    this.lastUse = new Uint32Array(this.limit);
  }

  /** The alias already bound to `topic` (the server knows it), or 0. */
  known(topic: string): number {
    const topics = this.topics as (string | undefined)[];
    for (let i = 0; i < this.limit; i++) {
      if (topics[i] === topic) {
        (this.lastUse as Uint32Array)[i] = ++this.clock;
        return i + 1;
      }
    }
    return 0;
  }

  /** Binds `topic` to a free or the least recently used alias and returns it. Only when limit > 0. */
  assign(topic: string): number {
    const topics = this.topics as (string | undefined)[];
    const lastUse = this.lastUse as Uint32Array;
    let pick = 0;
    for (let i = 0; i < this.limit; i++) {
      if (topics[i] === undefined) {
        pick = i;
        break;
      }
      if (lastUse[i] < lastUse[pick]) pick = i;
    }
    topics[pick] = topic;
    lastUse[pick] = ++this.clock;
    return pick + 1;
  }
}
