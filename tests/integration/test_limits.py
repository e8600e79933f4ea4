# Nothing is lost silently: every bound that cuts or drops is counted and
# reaches the record, the stats record and the summary line.  And the
# launched command keeps the terminal.
import os
import pty
import select
import subprocess
import time

import pytest

from conftest import PROCSCOPE, load_jsonl, run_trace

pytestmark = pytest.mark.usefixtures("root")


def test_args_cut_at_bounds_are_marked_and_counted(tmp_path):
    long_arg = "x" * 3000
    many = [str(i) for i in range(100)]
    t = run_trace(tmp_path, ["/bin/echo", long_arg, *many], extra=["--max-arg-len", "100"])
    p = t.of_type("process.exec")[0]["process"]
    assert p["argc"] == 102
    assert len(p["args"]) == 64
    assert p["args"][1] == "x" * 100
    assert p["args_truncated"] is True

    t = run_trace(tmp_path, ["/bin/echo", long_arg], extra=["--args-bytes", "256"])
    ex = t.of_type("process.exec")[0]
    assert ex["truncated"] is True and ex["process"]["args_truncated"] is True
    assert t.stats["counters"]["args_truncated"] == 1
    assert t.stats["complete"] is True  # cut short, but nothing dropped


def test_processes_beyond_the_map_are_counted_as_lost(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "for i in $(seq 40); do sleep 0.3 & done; wait"],
                  extra=["--max-procs", "16"])
    assert t.returncode == 0
    st = t.stats
    assert st["counters"]["tracked_full"] > 0
    assert st["lost"] >= st["counters"]["tracked_full"]
    assert st["complete"] is False
    # The children that did fit (the map's free slots are per CPU, so not
    # exactly 15) are all reported, exit included.
    forks = t.of_type("process.fork")
    exits = {e["pid"] for e in t.of_type("process.exit")}
    assert 8 <= len(forks) < 40 and {f["process"]["child_pid"] for f in forks} <= exits
    proc = subprocess.run([PROCSCOPE, "--max-procs", "16", "--", "sh", "-c",
                           "for i in $(seq 40); do sleep 0.3 & done; wait"],
                          capture_output=True, text=True)
    assert "tracked_full" in proc.stderr.splitlines()[-1]


def test_attach_beyond_the_map_is_counted_as_lost(tmp_path):
    parent = subprocess.Popen(["sh", "-c", "for i in $(seq 30); do sleep 5 & done; wait"])
    try:
        time.sleep(1.0)
        out = tmp_path / "a.jsonl"
        ps = subprocess.Popen([PROCSCOPE, "-q", "-o", str(out), "--max-procs", "16", "-p", str(parent.pid)])
        assert ps.wait(timeout=30) == 0
    finally:
        parent.kill()
        parent.wait()
    st = [e for e in load_jsonl(out) if e["type"] == "stats"][0]
    assert st["counters"]["tracked_full"] > 0 and st["complete"] is False


def test_interactive_command_keeps_the_terminal():
    """A command reading the terminal must not stop on SIGTTIN; the timeline is coloured there."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(PROCSCOPE, [PROCSCOPE, "--", "sh", "-c", "read line; echo got:$line"])
    out = b""
    deadline = time.time() + 20
    sent = False
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not sent and time.time() > deadline - 18:
            os.write(fd, b"hello\n")
            sent = True
        if r:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if b"got:hello" in out:
                break
    while True:  # the rest of the timeline
        r, _, _ = select.select([fd], [], [], 2)
        try:
            chunk = os.read(fd, 4096) if r else b""
        except OSError:
            chunk = b""
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert b"got:hello" in out, out
    assert os.WEXITSTATUS(status) == 0
    assert b"\033[32m" in out and b"process.exec" in out  # colour on a terminal
