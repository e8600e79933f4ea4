# The security model: least privilege with file capabilities, the ptrace-
# style check on -p, capabilities never passed on, safe output files,
# redaction before anything is written, --user and --env.
import json
import os
import random
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import PROCSCOPE, fixture, load_jsonl, run_trace

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


def test_output_file_ending_in_slash_is_refused(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    victim = target / "victim"
    victim.write_text("keep")
    (tmp_path / "dirlink").symlink_to(target)
    (tmp_path / "filelink").symlink_to(victim)
    for name in ("dirlink/", "dirlink/.", "filelink/", "new/"):
        for extra in ([], ["--force"]):
            proc = subprocess.run([PROCSCOPE, "-q", "-o", f"{tmp_path}/{name}", *extra, "--", "true"],
                                  capture_output=True, text=True)
            assert proc.returncode == 73, (name, proc.stderr)
            assert "names a directory, not a file" in proc.stderr
    assert os.listdir(target) == ["victim"] and victim.read_text() == "keep"
    assert not (tmp_path / "new").exists()


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
    assert len(ex) == 1 and ex[0]["process"]["unfollowed_reason"] == "gained privileges"
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


def test_fifo_without_reader_is_refused_not_blocking(tmp_path):
    # A FIFO is an output (test_outputs.py), but one nobody reads must not hold procscope.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = subprocess.run([PROCSCOPE, "-q", "-o", str(fifo), "--force", "--", "true"],
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 73 and "the FIFO has no reader" in proc.stderr


@pytest.fixture
def privileged_opener(shared_dir):
    """The opener fixture twice: plain for nobody, and a root-owned setuid copy;
    plus a file only root may read."""
    d, binary = shared_dir
    plain = os.path.join(d, "opener")
    shutil.copy(fixture("opener"), plain)
    os.chmod(plain, 0o755)
    suid = os.path.join(d, "suid-opener")
    shutil.copy(fixture("opener"), suid)
    os.chmod(suid, 0o4755)
    secret = os.path.join(d, "root-only")
    with open(secret, "w") as f:
        f.write("secret\n")
    os.chmod(secret, 0o600)
    return d, binary, plain, suid, secret


def attach_then_exec(binary, plain, suid, secret, out, go, delay=None, started=None, mode="open"):
    """Start nobody's process that execs the setuid opener once `go` exists,
    attach procscope to it as nobody, and create `go` after `delay` seconds
    (or once `started` says procscope traces).  Returns (procscope, target's stdout)."""
    target = subprocess.Popen(NOBODY + [plain, "wait", go, suid, mode, secret, "1200"],
                              stdout=subprocess.PIPE, text=True)
    time.sleep(0.05)
    ps = subprocess.Popen(NOBODY + [binary, "-q", "-o", out, "-p", str(target.pid)],
                          stderr=subprocess.PIPE, text=True)
    if started:
        deadline = time.time() + 20
        while not started() and time.time() < deadline:
            time.sleep(0.01)
    else:
        time.sleep(delay)
    open(go, "w").close()
    stdout, _ = target.communicate(timeout=30)
    _, stderr = ps.communicate(timeout=30)
    return ps.returncode, stderr, stdout


def privileged_events(ev, secret):
    """Events of the privileged image, other than the exec that let it go."""
    return [e for e in ev
            if (e.get("euid") == 0 or secret in json.dumps(e))
            and not (e["type"] == "process.exec" and e["process"].get("unfollowed"))]


def test_attach_race_never_shows_a_process_that_gained_privileges(privileged_opener):
    # The target execs a setuid-root program at delays that cover the time
    # between the -p check and the moment tracing starts.
    d, binary, plain, suid, secret = privileged_opener
    outcomes = set()
    for i, delay in enumerate([0.0, 0.03, 0.08, 0.13, 0.18, 0.23, 0.3]):
        delay += random.uniform(0, 0.03)
        out = os.path.join(d, f"race{i}.jsonl")
        rc, stderr, stdout = attach_then_exec(binary, plain, suid, secret, out,
                                              os.path.join(d, f"go{i}"), delay=delay)
        # The privileged program did open the file, every time.
        assert stdout.startswith("opened ") and not stdout.startswith("opened 0 "), stdout
        if rc == 77:
            outcomes.add("refused")
            assert "you may not trace PID" in stderr
            continue
        assert rc == 0, (delay, stderr)
        ev = load_jsonl(out)
        assert privileged_events(ev, secret) == [], (delay, stderr)
        stats = ev[-1]
        assert stats["type"] == "stats"
        if "stopped following PID" in stderr:
            outcomes.add("dropped")
            assert stderr.count("stopped following") == 1
            assert "gained privileges or became untraceable after the -p check" in stderr
            assert stats["counters"]["unfollowed"] >= 1
        else:
            # The kernel let go itself: at the exec (which says so), or, for an
            # exec just before the programs started, at the first record.
            outcomes.add("kernel")
            ex = [e for e in ev if e["type"] == "process.exec"]
            assert [e["process"]["unfollowed_reason"] for e in ex] in (["gained privileges"], []), stderr
            assert stats["counters"]["unfollowed"] == 1
    # Some exec fell between the check and the start of tracing, or just before it.
    assert outcomes & {"dropped", "kernel"}, outcomes


def test_attach_race_never_shows_the_children_of_a_privileged_process(privileged_opener):
    # The setuid program forks a child every millisecond; each opens the
    # root-only file and is gone before user space could look at it.  The
    # kernel itself holds ptrace's rule at every record, so none of them shows.
    d, binary, plain, suid, secret = privileged_opener
    for i, delay in enumerate([0.05, 0.12, 0.2, 0.28]):
        delay += random.uniform(0, 0.03)
        out = os.path.join(d, f"forks{i}.jsonl")
        rc, stderr, stdout = attach_then_exec(binary, plain, suid, secret, out,
                                              os.path.join(d, f"fgo{i}"), delay=delay, mode="forks")
        assert stdout.startswith("opened ") and not stdout.startswith("opened 0 "), stdout
        if rc == 77:
            continue
        assert rc == 0, (delay, stderr)
        ev = load_jsonl(out)
        assert privileged_events(ev, secret) == [], (delay, stderr)
        assert ev[-1]["type"] == "stats" and ev[-1]["counters"]["unfollowed"] >= 1


def test_attach_mode_lets_go_at_a_privileged_exec(privileged_opener):
    d, binary, plain, suid, secret = privileged_opener
    out = os.path.join(d, "attached.jsonl")
    go = os.path.join(d, "go")

    def traced():
        try:
            return go in open(out).read()
        except OSError:
            return False
    rc, stderr, stdout = attach_then_exec(binary, plain, suid, secret, out, go, started=traced)
    assert rc == 0, stderr
    assert stdout.startswith("opened ") and not stdout.startswith("opened 0 ")
    ev = load_jsonl(out)
    ex = [e for e in ev if e["type"] == "process.exec"]
    assert len(ex) == 1 and ex[0]["process"]["filename"] == suid
    assert ex[0]["process"]["unfollowed_reason"] == "gained privileges"
    assert privileged_events(ev, secret) == []
    assert ev[-1]["counters"]["unfollowed"] == 1 and ev[-1]["complete"] is True


def test_execute_only_binary_is_not_traced(shared_dir):
    d, binary = shared_dir
    xonly = os.path.join(d, "xonly-opener")
    shutil.copy(fixture("opener"), xonly)
    os.chmod(xonly, 0o711)
    out = os.path.join(d, "xonly.jsonl")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "--", xonly, "open", "/etc/hostname", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "opened 1 of 1\n"
    ev = load_jsonl(out)
    assert [e["type"] for e in ev] == ["run", "process.exec", "stats"]
    ev = ev[1:]  # after the run header
    assert ev[0]["process"]["filename"] == xonly
    assert ev[0]["process"]["unfollowed_reason"] == "not readable by the invoker"
    assert ev[0]["process"]["privilege_gain"] is False
    assert ev[1]["counters"]["unfollowed"] == 1
    # ptrace's rule, which -p follows, refuses the same process.  (sh execs it:
    # setpriv would exec it still holding root's capabilities, which may read it.)
    target = subprocess.Popen(NOBODY + ["sh", "-c", f"exec {xonly} open /etc/hostname 3000"],
                              stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.2)
        refused = subprocess.run(NOBODY + [binary, "-q", "-p", str(target.pid)],
                                 capture_output=True, text=True, timeout=30)
    finally:
        target.kill()
        target.wait()
    assert refused.returncode == 77 and f"you may not trace PID {target.pid}" in refused.stderr
    # Root may read the file: the same binary is traced in full.
    t = run_trace_in(d, [xonly, "open", "/etc/hostname", "0"])
    ex = [e for e in t if e["type"] == "process.exec"]
    assert len(ex) == 1 and "unfollowed" not in ex[0]["process"]
    assert any(e["type"] == "file.open" and e["file"]["path"] == "/etc/hostname" and e["ret"] >= 0
               for e in t)
    assert t[-1]["counters"]["unfollowed"] == 0


def run_trace_in(d, cmd):
    out = os.path.join(d, "root.jsonl")
    proc = subprocess.run([PROCSCOPE, "-q", "-o", out, "--force", "--", *cmd],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return load_jsonl(out)


def test_kernel_memory_is_capped_without_privilege(shared_dir):
    d, binary = shared_dir
    for extra, limit in ((["--buffer-size", "1024"], "64 MiB"), (["--buffer-size", "128"], "64 MiB"),
                         (["--max-procs", "4194304"], "65536 processes")):
        proc = subprocess.run(NOBODY + [binary, "-q", *extra, "--", "true"],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 64, (extra, proc.stderr)
        assert limit in proc.stderr and "root or CAP_SYS_ADMIN lifts this limit" in proc.stderr
        assert proc.stderr.count("\n") == 1
    out = os.path.join(d, "at-limit.jsonl")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "--buffer-size", "64", "--max-procs", "65536",
                                    "--", "true"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert load_jsonl(out)[-1]["type"] == "stats"
    # CAP_SYS_ADMIN lifts the limit: the capabilities decide, not the uid alone.
    subprocess.run(["setcap", "cap_bpf,cap_perfmon,cap_sys_admin+ep", binary], check=True)
    out = os.path.join(d, "admin.jsonl")
    proc = subprocess.run(NOBODY + [binary, "-q", "-o", out, "--buffer-size", "128", "--", "true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # Root is not limited either.
    proc = subprocess.run([PROCSCOPE, "-q", "--buffer-size", "128", "--max-procs", "131072", "--", "true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_force_never_writes_into_a_file_another_user_owns_or_links(shared_dir):
    # In a shared sticky directory another user can leave a file anyone may
    # write (to read the trace later), or a hard link to the invoker's own file.
    d, binary = shared_dir
    os.chmod(d, 0o1777)
    planted = os.path.join(d, "planted.jsonl")
    with open(planted, "w") as f:
        f.write("planted\n")
    os.chown(planted, 1, 1)  # daemon's
    os.chmod(planted, 0o666)
    precious = os.path.join(d, "precious")
    with open(precious, "w") as f:
        f.write("keep\n")
    os.chown(precious, 65534, 65534)
    linked = os.path.join(d, "linked.jsonl")
    os.link(precious, linked)
    for path, why in ((planted, "it belongs to another user"), (linked, "it has other hard links")):
        proc = subprocess.run(NOBODY + [binary, "-q", "-o", path, "--force", "--", "true"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 73, (path, proc.stderr)
        assert proc.stderr == f"procscope: cannot create '{path}': {why}; choose a path you may write to\n"
    assert open(planted).read() == "planted\n" and open(precious).read() == "keep\n"


def test_force_gives_an_existing_output_the_documented_mode(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old")
    os.chmod(out, 0o666)
    proc = subprocess.run([PROCSCOPE, "-q", "-o", str(out), "--force", "--", "true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (os.stat(out).st_mode & 0o777) == 0o640


def test_attach_ignores_procscope_own_capabilities(shared_dir):
    # nobody's process holding CAP_BPF: ptrace refuses it to nobody, whose
    # shell has no capabilities; procscope's own file capabilities must not
    # make up the difference.
    d, binary = shared_dir
    target = subprocess.Popen(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                               "--inh-caps=+bpf", "--ambient-caps=+bpf", "--", "sleep", "30"])
    try:
        time.sleep(0.3)
        plain = subprocess.run(NOBODY + ["cat", f"/proc/{target.pid}/environ"], capture_output=True)
        assert plain.returncode != 0
        proc = subprocess.run(NOBODY + [binary, "-q", "-p", str(target.pid)],
                              capture_output=True, text=True, timeout=30)
    finally:
        target.kill()
        target.wait()
    assert proc.returncode == 77, proc.stderr
    assert proc.stderr.startswith(f"procscope: you may not trace PID {target.pid}:")


def test_report_never_writes_into_another_users_bundle(shared_dir):
    # Another user's bundle in a directory anyone may write: its owner could
    # swap the report after it is written.  -o names a directory of one's own.
    d, binary = shared_dir
    bundle = os.path.join(d, "theirs")
    proc = subprocess.run([PROCSCOPE, "-q", "--bundle", bundle, "--", "true"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    os.unlink(os.path.join(bundle, "summary.md"))
    for root, dirs, files in os.walk(bundle):
        for name in dirs + files:
            os.chown(os.path.join(root, name), 1, 1)
            os.chmod(os.path.join(root, name), 0o644)
    os.chown(bundle, 1, 1)
    os.chmod(bundle, 0o777)
    before = sorted(os.listdir(bundle))
    proc = subprocess.run(NOBODY + [binary, "report", bundle, "--force"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 73, proc.stderr
    assert proc.stderr.startswith(f"procscope report: cannot write into '{bundle}': the directory "
                                  "belongs to another user or others may write into it")
    assert proc.stderr.endswith("; write elsewhere with -o OUTDIR\n")
    assert sorted(os.listdir(bundle)) == before
    out = os.path.join(d, "mine")
    proc = subprocess.run(NOBODY + [binary, "report", bundle, "-o", out], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == ["report.html", "summary.md"]


def test_run_header_never_shows_a_redact_pattern(tmp_path):
    # A pattern names the secret it hides: procscope's own argv in the run
    # header hides it, in every spelling getopt accepts.
    t = run_trace(tmp_path, ["echo", "ok"],
                  extra=["--redact", "hunter[0-9]", "--redact=s3cr3t", "--reda", "xyzzy"])
    assert t.returncode == 0, t.stderr
    run = t.events[0]
    assert run["type"] == "run"
    text = json.dumps(run)
    for secret in ("hunter", "s3cr3t", "xyzzy"):
        assert secret not in text
    argv = run["argv"]
    assert argv[argv.index("--redact") + 1] == "[REDACTED]"
    assert "--redact=[REDACTED]" in argv
    assert argv[argv.index("--reda") + 1] == "[REDACTED]"


def test_output_socket_refuses_another_users_reader(root):
    # A reader listening as nobody (e.g. on a path another user planted)
    # gets no records: procscope checks the connected peer's credentials.
    d = tempfile.mkdtemp(dir="/tmp")  # pytest's own tmp_path is closed to nobody
    os.chmod(d, 0o777)
    path = os.path.join(d, "agent.sock")
    reader = subprocess.Popen(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c",
         "import socket,sys,time\n"
         "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)\n"
         "print('ready', flush=True)\n"
         "c,_=s.accept(); sys.stdout.write('GOT:' + c.recv(65536).decode(errors='replace'))\n",
         path], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        os.chmod(path, 0o777)
        proc = subprocess.run([PROCSCOPE, "-q", "--output-socket", path, "--", "true"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 73, proc.stderr
        assert proc.stderr.count("\n") == 1
        assert "its reader runs as another user" in proc.stderr
    finally:
        reader.kill()
        out = reader.communicate()[0]
        shutil.rmtree(d)
    assert "type" not in out  # the reader got nothing
