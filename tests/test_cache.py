"""The parsed-catalogue cache: every change invalidates it, nothing stale is ever served."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from support import invoke, write

from polcat import cache, locate
from polcat.catalogue import load_catalogue
from polcat.validate import validate

ENTRY = "mechanisms/alpha/chishui-sanding.yaml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(folder))
    return folder


def names(root: Path) -> dict[str, str]:
    cat = load_catalogue(root)
    return {r.id: r.get("name")["zh"] for r in cat.mechanisms.values()}


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalogue-*.marshal"))


def test_cache_is_written_and_then_used(mini, cache_dir, monkeypatch):
    first = names(mini)
    assert len(cache_files(cache_dir)) == 1
    # a warm load parses nothing: make parsing impossible and load again
    import polcat.files as catalogue_module

    monkeypatch.setattr(catalogue_module, "load_yaml_file", lambda *a, **k: pytest.fail("parsed a cached file"))
    assert names(mini) == first


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_an_edit_is_seen(mini, cache_dir):
    assert names(mini)["chishui-sanding"] == "三定"
    path = mini / ENTRY
    path.write_text(path.read_text(encoding="utf-8").replace("zh: 三定", "zh: 三定机制"), encoding="utf-8")
    assert names(mini)["chishui-sanding"] == "三定机制"


def test_an_edit_that_keeps_size_and_mtime_is_seen(mini, cache_dir):
    names(mini)
    edit_keeping_size_and_mtime(mini / ENTRY, "zh: 三定\n", "zh: 四定\n")
    assert names(mini)["chishui-sanding"] == "四定"


def test_touching_a_file_reparses_it(mini, cache_dir, monkeypatch):
    names(mini)
    later = time.time() + 5
    os.utime(mini / ENTRY, (later, later))
    import polcat.files as catalogue_module

    parsed = []
    real = catalogue_module.load_yaml_file
    monkeypatch.setattr(catalogue_module, "load_yaml_file", lambda p, **k: parsed.append(p.name) or real(p, **k))
    names(mini)
    assert parsed == ["chishui-sanding.yaml"]


def test_added_and_removed_files(mini, cache_dir):
    before = names(mini)
    text = (mini / ENTRY).read_text(encoding="utf-8").replace("id: chishui-sanding", "id: chishui-sanding-copy")
    write(mini / "mechanisms/alpha/chishui-sanding-copy.yaml", text)
    assert set(names(mini)) == set(before) | {"chishui-sanding-copy"}
    (mini / ENTRY).unlink()
    assert "chishui-sanding" not in names(mini)


def test_a_broken_file_stays_reported(mini, cache_dir):
    write(mini / "mechanisms/alpha/bad.yaml", "id: bad\nid: bad\n")
    for _ in range(2):  # cold, then warm: the load error comes from the cache the second time
        result = invoke("validate", str(mini), "-f", "json")
        assert result.exit_code == 1
        assert [p["rule"] for p in json.loads(result.stdout)] == ["duplicate-key"]


def test_schema_verdicts_are_cached_but_never_hide_an_error(mini, cache_dir):
    assert invoke("validate", str(mini)).exit_code == 0
    assert invoke("validate", str(mini)).exit_code == 0  # warm: verdicts from the cache
    path = mini / ENTRY
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: numeric-code", "kind: number-code"), encoding="utf-8"
    )
    assert invoke("validate", str(mini)).exit_code == 1


def test_a_polcat_upgrade_voids_the_cache(mini, cache_dir, monkeypatch):
    names(mini)
    monkeypatch.setattr("polcat.__version__", "99.0.0")
    import polcat.files as catalogue_module

    parsed = []
    real = catalogue_module.load_yaml_file
    monkeypatch.setattr(catalogue_module, "load_yaml_file", lambda p, **k: parsed.append(p.name) or real(p, **k))
    names(mini)
    assert len(parsed) > 5


def test_a_schema_change_voids_the_cache(tmp_path, cache_dir):
    schemas = tmp_path / "schemas"
    shutil.copytree(locate.schemas_dir(), schemas)
    target = schemas / "mechanism.schema.json"
    before = cache.code_version(schemas)
    text = target.read_text(encoding="utf-8")
    stat = target.stat()
    # an edit that keeps the size, with the old times put back: only the content differs
    edited = text.replace('"enum": ["draft", "reviewed"]', '"enum": ["draft", "reviewer"]', 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.code_version(schemas) != before


def test_validate_after_a_same_size_schema_edit_sees_the_new_schema(mini, cache_dir, tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(locate.schemas_dir(), schemas)
    monkeypatch.setattr(locate, "schemas_dir", lambda: schemas)
    from polcat import schema

    for fn in (schema.load_schemas, schema.validator_for, schema.fast_check_for):
        fn.cache_clear()
    assert validate(mini).ok  # warms the cache with "schema ok" verdicts
    target = schemas / "mechanism.schema.json"
    text = target.read_text(encoding="utf-8")
    stat = target.stat()
    target.write_text(
        text.replace('"enum": ["draft", "reviewed"]', '"enum": ["draft", "reviewer"]', 1), encoding="utf-8"
    )
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    schema.load_schemas.cache_clear()
    schema.validator_for.cache_clear()
    schema.fast_check_for.cache_clear()
    result = validate(mini)
    for fn in (schema.load_schemas, schema.validator_for, schema.fast_check_for):
        fn.cache_clear()
    assert any(p.rule == "schema" and "reviewed" in p.message for p in result.problems), result.problems


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01garbage", b"\xe3" * 100])
def test_a_corrupt_cache_is_ignored_and_rebuilt(mini, cache_dir, garbage):
    expected = names(mini)
    (path,) = cache_files(cache_dir)
    path.write_bytes(garbage)
    assert names(mini) == expected
    assert path.stat().st_size > 100  # rewritten


def test_a_truncated_cache_is_ignored(mini, cache_dir):
    expected = names(mini)
    (path,) = cache_files(cache_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert names(mini) == expected


def test_a_failed_write_leaves_the_old_cache_whole(mini, cache_dir, monkeypatch):
    names(mini)
    (path,) = cache_files(cache_dir)
    old = path.read_bytes()
    write(
        mini / "mechanisms/alpha/extra.yaml",
        (mini / ENTRY).read_text(encoding="utf-8").replace("chishui-sanding", "extra"),
    )

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    assert "extra" in names(mini)  # the command still works
    assert path.read_bytes() == old
    assert not list(cache_dir.glob(".catalogue-*.tmp"))  # no half-written leftovers


def test_unwritable_cache_dir_costs_speed_not_a_failure(mini, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(blocker / "sub"))
    assert "chishui-sanding" in names(mini)


def test_no_cache_flag_and_environment(mini, cache_dir, monkeypatch):
    assert invoke("--no-cache", "list", "-C", str(mini)).exit_code == 0
    assert invoke("--no-cache", "validate", str(mini)).exit_code == 0
    assert not cache_dir.exists() or list(cache_dir.iterdir()) == []  # neither the cache nor the index
    assert invoke("list", "--kind", "model", "-C", str(mini)).exit_code == 0  # the next run indexes again
    assert len(list(cache_dir.glob("index-*.sqlite"))) == 1
    assert invoke("validate", str(mini)).exit_code == 0  # and caches again
    assert len(cache_files(cache_dir)) == 1
    (path,) = cache_files(cache_dir)
    path.unlink()
    monkeypatch.setenv("POLCAT_NO_CACHE", "1")
    names(mini)
    assert cache_files(cache_dir) == []


def test_remembered_values_are_derived_once_per_key(cache_dir):
    from polcat.cache import remembered

    calls: list[str] = []

    def derive(value):
        return lambda: calls.append(value) or {"v": value}

    assert remembered("thing", "k1", derive("a")) == {"v": "a"}
    assert remembered("thing", "k1", derive("b")) == {"v": "a"}  # read back, not derived
    assert calls == ["a"]
    assert remembered("thing", "k2", derive("c")) == {"v": "c"}  # another key: derived again
    assert calls == ["a", "c"]
    assert oct((cache_dir / "thing.marshal").stat().st_mode & 0o777) == "0o600"
    (cache_dir / "thing.marshal").write_bytes(b"\x00garbage")  # corrupt: derived again, rewritten
    assert remembered("thing", "k2", derive("d")) == {"v": "d"}
    assert remembered("thing", "k2", derive("e")) == {"v": "d"}


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners here")
def test_remembered_values_are_not_read_from_a_folder_others_may_write(cache_dir, monkeypatch):
    from polcat.cache import remembered

    assert remembered("thing", "k", lambda: 1) == 1
    cache_dir.chmod(0o777)
    assert remembered("thing", "k", lambda: 2) == 2  # not believed
    monkeypatch.setenv("POLCAT_NO_CACHE", "1")
    cache_dir.chmod(0o700)
    assert remembered("thing", "k", lambda: 3) == 3  # the cache is off


def test_compiled_schema_checks_kept_in_the_cache_decide_as_fresh_ones(cache_dir):
    from polcat import schema

    entry = {"id": "x-y", "status": "draft"}
    fresh = schema._compiled({"type": "object", "required": ["id"]}, "test-schema")
    kept = schema._compiled({"type": "object", "required": ["id"]}, "test-schema")  # read back
    assert (cache_dir / "test-schema.marshal").exists()
    for check in (fresh, kept):
        check(entry)
        with pytest.raises(Exception, match="must contain"):
            check({"status": "draft"})
