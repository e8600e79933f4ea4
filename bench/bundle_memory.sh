#!/usr/bin/env bash
# Memory of the evidence bundle writer: trace a loop of over a million
# open+close calls into a bundle and report procscope's resident memory as
# the event count grows, and its peak (VmHWM).  The bundle streams events to
# disk and keeps only bounded aggregates, so the figure must stay flat, and
# under LIMIT_MIB (64).  Then verify the bundle.  Needs root (or procscope
# with cap_bpf,cap_perfmon).  Exit 1 when the peak is over the limit or the
# bundle does not verify.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
OPEN_N=${OPEN_N:-1100000}
LIMIT_MIB=${LIMIT_MIB:-64}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cc -O2 -o "$TMP/loops" bench/loops.c
echo x > "$TMP/target"

"$PROCSCOPE" -q --bundle "$TMP/bundle" -- "$TMP/loops" open "$OPEN_N" "$TMP/target" \
	2> "$TMP/stderr" &
pid=$!

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$pid/status" 2>/dev/null || true; }

printf '%10s %14s %10s\n' "seconds" "events.jsonl" "RSS MiB"
peak=0
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
	hwm=$(kib VmHWM)
	rss=$(kib VmRSS)
	[ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
	size=$(stat -c %s "$TMP/bundle/events.jsonl" 2>/dev/null || echo 0)
	[ -n "$rss" ] && printf '%10.1f %11d MiB %10.1f\n' \
		"$(echo "$(date +%s.%N) - $start" | bc)" $((size >> 20)) "$(echo "$rss / 1024" | bc -l)"
	sleep 0.5
done
wait "$pid" || { echo "procscope failed:"; cat "$TMP/stderr"; exit 1; }

events=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["events"]["total"], m["complete"], m["stats"]["lost"])' "$TMP/bundle/metadata.json")
set -- $events
echo "events: $1 (complete: $2, lost: $3), bundle: $(du -sh "$TMP/bundle" | cut -f1)"
printf 'peak RSS (VmHWM): %.1f MiB (limit %d MiB)\n' "$(echo "$peak / 1024" | bc -l)" "$LIMIT_MIB"
"$PROCSCOPE" verify "$TMP/bundle"
if [ "$1" -lt 1000000 ]; then
	echo "FAIL: fewer than a million events were captured; raise OPEN_N"
	exit 1
fi
if [ "$peak" -gt $((LIMIT_MIB * 1024)) ]; then
	echo "FAIL: peak RSS over ${LIMIT_MIB} MiB"
	exit 1
fi
echo "PASS"
