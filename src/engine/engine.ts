// The sans-IO MQTT session engine. See "Engine API" in docs/ARCHITECTURE.md.
import type { Bytes, QoS, Subscription } from "../codec/packet";
import type { Properties } from "../codec/properties";
import type { ConnectOptions, EngineConfig, EngineHandler, EngineStateValue } from "./types";

export class Engine {
  constructor(handler: EngineHandler, config?: EngineConfig) {
    void handler;
    void config;
  }
  get state(): EngineStateValue { return 0; }
  get clientId(): string { return ""; }
  get serverReference(): string | undefined { return undefined; }
  get transmitBuffer(): Uint8Array { return new Uint8Array(0); }
  get pendingStart(): number { return 0; }
  get pendingEnd(): number { return 0; }
  pending(): number { return 0; }
  consumed(count: number): void { void count; }
  connect(options: ConnectOptions, now: number): void { void options; void now; }
  connectionOpened(now: number): void { void now; }
  receive(bytes: Uint8Array, start: number, end: number, now: number): void { void bytes; void start; void end; void now; }
  connectionClosed(now: number, error?: Error): void { void now; void error; }
  poll(now: number): number { void now; return -1; }
  publish(topic: string, payload: Bytes, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    void topic; void payload; void qos; void retain; void properties; void now; return -1;
  }
  publishWindow(topic: string, payload: Uint8Array, offset: number, length: number, qos: QoS, retain: boolean, properties?: Properties, now?: number): number {
    void topic; void payload; void offset; void length; void qos; void retain; void properties; void now; return -1;
  }
  subscribe(subscriptions: Subscription[], properties?: Properties, now?: number): number { void subscriptions; void properties; void now; return -1; }
  unsubscribe(filters: string[], properties?: Properties, now?: number): number { void filters; void properties; void now; return -1; }
  disconnect(reasonCode?: number, properties?: Properties, now?: number): void { void reasonCode; void properties; void now; }
  reauthenticate(now?: number): void { void now; }
}
