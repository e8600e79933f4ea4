#!/usr/bin/python3
"""deploy/seccomp.json: the container runtimes' default seccomp profile, plus bpf and perf_event_open.

The default profile (Debian's golang-github-containers-common ships it as
/usr/share/containers/seccomp.json; Docker's and containerd's are alike) allows
bpf(2) and perf_event_open(2) only to a container that has CAP_SYS_ADMIN.
procscope needs only CAP_BPF and CAP_PERFMON, which the kernel checks itself:
this profile takes the two syscalls out of the CAP_SYS_ADMIN rules and allows
them to any container.  Nothing else changes.

Usage: gen-seccomp.py [DEFAULT_PROFILE] > deploy/seccomp.json
"""
import json
import sys

SYSCALLS = ["bpf", "perf_event_open"]
COMMENT = ("procscope: allowed without CAP_SYS_ADMIN; the kernel still requires "
           "CAP_BPF and CAP_PERFMON for them")


def generate(profile):
    rules = []
    placed = False
    for rule in profile["syscalls"]:
        names = rule["names"]
        if not any(n in names for n in SYSCALLS):
            rules.append(rule)
            continue
        rest = [n for n in names if n not in SYSCALLS]
        if rest:
            rules.append(dict(rule, names=rest))
        if not placed:
            rules.append({"names": list(SYSCALLS), "action": "SCMP_ACT_ALLOW", "args": [],
                          "comment": COMMENT, "includes": {}, "excludes": {}})
            placed = True
    if not placed:
        raise SystemExit("gen-seccomp: the default profile has no rule for bpf or perf_event_open")
    return dict(profile, syscalls=rules)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/containers/seccomp.json"
    with open(src, encoding="utf-8") as f:
        profile = json.load(f)
    sys.stdout.write(json.dumps(generate(profile), indent="\t") + "\n")


if __name__ == "__main__":
    main()
