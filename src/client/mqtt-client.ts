// The public MQTT client: drives the sans-IO engine from a Platform's transport callbacks and one timer.
//
// One transport at a time. Bytes the engine produces are handed to the transport as far as it takes them
// (the rest waits for onWritable). One timer serves three purposes in turn: the transport-open timeout,
// the engine's next poll() deadline, and the reconnect delay. publish() returns the engine's token and
// allocates nothing in steady state: no closure, no promise, and the timer is re-armed only when the
// engine's deadline moves earlier.

import { MqttArgumentError, MqttError } from "../codec/errors";
import type { Bytes, ConnackPacket, PublishPacket, QoS, Subscription } from "../codec/packet";
import type { Properties } from "../codec/properties";
import { payloadView } from "../codec/publish";
import { copyOf } from "../codec/writer";
import { Engine, EngineState, LocalReason, ReconnectBackoff } from "../engine/index";
import type { ConnectOptions } from "../engine/index";
import { MqttStateError } from "../engine/errors";
import type { EngineHandler, EngineStateValue, TransmitBuffer } from "../engine/index";
import { Emitter } from "./emitter";
import { MqttConnectionError } from "./errors";
import type { ConnectionErrorDetails } from "./errors";
import { chooseServerReference } from "./server-reference";
import { WaitingRequests } from "./waiting-requests";
import type { RequestOutcome } from "./waiting-requests";
import { normalizeOptions } from "./options";
import type { MqttClientOptions } from "./options";
import type { Platform, Transport, TransportHandler, TransportOptions } from "./transport";

/** At most this many received bytes wait while the engine's acknowledgements have no room (see hold()). */
const HELD_LIMIT = 65536;
const CONNECTION_LOST_CODES: readonly number[] = Object.freeze([LocalReason.CONNECTION_LOST]);

/** Options of {@link MqttClient.publish}. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** MQTT 5 PUBLISH properties (not topicAlias: the client assigns aliases itself). */
  properties?: Properties;
}

/** Options of {@link MqttClient.subscribe}, applied to every filter given. */
export interface SubscribeOptions {
  qos?: QoS;
  /** No Local (MQTT 5): do not receive our own publishes. */
  nl?: boolean;
  /** Retain As Published (MQTT 5). */
  rap?: boolean;
  /** Retain Handling (MQTT 5): 0 send retained, 1 only for a new subscription, 2 never. */
  rh?: 0 | 1 | 2;
  /** SUBSCRIBE properties: subscriptionIdentifiers ([id]) and userProperties. */
  properties?: Properties;
}

/** The events of {@link MqttClient} and their listeners' signatures. */
export interface MqttClientEvents {
  /** CONNACK success. */
  connect: (connack: ConnackPacket) => void;
  /** An inbound message. `packet` is reused and valid only during the call (its window is
   * packet.payload[payloadOffset, payloadOffset + payloadLength)); so is `payload`, a view into the receive
   * buffer (the same view object comes again for a message with the same window), unless the option
   * copyPayloads (the Node connect()'s default) makes it a copy to keep. */
  message: (topic: string, payload: Uint8Array, packet: PublishPacket) => void;
  /** A QoS 1/2 (or queued QoS 0) publish finished: reason code < 0x80 success, >= 0x80 refused, > 0xFF LocalReason. */
  publishDone: (token: number, reasonCode: number, properties: Properties | undefined) => void;
  /** A SUBSCRIBE finished: one reason code per filter (>= 0x80: refused). */
  subscribed: (token: number, reasonCodes: readonly number[], properties: Properties | undefined) => void;
  /** An UNSUBSCRIBE finished: one reason code per filter. */
  unsubscribed: (token: number, reasonCodes: readonly number[], properties: Properties | undefined) => void;
  /** The server sent DISCONNECT; `nextServer` is the entry of its Server Reference the client goes to next
   * (0x9C/0x9D), if it named one the client can use. A reason of 0x80 or more is also an `error`. */
  disconnect: (reasonCode: number, properties: Properties | undefined, nextServer: string | undefined) => void;
  /** The transport closed (error absent for an orderly close). */
  close: (error: Error | undefined) => void;
  /** A new connection attempt starts (after the first). */
  reconnect: () => void;
  /** A connection that was up went down. */
  offline: () => void;
  /** A refused CONNACK (MqttConnectionError with its reason code), a transport error, a protocol error. */
  error: (error: Error) => void;
  /** end() finished: the transport is closed and no reconnect follows. */
  end: () => void;
  /** The transport drained everything the engine had written after it had been full (backpressure over). */
  writable: () => void;
}

export class MqttClient extends Emitter<MqttClientEvents> {
  /** The engine, for what the client does not wrap (inflightCount, serverReference, reauthenticate...). */
  readonly engine: Engine;
  // What the client needs of its options after construction, as fields: the rest (engine sizes, backoff
  // settings) went to the engine and the backoff, and a copy of the whole would stay in a device's heap.
  private readonly platform: Platform;
  /** The CONNECT each connection sends (validated options). */
  private readonly connectOptions: ConnectOptions;
  private readonly connectTimeout: number;
  private readonly reconnectPeriod: number;
  private readonly followServerReference: boolean;
  private readonly copyPayloads: boolean;
  /** The engine's pending bytes (Engine.output), read on every flush. */
  private readonly output: TransmitBuffer;
  private readonly backoff: ReconnectBackoff;
  private transport: Transport | undefined = undefined;
  private opened = false;
  private timer: unknown = undefined;
  private timerDue = 0;
  private started = false;
  private ending = false;
  /** end() or destroy() was called, and connect() not since: publishes and requests are refused. */
  private ended = false;
  private attempts = 0;
  private closeError: Error | undefined = undefined;
  /** Numbers each connection, so callbacks from a transport we have given up on are ignored. */
  private generation = 0;
  /** A CONNACK success came on the current connection. */
  private up = false;
  /** Where the next connection goes: the configured server until a Server Reference moves it. */
  private target: TransportOptions;
  /** Received bytes the engine could not take yet (its acks had no room): held[heldStart, heldEnd), fed
   * again once the transport drains. Allocated on first use; the transport is paused while bytes wait. */
  private held: Uint8Array | undefined = undefined;
  private heldStart = 0;
  private heldEnd = 0;
  /** subscribe/unsubscribe made with no connection, sent after the next CONNACK; made on first use. */
  private waiting: WaitingRequests | undefined = undefined;

  constructor(options: MqttClientOptions) {
    super();
    const o = normalizeOptions(options);
    this.platform = o.platform;
    this.connectOptions = o.connect;
    this.connectTimeout = o.connectTimeout;
    this.reconnectPeriod = o.reconnectPeriod;
    this.followServerReference = o.followServerReference;
    this.copyPayloads = o.copyPayloads;
    this.target = o.transport;
    this.backoff = new ReconnectBackoff(o.backoff, o.platform);
    this.engine = new Engine(new MqttClient.EngineEvents(this), o.engine);
    this.output = this.engine.output;
  }

  /** True between CONNACK success and the end of that connection. */
  get connected(): boolean {
    return this.engine.state === EngineState.CONNECTED;
  }

  /** The engine's connection state (one of EngineState). */
  get state(): EngineStateValue {
    return this.engine.state;
  }

  /** As sent, or as assigned by the server. */
  get clientId(): string {
    return this.engine.clientId;
  }

  /** Starts connecting (and reconnecting after drops until end()). Calling it again does nothing. */
  connect(): this {
    if (this.started) return this;
    this.engine.connect(this.connectOptions, this.now()); // throws on options the CONNECT cannot carry
    this.started = true;
    this.ending = false;
    this.ended = false;
    this.open();
    return this;
  }

  /** > 0: token (publishDone follows); 0: QoS 0 written now; -1: queue full, nothing kept. Throws
   * MqttStateError after end() (until connect()): nothing would ever send it. */
  publish(topic: string, payload: Bytes, options?: PublishOptions): number {
    if (this.ended) throw ended("publish");
    const result = this.engine.publish(topic, payload, options?.qos ?? 0, options?.retain ?? false, options?.properties, this.platform.now());
    this.flush();
    return result;
  }

  /** Publishes payload[offset, offset + length) of a buffer the app reuses. */
  publishWindow(topic: string, payload: Uint8Array, offset: number, length: number, options?: PublishOptions): number {
    if (this.ended) throw ended("publish");
    const now = this.now();
    const result = this.engine.publishWindow(topic, payload, offset, length, options?.qos ?? 0, options?.retain ?? false, options?.properties, now);
    this.flush();
    return result;
  }

  /** Returns the token for `subscribed`, or -1 when there is no room right now. Made with no connection
   * (before the CONNACK, or between connections), it waits and is sent once connected: at most 8 wait, and
   * MqttStateError refuses more, or any after end(). */
  subscribe(filters: string | readonly string[] | readonly Subscription[], options?: SubscribeOptions): number {
    const list: Subscription[] = [];
    if (typeof filters === "string") list.push(toSubscription(filters, options));
    else if (Array.isArray(filters)) for (const f of filters) list.push(typeof f === "string" ? toSubscription(f, options) : f);
    else throw new MqttArgumentError("filters", "must be a topic filter, an array of them or an array of subscriptions");
    if (!this.connected) return this.wait("subscribe", list, undefined, options?.properties);
    const token = this.engine.subscribe(list, options?.properties, this.now());
    this.flush();
    return token;
  }

  /** As subscribe(): the token for `unsubscribed`; waits for the connection when there is none. */
  unsubscribe(filters: string | readonly string[], properties?: Properties): number {
    const list = typeof filters === "string" ? [filters] : filters.slice();
    if (!this.connected) return this.wait("unsubscribe", undefined, list, properties);
    const token = this.engine.unsubscribe(list, properties, this.now());
    this.flush();
    return token;
  }

  /** Sends DISCONNECT (reason 0x04 publishes the will), closes, and stops reconnecting; `end` follows.
   * Requests still waiting for a connection complete with LocalReason.CONNECTION_LOST. */
  end(reasonCode = 0, properties?: Properties): this {
    this.stop();
    const transport = this.transport;
    if (transport === undefined) {
      this.engine.disconnect(reasonCode, properties, this.now());
      this.ending = false; // nothing left to close: `end` now, once
      this.emit("end");
      return this;
    }
    const state = this.engine.state;
    if (this.opened && (state === EngineState.CONNECTED || state === EngineState.CONNECTING)) {
      this.engine.disconnect(reasonCode, properties, this.now()); // onClose flushes and closes the transport
    } else {
      if (state === EngineState.DISCONNECTED) this.engine.disconnect(reasonCode, properties, this.now());
      transport.close();
    }
    return this;
  }

  /** Closes the connection without DISCONNECT (the broker publishes the will) and stops reconnecting. */
  destroy(): this {
    this.stop();
    if (this.transport !== undefined) this.transport.close();
    else {
      this.ending = false;
      this.emit("end");
    }
    return this;
  }

  // end() and destroy(): no reconnect, no more publishes or requests, and the waiting ones fail.
  private stop(): void {
    this.ending = true;
    this.ended = true;
    this.started = false;
    this.clearTimer();
    this.waiting?.failAll(CONNECTION_LOST_CODES);
  }

  // A request made with no connection: kept (bounded) until the next CONNACK.
  private wait(operation: string, subscriptions: Subscription[] | undefined, filters: string[] | undefined, properties: Properties | undefined): number {
    if (this.ended) throw ended(operation);
    const waiting = (this.waiting ??= new WaitingRequests(new MqttClient.RequestEvents(this)));
    return waiting.add(this.engine, this.connectOptions.protocolVersion ?? 5, subscriptions, filters, properties);
  }

  /** Sends the requests that waited for a connection, as far as the engine has room. */
  private sendWaiting(): void {
    const waiting = this.waiting;
    if (waiting === undefined || waiting.size === 0 || !this.connected) return;
    waiting.send(this.engine, this.now());
    this.flush();
  }

  /** Same as end(): the MQTT 5 name. */
  disconnect(reasonCode = 0, properties?: Properties): this {
    return this.end(reasonCode, properties);
  }

  /** Drops the current connection (if any) and connects again now. */
  reconnect(): this {
    if (!this.started) return this.connect();
    this.backoff.redirected(); // the next delay is 0
    if (this.transport !== undefined) this.transport.close();
    else this.openNow();
    return this;
  }

  /** Waiting out a reconnect delay (the network just came back, say): try now. Otherwise nothing. */
  retryNow(): this {
    if (this.started && this.transport === undefined) this.openNow();
    return this;
  }

  private now(): number {
    return this.platform.now();
  }

  // The engine's callbacks, and each connection's, are small objects whose methods call back in rather than
  // object literals of arrow functions: on XS every closure is an object of about 10 slots, and the eleven
  // would hold about 2 KB of an ESP8266's 32 KB heap. Declared inside the class to reach its private members.
  private static readonly EngineEvents = class implements EngineHandler {
    /** The payload view last handed to `message` listeners. A message whose payload has the same window of
     * the receive buffer (a repeated topic and payload size: telemetry) gets it again, so delivering a message
     * allocates nothing; the view is valid only during the call either way. */
    private view: Uint8Array | undefined = undefined;
    constructor(private readonly client: MqttClient) {}
    onConnack(connack: ConnackPacket): void {
      this.client.connacked(connack);
    }
    onMessage(m: PublishPacket): void {
      const client = this.client;
      if (client.listenerCount("message") === 0) return;
      const view = this.payloadOf(m);
      client.emit("message", m.topic, client.copyPayloads ? copyOf(view, 0, view.length) : view, m);
    }
    private payloadOf(m: PublishPacket): Uint8Array {
      const payload = m.payload;
      if (typeof payload === "string") return payloadView(m);
      const offset = payload.byteOffset + (m.payloadOffset ?? 0);
      const length = m.payloadLength ?? payload.length - (m.payloadOffset ?? 0);
      const view = this.view;
      if (view !== undefined && view.buffer === payload.buffer && view.byteOffset === offset && view.length === length) return view;
      return (this.view = payloadView(m));
    }
    onPublishDone(token: number, code: number, props: Properties | undefined): void {
      this.client.emit("publishDone", token, code, props);
    }
    onSubscribeDone(token: number, codes: readonly number[], props: Properties | undefined): void {
      this.client.emit("subscribed", token, codes, props);
      this.client.sendWaiting(); // a request slot is free
    }
    onUnsubscribeDone(token: number, codes: readonly number[], props: Properties | undefined): void {
      this.client.emit("unsubscribed", token, codes, props);
      this.client.sendWaiting();
    }
    onDisconnect(code: number, props: Properties | undefined): void {
      this.client.serverDisconnected(code, props);
    }
    onClose(_code: number, error: Error | undefined): void {
      this.client.engineClosed(error);
    }
  };

  /** A waiting request that will not go out is reported as its SUBACK/UNSUBACK would be (and its error). */
  private static readonly RequestEvents = class implements RequestOutcome {
    constructor(private readonly client: MqttClient) {}
    requestFailed(token: number, subscribe: boolean, codes: readonly number[], error: Error | undefined): void {
      if (error !== undefined) this.client.emit("error", error);
      this.client.emit(subscribe ? "subscribed" : "unsubscribed", token, codes, undefined);
    }
  };

  /** One connection's transport callbacks; those of a connection given up on (an older generation) do nothing. */
  private static readonly ConnectionEvents = class implements TransportHandler {
    constructor(private readonly client: MqttClient, private readonly generation: number) {}
    get live(): boolean {
      return this.generation === this.client.generation;
    }
    onOpen(): void {
      if (this.live) this.client.transportOpened();
    }
    onData(bytes: Uint8Array, start: number, end: number): void {
      if (this.generation !== this.client.generation) return;
      this.client.received(bytes, start, end);
      this.client.flush();
    }
    onWritable(): void {
      if (this.live) this.client.transportWritable();
    }
    // A transport that reads puts the bytes straight into the engine's receive buffer (parsed in place),
    // unless bytes held back wait to be fed first; a connection given up on gets none of it.
    get readBuffer(): Uint8Array | undefined {
      const client = this.client;
      return this.live && client.heldEnd === client.heldStart ? client.engine.receiveBuffer : undefined;
    }
    get readStart(): number {
      return this.client.engine.receiveStart;
    }
    onClose(error?: Error): void {
      if (!this.live) return;
      this.client.generation++;
      this.client.transportClosed(error);
    }
  };

  private connacked(connack: ConnackPacket): void {
    const version = this.connectOptions.protocolVersion ?? 5;
    if (connack.reasonCode !== 0 && (connack.reasonCode >= 0x80 || version !== 5)) {
      this.closeError = this.followReference(connack.reasonCode, "CONNACK", connack.properties?.reasonString);
      return;
    }
    this.up = true;
    this.backoff.connected(this.now());
    this.sendWaiting(); // before the connect handler's own requests, in the order they were made
    this.emit("connect", connack);
  }

  // The server's DISCONNECT: one with an error reason is also reported as an error that names it.
  private serverDisconnected(code: number, props: Properties | undefined): void {
    const error = this.followReference(code, "DISCONNECT", props?.reasonString);
    if (code >= 0x80) this.closeError = error;
    this.emit("disconnect", code, props, error.serverReference);
  }

  // CONNACK or DISCONNECT 0x9C/0x9D named another server: the next attempt goes to the first entry usable
  // from this transport, without waiting (see server-reference.ts). Returns the error that reports the
  // reason and the entry chosen, or why none was.
  private followReference(code: number, packet: "CONNACK" | "DISCONNECT", reasonString: string | undefined): MqttConnectionError {
    const details: ConnectionErrorDetails = { packet, version: this.connectOptions.protocolVersion, reasonString };
    const reference = this.engine.serverReference;
    if (reference === undefined) return new MqttConnectionError(code, details);
    const current = this.target;
    const over = { tls: current.tls !== undefined && current.tls !== false, websocket: current.websocket !== undefined, port: current.port };
    const chosen = this.followServerReference ? chooseServerReference(reference, over) : undefined;
    if (chosen === undefined) {
      details.notFollowed = `Server Reference "${reference}" not followed: ${this.followServerReference ? "no entry usable from this transport" : "followServerReference is false"}`;
      return new MqttConnectionError(code, details);
    }
    this.target = movedTarget(current, chosen.host, chosen.port, chosen.path);
    this.backoff.redirected();
    details.serverReference = chosen.text;
    return new MqttConnectionError(code, details);
  }

  // ---- transport ------------------------------------------------------------------------------------

  private open(): void {
    if (this.attempts++ > 0) this.emit("reconnect");
    this.opened = false;
    this.closeError = undefined;
    const id = ++this.generation;
    const transport = this.platform.connect(this.target, new MqttClient.ConnectionEvents(this, id));
    if (id !== this.generation) return; // closed synchronously: transportClosed already ran
    this.transport = transport;
    this.armTimer(this.connectTimeout);
  }

  private transportOpened(): void {
    this.opened = true;
    this.clearTimer();
    this.engine.connectionOpened(this.now());
    this.flush();
  }

  private transportWritable(): void {
    this.sendWaiting();
    this.flush();
    if (this.engine.pending() === 0) this.emit("writable");
  }

  private openNow(): void {
    this.clearTimer();
    this.open();
  }

  // ---- receiving, with the engine's backpressure ----------------------------------------------------

  /** Feeds received bytes to the engine; what it cannot take now (acks have no room) is held, in order. */
  private received(bytes: Uint8Array, start: number, end: number): void {
    if (this.heldEnd === this.heldStart) {
      start += this.engine.receive(bytes, start, end, this.platform.now());
      if (start === end) return;
    }
    this.hold(bytes, start, end);
  }

  private hold(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const waiting = this.heldEnd - this.heldStart;
    if (waiting + length > HELD_LIMIT) {
      // A transport that cannot pause kept sending while the broker reads none of our acks: give up on this
      // connection rather than grow without bound. The session (and every unacknowledged message) is kept.
      this.closeError = new MqttError(0x80, "receive", `more than ${HELD_LIMIT} bytes arrived while acknowledgements could not be sent`);
      this.transport?.close();
      return;
    }
    let held = this.held;
    if (held === undefined || held.length - this.heldEnd < length) {
      const needed = waiting + length;
      if (held === undefined || held.length < needed) {
        const bigger = new Uint8Array(Math.min(HELD_LIMIT, Math.max(1024, 2 * needed)));
        if (held !== undefined) bigger.set(held.subarray(this.heldStart, this.heldEnd));
        this.held = held = bigger;
      } else {
        held.copyWithin(0, this.heldStart, this.heldEnd);
      }
      this.heldStart = 0;
      this.heldEnd = waiting;
    }
    held.set(bytes.subarray(start, end), this.heldEnd);
    this.heldEnd += length;
    this.transport?.pause?.();
  }

  /** Feeds held bytes again; true when the engine took some (so more acks may be waiting to go out). */
  private feedHeld(): boolean {
    const held = this.held;
    if (held === undefined || this.heldEnd === this.heldStart) return false;
    const taken = this.engine.receive(held, this.heldStart, this.heldEnd, this.now());
    this.heldStart += taken;
    if (this.heldStart === this.heldEnd) {
      this.heldStart = this.heldEnd = 0;
      this.transport?.resume?.();
    }
    return taken > 0;
  }

  /** Hands pending engine bytes to the transport until it takes no more (and feeds bytes held back meanwhile);
   * polls the engine and re-arms the timer only when its deadlines moved (Engine.pollNeeded): a publish or a
   * received message costs no timer work. */
  private flush(): void {
    const engine = this.engine;
    const transport = this.transport;
    if (transport === undefined || !this.opened) return;
    const out = this.output;
    do {
      while (out.end > out.start && this.transport === transport) {
        const taken = transport.write(out.bytes, out.start, out.end);
        if (taken <= 0) break;
        engine.consumed(taken);
      }
    } while (this.transport === transport && this.heldEnd !== this.heldStart && this.feedHeld());
    if (engine.pollNeeded && this.transport === transport) this.poll();
  }

  /** Polls the engine (it may write a PINGREQ, or end a dead connection), writes what that produced and arms
   * the timer for the next deadline. */
  private poll(): void {
    const now = this.now();
    const delay = this.engine.poll(now);
    if (this.engine.pending() > 0) this.flush();
    if (this.transport === undefined) return;
    if (delay < 0) return this.clearTimer();
    // Keep an armed timer that fires no later than needed: an early poll is harmless and re-arms.
    const due = (now + delay) >>> 0;
    if (this.timer !== undefined && ((due - this.timerDue) | 0) >= 0) return;
    this.armTimer(delay, now);
  }

  private armTimer(delay: number, now = this.now()): void {
    const platform = this.platform;
    if (this.timer !== undefined) platform.clearTimer(this.timer);
    this.timerDue = (now + delay) >>> 0;
    this.timer = platform.setTimer(delay, this.timerFired);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.platform.clearTimer(this.timer);
    this.timer = undefined;
  }

  // One bound function for every timer, so arming allocates no closure.
  private readonly timerFired = (): void => {
    this.timer = undefined;
    const transport = this.transport;
    if (transport === undefined) {
      if (this.started) this.open();
    } else if (!this.opened) {
      this.closeError = new Error(`transport did not open within ${this.connectTimeout} ms`);
      transport.close();
    } else {
      this.poll();
    }
  };

  // The engine is done with this connection (keepalive, protocol error, refused CONNACK, our DISCONNECT).
  private engineClosed(error: Error | undefined): void {
    if (error !== undefined && this.closeError === undefined) this.closeError = error;
    this.flush();
    this.transport?.close();
  }

  private transportClosed(error: Error | undefined): void {
    const wasConnected = this.up;
    this.up = false;
    const now = this.now();
    this.transport = undefined;
    this.opened = false;
    this.heldStart = this.heldEnd = 0; // bytes of a dead connection: the session resends what mattered
    this.clearTimer();
    this.engine.connectionClosed(now, error);
    this.backoff.disconnected(now);
    const reported = this.closeError ?? error;
    this.closeError = undefined;
    if (reported !== undefined && !this.ending) this.emit("error", reported);
    this.emit("close", error);
    if (wasConnected) this.emit("offline");
    if (this.ending) {
      this.ending = false;
      this.emit("end");
      return;
    }
    if (this.started && this.reconnectPeriod > 0) this.armTimer(this.backoff.nextDelay());
    else this.started = false;
  }
}

function ended(operation: string): MqttStateError {
  return new MqttStateError(operation, "the client has ended (end() or destroy()); call connect() to use it again");
}

function toSubscription(filter: string, o: SubscribeOptions | undefined): Subscription {
  const s: Subscription = { filter, qos: o?.qos ?? 0 };
  if (o?.nl !== undefined) s.noLocal = o.nl;
  if (o?.rap !== undefined) s.retainAsPublished = o.rap;
  if (o?.rh !== undefined) s.retainHandling = o.rh;
  return s;
}

/** The transport options for another host and port; a TLS server name given for the old host is dropped. */
function movedTarget(current: TransportOptions, host: string, port: number, path: string): TransportOptions {
  const moved: TransportOptions = { ...current, host, port };
  // A WebSocket entry that names a path goes there; one that names none keeps the current path.
  if (current.websocket !== undefined && path !== "" && path !== "/") moved.websocket = { ...current.websocket, path };
  const tls = current.tls;
  if (typeof tls !== "object" || tls.servername === undefined || host === current.host) return moved;
  const { servername: _previous, ...rest } = tls;
  moved.tls = rest;
  return moved;
}
