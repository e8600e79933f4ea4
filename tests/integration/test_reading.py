# Reading a trace: the strace-style summary (-c, calls.tsv) and the timeline's
# folding of loader lookups and PATH-search misses, checked against the JSON
# Lines of the same run, which keep every event.
import collections
import json
import re
import subprocess

from conftest import PROCSCOPE, PYTHON, fixture, load_jsonl

TIMELINE_LINE = re.compile(r"^\s*\d+\.\d{6}\s+\d+ ")
MISSES = "PATH=/nonexistent_ps_a:/nonexistent_ps_b:/usr/bin"


def trace(tmp_path, cmd, *extra):
    out = tmp_path / "trace.jsonl"
    timeline = tmp_path / "timeline.txt"
    for p in (out, timeline):
        if p.exists():
            p.unlink()
    proc = subprocess.run([PROCSCOPE, "--no-default-rules", "-o", str(out), "--timeline", str(timeline),
                           *extra, "--", *cmd], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = [e for e in load_jsonl(out) if e["type"] not in ("run", "stats")]
    return proc, events, timeline.read_text().splitlines()


def expected_calls(events):
    rows = collections.defaultdict(lambda: [0, collections.Counter()])
    for e in events:
        row = rows[(e["type"], e.get("syscall", ""))]
        row[0] += 1
        if "error" in e:
            row[1][e["error"]] += 1
    return {k: (n, dict(errs)) for k, (n, errs) in rows.items()}


def workload():
    opener = fixture("opener")
    return ["sh", "-c", f"{opener} open /etc/hostname 0; {opener} open /nonexistent_ps/x 0; "
                        f"env {MISSES} true; exit 0"]


def test_summary_table_counts_every_event_by_type_and_syscall(root, tmp_path):
    out = tmp_path / "trace.jsonl"
    proc = subprocess.run([PROCSCOPE, "-c", "--no-default-rules", "-o", str(out), "--", *workload()],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = [e for e in load_jsonl(out) if e["type"] not in ("run", "stats")]
    lines = proc.stderr.splitlines()
    # -c replaces the live timeline, as strace's does.
    assert not [l for l in lines if TIMELINE_LINE.match(l)], proc.stderr
    head = next(i for i, l in enumerate(lines) if l.split()[:4] == ["type", "syscall", "calls", "errors"])
    got = {}
    for l in lines[head + 1:]:
        f = l.split()
        if f[0] == "total":
            assert int(f[1]) == len(events) and int(f[2]) == sum("error" in e for e in events), l
            break
        errs = dict((name, int(n)) for name, n in re.findall(r"(E[A-Z0-9]+) (\d+)", l))
        got[(f[0], "" if f[1] == "-" else f[1])] = (int(f[2]), errs)
        assert int(f[3]) == sum(errs.values()), l
    else:
        raise AssertionError(f"no total line: {proc.stderr}")
    assert got == expected_calls(events)
    assert got[("file.open", "openat")][1].get("ENOENT", 0) >= 1
    assert got[("process.exec", "execve")] == (2, {"ENOENT": 2})


def test_bundle_calls_tsv_is_the_same_summary(root, tmp_path):
    b = tmp_path / "b"
    proc = subprocess.run([PROCSCOPE, "-q", "--no-default-rules", "--bundle", str(b), "--", *workload()],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = [e for e in map(json.loads, (b / "events.jsonl").read_text().splitlines())
              if e["type"] not in ("run", "stats")]
    rows = (b / "calls.tsv").read_text().splitlines()
    assert rows[0].split("\t") == ["type", "syscall", "calls", "errors", "errors_by_errno", "first_ns", "last_ns"]
    got = {}
    for r in rows[1:]:
        t, sc, n, nerr, errs, first, last = r.split("\t")
        errs = {k: int(v) for k, v in (x.split(":") for x in errs.split(",") if x)}
        assert int(nerr) == sum(errs.values())
        mine = [e["ts_ns"] for e in events if e["type"] == t and e.get("syscall", "") == sc]
        assert (int(first), int(last)) == (min(mine), max(mine)), r
        got[(t, sc)] = (int(n), errs)
    assert got == expected_calls(events)
    assert "calls.tsv" in (b / "MANIFEST.sha256").read_text()
    assert subprocess.run([PROCSCOPE, "verify", str(b)], capture_output=True).returncode == 0


def test_timeline_folds_loader_lookups_and_path_misses_and_keeps_the_json(root, tmp_path):
    proc, events, lines = trace(tmp_path, ["env", MISSES, "true"])
    misses = [e for e in events if e["type"] == "process.exec" and e.get("error") == "ENOENT"]
    assert [e["process"]["filename"] for e in misses] == ["/nonexistent_ps_a/true", "/nonexistent_ps_b/true"]
    assert not [l for l in lines if "filename=/nonexistent_ps_" in l], lines
    execs = [l for l in lines if "process.exec" in l and "filename=/usr/bin/true" in l]
    assert len(execs) == 1 and execs[0].endswith("(after 2 PATH misses)"), lines
    folded = [l for l in lines if re.search(r"\sld\.so\s+\d+ opens?", l)]
    assert folded, lines
    # Nothing vanished: shown lines, folded opens and folded misses add up to every event.
    in_folds = sum(int(re.search(r"ld\.so\s+(\d+) open", l).group(1)) for l in folded)
    assert len(lines) - len(folded) + in_folds + len(misses) == len(events), lines
    loader = [e for e in events if e["type"] in ("file.open", "file.access")
              and re.search(r"^/etc/ld\.so\.|\.so(\.|$)|/locale|/gconv/", e["file"]["path"])]
    assert in_folds == len(loader)


def test_full_shows_every_event(root, tmp_path):
    _, events, lines = trace(tmp_path, ["env", MISSES, "true"], "--full")
    assert len(lines) == len(events)
    assert not [l for l in lines if " ld.so " in l or "PATH miss" in l]
    assert len([l for l in lines if "filename=/nonexistent_ps_" in l]) == 2


def test_what_is_never_folded(root, tmp_path):
    """A library from outside the system directories, a write open, and a failed exec with no success after it."""
    lib = tmp_path / "libplanted.so.1"
    lib.write_text("")
    script = (f"import os\nos.close(os.open({str(lib)!r}, os.O_RDONLY))\n"
              "try:\n    os.open('/usr/lib/nonexistent_ps.so', os.O_WRONLY)\nexcept OSError:\n    pass\n"
              "try:\n    os.execv('/nonexistent_ps_c/prog', ['prog'])\nexcept OSError:\n    pass\n")
    _, events, lines = trace(tmp_path, [PYTHON, "-c", script])
    assert [l for l in lines if "file.open" in l and str(lib) in l], lines
    assert [l for l in lines if "file.open" in l and "/usr/lib/nonexistent_ps.so" in l and "O_WRONLY" in l], lines
    assert [l for l in lines if "process.exec" in l and "/nonexistent_ps_c/prog" in l and "ENOENT" in l], lines


def test_reports_fold_path_misses_and_the_tree_json_keeps_them(root, tmp_path):
    b = tmp_path / "b"
    proc = subprocess.run([PROCSCOPE, "-q", "--no-default-rules", "--bundle", str(b), "--", "env", MISSES, "true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    tree = (b / "process-tree.txt").read_text()
    assert "exec /usr/bin/true: true (after 2 PATH misses)" in tree, tree
    assert "/nonexistent_ps_a/true" not in tree
    summary = (b / "summary.md").read_text()
    assert "true (after 2 PATH misses)" in summary and "/nonexistent_ps_b/true" not in summary
    procs = json.loads((b / "process-tree.json").read_text())["processes"]
    execs = [(e["filename"], e.get("error")) for p in procs for e in p["execs"]]
    assert execs == [("/usr/bin/env", None), ("/nonexistent_ps_a/true", "ENOENT"),
                     ("/nonexistent_ps_b/true", "ENOENT"), ("/usr/bin/true", None)], execs
