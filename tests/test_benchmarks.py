"""The benchmark script runs end to end on a small catalogue (its figures are never
asserted: timing belongs to docs/benchmarks.md, not to tests). It had gone stale once,
importing schema helpers that had been renamed, unnoticed until a benchmark run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from support import REPO


def test_the_benchmark_script_runs_every_row_on_a_small_catalogue(tmp_path):
    out = tmp_path / "results.json"
    peer = shutil.which("check-jsonschema") is not None
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "300", "--runs", "1"]
        + ["--work", str(tmp_path / "work"), "--json", str(out)]
        + ([] if peer else ["--no-peer"]),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = set(json.loads(out.read_text(encoding="utf-8"))["300"])
    for expected in ("polcat list -f json (warm)", "polcat search 三定 (warm)", "polcat validate (cold, every core)"):
        assert expected in rows
    assert any("after editing one file" in label for label in rows)
    assert "stat floor: stat every file" in rows and "floor: parse every file (CSafeLoader)" in rows
    assert ("check-jsonschema (schema only)" in rows) == peer


def test_the_agreement_script_scores_two_curators_and_extract(tmp_path):
    """benchmarks/agreement.py on a second labelling of two reports: one that agrees with the
    corpus and one that names a single extra label; the pair's recall and precision follow."""
    import yaml

    corpus = REPO / "benchmarks" / "corpus"
    first = yaml.safe_load((corpus / "huitong-rural-2025.yaml").read_text(encoding="utf-8"))
    names = [e["name"] for e in first["expected"]]
    (tmp_path / "a.yaml").write_text(
        yaml.safe_dump({"id": first["id"], "expected": [{"name": n} for n in names] + [{"name": "不存在的名字"}]}),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "agreement.py"), "--second", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    row = next(line for line in result.stdout.splitlines() if line.startswith("| second curator against the first"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:] == [str(len(names)), str(len(names) + 1), "100.0%", f"{len(names) / (len(names) + 1):.1%}"]
    assert "| huitong-rural-2025 |" in result.stdout and "不存在的名字" in result.stdout
