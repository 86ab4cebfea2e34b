// Promise conveniences over MqttClient, for code where a promise per call is fine (tools, tests, Node
// programs). The hot path stays MqttClient.publish(), which allocates nothing.

import type { Bytes, ConnackPacket } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttStateError } from "../engine/errors";
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

  /** Connects (if not yet) and resolves on the next successful CONNACK. Rejects on the first error before
   * it (a refused CONNACK, a transport that cannot connect) and then ends the client, so nothing keeps
   * reconnecting behind a promise that has already failed (as MQTT.js's connectAsync does). */
  connectAsync(): Promise<ConnackPacket> {
    return new Promise((resolve, reject) => {
      const onConnect = (connack: ConnackPacket) => {
        this.client.off("error", onError);
        resolve({ ...connack });
      };
      const onError = (error: Error) => {
        this.client.off("connect", onConnect);
        this.client.end();
        reject(error);
      };
      this.client.once("connect", onConnect);
      this.client.once("error", onError);
      try {
        this.client.connect();
      } catch (e) {
        this.client.off("connect", onConnect);
        this.client.off("error", onError);
        reject(e);
      }
    });
  }

  /** Resolves when the publish is done: at once for QoS 0 written now, at PUBACK/PUBCOMP otherwise. Rejects
   * with what publish() throws (MqttArgumentError, MqttStateError after end()) and with MqttStateError when
   * the outbound queue is full. */
  publishAsync(topic: string, payload: Bytes, options?: PublishOptions): Promise<PublishOutcome> {
    let token: number;
    try {
      token = this.client.publish(topic, payload, options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (token === 0) return Promise.resolve({ reasonCode: 0, properties: undefined });
    if (token < 0) return Promise.reject(new MqttStateError("publish", "the outbound queue is full"));
    return new Promise((resolve) => this.publishes.set(token, resolve));
  }

  /** Subscribes; resolves with the SUBACK's reason codes (>= 0x80: refused). */
  subscribeAsync(filters: string | readonly string[] | readonly Subscription[], options?: SubscribeOptions): Promise<SubscribeOutcome> {
    try {
      return this.request(this.client.subscribe(filters, options), "subscribe");
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Unsubscribes; resolves with the UNSUBACK's reason codes. */
  unsubscribeAsync(filters: string | readonly string[], properties?: Properties): Promise<SubscribeOutcome> {
    try {
      return this.request(this.client.unsubscribe(filters, properties), "unsubscribe");
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Disconnects and resolves once the transport is closed. */
  endAsync(reasonCode = 0, properties?: Properties): Promise<void> {
    return new Promise((resolve) => {
      this.client.once("end", resolve);
      this.client.end(reasonCode, properties);
    });
  }

  private request(token: number, what: string): Promise<SubscribeOutcome> {
    if (token < 0) return Promise.reject(new MqttStateError(what, "no room for another request now"));
    return new Promise((resolve) => this.requests.set(token, resolve));
  }
}
