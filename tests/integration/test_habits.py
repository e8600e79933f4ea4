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


def timeline_on_a_pty(tmp_path, env, cmd=("/bin/true",)):
    """--timeline /dev/pts/N: the timeline there, stderr keeps only the summary line."""
    import pty
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([PROCSCOPE, "--no-default-rules", "--timeline", os.ttyname(slave),
                               "-o", str(tmp_path / "t.jsonl"), "--force", "--", *cmd],
                              capture_output=True, text=True, timeout=60, env=env)
        os.set_blocking(master, False)
        out = b""
        try:
            while True:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                out += chunk
        except BlockingIOError:
            pass
    finally:
        os.close(master)
        os.close(slave)
    return proc, out.decode(errors="replace")


def test_timeline_on_another_terminal(root, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc, shown = timeline_on_a_pty(tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    assert "process.exec" in shown and "/bin/true" in shown and "\033[" in shown
    # stderr has the summary line alone; the JSON is untouched.
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("procscope: "), proc.stderr
    assert "process.exec" not in proc.stderr
    _, plain = timeline_on_a_pty(tmp_path, dict(env, NO_COLOR="1"))
    assert "\033[" not in plain and "/bin/true" in plain


def test_timeline_to_a_file_and_what_it_refuses(root, tmp_path):
    out = tmp_path / "timeline.txt"
    proc = subprocess.run([PROCSCOPE, "-q", "--no-default-rules", "--timeline", str(out), "--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    lines = out.read_text().splitlines()
    assert any("process.exec" in l and "/bin/true" in l for l in lines), lines
    assert "\033[" not in out.read_text()
    for target, words in ((str(out), "already exists"), ("/dev/null", "not a terminal"),
                          (str(tmp_path / "no" / "dir"), "")):
        proc = subprocess.run([PROCSCOPE, "--timeline", target, "--", "/bin/true"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 73, (target, proc.stderr)
        assert proc.stderr.count("\n") == 1 and words in proc.stderr, (target, proc.stderr)
    link = tmp_path / "link"
    link.symlink_to(out)
    proc = subprocess.run([PROCSCOPE, "--force", "--timeline", str(link), "--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 73 and "symbolic link" in proc.stderr, proc.stderr
