# Shared helpers for the integration tests: they run the real procscope
# binary, which loads the real BPF programs, so they need root.
import json
import os
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCSCOPE = os.environ.get("PROCSCOPE", os.path.join(ROOT, "build", "procscope"))
FIXTURES = os.environ.get("FIXTURES", os.path.join(ROOT, "build", "fixtures"))


def fixture(name):
    return os.path.join(FIXTURES, name)


def need_root():
    if os.geteuid() != 0:
        pytest.skip("loading BPF programs needs root (run the tests as root)")


@pytest.fixture
def root():
    need_root()


class Trace:
    """The result of one procscope run: exit code, stderr and the JSON events."""

    def __init__(self, proc, events, stdout, stderr):
        self.returncode = proc.returncode
        self.events = events
        self.stdout = stdout
        self.stderr = stderr

    def of_type(self, type_, **match):
        out = []
        for e in self.events:
            if e.get("type") != type_:
                continue
            if all(_get(e, k) == v for k, v in match.items()):
                out.append(e)
        return out

    @property
    def stats(self):
        s = [e for e in self.events if e["type"] == "stats"]
        assert len(s) == 1, "exactly one stats record"
        return s[0]


def _get(e, dotted):
    for part in dotted.split("__"):
        if not isinstance(e, dict) or part not in e:
            return None
        e = e[part]
    return e


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_trace(tmp_path, cmd, extra=(), timeout=60, env=None, **kw):
    """procscope -q -o FILE [extra] -- cmd; returns a Trace."""
    out = tmp_path / "trace.jsonl"
    if out.exists():
        out.unlink()
    args = [PROCSCOPE, "-q", "-o", str(out), *extra, "--", *cmd]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, **kw)
    events = load_jsonl(out) if out.exists() else []
    return Trace(proc, events, proc.stdout, proc.stderr)


def procscope_progs():
    """Ids of BPF programs procscope loads (names as the kernel keeps them)."""
    res = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True, text=True, check=True)
    names = {"ps_fork", "ps_exec", "ps_exit", "ps_sys_enter", "ps_sys_exit"}
    return [p["id"] for p in json.loads(res.stdout or "[]") if p.get("name") in names]


def wait_no_progs(timeout=5.0):
    """Programs are freed asynchronously after their last fd closes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        left = procscope_progs()
        if not left:
            return []
        time.sleep(0.1)
    return procscope_progs()


PYTHON = "/usr/bin/python3"

# syscall(2) from python3 scripts: integers go as full longs (a plain int
# would leave the upper half of the register undefined), failures as -errno.
SYSCALL = r"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def sc(nr, *args):
    args = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    r = libc.syscall(ctypes.c_long(nr), *args)
    return -ctypes.get_errno() if r == -1 else r
"""


def one(t, type_, **match):
    """The one event of this type (and these fields); all of them in the message if not."""
    found = t.of_type(type_, **match)
    assert len(found) == 1, (type_, match, found or t.of_type(type_))
    return found[0]
