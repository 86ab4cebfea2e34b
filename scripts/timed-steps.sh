#!/usr/bin/env bash
# Runs make goals one after another, as `make test` does, and says how long each took; stops at the first
# that fails. Usage: timed-steps.sh LABEL GOAL...
set -uo pipefail
label=$1
shift
times=""
begin=$SECONDS
for goal in "$@"; do
  start=$SECONDS
  if ! make --no-print-directory "$goal"; then
    echo "$label: ${times}$goal FAILED after $((SECONDS - start)) s"
    exit 1
  fi
  times+="$goal $((SECONDS - start)) s, "
done
echo "$label: times: ${times}total $((SECONDS - begin)) s"
