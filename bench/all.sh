#!/usr/bin/env bash
# --all on this host, interleaved and repeated, medians reported (no thresholds):
#   bystander: an untraced open+close loop alone, beside the floor (empty
#     programs on the two syscall tracepoints), and beside procscope --all
#     with the default policy and with no rules at all;
#   storm: FORK_N fork+exec of /bin/true while procscope --all runs: execs
#     seen vs made, losses, and procscope's resident memory before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
OPEN_N=${OPEN_N:-200000}
FORK_N=${FORK_N:-20000}
REPEAT=${REPEAT:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOOPS=$TMP/loops
cc -O2 -o "$LOOPS" bench/loops.c
make -s build/vmlinux.h
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ibuild -c bench/floor.bpf.c -o "$TMP/floor.bpf.o"
bpftool gen skeleton "$TMP/floor.bpf.o" name floor_bpf > "$TMP/floor.skel.h"
cc -O2 -I"$TMP" -o "$TMP/floor" bench/floor.c $(pkg-config --libs libbpf) -lelf -lz
TARGET=$TMP/target
echo x > "$TARGET"

elapsed() { tail -n 1 "$1"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# procscope --all ARGS in the background until its programs are attached; sets ps_pid.
start_all() {
	"$PROCSCOPE" -q --all -o "$TMP/all.jsonl" --force "$@" &
	ps_pid=$!
	sleep 1.5
}
stop_all() { kill -INT "$ps_pid"; wait "$ps_pid" || true; }

for i in $(seq "$REPEAT"); do
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/base"
	"$TMP/floor" & floor_pid=$!; sleep 1
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/floor.t"
	kill -TERM "$floor_pid"; wait "$floor_pid" || true
	start_all
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/default"
	stop_all
	start_all --no-default-rules
	"$LOOPS" open "$OPEN_N" "$TARGET" 2> "$TMP/e"; elapsed "$TMP/e" >> "$TMP/norules"
	stop_all
done
b=$(median < "$TMP/base"); f=$(median < "$TMP/floor.t"); d=$(median < "$TMP/default"); n=$(median < "$TMP/norules")
echo "procscope --all: median of $REPEAT interleaved runs on $(nproc) CPUs, kernel $(uname -r)"
printf '%-22s alone %7.3fs  floor %7.3fs (%5.3fx)  --all default policy %7.3fs (%5.3fx)  --all no rules %7.3fs (%5.3fx)\n' \
	"bystander open+close" "$b" "$f" "$(echo "$f / $b" | bc -l)" "$d" "$(echo "$d / $b" | bc -l)" \
	"$n" "$(echo "$n / $b" | bc -l)"

start_all --no-default-rules
rss0=$(rss_kb "$ps_pid")
"$LOOPS" forkexec "$FORK_N" 2> "$TMP/e"
sleep 1
rss1=$(rss_kb "$ps_pid")
stop_all
seen=$(grep -c "\"filename\":\"/bin/true\"" "$TMP/all.jsonl" || true)
lost=$(grep '"type":"stats"' "$TMP/all.jsonl" | sed 's/.*"lost":\([0-9]*\).*/\1/')
printf '%-22s %s fork+exec in %ss: process.exec of /bin/true seen %s of %s, lost %s, procscope RSS %s kB before, %s kB after\n' \
	"storm" "$FORK_N" "$(elapsed "$TMP/e")" "$seen" "$FORK_N" "$lost" "$rss0" "$rss1"
