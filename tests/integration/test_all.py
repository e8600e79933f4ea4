# System-wide mode: --all follows every process on the host, including those
# that started before procscope and are not its children, and reports what a
# rule matched plus execs and exits, each with a fleet-wide exec_id.
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import PROCSCOPE, fixture, load_jsonl, wait_no_progs

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
BOOT_ID = open("/proc/sys/kernel/random/boot_id").read().strip()


def rules(tmp_path, secret):
    f = tmp_path / "all.yaml"
    f.write_text(f"""
file_open:
  enabled: true
  rules:
    - rule: SecretRead
      event: path == "{secret}"
""")
    return str(f)


def run_all(tmp_path, extra, during, seconds=2.0):
    """procscope --all EXTRA, `during()` once its programs are attached, SIGINT after `seconds`."""
    out = tmp_path / "all.jsonl"
    proc = subprocess.Popen([PROCSCOPE, "-q", "--all", "-o", str(out), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # Ready once an exec made from here shows in the output (programs attached, /proc scanned).
    deadline, n = time.time() + 60, 0
    while True:
        assert proc.poll() is None and time.time() < deadline, proc.communicate()
        n += 1
        subprocess.run(["/bin/sh", "-c", "exit 0", f"probe-{n}"])
        time.sleep(0.2)
        if out.exists() and f"probe-{n}" in out.read_text():
            break
    during()
    time.sleep(seconds)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err, load_jsonl(out)


def test_all_sees_a_process_that_started_before_it_and_is_not_its_child(root, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("x")
    other = tmp_path / "other"
    other.write_text("y")
    # Started first, by this test: procscope is neither its parent nor its ancestor.
    early = subprocess.Popen([fixture("opener"), "open", str(secret), "6000"], stdout=subprocess.DEVNULL)
    quiet = subprocess.Popen([fixture("opener"), "open", str(other), "6000"], stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    later = []
    try:
        rc, err, ev = run_all(tmp_path, ["--rules", rules(tmp_path, secret)],
                              lambda: later.append(subprocess.run(["sh", "-c", "exec true"])))
    finally:
        early.kill()
        quiet.kill()
        early.wait()
        quiet.wait()
    assert rc == 0, err
    assert ev[0]["type"] == "run" and ev[0]["mode"] == "all"
    assert ev[0]["filters"] == ["--all: rule matches, execs and exits"]
    hits = [e for e in ev if e["type"] == "file.open" and e["pid"] == early.pid]
    assert hits, [e for e in ev if e["pid"] == early.pid]
    h = hits[0]
    assert h["rule"] == "SecretRead" and h["file"]["path"] == str(secret) and h["ret"] >= 0
    assert h["ppid"] == os.getpid()
    assert h["exec_id"] == f"{BOOT_ID}:{h['key']}" and h["parent_exec_id"] == f"{BOOT_ID}:{h['parent_key']}"
    # Only findings, execs and exits: the other opener's opens matched nothing.
    assert not [e for e in ev if e.get("pid") == quiet.pid and e["type"] == "file.open"]
    for e in ev[1:-1]:
        assert e.get("rule") or e["type"] in ("process.exec", "process.exit"), e
        assert e["exec_id"].startswith(BOOT_ID + ":")
    # A process started after procscope, by this test, is followed too: its exec is context.
    assert [e for e in ev if e["type"] == "process.exec" and e["process"]["filename"] == "/usr/bin/true"]
    st = ev[-1]
    assert st["type"] == "stats" and st["lost"] == 0
    # The kernel held back what no rule could judge; the consumer what no rule matched.
    assert st["counters"]["filtered_events"] > 0 and st["counters"]["consumer_filtered_events"] > 0
    assert wait_no_progs() == []


def test_all_with_events_widens_what_is_reported(root, tmp_path):
    target = tmp_path / "seen"
    target.write_text("z")
    rc, err, ev = run_all(tmp_path, ["--no-default-rules", "-e", "file.open", "--path", str(tmp_path)],
                          lambda: subprocess.run(["cat", str(target)], stdout=subprocess.DEVNULL), seconds=1.0)
    assert rc == 0, err
    opens = [e for e in ev if e["type"] == "file.open" and e["file"]["path"] == str(target)]
    assert opens and opens[0]["comm"] == "cat" and "rule" not in opens[0]


def test_all_is_refused_alone_for_an_ordinary_user_and_with_a_command(root):
    for args in (["--all", "--", "true"], ["--all", "-p", "1"]):
        proc = subprocess.run([PROCSCOPE, *args], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 64 and "--all" in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    d = tempfile.mkdtemp(prefix="procscope-all-", dir="/tmp")
    try:
        os.chmod(d, 0o755)
        binary = os.path.join(d, "procscope")
        shutil.copy(PROCSCOPE, binary)
        os.chmod(binary, 0o755)
        subprocess.run(["setcap", "cap_bpf,cap_perfmon+ep", binary], check=True)
        proc = subprocess.run(NOBODY + [binary, "--all"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 77, proc.stderr
        assert proc.stderr.count("\n") == 1 and "CAP_SYS_ADMIN" in proc.stderr, proc.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)
    proc = subprocess.run([PROCSCOPE, "--gc-period", "0", "--all"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 64 and "--gc-period" in proc.stderr


def sha256(path):
    return subprocess.run(["sha256sum", path], capture_output=True, text=True, check=True).stdout.split()[0]


def test_exec_carries_container_ancestors_and_the_hash_of_the_file_it_ran(root, tmp_path):
    cid = "3f" * 32
    pod = "0b7e2d1c-4a5f-4e6d-9c8b-7a6f5e4d3c2b"
    cg = f"/sys/fs/cgroup/pids/kubepods/burstable/pod{pod}/{cid}"
    os.makedirs(cg)
    prog = tmp_path / "prog"
    shutil.copy("/usr/bin/sleep", prog)
    swapped = []

    def during():
        # A process in a cgroup named as Kubernetes names a container's runs /usr/bin/true;
        # another runs a copy of sleep whose path is then given to another file.
        # The container's first program lives a while (its cgroup is read at its exec); what it
        # starts inherits the container even when it is gone before its record is read.
        subprocess.run(["sh", "-c", f"echo $$ > {cg}/cgroup.procs && exec /bin/sh -c '/usr/bin/true; sleep 0.5'"],
                       check=True)
        # A fresh copy that exits at once: by the time its record is read only the path is
        # left, and a file changed within a second of its exec is not trusted by path.
        shutil.copy("/usr/bin/true", tmp_path / "fresh")
        subprocess.run([str(tmp_path / "fresh")], check=True)
        p = subprocess.Popen([str(prog), "1"])
        os.unlink(prog)
        shutil.copy("/usr/bin/true", prog)
        swapped.append(p)

    try:
        rc, err, ev = run_all(tmp_path, ["--no-default-rules"], during, seconds=1.5)
    finally:
        for p in swapped:
            p.wait()
        os.rmdir(cg)
        for d in (os.path.dirname(cg), os.path.dirname(os.path.dirname(cg)), "/sys/fs/cgroup/pids/kubepods"):
            os.rmdir(d)
    assert rc == 0, err
    true = [e for e in ev if e["type"] == "process.exec" and e["process"]["filename"] == "/usr/bin/true"
            and e.get("container_id")]
    assert true, [e for e in ev if e["type"] == "process.exec"]
    e = true[0]
    assert e["container_id"] == cid and e["pod_uid"] == pod
    first = [x for x in ev if x["type"] == "process.exec" and x["process"]["args"][:2] == ["/bin/sh", "-c"]
             and x.get("container_id")]
    assert first and first[0]["container_id"] == cid, first
    # Ancestors, nearest first: true's parent is the container's first program, then this test.
    assert e["ancestors"][0]["exec_id"] == e["parent_exec_id"] == first[0]["exec_id"]
    assert e["ancestors"][1]["pid"] == os.getpid() and e["ancestors"][1]["comm"].startswith("python")
    assert e["process"]["exe_sha256"] == sha256("/usr/bin/true")
    # The file the exec ran, not what sits at its path now.
    slept = [e for e in ev if e["type"] == "process.exec" and e["process"]["filename"] == str(prog)]
    assert slept and slept[0]["process"]["exe_sha256"] == sha256("/usr/bin/sleep"), slept
    assert "container_id" not in slept[0]
    fresh = [e for e in ev if e["type"] == "process.exec" and e["process"]["filename"] == str(tmp_path / "fresh")]
    assert fresh and "exe_sha256" not in fresh[0]["process"], fresh
    assert fresh[0]["process"]["exe_sha256_error"] == "the file it ran is gone or has changed since"

