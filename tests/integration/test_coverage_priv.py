# Privilege events: real uid/gid changes (setpriv, python3), capability
# and prctl changes, seccomp filters; each with the credentials before and
# after the call.
import json

import pytest

from conftest import PYTHON, SYSCALL, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


def test_setpriv_drops_to_nobody(tmp_path):
    t = run_trace(tmp_path, ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                             "id", "-u"])
    assert t.returncode == 0, t.stderr
    assert t.stdout.strip() == "65534"

    e = one(t, "priv.setuid", syscall="setresuid")
    assert e["ret"] == 0 and e["notable"] is True
    p = e["priv"]
    assert (p["ruid"], p["euid"], p["suid"]) == (65534, 65534, 65534)
    assert (p["before"]["uid"], p["before"]["euid"]) == (0, 0)
    assert (p["after"]["uid"], p["after"]["euid"], p["after"]["suid"], p["after"]["fsuid"]) == \
        (65534,) * 4
    assert p["changed"][:4] == ["uid", "euid", "suid", "fsuid"]
    # setpriv keeps its capabilities across the switch (PR_SET_KEEPCAPS), the
    # effective set is cleared by the kernel.
    assert "CAP_SETUID" in p["before"]["cap_effective"]
    assert p["after"]["cap_effective"] == []
    assert "CAP_SETUID" in p["after"]["cap_permitted"]

    e = one(t, "priv.setgid", syscall="setresgid")
    assert e["ret"] == 0
    assert (e["priv"]["rgid"], e["priv"]["egid"], e["priv"]["sgid"]) == (65534, 65534, 65534)
    assert e["priv"]["after"]["gid"] == 65534 and e["priv"]["before"]["gid"] == 0

    e = one(t, "priv.setgroups")
    assert e["ret"] == 0 and e["priv"]["ngroups"] == 0 and e["priv"]["after"]["groups"] == []

    e = one(t, "priv.prctl", priv__option="PR_SET_KEEPCAPS")
    assert e["priv"]["value"] == 1 and e["priv"]["changed"] == ["securebits"]
    caps = t.of_type("priv.capset")
    assert caps and all(c["ret"] == 0 for c in caps)
    assert "CAP_SETUID" in caps[0]["priv"]["requested"]["permitted"]
    # The id the command ran with is what the kernel says after the change.
    ids = [x for x in t.of_type("process.exec") if x["process"]["args"] == ["id", "-u"]]
    assert ids and ids[0]["uid"] == 65534 and ids[0]["euid"] == 65534


PRIV = SYSCALL + r"""
import json, os
out = {}
# Add CAP_SETUID to the inheritable set: raising it as ambient needs that.
hdr = (ctypes.c_uint32 * 2)(0x20080522, 0)
data = (ctypes.c_uint32 * 6)()
assert sc(125, hdr, data) == 0                     # capget
data[2] |= 1 << 7
out["capset"] = sc(126, hdr, data)
out["old_fsuid"] = sc(122, 1234)
out["old_fsuid2"] = sc(122, 0)
out["drop"] = sc(157, 24, 21, 0, 0, 0)             # PR_CAPBSET_DROP CAP_SYS_ADMIN
out["ambient"] = sc(157, 47, 2, 7, 0, 0)           # PR_CAP_AMBIENT RAISE CAP_SETUID
out["nnp"] = sc(157, 38, 1, 0, 0, 0)               # PR_SET_NO_NEW_PRIVS
# A filter of one instruction: BPF_RET|BPF_K SECCOMP_RET_ALLOW.
insn = (ctypes.c_ubyte * 8).from_buffer_copy(bytes([6, 0, 0, 0, 0, 0, 0xff, 0x7f]))
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
prog = Prog(1, ctypes.addressof(insn))
out["seccomp"] = sc(317, 1, 1, ctypes.byref(prog))  # FILTER, FLAG_TSYNC
pid = os.fork()
if pid == 0:
    os.setgid(65534)
    os.setuid(65534)
    try:
        os.setuid(0)
    except PermissionError:
        os._exit(3)
    os._exit(0)
out["child"] = pid
out["status"] = os.waitpid(pid, 0)[1] >> 8
print(json.dumps(out))
"""


def test_prctl_seccomp_setuid(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", PRIV])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    assert out["status"] == 3

    # setfsuid returns the previous fsuid, never an error.
    fs = [e for e in t.of_type("priv.setuid") if e["syscall"] == "setfsuid"]
    assert [(e["priv"]["fsuid"], e["ret"]) for e in fs] == [(1234, out["old_fsuid"]),
                                                           (0, out["old_fsuid2"])]
    assert fs[0]["priv"]["after"]["fsuid"] == 1234
    # Leaving fsuid 0 drops the filesystem capabilities from the effective set.
    assert fs[0]["priv"]["changed"] == ["fsuid", "cap_effective"]
    assert "CAP_CHOWN" in fs[0]["priv"]["before"]["cap_effective"]
    assert "CAP_CHOWN" not in fs[0]["priv"]["after"]["cap_effective"]
    assert "CAP_CHOWN" in fs[1]["priv"]["after"]["cap_effective"]
    assert "error" not in fs[0]

    e = one(t, "priv.capset")
    assert e["ret"] == out["capset"] == 0 and e["priv"]["pid"] == 0
    assert e["priv"]["requested"]["inheritable"] == ["CAP_SETUID"]
    assert e["priv"]["before"]["cap_inheritable"] == []
    assert e["priv"]["after"]["cap_inheritable"] == ["CAP_SETUID"]
    assert e["priv"]["changed"] == ["cap_inheritable"]

    e = one(t, "priv.prctl", priv__option="PR_CAPBSET_DROP")
    assert e["ret"] == out["drop"] == 0 and e["priv"]["cap"] == "CAP_SYS_ADMIN"
    assert "CAP_SYS_ADMIN" in e["priv"]["before"]["cap_bounding"]
    assert "CAP_SYS_ADMIN" not in e["priv"]["after"]["cap_bounding"]
    assert e["priv"]["changed"] == ["cap_bounding"]

    e = one(t, "priv.prctl", priv__option="PR_CAP_AMBIENT")
    assert e["ret"] == out["ambient"] == 0
    assert e["priv"]["ambient_op"] == "PR_CAP_AMBIENT_RAISE" and e["priv"]["cap"] == "CAP_SETUID"
    assert e["priv"]["after"]["cap_ambient"] == ["CAP_SETUID"]

    e = one(t, "priv.prctl", priv__option="PR_SET_NO_NEW_PRIVS")
    assert e["ret"] == out["nnp"] == 0 and e["priv"]["value"] == 1

    e = one(t, "priv.seccomp")
    assert e["ret"] == out["seccomp"] == 0
    assert e["priv"]["operation"] == "SECCOMP_SET_MODE_FILTER"
    assert e["priv"]["flags"] == ["SECCOMP_FILTER_FLAG_TSYNC"]
    assert e["priv"]["filter_length"] == 1

    child = out["child"]
    e = one(t, "priv.setgid", pid=child)
    assert e["syscall"] == "setgid" and e["priv"]["gid"] == 65534 and e["ret"] == 0
    ups = [x for x in t.of_type("priv.setuid", pid=child) if x["syscall"] == "setuid"]
    assert [(x["priv"]["uid"], x["ret"]) for x in ups] == [(65534, 0), (0, -1)]
    assert ups[1]["error"] == "EPERM" and ups[1]["priv"]["changed"] == []
    assert ups[0]["priv"]["after"]["euid"] == 65534
