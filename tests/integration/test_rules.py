# Rules: `procscope rules check|list`, and findings on real programs' acts
# under the default policy and under rules files given with --rules.
import json
import os
import shutil
import subprocess
import textwrap

import pytest

from conftest import PROCSCOPE, PYTHON, SYSCALL, fixture, run_trace


def rules_file(tmp_path, text, name="r.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return str(p)


def findings(t):
    return [e for e in t.events if "rule" in e]


def test_check_prints_the_folded_form(tmp_path):
    f = rules_file(tmp_path, """\
        lists:
          - list: shells
            items: [sh, bash]
        capset:
          enabled: true
          rules:
            - rule: TwoCaps
              event: ecaps == CAP_SYS_ADMIN AND ecaps == CAP_NET_RAW
        file_open:
          enabled: true
          sandbox: {enabled: true, deny_list: true}
          rules:
            - rule: Nested
              scope: binary_name in shells
              event: path_prefix == "/usr" AND path_prefix == "/usr/lib"
        """)
    proc = subprocess.run([PROCSCOPE, "rules", "check", f], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "    event: ecaps has all of CAP_NET_RAW|CAP_SYS_ADMIN\n" in out
    assert '    scope: binary_name in ["sh", "bash"]\n    event: path_prefix == "/usr/lib"\n' in out
    assert "file_open: enabled, sandbox, deny list: block what matches; enforcement: kill" in out
    assert out.endswith("2 rules in 1 file: OK\n")


def test_check_names_file_line_and_column(tmp_path):
    cases = [
        ("setuid:\n  enabled: true\n  rules:\n    - rule: R\n      event: uid == 1 AND uid == 2\n",
         "r.yaml:5:27: always false: uid == 1 AND uid == 2 can never hold"),
        ("setuid:\n  enabled: true\n  rules:\n    - rule: R\n      event: euid == \"root\"\n",
         "r.yaml:5:22: euid takes a number, not a string"),
        ("setuidd:\n  enabled: true\n", "r.yaml:1:1: unknown hook 'setuidd' (procscope rules list --hooks names them)"),
        ("file_open:\n  rules:\n    - rule: R\n      event: path_prefx == \"/etc\"\n",
         "r.yaml:4:14: unknown attribute 'path_prefx'"),
    ]
    for text, want in cases:
        f = rules_file(tmp_path, text)
        proc = subprocess.run([PROCSCOPE, "rules", "check", f], capture_output=True, text=True)
        assert proc.returncode == 65, proc
        assert proc.stderr == f"procscope: {tmp_path}/{want}\n"
        assert proc.stdout == ""


def test_a_broken_rules_file_stops_a_trace_before_it_starts(tmp_path):
    f = rules_file(tmp_path, "setuid:\n  rules:\n    - rule: R\n      event: uid ==\n")
    marker = tmp_path / "ran"
    proc = subprocess.run([PROCSCOPE, "--rules", f, "--", "touch", str(marker)], capture_output=True, text=True)
    assert proc.returncode == 65
    assert proc.stderr.count("\n") == 1 and "r.yaml:4:20: expected a string, a number or a name" in proc.stderr
    assert not marker.exists()
    proc = subprocess.run([PROCSCOPE, "--rules", str(tmp_path / "missing.yaml"), "--", "true"],
                          capture_output=True, text=True)
    assert proc.returncode == 65 and "cannot read the rules file: No such file or directory" in proc.stderr


def test_list_shows_the_default_policy():
    proc = subprocess.run([PROCSCOPE, "rules", "list"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for rule in ["PersistenceSystemdUnit [high, T1543.002]", "SetuidBitSet [high, T1548.001]",
                 "ExecFromScratchDir [high, T1204.002]", "PasswordHashesRead [high, T1003.008]",
                 "ListeningSocket [medium, T1571]", "KernelModuleLoad [critical, T1547.006]"]:
        assert f"  rule {rule}\n" in proc.stdout
    hooks = subprocess.run([PROCSCOPE, "rules", "list", "--hooks"], capture_output=True, text=True)
    assert "\nsocket_connect      ipv4_dst, ipv6_dst, port_dst\n" in hooks.stdout


LISTENER = """
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1])
"""

BPF_LOAD = SYSCALL + """
import struct
insns = ctypes.create_string_buffer(bytes([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), 16)
lic = ctypes.create_string_buffer(b"GPL")
attr = struct.pack("IIQQIIQII", 1, 2, ctypes.addressof(insns), ctypes.addressof(lic), 0, 0, 0, 0, 0)
attr += b"ps_rules_test".ljust(16, bytes(1))
attr = ctypes.create_string_buffer(attr.ljust(128, bytes(1)), 128)
print(sc(321, 5, attr, 128))
"""


def test_default_policy_flags_what_an_install_script_does(root, tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    home = work / "home"
    home.mkdir()
    (home / ".bash_history").write_text("ls\n")
    scratch = f"/tmp/ps-rules-{os.getpid()}"
    os.makedirs(scratch, exist_ok=True)
    (work / "listen.py").write_text(LISTENER)
    (work / "bpf.py").write_text(BPF_LOAD)
    script = work / "install.sh"
    script.write_text(textwrap.dedent(f"""\
        cp /bin/ls {scratch}/ls
        {scratch}/ls / > /dev/null
        chmod u+s {scratch}/ls
        echo 'alias ls=x' >> {home}/.bashrc
        cat /etc/shadow > /dev/null
        rm {home}/.bash_history
        id > /dev/null
        {PYTHON} {work}/listen.py > {work}/port
        {PYTHON} {work}/bpf.py > {work}/bpf
        """))
    try:
        t = run_trace(tmp_path, ["sh", str(script)])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert t.returncode == 0, t.stderr
    got = [(e["rule"], e["type"], e["severity"], e["mitre"], e["blocked"]) for e in findings(t)]
    assert got == [
        ("ExecFromScratchDir", "process.exec", "high", "T1204.002", False),
        ("SetuidBitSet", "file.chmod", "high", "T1548.001", False),
        ("PersistenceShellProfile", "file.open", "medium", "T1546.004", False),
        ("PasswordHashesRead", "file.open", "high", "T1003.008", False),
        ("HistoryDeleted", "file.unlink", "medium", "T1070.003", False),
        ("ListeningSocket", "net.listen", "medium", "T1571", False),
        ("BpfProgramLoad", "kernel.bpf", "high", "T1014", False),
    ], got
    f = findings(t)
    assert f[0]["process"]["exe"] == f"{scratch}/ls"
    assert f[1]["file"]["path"] == f"{scratch}/ls" and f[1]["ret"] == 0
    assert f[2]["file"]["path"] == f"{home}/.bashrc"
    assert f[3]["file"]["path"] == "/etc/shadow" and f[3]["ret"] >= 0
    assert f[4]["file"]["path"] == f"{home}/.bash_history" and f[4]["ret"] == 0
    assert f[5]["net"]["port"] == int((work / "port").read_text())
    assert f[6]["ret"] == int((work / "bpf").read_text()) >= 0
    # id's read-only prctl and capability queries are not findings.
    assert not [e for e in f if e["comm"] == "id"]
    assert t.stats["findings"] == 7
    assert t.events[0]["rules"] == ["default.yaml"]


def test_no_default_rules_means_no_findings(root, tmp_path):
    t = run_trace(tmp_path, ["cat", "/etc/shadow"], extra=["--no-default-rules"])
    assert t.returncode == 0, t.stderr
    assert findings(t) == [] and t.stats["findings"] == 0
    assert t.events[0]["rules"] == []


SETEUID = """
import os
os.seteuid(65534)
os.seteuid(0)
"""

CAPSET = SYSCALL + """
import struct
hdr = ctypes.create_string_buffer(struct.pack("Ii", 0x20080522, 0), 8)
data = ctypes.create_string_buffer(24)
assert sc(125, hdr, data) == 0
eff0, prm0, inh0, eff1, prm1, inh1 = struct.unpack("6I", data.raw)
drop = ctypes.create_string_buffer(struct.pack("6I", 0, prm0, inh0, 0, prm1, inh1), 24)
assert sc(126, hdr, drop) == 0
back = ctypes.create_string_buffer(struct.pack("6I", prm0, prm0, inh0, prm1, prm1, inh1), 24)
print(sc(126, hdr, back))
"""


def test_privilege_rules(root, tmp_path):
    (tmp_path / "seteuid.py").write_text(SETEUID)
    (tmp_path / "capset.py").write_text(CAPSET)
    t = run_trace(tmp_path, ["sh", "-c", f"{PYTHON} {tmp_path}/seteuid.py; {PYTHON} {tmp_path}/capset.py"])
    assert t.returncode == 0, t.stderr
    got = [(e["rule"], e["syscall"], e["ret"]) for e in findings(t)]
    # seteuid(65534) drops root: not a finding; seteuid(0) regains it.
    assert got == [("GainedRoot", "setresuid", 0), ("GainedCapabilities", "capset", 0)], got
    assert findings(t)[0]["priv"]["before"]["euid"] == 65534


def test_user_namespace_as_nobody_but_not_as_root(root, tmp_path):
    t = run_trace(tmp_path, ["sh", "-c", "unshare -U true; setpriv --reuid=65534 --regid=65534 "
                             "--clear-groups unshare -U true"])
    assert t.returncode == 0, t.stderr
    got = [(e["rule"], e["comm"], e["uid"], e["ret"]) for e in findings(t)]
    # setpriv raises its effective set again after the uid change: that is a finding too.
    assert got == [("GainedCapabilities", "setpriv", 65534, 0),
                   ("UnprivilegedUserNamespace", "unshare", 65534, 0)], got


def test_scope_by_parent_binary(root, tmp_path):
    f = rules_file(tmp_path, """\
        bprm_check:
          enabled: true
          rules:
            - rule: ExecFromXargs
              severity: low
              scope: parent_binary_name == "xargs"
              event: name == "true"
        """)
    t = run_trace(tmp_path, ["sh", "-c", "/bin/true; echo x | xargs /bin/true"], extra=["--rules", f])
    assert t.returncode == 0, t.stderr
    got = [(e["rule"], e["comm"], e["process"]["exe"]) for e in findings(t)]
    assert got == [("ExecFromXargs", "true", "/usr/bin/true")], got
    assert t.events[0]["rules"] == [f]


def test_argv_rule_and_file_open_allow_list_kills(root, tmp_path):
    f = rules_file(tmp_path, """\
        sched_process_exec:
          enabled: true
          rules:
            - rule: EchoSecret
              event: arg1 == "secret" AND arg0 == "/bin/echo"
        file_open:
          enabled: true
          sandbox: {enabled: true}
          rules:
            - rule: CatOnlyHostname
              scope: binary_name == "cat"
              event: >-
                path == "/etc/hostname" OR
                path_prefix in ["/etc/ld.so.cache", "/usr/lib/", "/usr/share/locale/"]
        """)
    t = run_trace(tmp_path, ["sh", "-c", "/bin/echo secret; /bin/echo public; cat /etc/hostname /etc/os-release"],
                  extra=["--rules", f])
    assert t.returncode == 128 + 9, t.stderr  # the command's status: sh's last command, cat, was killed
    assert len([e for e in findings(t) if e["rule"] == "EchoSecret"]) == 1
    # The allowed opens are silent (the kernel judged /lib's libraries by the
    # file it opened, under /usr/lib); the first it refuses kills cat before it
    # can read a byte: Debian's locale.alias, a symbolic link out of the
    # allowed tree, when cat sets up its locale.
    refused = [e for e in findings(t) if e["rule"] == "CatOnlyHostname"]
    got = [(e["file"]["path"], e["file"].get("opened"), e["blocked"], e["enforcement"]) for e in refused]
    alias = "/usr/share/locale/locale.alias"
    if os.path.islink(alias):
        want = [(alias, os.path.realpath(alias), True, "kill")]
    else:
        want = [("/etc/os-release", None, True, "kill")]
    assert got == want, refused
    with open("/etc/os-release") as h:
        assert h.read() not in t.stdout
    cat = [e for e in t.events if e["type"] == "process.exit" and e["comm"] == "cat"]
    assert [e["process"].get("signal") for e in cat] == ["SIGKILL"], cat


@pytest.mark.parametrize("via", [[], ["unshare", "--mount", "--"]], ids=["here", "new-mount-namespace"])
def test_file_open_deny_list_judges_the_file_opened(root, tmp_path, via):
    secret = tmp_path / "secret"
    secret.write_text("the-secret\n")
    link = tmp_path / "innocent"
    link.symlink_to(secret)
    f = rules_file(tmp_path, f"""\
        file_open:
          enabled: true
          sandbox: {{enabled: true, deny_list: true}}
          rules:
            - rule: NoSecret
              event: path == "{secret}"
        """)
    # In a mount namespace of its own the path is judged as that namespace's root sees it.
    t = run_trace(tmp_path, via + ["cat", str(link)], extra=["--rules", f])
    assert t.returncode == 128 + 9, t.stderr
    assert "the-secret" not in t.stdout
    got = [(e["file"]["path"], e["file"].get("opened"), e["blocked"], e["enforcement"]) for e in findings(t)]
    assert got == [(str(link), str(secret), True, "kill")], got


def test_timeline_marks_findings(root, tmp_path):
    proc = subprocess.run([PROCSCOPE, "--color", "never", "--", "cat", "/etc/shadow"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0
    line = [l for l in proc.stderr.splitlines() if "file.open" in l and "/etc/shadow" in l]
    assert len(line) == 1 and line[0].endswith("= 3 [PasswordHashesRead high]"), line
    assert "1 matched a rule" in proc.stderr.splitlines()[-1]


KILL_RULES = """\
    setuid:
      enabled: true
      sandbox: {enabled: true, deny_list: true}
      rules:
        - rule: NoRootAgain
          severity: critical
          event: euid == 0 AND prev_euid != 0
    bprm_check:
      enabled: true
      sandbox: {enabled: true, deny_list: true}
      rules:
        - rule: NoExecFromTmp
          event: path_prefix == "/tmp/"
    """


def test_check_says_the_kernel_kills(tmp_path):
    proc = subprocess.run([PROCSCOPE, "rules", "check", rules_file(tmp_path, KILL_RULES)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("; enforcement: kill (in the kernel, before the process returns to user "
                             "space; the act itself has happened)\n") == 2


def test_kill_after_setuid_before_user_space(root, tmp_path):
    marker = tmp_path / "marker"
    script = tmp_path / "regain.py"
    script.write_text(f"import os\nos.seteuid(65534)\nos.seteuid(0)\nopen({str(marker)!r}, 'w').write('x')\n")
    t = run_trace(tmp_path, [PYTHON, str(script)], extra=["--rules", rules_file(tmp_path, KILL_RULES)])
    assert t.returncode == 128 + 9, t.stderr
    assert not marker.exists()
    f = findings(t)
    assert [(e["rule"], e["syscall"], e["ret"], e["blocked"], e["enforcement"]) for e in f] == [
        ("NoRootAgain", "setresuid", 0, True, "kill")]
    # The first seteuid dropped root: allowed.  The process died of SIGKILL right after the second.
    assert [e["priv"]["after"]["euid"] for e in t.of_type("priv.setuid")] == [65534, 0]
    assert t.of_type("process.exit", pid=f[0]["pid"])[0]["process"]["signal"] == "SIGKILL"


def test_a_kill_is_reported_under_failed(root, tmp_path):
    script = tmp_path / "regain.py"
    script.write_text("import os\nos.seteuid(65534)\nos.seteuid(0)\n")
    t = run_trace(tmp_path, [PYTHON, str(script)],
                  extra=["--failed", "--rules", rules_file(tmp_path, KILL_RULES)])
    assert t.returncode == 128 + 9, t.stderr
    assert [(e["rule"], e["ret"], e["blocked"]) for e in findings(t)] == [("NoRootAgain", 0, True)]


def test_a_copied_ls_in_tmp_under_a_deny_rule_prints_nothing(root, tmp_path):
    scratch = f"/tmp/ps-kill-{os.getpid()}"
    os.makedirs(scratch, exist_ok=True)
    try:
        shutil.copy("/bin/ls", f"{scratch}/ls")
        t = run_trace(tmp_path, [f"{scratch}/ls", "/"], extra=["--rules", rules_file(tmp_path, KILL_RULES)])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert t.returncode == 128 + 9
    assert t.stdout == ""
    ex = findings(t)
    assert [(e["type"], e["rule"], e["process"]["exe"], e["blocked"]) for e in ex] == [
        ("process.exec", "NoExecFromTmp", f"{scratch}/ls", True)]
    # Killed before the new image ran: it made no syscall at all.
    assert [e["type"] for e in t.events if e.get("pid") == ex[0]["pid"]] == ["process.exec", "process.exit"]


def test_allow_list_in_the_kernel_refuses_the_rest(root, tmp_path):
    f = rules_file(tmp_path, """\
        bprm_check:
          enabled: true
          sandbox: {enabled: true}
          rules:
            - rule: XargsRunsOnlyTrue
              scope: parent_binary_name == "xargs"
              event: name == "true"
        """)
    t = run_trace(tmp_path, ["sh", "-c", "echo x | xargs /bin/true; echo a=$?; echo x | xargs /bin/echo hi; echo b=$?"],
                  extra=["--rules", f])
    assert t.returncode == 0, t.stderr
    assert t.stdout == "a=0\nb=125\n"
    got = [(e["rule"], e["comm"], e["blocked"], e["enforcement"]) for e in findings(t)]
    # The root sh, whose parent is procscope, is out of the rule's scope: no finding.
    assert got == [("XargsRunsOnlyTrue", "echo", True, "kill")], got


def test_lsm_enforcement_where_bpf_lsm_loads(root):
    doctor = json.loads(subprocess.run([PROCSCOPE, "doctor", "--json"], capture_output=True, text=True).stdout)
    lsm = doctor["program_types"]["lsm"]
    if not lsm["loads"]:
        import pytest
        pytest.skip(f"BPF LSM programs do not load on this machine ({lsm['stage']}: {lsm['error']}): "
                    "sandboxes are enforced by killing, tested above")
    raise AssertionError("BPF LSM loads here, but procscope has no LSM backend yet: deny is not enforced")


def test_bundle_lists_findings_first(root, tmp_path):
    b = tmp_path / "case"
    proc = subprocess.run([PROCSCOPE, "-q", "--bundle", str(b), "--", "sh", "-c", "cat /etc/shadow > /dev/null"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    alerts = json.loads((b / "alerts.json").read_text())
    rows = alerts["events"] if isinstance(alerts, dict) else alerts
    assert [(e["rule"], e["file"]["path"]) for e in rows] == [("PasswordHashesRead", "/etc/shadow")]
    summary = (b / "summary.md").read_text()
    sections = [l for l in summary.splitlines() if l.startswith("## ")]
    assert sections[0] == "## Findings: events that matched a rule", sections
    row = [l for l in summary.splitlines() if l.startswith("| PasswordHashesRead")]
    assert len(row) == 1 and "| high | no |" in row[0] and "/etc/shadow" in row[0]
    assert subprocess.run([PROCSCOPE, "verify", str(b)], capture_output=True).returncode == 0


def test_long_and_deep_paths_do_not_escape_a_deny_rule(root, tmp_path):
    """A path past the kernel's 255-byte fact keeps its prefix; one too deep for the walk still ends at the root."""
    long_dir = "/tmp/ps-long/" + "A" * 200 + "/" + "B" * 100
    deep_dir = f"/tmp/ps-deep-{os.getpid()}/" + "/".join(["d"] * 100)
    rules = rules_file(tmp_path, KILL_RULES)
    try:
        for d in (long_dir, deep_dir):
            os.makedirs(d, exist_ok=True)
            shutil.copy("/bin/ls", f"{d}/ls")
            t = run_trace(tmp_path, [f"{d}/ls", "/"], extra=["--rules", rules])
            assert t.returncode == 128 + 9 and t.stdout == "", (d, t.stderr)
            got = [(e["rule"], e["blocked"], e["enforcement"]) for e in findings(t)]
            assert got == [("NoExecFromTmp", True, "kill")], got
    finally:
        shutil.rmtree("/tmp/ps-long", ignore_errors=True)
        shutil.rmtree(f"/tmp/ps-deep-{os.getpid()}", ignore_errors=True)


def test_rules_apply_in_attach_mode(root, tmp_path):
    import time
    marker = tmp_path / "marker"
    go = tmp_path / "go"
    script = tmp_path / "later.py"
    script.write_text(textwrap.dedent(f"""\
        import os, time
        while not os.path.exists({str(go)!r}):
            time.sleep(0.02)
        os.seteuid(65534)
        os.seteuid(0)
        open({str(marker)!r}, "w").write("x")
        """))
    target = subprocess.Popen([PYTHON, str(script)])
    out = tmp_path / "t.jsonl"
    tracer = subprocess.Popen([PROCSCOPE, "-q", "-o", str(out), "--rules", rules_file(tmp_path, KILL_RULES),
                               "-p", str(target.pid)], stderr=subprocess.PIPE, text=True)
    try:
        # The programs are loaded and then attached: wait for them, then a little more.
        from conftest import procscope_progs
        deadline = time.time() + 20
        while time.time() < deadline and not procscope_progs():
            time.sleep(0.05)
        time.sleep(1.0)
        go.write_text("")
        assert target.wait(timeout=10) == -9
        tracer.wait(timeout=10)
    finally:
        target.kill()
        tracer.kill()
    assert not marker.exists()
    from conftest import load_jsonl
    got = [(e["rule"], e["blocked"], e["enforcement"]) for e in load_jsonl(out) if "rule" in e]
    assert got == [("NoRootAgain", True, "kill")], got


def test_kill_after_an_ia32_setresuid32(root, tmp_path):
    """int $0x80 is the same act: the 32-bit regain of root is killed before the marker is made."""
    marker = tmp_path / "marker"
    # The setuid hook alone: a checkout under /tmp would have the fixture's own exec killed.
    setuid_only = KILL_RULES[:KILL_RULES.index("    bprm_check:")]
    t = run_trace(tmp_path, [fixture("ia32"), "regain", str(marker)],
                  extra=["--rules", rules_file(tmp_path, setuid_only)])
    assert t.returncode == 128 + 9, t.stderr
    assert not marker.exists()
    got = [(e["rule"], e["syscall"], e.get("abi"), e["blocked"]) for e in findings(t)]
    assert got == [("NoRootAgain", "setresuid32", "ia32", True)], got
