# The documentation stays in step with the code: every event type has its
# section and example in docs/schema.md, every option is in the README, and
# every exit code procscope defines is documented.
import json
import os
import re

from conftest import ROOT


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def event_types():
    types = set(re.findall(r'"((?:file|net|priv|ns|mount|proc|kernel|process)\.[a-z_]+)"',
                           read("src", "event", "syscalls.c")))
    return types | {"process.exec", "process.fork", "process.exit"}


def test_every_type_has_a_schema_section_and_a_valid_example():
    schema = read("docs", "schema.md")
    for t in sorted(event_types()):
        m = re.search(r"### `" + re.escape(t) + r"`[^\n]*\n(.*?)```json\n(.*?)\n```", schema, re.S)
        assert m, f"docs/schema.md has no section with an example for {t}"
        example = json.loads(m.group(2))
        assert example["type"] == t and example["schema"] == 1


def test_every_long_option_is_in_the_readme():
    readme = read("README.md")
    options = re.findall(r'\{ "([a-z-]+)", (?:no|required)_argument', read("src", "cmd", "cli.c"))
    assert len(options) > 15
    for opt in options:
        assert f"--{opt}" in readme, f"README does not document --{opt}"


def test_every_exit_code_is_in_the_readme():
    readme = read("README.md")
    codes = re.findall(r"#define PS_EXIT_\w+\s+(\d+)", read("src", "common", "exitcodes.h"))
    for code in codes:
        assert re.search(r"^\| (\d+, )?" + code + r"\b", readme, re.M), f"exit code {code} is not in the README"


def test_every_metric_is_documented():
    doc = read("docs", "log-pipelines.md")
    metrics = set(re.findall(r'family\(f, "(procscope_[a-z_]+)"', read("src", "output", "metrics.c")))
    assert len(metrics) > 8
    for m in metrics:
        assert f"`{m}`" in doc, f"docs/log-pipelines.md does not document {m}"


def test_every_stats_counter_is_a_metric():
    """The stats record's counters and the metrics' reasons are the same set."""
    catalog = read("src", "event", "catalog.c")
    counters = re.search(r"OBJECT\(o_counters,(.*?)\);", catalog, re.S).group(1)
    names = set(re.findall(r'F\("([a-z_]+)"', counters))
    reasons = set(re.findall(r'\{ (?:PS_CNT_[A-Z_]+|-1), "([a-z_]+)" \}', read("src", "output", "metrics.c")))
    reasons.add("read_failed")  # a metric of its own
    assert names == reasons
    doc = read("docs", "log-pipelines.md")
    for n in names:
        assert f"`{n}`" in doc, f"docs/log-pipelines.md does not name the counter {n}"


def test_every_hook_and_attribute_is_in_the_rules_doc():
    """docs/rules.md's hook table names every hook and every event attribute it accepts."""
    import subprocess
    from conftest import PROCSCOPE

    doc = read("docs", "rules.md")
    out = subprocess.run([PROCSCOPE, "rules", "list", "--hooks"], capture_output=True, text=True, check=True).stdout
    rows = [l for l in out.splitlines()[2:] if l.strip()]
    assert len(rows) == 22
    for line in rows:
        hook, rest = line.split(None, 1)
        row = re.search(r"^\| `" + re.escape(hook) + r"`.*$", doc, re.M)
        assert row, f"docs/rules.md has no row for hook {hook}"
        for attr in re.findall(r"\b([a-z_]+[0-9]*)\b", rest.split(";")[0]):
            if attr in ("scope", "only", "arg0", "arg31"):
                continue
            assert f"`{attr}`" in row.group(0), f"docs/rules.md: hook {hook} does not list {attr}"


def test_every_default_rule_is_listed_by_rules_list():
    import subprocess
    from conftest import PROCSCOPE

    policy = read("rules", "default.yaml")
    out = subprocess.run([PROCSCOPE, "rules", "list"], capture_output=True, text=True, check=True).stdout
    names = re.findall(r"^    - rule: (\w+)$", policy, re.M)
    assert len(names) >= 25
    for n in names:
        assert f"  rule {n} [" in out
