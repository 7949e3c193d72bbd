"""The SQLite index (polcat.index): queries answer exactly as without it.

A differential test over generated catalogues (benchmarks/generate.py) with broken,
schema-invalid, duplicate and renamed entries added: every query's stdout, stderr and
exit code with the index equal those of ``--no-cache`` (which loads every file), before
and after files are edited, added and removed; and the index brought up to date file by
file equals one built afresh.
"""

from __future__ import annotations

import marshal
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support import REPO, invoke, run_polcat, write

from polcat import index as polcat_index

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

SIZE = 160


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "cat"
    generate(root, SIZE, seed=7)
    mechanisms = root / "mechanisms"
    folders = sorted(p for p in mechanisms.iterdir() if p.is_dir())
    # what a real catalogue also holds: a file that is not YAML, one that is not a mapping,
    # entries against their schema, an id twice (the first invalid, then twice valid),
    # a renamed entry and relations to its former id, a name shared across localities.
    write(folders[0] / "broken.yaml", "id: [unclosed\n")
    write(folders[0] / "a-list.yaml", "- just\n- a list\n")
    write(folders[1] / "gen-000003.yaml", "id: gen-000003\nstatus: 12\n")
    first = (mechanisms / folders[2].name).glob("*.yaml")
    source = sorted(first)[0]
    text = source.read_text(encoding="utf-8")
    write(folders[3] / "zz-duplicate.yaml", text)  # the same id again, later: shadowed
    write(folders[0] / "aa-invalid-first.yaml", text.replace("status:", "status: 7\nx_status:"))
    renamed = sorted(folders[4].glob("*.yaml"))[0]
    old_id = renamed.stem
    write(
        renamed,
        renamed.read_text(encoding="utf-8").replace(f"id: {old_id}", f"id: {old_id}-new\nformer_ids:\n- {old_id}"),
    )
    target = sorted(folders[5].glob("*.yaml"))[0]
    write(
        target,
        target.read_text(encoding="utf-8") + f"relations:\n- type: implements\n  target: {old_id}\n"
        if "relations:" not in target.read_text(encoding="utf-8")
        else target.read_text(encoding="utf-8"),
    )
    return root


@pytest.fixture
def cat_copy(generated, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(generated, root)
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(tmp_path / "cache"))
    return root


def queries(root: Path) -> list[list[str]]:
    """Queries of every indexed command, drawn from the catalogue's own names."""
    import yaml

    some = sorted((root / "mechanisms").rglob("gen-0000[1-4]*.yaml"))[:6]
    out: list[list[str]] = []
    for path in some:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = data.get("name", {})
        out += [["show", data["id"]], ["related", data["id"]], ["related", data["id"], "-n", "0"]]
        out += [["show", name.get("zh", "?")], ["search", name.get("zh", "?")[:1]], ["search", name.get("zh", "?")[:2]]]
        if name.get("pinyin"):
            out += [["search", name["pinyin"]], ["show", name["pinyin"]]]
        if name.get("en"):
            out.append(["search", name["en"].split()[0]])
    out += [
        ["show", "gen-000003"],
        ["show", "no-such-entry"],
        ["show", "三定"],
        ["search", "三定", "--kind", "model"],
        ["search", "cadres", "-n", "0"],
        ["search", "san ding"],
        ["search", "教育培训"],  # a theme's name: the entries filed under it score too
        ["search", "Training", "--kind", "model"],
        ["search", "   "],
        ["search", "!!"],
        ["list"],
        ["list", "-f", "json"],  # every entry's JSON, streamed from the index
        ["list", "-f", "jsonl"],
        ["list", "-f", "jsonl", "--sort", "name"],
        ["list", "-f", "json", "--since", "2015"],
        ["list", "--theme", "training", "--locality", "prov01"],
        ["list", "--locality", "prov00", "--since", "2015", "--sort", "year"],
        ["list", "--theme", "training", "--theme", "funding", "--any-theme", "-f", "json"],
        ["list", "--field", "environment", "--kind", "Model", "--sort", "locality"],
        ["list", "--status", "draft", "--until", "2012"],
        ["list", "--source", "src-00001"],
        ["list", "--origin", "prov00-pref00-cty1"],
        ["list", "--locality", "nowhere"],
        ["list", "--theme", "no-such-theme"],
        ["list", "--level", "county", "--year", "2016", "-f", "csv"],
        ["matrix", "--theme", "training"],
    ]
    return out


def answers(root: Path, qs: list[list[str]]) -> tuple[list, list]:
    """Every query's (exit code, stdout, stderr) through the index, and without it."""
    with_index, without = [], []
    for q in qs:
        a = invoke(*q, "--catalogue", str(root))
        b = invoke("--no-cache", *q, "--catalogue", str(root))
        with_index.append((q, a.exit_code, a.stdout, a.stderr))
        without.append((q, b.exit_code, b.stdout, b.stderr))
    return with_index, without


def index_file(root: Path) -> Path:
    from polcat import cache

    folder = cache.cache_dir()
    assert folder is not None
    return polcat_index.index_path(folder, root)


def test_queries_answer_the_same_with_and_without_the_index(cat_copy):
    qs = queries(cat_copy)
    first, without = answers(cat_copy, qs)  # builds the index, then reads it
    assert index_file(cat_copy).exists()
    assert first == without
    warm, _ = answers(cat_copy, qs)
    assert warm == without
    assert any(code == 0 and out for _, code, out, _ in warm)  # not all empty answers
    assert any("left out" in err for _, _, _, err in warm)  # the broken files are reported


def test_queries_read_the_index_not_every_file(cat_copy, monkeypatch):
    assert invoke("show", "gen-000010", "-C", str(cat_copy)).exit_code == 0
    import polcat.catalogue as catalogue_module

    monkeypatch.setattr(catalogue_module, "load_serially", lambda *a, **k: pytest.fail("loaded every entry"))
    monkeypatch.setattr(polcat_index, "parse_file", lambda *a, **k: pytest.fail("parsed a file"))
    queries = (["show", "gen-000010"], ["related", "gen-000010"], ["search", "三定"], ["list", "--theme", "training"])
    for q in (*queries, ["list", "-f", "json"]):
        assert invoke(*q, "-C", str(cat_copy)).exit_code in (0, 1)


def table_rows(path: Path) -> dict[str, list]:
    """The index's content, with row numbers replaced by file paths (they differ
    between an index updated in place and one built afresh)."""
    db = sqlite3.connect(path)
    rel = dict(db.execute("SELECT n, rel FROM files"))
    out: dict[str, list] = {
        # items decoded: marshal may write equal values as different bytes
        "files": sorted(
            (rel, repr(marshal.loads(item)), *rest)
            for rel, item, *rest in db.execute(
                "SELECT rel, item, ok, live, id, locality, origin, level, kind, status, year, json FROM files"
            )
        ),
        "docs": sorted((rel, repr(marshal.loads(item))) for rel, item in db.execute("SELECT rel, item FROM docs")),
        "stamps": [
            polcat_index.stored_stamps(
                db, db.execute("SELECT value FROM meta WHERE key = 'names'").fetchone()[0]
            ).as_dict()  # type: ignore[union-attr]
        ],
    }
    for table in polcat_index.SIDE_TABLES:
        rows = db.execute(f"SELECT * FROM {table}").fetchall()
        out[table] = sorted(
            tuple(rel[v] if i == (0 if table in ("texts", "stems", "links") else 1) else v for i, v in enumerate(row))
            for row in rows
        )
    db.close()
    return out


def edit(root: Path, how: int, pick: int) -> None:
    """One change to the catalogue: edit an entry in place, add one, remove one, break
    one, or edit the locality registry."""
    files = sorted((root / "mechanisms").rglob("*.yaml"))
    path = files[pick % len(files)]
    if how == 0:  # a new name, an alias shared with another entry, a new theme
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("zh: ", "zh: 新", 1) + "aliases:\n- 三定\n"
            if "aliases:" not in text
            else text.replace("aliases:\n", "aliases:\n- 同名\n", 1),
            encoding="utf-8",
        )
    elif how == 1:  # a copy under a new id, related to the original
        text = path.read_text(encoding="utf-8")
        ident = path.stem
        new = text.replace(f"id: {ident}", f"id: {ident}-copy", 1)
        if "relations:" not in new:
            new += f"relations:\n- type: variant-of\n  target: {ident}\n"
        write(path.with_name(f"{ident}-copy.yaml"), new)
    elif how == 2:
        path.unlink()
    elif how == 3:
        path.write_text("id: [broken\n", encoding="utf-8")
    else:
        registry = root / "localities.yaml"
        registry.write_text(registry.read_text(encoding="utf-8").replace("第0省", "第零省"), encoding="utf-8")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking whole catalogues takes minutes
)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_edits_keep_the_index_equal_to_a_fresh_one(generated, tmp_path_factory, changes):
    root = tmp_path_factory.mktemp("edits") / "cat"
    shutil.copytree(generated, root)
    folder = tmp_path_factory.mktemp("cache")
    old = os.environ.get("POLCAT_CACHE_DIR")
    os.environ["POLCAT_CACHE_DIR"] = str(folder)
    try:
        qs = [["show", "gen-000020"], ["related", "gen-000020"], ["search", "三定"], ["list", "--locality", "第0省"]]
        qs.append(["list", "-f", "jsonl"])
        assert invoke("list", "--kind", "model", "-C", str(root)).exit_code == 0  # build
        for how, pick in changes:
            edit(root, how, pick)
            with_index, without = answers(root, qs)
            assert with_index == without
        updated = table_rows(index_file(root))
        index_file(root).unlink()
        assert invoke("list", "--kind", "model", "-C", str(root)).exit_code in (0, 1)  # a fresh build
        assert table_rows(index_file(root)) == updated
    finally:
        if old is None:
            del os.environ["POLCAT_CACHE_DIR"]
        else:
            os.environ["POLCAT_CACHE_DIR"] = old


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty", "other-version"])
def test_a_damaged_index_is_rebuilt(cat_copy, damage):
    args = ["show", "gen-000010", "-C", str(cat_copy)]
    expected = invoke(*args)
    path = index_file(cat_copy)
    if damage == "truncate":
        with open(path, "r+b") as fh:
            fh.truncate(path.stat().st_size // 3)
    elif damage == "garble":
        with open(path, "r+b") as fh:
            fh.seek(0)
            fh.write(b"\xff" * 200)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        db = sqlite3.connect(path)
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
        db.commit()
        db.close()
    again = invoke(*args)
    assert (again.exit_code, again.stdout, again.stderr) == (expected.exit_code, expected.stdout, expected.stderr)
    db = sqlite3.connect(path)  # rebuilt whole: every entry is in it again
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] > SIZE
    db.close()


def test_no_cache_and_untrusted_folders_leave_no_index(cat_copy, tmp_path, monkeypatch):
    invoke("--no-cache", "show", "gen-000010", "-C", str(cat_copy))
    monkeypatch.setenv("POLCAT_NO_CACHE", "1")
    invoke("show", "gen-000010", "-C", str(cat_copy))
    monkeypatch.delenv("POLCAT_NO_CACHE")
    folder = Path(os.environ["POLCAT_CACHE_DIR"])
    assert not folder.exists() or not list(folder.glob("index-*"))
    folder.mkdir(exist_ok=True)
    folder.chmod(0o777)  # writable by others: neither read nor written
    result = invoke("show", "gen-000010", "-C", str(cat_copy))
    assert result.exit_code == 0
    assert not list(folder.glob("index-*"))
    folder.chmod(0o700)


def test_an_edit_in_place_is_seen(cat_copy):
    """Same size, same mtime: the stamp's ctime and inode still change."""
    assert "gen-000010" in invoke("show", "gen-000010", "-C", str(cat_copy)).stdout
    path = next((cat_copy / "mechanisms").rglob("gen-000010.yaml"))
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    new = (
        text.replace("status: reviewed", "status: draft___")
        if "status: reviewed" in text
        else text.replace("status: draft", "status: drafx")
    )
    path.write_text(new, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with_index = invoke("show", "gen-000010", "-C", str(cat_copy))
    without = invoke("--no-cache", "show", "gen-000010", "-C", str(cat_copy))
    assert (with_index.exit_code, with_index.stdout, with_index.stderr) == (
        without.exit_code,
        without.stdout,
        without.stderr,
    )
    assert with_index.exit_code == 1  # now invalid: left out, and nothing is named so


def test_as_a_real_process(cat_copy):
    env = {"POLCAT_CACHE_DIR": os.environ["POLCAT_CACHE_DIR"]}
    for args in (["show", "gen-000010"], ["search", "三定"], ["show", "nothing-named-so"]):
        first = run_polcat(*args, "-C", str(cat_copy), env=env)
        second = run_polcat(*args, "-C", str(cat_copy), env=env)
        plain = run_polcat("--no-cache", *args, "-C", str(cat_copy), env=env)
        assert (first.returncode, first.stdout, first.stderr) == (plain.returncode, plain.stdout, plain.stderr)
        assert (second.returncode, second.stdout, second.stderr) == (plain.returncode, plain.stdout, plain.stderr)
        assert "Traceback" not in second.stderr


def test_differing_finds_exactly_the_changed_stamps_in_any_block():
    from array import array

    from polcat.index import BLOCK_BYTES, STAMP_BYTES, differing

    count = 3 * BLOCK_BYTES // STAMP_BYTES + 7  # several blocks and a partial one
    before = array("q", range(count * 4))
    now = array("q", before)
    for i in (0, 511, 512, count - 1):
        now[i * 4 + 2] += 1  # a new ctime
    found = list(differing(now.tobytes(), before.tobytes()))
    assert [i for i, _ in found] == [0, 511, 512, count - 1]
    assert found[1][1] == tuple(now[511 * 4 : 512 * 4])
    assert list(differing(before.tobytes(), before.tobytes())) == []
