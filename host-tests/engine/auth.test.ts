import { describe, expect, it } from "vitest";
import type { AuthPacket, ConnectPacket } from "../../src/codec/packet";
import { LocalReason } from "../../src/engine/index";
import type { Authenticator } from "../../src/engine/index";
import { EngineDriver } from "../support/engine-harness";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? "" : new TextDecoder().decode(b));

/** A SCRAM-shaped exchange: client-first, server-first -> client-final, server-final verified. */
function scram(log: string[]): Authenticator {
  return {
    method: "SCRAM-SHA-256",
    initialData: (again) => text(again ? "n,,n=user,r=again" : "n,,n=user,r=abc"),
    respond: (data) => {
      log.push(`challenge:${str(data)}`);
      return str(data).startsWith("r=abc") ? text("c=biws,r=abcdef,p=proof") : null;
    },
    verify: (data) => {
      log.push(`verify:${str(data)}`);
      return str(data) === "v=signature";
    },
  };
}

function authPacket(reasonCode: number, data: string): AuthPacket {
  return { type: 15, reasonCode, properties: { authenticationMethod: "SCRAM-SHA-256", authenticationData: text(data) } };
}

describe("enhanced authentication", () => {
  it("carries the method and initial data in CONNECT, answers the challenge and verifies the server", () => {
    const log: string[] = [];
    const d = new EngineDriver();
    d.open({ clientId: "c", authenticator: scram(log) });
    const [connect] = d.takePackets() as ConnectPacket[];
    expect(connect.properties?.authenticationMethod).toBe("SCRAM-SHA-256");
    expect(str(connect.properties?.authenticationData)).toBe("n,,n=user,r=abc");
    d.server(authPacket(0x18, "r=abcdef,s=salt,i=4096"));
    const [reply] = d.takePackets() as AuthPacket[];
    expect(reply).toMatchObject({ type: 15, reasonCode: 0x18, properties: { authenticationMethod: "SCRAM-SHA-256" } });
    expect(str(reply.properties?.authenticationData)).toBe("c=biws,r=abcdef,p=proof");
    d.server({ type: 2, sessionPresent: false, reasonCode: 0, properties: { authenticationMethod: "SCRAM-SHA-256", authenticationData: text("v=signature") } });
    expect(log).toEqual(["challenge:r=abcdef,s=salt,i=4096", "verify:v=signature"]);
    expect(d.events()).toMatchObject([{ event: "connack", reasonCode: 0 }]);
  });

  it("closes with AUTH_FAILED when the server's final data does not verify", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c", authenticator: scram([]) });
    d.take();
    d.server({ type: 2, sessionPresent: false, reasonCode: 0, properties: { authenticationMethod: "SCRAM-SHA-256", authenticationData: text("v=forged") } });
    expect(d.takeHex()).toBe("e0 01 80");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: LocalReason.AUTH_FAILED }]);
  });

  it("re-authenticates with AUTH 0x19 and reports the server's AUTH success", () => {
    const log: string[] = [];
    const d = new EngineDriver();
    d.connected({ clientId: "c", authenticator: { ...scram(log), verify: undefined } });
    d.engine.reauthenticate();
    const [start] = d.takePackets() as AuthPacket[];
    expect(start.reasonCode).toBe(0x19);
    expect(str(start.properties?.authenticationData)).toBe("n,,n=user,r=again");
    d.server(authPacket(0x18, "r=abc-2"));
    expect((d.takePackets()[0] as AuthPacket).reasonCode).toBe(0x18);
    d.server(authPacket(0x00, ""));
    expect(d.events()).toEqual([{ event: "authDone", reasonCode: 0 }]);
  });

  it("treats AUTH with another method as a protocol error", () => {
    const d = new EngineDriver();
    d.open({ clientId: "c", authenticator: scram([]) });
    d.take();
    d.server({ type: 15, reasonCode: 0x18, properties: { authenticationMethod: "OTHER" } });
    expect(d.takeHex()).toBe("e0 01 82");
  });
});

describe("enhanced authentication limits", () => {
  it("ends the exchange with DISCONNECT 0x80 when our answer exceeds the server's Maximum Packet Size", () => {
    const d = new EngineDriver();
    const big: Authenticator = { method: "M", initialData: () => undefined, respond: () => new Uint8Array(100) };
    d.connected({ clientId: "c", authenticator: big }, { maximumPacketSize: 50 });
    d.engine.reauthenticate();
    d.take();
    d.server({ type: 15, reasonCode: 0x18, properties: { authenticationMethod: "M" } });
    expect(d.takeHex()).toBe("e0 01 80");
    expect(d.events()).toMatchObject([{ event: "close", reasonCode: 0x80 }]);
  });
});
