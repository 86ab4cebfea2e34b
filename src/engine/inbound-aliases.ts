// Inbound topic aliases: the server binds alias -> topic with a PUBLISH that carries both, and later sends
// the alias with an empty topic. Bounded by the Topic Alias Maximum we announced; cleared per connection.

import { MqttError, protocolError } from "../codec/errors";

export const TOPIC_ALIAS_INVALID = 0x94;
// Compared through a constant: on XS a string literal in a comparison allocates a chunk on every run.
const EMPTY = "";

export class InboundAliases {
  // Only while we announce aliases (most connections announce none).
  private topics: (string | undefined)[] | undefined = undefined;

  /** A new connection announcing `maximum` aliases (allocated here, once per connection). */
  reset(maximum: number): void {
    if (maximum === 0) this.topics = undefined;
    else if (this.topics === undefined || this.topics.length !== maximum) this.topics = new Array<string | undefined>(maximum).fill(undefined);
    else this.topics.fill(undefined);
  }

  /** The topic a PUBLISH stands for; throws 0x94 for an alias out of range, 0x82 for an unknown one. */
  resolve(topic: string, alias: number | undefined): string {
    if (alias === undefined) {
      if (topic === EMPTY) throw protocolError("PUBLISH.topic", "empty topic without a topic alias");
      return topic;
    }
    const topics = this.topics;
    const maximum = topics === undefined ? 0 : topics.length;
    if (topics === undefined || alias < 1 || alias > maximum) {
      throw new MqttError(TOPIC_ALIAS_INVALID, "PUBLISH.topicAlias", `alias ${alias} outside 1..${maximum}`);
    }
    if (topic !== EMPTY) {
      topics[alias - 1] = topic;
      return topic;
    }
    const known = topics[alias - 1];
    if (known === undefined) throw protocolError("PUBLISH.topicAlias", `alias ${alias} was never set`);
    return known;
  }
}
