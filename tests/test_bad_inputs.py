"""The bad-input corpus (tests/bad_inputs/*.yaml): each defect gets its exact outcome."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import FIXTURE, HERE

from polcat.validate import validate

CASES = sorted((HERE / "bad_inputs").glob("*.yaml"))
CANARY = "mechanisms/zz/canary.yaml"
CANARY_TEXT = (
    "id: canary\nstatus: draft\nname: {zh: 金丝雀}\nkind: number-code\nsources:\n  - {source: simp, quote: 三定}\n"
)
MEMORY_LIMIT = 1 << 30


def build(case: dict, tmp_path: Path, *, canary: bool) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(FIXTURE, root)
    for rel in case.get("remove", []):
        (root / rel).unlink()
    for rel, old, new in case.get("edit", []):
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    for spec in case.get("files", []):
        write_file(root / spec["path"], spec)
    if canary:
        write_file(root / CANARY, {"text": CANARY_TEXT})
    return root


def write_file(path: Path, spec: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec.get("directory"):
        path.mkdir()
    elif spec.get("fifo"):
        os.mkfifo(path)
    elif "symlink" in spec:
        path.symlink_to(spec["symlink"])
    elif "size" in spec:
        with open(path, "wb") as fh:
            fh.truncate(spec["size"])
    elif "bytes_hex" in spec:
        path.write_bytes(bytes.fromhex(spec["bytes_hex"]))
    else:
        data = spec["text"].encode(spec.get("encoding", "utf-8"))
        path.write_bytes((b"\xef\xbb\xbf" if spec.get("bom") else b"") + data)
    if "mode" in spec:
        path.chmod(spec["mode"])


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def load_case(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    if any("mode" in spec for spec in case.get("files", [])) and os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode (tests/test_yamlload.py covers the message)")
    return case


def outcome(problems, root: Path, cwd: Path | None = None) -> list[tuple]:
    """(rule, file relative to the catalogue, line); reported paths may be relative to ``cwd``."""
    return sorted((p["rule"], os.path.relpath(os.path.join(cwd or "", p["file"]), root), p["line"]) for p in problems)


def expected(case: dict) -> list[tuple]:
    return sorted((e["rule"], e["file"], e["line"]) for e in case["expect"])


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_as_a_real_process(path, tmp_path):
    case = load_case(path)
    root = build(case, tmp_path, canary=False)
    run = subprocess.run(
        [sys.executable, "-m", "polcat", "--no-cache", "validate", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limit_memory,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.returncode == case["exit"], run.stdout + run.stderr
    assert outcome(json.loads(run.stdout), root, tmp_path) == expected(case)
    for problem in json.loads(run.stdout):
        assert problem["message"] and (problem["line"] is None or problem["line"] >= 1)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_does_not_hide_other_files_errors(path, tmp_path):
    case = load_case(path)
    root = build(case, tmp_path, canary=True)
    result = validate(root)
    got = outcome([p.to_dict() for p in result.problems], root)
    assert ("schema", CANARY, 4) in got
    got.remove(("schema", CANARY, 4))
    if ("quote-in-source", CANARY, 6) in got:  # the canary's quote when its source text was removed/broken
        got.remove(("quote-in-source", CANARY, 6))
    assert got == expected(case)
