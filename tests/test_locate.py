"""Which catalogue a command works on: the one in front of the user, found like git finds .git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURE, invoke, run_polcat, write

from polcat import locate

BROKEN = "id: x\nstatus: draft\nkind: not-a-kind\n"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A catalogue repository: <repo>/catalogue/ holds the catalogue."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "catalogue")
    (repo / "docs").mkdir()
    return repo


def test_discovery_order(checkout, tmp_path, monkeypatch):
    monkeypatch.delenv(locate.ENV_CATALOGUE, raising=False)
    cat = (checkout / "catalogue").resolve()
    for where in (checkout, checkout / "docs", cat, cat / "mechanisms" / "alpha"):
        monkeypatch.chdir(where)
        assert locate.default_catalogue() == cat, where
    monkeypatch.chdir(tmp_path)
    assert locate.default_catalogue() == locate.shipped_catalogue()
    monkeypatch.setenv(locate.ENV_CATALOGUE, str(tmp_path / "elsewhere"))
    assert locate.default_catalogue() == tmp_path / "elsewhere"
    assert locate.default_catalogue(Path("explicit")) == Path("explicit")


@pytest.mark.parametrize("where", ["", "docs", "catalogue/mechanisms"])
def test_validate_in_a_checkout_checks_that_checkout(checkout, where):
    write(checkout / "catalogue/mechanisms/alpha/x.yaml", BROKEN)
    result = run_polcat("validate", cwd=checkout / where)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "x.yaml" in result.stdout and "not-a-kind" in result.stdout
    assert "of the catalogue at " in result.stdout and result.stdout.rstrip().endswith("s)")


def test_queries_in_a_checkout_read_that_checkout(checkout):
    result = run_polcat("list", "-f", "jsonl", cwd=checkout)
    ids = {line.split('"id": "')[1].split('"')[0] for line in result.stdout.splitlines()}
    fixture_ids = {p.stem for p in (FIXTURE / "mechanisms").rglob("*.yaml")}
    assert result.returncode == 0 and ids == fixture_ids


def test_fmt_and_new_say_which_catalogue(checkout):
    fmt = run_polcat("fmt", "--check", cwd=checkout)
    assert "in the catalogue at catalogue" in fmt.stderr, fmt.stderr
    new = run_polcat(
        "new", "--name", "三變", "--locality", "chishui", "--source", "trad", "--id", "chishui-sanbian", cwd=checkout
    )
    assert new.returncode == 0, new.stderr
    written = checkout / "catalogue/mechanisms/chishui/chishui-sanbian.yaml"
    assert written.is_file() and new.stdout.strip().endswith("chishui-sanbian.yaml")
    assert "written to the catalogue at catalogue" in new.stderr


def test_writes_never_go_inside_the_installed_package(tmp_path, monkeypatch):
    installed = tmp_path / "site-packages" / "polcat" / "_data"
    shutil.copytree(FIXTURE, installed / "catalogue")
    monkeypatch.setattr(locate, "_INSTALLED_DATA", installed.resolve())
    root = installed / "catalogue"
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = invoke("fmt", "--catalogue", str(root))
    assert result.exit_code == 2 and "shipped with polcat" in result.stderr
    entry = next(root.rglob("mechanisms/**/*.yaml"))
    result = invoke("fmt", str(entry))
    assert result.exit_code == 2
    result = invoke("new", "--catalogue", str(root), "--name", "三變", "--locality", "chishui", "--source", "trad")
    assert result.exit_code == 2 and "shipped with polcat" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert locate.describe(root) == "the catalogue shipped with polcat"
