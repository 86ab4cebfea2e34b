// The Node connectAsync(url): a rejected promise leaves no client running behind it (issue 13, item 7). The
// broker's log and a listening socket count the attempts that follow the rejection: none may.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttConnectionError } from "../../src/client/index";
import { connectAsync } from "../../src/platform/host/connect";
import { freePort, startMosquitto, type Mosquitto } from "../support/mosquitto";
import { delay, uniqueId } from "./helpers";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ users: { alice: "wonderland" } });
});
afterAll(async () => {
  await broker?.close();
});

const refusals = () => broker.log.split("\n").filter((line) => line.includes("disconnected, not authorised")).length;

describe("connectAsync(url) that fails", () => {
  it("rejects a wrong password with 0x87 and makes no further attempt", async () => {
    const before = refusals();
    const url = `mqtt://alice:queen@${broker.host}:${broker.port}`;
    const error = await connectAsync(url, { clientId: uniqueId("ca"), reconnectPeriod: 50 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect((error as MqttConnectionError).reasonCode).toBe(0x87);
    expect((error as Error).message).toBe("connection refused: 0x87 Not authorized");
    await delay(600); // a dozen reconnect periods
    expect(refusals() - before).toBe(1);
  });

  it("names the 3.1.1 and 3.1 return code too (item 10)", async () => {
    for (const protocolVersion of [4, 3] as const) {
      const url = `mqtt://alice:queen@${broker.host}:${broker.port}`;
      const error = await connectAsync(url, { clientId: uniqueId("ca"), protocolVersion }).then(() => undefined, (e: unknown) => e);
      expect((error as MqttConnectionError).reasonCode).toBe(5);
      expect((error as Error).message).toBe("connection refused: 0x05 Connection Refused, not authorized");
    }
  });

  it("rejects a refused TCP connection and does not try again", async () => {
    const port = await freePort();
    const error = await connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 50 }).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    let attempts = 0;
    const server: Server = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    await delay(600);
    await new Promise((resolve) => server.close(resolve));
    expect(attempts).toBe(0);
  });
});
