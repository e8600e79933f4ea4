# The machine-readable schema (docs/procscope.schema.json) is what the field
# catalog generates, agrees with docs/schema.md, and refuses what procscope
# does not write.  (Every record the other tests produce is checked against
# it in conftest.load_jsonl.)
import copy
import json
import os
import re
import subprocess

import jsonschema
import pytest

from conftest import GEN_SCHEMA, ROOT, SCHEMA, SCHEMA_FILE, check_event

DOC = open(os.path.join(ROOT, "docs", "schema.md"), encoding="utf-8").read()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
TYPES = SCHEMA["properties"]["type"]["enum"]
COMMON = {"schema", "seq", "time", "ts_ns", "type"}


def examples():
    return [json.loads(m) for m in re.findall(r"```json\n(.*?)\n```", DOC, re.S)]


def example(type_):
    return copy.deepcopy(next(e for e in examples() if e["type"] == type_))


def valid(e):
    return VALIDATOR.is_valid(e)


def test_the_committed_schema_is_what_the_catalog_generates():
    res = subprocess.run([GEN_SCHEMA], capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    with open(SCHEMA_FILE, encoding="utf-8") as f:
        committed = f.read()
    assert res.stdout == committed, "docs/procscope.schema.json is stale: run make schema"


def test_the_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_type_documented_has_a_definition_and_every_definition_is_documented():
    documented = set(re.findall(r"^### `([a-z_]+\.[a-z_]+)`", DOC, re.M))
    assert "## The stats record" in DOC and "## The run header" in DOC
    documented |= {"stats", "run"}
    assert documented == set(TYPES)
    for t in TYPES:
        assert t in SCHEMA["$defs"], t
    shared = set(SCHEMA["$defs"]) - set(TYPES)
    assert not {d for d in shared if "." in d or d in ("stats", "run")}, \
        "a shared definition named like a type"


def props(schema, path=()):
    """Every key path a definition allows (all of its shapes), resolving references."""
    if "$ref" in schema:
        node = SCHEMA
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        yield from props(node, path)
        return
    for sub in schema.get("anyOf", []):
        yield from props(sub, path)
    for key, sub in schema.get("properties", {}).items():
        yield path + (key,)
        yield from props(sub, path + (key,))


def allowed(type_):
    return {".".join(p) for p in props(SCHEMA["$defs"][type_])}


def table(heading):
    """The first column of the table after a heading; in `a.b`, `c` the second is a.c."""
    section = DOC.split(heading, 1)[1]
    rows = re.search(r"(?:^\|.*\n)+", section, re.M).group(0).splitlines()[2:]
    names = []
    for row in rows:
        cells = re.findall(r"`([^`]+)`", row.split("|")[1])
        prefix = cells[0].rsplit(".", 1)[0] + "." if cells and "." in cells[0] else ""
        names += [c if "." in c else prefix + c for c in cells]
    assert names, heading
    return names


def test_every_field_in_the_docs_tables_is_in_the_catalog():
    events = [t for t in TYPES if t not in ("stats", "run")]
    for name in table("## Common fields\n") + table("Optional flags, present only when true:"):
        for t in events:
            assert name in allowed(t), f"{t} has no {name}"
    syscall_events = [t for t in events if "syscall" in allowed(t)]
    assert len(syscall_events) == len(events) - 1  # all but process.exit
    for name in table("Events produced by a syscall add:"):
        for t in syscall_events:
            assert name in allowed(t), f"{t} has no {name}"
    for name in table("## The stats record\n"):
        assert name in allowed("stats"), f"stats has no {name}"
    for name in table("## The run header\n"):
        assert name in allowed("run"), f"run has no {name}"
    for t, fields in re.findall(r"^### `([a-z_.]+)`[^\n]*\n\nFields: ([^\n]*)", DOC, re.M):
        for name in re.findall(r"`([^`]+)`", fields):
            assert name in allowed(t), f"docs/schema.md names {t} {name}, the catalog does not"


def test_every_example_in_the_docs_matches_the_schema():
    found = examples()
    assert {e["type"] for e in found} == set(TYPES)
    for e in found:
        errors = [f"/{'/'.join(map(str, err.absolute_path))}: {err.message}" for err in VALIDATOR.iter_errors(e)]
        assert not errors, (e["type"], errors)


@pytest.mark.parametrize("change, why", [
    (lambda e: e.update(extra=1), "a key no type has"),
    (lambda e: e["file"].update(extra=1), "a key the category object does not declare"),
    (lambda e: e.update(type="file.nope"), "an unknown type"),
    (lambda e: e.pop("parent_key"), "a required common key missing"),
    (lambda e: e.pop("syscall"), "a syscall event without its syscall"),
    (lambda e: e["file"].update(flags=["O_BOGUS"]), "a flag name no table has"),
    (lambda e: e["file"].update(path=5), "a path of the wrong type"),
    (lambda e: e["file"].update(flags_unknown=0), "an unknown-bits key of 0, never written"),
    (lambda e: e.update(notable=False), "a mark written as false"),
    (lambda e: e.update(key="5877"), "a key that is not pid@start"),
    (lambda e: e.update(time="2026-11-23T12:39:37Z"), "a time without nanoseconds"),
    (lambda e: e.update(schema=2), "another schema version"),
])
def test_the_schema_refuses_what_procscope_does_not_write(change, why):
    e = example("file.open")
    assert valid(e)
    change(e)
    assert not valid(e), why


def test_a_type_written_in_several_ways_takes_one_of_them_whole():
    fs = example("mount.fs")
    assert fs["mount"]["command"] == "FSCONFIG_CMD_CREATE" and valid(fs)
    fs["mount"]["fstype"] = "tmpfs"     # fsopen's key in an fsconfig record
    assert not valid(fs)
    ex = example("process.exec")
    assert "syscall" not in ex and valid(ex)
    ex.update(syscall="execve", ret=0)  # a successful exec comes from the scheduler, not a syscall
    assert not valid(ex)
    stats = example("stats")
    assert valid(stats)
    stats["pid"] = 1
    assert not valid(stats)


def test_name_tables_come_from_the_code():
    defs = SCHEMA["$defs"]
    assert len(defs["capabilities"]["enum"]) == 41 and defs["capabilities"]["enum"][0] == "CAP_CHOWN"
    assert "O_PATH" in defs["open_flags"]["enum"] and "O_RDONLY" in defs["open_flags"]["enum"]
    assert {"ENOENT", "ERESTARTSYS"} <= set(defs["errnos"]["enum"])
    assert {"SIGKILL", "SIGRTMIN+30"} <= set(defs["signals"]["enum"])
    assert "F_OK" in defs["access_modes"]["enum"]


def test_a_record_that_does_not_match_fails_naming_it_and_the_key():
    e = example("file.open")
    e["file"]["mode"] = "0644"
    with pytest.raises(AssertionError, match=r"trace line 3: file.open record seq \d+ does not match "
                       r"docs/procscope.schema.json:\n  /file/mode: '0644' is not of type 'integer'"):
        check_event(e, "trace line 3")
    fs = example("mount.fs")
    fs["mount"]["fstype"] = "tmpfs"
    # Of the shapes, the message shows the closest: fsconfig's, one key off.
    with pytest.raises(AssertionError, match=r"\n  /mount: Additional properties are not allowed "
                       r"\('fstype' was unexpected\)\n\{"):
        check_event(fs, "x")
    with pytest.raises(AssertionError, match="record of no type the schema knows"):
        check_event({"type": "file.nope"}, "x")
