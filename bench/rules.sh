#!/usr/bin/env bash
# Rules' cost, measured in one run, no thresholds.  Needs root.
#  1. In-kernel evaluation: a loop of successful setresuid(-1,-1,-1) calls,
#     each judged by a sandboxed setuid hook of 64 rules that all fail (so
#     every rule is evaluated), against the same loop with no rules.  The
#     kernel's own per-program statistics (kernel.bpf_stats_enabled) give
#     ps_sys_exit's run time; the difference per call is the evaluation.
#  2. The open+close loop with the default policy against --no-default-rules
#     (the consumer evaluates report-only rules): wall time, interleaved,
#     median of REPEAT.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
REPEAT=${REPEAT:-5}
CALLS=${CALLS:-200000}
OPENS=${OPENS:-200000}
TMP=$(mktemp -d)
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
trap 'rm -rf "$TMP"; sysctl -qw kernel.bpf_stats_enabled="$old_stats"' EXIT
sysctl -qw kernel.bpf_stats_enabled=1

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

{
	echo "setuid:"
	echo "  enabled: true"
	echo "  sandbox: {enabled: true, deny_list: true}"
	echo "  rules:"
	for i in $(seq 0 63); do
		echo "    - rule: R$i"
		echo "      scope: binary_prefix == \"/nonexistent/$i/\" OR NOT binary_name == \"x$i\""
		echo "      event: uid == $((1000 + i)) AND euid == 0"
	done
} > "$TMP/64.yaml"

# Runs CALLS setresuid(-1,-1,-1) and prints ps_sys_exit's run_time_ns and run_cnt so far.
cat > "$TMP/loop.py" <<PY
import ctypes, json, subprocess, sys
libc = ctypes.CDLL(None)
m1 = ctypes.c_long(-1)
for _ in range($CALLS):
    libc.syscall(117, m1, m1, m1)
progs = json.loads(subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True, text=True).stdout)
p = [p for p in progs if p.get("name") == "ps_sys_exit"][0]
print(p.get("run_time_ns", 0), p.get("run_cnt", 0))
PY

per_call() { # rules options...
	"$PROCSCOPE" -q --force -o "$TMP/t.jsonl" "$@" -- /usr/bin/python3 "$TMP/loop.py" 2>/dev/null
}

for _ in $(seq "$REPEAT"); do
	read -r t0 c0 < <(per_call --no-default-rules)
	read -r t1 c1 < <(per_call --rules "$TMP/64.yaml")
	echo "$t0 $c0" >> "$TMP/none"
	echo "$t1 $c1" >> "$TMP/64"
	echo "($t1 / $c1 - $t0 / $c0) * $c1 / $CALLS" | bc -l >> "$TMP/delta"
done
none_ns=$(awk '{print $1 / $2}' "$TMP/none" | median)
with_ns=$(awk '{print $1 / $2}' "$TMP/64" | median)
delta=$(median < "$TMP/delta")
printf 'kernel: ps_sys_exit %.0f ns per run without rules, %.0f ns with 64 setuid rules; evaluation %.0f ns per judged call (median of %d; %d calls)\n' \
	"$none_ns" "$with_ns" "$delta" "$REPEAT" "$CALLS"

cat > "$TMP/opens.py" <<PY
import os
for _ in range($OPENS):
    os.close(os.open("/etc/hostname", os.O_RDONLY))
PY
wall() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
for _ in $(seq "$REPEAT"); do
	wall "$PROCSCOPE" -q --force -o "$TMP/t.jsonl" --no-default-rules -- /usr/bin/python3 "$TMP/opens.py" >> "$TMP/norules"
	wall "$PROCSCOPE" -q --force -o "$TMP/t.jsonl" -- /usr/bin/python3 "$TMP/opens.py" >> "$TMP/default"
done
a=$(median < "$TMP/norules")
b=$(median < "$TMP/default")
printf 'open+close x%d: %.3f s with no rules, %.3f s with the default policy: ratio %.3f (median of %d, interleaved)\n' \
	"$OPENS" "$a" "$b" "$(echo "$b / $a" | bc -l)" "$REPEAT"
