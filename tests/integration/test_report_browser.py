# report.html as a person sees it: rendered by headless Chromium with the
# network off, the process tree and the activity strip must be there, hostile
# strings from the traced program must stay text, and no script may fail; at
# scale (2,000 processes, 100,000 events from a real run) the page must stay
# bounded, show the busiest process in the first screen, fit the viewport,
# and filter and zoom without leaving gaps.
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import PROCSCOPE, ROOT, fixture, need_root

HOSTILE = "</script><img src=x onerror=alert(1)>"
ARTIFACTS = os.path.join(ROOT, "build", "test-artifacts")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    print("SKIP reason: chromium is not installed (Debian: apt-get install chromium)")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def browse(tmp_path, html, *extra):
    args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--user-data-dir=" + str(tmp_path / "profile"),
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", *extra,
            "file://" + str(html)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    need_root()
    d = tmp_path_factory.mktemp("browser") / "b"
    p = subprocess.run([PROCSCOPE, "-q", "--bundle", str(d), "--", "sh", "-c",
                        'cat /etc/hostname >/dev/null; ls "$0" 2>/dev/null; true', HOSTILE],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return d


def console_errors(stderr):
    bad = []
    for line in stderr.splitlines():
        if ("CONSOLE" in line and ("ERROR" in line or "Uncaught" in line)) or "Uncaught" in line \
                or "Refused to" in line or "Content Security Policy" in line:
            bad.append(line)
    return bad


def test_rendered_dom(bundle, tmp_path):
    r = browse(tmp_path, bundle / "report.html", "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    tree = json.loads((bundle / "process-tree.json").read_text())
    nproc = len(tree["processes"])
    assert nproc >= 3
    # The page's script ran (its CSP hash matched) and raised nothing.
    assert re.search(r'<html[^>]* data-ready="1"', dom), dom[:500]
    assert not re.search(r"<html[^>]* data-js-error", dom)
    assert console_errors(r.stderr) == [], console_errors(r.stderr)
    assert 'id="process-tree"' in dom
    assert re.search(r'<svg[^>]* id="strip"', dom)
    # Each process in its program's group and in the tree.
    for p in tree["processes"]:
        assert dom.count(f'data-key="{p["key"]}"') >= 2, p["key"]
    groups = re.findall(r'<details class="group"', dom)
    assert 1 <= len(groups) <= nproc
    # The hostile argument is text, never an element.
    assert "<img" not in dom
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in dom


def test_screenshot(bundle, tmp_path):
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = os.path.join(ARTIFACTS, "report.png")
    if os.path.exists(shot):
        os.unlink(shot)
    r = browse(tmp_path, bundle / "report.html", "--hide-scrollbars", "--window-size=1300,1600",
               "--screenshot=" + shot)
    assert r.returncode == 0, r.stderr[-2000:]
    with open(shot, "rb") as f:
        head = f.read(8)
    assert head == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(shot) > 20000, "a blank page would be tiny"
    assert console_errors(r.stderr) == []


# At scale: a real run of 2,000 processes, one of which makes most of the events.
SWARM_PROCS = 2000
SWARM_BUSY = 95000


def selftest(tmp_path, html, size=(1280, 1000)):
    r = browse(tmp_path, str(html) + "?selftest", "--dump-dom",
               f"--window-size={size[0]},{size[1]}")
    assert r.returncode == 0, r.stderr[-2000:]
    assert re.search(r'<html[^>]* data-ready="1"', r.stdout), r.stdout[:500]
    assert not re.search(r"<html[^>]* data-js-error", r.stdout)
    assert console_errors(r.stderr) == [], console_errors(r.stderr)
    m = re.search(r'data-selftest="([^"]*)"', r.stdout)
    assert m, r.stdout[:500]
    return dict(kv.split("=", 1) for kv in m.group(1).split(";")), r.stdout


@pytest.fixture(scope="module")
def swarm(tmp_path_factory):
    need_root()
    base = tmp_path_factory.mktemp("swarm")
    target = base / "target"
    target.write_text("x")
    d = base / "b"
    # No rules: a checkout under /tmp would make the swarm's exec a finding, listed above all.
    p = subprocess.run([PROCSCOPE, "-q", "--no-default-rules", "--bundle", str(d), "--", fixture("swarm"),
                        str(SWARM_PROCS), str(SWARM_BUSY), str(target)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    busy_pid = int(re.search(r"busy pid (\d+)", p.stdout).group(1))
    out = base / "report"
    t0 = time.monotonic()
    r = subprocess.run([PROCSCOPE, "report", str(d), "-o", str(out)], capture_output=True,
                       text=True, timeout=120)
    took = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    print(f"report of {d}: {took:.2f} s, report.html {os.path.getsize(out / 'report.html')} bytes")
    return d, out, busy_pid


def test_report_at_scale(swarm, tmp_path):
    d, out, busy_pid = swarm
    with open(d / "events.jsonl") as f:
        nevents = sum(1 for _ in f)
    tree = json.loads((d / "process-tree.json").read_text())
    assert nevents >= 100000
    assert len(tree["processes"]) == SWARM_PROCS + 1
    busiest = max(tree["processes"], key=lambda p: p["events"])
    assert busiest["pid"] == busy_pid and busiest["events"] >= SWARM_BUSY
    html = (out / "report.html").read_text()
    # Aggregates, not events: the page stays small.
    assert len(html) < 3 * 1024 * 1024, len(html)
    assert html.count("<script") == 1
    res, dom = selftest(tmp_path, out / "report.html")
    assert res["wide"] == "0", res
    assert int(res["scroll_width"]) <= int(res["viewport"].split("x")[0]), res
    assert res["busiest_key"] == busiest["key"], res
    assert res["busiest_visible"] == "1", res
    # Filtering on the busy process's key: its rows (busiest table, its program's
    # group, the tree), one group left, and no hidden row leaves a gap.
    assert res["filter_busiest_shown"] == "1", res
    assert res["filter_groups"] == "1", res
    assert int(res["filter_rows"]) >= 3, res
    assert int(res["zoom_rows"]) > 0 and res["zoom_bad"] == "0", res
    assert res["gaps"] == "0", res
    # Grouped by program, busiest first: the fixture, /bin/true.
    progs = re.findall(r'<details class="group"[^>]*><summary><span class="prog">([^<]*)</span>',
                       dom)
    assert progs[0] == fixture("swarm") and "/bin/true" in progs, progs[:5]
    assert len(progs) == 2, progs
    # The credentials change reads as what changed.
    assert "uid 0 \u2192 65534, euid 0 \u2192 65534" in dom
    assert "cap_effective, cap_permitted -CAP_CHOWN" in dom
    assert '{"uid":' not in dom


def test_screenshot_at_scale(swarm, tmp_path):
    _, out, _ = swarm
    shot = out / "report.png"
    r = browse(tmp_path, out / "report.html", "--hide-scrollbars", "--window-size=1280,1000",
               "--screenshot=" + str(shot))
    assert r.returncode == 0, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20000
    assert console_errors(r.stderr) == []
    os.makedirs(ARTIFACTS, exist_ok=True)
    shutil.copy(shot, os.path.join(ARTIFACTS, "report-scale.png"))
    print(f"screenshot: {shot}")
