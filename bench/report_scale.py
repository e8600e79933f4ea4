#!/usr/bin/python3
"""How report.html scales: synthetic JSON Lines of PROCS processes and EVENTS
events (one process makes half of them), then `procscope report` on it; prints
the generation time and the page's size.

usage: bench/report_scale.py PROCSCOPE EVENTS [PROCS] [WORKDIR]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

T0 = 10_000_000_000
PROGS = ["/usr/bin/make", "/usr/bin/cc", "/usr/bin/as", "/usr/bin/ld", "/bin/sh", "/usr/bin/sed"]


def events(nev, nproc):
    seq = 0

    def ev(ts, pid, key, typ, **kw):
        nonlocal seq
        seq += 1
        e = {"schema": 1, "seq": seq, "time": "2026-11-23T12:00:%02d.%09dZ" % (ts // 10**9 % 60,
             ts % 10**9), "ts_ns": T0 + ts, "type": typ, "pid": pid, "tid": pid, "ppid": 1,
             "uid": 1000, "gid": 1000, "euid": 1000, "comm": "p%d" % pid, "key": key}
        e.update(kw)
        return json.dumps(e, separators=(",", ":"))

    yield json.dumps({"schema": 1, "seq": 0, "type": "run", "procscope": "bench"})
    per = max(1, (nev // 2) // nproc)
    span = 60 * 10**9
    busy = nproc // 2
    for i in range(nproc):
        pid, start = 1000 + i, span * i // nproc
        key = "%d@%d" % (pid, T0 + start)
        yield ev(start, pid, key, "process.exec", process={"filename": PROGS[i % len(PROGS)],
                 "args": [PROGS[i % len(PROGS)], "-c", "x%d" % i]})
        n = nev // 2 if i == busy else per - 2
        for j in range(max(0, n)):
            ts = start + (j * 997) % (span // nproc * (40 if i == busy else 1) + 1)
            err = {"ret": -2, "error": "ENOENT"} if j % 7 == 0 else {"ret": 3}
            yield ev(ts, pid, key, "file.open", file={"path": "/usr/lib/x%d/f%d" % (i % 50, j % 300),
                     "flags": ["O_RDONLY", "O_CLOEXEC"]}, **err)
        yield ev(start + span // nproc, pid, key, "process.exit", process={"exit_code": i % 3 == 0})
    yield json.dumps({"schema": 1, "seq": seq + 1, "type": "stats", "ts_ns": T0 + span,
                      "events": seq, "lost": 0, "complete": True, "counters": {}})


def main():
    procscope, nev = sys.argv[1], int(sys.argv[2])
    nproc = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    work = sys.argv[4] if len(sys.argv) > 4 else tempfile.mkdtemp(prefix="report-scale.")
    src = os.path.join(work, "trace.jsonl")
    with open(src, "w") as f:
        n = sum(1 for line in events(nev, nproc) if f.write(line + "\n"))
    out = os.path.join(work, "out")
    t = time.monotonic()
    subprocess.run([procscope, "report", src, "-o", out, "--force"], check=True)
    took = time.monotonic() - t
    size = os.path.getsize(os.path.join(out, "report.html"))
    print(f"{n} lines, {nproc} processes: report {took:.2f} s, report.html {size} bytes "
          f"({size / 1024 / 1024:.2f} MiB), in {out}")


if __name__ == "__main__":
    main()
