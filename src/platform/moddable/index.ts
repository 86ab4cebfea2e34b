/**
 * The Moddable platform: ECMA-419 sockets (TCP, TLS, DNS) or the legacy socket modules, with Moddable's
 * clock and timer. In a Moddable app: `mqtt5/platform/moddable/index`.
 * @module mqtt5-xs/moddable
 */
// The Moddable platform adapters: ECMA-419 sockets (TCP, TLS, DNS) or the legacy socket modules,
// with Moddable's clock and timer.
export { Ecma419Platform } from "./ecma419-platform";
export type { ModdablePlatformOptions } from "./ecma419-platform";
export { LegacySocketPlatform } from "./legacy-platform";
export { Ecma419Transport } from "./ecma419-transport";
export type { Ecma419Io, TransportContext } from "./ecma419-transport";
export { LegacySocketTransport } from "./legacy-transport";
export { Ecma419WebSocketTransport } from "./websocket-transport";
export type { LegacyIo } from "./legacy-transport";
export type { StreamSocket, StreamSocketClass, StreamSocketOptions, Resolver, ResolverClass, LegacySocket, LegacySocketClass, WebSocketClient, WebSocketClientClass, WebSocketClientOptions, WebSocketReadableInfo } from "./socket-io";
export { SdkFlashArea } from "./sdk-flash-area";
export type { SdkFlash, SdkFlashAreaOptions } from "./sdk-flash-area";
