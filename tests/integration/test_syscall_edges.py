# Kernel-side edge cases of syscall capture: calls a seccomp filter refuses
# (seccomp acts before sys_enter), Unix socket names from the kernel's socket
# state, and pseudo files named the way /proc/PID/fd names them.
import json
import os

import pytest

from conftest import PYTHON, SYSCALL, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


SECCOMP = r"""
import ctypes, os, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
def ins(code, jt, jf, k): return struct.pack("HBBI", code, jt, jf, k)
# A = syscall number; mkdir (83) -> SECCOMP_RET_ERRNO | EPERM; else allow.
prog = ins(0x20, 0, 0, 0) + ins(0x15, 0, 1, 83) + ins(0x06, 0, 0, 0x00050001) + ins(0x06, 0, 0, 0x7fff0000)
buf = ctypes.create_string_buffer(prog, len(prog))
fprog = ctypes.create_string_buffer(struct.pack("HxxxxxxQ", 4, ctypes.addressof(buf)), 16)
assert libc.prctl(38, 1, 0, 0, 0) == 0
assert libc.prctl(22, 2, ctypes.addressof(fprog), 0, 0) == 0
try:
    os.mkdir("denied-dir")
except PermissionError:
    print("denied")
"""


def test_call_refused_by_seccomp_is_reported(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", SECCOMP], cwd=str(tmp_path))
    assert t.returncode == 0 and t.stdout.strip() == "denied", t.stderr
    mk = [e for e in t.of_type("file.mkdir") if e["file"]["path"] == str(tmp_path / "denied-dir")]
    assert len(mk) == 1 and mk[0]["ret"] == -1 and mk[0]["error"] == "EPERM"
    seccomp = t.of_type("priv.prctl")
    assert any(e["priv"].get("option") == "PR_SET_SECCOMP" and e["ret"] == 0 for e in seccomp)


UNIX = r"""
import json, os, socket
path = os.path.abspath("srv.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
cli.connect(path)
conn, _ = srv.accept()
print(json.dumps({"path": path, "srv": srv.fileno(), "conn": conn.fileno()}))
"""


def test_unix_listen_and_accept_name_the_socket(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", UNIX], cwd=str(tmp_path))
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    listen = [e for e in t.of_type("net.listen") if e["net"]["fd"] == out["srv"]]
    assert len(listen) == 1 and listen[0]["net"]["address"] == out["path"]
    acc = [e for e in t.of_type("net.accept") if e["ret"] == out["conn"]]
    assert len(acc) == 1 and acc[0]["net"]["local_address"] == out["path"]


def test_pipe_is_named_like_proc_fd(tmp_path):
    script = "import os\nr, w = os.pipe()\nos.fchmod(w, 0o600)\nprint(os.fstat(w).st_ino)\n"
    t = run_trace(tmp_path, [PYTHON, "-c", script])
    assert t.returncode == 0, t.stderr
    ino = int(t.stdout)
    ch = t.of_type("file.chmod", syscall="fchmod")
    assert len(ch) == 1 and ch[0]["file"]["path"] == f"pipe:[{ino}]"


# A pid <= 0 is kept as the caller passed it (strace shows it too).
NONPOSITIVE_PIDS = SYSCALL + r"""
import os, sys
print(sc(434, -1, 0))             # pidfd_open(-1)
print(sc(200, 0, 0))              # tkill(0, 0)
print(sc(234, os.getpid(), -5, 0))  # tgkill(self, -5, 0)
print(sc(310, -3, 0, 1, 0, 1, 0))  # process_vm_readv(-3, NULL, 1, NULL, 1, 0)
"""


def test_nonpositive_pid_arguments_are_kept(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", NONPOSITIVE_PIDS])
    assert t.returncode == 0, t.stderr
    want = {"pidfd_open": -1, "tkill": 0, "tgkill": -5, "process_vm_readv": -3}
    for name, pid in want.items():
        ev = [e for e in t.events if e.get("syscall") == name]
        assert len(ev) == 1, (name, ev)
        assert ev[0]["ret"] < 0 and ev[0]["proc"]["target"] == {"pid": pid}, ev[0]


# Buffers that run into an unmapped page keep their readable prefix.
PAGE_EDGE = SYSCALL + r"""
import mmap, ctypes
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
base = libc.mmap(None, 8192, 3, 0x22, -1, 0)
assert libc.munmap(ctypes.c_void_p(base + 4096), 4096) == 0
# A 16-byte AF_INET sockaddr at the end of the page, passed with length 200.
sa = base + 4096 - 16
ctypes.memmove(sa, bytes([2, 0, 0, 80, 127, 0, 0, 1]) + bytes(8), 16)
s = sc(41, 2, 1, 0)
print(sc(42, s, sa, 200))
# A memfd name with no NUL before the unmapped page.
name = base + 4096 - 6
ctypes.memmove(name, b"abcdef", 6)
print(sc(319, name, 0))
"""


def test_reads_that_run_into_an_unmapped_page_keep_the_prefix(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", PAGE_EDGE])
    assert t.returncode == 0, t.stderr
    conn = one(t, "net.connect")
    assert conn["ret"] == -22 and conn.get("truncated") is True
    assert conn["net"]["family"] == "AF_INET" and conn["net"]["address"] == "127.0.0.1"
    assert conn["net"]["port"] == 80
    memfd = one(t, "file.memfd")
    assert memfd["ret"] == -14 and memfd["file"]["name"] == "abcdef"
    assert memfd.get("truncated") is True
