"""Outputs a log pipeline reads: -o with --append and rotation, FIFOs, --output-socket, --metrics."""
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import threading
import time

import pytest

from conftest import PROCSCOPE, parse_events, load_jsonl

LOOP = "for i in $(seq {n}); do cat /etc/hostname >/dev/null; done"


def trace(args, cmd, timeout=60, **kw):
    return subprocess.run([PROCSCOPE, "-q", *args, "--", *cmd], capture_output=True, text=True,
                          timeout=timeout, **kw)


def rotated(path, keep):
    """The files oldest first: FILE.keep ... FILE.1, FILE."""
    names = [f"{path}.{i}" for i in range(keep, 0, -1)] + [str(path)]
    return [n for n in names if os.path.exists(n)]


def hostname_opens(events):
    return [e for e in events if e["type"] == "file.open" and e["file"]["path"] == "/etc/hostname"]


def test_rotation_keeps_every_record_exactly_once(root, tmp_path):
    out = tmp_path / "t.jsonl"
    res = trace(["-o", str(out), "--rotate-size", "4k", "--rotate-keep", "999"], ["sh", "-c", LOOP.format(n=60)])
    assert res.returncode == 0, res.stderr
    files = rotated(out, 999)
    assert len(files) > 5
    events = []
    for f in files:
        data = open(f, "rb").read()
        assert data.endswith(b"\n")
        # Rotated only between records: no file grows past the limit unless one record alone does.
        lines = data.split(b"\n")[:-1]
        assert len(data) <= 4096 or len(lines) == 1, f
        events += load_jsonl(f)
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1))
    assert events[0]["type"] == "run" and events[-1]["type"] == "stats"
    assert len(hostname_opens(events)) == 60
    assert events[-1]["lost"] == 0


def test_rotate_keep_bounds_the_files(root, tmp_path):
    out = tmp_path / "t.jsonl"
    res = trace(["-o", str(out), "--rotate-size", "2k", "--rotate-keep", "2"], ["sh", "-c", LOOP.format(n=30)])
    assert res.returncode == 0, res.stderr
    assert sorted(os.listdir(tmp_path)) == ["t.jsonl", "t.jsonl.1", "t.jsonl.2"]
    assert load_jsonl(out)[-1]["type"] == "stats"


def test_append_adds_a_run(root, tmp_path):
    out = tmp_path / "t.jsonl"
    for _ in range(2):
        res = trace(["-o", str(out), "--append"], ["true"])
        assert res.returncode == 0, res.stderr
    events = load_jsonl(out)
    assert [e["type"] for e in events].count("run") == 2
    assert [e["type"] for e in events].count("stats") == 2
    # Without --append an existing file is still refused.
    res = trace(["-o", str(out)], ["true"])
    assert res.returncode == 73 and "already exists" in res.stderr


def test_append_refuses_another_users_file_and_symlinks(root, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text("")
    os.chown(other, 65534, 65534)
    res = trace(["-o", str(other), "--append"], ["true"])
    assert res.returncode == 73
    assert "belongs to another user" in res.stderr
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "target")
    (tmp_path / "target").write_text("")
    res = trace(["-o", str(link), "--append"], ["true"])
    assert res.returncode == 73 and "symbolic link" in res.stderr
    assert (tmp_path / "target").read_text() == ""


def test_fifo_is_written_as_a_stream(root, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o600)
    # The reader is there first (procscope refuses a FIFO nobody reads), then drains it.
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    proc = subprocess.Popen([PROCSCOPE, "-q", "-o", str(fifo), "--", "sh", "-c", LOOP.format(n=5)],
                            stderr=subprocess.PIPE, text=True)
    data = b""
    while True:
        try:
            chunk = os.read(rfd, 65536)
        except BlockingIOError:
            chunk = None
        if chunk:
            data += chunk
        elif proc.poll() is not None and chunk is not None:
            break  # EOF after procscope closed its end
        else:
            time.sleep(0.01)
    os.close(rfd)
    assert proc.wait(10) == 0, proc.stderr.read()
    events = parse_events(data.decode().splitlines(), "fifo")
    assert len(hostname_opens(events)) == 5 and events[-1]["type"] == "stats"
    res = trace(["-o", str(fifo), "--rotate-size", "1M"], ["true"])
    assert res.returncode == 73 and "FIFO" in res.stderr


class Reader:
    """A log agent on a Unix socket that can go away and come back."""

    def __init__(self, path):
        self.path = path
        self.conns = []      # bytes received, one entry per connection
        self.stop = False

    def serve_once(self, max_lines=None):
        if os.path.exists(self.path):
            os.unlink(self.path)
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(self.path)
        srv.listen(1)
        srv.settimeout(20)
        conn, _ = srv.accept()
        srv.close()
        data = b""
        conn.settimeout(20)
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
            if max_lines and data.count(b"\n") >= max_lines:
                break
        conn.close()
        os.unlink(self.path)
        self.conns.append(data)


def test_socket_survives_the_reader_restarting(root, tmp_path):
    path = str(tmp_path / "agent.sock")
    reader = Reader(path)

    def agent():
        reader.serve_once(max_lines=10)  # goes away in the middle of the run
        time.sleep(0.5)
        reader.serve_once()               # a new reader, until procscope closes

    t = threading.Thread(target=agent)
    t.start()
    time.sleep(0.2)
    res = trace(["--output-socket", path, "-o", str(tmp_path / "all.jsonl")],
                ["sh", "-c", "for i in $(seq 40); do cat /etc/hostname >/dev/null; sleep 0.05; done"])
    t.join(30)
    assert res.returncode == 0, res.stderr
    assert len(reader.conns) == 2
    first, second = reader.conns
    # Every line each reader got is a whole record.
    for data in reader.conns:
        assert data.endswith(b"\n")
        parse_events(data.decode().splitlines(), "socket")
    events = parse_events(second.decode().splitlines(), "socket")
    assert events[-1]["type"] == "stats"
    assert events[-1]["counters"]["socket_dropped"] == 0
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # What the second reader got runs without a gap to the end (the file has everything).
    full = load_jsonl(tmp_path / "all.jsonl")
    assert seqs == list(range(seqs[0], full[-1]["seq"] + 1))
    assert parse_events(first.decode().splitlines())[0]["type"] == "run"


def test_socket_without_reader_counts_drops(root, tmp_path):
    res = subprocess.run([PROCSCOPE, "--output-socket", str(tmp_path / "none.sock"), "--", "true"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    assert "cannot connect" in res.stderr and "could not be sent" in res.stderr
    (tmp_path / "file").write_text("")
    res = trace(["--output-socket", str(tmp_path / "file")], ["true"])
    assert res.returncode == 73 and "not a Unix socket" in res.stderr


def metric(text, name, **labels):
    lab = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pat = "^" + re.escape(name + (f"{{{lab}}}" if lab else "")) + r" (\S+)$"
    m = re.search(pat, text, re.M)
    return float(m.group(1)) if m else None


def promtool_check(path):
    if not shutil.which("promtool"):
        pytest.fail("promtool is missing: make deps installs Debian's prometheus package")
    res = subprocess.run(["promtool", "check", "metrics"], stdin=open(path), capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_metrics_pass_promtool_and_match_the_records(root, tmp_path):
    prom = tmp_path / "procscope.prom"
    out = tmp_path / "t.jsonl"
    proc = subprocess.Popen([PROCSCOPE, "-q", "-o", str(out), "--metrics", str(prom), "--metrics-interval", "1",
                             "--", "sh", "-c", "cat /etc/hostname; sleep 2.5; cat /etc/hostname"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    # Written while the run goes on: the command is followed.
    during = prom.read_text()
    assert metric(during, "procscope_processes_tracked") >= 1
    promtool_check(prom)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    promtool_check(prom)
    text = prom.read_text()
    events = load_jsonl(out)
    opens = len([e for e in events if e["type"] == "file.open"])
    assert metric(text, "procscope_events_total", type="file.open") == opens
    # sh, cat, sleep, cat
    assert metric(text, "procscope_events_total", type="process.exec") == 4
    assert len([e for e in events if e["type"] == "process.exec"]) == 4
    assert metric(text, "procscope_dropped_total", reason="ringbuf_full") == 0
    assert metric(text, "procscope_dropped_total", reason="socket_dropped") == 0
    assert metric(text, "procscope_processes_tracked") == 0
    assert metric(text, "procscope_output_bytes_total", output="file") == os.path.getsize(out)
    assert stat.S_IMODE(os.stat(prom).st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["procscope.prom", "t.jsonl"]


def test_metrics_path_that_cannot_be_written_fails_first(root, tmp_path):
    (tmp_path / "d").mkdir()
    res = trace(["--metrics", str(tmp_path / "d")], ["true"])
    assert res.returncode == 73 and "cannot write metrics" in res.stderr
    res = trace(["--metrics", str(tmp_path / "missing" / "x.prom")], ["true"])
    assert res.returncode == 73


@pytest.mark.parametrize("args, words", [
    (["--append"], "apply to -o FILE"),
    (["-o", "x", "--rotate-size", "10"], "--rotate-size takes a size"),
    (["-o", "x", "--rotate-size", "1G", "--rotate-keep", "0"], "--rotate-keep takes a number"),
    (["-o", "x", "--rotate-keep", "3"], "--rotate-keep needs --rotate-size"),
    (["--metrics-interval", "2"], "--metrics-interval needs --metrics"),
    (["--metrics", "m.prom", "--metrics-interval", "0"], "--metrics-interval takes"),
])
def test_usage_errors(args, words, tmp_path):
    res = subprocess.run([PROCSCOPE, *args, "--", "true"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 64, res.stderr
    assert words in res.stderr
    assert os.listdir(tmp_path) == []
