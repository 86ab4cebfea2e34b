// encodedLength / encodePacket: measure (validating everything), check the fit, then write. Nothing is
// written unless the whole packet fits, and nothing is allocated.

import type { Packet, ProtocolVersion } from "./packet";
import { MqttArgumentError } from "./errors";
import { ackLength, writeAck } from "./ack";
import { authLength, writeAuth } from "./auth";
import { checkVersion } from "./common";
import { connackLength, writeConnack } from "./connack";
import { connectLength, writeConnect } from "./connect";
import { disconnectLength, writeDisconnect } from "./disconnect";
import { pingLength } from "./ping";
import { publishFlags, publishLength, writePublish } from "./publish";
import { subackLength, writeSuback } from "./suback";
import { subscribeLength, writeSubscribe } from "./subscribe";
import { unsubackLength, writeUnsuback } from "./unsuback";
import { unsubscribeLength, writeUnsubscribe } from "./unsubscribe";
import { VARINT_MAX, varintLength, writeVarint } from "./varint";

/** Remaining Length of `packet`; validates it. */
function remainingLength(p: Packet, v: ProtocolVersion): number {
  switch (p.type) {
    case 1: return connectLength(p, v);
    case 2: return connackLength(p, v);
    case 3: return publishLength(p, v);
    case 4: case 5: case 6: case 7: return ackLength(p, v);
    case 8: return subscribeLength(p, v);
    case 9: return subackLength(p, v);
    case 10: return unsubscribeLength(p, v);
    case 11: return unsubackLength(p, v);
    case 12: case 13: return pingLength();
    case 14: return disconnectLength(p, v);
    case 15: return authLength(p, v);
    default: throw new MqttArgumentError("type", "is not an MQTT packet type");
  }
}

function writeBody(p: Packet, v: ProtocolVersion, out: Uint8Array, pos: number, rl: number): number {
  switch (p.type) {
    case 1: return writeConnect(p, v, out, pos);
    case 2: return writeConnack(p, v, out, pos);
    case 3: return writePublish(p, v, out, pos, rl);
    case 4: case 5: case 6: case 7: return writeAck(p, v, out, pos, rl);
    case 8: return writeSubscribe(p, v, out, pos);
    case 9: return writeSuback(p, v, out, pos);
    case 10: return writeUnsubscribe(p, v, out, pos);
    case 11: return writeUnsuback(p, v, out, pos);
    case 14: return writeDisconnect(p, v, out, pos, rl);
    case 15: return writeAuth(p, out, pos, rl);
    default: return pos; // PINGREQ, PINGRESP
  }
}

/** Fixed header byte 1: type and flags (PUBREL, SUBSCRIBE, UNSUBSCRIBE carry the reserved 0b0010). */
function firstByte(p: Packet): number {
  const t = p.type;
  if (t === 3) return 0x30 | publishFlags(p);
  return (t << 4) | (t === 6 || t === 8 || t === 10 ? 2 : 0);
}

function checkedRemainingLength(packet: Packet, version: ProtocolVersion): number {
  if (packet === null || typeof packet !== "object") throw new MqttArgumentError("packet", "must be an object");
  checkVersion(version);
  const rl = remainingLength(packet, version);
  if (rl > VARINT_MAX) throw new MqttArgumentError("packet", "is larger than MQTT allows (268,435,455 bytes remaining)");
  return rl;
}

/** Total bytes the packet needs on the wire. Throws MqttArgumentError when it cannot be encoded. */
export function encodedLength(packet: Packet, version: ProtocolVersion): number {
  const rl = checkedRemainingLength(packet, version);
  return 1 + varintLength(rl) + rl;
}

/**
 * Writes the packet at out[offset...] and returns its length, or 0 when it does not fit (out untouched).
 * Throws MqttArgumentError like encodedLength, before writing anything.
 */
export function encodePacket(packet: Packet, version: ProtocolVersion, out: Uint8Array, offset = 0): number {
  const rl = checkedRemainingLength(packet, version);
  const total = 1 + varintLength(rl) + rl;
  if (offset < 0 || offset + total > out.length) return 0;
  out[offset] = firstByte(packet);
  writeBody(packet, version, out, writeVarint(out, offset + 1, rl), rl);
  return total;
}
