// Inbound topic aliases: the server binds alias -> topic with a PUBLISH that carries both, and later sends
// the alias with an empty topic. Bounded by the Topic Alias Maximum we announced; cleared per connection.

import { MqttError, protocolError } from "../codec/errors";

export const TOPIC_ALIAS_INVALID = 0x94;
// Compared through a constant: on XS a string literal in a comparison allocates a chunk on every run.
const EMPTY = "";

export class InboundAliases {
  private topics: (string | undefined)[] = [];

  /** A new connection announcing `maximum` aliases (allocated here, once per connection). */
  reset(maximum: number): void {
    if (this.topics.length !== maximum) this.topics = new Array<string | undefined>(maximum);
    this.topics.fill(undefined);
  }

  /** The topic a PUBLISH stands for; throws 0x94 for an alias out of range, 0x82 for an unknown one. */
  resolve(topic: string, alias: number | undefined): string {
    if (alias === undefined) {
      if (topic === EMPTY) throw protocolError("PUBLISH.topic", "empty topic without a topic alias");
      return topic;
    }
    if (alias < 1 || alias > this.topics.length) {
      throw new MqttError(TOPIC_ALIAS_INVALID, "PUBLISH.topicAlias", `alias ${alias} outside 1..${this.topics.length}`);
    }
    if (topic !== EMPTY) {
      this.topics[alias - 1] = topic;
      return topic;
    }
    const known = this.topics[alias - 1];
    if (known === undefined) throw protocolError("PUBLISH.topicAlias", `alias ${alias} was never set`);
    return known;
  }
}
