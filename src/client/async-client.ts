// Promise conveniences over MqttClient, for code where a promise per call is fine (tools, tests, Node
// programs). The hot path stays MqttClient.publish(), which allocates nothing.

import type { Bytes, ConnackPacket } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttArgumentError } from "../codec/errors";
import type { MqttClient, PublishOptions, SubscribeOptions } from "./mqtt-client";
import type { Subscription } from "../codec/packet";

/** What a finished request reports: reason code(s) and the ack's properties. */
export interface PublishOutcome {
  reasonCode: number;
  properties: Properties | undefined;
}

/** What a finished SUBSCRIBE or UNSUBSCRIBE reports: one reason code per filter, and the ack's properties. */
export interface SubscribeOutcome {
  reasonCodes: number[];
  properties: Properties | undefined;
}

type Settle<T> = (value: T) => void;

/**
 * Promise conveniences over an {@link MqttClient} (connectAsync() in the package root makes one).
 * The wrapped client stays available as `client` for events and the allocation-free publish().
 */
export class AsyncMqttClient {
  readonly client: MqttClient;
  private readonly publishes = new Map<number, Settle<PublishOutcome>>();
  private readonly requests = new Map<number, Settle<SubscribeOutcome>>();

  constructor(client: MqttClient) {
    this.client = client;
    client.on("publishDone", (token, reasonCode, properties) => {
      const settle = this.publishes.get(token);
      if (settle === undefined) return;
      this.publishes.delete(token);
      settle({ reasonCode, properties });
    });
    const done = (token: number, codes: readonly number[], properties: Properties | undefined) => {
      const settle = this.requests.get(token);
      if (settle === undefined) return;
      this.requests.delete(token);
      settle({ reasonCodes: codes.slice(), properties });
    };
    client.on("subscribed", done);
    client.on("unsubscribed", done);
  }

  /** Connects (if not yet) and resolves on the next successful CONNACK; rejects on the first error before it. */
  connectAsync(): Promise<ConnackPacket> {
    return new Promise((resolve, reject) => {
      const onConnect = (connack: ConnackPacket) => {
        this.client.off("error", onError);
        resolve({ ...connack });
      };
      const onError = (error: Error) => {
        this.client.off("connect", onConnect);
        reject(error);
      };
      this.client.once("connect", onConnect);
      this.client.once("error", onError);
      this.client.connect();
    });
  }

  /** Resolves when the publish is done: at once for QoS 0 written now, at PUBACK/PUBCOMP otherwise. */
  publishAsync(topic: string, payload: Bytes, options?: PublishOptions): Promise<PublishOutcome> {
    const token = this.client.publish(topic, payload, options);
    if (token === 0) return Promise.resolve({ reasonCode: 0, properties: undefined });
    if (token < 0) return Promise.reject(new MqttArgumentError("publish", "the outbound queue is full"));
    return new Promise((resolve) => this.publishes.set(token, resolve));
  }

  /** Subscribes; resolves with the SUBACK's reason codes (>= 0x80: refused). */
  subscribeAsync(filters: string | readonly string[] | readonly Subscription[], options?: SubscribeOptions): Promise<SubscribeOutcome> {
    return this.request(this.client.subscribe(filters, options), "subscribe");
  }

  /** Unsubscribes; resolves with the UNSUBACK's reason codes. */
  unsubscribeAsync(filters: string | readonly string[], properties?: Properties): Promise<SubscribeOutcome> {
    return this.request(this.client.unsubscribe(filters, properties), "unsubscribe");
  }

  /** Disconnects and resolves once the transport is closed. */
  endAsync(reasonCode = 0, properties?: Properties): Promise<void> {
    return new Promise((resolve) => {
      this.client.once("end", resolve);
      this.client.end(reasonCode, properties);
    });
  }

  private request(token: number, what: string): Promise<SubscribeOutcome> {
    if (token < 0) return Promise.reject(new MqttArgumentError(what, "no room for another request now"));
    return new Promise((resolve) => this.requests.set(token, resolve));
  }
}
