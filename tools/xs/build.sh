#!/usr/bin/env bash
# Builds the XS test host into build/xs/xs-host from the engine sources in node_modules/@agoric/xsnap
# (installed with scripts ignored: nothing here depends on npm running install scripts).
# Incremental: make rebuilds only what changed, so an up-to-date host costs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f node_modules/@agoric/xsnap/moddable/xs/includes/xs.h ]; then
  echo "tools/xs/build.sh: node_modules/@agoric/xsnap is missing; run npm ci first" >&2
  exit 1
fi
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
mkdir -p build/xs
# Test files build in parallel workers: one make at a time.
flock build/xs/.build.lock make --no-print-directory -s -j"$jobs" -f tools/xs/xs-host.mk build/xs/xs-host
