# Filters applied in the kernel: --failed, --succeeded, -e and --path.  What
# they exclude is never sent to user space; the kernel's own counters say
# how many calls it held back.
import json
import os
import subprocess

from conftest import PROCSCOPE, PYTHON, ROOT, SYSCALL, fixture, run_trace


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


# -e / --events and --path.  The kernel drops excluded rows at sys_enter and
# absolute paths under no prefix before they are sent; the stats counters
# say how many, and a run of the same single-process command without the
# filter says how many there were to drop.

def opener_alone(tmp_path, extra=()):
    return run_trace(tmp_path, [fixture("opener"), "open", "/nonexistent/zz", "0"],
                     extra=["--no-default-rules", *extra])


def of_syscall(t, name):
    return [e for e in t.events if e.get("syscall") == name]


def test_events_exclusion_drops_exactly_that_syscall_in_the_kernel(root, tmp_path):
    full = opener_alone(tmp_path)
    n = len(of_syscall(full, "openat"))
    assert n >= 2, full.events
    t = opener_alone(tmp_path, ["-e", "!openat"])
    assert t.returncode == 0, t.stderr
    assert of_syscall(t, "openat") == []
    # Nothing else went: every other record of the unfiltered run is there.
    assert len(t.events) == len(full.events) - n
    assert t.stats["counters"]["filtered_events"] == n
    assert t.stats["counters"]["consumer_filtered_events"] == 0
    assert t.events[0]["filters"] == ["-e !openat"]


def test_events_class_keeps_the_class_and_the_lifecycle(root, tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", "import socket\nopen('/etc/hostname').close()\n"
                             "s = socket.socket(); s.connect_ex(('127.0.0.1', 9))\n"],
                  extra=["--no-default-rules", "-e", "net"])
    assert t.returncode == 0, t.stderr
    types = {e["type"] for e in t.events if e["type"] not in ("run", "stats")}
    assert {"net.socket", "net.connect", "process.exec", "process.exit"} <= types, types
    assert all(ty.startswith(("net.", "process.")) for ty in types), types
    assert t.stats["counters"]["filtered_events"] > 0
    assert t.events[0]["filters"] == ["-e net"]
    # strace's spelling is the same filter.
    s = run_trace(tmp_path, [PYTHON, "-c", "import socket; socket.socket()"],
                  extra=["--no-default-rules", "-e", "trace=%network"])
    assert {e["type"] for e in s.events if e["type"].startswith(("net.", "file."))} == {"net.socket"}


def test_events_lifecycle_goes_only_when_named(root, tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "cat /etc/hostname"],
                  extra=["--no-default-rules", "-e", "file.open,!process.exit,!process.fork"])
    assert t.returncode == 0, t.stderr
    assert t.of_type("process.exit") == [] and t.of_type("process.fork") == []
    assert [e["comm"] for e in t.of_type("process.exec")] == ["sh", "cat"]
    assert {e["type"] for e in t.events} == {"run", "stats", "process.exec", "file.open"}
    # Lifecycle reaches user space (the process model needs it) and is dropped there.
    assert t.stats["counters"]["consumer_filtered_events"] >= 3


def test_events_type_of_a_row_with_two_types(root, tmp_path):
    """unlinkat is file.unlink or file.rmdir: the kernel sends both, the consumer keeps the one asked for."""
    t = run_trace(tmp_path, ["sh", "-c", "mkdir -p d && touch f && rm f && rm -r d"],
                  extra=["--no-default-rules", "-e", "file.rmdir"], cwd=tmp_path)
    assert t.returncode == 0, t.stderr
    assert [e["file"]["path"] for e in t.events if e["type"].startswith("file.")] == [str(tmp_path / "d")]
    assert t.stats["counters"]["consumer_filtered_events"] >= 1


def test_events_errors_are_one_sentence():
    for arg, words in (("bogus", "'bogus' is not an event class, event type or syscall"),
                       ("file.nothing", "'file.nothing' is not an event type"),
                       ("file,,net", "an empty name"), ("signal=all", "only the trace= qualifier"),
                       ("FILE", "is not a name")):
        proc = subprocess.run([PROCSCOPE, "-e", arg, "--", "true"], capture_output=True, text=True)
        assert proc.returncode == 64, (arg, proc.stderr)
        assert proc.stderr.count("\n") == 1 and words in proc.stderr, (arg, proc.stderr)


def test_list_events_names_every_type_and_row():
    proc = subprocess.run([PROCSCOPE, "--list-events"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with open(os.path.join(ROOT, "docs", "procscope.schema.json")) as f:
        schema = json.load(f)
    types = [t for t in schema["$defs"] if "." in t]
    assert types
    for ty in types:
        assert f"  {ty} " in proc.stdout or proc.stdout.count(f"  {ty}\n"), ty
    for name in ("openat", "setresuid", "init_module", "bpf", "connect"):
        assert f" {name}" in proc.stdout, name


def test_path_keeps_file_events_under_a_prefix(root, tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "cd /etc && cat hostname >/dev/null; cd /tmp; "
                             "cat //etc/hostname /tmp/../etc/passwd >/dev/null; "
                             "cat /etcetera /tmp/none 2>/dev/null; true"],
                  extra=["--no-default-rules", "--path", "/etc/"])
    assert t.returncode == 0, t.stderr
    paths = [e["file"]["path"] for e in t.events if e["type"].startswith("file.")]
    assert all(p == "/etc" or p.startswith("/etc/") for p in paths), paths
    # Relative, doubled slash, dot-dot: each resolves under /etc and is kept.
    assert paths.count("/etc/hostname") == 2 and "/etc/passwd" in paths, paths
    # /etcetera and /tmp/none in the kernel; the relative ones sh and cat resolved in user space.
    assert t.stats["counters"]["filtered_paths"] >= 2
    assert len(t.of_type("process.exec")) >= 2
    assert t.events[0]["filters"] == ["--path /etc/"]


def test_path_drop_is_in_the_kernel(root, tmp_path):
    full = opener_alone(tmp_path)
    outside = [e for e in full.events if e["type"].startswith("file.")
               and not e["file"]["path"].startswith("/usr/")]
    assert outside, full.events
    t = opener_alone(tmp_path, ["--path", "/usr"])
    assert all(e["file"]["path"].startswith("/usr/") for e in t.events if e["type"].startswith("file."))
    assert t.stats["counters"]["filtered_paths"] == len(outside)
    assert t.stats["counters"]["consumer_filtered_paths"] == 0


def test_path_relative_is_resolved_by_the_consumer(root, tmp_path):
    (tmp_path / "x").write_text("")
    t = run_trace(tmp_path, [fixture("opener"), "open", "x", "0"],
                  extra=["--no-default-rules", "--path", "/etc"], cwd=tmp_path)
    assert t.returncode == 0, t.stderr
    assert [e for e in t.events if e["type"] == "file.open" and e["file"]["path"] == str(tmp_path / "x")] == []
    assert t.stats["counters"]["consumer_filtered_paths"] == 1


def test_path_keeps_what_a_foreign_root_resolves(root, tmp_path):
    """A "/" that is not procscope's (openat2 RESOLVE_IN_ROOT, chroot): no prefix can judge it, so it is kept."""
    jail = tmp_path / "jail"
    (jail / "data").mkdir(parents=True)
    (jail / "data" / "f").write_text("")
    script = SYSCALL + f"""
import os, struct
how = struct.pack("QQQ", os.O_RDONLY, 0, 0x10)  # RESOLVE_IN_ROOT
d = os.open("/etc", os.O_RDONLY | os.O_DIRECTORY)
print(sc(437, d, b"/hostname", how, len(how)))
os.chroot({str(jail)!r})
os.close(os.open("/data/f", os.O_RDONLY))
os.close(os.open("/data/f", os.O_RDONLY))
"""
    t = run_trace(tmp_path, [PYTHON, "-c", script], extra=["--no-default-rules", "--path", "/etc"])
    assert t.returncode == 0, t.stderr
    opened = [(e["syscall"], e["file"]["path"]) for e in t.events if e["type"] == "file.open"]
    assert ("openat2", "/hostname") in opened, opened
    assert opened.count(("openat", "/data/f")) == 2, opened
    # What procscope's own "/" resolves is still judged: python's own opens outside /etc are gone.
    assert all(p in ("/hostname", "/data/f") or p.startswith("/etc") for _, p in opened), opened
    assert t.stats["counters"]["filtered_paths"] > 0


def test_path_must_be_absolute():
    proc = subprocess.run([PROCSCOPE, "--path", "etc", "--", "true"], capture_output=True, text=True)
    assert proc.returncode == 64 and "not an absolute path" in proc.stderr


KILL_SETUID = """\
setuid:
  enabled: true
  sandbox: {enabled: true, deny_list: true}
  rules:
    - rule: NoRootAgain
      event: euid == 0 AND prev_euid != 0
"""


def test_filters_do_not_hide_a_kill(root, tmp_path):
    """-e file excludes priv.setuid, but the kernel still judges it, kills, and reports the kill."""
    marker = tmp_path / "marker"
    script = tmp_path / "regain.py"
    script.write_text(f"import os\nos.seteuid(65534)\nos.seteuid(0)\nopen({str(marker)!r}, 'w')\n")
    rules = tmp_path / "r.yaml"
    rules.write_text(KILL_SETUID)
    t = run_trace(tmp_path, [PYTHON, str(script)], extra=["--rules", str(rules), "-e", "file"])
    assert t.returncode == 128 + 9, t.stderr
    assert not marker.exists()
    assert [(e["type"], e["rule"], e["blocked"]) for e in t.events if "rule" in e] == [
        ("priv.setuid", "NoRootAgain", True)]
    # The first seteuid (allowed) was filtered like any other.
    assert len(t.of_type("priv.setuid")) == 1
