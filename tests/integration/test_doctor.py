# procscope doctor and the preflight check: facts measured on this machine,
# the verdict, the exit codes, and nothing left loaded in the kernel.
import gzip
import json
import os
import pty
import select
import shlex
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import PROCSCOPE, need_root

NO_BTF = ("this kernel has no BTF at /sys/kernel/btf/vmlinux; "
          "procscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
PROBE_PREFIX = "ps_probe"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PROCSCOPE_SYSROOT", "NO_COLOR")}
    env.update(extra)
    return env


def doctor(*args, prefix=(), binary=PROCSCOPE, env=None):
    return subprocess.run([*prefix, binary, "doctor", *args], capture_output=True, text=True,
                          timeout=60, env=env or clean_env())


def doctor_json(**kw):
    res = doctor("--json", **kw)
    lines = res.stdout.splitlines()
    assert len(lines) == 1, res.stdout + res.stderr
    return res, json.loads(lines[0])


@pytest.fixture
def world_dir():
    """A directory every user can read, for binaries run as nobody."""
    d = tempfile.mkdtemp(prefix="procscope-doctor-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d)


def copy_binary(directory, name="procscope"):
    dst = os.path.join(directory, name)
    shutil.copy2(PROCSCOPE, dst)
    os.chmod(dst, 0o755)
    return dst


def need_setpriv():
    need_root()
    if not shutil.which("setpriv"):
        pytest.skip("running as another user needs setpriv (util-linux), which is not installed")


def bpf_objects(kind):
    res = subprocess.run(["bpftool", "-j", kind, "show"], capture_output=True, text=True, check=True)
    return {o["id"]: o.get("name", "") for o in json.loads(res.stdout or "[]")}


def read_kconfig():
    release = os.uname().release
    try:
        with gzip.open("/proc/config.gz", "rt") as f:
            return f.read()
    except OSError:
        pass
    try:
        with open(f"/boot/config-{release}") as f:
            return f.read()
    except OSError:
        return None


def kconfig_value(text, sym):
    for line in text.splitlines():
        if line.startswith(sym + "="):
            return line.split("=", 1)[1].strip('"')
    return None


def cmdline_lsm():
    with open("/proc/cmdline") as f:
        words = f.read().split()
    for w in words[:words.index("--")] if "--" in words else words:
        if w.startswith("lsm="):
            return w[4:]
    return None


def expected_bpf_in_list():
    """Whether "bpf" is an active LSM, from what this machine publishes; None if it does not."""
    try:
        with open("/sys/kernel/security/lsm") as f:
            return "bpf" in f.read().strip().split(",")
    except OSError:
        pass
    config = read_kconfig()
    order = cmdline_lsm() or (config and kconfig_value(config, "CONFIG_LSM"))
    if order is None:
        return None
    built = config is None or kconfig_value(config, "CONFIG_BPF_LSM") == "y"
    return built and "bpf" in order.split(",")


def test_json_is_one_object_with_a_verdict(root):
    res, d = doctor_json()
    assert res.returncode == 0, res.stderr
    assert d["verdict"]["exit_code"] == 0
    for key in ("kernel", "btf", "capabilities", "lockdown", "lsm", "sysctl", "yama",
                "program_types", "memory", "tracefs", "container", "verdict", "remediation"):
        assert key in d, key
    assert d["sysroot"] is None
    assert d["kernel"]["release"] == os.uname().release
    assert d["kernel"]["version_ok"] is True
    assert d["btf"]["present"] and d["btf"]["readable"] and d["btf"]["parsed"]
    assert d["btf"]["types"] > 1000
    assert d["capabilities"]["missing"] == []


def test_program_types_as_measured_here(root):
    _, d = doctor_json()
    pt = d["program_types"]
    for name in ("tp_btf", "raw_tp", "ringbuf", "send_signal"):
        assert pt[name]["loads"] is True, (name, pt[name])
        assert pt[name]["error"] is None
    # fentry and BPF LSM are refused by this kernel even to root.
    for name in ("fentry", "lsm"):
        assert pt[name]["probed"] is True
        assert pt[name]["loads"] is False
        assert pt[name]["error"] == "EPERM", pt[name]
        assert pt[name]["message"] == os.strerror(1)


def test_lsm_reported_from_what_the_machine_publishes(root):
    _, d = doctor_json()
    lsm = d["lsm"]
    want = expected_bpf_in_list()
    if want is None:
        assert lsm["source"] is None and lsm["list"] == [] and lsm["bpf_in_list"] is None
    else:
        assert lsm["source"] is not None
        assert lsm["bpf_in_list"] is want
        assert "capability" in lsm["list"]
    assert lsm["bpf_lsm_loads"] is False
    assert lsm["bpf_lsm_error"] == "EPERM"


def test_facts_read_from_proc(root):
    _, d = doctor_json()
    with open("/proc/sys/kernel/unprivileged_bpf_disabled") as f:
        assert d["sysctl"]["unprivileged_bpf_disabled"] == int(f.read())
    with open("/proc/sys/kernel/perf_event_paranoid") as f:
        assert d["sysctl"]["perf_event_paranoid"] == int(f.read())
    yama = os.path.exists("/proc/sys/kernel/yama/ptrace_scope")
    assert d["yama"]["built_in"] is yama
    with open("/proc/self/mounts") as f:
        tracefs = [line.split()[1] for line in f if line.split()[2] == "tracefs"]
    assert d["tracefs"]["mounted"] is bool(tracefs)
    assert d["memory"]["accounting"] == "memcg"
    assert os.path.exists("/.dockerenv") == ("/.dockerenv exists" in d["container"]["evidence"])


def test_verdict_is_tracepoints(root):
    res, d = doctor_json()
    v = d["verdict"]
    assert v["backend"] == "tracepoints"
    assert v["can_trace"] is True
    assert v["enforcement"] == "bpf_send_signal (SIGKILL)"
    assert "EPERM" in v["backend_reason"]
    assert v["problems"] == []
    assert res.returncode == 0


def test_remediation_names_the_real_binary(root):
    _, d = doctor_json()
    r = d["remediation"]
    assert r["setcap"] == "sudo setcap cap_bpf,cap_perfmon+ep " + shlex.quote(os.path.realpath(PROCSCOPE))
    assert "--pid=host --cap-add BPF --cap-add PERFMON --security-opt seccomp=deploy/seccomp.json" in r["docker"]
    assert "--privileged" not in r["docker"]
    assert r["kubernetes"].startswith("hostPID: true; securityContext:")
    # Nothing is advertised that procscope does not have (test_deploy.py checks the recipes match deploy/).
    assert "--all" not in json.dumps(d)
    assert d["seccomp"]["mode"] in ("none", "strict", "filter")


def test_odd_binary_path_is_quoted_and_escaped(world_dir):
    odd = os.path.join(world_dir, "we\"ird 'dir\\")
    os.mkdir(odd)
    binary = copy_binary(odd)
    res, d = doctor_json(binary=binary)
    words = shlex.split(d["remediation"]["setcap"])
    assert words == ["sudo", "setcap", "cap_bpf,cap_perfmon+ep", binary]


def test_nothing_left_loaded(root):
    progs, maps = bpf_objects("prog"), bpf_objects("map")
    for args in (["--json"], []):
        assert doctor(*args).returncode == 0
    # Programs and maps are freed asynchronously after their last fd closes.
    deadline = time.time() + 5
    while True:
        new_progs = {i: n for i, n in bpf_objects("prog").items()
                     if i not in progs and n.startswith(PROBE_PREFIX)}
        new_maps = {i: n for i, n in bpf_objects("map").items()
                    if i not in maps and n.startswith(PROBE_PREFIX)}
        if not (new_progs or new_maps) or time.time() > deadline:
            break
        time.sleep(0.1)
    assert new_progs == {} and new_maps == {}


def test_text_has_sections_and_no_colour_off_a_terminal(root):
    res = doctor()
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "\x1b[" not in out
    for title in ("Kernel", "Capabilities", "Security settings", "BPF program types", "Memory",
                  "Tracefs", "Container", "Verdict", "Remediation"):
        assert "\n" + title in out, title
    assert "ok    tp_btf" in out
    assert "warn  lsm         EPERM at load" in out
    assert "backend: tracepoints" in out
    assert "sudo setcap cap_bpf,cap_perfmon+ep " in out


def test_colour_on_a_terminal(root):
    master, slave = pty.openpty()
    proc = subprocess.Popen([PROCSCOPE, "doctor"], stdout=slave, stderr=subprocess.DEVNULL,
                            env=clean_env(TERM="xterm"))
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO once the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=30) == 0
    assert b"\x1b[32mok" in out


def test_usage_error():
    res = doctor("--bogus")
    assert res.returncode == 64
    assert "unknown argument '--bogus'" in res.stderr


def test_sysroot_without_btf_fails_with_the_sentence(tmp_path):
    res, d = doctor_json(env=clean_env(PROCSCOPE_SYSROOT=str(tmp_path)))
    assert res.returncode == 69
    assert d["sysroot"] == str(tmp_path)
    assert d["btf"]["present"] is False
    assert d["verdict"]["can_trace"] is False
    assert d["verdict"]["problems"][0] == NO_BTF
    assert d["program_types"]["tp_btf"]["probed"] is False


def test_trace_preflight_without_btf(tmp_path):
    res = subprocess.run([PROCSCOPE, "-q", "--", "true"], capture_output=True, text=True,
                         timeout=60, env=clean_env(PROCSCOPE_SYSROOT=str(tmp_path)))
    assert res.returncode == 69
    assert NO_BTF in res.stderr


def test_unprivileged_user_is_told_to_setcap(world_dir):
    need_setpriv()
    binary = copy_binary(world_dir)
    res, d = doctor_json(prefix=NOBODY, binary=binary)
    assert res.returncode == 77
    assert d["capabilities"]["effective"] == []
    assert d["capabilities"]["missing"] == ["CAP_BPF", "CAP_PERFMON"]
    assert d["verdict"]["problems"][0] == (
        "procscope needs CAP_BPF and CAP_PERFMON to load its BPF programs; grant them with: "
        f"sudo setcap cap_bpf,cap_perfmon+ep {binary}")
    assert d["program_types"]["tp_btf"]["error"] == "EPERM"


def test_bpf_and_perfmon_are_enough(world_dir):
    need_setpriv()
    binary = copy_binary(world_dir)
    caps = ["--inh-caps=+bpf,+perfmon", "--ambient-caps=+bpf,+perfmon"]
    res, d = doctor_json(prefix=NOBODY + caps, binary=binary)
    assert res.returncode == 0, d["verdict"]
    assert d["capabilities"]["effective"] == ["CAP_BPF", "CAP_PERFMON"]
    assert d["program_types"]["tp_btf"]["loads"] is True
    assert d["program_types"]["ringbuf"]["loads"] is True
    assert d["verdict"]["backend"] == "tracepoints"


def test_file_capabilities_ignore_the_sysroot(world_dir, tmp_path):
    need_setpriv()
    if not shutil.which("setcap"):
        pytest.skip("setcap (libcap2-bin) is not installed")
    binary = copy_binary(world_dir)
    subprocess.run(["setcap", "cap_bpf,cap_perfmon+ep", binary], check=True)
    # A tree without BTF would fail the check if the override were honoured.
    res, d = doctor_json(prefix=NOBODY, binary=binary,
                         env=clean_env(PROCSCOPE_SYSROOT=str(tmp_path)))
    assert d["sysroot"] is None
    assert d["btf"]["present"] is True
    assert res.returncode == 0, d["verdict"]
