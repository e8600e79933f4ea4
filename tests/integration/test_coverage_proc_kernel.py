# Acts on other processes (signals, ptrace, memory access, pidfds) and on
# the kernel (BPF, modules, kexec, io_uring, perf events), from real
# programs.  Each result is compared with what the program itself saw.
import json

import pytest

from conftest import PYTHON, SYSCALL, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


PROC = SYSCALL + r"""
import ctypes, json, os, signal, subprocess, time
out = {}
child = subprocess.Popen(["sleep", "30"])
out["child"] = child.pid
# Wait until the child runs sleep, so that its name is the one it keeps.
while open("/proc/%d/comm" % child.pid).read().strip() != "sleep":
    time.sleep(0.01)
out["attach"] = sc(101, 16, child.pid, 0, 0)                      # PTRACE_ATTACH
os.waitpid(child.pid, 0)
out["detach"] = sc(101, 17, child.pid, 0, 0)                      # PTRACE_DETACH
os.kill(child.pid, 0)
# SIGKILL: the child may be left in a group stop by the attach.
os.kill(child.pid, signal.SIGKILL)
child.wait()
try:
    os.kill(4000000, signal.SIGUSR1)
except ProcessLookupError:
    out["esrch"] = True
os.killpg(os.getpgid(0), 0)
out["pgid"] = os.getpgid(0)
tid = libc.gettid()
out["tkill"] = sc(200, tid, 0)
out["tgkill"] = sc(234, os.getpid(), tid, 0)
buf = ctypes.create_string_buffer(b"procscope", 16)
dst = ctypes.create_string_buffer(16)
class Iov(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
local, remote = Iov(ctypes.addressof(dst), 9), Iov(ctypes.addressof(buf), 9)
out["vm_read"] = sc(310, os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
out["copied"] = dst.value.decode()
out["pid"] = os.getpid()
print(json.dumps(out))
"""


def test_signals_ptrace_vm(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", PROC])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    child, me = out["child"], out["pid"]
    forks = [f for f in t.of_type("process.fork", pid=me) if "syscall" not in f]
    child_key = [f["process"]["child_key"] for f in forks if f["process"]["child_pid"] == child]
    assert len(child_key) == 1
    target = {"pid": child, "comm": "sleep", "in_tree": True, "key": child_key[0]}

    sigs = [e for e in t.of_type("proc.signal", pid=me) if e["syscall"] == "kill"]
    assert [(e["proc"], e["ret"]) for e in sigs] == [
        ({"signal": 0, "existence_check": True, "target": target}, 0),
        ({"signal": "SIGKILL", "target": target}, 0),
        ({"signal": "SIGUSR1", "target": {"pid": 4000000}}, -3),
        ({"signal": 0, "existence_check": True, "target": {"process_group": out["pgid"]}}, 0),
    ]
    assert sigs[2]["error"] == "ESRCH" and all(e["notable"] for e in sigs)

    e = one(t, "proc.signal", syscall="tkill")
    assert e["ret"] == out["tkill"] == 0
    assert e["proc"]["target"]["pid"] == me and e["proc"]["target"]["in_tree"] is True
    e = one(t, "proc.signal", syscall="tgkill")
    assert e["ret"] == out["tgkill"] == 0 and e["proc"]["target"]["pid"] == me

    pt = t.of_type("proc.ptrace", pid=me)
    assert [(e["proc"]["request"], e["ret"]) for e in pt] == [
        ("PTRACE_ATTACH", out["attach"]), ("PTRACE_DETACH", out["detach"])]
    assert out["attach"] == 0 and pt[0]["proc"]["target"] == target

    e = one(t, "proc.vm_access")
    assert out["copied"] == "procscope" and e["ret"] == out["vm_read"] == 9
    assert e["syscall"] == "process_vm_readv"
    assert e["proc"]["access"] == "read" and e["proc"]["target"]["pid"] == me
    assert e["proc"]["local_iovcnt"] == 1 and e["proc"]["remote_iovcnt"] == 1


PIDFD = SYSCALL + r"""
import json, os
pfd = sc(434, os.getpid(), 0)
print(json.dumps({"pidfd": pfd, "send": sc(424, pfd, 0, None, 0),
                  "getfd": sc(438, pfd, 1, 0), "pid": os.getpid()}))
"""


def test_pidfd(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", PIDFD])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    e = one(t, "proc.pidfd", syscall="pidfd_open")
    assert e["ret"] == out["pidfd"] >= 0 and e["proc"]["flags"] == []
    assert e["proc"]["target"]["pid"] == out["pid"]
    e = one(t, "proc.signal", syscall="pidfd_send_signal")
    assert e["ret"] == out["send"] == 0 and e["proc"]["signal"] == 0
    assert e["proc"]["target"]["pidfd"] == out["pidfd"]
    e = one(t, "proc.pidfd", syscall="pidfd_getfd")
    assert e["ret"] == out["getfd"] >= 0 and e["proc"]["target_fd"] == 1
    assert e["proc"]["target"]["pidfd"] == out["pidfd"]


def test_pidfd_target_resolved(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", PIDFD])
    out = json.loads(t.stdout)
    e = one(t, "proc.signal", syscall="pidfd_send_signal")
    assert e["proc"]["target"]["pid"] == out["pid"]


KERNEL = SYSCALL + r"""
import ctypes, json, struct
out = {}
# BPF_MAP_CREATE: an array map of one 8-byte value, named.
attr = struct.pack("IIIIIII", 2, 4, 8, 1, 0, 0, 0) + b"procscope_map".ljust(16, b"\0")
attr = ctypes.create_string_buffer(attr.ljust(128, b"\0"), 128)
out["map"] = sc(321, 0, attr, 128)
# BPF_PROG_LOAD: a socket filter "r0 = 0; exit".
insns = ctypes.create_string_buffer(bytes([0xb7, 0, 0, 0, 0, 0, 0, 0,
                                           0x95, 0, 0, 0, 0, 0, 0, 0]), 16)
lic = ctypes.create_string_buffer(b"GPL")
attr = struct.pack("IIQQIIQII", 1, 2, ctypes.addressof(insns), ctypes.addressof(lic), 0, 0, 0, 0, 0)
attr += b"procscope_prog".ljust(16, b"\0")
attr = ctypes.create_string_buffer(attr.ljust(128, b"\0"), 128)
out["prog"] = sc(321, 5, attr, 128)
out["init_module"] = sc(175, b"not an ELF module", 17, b"debug=1")
out["delete_module"] = sc(176, b"procscope_absent", 0o4000)
out["finit_module"] = sc(313, 0, b"", 0)
out["kexec_file_load"] = sc(320, -1, -1, 1, b"", 4)  # NO_INITRAMFS
params = ctypes.create_string_buffer(120)
out["io_uring"] = sc(425, 4, params)
# perf_event_attr: PERF_TYPE_SOFTWARE, size 128, PERF_COUNT_SW_TASK_CLOCK (1).
pa = ctypes.create_string_buffer(struct.pack("IIQ", 1, 128, 1).ljust(128, b"\0"), 128)
out["perf"] = sc(298, pa, 0, -1, -1, 8)
print(json.dumps(out))
"""


def test_kernel(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", KERNEL], stdin=open("/dev/null"))
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    bpf = t.of_type("kernel.bpf")
    assert [(e["ret"], e["kernel"]) for e in bpf] == [
        (out["map"], {"command": "BPF_MAP_CREATE", "map_type": "BPF_MAP_TYPE_ARRAY",
                      "key_size": 4, "value_size": 8, "max_entries": 1, "name": "procscope_map"}),
        (out["prog"], {"command": "BPF_PROG_LOAD", "prog_type": "BPF_PROG_TYPE_SOCKET_FILTER",
                       "insn_cnt": 2, "name": "procscope_prog", "expected_attach_type": 0}),
    ]
    assert out["map"] >= 0 and out["prog"] >= 0 and all(e["notable"] for e in bpf)

    # Without module support the calls fail with ENOSYS; the trace says what the program saw.
    mods = {e["syscall"]: e for e in t.of_type("kernel.module")}
    assert mods["init_module"]["ret"] == out["init_module"] < 0
    assert mods["init_module"]["kernel"] == {"length": 17, "params": "debug=1"}
    assert mods["delete_module"]["ret"] == out["delete_module"] < 0
    assert mods["delete_module"]["kernel"] == {"name": "procscope_absent", "flags": ["O_NONBLOCK"]}
    assert mods["finit_module"]["ret"] == out["finit_module"] < 0
    assert mods["finit_module"]["kernel"] == {"path": "/dev/null", "fd": 0, "params": "",
                                              "flags": []}

    e = one(t, "kernel.kexec")
    assert e["ret"] == out["kexec_file_load"] < 0
    assert e["kernel"]["initrd_fd"] == -1 and e["kernel"]["cmdline"] == ""
    assert e["kernel"]["flags"] == ["KEXEC_FILE_NO_INITRAMFS"]

    e = one(t, "kernel.io_uring")
    assert e["ret"] == out["io_uring"] >= 0
    assert e["kernel"] == {"entries": 4, "flags": [], "sq_entries": 4, "cq_entries": 8,
                           "bypasses_syscall_tracing": True}

    e = one(t, "kernel.perf_event")
    assert e["ret"] == out["perf"]
    assert e["kernel"] == {"perf_type": "PERF_TYPE_SOFTWARE", "config": 1, "pid": 0, "cpu": -1,
                           "group_fd": -1, "flags": ["PERF_FLAG_FD_CLOEXEC"]}
