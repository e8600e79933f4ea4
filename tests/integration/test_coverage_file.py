# File events: coreutils and python3 doing real file operations, each one
# checked for its absolute path, arguments and result.
import pytest

from conftest import PYTHON, SYSCALL, one, run_trace

pytestmark = pytest.mark.usefixtures("root")


def test_coreutils(tmp_path):
    script = ("mkdir d; touch d/f; mv d/f d/g; ln d/g d/h; ln -s ../target d/l; "
              "chmod 640 d/g; chown 65534:65534 d/g; chown -h 1:1 d/l; truncate -s 100 d/g; "
              "mkfifo d/p; mknod d/c c 1 3; rm -r d; rm missing; rmdir nodir; exit 0")
    t = run_trace(tmp_path, ["sh", "-c", script], cwd=str(tmp_path))
    assert t.returncode == 0, t.stderr
    d = str(tmp_path / "d")

    e = one(t, "file.mkdir", comm="mkdir")
    assert e["syscall"] == "mkdir" and e["ret"] == 0
    assert e["file"] == {"path": d, "path_arg": "d", "mode": 0o777}

    e = one(t, "file.rename")
    assert e["syscall"] == "renameat2" and e["ret"] == 0 and e["comm"] == "mv"
    assert e["file"] == {"path": d + "/f", "path_arg": "d/f", "target": d + "/g",
                         "target_arg": "d/g", "flags": ["RENAME_NOREPLACE"]}

    e = one(t, "file.link")
    assert e["syscall"] == "linkat" and e["ret"] == 0
    assert e["file"] == {"path": d + "/g", "path_arg": "d/g", "target": d + "/h",
                         "target_arg": "d/h", "flags": []}

    # The link's target is stored verbatim: not resolved against anything.
    e = one(t, "file.symlink")
    assert e["syscall"] == "symlinkat" and e["ret"] == 0
    assert e["file"] == {"path": d + "/l", "path_arg": "d/l", "target": "../target"}

    e = one(t, "file.chmod", comm="chmod")
    assert e["syscall"] == "fchmodat" and e["ret"] == 0
    assert e["file"] == {"path": d + "/g", "path_arg": "d/g", "mode": 0o640}

    chowns = {e["file"]["path"]: e for e in t.of_type("file.chown")}
    assert chowns[d + "/g"]["file"] == {"path": d + "/g", "path_arg": "d/g", "uid": 65534,
                                        "gid": 65534, "flags": []}
    assert chowns[d + "/l"]["file"]["flags"] == ["AT_SYMLINK_NOFOLLOW"]
    assert chowns[d + "/l"]["file"]["uid"] == 1 and chowns[d + "/l"]["ret"] == 0

    e = one(t, "file.truncate")
    assert e["syscall"] == "ftruncate" and e["ret"] == 0
    assert e["file"]["path"] == d + "/g" and e["file"]["length"] == 100
    assert isinstance(e["file"]["fd"], int)

    nods = {e["file"]["path"]: e for e in t.of_type("file.mknod")}
    assert nods[d + "/p"]["file"] == {"path": d + "/p", "path_arg": "d/p",
                                      "file_type": "S_IFIFO", "mode": 0o666}
    assert nods[d + "/c"]["file"] == {"path": d + "/c", "path_arg": "d/c",
                                      "file_type": "S_IFCHR", "mode": 0o666,
                                      "major": 1, "minor": 3}
    assert nods[d + "/c"]["ret"] == 0

    # rm -r removes the entries relative to a directory descriptor.
    rm = [e for e in t.of_type("file.unlink") if e["comm"] == "rm"]
    removed = {e["file"]["path"]: e["ret"] for e in rm}
    assert removed == {d + "/g": 0, d + "/h": 0, d + "/l": 0, d + "/p": 0, d + "/c": 0,
                       str(tmp_path / "missing"): -2}
    assert [e["error"] for e in rm if e["ret"] < 0] == ["ENOENT"]
    e = one(t, "file.rmdir", comm="rm")
    assert e["syscall"] == "unlinkat" and e["ret"] == 0
    assert e["file"] == {"path": d, "path_arg": "d", "flags": ["AT_REMOVEDIR"]}
    e = one(t, "file.rmdir", comm="rmdir")
    assert e["syscall"] == "rmdir" and e["error"] == "ENOENT"
    assert e["file"]["path"] == str(tmp_path / "nodir")


LEGACY = SYSCALL + r"""
import os
AT_FDCWD = -100
open("a", "w").close()
os.rename("a", "b")
os.link("b", "c")
os.symlink("/etc/hostname", "s")
os.chmod("b", 0o600)
os.chown("b", 1, 2)
os.lchown("s", 3, 4)
os.truncate("b", 10)
fd = os.open("b", os.O_RDWR)
os.fchmod(fd, 0o644)
os.fchown(fd, 0, -1)
os.ftruncate(fd, 5)
os.access("b", os.R_OK | os.W_OK)
os.mkdir("dd", 0o700)
os.rmdir("dd")
os.unlink("c")
dfd = os.open(".", os.O_RDONLY)
print(sc(264, dfd, b"b", AT_FDCWD, b"b2"))                  # renameat
print(sc(258, dfd, b"sub", 0o750))                          # mkdirat
print(sc(133, b"nod", 0o10600, 0))                          # mknod (a FIFO)
print(sc(269, AT_FDCWD, b"b2", os.X_OK))                    # faccessat
print(sc(439, dfd, b"b2", os.F_OK, 0x200))                  # faccessat2, AT_EACCESS
print(sc(452, AT_FDCWD, b"b2", 0o4755, 0x100))              # fchmodat2, AT_SYMLINK_NOFOLLOW
print(sc(268, AT_FDCWD, b"/nonexistent/x", 0o644))          # fchmodat
m = os.memfd_create("procscope-test", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
print(m)
"""


def test_python_and_raw_syscalls(tmp_path):
    (tmp_path / "t.py").write_text(LEGACY)
    t = run_trace(tmp_path, [PYTHON, "t.py"], cwd=str(tmp_path))
    assert t.returncode == 0, t.stderr
    out = t.stdout.split()
    renameat, mkdirat, mknod, faccessat, faccessat2, fchmodat2, fchmodat, memfd = map(int, out)
    p = lambda name: str(tmp_path / name)  # noqa: E731

    def ev(type_, syscall):
        found = [e for e in t.of_type(type_) if e["syscall"] == syscall]
        assert len(found) == 1, (type_, syscall, found)
        return found[0]

    assert ev("file.rename", "rename")["file"] == {
        "path": p("a"), "path_arg": "a", "target": p("b"), "target_arg": "b"}
    assert ev("file.link", "link")["file"]["target"] == p("c")
    e = ev("file.symlink", "symlink")
    assert e["file"] == {"path": p("s"), "path_arg": "s", "target": "/etc/hostname"}
    assert ev("file.chmod", "chmod")["file"] == {"path": p("b"), "path_arg": "b", "mode": 0o600}
    assert ev("file.chown", "chown")["file"] == {"path": p("b"), "path_arg": "b",
                                                  "uid": 1, "gid": 2}
    assert ev("file.chown", "lchown")["file"] == {"path": p("s"), "path_arg": "s",
                                                   "uid": 3, "gid": 4}
    assert ev("file.truncate", "truncate")["file"] == {"path": p("b"), "path_arg": "b",
                                                       "length": 10}
    e = ev("file.chmod", "fchmod")
    assert e["file"]["path"] == p("b") and e["file"]["mode"] == 0o644
    e = ev("file.chown", "fchown")
    assert e["file"]["path"] == p("b") and e["file"]["uid"] == 0 and e["file"]["gid"] == -1
    fd = e["file"]["fd"]
    assert ev("file.truncate", "ftruncate")["file"] == {"path": p("b"), "fd": fd, "length": 5}
    e = [x for x in t.of_type("file.access", syscall="access") if x["file"]["path"] == p("b")]
    assert len(e) == 1 and e[0]["file"]["access"] == ["R_OK", "W_OK"] and e[0]["ret"] == 0
    assert ev("file.mkdir", "mkdir")["file"] == {"path": p("dd"), "path_arg": "dd", "mode": 0o700}
    assert ev("file.rmdir", "rmdir")["file"] == {"path": p("dd"), "path_arg": "dd"}
    assert ev("file.unlink", "unlink")["file"] == {"path": p("c"), "path_arg": "c"}

    e = ev("file.rename", "renameat")
    assert e["ret"] == renameat == 0 and e["file"]["path"] == p("b")
    assert e["file"]["target"] == p("b2")
    e = ev("file.mkdir", "mkdirat")
    assert e["ret"] == mkdirat == 0 and e["file"]["path"] == p("sub") and e["file"]["mode"] == 0o750
    e = ev("file.mknod", "mknod")
    assert e["ret"] == mknod == 0
    assert e["file"] == {"path": p("nod"), "path_arg": "nod", "file_type": "S_IFIFO", "mode": 0o600}
    e = ev("file.access", "faccessat")
    assert e["ret"] == faccessat and e["file"]["access"] == ["X_OK"]
    e = ev("file.access", "faccessat2")
    assert e["ret"] == faccessat2 == 0
    assert e["file"] == {"path": p("b2"), "path_arg": "b2", "access": ["F_OK"],
                         "flags": ["AT_EACCESS"]}
    e = ev("file.chmod", "fchmodat2")
    assert e["ret"] == fchmodat2
    assert e["file"] == {"path": p("b2"), "path_arg": "b2", "mode": 0o4755,
                         "flags": ["AT_SYMLINK_NOFOLLOW"]}
    e = ev("file.chmod", "fchmodat")
    assert e["ret"] == fchmodat == -2 and e["error"] == "ENOENT"
    assert e["file"] == {"path": "/nonexistent/x", "mode": 0o644}
    e = ev("file.memfd", "memfd_create")
    assert e["ret"] == memfd
    assert e["file"] == {"name": "procscope-test", "flags": ["MFD_CLOEXEC", "MFD_ALLOW_SEALING"]}


def test_failed_exec(tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "/nonexistent/prog; exit 0"])
    assert t.returncode == 0
    failed = [e for e in t.of_type("process.exec") if e.get("ret", 0) < 0]
    assert len(failed) == 1
    assert failed[0]["error"] == "ENOENT" and failed[0]["ret"] == -2
    assert failed[0]["process"]["filename"] == "/nonexistent/prog"


MEMFD_EXEC = r"""
import os
fd = os.memfd_create("procscope-payload", 0)
with open("/bin/true", "rb") as f:
    os.write(fd, f.read())
os.execv("/proc/self/fd/%d" % fd, ["payload"])
"""


def test_memfd_exec(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", MEMFD_EXEC])
    assert t.returncode == 0, t.stderr
    m = one(t, "file.memfd")
    assert m["file"] == {"name": "procscope-payload", "flags": []} and m["ret"] >= 0
    execs = [e for e in t.of_type("process.exec") if e["process"]["args"] == ["payload"]]
    assert len(execs) == 1 and execs[0]["pid"] == m["pid"]
    proc = execs[0]["process"]
    assert "memfd:" in proc.get("exe", "") + proc.get("filename", ""), proc


EMPTY_PATH = SYSCALL + r"""
import os
fd = os.open("f", os.O_RDONLY | os.O_CREAT, 0o600)
print(fd, sc(260, fd, b"", 0, 0, 0x1000))                      # fchownat AT_EMPTY_PATH
"""


def test_empty_path_names_the_descriptor(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", EMPTY_PATH], cwd=str(tmp_path))
    fd, ret = map(int, t.stdout.split())
    e = one(t, "file.chown")
    assert e["ret"] == ret == 0
    assert e["file"] == {"path": str(tmp_path / "f"), "fd": fd, "uid": 0, "gid": 0,
                         "flags": ["AT_EMPTY_PATH"]}
