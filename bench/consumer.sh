#!/usr/bin/env bash
# procscope's own CPU per event, live: procscope attaches (-p) to a separate
# process that runs the open+close loop once procscope is ready; the CPU
# procscope spends from that moment to its exit (not the load, not the
# workload's) is divided by the events it delivered.  Once with JSON Lines
# to a file, once with an evidence bundle; REPEAT runs each, interleaved,
# the median reported.  Also prints each BPF program's average run time
# (kernel.bpf_stats_enabled) over the loop.  Needs root.  No thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
OPEN_N=${OPEN_N:-300000}
REPEAT=${REPEAT:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; sysctl -q kernel.bpf_stats_enabled="$stats_was"' EXIT
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1
LOOPS=$TMP/loops
cc -O2 -o "$LOOPS" bench/loops.c
TARGET=$TMP/target
echo x > "$TARGET"
TCK=$(getconf CLK_TCK)

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# CPU seconds (user+system) a live process has used.
cpu_of() { awk -v t="$TCK" '{ sub(/.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat"; }

# Ids of the ps_* programs loaded now.
prog_ids() { bpftool -j prog show | python3 -c '
import json, sys
print(" ".join(str(p["id"]) for p in json.load(sys.stdin) if p.get("name", "").startswith("ps_")))
'; }

# Average ns per run of the programs whose ids were not loaded before (this procscope's).
prog_stats() { # ids-before
	bpftool -j prog show | python3 -c '
import json, sys
before = set(sys.argv[1].split())
for p in json.load(sys.stdin):
    if p.get("name", "").startswith("ps_") and str(p["id"]) not in before and p.get("run_cnt"):
        print("%s=%dns/run(%d runs)" % (p["name"], p["run_time_ns"] // p["run_cnt"], p["run_cnt"]), end=" ")
' "$1"
}

live() { # name output-args...
	local name=$1; shift
	local before
	before=$(prog_ids)
	"$LOOPS" wait-open "$OPEN_N" "$TARGET" 2> "$TMP/loop.err" &
	local target=$!
	/usr/bin/time -f "%U %S" -o "$TMP/time" "$PROCSCOPE" -q "$@" -p "$target" 2> "$TMP/ps.err" &
	local timer=$! ps
	# Attached once its programs are loaded and the target is in scope.
	for _ in $(seq 100); do
		ps=$(pgrep -P "$timer" || true)
		[ -n "$ps" ] && bpftool -j prog show | grep -q '"ps_sys_exit"' && break
		sleep 0.1
	done
	sleep 0.3
	local at_go
	at_go=$(cpu_of "$ps")
	kill -USR1 "$target"
	wait "$target"
	prog_stats "$before" > "$TMP/$name.progs"
	wait "$timer" || true
	awk -v g="$at_go" '{ print $1 + $2 - g }' "$TMP/time" >> "$TMP/$name.cpu"
}

events_in() { python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "stats":
        print(e["events"], e["lost"])
' "$1"; }

echo "procscope consumer: CPU per delivered event, median of $REPEAT, open+close x$OPEN_N, $(nproc) CPUs"
for i in $(seq "$REPEAT"); do
	rm -f "$TMP/o.jsonl"
	live jsonl -o "$TMP/o.jsonl"
	read -r ev lost < <(events_in "$TMP/o.jsonl")
	echo "$ev" >> "$TMP/jsonl.events"; echo "$lost" >> "$TMP/jsonl.lost"
	rm -rf "$TMP/b"
	live bundle --bundle "$TMP/b"
	read -r ev lost < <(events_in "$TMP/b/events.jsonl")
	echo "$ev" >> "$TMP/bundle.events"; echo "$lost" >> "$TMP/bundle.lost"
done
for name in jsonl bundle; do
	cpu=$(median < "$TMP/$name.cpu")
	ev=$(median < "$TMP/$name.events")
	lost=$(median < "$TMP/$name.lost")
	printf '%-7s %8.3f s CPU for %d events: %6.2f us/event (%8.0f events/s per core), lost %d\n' \
		"$name" "$cpu" "$ev" "$(echo "$cpu * 1000000 / $ev" | bc -l)" "$(echo "$ev / $cpu" | bc -l)" "$lost"
	echo "        BPF: $(cat "$TMP/$name.progs")"
done
