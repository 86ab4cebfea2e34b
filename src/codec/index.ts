/**
 * MQTT 5.0 and 3.1.1 packets to bytes and back: `encodePacket`, `encodedLength`, `PacketDecoder`, topics, reason codes.
 * @module mqtt5-xs/codec
 */
// The codec's public surface. See docs/ARCHITECTURE.md for the contract.
export * from "./packet";
export type { Properties } from "./properties";
export * from "./errors";
export { encodedLength, encodePacket } from "./encoder";
export { TopicMemo } from "./topic-memo";
export { PacketDecoder, type PacketDecoderOptions } from "./decoder";
export { payloadView } from "./publish";
export { topicMatches, validateTopicFilter, validateTopicName, topicFilterProblem, topicNameProblem } from "./topic";
export * from "./reason-codes";
export { utf8Length, writeUtf8, decodeUtf8 } from "./utf8";
export { PROPERTIES, WireType, type PropertyInfo, type WireTypeNumber } from "./property-table";
