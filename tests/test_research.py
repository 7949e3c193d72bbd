"""`polcat spread`, `polcat cite` and `polcat coverage`, on the real catalogue and on a broken copy."""

from __future__ import annotations

import json
import shutil

import pytest
from support import REPO, invoke, run_polcat

CATALOGUE = REPO / "catalogue"


def test_spread_follows_a_name_across_places_in_order_of_year():
    result = invoke("spread", "林长制", "-C", str(CATALOGUE), "-f", "json")
    assert result.exit_code == 0, result.stderr
    steps = json.loads(result.stdout)
    ids = [s["id"] for s in steps]
    assert ids[:2] == ["anhui-linzhangzhi", "jiangxi-linzhangzhi"]
    years = [s.get("year") for s in steps if s.get("year") is not None]
    assert years == sorted(years)
    assert all("_spread" in s and s["_spread"]["via"] for s in steps)


def test_spread_reaches_variants_and_local_uses_through_relations():
    steps = json.loads(invoke("spread", "national-fengqiao-jingyan", "-C", str(CATALOGUE), "-f", "json").stdout)
    by_id = {s["id"]: s["_spread"]["via"] for s in steps}
    assert {"huhehaote-fengqiao-jingyan", "jixian-fengqiao-jingyan", "linying-fengqiao-jingyan"} <= set(by_id)
    assert by_id["national-fengqiao-jingyan"] == "named"


def test_spread_of_nothing_exits_1():
    result = invoke("spread", "不存在的机制", "-C", str(CATALOGUE))
    assert result.exit_code == 1 and "no entry named" in result.stderr


@pytest.mark.parametrize("style", ["text", "bibtex", "csl-json"])
def test_cite_gives_the_entry_and_each_source(style):
    result = invoke("cite", "chishui-sanding", "--style", style, "-C", str(CATALOGUE))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "chishui-sanding" in out and "2026.12.01" in out and "人民网" in out
    if style == "csl-json":
        items = json.loads(out)
        assert [i["id"] for i in items] == ["polcat:chishui-sanding", "source:chishui-2017"]
        assert items[1]["issued"] == {"date-parts": [[2017, 3, 1]]}
    if style == "bibtex":
        assert out.count("@") == 2 and out.count("{") == out.count("}")


def test_cite_escapes_braces_in_bibtex():
    from polcat.cite import _bibtex_value

    assert _bibtex_value("a}b{c\\") == "{a\\}b\\{c\\\\}"


def test_the_shipped_catalogue_accounts_for_every_candidate():
    result = run_polcat("coverage", "-C", str(CATALOGUE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 unaccounted" in result.stderr


def test_coverage_names_what_is_unaccounted(tmp_path):
    root = tmp_path / "cat"
    shutil.copytree(CATALOGUE, root)
    (root / "mechanisms" / "linying" / "linying-minqing-yeshi.yaml").unlink()  # its name is now unaccounted for
    result = invoke("coverage", "linying-dispute-2024", "-C", str(root), "-f", "json")
    assert result.exit_code == 1, result.stderr
    unaccounted = json.loads(result.stdout)
    assert [(a["label"], a["status"]) for a in unaccounted] == [("民情夜市", "unaccounted")]
    assert "1 unaccounted" in result.stderr


def test_coverage_of_an_unknown_source_is_a_usage_error():
    result = invoke("coverage", "linying-dispute", "-C", str(CATALOGUE))
    assert result.exit_code == 2 and "did you mean" in result.stderr


def test_version_names_the_catalogue_release(tmp_path):
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    for args in (["--version"], ["-V", "list"]):
        done = run_polcat(*args, cwd=tmp_path)
        if args == ["--version"]:
            assert done.returncode == 0 and done.stdout.startswith("polcat ")
            assert "(catalogue 2026.12.01, the catalogue at catalogue)" in done.stdout


def test_exports_say_which_release_they_come_from(tmp_path):
    import sqlite3

    db = tmp_path / "x.db"
    assert invoke("export", "-o", str(db), "-C", str(CATALOGUE), "--locality", "潢川").exit_code == 0
    meta = dict(sqlite3.connect(db).execute("SELECT key, value FROM metadata"))
    assert meta["catalogue_version"] == "2026.12.01" and meta["licence"] == "CC-BY-4.0"
    report = invoke("export", "-f", "md", "-C", str(CATALOGUE), "--locality", "潢川").stdout
    assert "release 2026.12.01" in report.splitlines()[2]
