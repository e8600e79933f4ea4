# Exec details a security engineer relies on: privilege-gaining execs
# (setuid binaries, file capabilities) with credentials before and after,
# fileless execs from memory, and failed execs with their arguments.
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import PYTHON, run_trace

pytestmark = pytest.mark.usefixtures("root")


@pytest.fixture
def exec_dir():
    d = tempfile.mkdtemp(prefix="procscope-exec-", dir="/tmp")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_setuid_exec_is_a_notable_privilege_gain(tmp_path, exec_dir):
    suid = os.path.join(exec_dir, "suid-id")
    shutil.copy("/usr/bin/id", suid)
    os.chmod(suid, 0o4755)
    t = run_trace(tmp_path, [suid, "-u"], extra=["--user", "nobody"])
    assert t.returncode == 0 and t.stdout.strip() == "0"
    ex = [e for e in t.of_type("process.exec") if e["process"]["filename"] == suid]
    assert len(ex) == 1
    p = ex[0]["process"]
    assert ex[0]["notable"] is True and p["privilege_gain"] is True
    assert p["creds_before"]["uid"] == 65534 and p["creds_before"]["euid"] == 65534
    assert p["creds_after"]["uid"] == 65534 and p["creds_after"]["euid"] == 0
    assert ex[0]["uid"] == 65534 and ex[0]["euid"] == 0


def test_file_capabilities_exec_is_a_privilege_gain(tmp_path, exec_dir):
    capped = os.path.join(exec_dir, "capped-true")
    shutil.copy("/bin/true", capped)
    subprocess.run(["setcap", "cap_net_raw+ep", capped], check=True)
    t = run_trace(tmp_path, [capped], extra=["--user", "nobody"])
    assert t.returncode == 0
    p = t.of_type("process.exec")[0]["process"]
    assert p["privilege_gain"] is True
    assert p["creds_before"]["cap_effective"] == []
    assert p["creds_after"]["cap_effective"] == ["CAP_NET_RAW"]


def test_ordinary_exec_gains_nothing(tmp_path):
    t = run_trace(tmp_path, ["true"], extra=["--user", "nobody"])
    ex = t.of_type("process.exec")[0]
    assert ex["process"]["privilege_gain"] is False
    assert "notable" not in ex and "creds_before" not in ex["process"]


def test_memfd_exec_is_fileless(tmp_path):
    script = ("import os\n"
              "fd = os.memfd_create('payload')\n"
              "os.write(fd, open('/bin/true', 'rb').read())\n"
              "os.execv(f'/proc/self/fd/{fd}', ['payload'])\n")
    t = run_trace(tmp_path, [PYTHON, "-c", script])
    assert t.returncode == 0, t.stderr
    ex = [e for e in t.of_type("process.exec") if e["process"]["args"] == ["payload"]]
    assert len(ex) == 1
    p = ex[0]["process"]
    assert p["exe"].startswith("memfd:payload") and p["fileless"] is True
    assert p["filename"].startswith("/proc/") and p["filename"].endswith("/fd/3")


def test_deleted_binary_exec_is_fileless(tmp_path, exec_dir):
    binary = os.path.join(exec_dir, "gone")
    shutil.copy("/bin/true", binary)
    script = (f"import os\n"
              f"fd = os.open('{binary}', os.O_RDONLY)\n"
              f"os.unlink('{binary}')\n"
              f"os.execv(f'/proc/self/fd/{{fd}}', ['gone'])\n")
    t = run_trace(tmp_path, [PYTHON, "-c", script])
    assert t.returncode == 0, t.stderr
    ex = [e for e in t.of_type("process.exec") if e["process"]["args"] == ["gone"]]
    assert len(ex) == 1
    assert ex[0]["process"]["exe"] == binary and ex[0]["process"]["fileless"] is True


def test_binary_deleted_after_start_is_not_fileless(tmp_path, exec_dir):
    binary = os.path.join(exec_dir, "later")
    shutil.copy("/bin/sleep", binary)
    t = run_trace(tmp_path, ["sh", "-c", f"{binary} 0.3 & sleep 0.1; rm {binary}; wait"])
    assert t.returncode == 0
    ex = [e for e in t.of_type("process.exec") if e["process"]["filename"] == binary]
    assert len(ex) == 1 and "fileless" not in ex[0]["process"]


def test_failed_exec_has_path_args_and_error(tmp_path, exec_dir):
    noexec = os.path.join(exec_dir, "noexec")
    with open(noexec, "w") as f:
        f.write("data\n")
    os.chmod(noexec, 0o644)
    script = (f"import os\n"
              f"for p in ('/nonexistent/tool', '{noexec}'):\n"
              f"    try: os.execv(p, [p, '--flag', 'value'])\n"
              f"    except OSError: pass\n")
    t = run_trace(tmp_path, [PYTHON, "-c", script])
    assert t.returncode == 0
    failed = [e for e in t.of_type("process.exec") if "error" in e]
    by_path = {e["process"]["filename"]: e for e in failed}
    assert by_path["/nonexistent/tool"]["error"] == "ENOENT"
    assert by_path["/nonexistent/tool"]["ret"] == -2
    assert by_path["/nonexistent/tool"]["process"]["args"] == ["/nonexistent/tool", "--flag", "value"]
    assert by_path[noexec]["error"] == "EACCES"
