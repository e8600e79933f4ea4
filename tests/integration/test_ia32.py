# Acts made through the IA-32 entry point (int $0x80) by a 64-bit process are
# the same events with the same fields and results, marked "abi": "ia32"; an
# IA-32 call procscope cannot decode is counted and makes the capture
# incomplete.
import pytest

from conftest import PROCSCOPE, fixture, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


@pytest.fixture
def ia32_trace(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    t = run_trace(tmp_path, [fixture("ia32"), str(work)])
    assert t.returncode == 0, t.stderr
    return t, str(work)


def ia32(t, type_, **match):
    return one(t, type_, abi="ia32", **match)


def test_file_acts(ia32_trace):
    t, d = ia32_trace
    op = ia32(t, "file.open", syscall="open")
    assert op["file"]["path"] == d + "/a" and op["ret"] >= 0
    assert op["file"]["flags"] == ["O_WRONLY", "O_CREAT"] and op["file"]["mode"] == 0o644
    assert ia32(t, "file.chmod", syscall="chmod")["file"] == {"path": d + "/a", "mode": 0o4755}
    ln = ia32(t, "file.link", syscall="link")
    assert (ln["file"]["path"], ln["file"]["target"], ln["ret"]) == (d + "/a", d + "/b", 0)
    rn = ia32(t, "file.rename", syscall="rename")
    assert (rn["file"]["path"], rn["file"]["target"], rn["ret"]) == (d + "/b", d + "/c", 0)
    assert ia32(t, "file.mkdir", syscall="mkdir")["file"] == {"path": d + "/d", "mode": 0o755}
    assert ia32(t, "file.rmdir", syscall="rmdir")["file"]["path"] == d + "/d"
    assert ia32(t, "file.unlink", syscall="unlink")["file"]["path"] == d + "/c"
    # openat's AT_FDCWD arrives as a 32-bit -100.
    oa = ia32(t, "file.open", syscall="openat")
    assert oa["file"]["path"] == d + "/e" and oa["ret"] >= 0
    tr = ia32(t, "file.truncate", syscall="truncate64")
    assert tr["file"] == {"path": d + "/e", "length": (1 << 32) + 16} and tr["ret"] == 0


def test_failed_exec_with_32bit_argv(ia32_trace):
    t, _ = ia32_trace
    ex = ia32(t, "process.exec", syscall="execve")
    assert ex["ret"] == -2 and ex["error"] == "ENOENT"
    assert ex["process"]["filename"] == "/nonexistent/ia32-prog"
    assert ex["process"]["args"] == ["/nonexistent/ia32-prog", "--flag"]


def test_network_direct_and_through_socketcall(ia32_trace):
    t, _ = ia32_trace
    for via in (None, "socketcall"):
        sock = ia32(t, "net.socket", via=via)
        assert sock["syscall"] == "socket" and sock["net"]["family"] == "AF_INET"
        conn = ia32(t, "net.connect", via=via)
        assert conn["syscall"] == "connect" and conn["error"] == "ECONNREFUSED"
        assert (conn["net"]["address"], conn["net"]["port"]) == ("127.0.0.1", 1)
        assert conn["net"]["fd"] == sock["ret"]


def test_privilege_and_process_acts(ia32_trace):
    t, _ = ia32_trace
    su = ia32(t, "priv.setuid", syscall="setuid32")
    assert su["ret"] == 0 and su["priv"]["uid"] == 65534
    assert su["priv"]["after"]["euid"] == 65534 and su["priv"]["before"]["euid"] == 0
    sig = ia32(t, "proc.signal", syscall="kill")
    assert sig["proc"]["target"]["pid"] == sig["pid"] and sig["ret"] == 0


def test_complete_when_everything_was_decoded(ia32_trace):
    t, _ = ia32_trace
    assert t.stats["complete"] is True and t.stats["counters"]["compat_syscalls"] == 0
    # 64-bit calls of the same run are not marked.
    assert all("abi" not in e for e in t.events if e.get("syscall") == "openat" and e["pid"] != 0
               and e.get("comm") != "ia32")


def test_undecoded_call_is_counted(tmp_path):
    t = run_trace(tmp_path, [fixture("ia32"), "undecoded"])
    assert t.returncode == 0, t.stderr
    assert t.stats["counters"]["compat_syscalls"] == 1
    assert t.stats["complete"] is False and t.stats["lost"] >= 1


def test_timeline_marks_ia32(tmp_path):
    import subprocess
    work = tmp_path / "w"
    work.mkdir()
    res = subprocess.run([PROCSCOPE, "--", fixture("ia32"), str(work)],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    line = [l for l in res.stderr.splitlines() if "priv.setuid" in l]
    assert len(line) == 1 and "[ia32 setuid32]" in line[0], res.stderr
