"""The README's console examples are run and compared with their real output, so the
README stays true. In an expected output, a line "…" stands for any number of lines, and
a line ending in "…" for any line starting with the text before it.

Examples run in a temporary folder holding a copy of the shipped catalogue (found as
the nearest catalogue/), with polcat on PATH; one that needs a tool this machine lacks
(jq, sqlite3, dot) is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

TOOLS = ("jq", "sqlite3", "dot")


def examples() -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected output lines) for every `$ ` line of a console block."""
    out: list[tuple[int, str, list[str]]] = []
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    inside = False
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            inside = line.strip() == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            out.append((number, line[2:], []))
        elif out and out[-1][0] < number:
            out[-1][2].append(line)
    for _, _, expected in out:  # a blank line separates two commands of one block
        while expected and not expected[-1].strip():
            expected.pop()
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; "…" matches any run of lines, "text…" any line starting with text."""
    pattern = ""
    for line in expected:
        if line.strip() == "…":
            pattern += r"(?:[^\n]*\n)*?"
        elif line.endswith("…"):
            pattern += re.escape(line[:-1].rstrip()) + r"[^\n]*\n"
        else:
            pattern += re.escape(line.rstrip()) + r"\n"
    text = "".join(line.rstrip() + "\n" for line in actual)
    return re.fullmatch(pattern, text) is not None


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "catalogue", folder / "catalogue")
    return folder


@pytest.mark.parametrize("number, command, expected", examples(), ids=[f"line{n}" for n, _, _ in examples()])
def test_readme_example(workdir, number, command, expected):
    needed = [tool for tool in TOOLS if re.search(rf"(^|[|&;]\s*){tool}\b", command) and not shutil.which(tool)]
    if needed:
        pytest.skip(f"needs {', '.join(needed)}, not installed here")
    env = {**os.environ, "NO_COLOR": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("POLCAT_CATALOGUE", None)
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.split("  #")[0]],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Commands that write files say so on stderr, and `show` of an ambiguous name lists the ids there.
    shown = (
        (done.stdout + done.stderr).splitlines()
        if not done.stdout.strip() or " -o " in command
        else done.stdout.splitlines()
    )
    assert done.returncode in (0, 1, 141), f"line {number}: {command}\n{done.stderr}"
    assert matches(expected, shown), (
        f"README line {number}: {command}\n--- expected\n" + "\n".join(expected) + "\n--- actual\n" + "\n".join(shown)
    )
