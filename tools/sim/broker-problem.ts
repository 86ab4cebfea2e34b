// What to tell a person whose broker the simulator cannot use: one line that says what failed and what to
// check, instead of the same bare error on every retry.
import { MqttConnectionError } from "../../src/client/errors";
import { reasonName } from "../../src/codec/reason-codes";

/** CONNACK codes that mean "who you are" rather than "where you are". */
const CREDENTIALS = new Set([0x86, 0x87, 0x8c, 0x04, 0x05]);

export function explainBrokerProblem(error: Error, broker: string, protocolVersion: 4 | 5): string {
  if (error instanceof MqttConnectionError) {
    const reason = `${reasonName(error.reasonCode, 2, protocolVersion)} (0x${error.reasonCode.toString(16).padStart(2, "0")})`;
    const check = CREDENTIALS.has(error.reasonCode)
      ? "check the user name and password in MQTT_URL (mqtt://user:password@host:port)"
      : "check the broker's configuration and log";
    return `the broker at ${broker} refused the connection: ${reason}; ${check}`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const check = code === "ENOTFOUND" || code === "EAI_AGAIN"
    ? "check the host name in MQTT_URL"
    : /certificate|self.signed|TLS|SSL/i.test(error.message)
      ? "check --ca / SIM_CA (the broker's CA certificate, PEM) and the host name in MQTT_URL"
      : "check MQTT_URL (mqtt://host:port), that the broker runs and that this machine can reach it";
  return `cannot reach the broker at ${broker}: ${error.message}; ${check}`;
}
