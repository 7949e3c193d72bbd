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


def test_a_third_reader_settles_what_two_curators_disagree_on(tmp_path):
    """--write-tasks lists, unattributed, the name only the first curator gave and the one
    only the second gave; --adjudicated scores both curators against the settled list (the
    agreed names and the disputed ones kept), and refuses a disputed name left undecided."""
    import yaml

    corpus = REPO / "benchmarks" / "corpus"
    first = yaml.safe_load((corpus / "huitong-rural-2025.yaml").read_text(encoding="utf-8"))
    names = [e["name"] for e in first["expected"]]
    second, decisions = tmp_path / "second", tmp_path / "decisions"
    second.mkdir()
    decisions.mkdir()
    (second / "a.yaml").write_text(
        yaml.safe_dump({"id": first["id"], "expected": [{"name": n} for n in names[1:]] + [{"name": "不存在的名字"}]}),
        encoding="utf-8",
    )
    script = [sys.executable, str(REPO / "benchmarks" / "agreement.py"), "--second", str(second)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*script, *args], capture_output=True, text=True, timeout=300)

    assert run("--write-tasks", str(tmp_path / "tasks")).returncode == 0
    task = yaml.safe_load((tmp_path / "tasks" / "tasks" / f"{first['id']}.yaml").read_text(encoding="utf-8"))
    assert sorted(task["disputed"]) == sorted([names[0], "不存在的名字"]) and task["agreed"] == names[1:]
    assert (tmp_path / "tasks" / "texts" / f"{first['id']}.txt").is_file()

    nothing = run("--adjudicated", "--decisions", str(decisions))
    assert nothing.returncode != 0 and "no report of this split has a third reader's decisions" in nothing.stderr
    (decisions / "a.yaml").write_text(
        yaml.safe_dump({"id": first["id"], "decisions": [{"label": names[0], "include": True}]}), encoding="utf-8"
    )
    missing = run("--adjudicated", "--decisions", str(decisions))
    assert missing.returncode != 0 and "1 disputed names have no decision" in missing.stderr
    (decisions / "a.yaml").write_text(
        yaml.safe_dump(
            {
                "id": first["id"],
                "decisions": [{"label": names[0], "include": True}, {"label": "不存在的名字", "include": False}],
            }
        ),
        encoding="utf-8",
    )
    settled = run("--adjudicated", "--decisions", str(decisions))
    assert settled.returncode == 0, settled.stderr[-2000:]
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.strip("|").split("|")]
        for line in settled.stdout.splitlines()
        if line.startswith("| ")
    }
    n = len(names)
    assert rows["first curator against the settled list"][1:] == [str(n), str(n), "100.0%", "100.0%"]
    assert rows["second curator against the settled list"][1:] == [
        str(n),
        str(n),
        f"{(n - 1) / n:.1%}",
        f"{(n - 1) / n:.1%}",
    ]
    assert "2 disputed names, 1 kept" in settled.stdout


def test_the_quality_script_gives_the_names_within_reach_and_recall_without_borderline_names(tmp_path):
    """Below its table, extract_quality.py counts the names some label extract weighs could
    name (here only the quoted 三定, not the two plain phrases) and recall when the names a
    curator's note calls borderline are optional (三定 of 三定 and 乡贤调解)."""
    import yaml

    (tmp_path / "t-dispute-2020.txt").write_text(
        "某县建立“三定”机制，干部定责、组织定位、群众定效。同时开展村民议事会和乡贤调解，效果良好。\n", encoding="utf-8"
    )
    meta = {
        "id": "t-dispute-2020",
        "url": "https://example.org/t",
        "place": "赤水市",
        "adcode": "520381",
        "province": "贵州省",
        "field": "dispute-resolution",
        "script": "Hans",
        "quotes": ["“”"],
        "split": "dev",
        "expected": [{"name": "三定"}, {"name": "村民议事会", "note": "borderline; unquoted"}, {"name": "乡贤调解"}],
    }
    (tmp_path / "t-dispute-2020.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    script = str(REPO / "benchmarks" / "extract_quality.py")
    result = subprocess.run(
        [sys.executable, script, "--corpus", str(tmp_path), "--seeds", str(tmp_path / "no-seeds")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Within reach: 1 of 3 names (33.3%)" in result.stdout
    assert "Borderline names optional: recall 50.0% (1 of the 2 names" in result.stdout
