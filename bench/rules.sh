#!/usr/bin/env bash
# Rules' cost, measured in one run, no thresholds.  Needs root.
#  1. In-kernel evaluation: a loop of successful setresuid(-1,-1,-1) calls,
#     each judged by a sandboxed setuid hook of 64 rules that all fail,
#     against the same loop with no rules: once with rules the screens rule
#     out, once with rules that must all run.  The
#     kernel's own per-program statistics (kernel.bpf_stats_enabled) give
#     ps_sys_exit's run time; the difference per call is the evaluation.
#  2. The open+close loop with the default policy against --no-default-rules
#     (the kernel judges file_open's rules on the file opened, the consumer
#     what may match): wall time, interleaved,
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

# 64 rules no call matches.  Screened: each needs uid == X, one lookup
# rules them all out.  Judged: each needs uid > X, so every rule's ops run.
for kind in screened judged; do
	{
		echo "setuid:"
		echo "  enabled: true"
		echo "  sandbox: {enabled: true, deny_list: true}"
		echo "  rules:"
		for i in $(seq 0 63); do
			echo "    - rule: R$i"
			echo "      scope: binary_prefix == \"/nonexistent/$i/\" OR NOT binary_name == \"x$i\""
			if [ "$kind" = screened ]; then
				echo "      event: uid == $((1000 + i)) AND euid == 0"
			else
				echo "      event: uid > $((1000 + i)) AND euid == 0"
			fi
		done
	} > "$TMP/$kind.yaml"
done

# ps_sys_exit's run time over CALLS setresuid(-1,-1,-1), per call (ns), from
# the kernel's statistics read just before and just after the loop.
cat > "$TMP/loop.py" <<PY
import ctypes, json, subprocess
def stats():
    progs = json.loads(subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True, text=True).stdout)
    return [p for p in progs if p.get("name") == "ps_sys_exit"][0].get("run_time_ns", 0)
libc = ctypes.CDLL(None)
m1 = ctypes.c_long(-1)
t0 = stats()
for _ in range($CALLS):
    libc.syscall(117, m1, m1, m1)
print((stats() - t0) / $CALLS)
PY

per_call() { # rules options...
	"$PROCSCOPE" -q --force -o "$TMP/t.jsonl" "$@" -- /usr/bin/python3 "$TMP/loop.py" 2>/dev/null
}

for _ in $(seq "$REPEAT"); do
	per_call --no-default-rules >> "$TMP/none"
	for kind in screened judged; do
		per_call --rules "$TMP/$kind.yaml" >> "$TMP/$kind"
	done
done
none=$(median < "$TMP/none")
scr=$(median < "$TMP/screened")
jud=$(median < "$TMP/judged")
printf 'kernel: ps_sys_exit per setresuid call: %.0f ns without rules; with 64 sandboxed setuid rules %.0f ns when the screens rule them out (uid == X: +%.0f ns), %.0f ns when every rule runs (uid > X: +%.0f ns) (median of %d, %d calls each)\n' \
	"$none" "$scr" "$(echo "$scr - $none" | bc -l)" "$jud" "$(echo "$jud - $none" | bc -l)" "$REPEAT" "$CALLS"

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
