# The tool a Debian user expects: the manual page, shell completions,
# `make install` and a .deb built from this tree, each checked for real.
import os
import re
import shutil
import subprocess

import pytest

from conftest import PROCSCOPE, ROOT


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def long_options():
    opts = re.findall(r'\{ "([a-z-]+)", (?:no|required)_argument', read("src", "cmd", "cli.c"))
    assert len(opts) > 15
    return opts


def rendered_man(tmp_path):
    page = tmp_path / "procscope.1"
    page.write_text(read("man", "procscope.1.in").replace("@VERSION@", "test").replace("@DATE@", "2026-01-01"))
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    res = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True, text=True, env=env,
                         timeout=60)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    return res.stdout


def test_man_page_renders_cleanly_with_every_option_and_exit_code(tmp_path):
    text = rendered_man(tmp_path)
    for opt in long_options():
        assert re.search(rf"--{re.escape(opt)}\b", text), f"the manual page does not document --{opt}"
    codes = re.findall(r"#define PS_EXIT_\w+\s+(\d+)", read("src", "common", "exitcodes.h"))
    section = text.split("EXIT STATUS", 1)[1].split("ENVIRONMENT", 1)[0]
    for code in codes:
        assert re.search(rf"^\s+({code}\b|\d+, {code}\b)", section, re.M), f"exit code {code} is not in the manual"
    flat = re.sub(r"\s+", " ", text)
    for cmd in ("doctor", "verify", "report", "rules check", "rules list"):
        assert f"procscope {cmd}" in flat


def test_completions_know_every_option(tmp_path):
    bash, zsh = read("completions", "procscope.bash"), read("completions", "_procscope")
    for opt in long_options():
        assert f"--{opt}" in bash, f"bash completion lacks --{opt}"
        assert f"--{opt}" in zsh, f"zsh completion lacks --{opt}"
    subprocess.run(["zsh", "-n", os.path.join(ROOT, "completions", "_procscope")], check=True)


def bash_complete(line):
    """What the bash completion offers for `line` (the cursor at its end)."""
    words = line.split(" ")
    script = (f"source /usr/share/bash-completion/bash_completion; "
              f"source {os.path.join(ROOT, 'completions', 'procscope.bash')}; "
              f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
              f"COMP_LINE={line!r}; COMP_POINT={len(line)}; _procscope; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    res = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30,
                         env=dict(os.environ, PATH=os.path.dirname(PROCSCOPE) + ":" + os.environ["PATH"]))
    assert res.returncode == 0, res.stderr
    return sorted(res.stdout.split())


def test_bash_completion_offers_options_subcommands_and_event_names():
    assert bash_complete("procscope --time") == ["--timeline", "--timeout"]
    assert "verify" in bash_complete("procscope ver")
    assert bash_complete("procscope --color a") == ["always", "auto"]
    assert bash_complete("procscope -e net,file.o") == ["net,file.open"]
    assert bash_complete("procscope report x --format h") == ["html"]


def test_make_install_honours_prefix_and_destdir(tmp_path):
    dest = tmp_path / "root"
    build = os.path.dirname(PROCSCOPE)
    res = subprocess.run(["make", "-s", "-C", ROOT, "install", f"BUILD={build}", f"DESTDIR={dest}",
                          "PREFIX=/opt/ps"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    base = dest / "opt" / "ps"
    for rel, mode in (("bin/procscope", 0o755), ("share/man/man1/procscope.1", 0o644),
                      ("share/bash-completion/completions/procscope", 0o644),
                      ("share/zsh/site-functions/_procscope", 0o644),
                      ("share/doc/procscope/README.md", 0o644)):
        st = os.stat(base / rel)
        assert st.st_mode & 0o7777 == mode, rel
    out = subprocess.run([str(base / "bin" / "procscope"), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("procscope "), out
    assert ".TH PROCSCOPE 1" in (base / "share/man/man1/procscope.1").read_text()
    res = subprocess.run(["make", "-s", "-C", ROOT, "uninstall", f"BUILD={build}", f"DESTDIR={dest}",
                          "PREFIX=/opt/ps"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and not os.path.exists(base / "bin" / "procscope"), res.stderr


def source_tree(dst):
    """This tree's files, as a clean checkout would have them (no build output)."""
    files = subprocess.run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard"], capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for rel in filter(None, files):
        src = os.path.join(ROOT, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.join(dst, os.path.dirname(rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, rel))


def test_deb_builds_passes_lintian_installs_and_runs(root, tmp_path):
    if shutil.which("dpkg-buildpackage") is None or shutil.which("lintian") is None:
        pytest.skip("dpkg-dev and lintian are not installed (make deps installs them)")
    tree = tmp_path / "procscope"
    source_tree(tree)
    res = subprocess.run(["dpkg-buildpackage", "-us", "-uc"], cwd=tree, capture_output=True, text=True,
                         timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    version = re.match(r"procscope \(([^)]+)\)", read("debian", "changelog")).group(1)
    deb = tmp_path / f"procscope_{version}_amd64.deb"
    assert deb.exists(), os.listdir(tmp_path)
    lint = subprocess.run(["lintian", "--fail-on", "error", str(tmp_path / f"procscope_{version}_amd64.changes")],
                          capture_output=True, text=True, timeout=600)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert not re.search(r"^E: ", lint.stdout, re.M), lint.stdout
    contents = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./usr/bin/procscope", "./usr/share/man/man1/procscope.1.gz",
                 "./usr/share/bash-completion/completions/procscope",
                 "./usr/share/zsh/vendor-completions/_procscope", "./usr/share/doc/procscope/copyright"):
        assert path in contents, path
    # The package sets no capabilities; installing it runs nothing of ours.
    assert not (tree / "debian" / "postinst").exists()
    subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, check=True, timeout=300)
    try:
        out = subprocess.run(["/usr/bin/procscope", "--version"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0 and out.stdout.startswith(f"procscope {version} "), out
        assert subprocess.run(["getcap", "/usr/bin/procscope"], capture_output=True, text=True).stdout == ""
        assert subprocess.run(["man", "-w", "procscope"], capture_output=True, text=True).stdout.strip() \
            == "/usr/share/man/man1/procscope.1.gz"
    finally:
        subprocess.run(["dpkg", "-r", "procscope"], capture_output=True, timeout=300)
