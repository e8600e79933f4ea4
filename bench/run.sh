#!/usr/bin/env bash
# procscope's benchmark.  Every configuration runs in the same invocation,
# interleaved, REPEAT times; the median of each is compared:
#   open+close loop: untraced, under procscope (JSON Lines to a file, every
#     event captured), under strace -f -o FILE;
#   fork+exec loop: the same three;
#   bystander: the untraced open+close loop while procscope traces another
#     process, against the same loop with no procscope running, and against
#     the floor: empty programs on the same two syscall tracepoints.
# Prints ratios and events captured vs expected.  Needs root (or procscope
# with cap_bpf,cap_perfmon) and strace.  No thresholds: it reports.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
OPEN_N=${OPEN_N:-200000}
FORK_N=${FORK_N:-2000}
REPEAT=${REPEAT:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOOPS=$TMP/loops
cc -O2 -o "$LOOPS" bench/loops.c
# The floor programs, built the way procscope's are.
make -s build/vmlinux.h
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ibuild -c bench/floor.bpf.c -o "$TMP/floor.bpf.o"
bpftool gen skeleton "$TMP/floor.bpf.o" name floor_bpf > "$TMP/floor.skel.h"
cc -O2 -I"$TMP" -o "$TMP/floor" bench/floor.c $(pkg-config --libs libbpf) -lelf -lz
TARGET=$TMP/target
echo x > "$TARGET"

# The loop prints its own elapsed time on stderr (last line).
elapsed() { tail -n 1 "$1"; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

count_type() { grep -c "\"type\":\"$2\"" "$1" || true; }

run_set() { # name workload-args...
	local name=$1; shift
	local i
	for i in $(seq "$REPEAT"); do
		"$LOOPS" "$@" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/$name.base"
		"$PROCSCOPE" -q -o "$TMP/ps.jsonl" --force -- "$LOOPS" "$@" 2> "$TMP/e"
		grep -v '^procscope:' "$TMP/e" | tail -n 1 >> "$TMP/$name.ps"
		strace -f -qq -o "$TMP/strace.out" "$LOOPS" "$@" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/$name.strace"
	done
}

report() { # name label events-expected event-type
	local name=$1 label=$2 expected=$3 type=$4
	local base ps st got lost
	base=$(median < "$TMP/$name.base")
	ps=$(median < "$TMP/$name.ps")
	st=$(median < "$TMP/$name.strace")
	got=$(count_type "$TMP/ps.jsonl" "$type")
	lost=$(grep '"type":"stats"' "$TMP/ps.jsonl" | sed 's/.*"lost":\([0-9]*\).*/\1/')
	printf '%-18s untraced %8.3fs  procscope %8.3fs (%5.2fx)  strace -f %8.3fs (%6.2fx)  %s events: %s of %s expected, lost %s\n' \
		"$label" "$base" "$ps" "$(echo "$ps / $base" | bc -l)" "$st" "$(echo "$st / $base" | bc -l)" \
		"$type" "$got" "$expected" "$lost"
}

echo "procscope benchmark: median of $REPEAT interleaved runs on $(nproc) CPUs, kernel $(uname -r)"
run_set open open "$OPEN_N" "$TARGET"
report open "open+close x$OPEN_N" "$OPEN_N" file.open
# The open loop's own opens of its target, not the loader's.
echo "  (procscope file.open events on the target: $(grep -c "\"path\":\"$TARGET\"" "$TMP/ps.jsonl"))"
run_set fork forkexec "$FORK_N"
report fork "fork+exec x$FORK_N" "$((FORK_N + 1))" process.exec

# Bystander: procscope traces a sleeping process; an untraced loop runs.
for i in $(seq "$REPEAT"); do
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/by.base"
	"$TMP/floor" &
	floor_pid=$!
	sleep 1
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/by.floor"
	kill -TERM "$floor_pid"; wait "$floor_pid" || true
	"$PROCSCOPE" -q -o "$TMP/by.jsonl" --force -- sleep 600 &
	ps_pid=$!
	sleep 1
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/by.ps"
	kill -TERM "$ps_pid"; wait "$ps_pid" || true
done
base=$(median < "$TMP/by.base"); fl=$(median < "$TMP/by.floor"); ps=$(median < "$TMP/by.ps")
printf '%-18s alone %8.3fs  floor (empty programs) %8.3fs (%5.3fx)  while procscope traces another process %8.3fs (%5.3fx)\n' \
	"bystander" "$base" "$fl" "$(echo "$fl / $base" | bc -l)" "$ps" "$(echo "$ps / $base" | bc -l)"
