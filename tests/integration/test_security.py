# The security model: least privilege with file capabilities, the ptrace-
# style check on -p, capabilities never passed on, safe output files,
# redaction before anything is written, --user and --env.
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import PROCSCOPE, load_jsonl, run_trace

pytestmark = pytest.mark.usefixtures("root")

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]


@pytest.fixture
def shared_dir():
    """A directory nobody can use, holding a capability-only copy of procscope."""
    d = tempfile.mkdtemp(prefix="procscope-sec-", dir="/tmp")
    os.chmod(d, 0o777)
    binary = os.path.join(d, "procscope")
    shutil.copy(PROCSCOPE, binary)
    os.chmod(binary, 0o755)
    subprocess.run(["setcap", "cap_bpf,cap_perfmon+ep", binary], check=True)
    yield d, binary
    shutil.rmtree(d, ignore_errors=True)


def caps_of(status_text):
    return {line.split(":")[0]: int(line.split()[1], 16)
            for line in status_text.splitlines() if line.startswith("Cap")}


def test_capability_only_run_as_nobody(shared_dir):
    d, binary = shared_dir
    out = os.path.join(d, "trace.jsonl")
    caps = os.path.join(d, "caps.txt")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "--", "sh", "-c",
                                    f"cat /etc/hostname > /dev/null; grep ^Cap /proc/self/status > {caps}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    ev = load_jsonl(out)
    execs = [e["process"]["args"][0] for e in ev if e["type"] == "process.exec"]
    assert execs[:3] == ["sh", "cat", "grep"]
    assert all(e["uid"] == 65534 for e in ev if "uid" in e)
    assert any(e["type"] == "file.open" and e["file"]["path"] == "/etc/hostname" and e["ret"] >= 0
               for e in ev)
    assert ev[-1]["type"] == "stats" and ev[-1]["complete"] is True
    # The traced command holds none of procscope's capabilities.
    c = caps_of(open(caps).read())
    assert c["CapEff"] == 0 and c["CapPrm"] == 0 and c["CapAmb"] == 0 and c["CapInh"] == 0
    # The output belongs to the invoking user, with the documented mode.
    st = os.stat(out)
    assert st.st_uid == 65534 and (st.st_mode & 0o777) == 0o640


def test_attach_to_another_users_process_is_refused(shared_dir):
    d, binary = shared_dir
    victim = subprocess.Popen(["sleep", "30"])
    try:
        proc = subprocess.run(NOBODY + [binary, "-q", "-p", str(victim.pid)],
                              capture_output=True, text=True, timeout=30)
    finally:
        victim.kill()
        victim.wait()
    assert proc.returncode == 77
    assert f"you may not trace PID {victim.pid}" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_attach_to_own_process_as_nobody(shared_dir):
    d, binary = shared_dir
    target = subprocess.Popen(NOBODY + ["sh", "-c", "sleep 1; cat /etc/hostname > /dev/null"])
    time.sleep(0.3)
    out = os.path.join(d, "attach.jsonl")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "-p", str(target.pid)],
                          capture_output=True, text=True, timeout=30)
    target.wait()
    assert proc.returncode == 0, proc.stderr
    ev = load_jsonl(out)
    assert any(e["type"] == "process.exec" and e["process"]["args"] == ["cat", "/etc/hostname"]
               for e in ev)


def test_output_never_follows_a_symlink(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "out.jsonl"
    link.symlink_to(victim)
    for extra in ([], ["--force"]):
        proc = subprocess.run([PROCSCOPE, "-q", "-o", str(link), *extra, "--", "true"],
                              capture_output=True, text=True)
        assert proc.returncode == 73
        assert "symbolic link" in proc.stderr
    assert victim.read_text() == "keep"


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old")
    proc = subprocess.run([PROCSCOPE, "-q", "-o", str(out), "--", "true"], capture_output=True, text=True)
    assert proc.returncode == 73 and "already exists (use --force" in proc.stderr
    assert out.read_text() == "old"
    proc = subprocess.run([PROCSCOPE, "-q", "-o", str(out), "--force", "--", "true"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert load_jsonl(out)[-1]["type"] == "stats"


def test_new_output_mode_ignores_umask(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(["sh", "-c", f"umask 0; exec {PROCSCOPE} -q -o {out} -- true"])
    assert proc.returncode == 0
    assert (os.stat(out).st_mode & 0o777) == 0o640


def test_redaction_in_every_output(tmp_path):
    args = ["sh", "-c", "true", "x", "--password=hunter2", "--token", "s3cr3tvalue",
            "https://alice:pa55word@example.com/x", "tokenize.py", "-p", "8080"]
    t = run_trace(tmp_path, args)
    assert t.returncode == 0
    raw = (tmp_path / "trace.jsonl").read_text()
    for secret in ("hunter2", "s3cr3tvalue", "pa55word"):
        assert secret not in raw
    exec_args = t.of_type("process.exec")[0]["process"]["args"]
    assert exec_args == ["sh", "-c", "true", "x", "--password=[REDACTED]", "--token", "[REDACTED]",
                         "https://alice:[REDACTED]@example.com/x", "tokenize.py", "-p", "8080"]
    # The timeline is redacted too.
    proc = subprocess.run([PROCSCOPE, "--", *args], capture_output=True, text=True)
    assert "hunter2" not in proc.stderr and "--password=[REDACTED]" in proc.stderr


def test_no_redact_and_user_patterns(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "true", "x", "--password=hunter2"], extra=["--no-redact"])
    assert t.of_type("process.exec")[0]["process"]["args"][-1] == "--password=hunter2"
    t = run_trace(tmp_path, ["sh", "-c", "true", "x", "customer-4711"], extra=["--redact", "customer-[0-9]+"])
    assert t.of_type("process.exec")[0]["process"]["args"][-1] == "[REDACTED]"
    proc = subprocess.run([PROCSCOPE, "--redact", "a(b", "--", "true"], capture_output=True, text=True)
    assert proc.returncode == 64 and proc.stderr.count("\n") == 1


def test_redact_back_reference_is_refused():
    # The C library's matcher took over a minute over one 3,000-byte argument.
    pattern = r"(a*)*\1\1\1b"
    proc = subprocess.run([PROCSCOPE, "--redact", pattern, "--", "true", "a" * 3000],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 64
    assert proc.stderr == (f"procscope: --redact pattern '{pattern}' is refused: it uses a back-reference, "
                           "and matching back-references can take exponential time\n")


def test_redact_nested_quantifiers_are_bounded(tmp_path):
    # Without back-references these still cost the C library seconds per kilobyte.
    arg = "a" * 65000
    t = run_trace(tmp_path, ["/bin/true", arg, "xaabx"], timeout=120,
                  extra=["--args-bytes", "65536", "--max-arg-len", "65536",
                         "--redact", "(a+)+b", "--redact", "(a|b)*a(a|b){100}c"])
    assert t.returncode == 0, t.stderr
    assert t.of_type("process.exec")[0]["process"]["args"] == ["/bin/true", arg, "x[REDACTED]x"]


def test_env_capture_is_off_by_default_and_redacted(tmp_path):
    env = dict(os.environ, API_TOKEN="tok-123456", PLAIN_VALUE="visible")
    t = run_trace(tmp_path, ["true"], env=env)
    assert "env" not in t.of_type("process.exec")[0]["process"]
    t = run_trace(tmp_path, ["true"], extra=["--env"], env=env)
    e = t.of_type("process.exec")[0]["process"]["env"]
    assert "PLAIN_VALUE=visible" in e and "API_TOKEN=[REDACTED]" in e
    assert "tok-123456" not in (tmp_path / "trace.jsonl").read_text()


def test_user_runs_the_command_as_that_user(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "id -u; id -G; echo $HOME"], extra=["--user", "nobody"])
    assert t.returncode == 0, t.stderr
    uid, groups, home = t.stdout.split("\n")[:3]
    assert uid == "65534" and home == "/nonexistent"
    assert "0" not in groups.split()
    assert all(e["uid"] == 65534 for e in t.of_type("process.exec"))


def test_user_needs_root(shared_dir):
    d, binary = shared_dir
    proc = subprocess.run(NOBODY + [binary, "--user", "root", "--", "true"], capture_output=True, text=True)
    assert proc.returncode == 64 and "--user needs root" in proc.stderr


def test_confined_run_stops_following_a_privileged_exec(shared_dir):
    d, binary = shared_dir
    suid = os.path.join(d, "suid-cat")
    shutil.copy("/bin/cat", suid)
    os.chmod(suid, 0o4755)
    out = os.path.join(d, "confined.jsonl")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "--", suid, "/etc/shadow"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    ev = load_jsonl(out)
    ex = [e for e in ev if e["type"] == "process.exec"]
    assert len(ex) == 1 and ex[0]["process"]["unfollowed"] is True
    assert ex[0]["process"]["privilege_gain"] is True
    # Nothing the privileged process did afterwards is shown to the unprivileged invoker.
    assert not any(e.get("file", {}).get("path") == "/etc/shadow" for e in ev)
    assert ev[-1]["type"] == "stats" and ev[-1]["complete"] is True


def test_secrets_cut_at_a_bound_stay_hidden(tmp_path):
    url = "https://bob:hunter2hunter2@example.com"
    t = run_trace(tmp_path, ["/bin/true", url], extra=["--max-arg-len", "24"])
    assert "hunter2" not in (tmp_path / "trace.jsonl").read_text()
    assert t.of_type("process.exec")[0]["process"]["args"][1] == "https://bob:[REDACTED]@e"
    # The kernel cut the last element at --args-bytes: it cannot be checked, so it is hidden.
    t = run_trace(tmp_path, ["/bin/true", "A" * 16350, url])
    assert "hunter2" not in (tmp_path / "trace.jsonl").read_text()
    assert t.of_type("process.exec")[0]["process"]["args"][-1] == "[REDACTED]"


def test_process_name_cannot_forge_timeline_lines(tmp_path):
    script = ("import ctypes\n"
              "libc = ctypes.CDLL(None)\n"
              "libc.prctl(15, b'\\x1b[2K\\rfake\\n', 0, 0, 0)\n"
              "open('/etc/hostname').close()\n")
    proc = subprocess.run([PROCSCOPE, "--", "/usr/bin/python3", "-c", script], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert "\x1b" not in proc.stderr and "\r" not in proc.stderr
    assert "\\x1b[2K\\x0dfake\\x0a" in proc.stderr


def test_fifo_output_is_refused_not_blocking(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = subprocess.run([PROCSCOPE, "-q", "-o", str(fifo), "--force", "--", "true"],
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 73 and "not a regular file" in proc.stderr
