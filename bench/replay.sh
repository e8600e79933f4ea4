#!/usr/bin/env bash
# The consumer alone: a recorded stream of ring-buffer records from the
# open+close loop fed through decoding and each sink (bench/replay.c).
set -euo pipefail
cd "$(dirname "$0")/.."
OPEN_N=${OPEN_N:-200000}
REPEAT=${REPEAT:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
make -s build/bench/replay
cc -O2 -o "$TMP/loops" bench/loops.c
echo x > "$TMP/target"
build/bench/replay "$REPEAT" "$TMP" -- "$TMP/loops" open "$OPEN_N" "$TMP/target" 2>/dev/null
