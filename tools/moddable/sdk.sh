# Finding the Moddable SDK, for the scripts that need it (targets/mcconfig.sh, tools/moddable/lin-check.sh).
# Sourced, not run. Nothing from the SDK is ever copied into the project.
#
# use_moddable_sdk   uses $MODDABLE when it is set (adding its host tools to PATH if they are not there); else, when
#                    ../shared/toolchains/moddable-sdk.sh
#                    sits beside the repository (as on CI), runs it: it installs the Debian packages the SDK needs
#                    and builds the SDK's host tools once per machine (cached), then gives MODDABLE and PATH.
#                    Returns 1 when there is neither.
# moddable_sdk_guide GOAL   says on stderr what to install for GOAL.

moddable_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
moddable_shared_sdk=$moddable_repo_root/../shared/toolchains/moddable-sdk.sh

moddable_sdk_ready() {
  [ -n "${MODDABLE:-}" ] && [ -d "$MODDABLE" ] && command -v mcconfig >/dev/null 2>&1
}

use_moddable_sdk() {
  if [ -n "${MODDABLE:-}" ]; then
    command -v mcconfig >/dev/null 2>&1 || export PATH="$PATH:$MODDABLE/build/bin/lin/release"
  elif [ -f "$moddable_shared_sdk" ]; then
    local env
    env=$(bash "$moddable_shared_sdk" env) || return 1
    eval "$env"
  fi
  moddable_sdk_ready
}

moddable_sdk_guide() {
  cat >&2 <<EOF
$1 needs the Moddable SDK, which is not set up here.
  1. Get https://github.com/Moddable-OpenSource/moddable and build its host tools as its guide
     "documentation/Moddable SDK - Getting Started.md" says (Linux: apt-get install gcc git wget make
     libncurses-dev flex bison gperf libgtk-3-dev; then make in \$MODDABLE/build/makefiles/lin).
  2. export MODDABLE=<that checkout>; export PATH=\$PATH:\$MODDABLE/build/bin/lin/release
  3. For esp32: ESP-IDF as in documentation/devices/esp32.md (IDF_PATH set, export.sh sourced).
     For esp8266: the toolchain and ESP8266 core as in documentation/devices/esp8266.md.
  make lin-check needs no ESP toolchain, but runs the simulator headless: apt-get install xvfb xauth.
  (A checkout with ../shared/toolchains/moddable-sdk.sh beside it uses that SDK by itself.)
EOF
}
