/**
 * The Node client: `connect`, `connectAsync`, `MqttClient`, `AsyncMqttClient`, the errors and the types.
 * @module mqtt5-xs
 */
// The package root (`import { connect } from "mqtt5-xs"`): what a Node program needs, the client over
// Node's net/tls sockets. The codec and the engine alone are the package's subpaths "mqtt5-xs/codec" and
// "mqtt5-xs/engine"; the Moddable platform is "mqtt5-xs/moddable" (see package.json "exports").
export { connect, connectAsync } from "./connect";
export type { NodeClientOptions } from "./connect";
export { NodePlatform, NodeTransport, FileFlashArea } from "./index";
export type { NodeTransportOptions, FileFlashAreaOptions } from "./index";
export * from "../../client/index";
export { MqttError, MqttArgumentError } from "../../codec/errors";
export { MqttLimitError, SessionStoreError } from "../../engine/errors";
export type { SessionStoreErrorReason } from "../../engine/errors";
export { reasonName } from "../../codec/reason-codes";
export type { Bytes, ConnackPacket, ProtocolVersion, PublishPacket, QoS, Subscription, Will } from "../../codec/packet";
export type { Properties } from "../../codec/properties";
export { LocalReason, PublishResult, MemorySessionStore, FlashSessionStore } from "../../engine/index";
export type { Authenticator, EngineConfig, MemorySessionStoreOptions, FlashSessionStoreOptions, FlashStoreStats, FlashArea, SessionLostPolicy, SessionStore } from "../../engine/index";
