# Namespace and mount events: unshare(1) with a tmpfs mount inside,
# python3 making namespaces with clone, clone3, unshare and setns, and the
# new mount API.  Namespace inode numbers are checked against /proc.
import json
import os

import pytest

from conftest import PYTHON, SYSCALL, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


NS_KINDS = ["mnt", "pid", "net", "uts", "ipc", "user", "cgroup", "time"]


def own_ns():
    names = {"mnt": "mnt", "pid": "pid_for_children", "net": "net", "uts": "uts",
             "ipc": "ipc", "user": "user", "cgroup": "cgroup", "time": "time_for_children"}
    return {k: os.stat("/proc/self/ns/" + v).st_ino for k, v in names.items()}


def test_unshare_and_tmpfs_mount(tmp_path):
    t = run_trace(tmp_path, ["unshare", "-U", "-r", "-m", "sh", "-c",
                             "mount -t tmpfs none /mnt && umount /mnt"])
    assert t.returncode == 0, t.stderr
    e = one(t, "ns.unshare")
    assert e["ret"] == 0 and e["notable"] is True
    ns = e["ns"]
    assert ns["flags"] == ["CLONE_NEWNS", "CLONE_NEWUSER"]
    assert ns["before"] == own_ns()
    assert ns["changed"] == ["mnt", "user"]
    for k in NS_KINDS:
        assert (ns["after"][k] != ns["before"][k]) == (k in ("mnt", "user")), k

    # unshare(1) makes every mount private first, then the shell mounts.
    mounts = t.of_type("mount.mount")
    assert [m["mount"] for m in mounts] == [
        {"source": "none", "target": "/", "fstype": None, "flags": ["MS_REC", "MS_PRIVATE"]},
        {"source": "none", "target": "/mnt", "fstype": "tmpfs", "flags": []},
    ]
    assert all(m["ret"] == 0 and m["notable"] is True for m in mounts)
    assert mounts[1]["comm"] == "mount"
    u = one(t, "mount.umount")
    assert u["ret"] == 0 and u["mount"] == {"target": "/mnt", "flags": []}


NS = SYSCALL + r"""
import json, os, signal, struct
CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWIPC = 0x04000000, 0x40000000, 0x08000000
out = {}

def child_ns(pid):
    return os.stat("/proc/%d/ns/uts" % pid).st_ino, os.stat("/proc/%d/ns/net" % pid).st_ino

r, w = os.pipe()
pid = sc(56, CLONE_NEWUTS | signal.SIGCHLD, 0, 0, 0, 0)
if pid == 0:
    os.read(r, 1)
    os._exit(0)
out["clone"] = {"pid": pid, "uts": child_ns(pid)[0]}
os.write(w, b"x")
os.waitpid(pid, 0)
args = ctypes.create_string_buffer(struct.pack("11Q", CLONE_NEWNET | CLONE_NEWIPC, 0, 0, 0,
                                               signal.SIGCHLD, 0, 0, 0, 0, 0, 0))
pid = sc(435, args, 88)
if pid == 0:
    os.read(r, 1)
    os._exit(0)
out["clone3"] = {"pid": pid, "net": child_ns(pid)[1]}
os.write(w, b"x")
os.waitpid(pid, 0)
# CLONE_SIGHAND without CLONE_VM is invalid: a failed fork.
out["bad"] = sc(56, 0x800 | signal.SIGCHLD, 0, 0, 0, 0)
fd = os.open("/proc/self/ns/uts", os.O_RDONLY)
out["orig_uts"] = os.fstat(fd).st_ino
assert sc(272, CLONE_NEWUTS) == 0
out["new_uts"] = os.stat("/proc/self/ns/uts").st_ino
out["setns"] = sc(308, fd, CLONE_NEWUTS)
out["setns_fd"] = fd
print(json.dumps(out))
"""


def test_clone_unshare_setns(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", NS])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    me = own_ns()

    e = one(t, "ns.clone", syscall="clone")
    assert e["ret"] == out["clone"]["pid"] and e["notable"] is True
    assert e["ns"]["flags"] == ["CLONE_NEWUTS"] and e["ns"]["exit_signal"] == "SIGCHLD"
    assert e["ns"]["child_pid"] == out["clone"]["pid"]
    assert e["ns"]["before"] == me
    assert e["ns"]["after"]["uts"] == out["clone"]["uts"] != me["uts"]
    assert e["ns"]["changed"] == ["uts"]

    e = one(t, "ns.clone", syscall="clone3")
    assert e["ret"] == out["clone3"]["pid"]
    assert e["ns"]["flags"] == ["CLONE_NEWIPC", "CLONE_NEWNET"]
    assert e["ns"]["after"]["net"] == out["clone3"]["net"]
    assert e["ns"]["changed"] == ["net", "ipc"]

    # Plain forks are process.fork records from the scheduler, not syscall events.
    failed = [x for x in t.of_type("process.fork") if "syscall" in x]
    assert len(failed) == 1
    assert failed[0]["ret"] == out["bad"] == -22 and failed[0]["error"] == "EINVAL"
    assert failed[0]["process"] == {"flags": ["CLONE_SIGHAND"], "exit_signal": "SIGCHLD"}

    e = one(t, "ns.unshare")
    assert e["ret"] == 0 and e["ns"]["flags"] == ["CLONE_NEWUTS"]
    assert e["ns"]["before"]["uts"] == out["orig_uts"]
    assert e["ns"]["after"]["uts"] == out["new_uts"]

    e = one(t, "ns.setns")
    assert e["ret"] == out["setns"] == 0
    assert e["ns"]["fd"] == out["setns_fd"] and e["ns"]["nstype"] == ["CLONE_NEWUTS"]
    assert e["ns"]["before"]["uts"] == out["new_uts"]
    assert e["ns"]["after"]["uts"] == out["orig_uts"]
    assert e["ns"]["changed"] == ["uts"]


MOUNT_API = SYSCALL + r"""
import ctypes, json, os, sys
AT_FDCWD = -100
d = sys.argv[1].encode()
m = d + b"/m"
os.mkdir(m)
out = {}
out["fsopen"] = fs = sc(430, b"tmpfs", 1)                         # FSOPEN_CLOEXEC
out["source"] = sc(431, fs, 1, b"source", b"procscope-src", 0)    # FSCONFIG_SET_STRING
out["size"] = sc(431, fs, 1, b"size", b"1m", 0)
out["create"] = sc(431, fs, 6, None, None, 0)                     # FSCONFIG_CMD_CREATE
out["fsmount"] = mfd = sc(432, fs, 1, 4)                          # CLOEXEC, MOUNT_ATTR_NODEV
out["move"] = sc(429, mfd, b"", AT_FDCWD, m, 4)                   # MOVE_MOUNT_F_EMPTY_PATH
attr = (ctypes.c_uint64 * 4)(1, 0, 0, 0)                            # attr_set RDONLY
out["setattr"] = sc(442, AT_FDCWD, m, 0, attr, 32)
out["open_tree"] = sc(428, AT_FDCWD, m, 1 | 0o2000000)            # CLONE | CLOEXEC
out["pivot"] = sc(155, d, m)
out["umount"] = sc(166, m, 2)                                     # MNT_DETACH
out["chroot"] = sc(161, b"/")
print(json.dumps(out))
"""


def test_new_mount_api(tmp_path):
    (tmp_path / "t.py").write_text(MOUNT_API)
    t = run_trace(tmp_path, ["unshare", "-m", PYTHON, str(tmp_path / "t.py"), str(tmp_path)])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    m = str(tmp_path / "m")
    by = {}
    for e in t.events:
        if e["type"].startswith("mount.") and e.get("comm") == "python3":
            by.setdefault(e["syscall"], []).append(e)

    assert [(e["ret"], e["mount"]) for e in by["fsopen"]] == [
        (out["fsopen"], {"fstype": "tmpfs", "flags": ["FSOPEN_CLOEXEC"]})]
    fs = out["fsopen"]
    # Option values other than the source and paths are not shown.
    assert [(e["ret"], e["mount"]) for e in by["fsconfig"]] == [
        (0, {"fd": fs, "command": "FSCONFIG_SET_STRING", "key": "source",
             "value": "procscope-src"}),
        (0, {"fd": fs, "command": "FSCONFIG_SET_STRING", "key": "size"}),
        (0, {"fd": fs, "command": "FSCONFIG_CMD_CREATE"}),
    ]
    assert [(e["ret"], e["mount"]) for e in by["fsmount"]] == [
        (out["fsmount"], {"fd": fs, "flags": ["FSMOUNT_CLOEXEC"],
                          "attr_flags": ["MOUNT_ATTR_NODEV"]})]
    mv = by["move_mount"]
    assert len(mv) == 1 and mv[0]["ret"] == out["move"] == 0
    assert mv[0]["type"] == "mount.mount"
    assert mv[0]["mount"]["target"] == m
    assert mv[0]["mount"]["from_fd"] == out["fsmount"]
    assert mv[0]["mount"]["flags"] == ["MOVE_MOUNT_F_EMPTY_PATH"]
    sa = by["mount_setattr"]
    assert len(sa) == 1 and sa[0]["ret"] == out["setattr"] == 0
    assert sa[0]["mount"] == {"path": m, "flags": [], "attr_set": ["MOUNT_ATTR_RDONLY"],
                              "attr_clr": []}
    ot = by["open_tree"]
    assert len(ot) == 1 and ot[0]["ret"] == out["open_tree"] >= 0
    assert ot[0]["mount"] == {"path": m, "flags": ["OPEN_TREE_CLONE", "OPEN_TREE_CLOEXEC"]}
    pv = by["pivot_root"]
    assert len(pv) == 1 and pv[0]["ret"] == out["pivot"] < 0
    assert pv[0]["mount"] == {"new_root": str(tmp_path), "put_old": m}
    um = by["umount2"]
    assert [(e["ret"], e["mount"]) for e in um] == [(0, {"target": m, "flags": ["MNT_DETACH"]})]
    ch = by["chroot"]
    assert [(e["ret"], e["type"], e["mount"]) for e in ch] == [(0, "mount.chroot", {"path": "/"})]
