#!/usr/bin/env bash
# Installs what the tests and the simulator need, once, on a fresh Debian machine with Node.
#   scripts/setup.sh          what `make test` needs (the default)
#   scripts/setup.sh sim      what `make sim` needs: mosquitto, openssl and the npm packages
#   scripts/setup.sh sim xs   ... and a C compiler and make for ENGINE=xs
# Idempotent: apt-get runs only when a tool is missing, and says what it installs and why before it does.
# It never starts, stops or reconfigures a service of the machine's (the tests and the simulator start their
# own mosquitto on a free loopback port).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-test}"
engine="${2:-}"

packages=()
reasons=()
want() {
  packages+=("$1")
  reasons+=("  $1: $2")
}
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] ||
  want mosquitto "the MQTT broker that the tests and the simulator start on a free loopback port"
command -v openssl >/dev/null 2>&1 || want openssl "makes the certificates for the TLS tests and make sim --tls"
if [ "$profile" = test ] || [ "$engine" = xs ]; then
  command -v cc >/dev/null 2>&1 || want build-essential "the C compiler that builds the XS engine host (tools/xs)"
  command -v make >/dev/null 2>&1 || want make "builds the XS engine host (tools/xs)"
fi

if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: missing tools, to be installed with apt-get:"
  printf '%s\n' "${reasons[@]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: no apt-get here: install ${packages[*]} with your package manager, then run this again" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: run as root, or install sudo: apt-get install ${packages[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  echo "setup: installed ${packages[*]}"
  if [[ " ${packages[*]} " == *" mosquitto "* ]] && command -v systemctl >/dev/null 2>&1 &&
    systemctl is-active --quiet mosquitto 2>/dev/null; then
    echo "setup: note: Debian started mosquitto as a system service on port 1883; nothing here uses it" \
      "(sudo systemctl disable --now mosquitto stops it)"
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (the npm packages in package-lock.json, into node_modules/)"
  npm ci --no-audit --no-fund 2>&1 | grep -v "Unknown user config" || true
  [ -d node_modules/vitest ] || { echo "setup: npm ci failed" >&2; exit 1; }
fi
