#!/usr/bin/env bash
# `make lin-check` and the last step of `make test`: finds the Moddable SDK (tools/moddable/sdk.sh), then runs
# tools/moddable/lin-check.ts with it.
#   lin-check.sh             without an SDK: the install guide, exit 2
#   lin-check.sh --if-sdk    without an SDK: one line saying what was skipped and how to enable it, exit 0
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=sdk.sh
source tools/moddable/sdk.sh

start=$SECONDS
if ! use_moddable_sdk; then
  if [ "${1:-}" = "--if-sdk" ]; then
    echo "lin-check: skipped (firmware on Moddable's engine, esp32/esp8266 preload): no Moddable SDK; set MODDABLE or put ../shared/toolchains/moddable-sdk.sh beside this checkout (README, Flash to a board)"
    exit 0
  fi
  moddable_sdk_guide "make lin-check"
  exit 2
fi
echo "lin-check: Moddable SDK at $MODDABLE (ready in $((SECONDS - start)) s)"
LIN_CHECK_SDK_SECONDS=$((SECONDS - start)) exec npx tsx tools/moddable/lin-check.ts
