// Where a session's state lives, apart from the engine, so that it can outlive an engine instance (and,
// with a flash or file implementation, a reboot).
//
// Outbound messages form one ordered log of encoded packets. A record starts QUEUED (not sent yet, no
// packet id), becomes PUBLISH once written with a packet id (waiting for PUBACK/PUBREC), then PUBREL for
// QoS 2 (waiting for PUBCOMP), and is removed when acknowledged. Records keep their position when they
// change state, so a resumed session resends PUBLISHes and PUBRELs in their original order.
// The stored bytes are the PUBLISH as first encoded (full topic, no alias, DUP 0); the engine patches the
// packet id and DUP flag into its transmit copy.

import type { QoS, Subscription } from "../codec/packet";

/** States of an outbound record in a {@link SessionStore}. */
export const RecordKind = Object.freeze({
  /** Accepted, not written yet (offline, or waiting for the server's Receive Maximum). */
  QUEUED: 1,
  /** Written with a packet id; waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
  PUBLISH: 2,
  /** PUBREC received, PUBREL written; waiting for PUBCOMP. */
  PUBREL: 3,
} as const);
/** One of the numbers in {@link RecordKind}. */
export type RecordKindValue = (typeof RecordKind)[keyof typeof RecordKind];

/** A subscription the session remembers, made again when a reconnect finds no session. */
export interface StoredSubscription {
  readonly subscription: Subscription;
  /** 0 when the subscription was made without a Subscription Identifier. */
  readonly identifier: number;
}

/**
 * Where a session's state lives, apart from the engine, so that it can outlive an engine (or,
 * with a flash or file implementation, a reboot): the ordered log of outbound QoS 1/2 messages, the inbound
 * QoS 2 ids not yet released, and the subscriptions. {@link MemorySessionStore} keeps it in memory.
 */
export interface SessionStore {
  /** Appends a record holding bytes[start, end). Returns its handle (>= 0), or -1 when the store is full. */
  append(kind: RecordKindValue, qos: QoS, packetId: number, token: number, bytes: Uint8Array, start: number, end: number): number;
  /** Handle of the oldest record, or -1. */
  first(): number;
  /** Handle of the record after `handle` in order, or -1. */
  next(handle: number): number;
  /** The record's state. */
  kind(handle: number): RecordKindValue;
  /** The QoS of the record's message. */
  qos(handle: number): QoS;
  /** The packet id the record was written with (0 while queued). */
  packetId(handle: number): number;
  /** The token publish() returned for the message. */
  token(handle: number): number;
  /** Length of the record's encoded bytes. */
  byteLength(handle: number): number;
  /** Copies the record's bytes to out[offset...] (the caller made room). */
  copyTo(handle: number, out: Uint8Array, offset: number): void;
  /** Changes kind and packet id in place; the record keeps its position. */
  update(handle: number, kind: RecordKindValue, packetId: number): void;
  /** Removes the record (its message was acknowledged, expired or failed). */
  remove(handle: number): void;
  /** Number of outbound records. */
  count(): number;
  /** The record of this kind and QoS with this packet id (an acknowledgement's), or -1. */
  find(kind: RecordKindValue, qos: QoS, packetId: number): number;
  /** Optional, for a store whose records live in memory the engine can write (the memory store): the
   * buffer holding them, and where in it append() would put `length` bytes now (-1: they do not fit). The
   * engine encodes a PUBLISH there and appends it from there, so nothing is copied. */
  readonly buffer?: Uint8Array;
  /** Where in `buffer` append() would put `length` bytes now; -1 when they do not fit. */
  placement?(length: number): number;
  /** Optional, for a store that outlives the process (FlashSessionStore): the packet id the session assigned
   * last, so that an engine restored from it after a reboot hands out the ids that follow, not 1, 2, 3 again. */
  lastPacketId?(): number;

  /** Inbound QoS 2 packet ids received and not yet released (PUBREL). Returns false when full. */
  addInbound(packetId: number): boolean;
  /** True when this inbound QoS 2 id is held. */
  hasInbound(packetId: number): boolean;
  /** Releases an inbound QoS 2 id (PUBREL arrived). */
  removeInbound(packetId: number): void;
  /** Number of inbound QoS 2 ids held. */
  inboundCount(): number;
  /** The held inbound id at `index` (0 <= index < inboundCount()), in any order. */
  inboundId(index: number): number;
  /** Forgets the inbound ids only (the server has no session; queued outbound messages stay). */
  clearInbound(): void;

  /** Subscriptions to make again when the server lost the session. */
  putSubscription(subscription: Subscription, identifier: number): void;
  /** Forgets the subscription to `filter` (unsubscribed). */
  removeSubscription(filter: string): void;
  /** The remembered subscriptions. */
  subscriptions(): readonly StoredSubscription[];

  /** Forgets outbound records and inbound ids (clean start, or the server had no session). Subscriptions stay. */
  clearSession(): void;
}
