// The device transports' steady state on XS: a readable event delivered to the client, and a write with the
// socket's writable callback, allocate nothing once warm. Socket callbacks run through a try/catch (an
// exception there would be lost in the event loop); a wrapper taking a closure per event would allocate.
// The WebSocket transport is measured over a stand-in for the SDK's WebSocket client that itself allocates
// nothing, so the figure is ours alone (the SDK's client allocates a frame per write: see README).
import type { Transport, TransportHandler } from "../../src/client/transport";
import { Ecma419Transport } from "../../src/platform/moddable/ecma419-transport";
import type { StreamSocket, StreamSocketOptions, WebSocketClient, WebSocketClientOptions, WebSocketReadableInfo } from "../../src/platform/moddable/socket-io";
import { Ecma419WebSocketTransport } from "../../src/platform/moddable/websocket-transport";
import { measure } from "../../tools/xs/measure";
import { check, checkEqual, recordAllocationFree, type XsCase } from "./support/xs-case";

const ACK_BYTES = 4;

/** A stream that always has one PUBACK's bytes to read and room to write. */
class SteadyStream {
  written = 0;

  read(into: Uint8Array): number {
    into[0] = 0x40;
    into[1] = 2;
    into[2] = 0;
    into[3] = 1;
    return into.length;
  }

  write(bytes: Uint8Array): number {
    this.written += bytes.length;
    return 4096;
  }

  close(): void {}
}

/** An `embedded:io/socket/tcp` stand-in. */
class SteadySocket extends SteadyStream implements StreamSocket {
  static last: SteadySocket | undefined = undefined;
  readonly options: StreamSocketOptions;

  constructor(options: StreamSocketOptions) {
    super();
    this.options = options;
    SteadySocket.last = this;
  }
}

class CountingHandler implements TransportHandler {
  opened = 0;
  received = 0;
  closed = 0;
  onOpen(): void { this.opened++; }
  onData(_bytes: Uint8Array, start: number, end: number): void { this.received += end - start; }
  onWritable(): void {}
  onClose(): void { this.closed++; }
}

function connected(): { transport: Ecma419Transport; socket: SteadySocket; handler: CountingHandler } {
  const handler = new CountingHandler();
  const context = { receiveBuffer: new Uint8Array(512), defer: (callback: () => void) => callback() };
  const transport = new Ecma419Transport({ TCP: SteadySocket }, { host: "127.0.0.1", port: 1883 }, handler, context);
  const socket = SteadySocket.last!;
  socket.options.onWritable(4096);
  checkEqual(handler.opened, 1, "opened on the first onWritable");
  return { transport, socket, handler };
}

/** The server's answer to the upgrade request, as the SDK's client reads it: one byte at a time. */
const UPGRADE_ANSWER = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";

/** The socket under the WebSocket client during the handshake: serves the answer's bytes as numbers. */
class AnswerSocket implements StreamSocket {
  #next = 0;
  format = "buffer";
  constructor(_options: StreamSocketOptions) {}
  read(): number {
    return UPGRADE_ANSWER.charCodeAt(this.#next++);
  }
  write(): number {
    return 4096;
  }
  close(): void {}
}

/** An `embedded:network/websocket/client` stand-in: the handshake goes through the socket class it is
 * given (as the SDK's does), then one PUBACK's bytes are always announced and room is always there. */
class SteadyWebSocket extends SteadyStream implements WebSocketClient {
  static last: SteadyWebSocket | undefined = undefined;
  readonly options: WebSocketClientOptions;
  readonly info: WebSocketReadableInfo = { more: false, binary: true };

  constructor(options: WebSocketClientOptions) {
    super();
    this.options = options;
    SteadyWebSocket.last = this;
    const socket = new options.socket.io({ ...options.socket, address: "127.0.0.1", host: options.host, port: options.port } as never) as StreamSocket & { read(): number };
    socket.write(new Uint8Array(1));
    for (let i = 0; i < UPGRADE_ANSWER.length; i++) socket.read();
  }
}

function connectedWebSocket(): { transport: Ecma419WebSocketTransport; ws: SteadyWebSocket; handler: CountingHandler } {
  const handler = new CountingHandler();
  const context = { receiveBuffer: new Uint8Array(512), defer: (callback: () => void) => callback() };
  const io = { TCP: AnswerSocket, WebSocket: SteadyWebSocket };
  const transport = new Ecma419WebSocketTransport(io, { host: "127.0.0.1", port: 80, websocket: { path: "/mqtt" } }, handler, context);
  const ws = SteadyWebSocket.last!;
  ws.options.onWritable(4096);
  checkEqual(handler.opened, 1, "opened on the first onWritable after a handshake that selected mqtt");
  return { transport, ws, handler };
}

/** A connected transport with its stream's two events and a count of what was written to the stream. */
interface Link {
  transport: Transport;
  handler: CountingHandler;
  readable(): void;
  writable(): void;
  written(): number;
}

function ecma419Link(): Link {
  const { transport, socket, handler } = connected();
  return { transport, handler, readable: () => socket.options.onReadable(ACK_BYTES), writable: () => socket.options.onWritable(4096), written: () => socket.written };
}

function webSocketLink(): Link {
  const { transport, ws, handler } = connectedWebSocket();
  return { transport, handler, readable: () => ws.options.onReadable(ACK_BYTES, ws.info), writable: () => ws.options.onWritable(4096), written: () => ws.written };
}

/** The two steady-state cases of one transport: a readable event reaching onData, a write with the
 * stream's writable callback; neither may allocate once warm. */
function steadyStateCases(label: string, key: string, link: () => Link): XsCase[] {
  return [
    {
      name: `the ${label} delivers a readable PUBACK to the client with no allocation after warm-up`,
      run(context) {
        const { handler, readable } = link();
        recordAllocationFree(context, `transport.${key}.readable`, measure(readable));
        check(handler.received >= 250 * ACK_BYTES, "every readable event reached onData");
        checkEqual(handler.closed, 0, "still open");
      },
    },
    {
      name: `the ${label} writes a PUBLISH and takes the stream's writable count with no allocation after warm-up`,
      run(context) {
        const { transport, handler, writable, written } = link();
        const packet = new Uint8Array(64);
        recordAllocationFree(context, `transport.${key}.write`, measure(() => {
          transport.write(packet, 8, 48);
          writable();
        }));
        check(written() >= 250 * 40, "every write reached the stream");
        checkEqual(handler.closed, 0, "still open");
      },
    },
  ];
}

/** A handler that names where to read, as the client's does (its engine's receive buffer). */
class ReadingHandler extends CountingHandler {
  readonly readBuffer = new Uint8Array(512);
  readStart = 0;
}

const readIntoCase: XsCase = {
  name: "the ECMA-419 transport reads a readable PUBACK into the handler's readBuffer with no allocation after warm-up",
  run(context) {
    const handler = new ReadingHandler();
    const platform = { receiveBuffer: new Uint8Array(0), defer: (callback: () => void) => callback() };
    new Ecma419Transport({ TCP: SteadySocket }, { host: "127.0.0.1", port: 1883 }, handler, platform);
    const socket = SteadySocket.last!;
    socket.options.onWritable(4096);
    recordAllocationFree(context, "transport.ecma419.read-into", measure(() => socket.options.onReadable(ACK_BYTES)));
    check(handler.received >= 250 * ACK_BYTES, "every readable event reached onData");
  },
};

export const transportCases: XsCase[] = [
  readIntoCase,
  ...steadyStateCases("ECMA-419 transport", "ecma419", ecma419Link),
  ...steadyStateCases("WebSocket transport (over a WebSocket client stand-in)", "websocket", webSocketLink),
];
