// Subscribe and unsubscribe requests made while the client has no connection (before the first CONNACK, or
// between connections): kept in order, at most WAITING_LIMIT of them, and sent once a CONNACK arrives. An
// API convenience that MQTT.js users expect; the engine itself takes requests only when connected. The
// client makes this list on the first request that has to wait.

import { encodedLength } from "../codec/index";
import type { ProtocolVersion, Subscription } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { MqttStateError } from "../engine/errors";
import type { Engine } from "../engine/index";

/** As many as the engine has room for in its table of requests awaiting SUBACK/UNSUBACK. */
export const WAITING_LIMIT = 8;
const UNSPECIFIED_ERROR = 0x80;

interface Waiting {
  token: number;
  /** A SUBSCRIBE's subscriptions, or an UNSUBSCRIBE's filters. */
  subscriptions: Subscription[] | undefined;
  filters: string[] | undefined;
  properties: Properties | undefined;
}

/** How a request that will never go out is reported (the client emits subscribed/unsubscribed). */
export interface RequestOutcome {
  requestFailed(token: number, subscribe: boolean, codes: readonly number[], error: Error | undefined): void;
}

export class WaitingRequests {
  private readonly items: Waiting[] = [];
  private readonly outcome: RequestOutcome;

  constructor(outcome: RequestOutcome) {
    this.outcome = outcome;
  }

  get size(): number {
    return this.items.length;
  }

  /** Checks the request as the codec would encode it (bad filters throw here, at the app's call), then
   * keeps it under a token from the engine. */
  add(engine: Engine, version: ProtocolVersion, subscriptions: Subscription[] | undefined, filters: string[] | undefined, properties: Properties | undefined): number {
    const operation = subscriptions === undefined ? "unsubscribe" : "subscribe";
    if (this.items.length >= WAITING_LIMIT) {
      throw new MqttStateError(operation, `${WAITING_LIMIT} requests already wait for the connection`);
    }
    const packet = subscriptions === undefined
      ? { type: 10 as const, packetId: 1, filters: filters ?? [], properties }
      : { type: 8 as const, packetId: 1, subscriptions, properties };
    encodedLength(packet, version);
    const token = engine.newToken();
    this.items.push({ token, subscriptions, filters, properties });
    return token;
  }

  /** Sends what waits, in order, while the engine has room (the rest waits for the next call). A request the
   * connection refuses (a server limit) fails with 0x80 and its error. */
  send(engine: Engine, now: number): void {
    const items = this.items;
    while (items.length > 0) {
      const r = items[0]!;
      let sent: number;
      try {
        sent = r.subscriptions === undefined
          ? engine.unsubscribe(r.filters ?? [], r.properties, now, r.token)
          : engine.subscribe(r.subscriptions, r.properties, now, r.token);
      } catch (e) {
        items.shift();
        const perFilter = (r.subscriptions ?? r.filters ?? []).map(() => UNSPECIFIED_ERROR);
        this.outcome.requestFailed(r.token, r.subscriptions !== undefined, perFilter, e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      if (sent < 0) return;
      items.shift();
    }
  }

  /** Fails every waiting request with `codes`, as the engine fails requests a lost connection took with it
   * (the client ended: they will never go out). */
  failAll(codes: readonly number[]): void {
    const items = this.items.splice(0);
    for (const r of items) this.outcome.requestFailed(r.token, r.subscriptions !== undefined, codes, undefined);
  }
}
