// What the server announced in CONNACK, and the local refusals that follow from it: a request the server
// would refuse is refused here with an MqttLimitError and never sent. Immutable: each CONNACK makes new
// limits (or takes the shared defaults).

import type { QoS, Subscription } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttLimitError } from "./errors";

export class ServerLimits {
  readonly receiveMaximum: number;
  readonly maximumQoS: number;
  readonly retainAvailable: boolean;
  /** 0 = no limit announced. */
  readonly maximumPacketSize: number;
  readonly topicAliasMaximum: number;
  readonly wildcardAvailable: boolean;
  readonly subscriptionIdentifiersAvailable: boolean;
  readonly sharedAvailable: boolean;
  readonly serverKeepAlive: number;

  /** The limits a CONNACK with these properties announces; absent ones take the specification's defaults.
   * A CONNACK without properties (every one in MQTT 3.1.1) announces DEFAULT_LIMITS: use that one. */
  static of(p: Properties | undefined): ServerLimits {
    return p === undefined ? DEFAULT_LIMITS : new ServerLimits(p);
  }

  /** Prefer of(), which shares the defaults. */
  constructor(p: Properties | undefined) {
    this.receiveMaximum = p?.receiveMaximum ?? 65535;
    this.maximumQoS = p?.maximumQoS ?? 2;
    this.retainAvailable = (p?.retainAvailable ?? 1) === 1;
    this.maximumPacketSize = p?.maximumPacketSize ?? 0;
    this.topicAliasMaximum = p?.topicAliasMaximum ?? 0;
    this.wildcardAvailable = (p?.wildcardSubscriptionAvailable ?? 1) === 1;
    this.subscriptionIdentifiersAvailable = (p?.subscriptionIdentifierAvailable ?? 1) === 1;
    this.sharedAvailable = (p?.sharedSubscriptionAvailable ?? 1) === 1;
    this.serverKeepAlive = p?.serverKeepAlive ?? -1;
  }

  checkPublish(qos: QoS, retain: boolean): void {
    if (qos > this.maximumQoS) {
      throw new MqttLimitError("qos", "maximumQoS", `QoS ${qos} exceeds the server's Maximum QoS ${this.maximumQoS}`);
    }
    if (retain && !this.retainAvailable) {
      throw new MqttLimitError("retain", "retainAvailable", "the server does not support retained messages");
    }
  }

  fits(length: number): boolean {
    return this.maximumPacketSize === 0 || length <= this.maximumPacketSize;
  }

  checkPacketSize(length: number, what: string): void {
    if (!this.fits(length)) {
      throw new MqttLimitError(what, "maximumPacketSize", `${length} bytes exceed the server's Maximum Packet Size ${this.maximumPacketSize}`);
    }
  }

  checkSubscribe(subscriptions: readonly Subscription[], properties: Properties | undefined): void {
    if (properties?.subscriptionIdentifiers !== undefined && !this.subscriptionIdentifiersAvailable) {
      throw new MqttLimitError("properties.subscriptionIdentifiers", "subscriptionIdentifierAvailable", "the server does not support subscription identifiers");
    }
    for (const s of subscriptions) {
      const shared = s.filter.startsWith("$share/");
      if (shared && !this.sharedAvailable) {
        throw new MqttLimitError("filter", "sharedSubscriptionAvailable", `${s.filter}: the server does not support shared subscriptions`);
      }
      if (!this.wildcardAvailable && (s.filter.includes("+") || s.filter.includes("#"))) {
        throw new MqttLimitError("filter", "wildcardSubscriptionAvailable", `${s.filter}: the server does not support wildcard subscriptions`);
      }
    }
  }
}

/** What a server that announces nothing allows: one shared, frozen object (preloaded into flash on a device),
 * so an engine holds limits of its own only when its server announced some. */
export const DEFAULT_LIMITS: ServerLimits = frozenDefaults();

// Frozen whole: every field is a number or a boolean.
function frozenDefaults(): ServerLimits {
  return Object.freeze(new ServerLimits(undefined));
}
