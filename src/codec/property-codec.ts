// Encoding and decoding of a property block (Property Length + properties), driven by PROPERTIES.
//
// Encoding measures first (propertiesLength validates every value and its placement) and writes second
// (writeProperties trusts what was measured). Decoding fills a PropertyStore that the decoder reuses for
// every packet, so a packet without properties costs nothing and one with properties allocates only the
// strings and views it carries.

import type { Properties } from "./properties";
import { MqttArgumentError, MqttError, malformed, protocolError } from "./errors";
import { TOPIC_ALIAS_INVALID } from "./reason-codes";
import { PROPERTIES, PROPERTY_BY_ID, WireType, presentProperties, type PropertyInfo } from "./property-table";
import type { Reader } from "./reader";
import { topicNameProblem } from "./topic";
import { varintLength, writeVarint } from "./varint";
import { binaryLength, checkRange, stringLength, writeBinary, writeString, writeU16, writeU32 } from "./writer";

const SUBSCRIBE_MASK = 1 << 8;
const RESPONSE_TOPIC = 0x08;

/** Bytes of the properties themselves (not the Property Length). Throws MqttArgumentError. */
export function propertiesLength(props: Properties | undefined, mask: number, where: string): number {
  if (props === undefined || props === null) return 0;
  let n = 0;
  for (let bits = presentProperties(props); bits !== 0; bits &= bits - 1) {
    const info = PROPERTIES[lowestBit(bits)];
    const value = info.get(props);
    if ((info.packets & mask) === 0) throw argumentError(info, where, "is not allowed here");
    n += valueLength(info, value, mask, where);
  }
  return n;
}

function valueLength(info: PropertyInfo, value: unknown, mask: number, where: string): number {
  switch (info.type) {
    case WireType.BYTE:
      checkValue(info, value, where);
      return 2;
    case WireType.TWO_BYTE:
      checkValue(info, value, where);
      return 3;
    case WireType.FOUR_BYTE:
      checkValue(info, value, where);
      return 5;
    case WireType.UTF8:
      if (typeof value !== "string") throw argumentError(info, where, "must be a string");
      if (info.id === RESPONSE_TOPIC && (value.length === 0 || topicNameProblem(value) !== null)) {
        throw argumentError(info, where, "must be a topic name without wildcards");
      }
      return 1 + stringLength(value, info.key);
    case WireType.BINARY:
      if (!(value instanceof Uint8Array)) throw argumentError(info, where, "must be a Uint8Array");
      return 1 + binaryLength(value, info.key);
    case WireType.VARINT:
      return subscriptionIdsLength(value, mask, info.key);
    default:
      return userPropertiesLength(value, info.key);
  }
}

// The argument name is built only when something is wrong, so valid properties allocate nothing (deeper
// checks name the property alone, e.g. "userProperties").
function argumentError(info: PropertyInfo, where: string, message: string): MqttArgumentError {
  return new MqttArgumentError(`${where}.${info.key}`, message);
}

function checkValue(info: PropertyInfo, v: unknown, where: string): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < info.min || v > info.max) {
    throw argumentError(info, where, `must be an integer from ${info.min} to ${info.max}`);
  }
}

function subscriptionIdsLength(value: unknown, mask: number, argument: string): number {
  if (!Array.isArray(value)) throw new MqttArgumentError(argument, "must be an array of numbers");
  if ((mask & SUBSCRIBE_MASK) !== 0 && value.length > 1) {
    throw new MqttArgumentError(argument, "SUBSCRIBE carries at most one subscription identifier");
  }
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    checkRange(value[i], 1, 268_435_455, argument);
    n += 1 + varintLength(value[i]);
  }
  return n;
}

function userPropertiesLength(value: unknown, argument: string): number {
  if (!Array.isArray(value)) throw new MqttArgumentError(argument, "must be an array of [name, value] pairs");
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const pair = value[i];
    if (!Array.isArray(pair) || pair.length !== 2) throw new MqttArgumentError(argument, "must hold [name, value] pairs");
    n += 1 + stringLength(pair[0], argument) + stringLength(pair[1], argument);
  }
  return n;
}

/** Writes Property Length `len` and the properties measured by propertiesLength. */
export function writeProperties(out: Uint8Array, pos: number, props: Properties | undefined, len: number): number {
  pos = writeVarint(out, pos, len);
  if (len === 0 || props === undefined) return pos;
  return writePropertyList(out, pos, props);
}

/** Writes the properties alone, without the Property Length before them. */
export function writePropertyList(out: Uint8Array, pos: number, props: Properties): number {
  for (let bits = presentProperties(props); bits !== 0; bits &= bits - 1) {
    const info = PROPERTIES[lowestBit(bits)];
    pos = writeValue(out, pos, info, info.get(props));
  }
  return pos;
}

/** Index of the lowest set bit (bits != 0). */
function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

function writeValue(out: Uint8Array, pos: number, info: PropertyInfo, value: unknown): number {
  // Repeatable properties write their identifier once per value, in their own cases below.
  if (!info.repeatable) out[pos++] = info.id;
  switch (info.type) {
    case WireType.BYTE:
      out[pos] = value as number;
      return pos + 1;
    case WireType.TWO_BYTE:
      return writeU16(out, pos, value as number);
    case WireType.FOUR_BYTE:
      return writeU32(out, pos, value as number);
    case WireType.UTF8:
      return writeString(out, pos, value as string);
    case WireType.BINARY:
      return writeBinary(out, pos, value as Uint8Array);
    case WireType.VARINT: {
      const ids = value as number[];
      for (let i = 0; i < ids.length; i++) {
        out[pos] = info.id;
        pos = writeVarint(out, pos + 1, ids[i]);
      }
      return pos;
    }
    default: {
      const pairs = value as [string, string][];
      for (let i = 0; i < pairs.length; i++) {
        out[pos] = info.id;
        pos = writeString(out, writeString(out, pos + 1, pairs[i][0]), pairs[i][1]);
      }
      return pos;
    }
  }
}

/** Bytes a property block takes on the wire, Property Length included. */
export function propertyBlockLength(propsLen: number): number {
  return varintLength(propsLen) + propsLen;
}

function emptyProperties(): Properties {
  // Every key present from the start keeps one object shape for the decoder's whole life.
  return {
    payloadFormatIndicator: undefined, messageExpiryInterval: undefined, contentType: undefined,
    responseTopic: undefined, correlationData: undefined, subscriptionIdentifiers: undefined,
    sessionExpiryInterval: undefined, assignedClientIdentifier: undefined, serverKeepAlive: undefined,
    authenticationMethod: undefined, authenticationData: undefined, requestProblemInformation: undefined,
    willDelayInterval: undefined, requestResponseInformation: undefined, responseInformation: undefined,
    serverReference: undefined, reasonString: undefined, receiveMaximum: undefined,
    topicAliasMaximum: undefined, topicAlias: undefined, maximumQoS: undefined, retainAvailable: undefined,
    userProperties: undefined, maximumPacketSize: undefined, wildcardSubscriptionAvailable: undefined,
    subscriptionIdentifierAvailable: undefined, sharedSubscriptionAvailable: undefined,
  };
}

/** A reusable Properties object for decoding; reset() clears only what the previous packet set. */
export class PropertyStore {
  readonly props: Properties = emptyProperties();
  /**
   * Reused array for subscriptionIdentifiers (inbound PUBLISH carries them often). It is overwritten in
   * place and its length changed only when the count changes: emptying and refilling it would free and
   * reallocate its storage on XS for every packet.
   */
  private readonly subscriptionIds: number[] = [];
  private subscriptionIdCount = 0;
  /** Bit i set: PROPERTIES[i] was read since the last reset. */
  private seen = 0;

  reset(): void {
    const seen = this.seen;
    if (seen === 0) return;
    for (let i = 0; i < PROPERTIES.length; i++) if ((seen & (1 << i)) !== 0) PROPERTIES[i].set(this.props, undefined);
    this.subscriptionIdCount = 0;
    this.seen = 0;
  }

  /**
   * Reads a property block at r.pos into this store (after reset). Returns the Properties, or undefined
   * when the block is empty. `mask` says which properties the packet may carry.
   */
  read(r: Reader, mask: number, field: string): Properties | undefined {
    this.reset();
    const len = r.varint(field);
    if (len === 0) return undefined;
    r.need(len, field);
    const packetEnd = r.end;
    r.end = r.pos + len; // every property read is bounded by the block, not just the packet
    while (r.pos < r.end) this.readOne(r, mask, field);
    r.end = packetEnd;
    const ids = this.subscriptionIds;
    if (this.subscriptionIdCount > 0 && ids.length !== this.subscriptionIdCount) ids.length = this.subscriptionIdCount;
    return this.props;
  }

  private readOne(r: Reader, mask: number, field: string): void {
    const id = r.varint(field);
    const info = id < PROPERTY_BY_ID.length ? PROPERTY_BY_ID[id] : undefined;
    if (info === undefined) throw malformed(field, `unknown property identifier 0x${id.toString(16)}`);
    if ((info.packets & mask) === 0) throw malformed(field, `property ${info.key} is not allowed in this packet`);
    const bit = 1 << info.index;
    if (!info.repeatable && (this.seen & bit) !== 0) {
      throw protocolError(field, `property ${info.key} is included more than once`);
    }
    this.seen |= bit;
    const props = this.props;
    switch (info.type) {
      case WireType.BYTE:
        info.set(props, checkDecoded(info, r.u8(field), field));
        return;
      case WireType.TWO_BYTE:
        info.set(props, checkDecoded(info, r.u16(field), field));
        return;
      case WireType.FOUR_BYTE:
        info.set(props, checkDecoded(info, r.u32(field), field));
        return;
      case WireType.UTF8:
        info.set(props, this.readString(r, info, field));
        return;
      case WireType.BINARY:
        info.set(props, r.binary(field));
        return;
      case WireType.VARINT:
        this.readSubscriptionId(r, mask, field);
        return;
      default:
        this.readUserProperty(r, field);
    }
  }

  private readString(r: Reader, info: PropertyInfo, field: string): string {
    const s = r.utf8(field);
    // A Response Topic is a topic name (3.3.2.3.5): no wildcards, not empty.
    if (info.id === RESPONSE_TOPIC && (s.length === 0 || topicNameProblem(s) !== null)) {
      throw malformed(field, "response topic is not a valid topic name");
    }
    return s;
  }

  private readSubscriptionId(r: Reader, mask: number, field: string): void {
    const id = r.varint(field);
    if (id === 0) throw protocolError(field, "subscription identifier 0");
    const ids = this.subscriptionIds;
    const count = this.subscriptionIdCount;
    if ((mask & SUBSCRIBE_MASK) !== 0 && count > 0) {
      throw protocolError(field, "SUBSCRIBE carries more than one subscription identifier");
    }
    if (count < ids.length) ids[count] = id;
    else ids.push(id);
    this.subscriptionIdCount = count + 1;
    this.props.subscriptionIdentifiers = ids;
  }

  private readUserProperty(r: Reader, field: string): void {
    const name = r.utf8(field);
    const value = r.utf8(field);
    const list = this.props.userProperties;
    if (list === undefined) this.props.userProperties = [[name, value]];
    else list.push([name, value]);
  }
}

function checkDecoded(info: PropertyInfo, v: number, field: string): number {
  // Topic Alias 0 has its own reason code (3.3.2.3.4).
  if (info.id === 0x23 && v === 0) throw new MqttError(TOPIC_ALIAS_INVALID, field, "topic alias 0");
  if (v < info.min || v > info.max) throw protocolError(field, `property ${info.key} has the invalid value ${v}`);
  return v;
}
