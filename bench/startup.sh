#!/usr/bin/env bash
# Start-up cost: `procscope -q -- true` against `true`, interleaved, REPEAT
# runs each, median wall time; then the time each BPF program spends in the
# kernel's BPF_PROG_LOAD (verification, measured as the syscall's duration by
# strace -T) and the total.  Needs root.  No thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."

PROCSCOPE=${PROCSCOPE:-build/procscope}
REPEAT=${REPEAT:-9}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Wall seconds of one run of the command.
wall() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }

for _ in $(seq "$REPEAT"); do
	wall true >> "$TMP/plain"
	wall "$PROCSCOPE" -q -- true >> "$TMP/traced"
done
plain=$(median < "$TMP/plain")
traced=$(median < "$TMP/traced")
printf 'start-up: true %.1f ms, procscope -q -- true %.1f ms, added %.1f ms (median of %d, interleaved)\n' \
	"$(echo "$plain * 1000" | bc -l)" "$(echo "$traced * 1000" | bc -l)" \
	"$(echo "($traced - $plain) * 1000" | bc -l)" "$REPEAT"

# Per-program load (verifier) time, from one traced start-up.
strace -f -T -e trace=bpf -o "$TMP/bpf.txt" "$PROCSCOPE" -q -- true > /dev/null 2>&1
python3 - "$TMP/bpf.txt" <<'EOF'
import re, sys
total = 0.0
rows = []
for line in open(sys.argv[1]):
    if "BPF_PROG_LOAD" not in line:
        continue
    name = re.search(r'prog_name="([^"]*)"', line)
    took = re.search(r'<([0-9.]+)>\s*$', line)
    if not name or not took or not name.group(1).startswith("ps_"):
        continue
    rows.append((name.group(1), float(took.group(1)) * 1000))
    total += float(took.group(1)) * 1000
print("verification: " + ", ".join("%s %.1f ms" % r for r in rows) + "; total %.1f ms" % total)
EOF
