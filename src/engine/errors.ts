// Errors of calls the engine (or the client above it) refuses before anything is written.
//
// - MqttLimitError: a request the server announced it would refuse (CONNACK limits). It is an argument
//   error: the app asked for something this connection cannot carry.
// - MqttStateError: a call the current state does not allow (subscribe with no connection at the engine,
//   publish after the client ended, a full waiting list). The same call succeeds in another state.

import { MqttArgumentError } from "../codec/errors";

/** The server's CONNACK limits (Maximum QoS, Retain Available, Maximum Packet Size, ...) refuse the request. */
export class MqttLimitError extends MqttArgumentError {
  /** The CONNACK property (or local limit) that refuses it, e.g. "maximumQoS", "maximumPacketSize". */
  readonly limit: string;

  constructor(argument: string, limit: string, message: string) {
    super(argument, message);
    this.name = "MqttLimitError";
    this.limit = limit;
  }
}

/** A call the client's or engine's state does not allow now: publish after end(), subscribe with no connection
 * in the engine, a full list of waiting requests. Distinct from MqttArgumentError: the arguments were fine. */
export class MqttStateError extends Error {
  /** The call refused, for example "publish" or "subscribe". */
  readonly operation: string;

  constructor(operation: string, message: string) {
    super(`${operation}: ${message}`);
    this.name = "MqttStateError";
    this.operation = operation;
  }
}

/** Why a persistent session store cannot go on, in {@link SessionStoreError}. */
export type SessionStoreErrorReason =
  /** What it holds cannot be read back, beyond a torn last entry (which is dropped silently): opening would lose state. */
  | "corrupt"
  /** It holds more records or inbound ids than it was opened with room for. */
  | "too-small"
  /** Nothing more fits, even after compaction (a subscription larger than the area allows). */
  | "full";

/** A persistent session store (FlashSessionStore) that cannot open, or cannot take more, without losing state. */
export class SessionStoreError extends Error {
  readonly reason: SessionStoreErrorReason;
  /** Byte offset in the flash area where the problem was found, or -1. */
  readonly offset: number;

  constructor(reason: SessionStoreErrorReason, message: string, offset = -1) {
    super(`session store ${reason}: ${message}`);
    this.name = "SessionStoreError";
    this.reason = reason;
    this.offset = offset;
  }
}
