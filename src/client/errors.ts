// Errors the client reports through its `error` event.

import type { ProtocolVersion } from "../codec/packet";
import { describeReason } from "../codec/reason-codes";

/** The server refused the connection (CONNACK) or ended it (DISCONNECT with a reason code of 0x80 or more).
 * The message names the reason as the specification does: "connection refused: 0x87 Not authorized". */
export class MqttConnectionError extends Error {
  /** MQTT 5 reason code, or the 3.1.1 CONNACK return code. */
  readonly reasonCode: number;
  /** The packet that carried the reason. */
  readonly packet: "CONNACK" | "DISCONNECT";
  /** The Server Reference the client goes to next, when the server named one it can use. */
  readonly serverReference: string | undefined;

  constructor(reasonCode: number, reasonString?: string, packet: "CONNACK" | "DISCONNECT" = "CONNACK", version: ProtocolVersion = 5, serverReference?: string) {
    const what = packet === "CONNACK" ? "connection refused" : "disconnected by the server";
    const reason = describeReason(reasonCode, packet === "CONNACK" ? 2 : 14, version);
    const text = reasonString === undefined ? "" : ` (${reasonString})`;
    super(`${what}: ${reason}${text}${serverReference === undefined ? "" : `; next server: ${serverReference}`}`);
    this.name = "MqttConnectionError";
    this.reasonCode = reasonCode;
    this.packet = packet;
    this.serverReference = serverReference;
  }
}
