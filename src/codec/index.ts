// The codec's public surface. See docs/ARCHITECTURE.md for the contract.
export * from "./packet";
export type { Properties } from "./properties";
export * from "./errors";
