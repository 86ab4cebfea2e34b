// A request the server announced it would refuse (CONNACK limits) is refused here instead, before anything
// is written. It is an argument error: the app asked for something this connection cannot carry.

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
