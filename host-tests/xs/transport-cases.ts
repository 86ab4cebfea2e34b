// The device transports' steady state on XS: a readable event delivered to the client, and a write with the
// socket's writable callback, allocate nothing once warm. Socket callbacks run through a try/catch (an
// exception there would be lost in the event loop); a wrapper taking a closure per event would allocate.
import type { TransportHandler } from "../../src/client/transport";
import { Ecma419Transport } from "../../src/platform/moddable/ecma419-transport";
import type { StreamSocket, StreamSocketOptions } from "../../src/platform/moddable/socket-io";
import { measure } from "../../tools/xs/measure";
import { check, checkEqual, recordAllocationFree, type XsCase } from "./support/xs-case";

const ACK_BYTES = 4;

/** An `embedded:io/socket/tcp` stand-in that always has one PUBACK's bytes to read and room to write. */
class SteadySocket implements StreamSocket {
  static last: SteadySocket | undefined = undefined;
  readonly options: StreamSocketOptions;
  written = 0;

  constructor(options: StreamSocketOptions) {
    this.options = options;
    SteadySocket.last = this;
  }

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

export const transportCases: XsCase[] = [
  {
    name: "the ECMA-419 transport delivers a readable PUBACK to the client with no allocation after warm-up",
    run(context) {
      const { socket, handler } = connected();
      recordAllocationFree(context, "transport.ecma419.readable", measure(() => socket.options.onReadable(ACK_BYTES)));
      check(handler.received >= 250 * ACK_BYTES, "every readable event reached onData");
      checkEqual(handler.closed, 0, "still open");
    },
  },
  {
    name: "the ECMA-419 transport writes a PUBLISH and takes the socket's writable count with no allocation after warm-up",
    run(context) {
      const { transport, socket, handler } = connected();
      const packet = new Uint8Array(64);
      recordAllocationFree(context, "transport.ecma419.write", measure(() => {
        transport.write(packet, 8, 48);
        socket.options.onWritable(4096);
      }));
      check(socket.written >= 250 * 40, "every write reached the socket");
      checkEqual(handler.closed, 0, "still open");
    },
  },
];
