// Node side of the XS bridge: reads the XS host's channel (child fd 4), opens real TCP sockets for it and
// relays bytes both ways (to the child's fd 3). See protocol.ts for the frames.
import type { ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";
import type { Readable, Writable } from "node:stream";
import { FRAME_CLOSE, FRAME_DATA, FRAME_HEADER, FRAME_OPEN, FRAME_OPENED, FRAME_WRITTEN, MAX_FRAME } from "./protocol";

export interface BridgeStats { connections: number; bytesToBroker: number; bytesFromBroker: number }

/** Serves the bridge for `child` (spawned with 5 stdio pipes) until it exits. */
export function attachBridge(child: ChildProcess): BridgeStats {
  const toXs = child.stdio[3] as Writable;
  const fromXs = child.stdio[4] as Readable;
  const stats: BridgeStats = { connections: 0, bytesToBroker: 0, bytesFromBroker: 0 };
  const sockets = new Map<number, Socket>();
  let pending: Buffer = Buffer.alloc(0);

  const sendFrame = (type: number, connection: number, payload: Uint8Array = new Uint8Array(0)): void => {
    if (toXs.destroyed) return;
    const frame = Buffer.alloc(4 + FRAME_HEADER + payload.length);
    frame.writeUInt32BE(FRAME_HEADER + payload.length, 0);
    frame[4] = type;
    frame[5] = connection;
    frame.set(payload, 4 + FRAME_HEADER);
    toXs.write(frame);
  };

  const open = (connection: number, address: string): void => {
    const colon = address.lastIndexOf(":");
    const socket = connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) });
    stats.connections++;
    sockets.set(connection, socket);
    let closedReported = false;
    socket.setNoDelay(true);
    socket.on("connect", () => sendFrame(FRAME_OPENED, connection));
    socket.on("data", (data: Buffer) => {
      stats.bytesFromBroker += data.length;
      for (let at = 0; at < data.length; at += MAX_FRAME - FRAME_HEADER) {
        sendFrame(FRAME_DATA, connection, data.subarray(at, at + MAX_FRAME - FRAME_HEADER));
      }
    });
    const reportClose = (error?: Error): void => {
      if (closedReported) return;
      closedReported = true;
      sockets.delete(connection);
      sendFrame(FRAME_CLOSE, connection, error ? Buffer.from(error.message, "latin1") : undefined);
    };
    socket.on("error", (error) => reportClose(error));
    socket.on("close", () => reportClose());
  };

  const onFrame = (frame: Buffer): void => {
    const type = frame[0]!;
    const connection = frame[1]!;
    const payload = frame.subarray(FRAME_HEADER);
    if (type === FRAME_OPEN) open(connection, payload.toString("latin1"));
    else if (type === FRAME_DATA) {
      const socket = sockets.get(connection);
      if (!socket) return;
      stats.bytesToBroker += payload.length;
      const count = payload.length;
      socket.write(Buffer.from(payload), () => {
        const ack = Buffer.alloc(4);
        ack.writeUInt32BE(count, 0);
        sendFrame(FRAME_WRITTEN, connection, ack);
      });
    } else if (type === FRAME_CLOSE) sockets.get(connection)?.end();
  };

  fromXs.on("data", (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      onFrame(pending.subarray(4, 4 + length));
      pending = pending.subarray(4 + length);
    }
  });
  toXs.on("error", () => { /* the child exited; its exit status tells what happened */ });
  child.on("exit", () => { for (const socket of sockets.values()) socket.destroy(); });
  return stats;
}
