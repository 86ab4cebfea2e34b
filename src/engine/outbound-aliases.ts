// Outbound topic aliases, assigned automatically: each topic we publish gets an alias while there are free
// ones (within the server's Topic Alias Maximum); after that the least recently used alias is reassigned.
// A topic's first publish carries topic + alias; later ones an empty topic + alias. Cleared per connection.

export class OutboundAliases {
  private readonly topics: (string | undefined)[];
  private readonly lastUse: Uint32Array;
  /** Aliases in use on this connection: the server's Topic Alias Maximum or ours, whichever is less
   * (0: none). Read by the publish path, so a field rather than a getter. */
  limit = 0;
  private clock = 0;

  constructor(capacity: number) {
    this.topics = new Array<string | undefined>(capacity).fill(undefined);
    this.lastUse = new Uint32Array(capacity);
  }

  /** A new connection: forget every alias and use at most `serverMaximum` of ours. */
  reset(serverMaximum: number): void {
    this.limit = Math.min(serverMaximum, this.topics.length);
    this.topics.fill(undefined);
    this.clock = 0;
  }

  /** The alias already bound to `topic` (the server knows it), or 0. */
  known(topic: string): number {
    for (let i = 0; i < this.limit; i++) {
      if (this.topics[i] === topic) {
        this.lastUse[i] = ++this.clock;
        return i + 1;
      }
    }
    return 0;
  }

  /** Binds `topic` to a free or the least recently used alias and returns it. Only when limit > 0. */
  assign(topic: string): number {
    let pick = 0;
    for (let i = 0; i < this.limit; i++) {
      if (this.topics[i] === undefined) {
        pick = i;
        break;
      }
      if (this.lastUse[i] < this.lastUse[pick]) pick = i;
    }
    this.topics[pick] = topic;
    this.lastUse[pick] = ++this.clock;
    return pick + 1;
  }

  /** Unbinds an alias just assigned whose PUBLISH went out without it: the server never learnt the binding. */
  forget(alias: number): void {
    this.topics[alias - 1] = undefined;
    this.lastUse[alias - 1] = 0;
  }
}
