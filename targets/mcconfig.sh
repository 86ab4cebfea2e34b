#!/usr/bin/env bash
# Builds the temperature publisher firmware with the Moddable SDK's mcconfig (called by the Makefile):
#   make esp32 | esp8266 | lin                  build only (release; lin builds debug, mcsim needs it for output)
#   make esp32-flash | esp8266-flash            build release and flash the board on the serial port
#   make esp32-debug | esp8266-debug | lin-debug  debug build, flash (or start mcsim), connect xsbug
# Settings go to mc/config through CONFIG, for example:
#   make esp32-flash CONFIG="ssid=MyWiFi password=secret broker=192.168.1.10 port=1883"
set -euo pipefail
cd "$(dirname "$0")/.."

goal=$1
board=${goal%%-*}
variant=${goal#"$board"}
variant=${variant#-}

case $board in
  esp32) platform=esp32 ;;
  esp8266) platform=esp ;;
  lin) platform=lin ;;
  *) echo "unknown board $board" >&2; exit 2 ;;
esac

# shellcheck source=../tools/moddable/sdk.sh
source tools/moddable/sdk.sh
use_moddable_sdk || { moddable_sdk_guide "make $goal"; exit 2; }

# mcconfig compiles our TypeScript with the project's TypeScript 6 (manifest.json "typescript.compiler").
[ -x node_modules/.bin/tsc ] || bash scripts/setup.sh
export MQTT5="$PWD"

flags=(-m -p "$platform")
case $board-$variant in
  lin-) flags+=(-d -t build) ;;
  *-) flags+=(-t build) ;;
  *-flash) ;;
  *-debug) flags+=(-d) ;;
  *) echo "unknown variant $variant (use flash or debug)" >&2; exit 2 ;;
esac

cd "targets/$board"
# shellcheck disable=SC2086 # CONFIG is a list of name=value words by design
echo "mcconfig ${flags[*]} ${CONFIG:-}"
exec mcconfig "${flags[@]}" ${CONFIG:-}
