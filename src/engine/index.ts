/**
 * The sans-IO session state machine: bytes, time and commands in; bytes, events and deadlines out.
 * @module mqtt5-xs/engine
 */
// The engine's public surface. See "Engine API" in docs/ARCHITECTURE.md.
export { Engine } from "./engine";
export { EngineState, PublishResult, LocalReason } from "./types";
export type { EngineConfig, ConnectOptions, EngineHandler, EngineStateValue, SessionLostPolicy } from "./types";
export type { Authenticator } from "./authenticator";
export { RecordKind } from "./session-store";
export type { SessionStore, StoredSubscription, RecordKindValue } from "./session-store";
export { MemorySessionStore } from "./memory-session-store";
export type { MemorySessionStoreOptions } from "./memory-session-store";
export { FlashSessionStore } from "./flash-session-store";
export type { FlashSessionStoreOptions, FlashStoreStats } from "./flash-session-store";
export type { FlashArea } from "./flash-area";
export { ReconnectBackoff } from "./backoff";
export type { BackoffOptions, RandomSource } from "./backoff";
export type { TransmitBuffer } from "./transmit-buffer";
export { EngineMemory } from "./engine-memory";
export { MqttLimitError, MqttStateError, SessionStoreError } from "./errors";
export type { SessionStoreErrorReason } from "./errors";
