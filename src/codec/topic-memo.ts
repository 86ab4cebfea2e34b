// The encoder's memory of the last few topic names it validated and measured. A device publishes to the
// same few topics over and over (temperature, humidity, status...), and checking a topic (wildcards,
// U+0000, lone surrogates) and measuring its UTF-8 costs far more on XS than the rest of a PUBLISH (about
// 2,300 of 2,750 computrons to measure a 28-character topic). With a memo, a repeat costs a few string
// comparisons: the same string (as a device's constant topic is) compares by identity, an equal one
// natively. Strings are immutable, so a topic equal to a remembered one has its length and passed the
// same checks.
//
// Four entries, the oldest replaced first, in plain fields: on XS an array and a typed array would cost
// more heap than the entries themselves.

const EMPTY = "";

/**
 * The last four PUBLISH topics that passed validation, so encoding one of them again skips
 * validating and measuring it (give the same memo to encodedLength and encodePacket).
 */
export class TopicMemo {
  private topic0 = EMPTY;
  private topic1 = EMPTY;
  private topic2 = EMPTY;
  private topic3 = EMPTY;
  private length0 = 0;
  private length1 = 0;
  private length2 = 0;
  private length3 = 0;
  private next = 0;

  /** The UTF-8 byte length of a remembered topic, else -1 (also for "", which is never remembered). */
  utf8Length(topic: string): number {
    if (topic === EMPTY) return -1;
    if (topic === this.topic0) return this.length0;
    if (topic === this.topic1) return this.length1;
    if (topic === this.topic2) return this.length2;
    if (topic === this.topic3) return this.length3;
    return -1;
  }

  /** Remembers a non-empty topic that passed validation, with its UTF-8 byte length. */
  remember(topic: string, utf8Length: number): void {
    switch (this.next) {
      case 0: this.topic0 = topic; this.length0 = utf8Length; break;
      case 1: this.topic1 = topic; this.length1 = utf8Length; break;
      case 2: this.topic2 = topic; this.length2 = utf8Length; break;
      default: this.topic3 = topic; this.length3 = utf8Length;
    }
    this.next = (this.next + 1) & 3;
  }
}
