# Filters applied in the kernel: --failed and --succeeded.  What they
# exclude is never sent to user space; the kernel's own counter says how
# many calls it held back.
import subprocess

from conftest import PROCSCOPE, fixture, run_trace


def opens_both(tmp_path, flag):
    """One successful and one failed open, each by its own opener process."""
    opener = fixture("opener")
    return run_trace(tmp_path, ["sh", "-c", f"{opener} open /etc/hostname 0; {opener} open /nonexistent/zz 0"],
                     extra=[flag])


def opener_opens(t):
    return [(e["file"]["path"], e["ret"]) for e in t.of_type("file.open", comm="opener")
            if e["file"]["path"] in ("/etc/hostname", "/nonexistent/zz")]


def syscall_records(t):
    return [e for e in t.events if "syscall" in e and "ret" in e]


def test_failed_keeps_only_failures_and_the_lifecycle(root, tmp_path):
    t = opens_both(tmp_path, "--failed")
    assert t.returncode == 0, t.stderr
    assert opener_opens(t) == [("/nonexistent/zz", -2)]
    # Every syscall record is a failure, but process creation is lifecycle.
    for e in syscall_records(t):
        assert e["ret"] < 0 or e["type"] == "process.clone", e
    assert len([e for e in t.of_type("process.exec") if e["comm"] == "opener"]) == 2
    assert len(t.of_type("process.exit")) >= 3
    assert t.stats["counters"]["filtered"] > 0
    assert t.events[0]["filters"] == ["--failed"]


def test_succeeded_keeps_only_successes(root, tmp_path):
    t = opens_both(tmp_path, "--succeeded")
    assert t.returncode == 0, t.stderr
    assert opener_opens(t) == [("/etc/hostname", 3)]
    for e in syscall_records(t):
        assert e["ret"] >= 0, e
    assert t.stats["counters"]["filtered"] > 0
    assert t.events[0]["filters"] == ["--succeeded"]


def test_filtered_is_zero_without_a_filter(root, tmp_path):
    t = run_trace(tmp_path, [fixture("opener"), "open", "/nonexistent/zz", "0"])
    assert opener_opens(t) == [("/nonexistent/zz", -2)]
    assert t.stats["counters"]["filtered"] == 0
    assert t.events[0]["filters"] == []


def test_failed_and_succeeded_together_is_a_usage_error():
    proc = subprocess.run([PROCSCOPE, "--failed", "--succeeded", "--", "true"],
                          capture_output=True, text=True)
    assert proc.returncode == 64
    assert proc.stderr.count("\n") == 1 and "not both" in proc.stderr
