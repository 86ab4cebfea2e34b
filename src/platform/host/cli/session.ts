// Connecting for a command: waits for CONNACK and turns a failure into one line that says what failed.
import { randomBytes } from "node:crypto";
import { MqttConnectionError } from "../../../client/errors";
import { AsyncMqttClient } from "../../../client/async-client";
import { reasonName } from "../../../codec/reason-codes";
import { PacketType, type ProtocolVersion } from "../../../codec/packet";
import { connect } from "../connect";
import { CliFailure } from "./cli-io";
import type { ClientSetup } from "./connection-flags";

export async function openSession(setup: ClientSetup): Promise<AsyncMqttClient> {
  const client = new AsyncMqttClient(connect(setup.url, setup.options));
  try {
    await client.connectAsync();
    return client;
  } catch (error) {
    client.client.destroy();
    throw new CliFailure(connectFailure(setup, error));
  }
}

export function connectFailure(setup: ClientSetup, error: unknown): string {
  if (error instanceof MqttConnectionError) {
    const version = setup.options.protocolVersion ?? 5;
    return `the broker at ${setup.where} refused the connection: ${describe(error.reasonCode, PacketType.CONNACK, version)}`;
  }
  return `cannot connect to ${setup.where}: ${error instanceof Error ? error.message : String(error)}`;
}

/** A reason code at or above 0x80 is a refusal; returns its name, or undefined for success. */
export function refusal(code: number, packetType: number, version: ProtocolVersion): string | undefined {
  if (code < 0x80) return undefined;
  return code > 0xff ? `local reason 0x${code.toString(16)}` : describe(code, packetType, version);
}

function describe(code: number, packetType: number, version: ProtocolVersion): string {
  return `${reasonName(code, packetType, version)} (0x${code.toString(16).padStart(2, "0")})`;
}

/** Like mosquitto's clients: a fresh id per run, so two runs never take over each other's session. */
export function randomClientId(command: string): string {
  return `mqtt5-xs-${command}-${randomBytes(4).toString("hex")}`;
}
