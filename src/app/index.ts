// The temperature device app and the small interfaces it is given (sensor, network, clock, MQTT session).
export { TemperatureApp } from "./temperature-app";
export type { TemperatureAppConfig, TemperatureAppPorts, TemperatureAppStats } from "./temperature-app";
export type { AppClock, AppPublishOptions, AppWill, MqttSession, NetworkStatus, QoS, Sensor, SessionEvents } from "./ports";
export { statusTopic, temperatureTopic } from "./topics";
export { READING_PAYLOAD_MAX, writeReadingPayload } from "./reading-payload";
export { ClientSession } from "./client-session";
export type { ClientSessionOptions } from "./client-session";
