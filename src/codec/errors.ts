// Typed errors. Two kinds, because they call for different reactions:
//
// - MqttError: bytes from the network break the protocol. It carries the MQTT 5 reason code the client
//   sends in its DISCONNECT before closing (0x81 Malformed Packet, 0x82 Protocol Error, 0x94 Topic Alias
//   invalid, 0x95 Packet too large, ...) and names the field at fault.
// - MqttArgumentError: the app passed something the protocol cannot carry. Thrown before anything is
//   written; names the argument.

/** 0x81 Malformed Packet (CONNACK, DISCONNECT). */
export const MALFORMED_PACKET = 0x81;
/** 0x82 Protocol Error (CONNACK, DISCONNECT). */
export const PROTOCOL_ERROR = 0x82;
/** 0x95 Packet too large (CONNACK, DISCONNECT). */
export const PACKET_TOO_LARGE = 0x95;

/** Bytes from the network broke the protocol; the connection is closed with {@link MqttError.reasonCode}. */
export class MqttError extends Error {
  /** MQTT 5 reason code to send in DISCONNECT. */
  readonly reasonCode: number;
  /** The packet field at fault, for example "PUBLISH.topic" or "remaining length". */
  readonly field: string;

  constructor(reasonCode: number, field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "MqttError";
    this.reasonCode = reasonCode;
    this.field = field;
  }
}

/** The application passed something the protocol cannot carry; nothing was written. */
export class MqttArgumentError extends TypeError {
  /** The argument at fault, for example "topic" or "options.qos". */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = "MqttArgumentError";
    this.argument = argument;
  }
}

/** An {@link MqttError} with 0x81 Malformed Packet. */
export function malformed(field: string, message: string): MqttError {
  return new MqttError(MALFORMED_PACKET, field, message);
}

/** An {@link MqttError} with 0x82 Protocol Error. */
export function protocolError(field: string, message: string): MqttError {
  return new MqttError(PROTOCOL_ERROR, field, message);
}
