// What the server announced in CONNACK, and the local refusals that follow from it: a request the server
// would refuse is refused here with an MqttLimitError and never sent.

import type { QoS, Subscription } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttLimitError } from "./errors";

export class ServerLimits {
  receiveMaximum = 65535;
  maximumQoS = 2;
  retainAvailable = true;
  /** 0 = no limit announced. */
  maximumPacketSize = 0;
  topicAliasMaximum = 0;
  wildcardAvailable = true;
  subscriptionIdentifiersAvailable = true;
  sharedAvailable = true;
  serverKeepAlive = -1;

  /** Adopts CONNACK properties; absent ones take the specification's defaults. */
  adopt(p: Properties | undefined): void {
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
