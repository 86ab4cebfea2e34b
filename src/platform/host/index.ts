// The Node platform adapter: the only place under src/ where Node APIs are used.
export { NodePlatform } from "./node-platform";
export { NodeTransport } from "./node-transport";
export { NodeWebSocketTransport } from "./node-websocket-transport";
export type { NodeTransportOptions } from "./node-transport";
export { nodeTlsOptions } from "./tls-options";
export { connect, connectAsync, parseBrokerUrl } from "./connect";
export type { BrokerUrl, NodeClientOptions } from "./connect";
export { FileFlashArea } from "./file-flash-area";
export type { FileFlashAreaOptions } from "./file-flash-area";
