// A Transport carrying MQTT over WebSocket (MQTT 5 section 6) on Moddable, over the SDK's ECMA-419
// WebSocket client, `embedded:network/websocket/client` (examples/io/tcp/websocketclient), which runs over
// the app's TCP socket, or its TLS socket for wss.
//
// Why that client and not the legacy `websocket` module: the legacy one reads a frame only when all of it
// has arrived in one callback (a frame split across TCP segments ends the connection), takes no frame
// above 65,535 bytes, and says nothing about how much may be written. The ECMA-419 one streams a message's
// data as it arrives, reads 64-bit lengths, and reports writable counts like the TCP socket does.
//
// Backpressure as in Ecma419Transport (StreamTransport): the client reports how much fits (onWritable(count),
// write()'s result); write() hands over at most that (and at most 65,535 bytes, so a frame header never
// costs more than the client reserved) as one binary message, so nothing queues here. Packets and messages
// need not line up ([MQTT-6.0.0-2]). Reception: onReadable(count) announces message data, read at once into
// the receive buffer in buffer-sized steps, or left with the client while paused (it reads no further
// frames until we have taken it). A text message ends the connection ([MQTT-6.0.0-1]).
//
// Our part allocates nothing per message once warm (host-tests/xs holds it to 0 slots); the SDK's client
// allocates a frame buffer per write and small objects per frame (see README, "MQTT over WebSocket").

import type { Transport, TransportHandler, TransportOptions } from "../../client/transport";
import { DEFAULT_WEBSOCKET_PATH, MQTT_SUBPROTOCOL } from "../../client/websocket-options";
import type { Ecma419Io, TransportContext } from "./ecma419-transport";
import { HandshakeWatch, WatchedSocket } from "./handshake-watch";
import { HostResolver } from "./host-resolver";
import { literalAddress } from "./address";
import type { StreamSocketClass, WebSocketClient, WebSocketClientOptions, WebSocketReadableInfo } from "./socket-io";
import { moddableSecureOptions } from "./tls-options";
import { StreamTransport } from "./stream-transport";

/** The client's frame header is at most 8 bytes (4 length + 4 mask) for a message below 65,536 bytes. */
const MAX_MESSAGE = 65535;
const CLOSE = 8;

export class Ecma419WebSocketTransport extends StreamTransport implements Transport {
  readonly #watch = new HandshakeWatch();
  #ws: WebSocketClient | undefined = undefined;

  constructor(io: Ecma419Io, options: TransportOptions, handler: TransportHandler, context: TransportContext) {
    super(handler, context, MAX_MESSAGE);
    this.guard(this.#open, io, options);
  }

  protected stream(): WebSocketClient | undefined {
    return this.#ws;
  }

  // The handshake is done when the client first says how much fits: the server must have selected "mqtt".
  protected override openRefusal(): Error | undefined {
    return this.#watch.subprotocolFailure();
  }

  #open(io: Ecma419Io, options: TransportOptions): void {
    const WebSocket = io.WebSocket;
    if (WebSocket === undefined) throw new Error("WebSocket requested but no WebSocket client class was given");
    const { host, port, tls } = options;
    if (literalAddress(host) === undefined && io.dns === undefined) throw new Error(`no DNS resolver to look up ${host}`);
    const socket: StreamSocketClass | undefined = tls ? io.TLS : io.TCP;
    if (socket === undefined) throw new Error("TLS requested but no TLS socket class was given");
    const watched: Record<string, unknown> = { io: WatchedSocket, watched: { io: socket, watch: this.#watch } };
    if (tls) {
      // The client hands the TLS socket the looked-up host as its name; a servername goes in `secure`,
      // which the SDK's TLS socket lets override it.
      const secure = moddableSecureOptions(tls);
      if (tls !== true && tls.servername) secure.serverName = tls.servername;
      watched.secure = secure;
      watched.TCP = { io: io.TCP };
    }
    const websocket = options.websocket ?? {};
    const clientOptions: WebSocketClientOptions = {
      host,
      port,
      path: websocket.path ?? DEFAULT_WEBSOCKET_PATH,
      protocol: MQTT_SUBPROTOCOL,
      dns: { io: HostResolver, lookup: io.dns },
      socket: watched as WebSocketClientOptions["socket"],
      onReadable: (count, info) => this.guard(this.#onReadable, count, info),
      onWritable: (count) => this.guard(this.writableCount, count, undefined),
      onControl: (opcode, data) => this.guard(this.#onControl, opcode, data),
      onClose: () => this.finish(undefined),
      onError: () => this.finish(this.opened ? new Error("WebSocket connection lost") : this.#watch.failure()),
    };
    if (websocket.headers !== undefined) clientOptions.headers = Object.entries(websocket.headers);
    const ws = new WebSocket(clientOptions);
    // A failure inside the constructor (a socket that would not open) has already finished us.
    if (this.closed) ws.close();
    else this.#ws = ws;
  }

  #onReadable(count: number, info: WebSocketReadableInfo): void {
    if (!info.binary) return this.finish(new Error("the server sent a text message; MQTT travels in binary messages only [MQTT-6.0.0-1]"));
    this.readableCount(count);
  }

  // The client answers pings itself; a close frame from the server ends the connection now (the client
  // would only report it after its own close frame and a second's wait).
  #onControl(opcode: number, data: ArrayBuffer): void {
    if (opcode !== CLOSE) return;
    const code = data.byteLength >= 2 ? new DataView(data).getUint16(0) : 1005;
    this.finish(code === 1000 || code === 1001 || code === 1005 ? undefined : new Error(`the server closed the WebSocket with code ${code}`));
  }

  protected release(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    this.clearViews();
    ws?.close();
  }
}
