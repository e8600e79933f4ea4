# The core: launch mode, attach mode, JSON output, lifecycle, exit codes,
# and nothing left in the kernel afterwards.
import os
import signal
import subprocess
import time

import pytest

from conftest import (PROCSCOPE, PYTHON, fixture, load_jsonl, one, parse_events, procscope_progs,
                      run_trace, wait_no_progs)

pytestmark = pytest.mark.usefixtures("root")

COMMON = ["schema", "seq", "time", "ts_ns", "type", "pid", "tid", "ppid", "uid", "gid",
          "euid", "comm", "key"]


def test_lifecycle_fixture(tmp_path):
    t = run_trace(tmp_path, [fixture("lifecycle")])
    assert t.returncode == 7, t.stderr
    ev = t.events
    assert [e["seq"] for e in ev] == list(range(1, len(ev) + 1))
    assert ev[0]["type"] == "run" and ev[0]["command"] == [fixture("lifecycle")]
    for e in ev[1:-1]:
        for k in COMMON:
            assert k in e, (k, e)
        assert e["schema"] == 1
        assert e["time"].endswith("Z") and len(e["time"].split(".")[1]) == 10

    execs = t.of_type("process.exec")
    assert [x["process"]["args"] for x in execs] == [[fixture("lifecycle")], ["lifecycle", "child"]]
    assert execs[0]["process"]["filename"] == fixture("lifecycle")
    assert execs[1]["process"]["filename"] == "/proc/self/exe"
    assert execs[1]["process"]["exe"] == fixture("lifecycle")
    root_pid = execs[0]["pid"]

    # One fork (the child); the three threads are not processes.
    forks = t.of_type("process.fork")
    assert len(forks) == 1 and forks[0]["pid"] == root_pid
    child_pid = forks[0]["process"]["child_pid"]
    assert execs[1]["pid"] == child_pid and execs[1]["ppid"] == root_pid

    exits = t.of_type("process.exit")
    by_pid = {x["pid"]: x["process"] for x in exits}
    assert by_pid == {root_pid: {"exit_code": 7}, child_pid: {"exit_code": 3}}

    opens = t.of_type("file.open", pid=root_pid)
    hostname = [o for o in opens if o["file"]["path"] == "/etc/hostname"]
    assert len(hostname) == 1 and hostname[0]["ret"] >= 0 and "error" not in hostname[0]
    assert hostname[0]["file"]["flags"] == ["O_RDONLY", "O_CLOEXEC"]
    missing = [o for o in opens if o["file"]["path"] == "/nonexistent-dir/procscope-missing"]
    assert len(missing) == 1 and missing[0]["ret"] == -2 and missing[0]["error"] == "ENOENT"
    untouched = [o for o in opens if o["file"]["path"] == "/tmp/procscope-untouched-page-path"]
    assert len(untouched) == 1, [o["file"]["path"] for o in opens]

    # Thread opens carry the process's pid and their own tid.
    devnull = [o for o in opens if o["file"]["path"] == "/dev/null"]
    assert len(devnull) == 3
    assert all(o["tid"] != root_pid for o in devnull)
    assert len({o["tid"] for o in devnull}) == 3

    st = t.stats
    assert st["seq"] == len(ev) and st["complete"] is True and st["lost"] == 0
    assert st["events"] == len(ev) - 2  # events: neither the run header nor the stats record


def test_relative_paths_are_made_absolute(tmp_path):
    (tmp_path / "here.txt").write_text("x")
    t = run_trace(tmp_path, ["cat", "here.txt", "../nope"], cwd=str(tmp_path))
    assert t.returncode == 1
    paths = {o["file"]["path"]: o for o in t.of_type("file.open")}
    assert paths[str(tmp_path / "here.txt")]["ret"] >= 0
    assert paths[str(tmp_path / "here.txt")]["file"]["path_arg"] == "here.txt"
    assert paths[str(tmp_path.parent / "nope")]["error"] == "ENOENT"


def test_exit_status_passes_through(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "exit 42"])
    assert t.returncode == 42
    t = run_trace(tmp_path, ["sh", "-c", "kill -9 $$"])
    assert t.returncode == 128 + 9
    ex = t.of_type("process.exit")
    assert ex[-1]["process"] == {"signal": "SIGKILL", "core_dumped": False}


def test_command_not_found(tmp_path):
    t = run_trace(tmp_path, ["/nonexistent/procscope-no-such-command"])
    assert t.returncode == 127
    assert "cannot run '/nonexistent/procscope-no-such-command'" in t.stderr
    failed = t.of_type("process.exec")
    assert failed and failed[0]["error"] == "ENOENT"
    assert failed[0]["process"]["filename"] == "/nonexistent/procscope-no-such-command"


def test_daemonised_grandchild_is_waited_for(tmp_path):
    marker = tmp_path / "late"
    t = run_trace(tmp_path, ["sh", "-c", f"(sleep 0.5; cat /etc/hostname > {marker}) & exit 0"])
    assert t.returncode == 0
    assert marker.exists()
    assert any(o["file"]["path"] == str(marker) for o in t.of_type("file.open"))


def test_clone_parent_child_is_reaped(tmp_path):
    # The fixture's CLONE_PARENT child is procscope's: unreaped, kill(child, 0)
    # would never fail and the fixture would give up after 20 s with 1.
    t = run_trace(tmp_path, [fixture("cloneparent")], timeout=60)
    assert t.returncode == 0, t.stderr
    child = int(t.stdout.split()[0])
    root_pid = t.of_type("process.exec")[0]["pid"]
    fork = one(t, "process.fork", pid=root_pid)
    assert fork["process"]["child_pid"] == child
    ex = one(t, "process.exit", pid=child)
    assert ex["process"] == {"exit_code": 0}
    assert ex["ppid"] != root_pid  # the child's parent is procscope
    assert one(t, "process.exit", pid=root_pid)["process"] == {"exit_code": 0}


def test_ignored_sigchld_is_passed_on_not_obeyed(tmp_path):
    # With SIGCHLD ignored the kernel would reap the command itself and
    # procscope would wait for its status forever.
    # A shell would reset SIGCHLD for itself; python reports what it was given.
    t = run_trace(tmp_path, [PYTHON, "-c", "import signal, sys; "
                             "print(signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN); sys.exit(3)"],
                  timeout=30, preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN))
    assert t.returncode == 3, t.stderr
    assert t.stdout == "True\n"


def test_json_stdout_stays_valid(tmp_path):
    proc = subprocess.run([PROCSCOPE, "-q", "--json", "--", "sh", "-c",
                           "echo '{not json'; echo hello; printf 'x' >&2"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = parse_events(proc.stdout.splitlines(), "stdout")
    assert events[-1]["type"] == "stats"
    assert "{not json" in proc.stderr and "hello" in proc.stderr


def test_timeline_on_stderr(tmp_path):
    proc = subprocess.run([PROCSCOPE, "--", "cat", "/etc/hostname"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert any("process.exec" in line and "args=[cat,/etc/hostname]" in line for line in lines)
    assert any("file.open" in line and "path=/etc/hostname" in line and "= 3" in line
               for line in lines), proc.stderr
    assert "\033[" not in proc.stderr  # no colour off a terminal
    assert lines[-1].startswith("procscope: ") and " lost" in lines[-1]


def test_attach_mode(tmp_path):
    base = tmp_path / "tick"
    base.write_text("")
    tick = subprocess.Popen([fixture("ticker"), str(base)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(tick.stdout.readline())
        child = int(tick.stdout.readline())
        out = tmp_path / "attach.jsonl"
        ps = subprocess.Popen([PROCSCOPE, "-q", "-o", str(out), "-p", str(pid)],
                              stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        (tmp_path / "tick-fork").write_text("")
        time.sleep(0.5)
        (tmp_path / "tick-stop").write_text("")
        assert ps.wait(timeout=30) == 0, ps.stderr.read()
    finally:
        tick.kill()
        tick.wait()
    ev = load_jsonl(out)
    opens = [e for e in ev if e["type"] == "file.open" and e["file"]["path"] == str(base)]
    assert {e["pid"] for e in opens} == {pid, child}
    forks = [e for e in ev if e["type"] == "process.fork"]
    assert len(forks) == 1 and forks[0]["pid"] == child
    grand = forks[0]["process"]["child_pid"]
    assert any(e["type"] == "file.open" and e["pid"] == grand
               and e["file"]["path"] == str(base) + "-grandchild" for e in ev)
    assert {e["pid"] for e in ev if e["type"] == "process.exit"} == {pid, child, grand}


def test_attach_mode_ends_on_ctrl_c(tmp_path):
    target = subprocess.Popen(["sleep", "30"])
    try:
        ps = subprocess.Popen([PROCSCOPE, "-q", "-o", str(tmp_path / "a.jsonl"), "-p", str(target.pid)])
        time.sleep(1.0)
        ps.send_signal(signal.SIGINT)
        assert ps.wait(timeout=10) == 0
        assert target.poll() is None, "detaching must leave the target running"
    finally:
        target.kill()
        target.wait()
    assert load_jsonl(tmp_path / "a.jsonl")[-1]["type"] == "stats"


def test_attach_to_a_sensitive_daemon_warns(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    fake = d / "sshd"
    fake.write_bytes(open("/bin/sleep", "rb").read())
    fake.chmod(0o755)
    target = subprocess.Popen([str(fake), "30"])
    try:
        time.sleep(0.2)
        ps = subprocess.Popen([PROCSCOPE, "-q", "-p", str(target.pid)], stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        ps.send_signal(signal.SIGINT)
        _, err = ps.communicate(timeout=10)
    finally:
        target.kill()
        target.wait()
    assert f"warning: PID {target.pid} is sshd" in err


def test_attach_missing_pid():
    proc = subprocess.run([PROCSCOPE, "-p", "4194303"], capture_output=True, text=True)
    assert proc.returncode == 66
    assert "no process with PID 4194303" in proc.stderr


@pytest.mark.parametrize("args,code,text", [
    (["--bogus", "--", "true"], 64, "unknown"),
    (["--timeout", "x", "--", "true"], 64, "--timeout"),
    ([], 64, "nothing to trace"),
    (["-p", "12x"], 64, "not a list of process ids"),
])
def test_usage_errors(args, code, text):
    proc = subprocess.run([PROCSCOPE, *args], capture_output=True, text=True)
    assert proc.returncode == code
    assert text in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_unwritable_output(tmp_path):
    proc = subprocess.run([PROCSCOPE, "-o", "/nonexistent-dir/x.jsonl", "--", "true"],
                          capture_output=True, text=True)
    assert proc.returncode == 73
    assert "cannot create '/nonexistent-dir/x.jsonl'" in proc.stderr


def test_timeout(tmp_path):
    t = run_trace(tmp_path, ["sleep", "30"], extra=["--timeout", "0.5"])
    assert t.returncode == 124


def test_sigterm_is_forwarded(tmp_path):
    out = tmp_path / "t.jsonl"
    ps = subprocess.Popen([PROCSCOPE, "-q", "-o", str(out), "--", "sleep", "30"])
    time.sleep(1.0)
    ps.send_signal(signal.SIGTERM)
    assert ps.wait(timeout=10) == 128 + signal.SIGTERM
    ev = load_jsonl(out)
    assert ev[-2]["type"] == "process.exit"
    assert ev[-2]["process"]["signal"] == "SIGTERM"


def test_nothing_left_loaded_after_exit(tmp_path):
    assert wait_no_progs() == []
    run_trace(tmp_path, ["true"])
    assert wait_no_progs() == []


def test_nothing_left_loaded_after_sigkill(tmp_path):
    assert wait_no_progs() == []
    ps = subprocess.Popen([PROCSCOPE, "-q", "--", "sleep", "30"])
    deadline = time.time() + 10
    while not procscope_progs() and time.time() < deadline:
        time.sleep(0.05)
    assert procscope_progs(), "procscope's programs should be loaded while it runs"
    ps.kill()
    ps.wait()
    assert wait_no_progs() == []
    subprocess.run(["pkill", "-f", "sleep 30"], check=False)


def test_every_record_names_its_parent_by_key(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "cat /etc/hostname >/dev/null; true"])
    assert t.returncode == 0, t.stderr
    sh = [e for e in t.events if e["type"] == "process.exec" and e["comm"] == "sh"][0]
    cat = [e for e in t.events if e["type"] == "process.exec" and e["comm"] == "cat"][0]
    assert cat["ppid"] == sh["pid"] and cat["parent_key"] == sh["key"]
    fork = [e for e in t.events if e["type"] == "process.fork" and e["pid"] == sh["pid"]][0]
    assert fork["key"] == sh["key"]
    assert all(e["parent_key"].startswith("%d@" % e["ppid"]) for e in t.events if "pid" in e)


def test_survivors_are_named_when_tracing_ends_early(tmp_path):
    # A daemon the command leaves behind, still running at --timeout: the
    # stats record and the summary line name it, with its exact key.
    pidfile = tmp_path / "daemon.pid"
    out = tmp_path / "t.jsonl"
    proc = subprocess.run([PROCSCOPE, "-o", str(out), "--timeout", "1", "--", "sh", "-c",
                           f"exec >/dev/null 2>&1; sleep 30 & echo $! > {pidfile}; wait"],
                          capture_output=True, text=True, timeout=60)
    daemon = int(pidfile.read_text())
    try:
        assert proc.returncode == 124, proc.stderr
        events = load_jsonl(out)
        stats = events[-1]
        assert stats["type"] == "stats"
        sv = stats["survivors"]
        assert sv["count"] == 2 and sorted(sv["comms"]) == ["sh", "sleep"]
        key = [e["key"] for e in events if e["type"] == "process.exec" and e["pid"] == daemon][0]
        assert key in sv["keys"]
        assert f"sleep (pid {daemon}, key {key})" in proc.stderr
        assert "still running, from now on untraced" in proc.stderr
    finally:
        os.kill(daemon, signal.SIGKILL)


def test_no_survivors_when_the_tree_ends(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "true"])
    assert "survivors" not in t.stats and t.stats["complete"] is True
