// Deep sleep on an ESP32 (targets/power-esp32.ts): the native side is deep-sleep-esp32.c.
function deepSleep(ms) @ "xs_mqtt5_deep_sleep";
export default deepSleep;
