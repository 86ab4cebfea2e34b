// Reason codes: names per packet type, the 3.1.1 CONNACK return codes, and which codes each packet allows.
import { describe, expect, it } from "vitest";
import {
  ConnackReturnCode, describeReason, NO_MATCHING_SUBSCRIBERS, PACKET_TOO_LARGE, PacketType, REASON_CODES, isReasonCodeFor, reasonName,
} from "../../src/codec/index";

describe("reasonName", () => {
  it("names 0x00 by packet type", () => {
    expect(reasonName(0, PacketType.PUBACK)).toBe("Success");
    expect(reasonName(0, PacketType.DISCONNECT)).toBe("Normal disconnection");
    expect(reasonName(0, PacketType.SUBACK)).toBe("Granted QoS 0");
    expect(reasonName(2, PacketType.SUBACK)).toBe("Granted QoS 2");
  });
  it("names the shared codes", () => {
    expect(reasonName(NO_MATCHING_SUBSCRIBERS, PacketType.PUBACK)).toBe("No matching subscribers");
    expect(reasonName(PACKET_TOO_LARGE, PacketType.DISCONNECT)).toBe("Packet too large");
    expect(reasonName(0x04, PacketType.DISCONNECT)).toBe("Disconnect with Will Message");
    expect(reasonName(0x9c, PacketType.CONNACK)).toBe("Use another server");
  });
  it("names the 3.1.1 CONNACK return codes at level 4", () => {
    expect(reasonName(ConnackReturnCode.NOT_AUTHORIZED, PacketType.CONNACK, 4)).toBe("Connection Refused, not authorized");
    expect(reasonName(0, PacketType.CONNACK, 4)).toBe("Connection Accepted");
  });
  it("says when a code is unknown", () => {
    expect(reasonName(0x7f, PacketType.PUBACK)).toBe("Unknown reason code 0x7f");
  });
  it("has a name for every code any packet allows", () => {
    for (let type = 1; type <= 15; type++) {
      for (const code of REASON_CODES[type]) expect(reasonName(code, type)).not.toMatch(/^Unknown/);
    }
  });
});

describe("isReasonCodeFor", () => {
  it("follows the per-packet lists of the specification", () => {
    expect(isReasonCodeFor(0x92, PacketType.PUBREL)).toBe(true);
    expect(isReasonCodeFor(0x92, PacketType.PUBACK)).toBe(false);
    expect(isReasonCodeFor(0x11, PacketType.UNSUBACK)).toBe(true);
    expect(isReasonCodeFor(0x19, PacketType.AUTH)).toBe(true);
    expect(isReasonCodeFor(0x04, PacketType.CONNACK)).toBe(false);
  });
});

describe("describeReason", () => {
  it("gives the code in two hex digits and its name, per version", () => {
    expect(describeReason(0x87, PacketType.CONNACK)).toBe("0x87 Not authorized");
    expect(describeReason(4, PacketType.CONNACK, 4)).toBe("0x04 Connection Refused, bad user name or password");
    expect(describeReason(0, PacketType.DISCONNECT)).toBe("0x00 Normal disconnection");
  });
});
