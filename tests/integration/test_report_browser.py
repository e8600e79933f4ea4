# report.html as a person sees it: rendered by headless Chromium with the
# network off, the process tree and the timeline must be there, hostile
# strings from the traced program must stay text, and no script may fail.
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import PROCSCOPE, ROOT, need_root

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
    assert re.search(r'<svg[^>]* id="timeline"', dom)
    assert len(re.findall(r'<rect class="bar', dom)) == nproc
    for p in tree["processes"]:
        assert f'data-key="{p["key"]}"' in dom
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
