# Everyday habits of strace and Debian users: -o - is stdout, -f is
# accepted, NO_COLOR turns the timeline's colour off on a terminal.
import json
import os
import subprocess

import pytest

from conftest import PROCSCOPE, parse_events


@pytest.mark.parametrize("spelling", ["-", "/dev/stdout"])
def test_output_dash_is_stdout(root, spelling):
    proc = subprocess.run([PROCSCOPE, "-q", "-f", "-o", spelling, "--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = parse_events(proc.stdout.splitlines(), "stdout")
    assert events[0]["type"] == "run"
    execs = [e for e in events if e["type"] == "process.exec"]
    assert [e["process"]["filename"] for e in execs] == ["/bin/true"]
    assert not os.path.exists("-")


def timeline_on_a_terminal(env):
    """procscope's stderr on a pseudo-terminal: what it wrote there."""
    master, slave = os.openpty()
    try:
        proc = subprocess.run([PROCSCOPE, "--", "/bin/true"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=slave, env=env, timeout=60)
        os.close(slave)
        slave = -1
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert proc.returncode == 0
    return out.decode(errors="replace")


def test_no_color_turns_the_terminal_timeline_plain(root):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm"
    coloured = timeline_on_a_terminal(env)
    assert "\033[" in coloured and "/bin/true" in coloured
    plain = timeline_on_a_terminal(dict(env, NO_COLOR="1"))
    assert "\033[" not in plain and "/bin/true" in plain
    # An empty NO_COLOR is "unset" (no-color.org).
    assert "\033[" in timeline_on_a_terminal(dict(env, NO_COLOR=""))
