// The public client surface. See "Client API" in docs/ARCHITECTURE.md.
export { MqttClient } from "./mqtt-client";
export type { MqttClientEvents, PublishOptions, SubscribeOptions } from "./mqtt-client";
export { AsyncMqttClient } from "./async-client";
export type { PublishOutcome, SubscribeOutcome } from "./async-client";
export type { MqttClientOptions, ReconnectBackoffOptions } from "./options";
export { MqttConnectionError } from "./errors";
export type { ConnectionErrorDetails } from "./errors";
export { MqttLimitError, MqttStateError } from "../engine/errors";
export { WebSocketHandshakeError, WebSocketHandshakeFailure } from "./websocket-error";
export type { WebSocketHandshakeFailureKind } from "./websocket-error";
export { Emitter } from "./emitter";
export type { Platform, Transport, TransportHandler, TransportOptions, TlsOptions, TimerHandle, WebSocketOptions } from "./transport";
export { Ecma419Client } from "./ecma419-client";
export type { Ecma419ClientOptions, Ecma419ControlMessage, Ecma419ReadableInfo, Ecma419Will, Ecma419WriteOptions } from "./ecma419-client";
