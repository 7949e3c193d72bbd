"""Exit codes and filter values mean what the README says: 0 found, 1 nothing found or
problems, 2 usage error (with a did-you-mean), never 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import invoke, write

from polcat import catalogue, locate


def schema_enum(file: str, *path: str) -> tuple:
    node = json.loads((locate.schemas_dir() / file).read_text(encoding="utf-8"))
    for part in path:
        node = node[part]
    return tuple(node["enum"])


def test_the_enumerations_agree_with_the_schemas():
    assert schema_enum("mechanism.schema.json", "properties", "kind") == catalogue.KINDS
    assert schema_enum("mechanism.schema.json", "properties", "status") == catalogue.STATUSES
    assert schema_enum("common.schema.json", "$defs", "level") == catalogue.LEVELS


@pytest.mark.parametrize(
    "option, value, suggestion",
    [
        ("--kind", "bogus", "numeric-code"),
        ("--kind", "modle", "model"),
        ("--level", "planet", "national"),
        ("--level", "countee", "county"),
        ("--status", "bogus", "draft"),
        ("--status", "reviwed", "reviewed"),
    ],
)
@pytest.mark.parametrize("command", ["list", "matrix", "export", "graph"])
def test_unknown_enumerated_values_are_usage_errors(mini, command, option, value, suggestion):
    result = invoke(command, option, value, "-C", str(mini))
    assert result.exit_code == 2, result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith("polcat: unknown ") and f"'{value}'" in line and suggestion in line


@pytest.mark.parametrize(
    "option, value", [("--level", "County"), ("--status", "DRAFT"), ("--kind", "Numeric-Code"), ("--sort", "Name")]
)
def test_enumerated_values_take_any_case(mini, option, value):
    lower = invoke("list", option, value.lower(), "-C", str(mini), "-f", "jsonl")
    result = invoke("list", option, value, "-C", str(mini), "-f", "jsonl")
    assert result.exit_code == lower.exit_code and result.stdout == lower.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--year", "1950"],
        ["list", "--kind", "slogan"],
        ["matrix", "--year", "1950"],
        ["search", "zzzzqqq"],
        ["export", "--year", "1950"],
        ["graph", "--year", "1950"],
        ["list", "--status", "draft", "--since", "2099"],
    ],
)
def test_a_valid_query_that_finds_nothing_exits_1(mini, args):
    result = invoke(*args, "-C", str(mini))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("polcat: ")


def test_a_query_that_finds_something_exits_0(mini):
    for args in (["list"], ["matrix"], ["search", "三定"], ["related", "chishui-sanding"]):
        assert invoke(*args, "-C", str(mini)).exit_code == 0, args


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "args", [["list"], ["list", "-f", "json"], ["show", "chishui-sanding"], ["export", "-f", "csv"]]
)
def test_a_write_that_fails_is_one_line_and_exit_2(mini, args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "polcat", *args, "-C", str(mini)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=60,
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == ["polcat: cannot write the output: No space left on device"]


def test_extract_write_onto_a_file_is_a_clear_error(mini, tmp_path):
    report = write(tmp_path / "r.txt", (mini / "sources/simp.txt").read_text(encoding="utf-8"))
    target = write(tmp_path / "afile", "x")
    result = invoke("extract", str(report), "--write", str(target), "--source", "simp", "-C", str(mini))
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("show", "三定"), ("list", "--locality", "赤水"), ("validate",)],
)
def test_a_terminal_that_cannot_show_chinese_gets_a_hint_not_an_internal_error(mini, args):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "NO_COLOR": "1"}
    env.pop("POLCAT_CATALOGUE", None)
    done = subprocess.run(
        [sys.executable, "-m", "polcat", *args, "-C", str(mini)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    stderr = done.stderr.decode("ascii")  # the hint itself is ASCII, so any terminal shows it
    assert done.returncode == 2
    assert stderr.strip().splitlines() == [
        "polcat: the terminal cannot show Chinese text (encoding ascii): "
        "set PYTHONIOENCODING=utf-8 or a UTF-8 locale (e.g. LANG=C.UTF-8)"
    ]
    assert "internal error" not in stderr and "Traceback" not in stderr
