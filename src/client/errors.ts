// Errors the client reports through its `error` event.

/** The server refused the connection: CONNACK with this reason code (MQTT 5) or return code (3.1.1). */
export class MqttConnectionError extends Error {
  readonly reasonCode: number;

  constructor(reasonCode: number, reasonString?: string) {
    super(`connection refused: 0x${reasonCode.toString(16)}${reasonString === undefined ? "" : ` (${reasonString})`}`);
    this.name = "MqttConnectionError";
    this.reasonCode = reasonCode;
  }
}
