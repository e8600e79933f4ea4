# Shared helpers for the integration tests: they run the real procscope
# binary, which loads the real BPF programs, so they need root.
import json
import os
import subprocess
import time

import pytest

try:
    import jsonschema
except ImportError as e:  # pragma: no cover
    raise ImportError("the integration tests check every event against the JSON Schema: "
                      "install python3-jsonschema (make deps)") from e

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCSCOPE = os.environ.get("PROCSCOPE", os.path.join(ROOT, "build", "procscope"))
FIXTURES = os.environ.get("FIXTURES", os.path.join(ROOT, "build", "fixtures"))
GEN_SCHEMA = os.environ.get("GEN_SCHEMA", os.path.join(os.path.dirname(PROCSCOPE), "gen-schema"))
SCHEMA_FILE = os.path.join(ROOT, "docs", "procscope.schema.json")


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


with open(SCHEMA_FILE, encoding="utf-8") as _f:
    SCHEMA = json.load(_f)
_validators = {}
validated = 0


def _type_validator(type_):
    """The definition of one type alone: its errors, not the union's "matches none"."""
    if type_ not in _validators:
        defs = SCHEMA["$defs"]
        _validators[type_] = jsonschema.Draft202012Validator(
            {"$defs": defs, "$ref": "#/$defs/" + type_}) if type_ in defs else None
    return _validators[type_]


def _path(err):
    return "/" + "/".join(str(p) for p in err.absolute_path)


def _errors(err):
    """An error's own messages; for a type with several shapes, those of the closest one."""
    if err.validator != "anyOf" or not err.context:
        return [f"{_path(err)}: {err.message}"]
    by_shape = {}
    for sub in err.context:
        by_shape.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = min(by_shape.values(), key=len)
    return [f"{_path(sub)}: {sub.message}" for sub in best]


def check_event(e, where):
    """Fail, naming the record and the key, when e does not match docs/procscope.schema.json."""
    global validated
    v = _type_validator(e.get("type")) if isinstance(e, dict) else None
    if v is None:
        raise AssertionError(f"{where}: record of no type the schema knows: {json.dumps(e)}")
    problems = [msg for err in v.iter_errors(e) for msg in _errors(err)]
    if problems:
        raise AssertionError(f"{where}: {e.get('type')} record seq {e.get('seq')} does not match "
                             f"docs/procscope.schema.json:\n  " + "\n  ".join(problems) +
                             "\n" + json.dumps(e))
    validated += 1
    return e


def parse_events(lines, where="output"):
    """JSON Lines records procscope wrote, each checked against the schema."""
    return [check_event(json.loads(line), f"{where} line {n}")
            for n, line in enumerate(lines, 1) if line.strip()]


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return parse_events(f, os.path.basename(str(path)))


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"schema: {validated} records matched docs/procscope.schema.json")


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
