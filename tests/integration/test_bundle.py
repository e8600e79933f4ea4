# The evidence bundle: what `procscope --bundle DIR` writes, what `verify`
# says of it intact, tampered with and cut short, and what `report` makes
# of it.  The hash chain is recomputed here independently of the C code.
import collections
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import time

import pytest

from conftest import PROCSCOPE, check_event, need_root

BUNDLE_FILES = ["alerts.json", "calls.tsv", "events.jsonl", "files.json", "metadata.json", "network.json", "notable.json",
                "process-tree.json", "process-tree.txt", "report.html", "summary.md"]
MISSING = "/nonexistent_procscope_bundle_test"
WORKLOAD = f"mkdir d; echo hello > d/f; cat d/f; ls / >/dev/null; cat {MISSING}; exit 0"


def run(*args, **kw):
    return subprocess.run([PROCSCOPE, *args], capture_output=True, text=True, timeout=120, **kw)


def verify(d):
    return run("verify", str(d))


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def check_chain(path, investigation_id):
    """Recompute every line's chain value; return the events (chain member removed)."""
    head = hashlib.sha256(investigation_id.encode()).hexdigest()
    events = []
    for n, line in enumerate(lines_of(path)[:-1], 1):
        cut = line.rfind(',"chain":"')
        assert cut > 0 and line.endswith('"}'), f"line {n} has no chain member"
        body = line[:cut] + "}"
        head = hashlib.sha256((head + body).encode()).hexdigest()
        assert line[cut + 10:-2] == head, f"line {n}: chain mismatch"
        events.append(check_event(json.loads(body), f"events.jsonl line {n}"))
    return events, head


def load(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """One real bundle of a small workload, made once; tests copy it to tamper."""
    need_root()
    base = tmp_path_factory.mktemp("bundle")
    work = base / "work"
    work.mkdir()
    d = base / "b"
    p = run("-q", "--bundle", str(d), "--", "sh", "-c", WORKLOAD, cwd=work)
    assert p.returncode == 0, p.stderr
    assert "MANIFEST.sha256 sha256" in p.stderr
    return d, work, p


# (b) The real thing: procscope traces a workload into a bundle.

def test_files_and_modes(bundle):
    d, _, _ = bundle
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o750
    assert sorted(os.listdir(d)) == sorted(BUNDLE_FILES + ["MANIFEST.sha256"])
    for name in os.listdir(d):
        st = os.lstat(d / name)
        assert stat.S_ISREG(st.st_mode), name
        assert stat.S_IMODE(st.st_mode) == 0o640, name


def test_manifest_and_printed_hash(bundle):
    d, _, p = bundle
    r = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=d, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    listed = [line.split("  ", 1)[1] for line in lines_of(d / "MANIFEST.sha256")[:-1]]
    assert listed == BUNDLE_FILES
    own = hashlib.sha256((d / "MANIFEST.sha256").read_bytes()).hexdigest()
    assert own in p.stderr


def test_verify_intact_and_complete(bundle):
    d, _, _ = bundle
    r = verify(d)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "intact and complete" in r.stdout


def test_metadata_against_events(bundle):
    d, work, _ = bundle
    meta = load(d, "metadata.json")
    events, head = check_chain(d / "events.jsonl", meta["investigation_id"])
    assert meta["format"] == "procscope-bundle" and meta["format_version"] == 1
    assert meta["state"] == "finished" and meta["complete"] is True
    assert meta["schema_version"] == 1
    assert meta["command"]["argv"] == ["sh", "-c", WORKLOAD]
    assert meta["command"]["cwd"] == str(work)
    assert meta["exit_status"] == 0
    assert meta["chain_head"] == head
    with open("/proc/sys/kernel/random/boot_id") as f:
        assert meta["host"]["boot_id"] == f.read().strip()
    assert meta["user"]["uid"] == os.getuid()
    assert meta["start"] < meta["end"] and meta["duration_s"] > 0
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "stats"
    assert meta["events"]["total"] == len(events)
    assert meta["events"]["by_type"] == dict(collections.Counter(e["type"] for e in events))
    assert meta["stats"]["counters"] == events[-1]["counters"]


def test_process_tree_against_events(bundle):
    d, _, _ = bundle
    meta = load(d, "metadata.json")
    events, _ = check_chain(d / "events.jsonl", meta["investigation_id"])
    tree = load(d, "process-tree.json")
    procs = {p["key"]: p for p in tree["processes"]}
    event_keys = {e["key"] for e in events if "key" in e}
    assert set(procs) == event_keys
    assert {p["pid"] for p in procs.values()} == {e["pid"] for e in events if "pid" in e}
    # sh, mkdir, cat, ls, cat: each exec is in its process's chain, args and all.
    progs = sorted(x["args"][0] for p in procs.values() for x in p["execs"])
    assert progs == ["cat", "cat", "ls", "mkdir", "sh"]
    for e in events:
        if e["type"] == "process.fork":
            child = procs[e["process"]["child_key"]]
            assert child["parent"] == e["key"]
        if e["type"] == "process.exit":
            assert procs[e["key"]]["exit"] is not None
    root = procs[tree["roots"][0]]
    assert root["execs"][0]["args"] == ["sh", "-c", WORKLOAD]
    assert len(root["children"]) == 4
    failed = [p for p in procs.values() if p["execs"] and p["execs"][0]["args"] == ["cat", MISSING]]
    assert failed[0]["exit"] == {"exit_code": 1}
    text = (d / "process-tree.txt").read_text()
    for p in procs.values():
        assert p["key"] in text


def test_files_against_events(bundle):
    d, work, _ = bundle
    meta = load(d, "metadata.json")
    events, _ = check_chain(d / "events.jsonl", meta["investigation_id"])
    files = {f["path"]: f for f in load(d, "files.json")["paths"]}
    per_path = collections.Counter(e["file"]["path"] for e in events
                                   if e["type"].startswith("file.") and e["file"].get("path"))
    for path, n in per_path.items():
        assert files[path]["total"] >= n, path
    missing = files[MISSING]
    assert missing["outside_cwd"] is True
    assert missing["ops"]["file.open"]["errors"] == {"ENOENT": 1}
    written = files[str(work / "d" / "f")]
    assert written["outside_cwd"] is False
    assert "write" in written["access"] and "create" in written["access"]
    summary = (d / "summary.md").read_text().replace("\\_", "_")  # Markdown escapes _
    assert MISSING in summary and "ENOENT" in summary
    assert "## Touched outside the working directory" in summary


def tampered(bundle, tmp_path, how):
    d = tmp_path / "copy"
    shutil.copytree(bundle[0], d)
    how(d)
    return d, verify(d)


def edit_lines(d, change):
    path = d / "events.jsonl"
    lines = lines_of(path)
    change(lines)
    path.write_text("\n".join(lines))


def flip_byte(d):
    data = bytearray((d / "events.jsonl").read_bytes())
    i = data.index(b'"pid":') + 6
    data[i] = ord("9") if data[i] != ord("9") else ord("8")
    (d / "events.jsonl").write_bytes(bytes(data))


def reseal(d):
    """An attacker's manifest, recomputed after the edit."""
    out = subprocess.run(["sha256sum", *BUNDLE_FILES], cwd=d, capture_output=True, text=True, check=True)
    (d / "MANIFEST.sha256").write_text(out.stdout)


CASES = {
    "one byte changed": (flip_byte, "hash chain broken"),
    "one line deleted": (lambda d: edit_lines(d, lambda l: l.pop(5)), "hash chain broken"),
    "two lines swapped": (lambda d: edit_lines(d, lambda l: l.__setitem__(slice(5, 7), [l[6], l[5]])),
                          "hash chain broken"),
    "a file removed": (lambda d: (d / "network.json").unlink(), "network.json: listed in MANIFEST.sha256 but missing"),
    "report edited": (lambda d: (d / "report.html").write_text("<p>nothing here</p>"),
                      "report.html: sha256 mismatch"),
    "manifest regenerated after an edit": (lambda d: (flip_byte(d), reseal(d)), "hash chain broken"),
    "tail cut and manifest regenerated": (lambda d: (edit_lines(d, lambda l: l.pop(-2)), reseal(d)),
                                          "chain head does not match"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_verify_detects_tampering(bundle, tmp_path, case):
    how, message = CASES[case]
    _, r = tampered(bundle, tmp_path, how)
    assert r.returncode == 1, r.stdout
    assert message in r.stdout, r.stdout
    assert "NOT INTACT" in r.stdout


def test_sigkill_leaves_incomplete_but_valid_bundle(tmp_path):
    need_root()
    d = tmp_path / "b"
    loop = "for i in $(seq 1 200); do cat /etc/hostname >/dev/null; sleep 0.01; done"
    p = subprocess.Popen([PROCSCOPE, "-q", "--bundle", str(d), "--", "sh", "-c", loop],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)
    assert p.poll() is None, "procscope ended before it could be killed"
    os.killpg(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    meta = load(d, "metadata.json")
    assert meta["state"] == "running"
    assert not (d / "MANIFEST.sha256").exists()
    data = (d / "events.jsonl").read_text()
    complete_part = data[:data.rfind("\n") + 1]
    (tmp_path / "whole.jsonl").write_text(complete_part)
    events, _ = check_chain(tmp_path / "whole.jsonl", meta["investigation_id"])
    assert len(events) > 20, "a second of the loop is in the bundle"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    r = verify(d)
    assert r.returncode == 2, r.stdout
    assert "INCOMPLETE" in r.stdout
    # An edit inside what was saved is still caught.
    edit_lines(d, lambda l: l.pop(3))
    assert verify(d).returncode == 1


def test_refuses_a_directory_others_may_write_or_own(tmp_path):
    # Another user's empty directory, or one others may write into: they could
    # read what procscope writes there, or swap a report before it is sealed.
    need_root()
    for mode, owner in ((0o2777, 0), (0o750, 65534)):
        d = tmp_path / f"shared-{mode:o}-{owner}"
        d.mkdir()
        os.chmod(d, mode)
        os.chown(d, owner, -1)
        r = run("-q", "--bundle", str(d), "--", "true")
        assert r.returncode == 73, r.stderr
        assert "belongs to another user or others may write" in r.stderr
        assert os.listdir(d) == []


def test_refuses_non_empty_directory(tmp_path):
    need_root()
    d = tmp_path / "b"
    d.mkdir()
    (d / "keep").write_text("x")
    r = run("-q", "--bundle", str(d), "--", "true")
    assert r.returncode == 73, r.stderr
    assert "not empty" in r.stderr
    assert (d / "keep").read_text() == "x"


def test_report_of_real_bundle(bundle, tmp_path):
    d, _, _ = bundle
    text = run("report", str(d), "--format", "text")
    assert text.returncode == 0, text.stderr
    assert "# procscope summary" in text.stdout and MISSING in text.stdout
    # Same generator: a sealed bundle's report comes out identical.
    copy = tmp_path / "copy"
    shutil.copytree(d, copy)
    again = run("report", str(copy))
    assert again.returncode == 0, again.stderr
    assert "unchanged" in again.stdout
    assert verify(copy).returncode == 0
    out = run("report", str(d), "-o", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "report.html").read_bytes() == (d / "report.html").read_bytes()


# (a) report on JSON Lines made here (no tracing needed).

HOSTILE = "</script><img src=x onerror=alert(1)>"


def synthetic_events():
    base = {"schema": 1, "ppid": 1, "uid": 1000, "gid": 1000, "euid": 1000}
    evs = [
        {"type": "process.exec", "pid": 50, "comm": "sh", "key": "50@100",
         "process": {"filename": "/bin/sh", "args": ["sh", "-c", HOSTILE]}},
        {"type": "file.open", "pid": 50, "comm": "sh", "key": "50@100", "ret": -13, "error": "EACCES",
         "file": {"path": "/etc/shadow", "flags": ["O_RDONLY"]}},
        {"type": "ns.unshare", "pid": 50, "comm": "sh", "key": "50@100", "ret": 0, "notable": True,
         "ns": {"flags": ["CLONE_NEWNS"]}},
        {"type": "process.exit", "pid": 50, "comm": "sh", "key": "50@100", "process": {"exit_code": 0}},
    ]
    out = []
    for i, e in enumerate(evs, 1):
        out.append({**base, "seq": i, "time": f"2026-11-23T12:00:00.00000000{i}Z", "ts_ns": 1000 + i,
                    "tid": e["pid"], **e})
    out.append({"schema": 1, "seq": 5, "time": "2026-11-23T12:00:00.000000009Z", "ts_ns": 2000,
                "type": "stats", "events": 4, "lost": 0, "complete": True, "counters": {"ringbuf_full": 0}})
    return out


def test_report_of_a_plain_output_file_reads_its_run_header(tmp_path):
    need_root()
    out = tmp_path / "t.jsonl"
    t = subprocess.run([PROCSCOPE, "-q", "-o", str(out), "--", "sh", "-c", "cat /etc/hostname"],
                       capture_output=True, text=True, timeout=60)
    assert t.returncode == 0, t.stderr
    with open(out, encoding="utf-8") as f:
        first = check_event(json.loads(f.readline()), "t.jsonl line 1")
    assert first["type"] == "run" and first["mode"] == "launch" and first["pids"] == []
    assert first["command"] == ["sh", "-c", "cat /etc/hostname"]
    assert first["argv"][-3:] == first["command"] and first["host"]["name"] == os.uname().nodename
    with open("/proc/sys/kernel/random/boot_id", encoding="utf-8") as f:
        assert first["host"]["boot_id"] == f.read().strip()
    assert first["kernel"] == os.uname().release
    text = run("report", str(out), "--format", "text").stdout
    assert "| Command | sh -c 'cat /etc/hostname' |" in text
    assert f"| Host | {os.uname().nodename}, Linux {os.uname().release} |" in text
    assert "| Capture | complete: no event was lost |" in text


def test_report_of_bare_json_lines(tmp_path):
    src = tmp_path / "trace.jsonl"
    src.write_text("".join(json.dumps(e) + "\n" for e in synthetic_events()))
    r = run("report", str(src))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "report.html").read_text()
    md = (tmp_path / "summary.md").read_text()
    assert "<img" not in html and html.count("<script") == 1
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "/etc/shadow" in md and "EACCES" in md and "ns.unshare" in md
    assert stat.S_IMODE(os.stat(tmp_path / "report.html").st_mode) == 0o640
    # Existing outputs are not replaced silently.
    again = run("report", str(src))
    assert again.returncode == 73 and "--force" in again.stderr
    assert run("report", str(src), "--force").returncode == 0


def test_report_and_verify_errors(tmp_path):
    assert run("report", str(tmp_path / "none")).returncode == 66
    assert run("report", "--format", "pdf", str(tmp_path)).returncode == 64
    junk = tmp_path / "junk.jsonl"
    junk.write_text("not json\n")
    assert run("report", str(junk)).returncode == 65
    assert verify(tmp_path / "none").returncode == 66
    assert verify(tmp_path).returncode == 65


def test_report_names_an_unopenable_directory(tmp_path):
    (tmp_path / "f").write_text("")
    r = run("report", str(tmp_path / "f" / "events.jsonl"))
    assert r.returncode == 66
    assert "cannot open" in r.stderr


def test_verify_prints_manifest_hash_and_checks_expect(bundle):
    d, _, _ = bundle
    own = hashlib.sha256((d / "MANIFEST.sha256").read_bytes()).hexdigest()
    r = verify(d)
    assert f"MANIFEST.sha256 sha256 {own}" in r.stdout
    assert run("verify", "--expect", own.upper(), str(d)).returncode == 0
    other = ("1" if own[0] == "0" else "0") + own[1:]
    r = run("verify", "--expect", other, str(d))
    assert r.returncode == 1 and f"not the expected {other}" in r.stdout
    assert run("verify", "--expect", "abc", str(d)).returncode == 64


def test_verify_escapes_names_from_the_bundle(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    (d / "x\x1b]0;owned\x07\x1b[2J").write_text("")
    meta = json.loads((d / "metadata.json").read_text())
    meta["state"] = "\x1b[31mfinished"
    (d / "metadata.json").write_text(json.dumps(meta))
    r = run("verify", str(d))
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "x\\x1b]0;owned\\x07\\x1b[2J: not part of the bundle" in r.stdout


def test_cut_back_running_bundle_is_a_problem(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    meta = json.loads((d / "metadata.json").read_text())
    meta["state"] = "running"
    (d / "metadata.json").write_text(json.dumps(meta))
    (d / "MANIFEST.sha256").unlink()
    keep = lines_of(d / "events.jsonl")[:3]
    (d / "events.jsonl").write_text("\n".join(keep) + "\n")
    r = verify(d)
    assert r.returncode == 1, r.stdout
    assert "summary.md: written only when a run ends" in r.stdout


def test_fifo_in_bundle_does_not_hang(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    (d / "events.jsonl").unlink()
    os.mkfifo(d / "events.jsonl")
    r = subprocess.run([PROCSCOPE, "verify", str(d)], capture_output=True, text=True, timeout=20)
    assert r.returncode == 1 and "events.jsonl: it is not a regular file" in r.stdout
    r = subprocess.run([PROCSCOPE, "report", "--format", "text", str(d)], capture_output=True,
                       text=True, timeout=20)
    assert r.returncode == 65 and "not a regular file" in r.stderr


COMM_SETTER = (
    "import ctypes; ctypes.CDLL(None).prctl(15, b'\\xff\\xff\\xff\\xff\\xff\\xff\\xffaa\\xe2\\x82\\xac', 0, 0, 0);"
    "open('/etc/hostname').read()"
)


def test_non_utf8_comm_and_cwd(tmp_path):
    need_root()
    work = os.path.join(os.fsencode(tmp_path), b"d\xff")
    os.mkdir(work)
    d = tmp_path / "b"
    p = run("-q", "--bundle", str(d), "--", "/usr/bin/python3", "-c", COMM_SETTER, cwd=work)
    assert p.returncode == 0, p.stderr
    r = verify(d)
    assert r.returncode == 0, r.stdout
    meta = load(d, "metadata.json")
    assert meta["command"]["cwd"].endswith("/d\\xff")
    tree = load(d, "process-tree.json")
    assert any(proc["comm"].startswith("\\xff") for proc in tree["processes"])


# Output directories: another user who can write the parent of DIR must not
# choose where procscope writes, with or without a trailing slash.

def plant_link(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    return link, target


@pytest.mark.parametrize("suffix", ["/", "/.", "//", ""])
def test_bundle_never_follows_a_symlink_at_dir(tmp_path, suffix):
    need_root()
    link, target = plant_link(tmp_path)
    for extra in ([], ["--force"]):
        r = run("-q", "--bundle", str(link) + suffix, *extra, "--", "true")
        assert r.returncode == 73, r.stderr
        assert "symbolic link" in r.stderr
    assert os.listdir(target) == []


def test_bundle_dir_ending_in_dotdot_is_refused(tmp_path):
    need_root()
    (tmp_path / "sub").mkdir()
    r = run("-q", "--bundle", str(tmp_path / "sub") + "/..", "--", "true")
    assert r.returncode == 73 and "ends in '..'" in r.stderr
    assert sorted(os.listdir(tmp_path)) == ["sub"]


@pytest.mark.parametrize("suffix", ["/", "/.", ""])
def test_report_output_never_follows_a_symlink(bundle, tmp_path, suffix):
    link, target = plant_link(tmp_path)
    for extra in ([], ["--force"]):
        r = run("report", str(bundle[0]), "-o", str(link) + suffix, *extra)
        assert r.returncode == 73, r.stdout + r.stderr
        assert "symbolic link" in r.stderr
    assert os.listdir(target) == []


def test_report_into_a_symlinked_bundle_is_refused(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    (d / "summary.md").unlink()
    link = tmp_path / "link"
    link.symlink_to(d)
    for arg in (str(link), str(link) + "/"):
        r = run("report", arg, "--force")
        assert r.returncode == 73 and "symbolic link" in r.stderr, r.stderr
    assert not (d / "summary.md").exists()
    # Reading through it is harmless.
    assert run("report", "--format", "text", str(link) + "/").returncode == 0


def test_report_output_directory_must_be_empty_unless_force(bundle, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep").write_text("x")
    r = run("report", str(bundle[0]), "-o", str(out))
    assert r.returncode == 73 and "not empty (use --force" in r.stderr
    assert os.listdir(out) == ["keep"]
    r = run("report", str(bundle[0]), "-o", str(out) + "/", "--force")
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["keep", "report.html", "summary.md"]


def test_report_refuses_a_symlink_in_place_of_a_sealed_file(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    elsewhere = tmp_path / "elsewhere.md"
    shutil.copy(d / "summary.md", elsewhere)
    (d / "summary.md").unlink()
    (d / "summary.md").symlink_to(elsewhere)
    r = run("report", str(d))
    assert r.returncode == 73, r.stdout
    assert "unchanged" not in r.stdout
    assert "'summary.md' in the bundle: it is a symbolic link" in r.stderr
    assert verify(d).returncode == 1
    # --force replaces the link itself, never what it points to.
    before = elsewhere.read_bytes()
    r = run("report", str(d), "--force")
    assert r.returncode == 0, r.stderr
    assert not (d / "summary.md").is_symlink() and elsewhere.read_bytes() == before
    assert verify(d).returncode == 0


def test_report_does_not_call_an_edited_sealed_file_unchanged(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    with open(d / "report.html", "a") as f:
        f.write("<!-- edited -->")
    r = run("report", str(d), "--format", "html")
    assert r.returncode == 73 and "unchanged" not in r.stdout
    assert "does not match MANIFEST.sha256" in r.stderr


# metadata.json's completeness against the chained stats record.

def relabel(d, **changes):
    meta = load(d, "metadata.json")
    for path, value in changes.items():
        obj = meta
        *parents, last = path.split("__")
        for p in parents:
            obj = obj[p]
        obj[last] = value
    (d / "metadata.json").write_text(json.dumps(meta, indent=2))
    reseal(d)


def test_verify_catches_a_lossy_capture_relabelled_complete(tmp_path):
    need_root()
    d = tmp_path / "lossy"
    p = run("-q", "--bundle", str(d), "--max-procs", "16", "--", "sh", "-c",
            "for i in $(seq 40); do sleep 0.3 & done; wait")
    assert p.returncode == 0, p.stderr
    meta = load(d, "metadata.json")
    lost = meta["stats"]["lost"]
    assert meta["complete"] is False and lost > 0
    r = verify(d)
    assert r.returncode == 2 and f"INCOMPLETE: {lost} events lost" in r.stdout
    relabel(d, complete=True, stats__lost=0)
    r = verify(d)
    assert r.returncode == 1, r.stdout
    assert f"metadata.json: stats.lost is 0, but the stats record in events.jsonl says {lost}" in r.stdout
    assert ("metadata.json: says complete, but the stats record in events.jsonl says "
            f"{lost} events were lost") in r.stdout
    assert "NOT INTACT" in r.stdout


def test_verify_catches_a_complete_capture_relabelled_incomplete(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    relabel(d, complete=False)
    r = verify(d)
    assert r.returncode == 1, r.stdout
    assert "metadata.json: says incomplete, but the stats record in events.jsonl lost nothing" in r.stdout


def test_verify_checks_every_stats_figure(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    events = load(d, "metadata.json")["stats"]["events"]
    relabel(d, stats__events=events + 1)
    r = verify(d)
    assert r.returncode == 1
    assert (f"metadata.json: stats.events is {events + 1}, but the stats record in events.jsonl "
            f"says {events}") in r.stdout


# What a person reads: no character can hide, reorder or fake text.

RLO_NAME = "rlo\u202egpj.exe"          # shows as "rloexe.jpg" where bidi applies
BACKSLASH_NAME = "lit\\x1b"           # a literal backslash, x, 1, b
RLO_BYTES = "\u202e".encode()          # e2 80 ae


def assert_shown_escaped(text, rlo_form, backslash_form, where):
    assert rlo_form in text, where
    assert backslash_form in text, where
    # The literal name never reads as an escape: every "lit\x1b" is part of the escaped form.
    assert "lit\\x1b" not in text.replace(backslash_form, ""), where


def test_invisible_and_bidi_characters_are_shown_escaped(tmp_path):
    need_root()
    work = tmp_path / "work"
    work.mkdir()
    d = tmp_path / "b"
    script = 'touch "$1" "$2"'
    p = run("--bundle", str(d), "--", "sh", "-c", script, "sh", RLO_NAME, BACKSLASH_NAME, cwd=work)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(work)) == sorted([RLO_NAME, BACKSLASH_NAME])
    # JSON keeps the exact data.
    events = [json.loads(line) for line in (d / "events.jsonl").read_text().splitlines()]
    paths = {e["file"]["path"] for e in events if e["type"].startswith("file.") and "path" in e["file"]}
    assert str(work / RLO_NAME) in paths and str(work / BACKSLASH_NAME) in paths

    text_forms = ("rlo\\u202egpj.exe", "lit\\\\x1b")
    report_text = run("report", "--format", "text", str(d))
    assert report_text.returncode == 0, report_text.stderr
    outputs = {
        "timeline": (p.stderr.encode(), text_forms),
        "process-tree.txt": ((d / "process-tree.txt").read_bytes(), text_forms),
        "report --format text": (report_text.stdout.encode(), text_forms),
        # Markdown: rendered, the backslash escape reads "\\" as in the text outputs.
        "summary.md": ((d / "summary.md").read_bytes(), ("rlo\\u202egpj.exe", "lit\\\\\\\\x1b")),
        "report.html": ((d / "report.html").read_bytes(),
                        ('rlo<span class="esc">\\u202e</span>gpj.exe',
                         'lit<span class="esc">\\\\</span>x1b')),
    }
    for where, (data, (rlo_form, bs_form)) in outputs.items():
        assert RLO_BYTES not in data, where
        assert_shown_escaped(data.decode(), rlo_form, bs_form, where)
    assert verify(d).returncode == 0


def test_every_invisible_character_class_is_escaped(tmp_path):
    """Every control, format, separator and non-ASCII space character Unicode defines."""
    import unicodedata
    hidden = [chr(c) for c in range(1, 0x110000)
              if not 0xd800 <= c <= 0xdfff and c != 0x20 and c != 0x0a
              and unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Zs")]
    assert "\u202e" in hidden and "\u200b" in hidden and "\x9b" in hidden
    name = "/tmp/x" + "".join(hidden)
    evs = synthetic_events()
    evs[1]["file"]["path"] = name
    src = tmp_path / "trace.jsonl"
    src.write_text("".join(json.dumps(e) + "\n" for e in evs))
    assert run("report", str(src)).returncode == 0
    text = run("report", "--format", "text", str(src)).stdout
    for where, data in (("text", text), ("summary.md", (tmp_path / "summary.md").read_text()),
                        ("report.html", (tmp_path / "report.html").read_text())):
        raw = [hex(ord(c)) for c in hidden if c in data]
        assert raw == [], where


def test_verify_escapes_bidi_characters_in_names(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    (d / RLO_NAME).write_text("")
    r = subprocess.run([PROCSCOPE, "verify", str(d)], capture_output=True, timeout=60)
    assert r.returncode == 1
    assert RLO_BYTES not in r.stdout
    assert b"rlo\\u202egpj.exe: not part of the bundle" in r.stdout


def test_verify_escapes_the_stop_reason(bundle, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(bundle[0], d)
    # Claiming less than the capture holds cannot be disproved: it is shown, escaped.
    relabel(d, complete=False, stop_reason="\x1b[2J\u202eSIGINT")
    r = subprocess.run([PROCSCOPE, "verify", str(d)], capture_output=True, timeout=60)
    assert r.returncode == 2, r.stdout
    assert b"\x1b" not in r.stdout and RLO_BYTES not in r.stdout
    assert b"stopped early: \\x1b[2J\\u202eSIGINT" in r.stdout


def test_pseudo_devices_are_not_changes(tmp_path):
    # Writing to /dev/null or a terminal is output, not a change to the machine.
    d = tmp_path / "b"
    out = tmp_path / "real.txt"
    proc = subprocess.run([PROCSCOPE, "-q", "--bundle", str(d), "--", "sh", "-c",
                           f"echo x > /dev/null; echo y > /dev/zero; echo z > {out}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    summary = (d / "summary.md").read_text()
    changed = summary.split("### Changed outside")[1].split("###")[0]
    assert "/real.txt | file.open 1" in changed
    assert "/dev/null" not in changed and "/dev/zero" not in changed
    read = summary.split("### Read or looked up outside")[1].split("###")[0]
    assert "/dev/null" in read
