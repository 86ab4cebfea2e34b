// The public client surface. See "Client API" in docs/ARCHITECTURE.md.
export { MqttClient } from "./mqtt-client";
export type { MqttClientEvents, PublishOptions, SubscribeOptions } from "./mqtt-client";
export { AsyncMqttClient } from "./async-client";
export type { PublishOutcome, SubscribeOutcome } from "./async-client";
export type { MqttClientOptions, ReconnectBackoffOptions } from "./options";
export { MqttConnectionError } from "./errors";
export { Emitter } from "./emitter";
export type { Platform, Transport, TransportHandler, TransportOptions, TlsOptions, TimerHandle } from "./transport";
