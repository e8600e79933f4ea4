# The command line: every mistake gets one sentence on stderr and a
# documented exit code, and what the shell would run is what procscope runs.
import os
import subprocess
import time

import pytest

from conftest import PROCSCOPE, load_jsonl, parse_events, run_trace

HELP = " (see procscope --help)\n"


def run(args, **kw):
    return subprocess.run([PROCSCOPE, *args], capture_output=True, timeout=60, **kw)


@pytest.mark.parametrize("args,sentence", [
    (["-x"], "option -x is unknown"),
    (["-qx", "--", "true"], "option -x is unknown"),
    ([b"-\xee"], "option -\\xee is unknown"),
    (["-o"], "option -o needs a value"),
    (["-qo"], "option -o needs a value"),
    (["--output"], "option --output needs a value"),
    (["-p"], "option -p needs a value"),
    (["--pid"], "option --pid needs a value"),
    (["--bogus", "--", "true"], "option --bogus is unknown"),
    (["--json=1", "--", "true"], "option --json takes no value"),
    (["--max", "3", "--", "true"], "option --max is ambiguous: write its whole name"),
    (["-o", "--", "true"], "option -o needs a value"),
])
def test_option_errors(tmp_path, args, sentence):
    proc = run(args, cwd=tmp_path)
    assert proc.returncode == 64
    assert proc.stderr.decode() == "procscope: " + sentence + HELP
    assert os.listdir(tmp_path) == []  # "-o --" made no file named "--"


@pytest.mark.parametrize("value", ["nan", "-nan", "inf", "infinity", "-1", "0", "0.0001",
                                   "1e3", "0x10", " 5", "31536001"])
def test_timeout_takes_sane_seconds_only(value):
    proc = run(["--timeout", value, "--", "true"])
    assert proc.returncode == 64
    assert proc.stderr.decode() == ("procscope: --timeout takes a number of seconds from 0.001 "
                                    f"to 31536000 (a year), not '{value}'" + HELP)


def kernel_thread():
    """A kernel thread's PID (PF_KTHREAD in /proc/PID/stat's flags)."""
    for name in sorted(os.listdir("/proc"), key=lambda n: (len(n), n)):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[6]) & 0x00200000:
            return int(name)
    pytest.skip("no kernel thread is visible in this PID namespace")


def test_attach_to_a_kernel_thread(root):
    pid = kernel_thread()
    proc = run(["-p", str(pid)])
    assert proc.returncode == 64
    assert proc.stderr.decode() == (f"procscope: PID {pid} is a kernel thread: it makes no "
                                    "system calls procscope could trace\n")


def test_attach_to_a_zombie(root):
    zombie = subprocess.Popen(["true"])
    try:
        # Exited, not reaped: Popen reaps only when asked.
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(f"/proc/{zombie.pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            time.sleep(0.01)
        proc = run(["-p", str(zombie.pid)])
    finally:
        zombie.wait()
    assert proc.returncode == 66
    assert proc.stderr.decode() == (f"procscope: PID {zombie.pid} has exited and not yet been "
                                    "reaped (a zombie): there is nothing left to trace\n")


def test_attach_to_itself(root):
    # exec keeps the shell's PID: procscope is handed its own.
    proc = subprocess.run(["sh", "-c", f'echo $$; exec "{PROCSCOPE}" -p $$'],
                          capture_output=True, text=True, timeout=60)
    pid = int(proc.stdout)
    assert proc.returncode == 64
    assert proc.stderr == (f"procscope: PID {pid} is procscope itself: it cannot trace its own "
                           "system calls\n")


def test_attached_to_its_shell_it_leaves_itself_out(tmp_path, root):
    out = tmp_path / "shell.jsonl"
    proc = subprocess.run(["sh", "-c", f'"{PROCSCOPE}" -q -o {out} -p $$ --timeout 1.5'],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 124, proc.stderr
    ev = load_jsonl(out)
    assert [e for e in ev if e.get("comm") == "procscope"] == []
    assert "is procscope itself: it cannot trace its own system calls" in proc.stderr


def test_json_and_output_write_both(tmp_path, root):
    out = tmp_path / "both.jsonl"
    proc = subprocess.run([PROCSCOPE, "-q", "--json", "-o", str(out), "--", "echo", "hello"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines == out.read_text().splitlines()
    events = parse_events(lines, "stdout")
    assert events[-1]["type"] == "stats"
    assert any(e["type"] == "process.exec" and e["process"]["args"] == ["echo", "hello"]
               for e in events)
    assert "hello" in proc.stderr  # the command's stdout keeps out of the JSON


def test_empty_command_name_is_not_found(tmp_path, root):
    t = run_trace(tmp_path, [""])
    assert t.returncode == 127
    assert "procscope: cannot run '': No such file or directory (command not found)\n" in t.stderr


def test_directory_is_not_executable(tmp_path, root):
    t = run_trace(tmp_path, [str(tmp_path)])
    assert t.returncode == 126
    assert f"procscope: cannot run '{tmp_path}': Is a directory\n" in t.stderr
    assert t.of_type("process.exec")[0]["error"] == "EACCES"


def test_non_executable_file(tmp_path, root):
    script = tmp_path / "script"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o644)
    t = run_trace(tmp_path, [str(script)])
    assert t.returncode == 126
    assert f"procscope: cannot run '{script}': Permission denied\n" in t.stderr


def test_path_search_is_the_shells(tmp_path, root):
    bin1, bin2 = tmp_path / "bin1", tmp_path / "bin2"
    bin1.mkdir()
    bin2.mkdir()
    (bin1 / "tool").mkdir()            # a directory named like the command is skipped
    (bin2 / "tool").write_text("#!/bin/sh\nexit 9\n")
    env = dict(os.environ, PATH=f"{bin1}:{bin2}:/usr/bin:/bin")
    (bin2 / "tool").chmod(0o644)
    t = run_trace(tmp_path, ["tool"], env=env)
    assert t.returncode == 126  # found, not executable
    (bin2 / "tool").chmod(0o755)
    assert run_trace(tmp_path, ["tool"], env=env).returncode == 9
    (bin2 / "tool").unlink()
    t = run_trace(tmp_path, ["tool"], env=env)
    assert t.returncode == 127
    assert "procscope: cannot run 'tool': No such file or directory (command not found)\n" in t.stderr


@pytest.mark.parametrize("word,sub", [("verfy", "verify"), ("doctr", "doctor"),
                                      ("reprot", "report"), ("Verify", "verify")])
def test_misspelt_subcommand(tmp_path, word, sub):
    proc = run([word, str(tmp_path)], env=dict(os.environ, PATH="/usr/bin:/bin"))
    assert proc.returncode == 64
    assert proc.stderr.decode() == f"procscope: '{word}' is not a command; did you mean 'procscope {sub}'?\n"


def test_a_program_named_like_a_slip_still_runs(tmp_path, root):
    (tmp_path / "verfy").write_text("#!/bin/sh\nexit 5\n")
    (tmp_path / "verfy").chmod(0o755)
    env = dict(os.environ, PATH=f"{tmp_path}:/usr/bin:/bin")
    assert run(["verfy"], env=env).returncode == 5
    # A path is a program, never a slip.
    proc = run(["./verfy"], cwd=tmp_path)
    assert proc.returncode == 5
