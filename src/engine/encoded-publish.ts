// Reading and patching, in place, a PUBLISH our encoder wrote (a record copied from the session store into the
// transmit buffer): its packet id and DUP flag for a resend, its Message Expiry Interval for a queued publish.
// These walk the fixed header and the topic the way the encoder laid them out; nothing is decoded.
import { writeU32 } from "../codec/writer";

/** Position right after the topic name of the encoded PUBLISH at bytes[offset...]. */
function afterTopic(bytes: Uint8Array, offset: number): number {
  let p = offset + 1;
  while ((bytes[p++] & 0x80) !== 0); // the remaining length
  return p + 2 + ((bytes[p] << 8) | bytes[p + 1]);
}

/** Sets the packet id of the PUBLISH at out[offset...] (QoS > 0), and DUP when it is a resend. */
export function patchPublish(out: Uint8Array, offset: number, packetId: number, dup: boolean): void {
  const qos = (out[offset] >> 1) & 3;
  if (dup) out[offset] |= 0x08;
  if (qos === 0) return;
  const idAt = afterTopic(out, offset);
  out[idAt] = packetId >> 8;
  out[idAt + 1] = packetId & 0xff;
}

/**
 * Offset of the 4-byte Message Expiry Interval inside an encoded MQTT 5 PUBLISH at bytes[offset...], or -1.
 * Our encoder writes properties in ascending identifier order, so the interval (0x02) can only follow the
 * Payload Format Indicator (0x01, one byte) at the start of the property block.
 */
export function messageExpiryOffset(bytes: Uint8Array, offset: number): number {
  const qos = (bytes[offset] >> 1) & 3;
  let p = afterTopic(bytes, offset);
  if (qos > 0) p += 2;
  let propertyLength = 0;
  let shift = 0;
  let digit: number;
  do {
    digit = bytes[p++];
    propertyLength += (digit & 0x7f) << shift;
    shift += 7;
  } while ((digit & 0x80) !== 0);
  const end = p + propertyLength;
  if (p < end && bytes[p] === 0x01) p += 2;
  return p + 5 <= end && bytes[p] === 0x02 ? p + 1 : -1;
}

/** Takes `seconds` off the Message Expiry Interval at bytes[at...]; false when nothing is left (then unchanged). */
export function countDownInterval(bytes: Uint8Array, at: number, seconds: number): boolean {
  const interval = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  if (seconds >= interval) return false;
  writeU32(bytes, at, interval - seconds);
  return true;
}
