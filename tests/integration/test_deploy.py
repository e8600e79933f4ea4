"""deploy/: the seccomp profile, the DaemonSet, the image, and doctor's recipes that name them."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml

from conftest import PROCSCOPE, ROOT, parse_events

DEPLOY = os.path.join(ROOT, "deploy")
DEFAULT_PROFILE = "/usr/share/containers/seccomp.json"
ADDED = {"bpf", "perf_event_open"}


def doctor_remediation():
    res = subprocess.run([PROCSCOPE, "doctor", "--json"], capture_output=True, text=True)
    return json.loads(res.stdout)["remediation"]


def load(path):
    with open(os.path.join(DEPLOY, path), encoding="utf-8") as f:
        return f.read()


# ---- seccomp ----

def test_seccomp_profile_is_generated_from_the_default():
    if not os.path.exists(DEFAULT_PROFILE):
        pytest.fail(f"{DEFAULT_PROFILE} is missing: make deps installs golang-github-containers-common")
    res = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen-seccomp.py"), DEFAULT_PROFILE],
                         capture_output=True, text=True, check=True)
    assert res.stdout == load("seccomp.json"), "deploy/seccomp.json is stale: run make seccomp"


def rules_by_syscall(profile):
    """syscall -> list of (action, includes, excludes, args) of every rule naming it."""
    out = {}
    for r in profile["syscalls"]:
        for n in r["names"]:
            out.setdefault(n, []).append(json.dumps([r["action"], r.get("includes"), r.get("excludes"),
                                                      r.get("args")], sort_keys=True))
    return out


def test_seccomp_profile_differs_only_in_bpf_and_perf_event_open():
    ours = json.loads(load("seccomp.json"))
    default = json.load(open(DEFAULT_PROFILE))
    assert {k: v for k, v in ours.items() if k != "syscalls"} == \
        {k: v for k, v in default.items() if k != "syscalls"}
    a, b = rules_by_syscall(ours), rules_by_syscall(default)
    assert set(a) == set(b)
    changed = {n for n in a if sorted(a[n]) != sorted(b[n])}
    assert changed == ADDED
    for n in ADDED:
        assert a[n] == [json.dumps(["SCMP_ACT_ALLOW", {}, {}, []], sort_keys=True)]


# ---- Kubernetes ----

def daemonset_docs():
    return list(yaml.safe_load_all(load("kubernetes/daemonset.yaml")))


def test_daemonset_least_privilege():
    docs = {d["kind"]: d for d in daemonset_docs()}
    assert set(docs) == {"Namespace", "ConfigMap", "DaemonSet"}
    spec = docs["DaemonSet"]["spec"]["template"]["spec"]
    assert spec["hostPID"] is True
    assert "hostNetwork" not in spec and "hostIPC" not in spec
    (c,) = spec["containers"]
    sc = c["securityContext"]
    assert sc["privileged"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"] == {"drop": ["ALL"], "add": ["BPF", "PERFMON", "SYS_ADMIN"]}
    # The API server refuses allowPrivilegeEscalation: false next to SYS_ADMIN.
    assert "allowPrivilegeEscalation" not in sc
    assert sc["seccompProfile"] == {"type": "Localhost", "localhostProfile": "procscope/seccomp.json"}
    assert c["command"][:3] == ["procscope", "--json", "-q"]
    assert set(c["resources"]["limits"]) == {"cpu", "memory"}
    assert set(c["resources"]["requests"]) == {"cpu", "memory"}
    # The rules come from the ConfigMap, read-only.
    (m,) = c["volumeMounts"]
    (v,) = spec["volumes"]
    assert m["readOnly"] is True and m["name"] == v["name"]
    assert v["configMap"]["name"] == docs["ConfigMap"]["metadata"]["name"]
    assert "rules.yaml" in docs["ConfigMap"]["data"]
    # Nothing mounted from the host: no hostPath volumes.
    assert all("hostPath" not in vol for vol in spec["volumes"])


def test_doctor_prints_the_deploy_recipes(root):
    r = doctor_remediation()
    readme = load("README.md")
    assert r["docker"] in readme
    assert r["kubernetes"] in readme
    pod, container = r["kubernetes"].split("; ", 1)
    ds = [d for d in daemonset_docs() if d["kind"] == "DaemonSet"][0]["spec"]["template"]["spec"]
    assert yaml.safe_load(pod) == {"hostPID": ds["hostPID"]}
    assert yaml.safe_load(container) == {"securityContext": ds["containers"][0]["securityContext"]}
    # The docker line uses the profile that is shipped, and the image test runs it.
    assert "--security-opt seccomp=deploy/seccomp.json" in r["docker"]


# ---- the image ----

# Machine quirks of the test VMs, not part of any recipe: crun rejects their hybrid
# cgroup layout, and their hard file limit is below podman's default.
PODMAN_QUIRKS = ["--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]


@pytest.fixture(scope="module")
def image():
    if os.environ.get("PROCSCOPE_SKIP_IMAGE"):
        pytest.skip("PROCSCOPE_SKIP_IMAGE is set")
    if os.geteuid() != 0:
        pytest.skip("podman import and run need root here")
    missing = [t for t in ("podman", "mmdebstrap", "runc") if not shutil.which(t)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: make deps installs them")
    name = "localhost/procscope:test"
    tar = os.path.join(os.path.dirname(PROCSCOPE), "image", "rootfs.tar")
    start = time.time()
    res = subprocess.run([os.path.join(ROOT, "tools", "build-image.sh"), PROCSCOPE, tar, name],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    print(f"image built in {time.time() - start:.1f} s")
    yield name
    subprocess.run(["podman", "rmi", "-f", name], capture_output=True)


def podman_run(image, opts, cmd):
    return subprocess.run(["podman", "run", *PODMAN_QUIRKS, "--rm", *opts, image, *cmd],
                          capture_output=True, text=True, timeout=120)


SECCOMP = os.path.join(DEPLOY, "seccomp.json")


def test_image_traces_with_the_recipe(image):
    res = podman_run(image, ["--pid=host", "--cap-add", "BPF", "--cap-add", "PERFMON",
                             "--security-opt", f"seccomp={SECCOMP}"],
                     ["procscope", "--json", "-q", "--", "/bin/true"])
    assert res.returncode == 0, res.stderr
    events = parse_events(res.stdout.splitlines(), "container stdout")
    execs = [e for e in events if e["type"] == "process.exec"]
    assert any("/bin/true" in json.dumps(e) for e in execs)
    assert events[-1]["type"] == "stats" and events[-1]["lost"] == 0


def test_image_refuses_without_capabilities(image):
    res = podman_run(image, ["--pid=host", "--security-opt", f"seccomp={SECCOMP}"],
                     ["procscope", "-q", "--", "/bin/true"])
    assert res.returncode == 77
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("procscope: ")
    assert "CAP_BPF and CAP_PERFMON" in lines[0]


def test_image_names_seccomp_under_the_default_profile(image):
    res = podman_run(image, ["--pid=host", "--cap-add", "BPF", "--cap-add", "PERFMON"],
                     ["procscope", "-q", "--", "/bin/true"])
    assert res.returncode == 77
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "seccomp filter is active" in lines[0]
    assert "deploy/seccomp.json" in lines[0]
    res = podman_run(image, ["--pid=host", "--cap-add", "BPF", "--cap-add", "PERFMON"],
                     ["procscope", "doctor", "--json"])
    d = json.loads(res.stdout)
    assert d["seccomp"]["mode"] == "filter"
    assert any("seccomp filter is active" in p for p in d["verdict"]["problems"])
