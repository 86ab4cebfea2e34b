// Everything the engine writes goes through here: packets are encoded whole into the fixed transmit buffer
// or not at all, acknowledgements and PINGREQ that find no room wait in the control queue (in order), and
// every write counts as "sent" for keepalive.

import { encodedLength, encodePacket } from "../codec/index";
import { MqttError } from "../codec/errors";
import type { Packet, ProtocolVersion } from "../codec/packet";
import { ControlQueue } from "./control-queue";
import type { EngineMemory } from "./engine-memory";
import type { Keepalive } from "./keepalive";
import { TransmitBuffer } from "./transmit-buffer";

export const PINGREQ = 12;
const PUBREL = 6;
const UNSPECIFIED_ERROR = 0x80;
// The longest ack we write: fixed header, remaining length, packet id, reason code (no properties).
const MAX_CONTROL_SIZE = 5;

export class Transmitter {
  readonly buffer: TransmitBuffer;
  version: ProtocolVersion = 5;
  /** The engine's latest `now`: stamped on writes for keepalive. */
  clock = 0;
  /** Acks waiting for room (read by the publish path: nothing may overtake them). */
  readonly control: ControlQueue;
  private readonly keepalive: Keepalive;

  static bytesFor(size: number, controlCapacity: number): number {
    return TransmitBuffer.bytesFor(size) + ControlQueue.bytesFor(controlCapacity);
  }

  constructor(memory: EngineMemory, size: number, controlCapacity: number, keepalive: Keepalive) {
    this.buffer = new TransmitBuffer(memory, size);
    this.control = new ControlQueue(memory, controlCapacity);
    this.keepalive = keepalive;
  }

  /** Control packets are waiting: anything else written now would overtake them. */
  controlWaiting(): boolean {
    return this.control.length > 0;
  }

  /** No room for one more queued control packet: the engine stops reading until the transport drains. */
  controlFull(): boolean {
    return this.control.full();
  }

  /** A new connection (or none): unsent bytes belong to the old one. */
  clear(): void {
    this.buffer.clear();
    this.control.clear();
  }

  /** `length` bytes were encoded at the reserved offset. */
  committed(length: number): void {
    this.buffer.end += length;
    this.keepalive.lastSent = this.clock;
  }

  /** Encodes a whole packet; false when it does not fit now (nothing is written then). */
  write(packet: Packet): boolean {
    const offset = this.buffer.reserve(encodedLength(packet, this.version));
    if (offset < 0) return false;
    this.committed(encodePacket(packet, this.version, this.buffer.bytes, offset));
    return true;
  }

  /**
   * PUBACK/PUBREC/PUBREL/PUBCOMP/PINGREQ: written now, or queued behind earlier ones. The engine reads a
   * packet only while the queue has room, and each packet read causes at most one ack, so an ack always
   * finds room (the CONNACK's PUBREL resends come first on an empty queue sized above maxInflight). A
   * PINGREQ that finds the queue full is dropped: the link is not draining, and the PINGRESP timeout decides.
   */
  writeControl(type: number, packetId: number, reasonCode: number): void {
    if (this.control.length === 0 && this.encodeControl(type, packetId, reasonCode)) return;
    if (type === PINGREQ && this.control.full()) return;
    if (!this.control.push(type, packetId, reasonCode)) {
      throw new MqttError(UNSPECIFIED_ERROR, "control queue", "acknowledgements backed up beyond every Receive Maximum");
    }
  }

  flushControl(): void {
    const q = this.control;
    while (q.length > 0 && this.encodeControl(q.peekType(), q.peekId(), q.peekReason())) q.shift();
  }

  // Acknowledgements and PINGREQ have fixed layouts: written byte by byte rather than through the encoder.
  // An MQTT 5 ack with reason 0 takes the short form, as the codec writes it.
  private encodeControl(type: number, packetId: number, reasonCode: number): boolean {
    const buffer = this.buffer;
    const offset = buffer.reserve(MAX_CONTROL_SIZE);
    if (offset < 0) return false;
    const out = buffer.bytes;
    if (type === PINGREQ) {
      out[offset] = PINGREQ << 4;
      out[offset + 1] = 0;
      this.committed(2);
      return true;
    }
    const withReason = this.version === 5 && reasonCode !== 0;
    out[offset] = (type << 4) | (type === PUBREL ? 2 : 0);
    out[offset + 1] = withReason ? 3 : 2;
    out[offset + 2] = packetId >> 8;
    out[offset + 3] = packetId & 0xff;
    if (withReason) out[offset + 4] = reasonCode;
    this.committed(withReason ? 5 : 4);
    return true;
  }
}
