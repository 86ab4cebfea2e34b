// Builds the CONNECT for one connection attempt from the app's options and what the engine announces
// (its Receive Maximum, Maximum Packet Size and Topic Alias Maximum are bounded by its own buffers).

import type { ConnectPacket, ProtocolVersion } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { ConnectOptions } from "./types";

export interface Announced {
  receiveMaximum: number;
  maximumPacketSize: number;
  topicAliasMaximum: number;
}

export function buildConnect(
  options: ConnectOptions,
  version: ProtocolVersion,
  clientId: string,
  cleanStart: boolean,
  announced: Announced,
): ConnectPacket {
  const packet: ConnectPacket = {
    type: 1,
    protocolVersion: version,
    clientId,
    cleanStart,
    keepAlive: options.keepAlive ?? 60,
  };
  if (options.username !== undefined) packet.username = options.username;
  if (options.password !== undefined) packet.password = options.password;
  if (options.will !== undefined) packet.will = options.will;
  if (version === 5) packet.properties = connectProperties(options, announced);
  return packet;
}

function connectProperties(options: ConnectOptions, announced: Announced): Properties {
  const properties: Properties = { ...options.properties };
  properties.receiveMaximum = announced.receiveMaximum;
  properties.maximumPacketSize = announced.maximumPacketSize;
  if (announced.topicAliasMaximum > 0) properties.topicAliasMaximum = announced.topicAliasMaximum;
  else delete properties.topicAliasMaximum;
  const auth = options.authenticator;
  if (auth !== undefined) {
    properties.authenticationMethod = auth.method;
    const data = auth.initialData(false);
    if (data !== undefined) properties.authenticationData = data;
  }
  return properties;
}
