// The temperature device app and the small interfaces it is given (sensor, network, clock, MQTT session).
export { TemperatureApp, sessionExpiryForSleep } from "./temperature-app";
export type { TemperatureAppConfig, TemperatureAppPorts, TemperatureAppStats } from "./temperature-app";
export type { AppClock, AppPublishOptions, AppWill, MqttSession, NetworkStatus, PowerControl, QoS, ReadingObserver, Sensor, SessionEvents } from "./ports";
export { statusTopic, temperatureTopic } from "./topics";
export { READING_PAYLOAD_MAX, writeReadingPayload } from "./reading-payload";
export { ClientSession } from "./client-session";
export type { ClientSessionOptions } from "./client-session";
export { openFlashStore } from "./open-store";
