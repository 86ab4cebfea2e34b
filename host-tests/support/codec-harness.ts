// Drives the codec the way a connection does, with the checks every codec test wants: encodedLength
// agrees with encodePacket, and the receive loop makes progress on every feed() call.

import { encodedLength, encodePacket, MqttError, PacketDecoder } from "../../src/codec/index";
import type { Packet, ProtocolVersion } from "../../src/codec/index";
import { normalForm, type NormalFormOptions } from "./normal-form";

/** Encodes `p` into a fresh array of exactly encodedLength bytes; throws if the two disagree. */
export function encodeToBytes(p: Packet, version: ProtocolVersion): Uint8Array {
  const length = encodedLength(p, version);
  const out = new Uint8Array(length);
  const written = encodePacket(p, version, out, 0);
  if (written !== length) throw new Error(`encodePacket wrote ${written} bytes, encodedLength said ${length}`);
  return out;
}

export interface DecodeOutcome {
  /** Normal forms of the packets decoded, in order (taken at once: the decoder reuses its objects). */
  packets: Record<string, unknown>[];
  /** The MqttError that stopped decoding, if any. */
  error?: MqttError;
  /** Bytes consumed before the end or the error. */
  consumed: number;
  /** The protocol version the decoder ended with (a CONNECT sets it). */
  version: ProtocolVersion;
}

export interface DecodeOptions extends NormalFormOptions {
  /** Lengths of consecutive fragments; the rest of the input goes in one last fragment. */
  fragments?: readonly number[];
  /** Receive buffer capacity; defaults to the input length (enough for any packet in it). */
  bufferSize?: number;
  /** Byte the receive buffer starts filled with (stale bytes a correct decoder never looks at). */
  bufferFill?: number;
  maximumPacketSize?: number;
  /** Called with each decoded packet before the next feed(), while it is still valid. */
  onPacket?: (p: Packet, version: ProtocolVersion) => void;
  /** A decoder to reuse (for tests that check state carried over); a new one otherwise. */
  decoder?: PacketDecoder;
}

/**
 * Feeds src[start, end) to a decoder the way a receive loop does, fragment by fragment. Asserts that each
 * feed() takes at least one byte and no more than it was given, so a decoder that stalls or runs past its
 * input fails here instead of hanging the test. Exceptions other than MqttError propagate.
 */
export function decodeStream(
  src: Uint8Array,
  version: ProtocolVersion,
  options: DecodeOptions = {},
  start = 0,
  end = src.length,
): DecodeOutcome {
  const decoder =
    options.decoder ??
    new PacketDecoder({
      buffer: new Uint8Array(options.bufferSize ?? Math.max(end - start, 1)).fill(options.bufferFill ?? 0),
      version,
      maximumPacketSize: options.maximumPacketSize,
    });
  const outcome: DecodeOutcome = { packets: [], consumed: 0, version };
  const cuts = fragmentEnds(start, end, options.fragments ?? []);
  let i = start;
  try {
    for (const fragmentEnd of cuts) {
      while (i < fragmentEnd) {
        const taken = decoder.feed(src, i, fragmentEnd);
        if (!(taken >= 1 && taken <= fragmentEnd - i)) {
          throw new Error(`feed(${i}, ${fragmentEnd}) returned ${taken}: no progress or past the input`);
        }
        i += taken;
        const packet = decoder.packet;
        if (packet) {
          outcome.packets.push(normalForm(packet, decoder.version, options));
          options.onPacket?.(packet, decoder.version);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof MqttError)) throw e;
    outcome.error = e;
  }
  outcome.consumed = i - start;
  outcome.version = decoder.version;
  return outcome;
}

function fragmentEnds(start: number, end: number, fragments: readonly number[]): number[] {
  const ends: number[] = [];
  let at = start;
  for (const length of fragments) {
    if (at >= end) break;
    at = Math.min(end, at + Math.max(1, length));
    ends.push(at);
  }
  if (at < end) ends.push(end);
  return ends;
}

/** The parts one after another in a new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
