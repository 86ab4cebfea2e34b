/*
 * Deep sleep on an ESP32 for the mqtt5-xs firmware (targets/power-esp32.ts): ESP-IDF's timer wake-up and
 * esp_deep_sleep_start(), which does not return; the chip restarts from reset after `ms` milliseconds.
 */
#include "xsmc.h"
#include "esp_sleep.h"

void xs_mqtt5_deep_sleep(xsMachine *the)
{
	double ms = xsmcToNumber(xsArg(0));
	if (ms < 0)
		ms = 0;
	esp_sleep_enable_timer_wakeup((uint64_t)ms * 1000);
	esp_deep_sleep_start();
}
