"""Cold validation in worker processes gives exactly what one process gives.

Differential: generated catalogues (benchmarks/generate.py), some files broken in every
way a rule or the loader reports, validated with --jobs 1 and with workers, cold, with
no cache and partly warm: the same problems in the same order, the same count of files
and the same cache afterwards. (Timing is measured by benchmarks/run.py, never here.)
"""

from __future__ import annotations

import marshal
import shutil
import sys
from pathlib import Path

import pytest
from support import REPO, invoke, write

from polcat import parallel
from polcat.catalogue import load_catalogue
from polcat.problems import Problem
from polcat.validate import run_rules, select_rules, validate

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

ENTRIES = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "cat"
    generate(root, ENTRIES, seed=7)
    return root


@pytest.fixture
def catalogue(generated, tmp_path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(generated, root)
    return root


@pytest.fixture(autouse=True)
def few_files_suffice(monkeypatch):
    """Workers start for a handful of files, and chunks are small, so that tests are quick
    and every chunk boundary case happens."""
    monkeypatch.setattr(parallel, "MIN_FILES", 4)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 7)
    monkeypatch.setattr(parallel, "MIN_SOURCES_TO_FOLD", 3)


def entry(root: Path, number: int) -> Path:
    return next(root.glob(f"mechanisms/*/gen-{number:06d}.yaml"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def break_everything(root: Path) -> None:
    """One or more broken files for each rule and each way loading fails."""
    cat = load_catalogue(root, use_cache=False)
    data = {r.id: r for r in cat.mechanisms.values()}

    def file_of(n: int) -> Path:
        return data[f"gen-{n:06d}"].file

    write(file_of(1), "id: gen-000001\nname: [unclosed\n")  # yaml
    write(file_of(2), "")  # empty
    write(file_of(3), "- a list\n- not a mapping\n")  # not-mapping
    write(file_of(4), "id: gen-000004\nid: again\n")  # duplicate-key
    write(file_of(5), "id: gen-000005\nwhen: !custom 2001-01-01\n")  # yaml-tag
    file_of(6).write_bytes("id: gen-000006\nname: 三定\n".encode("gb18030"))  # encoding
    write(file_of(7), "id: gen-000007\n\tname: tab\n")  # tab
    edit(file_of(8), "kind: ", "kind: not-a-kind\nkindx: ")  # schema: enum and unknown field
    edit(file_of(9), "id: gen-000009", "id: gen-000010")  # unique-id and id-filename
    edit(file_of(11), "locality: ", "locality: nowhere-ville\nxlocality: ")  # locality-ref (+ schema)
    text = file_of(12).read_text(encoding="utf-8")
    write(file_of(12), text.replace("themes:\n- ", "themes:\n- no-such-theme\n- ", 1))  # theme-ref
    edit(file_of(13), "- source: src-", "- source: nosrc-")  # source-ref
    edit(file_of(14), "quote: ", "quote: 这句话不在任何来源里出现过")  # quote-in-source
    write(
        file_of(15), file_of(15).read_text(encoding="utf-8") + "relations:\n- type: similar-to\n  target: gen-999999\n"
    )
    write(
        file_of(16),
        file_of(16).read_text(encoding="utf-8").replace("relations:", "oldrelations:")
        + "relations:\n- type: part-of\n  target: gen-000017\n",
    )  # part-of cycle with 17
    write(
        file_of(17),
        file_of(17).read_text(encoding="utf-8").replace("relations:", "oldrelations:")
        + "relations:\n- type: part-of\n  target: gen-000016\n",
    )
    edit(file_of(18), "level: county", "level: province")  # level-locality (a warning)
    write(
        file_of(19),
        file_of(19).read_text(encoding="utf-8").replace("relations:", "oldrelations:")
        + "relations:\n- type: similar-to\n  target: gen-000019\n",
    )  # relation to itself
    (root / "mechanisms" / "odd.yaml").mkdir()  # a folder named like an entry
    write(root / "mechanisms" / "stray" / "gen-000009.yaml", file_of(20).read_text(encoding="utf-8"))  # duplicate
    (root / "sources" / "src-00001.txt").unlink()  # source-text, and quotes of that source unchecked
    write(
        root / "sources" / "src-dup.yaml", (root / "sources" / "src-00002.yaml").read_text(encoding="utf-8")
    )  # duplicate
    edit(root / "sources" / "src-00003.yaml", "title: ", "subtitle: x\ntitle: ")  # a source's schema
    edit(root / "sources" / "src-00004.yaml", "id: src-00004", "id: src-00005")  # two sources, one id
    edit(root / "localities.yaml", "parent: prov00\n", "parent: nowhere\n")  # locality-parent


def outcome(root: Path, jobs: int, cache_dir: Path, monkeypatch, **kwargs) -> tuple[list[Problem], int, dict | None]:
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(cache_dir))
    result = validate(root, jobs=jobs, **kwargs)
    caches = sorted(cache_dir.glob("catalogue-*.marshal"))
    cached = marshal.loads(caches[0].read_bytes())["files"] if caches else None
    return result.problems, result.files_checked, cached


def unsorted(root: Path, jobs: int, cache_dir: Path, monkeypatch) -> list[Problem]:
    """Every problem in the order the rules found them, before validate() sorts them."""
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(cache_dir))
    rules = select_rules()
    catalogue, done = parallel.load_and_check(root, [], True, rules, jobs)
    return run_rules(catalogue, rules, done)


def same_either_way(root: Path, tmp_path: Path, monkeypatch, **kwargs) -> list[Problem]:
    serial = outcome(root, 1, tmp_path / "serial", monkeypatch, **kwargs)
    for jobs in (2, 3):
        assert outcome(root, jobs, tmp_path / f"jobs{jobs}", monkeypatch, **kwargs) == serial
    if not kwargs:
        serial_order = unsorted(root, 1, tmp_path / "unsorted1", monkeypatch)
        assert unsorted(root, 2, tmp_path / "unsorted2", monkeypatch) == serial_order
    return serial[0]


def test_a_valid_generated_catalogue(catalogue, tmp_path, monkeypatch):
    assert same_either_way(catalogue, tmp_path, monkeypatch) == []


def test_every_kind_of_problem_in_the_same_order(catalogue, tmp_path, monkeypatch):
    break_everything(catalogue)
    problems = same_either_way(catalogue, tmp_path, monkeypatch)
    rules = {p.rule for p in problems}
    assert rules >= {
        "yaml",
        "empty",
        "not-mapping",
        "duplicate-key",
        "yaml-tag",
        "encoding",
        "schema",
        "unique-id",
        "id-filename",
        "locality-ref",
        "theme-ref",
        "source-ref",
        "quote-in-source",
        "relation-target",
        "part-of-cycle",
        "level-locality",
        "unreadable",
        "source-text",
        "locality-parent",
    }, rules


def test_without_cache_with_ignored_rules_and_extra_files(catalogue, tmp_path, monkeypatch):
    break_everything(catalogue)
    outside = tmp_path / "outside"
    extra = [write(outside / f"new-{i}.yaml", entry(catalogue, 30 + i).read_text(encoding="utf-8")) for i in range(6)]
    extra.append(entry(catalogue, 40))  # an extra file inside the catalogue is loaded once
    kwargs = {"use_cache": False, "ignore": ["quote-in-source", "level-locality"], "extra_files": extra}
    problems = same_either_way(catalogue, tmp_path, monkeypatch, **kwargs)
    assert any(p.rule == "id-filename" and "new-0.yaml" in p.file for p in problems)
    only = same_either_way(catalogue, tmp_path / "only", monkeypatch, only=[catalogue / "sources"])
    assert only and all("/sources/" in p.file for p in only)


def test_partly_warm(catalogue, tmp_path, monkeypatch):
    """Files the cache holds are read from it in this process, the rest in workers."""
    break_everything(catalogue)
    for jobs in (1, 2):
        outcome(catalogue, jobs, tmp_path / f"warm{jobs}", monkeypatch)
    for n in range(40, 120, 3):  # every third entry edited after the cache was filled
        edit(entry(catalogue, n), "level: county", "level: province")
    edit(entry(catalogue, 41), "kind: ", "kind: wrong\nkindx: ")
    serial = outcome(catalogue, 1, tmp_path / "warm1", monkeypatch)
    assert outcome(catalogue, 2, tmp_path / "warm2", monkeypatch) == serial
    for n in range(40, 60, 3):  # enough files changed for workers again
        edit(entry(catalogue, n), "level: province", "level: county")
    assert unsorted(catalogue, 2, tmp_path / "warm2", monkeypatch) == unsorted(
        catalogue, 1, tmp_path / "warm1", monkeypatch
    )
    assert sum(p.rule == "level-locality" for p in serial[0]) > 25


def test_spawned_workers(catalogue, tmp_path, monkeypatch):
    """Where workers are spawned (macOS, Windows), everything they get is sent pickled."""
    monkeypatch.setattr(parallel, "START_METHOD", "spawn")
    break_everything(catalogue)
    serial = outcome(catalogue, 1, tmp_path / "serial", monkeypatch)
    assert outcome(catalogue, 2, tmp_path / "spawned", monkeypatch) == serial


def test_too_few_files_for_workers(catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_FILES", 10**6)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", None)  # starting one would fail
    assert same_either_way(catalogue, tmp_path, monkeypatch) == []


def test_a_worker_refuses_to_read_other_entries(catalogue):
    cat = load_catalogue(catalogue, use_cache=False)
    base = parallel._for_workers(cat)
    assert base.localities and base.sources and base.themes
    for read in (lambda: base.mechanisms.get("gen-000001"), lambda: list(base.records), lambda: "x" in base.mechanisms):
        with pytest.raises(RuntimeError, match="needs_every_entry"):
            read()


def test_jobs_option(catalogue, tmp_path, monkeypatch):
    break_everything(catalogue)
    used = []
    real = parallel.load_and_check
    monkeypatch.setattr(parallel, "load_and_check", lambda *args: used.append(args[4]) or real(*args))
    outputs = []
    for n, args in enumerate(([], ["--jobs", "1"], ["-j", "3"])):
        monkeypatch.setenv("POLCAT_CACHE_DIR", str(tmp_path / f"cli{n}"))  # cold each time
        outputs.append(invoke("validate", str(catalogue), "-f", "json", *args))
    assert used == [parallel.default_jobs(), 1, 3]
    assert outputs[0].exit_code == 1 and outputs[0].stdout
    assert all(o.exit_code == 1 and o.stdout == outputs[0].stdout for o in outputs)
    assert invoke("validate", str(catalogue), "--jobs", "0").exit_code == 2
