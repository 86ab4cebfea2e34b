# mqtt5-xs: every command a developer or CI needs. `make help` lists them.
.PHONY: help setup test typecheck docs package test-node test-xs test-moddable sim bench soak soak-power
.DEFAULT_GOAL := help

help:
	@echo "make sim        run the host simulator: simulated devices publishing to a local broker"
	@echo "make test       type check and every test tier (installs what it needs first), then lin-check"
	@echo "                when a Moddable SDK is at hand (\$$MODDABLE, or ../shared/toolchains beside the checkout)"
	@echo "make typecheck | docs | test-node | test-xs | test-moddable   the steps of make test, one at a time"
	@echo "make bench      run the benchmarks"
	@echo "make soak       the long runs: decoder and receive-path fuzz, soak through the fault proxy, random configurations"
	@echo "make soak-power sleeping XS devices with their sessions on flash through POWER_CUTS=N random power cuts"
	@echo "                (default 1000, several minutes); fails unless no accepted reading is lost or duplicated"
	@echo "make docs       the API reference (typedoc) into build/api/index.html"
	@echo "make package    the npm package: dist/ and build/mqtt5-xs-<version>.tgz"
	@echo "make esp32 | esp8266 | lin   build the firmware with the Moddable SDK (-flash, -debug variants;"
	@echo "                settings as CONFIG=\"ssid=.. password=.. broker=..\"; see README, Flash to a board)"
	@echo "make lin-check  the firmware on Moddable's engine (mcsim) against mosquitto: readings, a broker"
	@echo "                restart, heap and stack; and the esp32/esp8266 builds through preload (needs the SDK)"
	@echo "make setup      install what the tests need (apt: mosquitto, openssl, gcc; npm ci)"
	@echo "make help       this list"

setup:
	@bash scripts/setup.sh

typecheck: setup
	npx tsc --noEmit -p tsconfig.json
	npx tsc --noEmit -p tsconfig.device.json

# The API reference from the TSDoc comments (typedoc.json) into build/api; a warning (a broken link, an exported
# name without documentation) fails it.
docs: setup
	npx typedoc --logLevel Warn

# The npm package: dist/ (tools/package/build.ts: esbuild + rollup-plugin-dts) and the tarball in build/.
package: setup
	npm run --silent build
	npm pack --pack-destination build

test-node: setup
	npx vitest run --exclude 'host-tests/xs/**'

# The XS tier: builds the engine and our host (tools/xs, ~10 s from clean), then runs host-tests/xs on it.
test-xs: setup
	bash tools/xs/build.sh
	npx vitest run host-tests/xs

# Each step in turn with its time. test-moddable is lin-check when a Moddable SDK is at hand, else one line.
test:
	@bash scripts/timed-steps.sh "make test" setup typecheck docs test-node test-xs test-moddable

test-moddable: setup
	@bash tools/moddable/lin-check.sh --if-sdk

# The host simulator (tools/sim): flags after ARGS=, e.g. make sim ARGS="--devices 5 --interval 1000 --tls";
# MQTT_URL=mqtt://host:port uses that broker instead of a private mosquitto. ENGINE=xs runs each device app
# in its own XS engine (built on first use, about 10 s) instead of in Node.
# Node runs the simulator itself (tsx as a loader, no npx/tsx wrapper processes), so a signal reaches it directly.
sim:
	@bash scripts/setup.sh sim $(ENGINE)
	@node --import tsx tools/sim/main.ts $(if $(ENGINE),--engine $(ENGINE)) $(ARGS)

bench: setup
	npm run --silent bench:codec
	npm run --silent bench:xs
	npm run --silent bench:e2e

# The long chaos runs (issue 7): 10^6 decoder inputs, 10^5 receive-path streams, the full soak through the
# fault proxy (10,000 QoS 1 + 10,000 QoS 2 each way, >= 1,000 cuts, broker restarts), and 30,000 random
# engine configurations against random CONNACKs and publishes (issue 13). Not part of `make test`.
soak: setup
	npm run --silent fuzz:codec
	npm run --silent soak:chaos
	npm run --silent soak:config

# Sleeping device apps on XS, their sessions on the XS host's flash stand-in, against mosquitto with persistence,
# through random power cuts (some inside flash writes): tools/soak-power. POWER_CUTS=N (default 1000); the last line
# is "power cuts: N, readings accepted: A, delivered: D, lost: L, qos2 duplicates: Q". make test runs 50 (host-tests/xs).
soak-power: setup
	bash tools/xs/build.sh
	@node --import tsx tools/soak-power/main.ts

# The firmware on Moddable's own engine (tools/moddable/lin-check.ts): builds targets/lin into build/moddable,
# runs it in mcsim against a private mosquitto (readings and status, a broker restart, heap, stack), and builds
# targets/esp32 and targets/esp8266 through the xsl preload. The SDK: $MODDABLE, else ../shared/toolchains.
lin-check: setup
	@bash tools/moddable/lin-check.sh

# Firmware: targets/mcconfig.sh calls the Moddable SDK's mcconfig, or says what to install when it is missing.
FIRMWARE := esp32 esp8266 lin esp32-flash esp8266-flash esp32-debug esp8266-debug lin-debug
.PHONY: $(FIRMWARE) lin-check
$(FIRMWARE):
	@bash targets/mcconfig.sh $@
