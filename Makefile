# mqtt5-xs: every command a developer or CI needs. `make help` lists them.
.PHONY: help setup test typecheck test-node test-xs sim bench
.DEFAULT_GOAL := help

help:
	@echo "make sim        run the host simulator: simulated devices publishing to a local broker"
	@echo "make test       type check and every test tier (installs what it needs first)"
	@echo "make bench      run the benchmarks"
	@echo "make esp32 | esp8266 | lin   build the firmware with the Moddable SDK (-flash, -debug variants;"
	@echo "                settings as CONFIG=\"ssid=.. password=.. broker=..\"; see README, Flash to a board)"

setup:
	@bash scripts/setup.sh

typecheck: setup
	npx tsc --noEmit -p tsconfig.json
	npx tsc --noEmit -p tsconfig.device.json

test-node: setup
	npx vitest run --exclude 'host-tests/xs/**'

# The XS tier: builds the engine and our host (tools/xs, ~10 s from clean), then runs host-tests/xs on it.
test-xs: setup
	bash tools/xs/build.sh
	npx vitest run host-tests/xs

test: typecheck test-node test-xs

bench: setup
	npm run --silent bench:codec

# Firmware: targets/mcconfig.sh calls the Moddable SDK's mcconfig, or says what to install when it is missing.
FIRMWARE := esp32 esp8266 lin esp32-flash esp8266-flash esp32-debug esp8266-debug lin-debug
.PHONY: $(FIRMWARE)
$(FIRMWARE):
	@bash targets/mcconfig.sh $@
