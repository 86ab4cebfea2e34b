// Errors the client reports through its `error` event.

import type { ProtocolVersion } from "../codec/packet";
import { describeReason } from "../codec/reason-codes";

/** What an {@link MqttConnectionError} says beside its reason code: which packet carried it and where the client goes next. */
export interface ConnectionErrorDetails {
  /** The packet that carried the reason (default "CONNACK"). */
  packet?: "CONNACK" | "DISCONNECT";
  /** Names 3.1.1 / 3.1 CONNACK return codes by their own table (default 5). */
  version?: ProtocolVersion;
  reasonString?: string;
  /** The Server Reference entry the client goes to next. */
  serverReference?: string;
  /** Why a Server Reference the server sent is not followed, with the reference (for the message). */
  notFollowed?: string;
}

/** The server refused the connection (CONNACK) or ended it (DISCONNECT with a reason code of 0x80 or more).
 * The message names the reason as the specification does: "connection refused: 0x87 Not authorized". */
export class MqttConnectionError extends Error {
  /** MQTT 5 reason code, or the 3.1.1 / 3.1 CONNACK return code. */
  readonly reasonCode: number;
  /** The packet that carried the reason. */
  readonly packet: "CONNACK" | "DISCONNECT";
  /** The entry of the server's Server Reference that the client goes to next; undefined when none. */
  readonly serverReference: string | undefined;

  constructor(reasonCode: number, details: ConnectionErrorDetails = {}) {
    const packet = details.packet ?? "CONNACK";
    const what = packet === "CONNACK" ? "connection refused" : "disconnected by the server";
    let message = `${what}: ${describeReason(reasonCode, packet === "CONNACK" ? 2 : 14, details.version ?? 5)}`;
    if (details.reasonString !== undefined) message += ` (${details.reasonString})`;
    if (details.serverReference !== undefined) message += `; next server: ${details.serverReference}`;
    if (details.notFollowed !== undefined) message += `; ${details.notFollowed}`;
    super(message);
    this.name = "MqttConnectionError";
    this.reasonCode = reasonCode;
    this.packet = packet;
    this.serverReference = details.serverReference;
  }
}
