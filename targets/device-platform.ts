// Builds the firmware's Platform and connection options from its settings: ECMA-419 TCP, TLS over it
// when tls=true (trusting the CA certificate resource named by `ca`), MQTT over WebSocket through the
// SDK's WebSocket client when websocket=true, and a DNS resolver over UDP for broker names.

import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import TLS from "embedded:io/socket/tcp/tls";
import Resolver from "embedded:network/dns/resolver/udp";
import WebSocketClient from "embedded:network/websocket/client";
import Resource from "Resource";
import type { TransportOptions } from "mqtt5/client/transport";
import { Ecma419Platform } from "mqtt5/platform/moddable/ecma419-platform";
import type { ResolverClass, StreamSocketClass, WebSocketClientClass } from "mqtt5/platform/moddable/socket-io";
import type { DeviceSettings } from "./settings";

export function createPlatform(settings: DeviceSettings): Ecma419Platform {
  // The SDK's typings describe these classes more loosely than the transports use them (write() is
  // typed void there, though it returns the room left), hence the casts to our structural types.
  return new Ecma419Platform({
    io: {
      TCP: TCP as unknown as StreamSocketClass,
      TLS: TLS as unknown as StreamSocketClass,
      dns: { io: Resolver as unknown as ResolverClass, servers: [settings.dns], socket: { io: UDP } },
      WebSocket: WebSocketClient as unknown as WebSocketClientClass,
    },
    receiveBufferSize: settings.bufferSize,
  });
}

export function brokerOptions(settings: DeviceSettings): TransportOptions {
  const options: TransportOptions = { host: settings.broker, port: settings.port };
  if (settings.tls) options.tls = settings.ca ? { ca: new Uint8Array(new Resource(settings.ca)) } : true;
  if (settings.websocket) options.websocket = { path: settings.path };
  return options;
}
