// SUBSCRIBE (3.8): packet identifier, MQTT 5 properties, then at least one (topic filter, options) pair.
// Options: QoS in bits 0-1; MQTT 5 adds No Local (bit 2), Retain As Published (bit 3) and Retain Handling
// (bits 4-5). The other bits are reserved and must be 0.

import type { ProtocolVersion, QoS, SubscribePacket, Subscription } from "./packet";
import { MqttArgumentError, malformed, protocolError } from "./errors";
import { checkPacketId, readFilter, readIdAndProperties, writeIdAndProperties } from "./common";
import { propertiesLength, propertyBlockLength, type PropertyStore } from "./property-codec";
import type { Reader } from "./reader";
import { topicFilterProblem } from "./topic";
import { checkRange, stringLength, writeString } from "./writer";

const TYPE = 8;
const MASK = 1 << TYPE;

export function subscribeLength(p: SubscribePacket, v: ProtocolVersion): number {
  checkPacketId(p.packetId);
  const subs = p.subscriptions;
  if (!Array.isArray(subs) || subs.length === 0) throw new MqttArgumentError("subscriptions", "must not be empty");
  let n = 2;
  for (let i = 0; i < subs.length; i++) n += subscriptionLength(subs[i], v);
  if (v === 5) n += propertyBlockLength(propertiesLength(p.properties, MASK, "properties"));
  return n;
}

function subscriptionLength(s: Subscription, v: ProtocolVersion): number {
  const n = stringLength(s.filter, "subscriptions.filter");
  const problem = topicFilterProblem(s.filter);
  if (problem !== null) throw new MqttArgumentError("subscriptions.filter", problem);
  checkRange(s.qos, 0, 2, "subscriptions.qos");
  if (v === 5) {
    checkRange(s.retainHandling ?? 0, 0, 2, "subscriptions.retainHandling");
    if (s.noLocal && s.filter.startsWith("$share/")) {
      throw new MqttArgumentError("subscriptions.noLocal", "must be false for a shared subscription");
    }
  }
  return n + 1;
}

function options(s: Subscription, v: ProtocolVersion): number {
  if (v !== 5) return s.qos;
  return s.qos | (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | ((s.retainHandling ?? 0) << 4);
}

export function writeSubscribe(p: SubscribePacket, v: ProtocolVersion, out: Uint8Array, pos: number): number {
  pos = writeIdAndProperties(out, pos, p, TYPE, v);
  const subs = p.subscriptions;
  for (let i = 0; i < subs.length; i++) {
    pos = writeString(out, pos, subs[i].filter);
    out[pos++] = options(subs[i], v);
  }
  return pos;
}

/** Server side. target.subscriptions is reused (emptied first); its entries are new objects. */
export function decodeSubscribe(r: Reader, v: ProtocolVersion, target: SubscribePacket, store: PropertyStore): void {
  const subs = target.subscriptions;
  subs.length = 0;
  readIdAndProperties(r, v, target, store, TYPE, "SUBSCRIBE");
  while (r.remaining() > 0) subs.push(readSubscription(r, v));
}

function readSubscription(r: Reader, v: ProtocolVersion): Subscription {
  const filter = readFilter(r, "SUBSCRIBE.filter");
  const o = r.u8("SUBSCRIBE.options");
  const qos = o & 3;
  if (qos === 3) throw malformed("SUBSCRIBE.options", "QoS 3");
  if (v !== 5) {
    if ((o & 0xfc) !== 0) throw malformed("SUBSCRIBE.options", "reserved bits are set");
    return { filter, qos: qos as QoS };
  }
  if ((o & 0xc0) !== 0) throw malformed("SUBSCRIBE.options", "reserved bits are set");
  const retainHandling = (o >> 4) & 3;
  if (retainHandling === 3) throw protocolError("SUBSCRIBE.options", "retain handling 3");
  const noLocal = (o & 4) !== 0;
  if (noLocal && filter.startsWith("$share/")) throw protocolError("SUBSCRIBE.options", "no local on a shared subscription");
  return { filter, qos: qos as QoS, noLocal, retainAsPublished: (o & 8) !== 0, retainHandling: retainHandling as 0 | 1 | 2 };
}
