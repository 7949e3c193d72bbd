"""The query side, on the small fixture catalogue: filters, names, search, relations, counts."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from support import FIXTURE, invoke, run_polcat

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.query import Filters, QueryError

ALL = ["chishui-1plusx", "chishui-sanding", "chishui-wubicha-wuchoucha", "taijiang-1plusx", "taijiang-shihu-yiti"]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(FIXTURE)


def ids(records) -> list[str]:
    return [r.id for r in records]


def listed(*args: str) -> list[str]:
    result = invoke("list", "--catalogue", str(FIXTURE), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [e["id"] for e in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "place",
    ["guizhou", "贵州", "贵州省", "貴州", "Guizhou", "guizhou province", "Guìzhōu", "guì zhōu", "520000"],
)
def test_province_in_every_spelling_includes_everything_below(place):
    assert listed("--locality", place) == ALL


@pytest.mark.parametrize("place", ["zunyi", "遵义", "遵義市", "Zunyi City", "520300"])
def test_prefecture_includes_its_counties(place):
    assert listed("--locality", place) == ["chishui-1plusx", "chishui-sanding", "chishui-wubicha-wuchoucha"]


@pytest.mark.parametrize("place", ["chishui", "赤水", "赤水市", "Chishui", "chìshuǐ shì", "520381"])
def test_county(place):
    assert listed("--locality", place) == ["chishui-1plusx", "chishui-sanding", "chishui-wubicha-wuchoucha"]


def test_several_localities_are_a_union():
    assert listed("--locality", "台江", "--locality", "赤水") == ALL


def test_unknown_locality_is_a_usage_error_with_suggestions():
    result = invoke("list", "--catalogue", str(FIXTURE), "--locality", "赤水县城")
    assert result.exit_code == 2
    assert "no locality matches '赤水县城'" in result.stderr and "赤水市" in result.stderr


def test_themes_and_by_default_or_with_any_theme():
    assert listed("--theme", "evaluation") == ["chishui-sanding", "chishui-wubicha-wuchoucha", "taijiang-1plusx"]
    assert listed("--theme", "evaluation", "--theme", "collective-economy") == ["taijiang-1plusx"]
    assert listed("--theme", "evaluation", "--theme", "collective-economy", "--any-theme") == ALL


def test_unknown_theme_is_a_usage_error():
    result = invoke("list", "--catalogue", str(FIXTURE), "--theme", "evalution")
    assert result.exit_code == 2 and "did you mean evaluation" in result.stderr


def test_level_kind_status_source_filters():
    assert listed("--kind", "model") == ["taijiang-1plusx", "taijiang-shihu-yiti"]
    assert listed("--status", "draft") == ["chishui-wubicha-wuchoucha", "taijiang-1plusx"]
    assert listed("--source", "trad") == ["taijiang-1plusx", "taijiang-shihu-yiti"]
    assert listed("--level", "county", "--kind", "numeric-code", "--status", "reviewed") == [
        "chishui-1plusx",
        "chishui-sanding",
    ]


def test_year_filters_leave_out_entries_without_a_year():
    assert listed("--year", "2016") == ["chishui-sanding"]
    assert listed("--since", "2016") == ["chishui-sanding"]
    assert listed("--until", "2015") == ["taijiang-1plusx"]
    assert listed("--since", "2015", "--until", "2016") == ["chishui-sanding", "taijiang-1plusx"]


def test_sort_orders(cat):
    assert ids(query.filter_entries(cat, Filters(), "year"))[:2] == ["taijiang-1plusx", "chishui-sanding"]
    by_name = ids(query.filter_entries(cat, Filters(), "name"))
    assert by_name.index("chishui-sanding") < by_name.index("taijiang-shihu-yiti")  # sān < shí
    with pytest.raises(QueryError):
        query.sort_entries(cat, [], "colour")


def test_json_is_the_entries_as_stored_with_characters_not_escapes():
    result = invoke("list", "--catalogue", str(FIXTURE), "--format", "json", "--locality", "台江")
    assert "十户一体" in result.stdout and "\\u" not in result.stdout
    stored = yaml.safe_load((FIXTURE / "mechanisms/beta/taijiang-shihu-yiti.yaml").read_text(encoding="utf-8"))
    assert json.loads(result.stdout)[1] == stored


def test_jsonl_yaml_csv_and_markdown_round_trip():
    base = ("list", "--catalogue", str(FIXTURE), "--format")
    lines = invoke(*base, "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ALL
    assert [e["id"] for e in yaml.safe_load(invoke(*base, "yaml").stdout)] == ALL
    rows = list(csv.DictReader(io.StringIO(invoke(*base, "csv").stdout)))
    assert [r["id"] for r in rows] == ALL
    sanding = rows[1]
    assert sanding["name_zh"] == "三定" and sanding["components"] == "干部定责; 组织定位; 群众定效"
    assert sanding["themes"] == "cadre-accountability; evaluation" and sanding["locality_zh"] == "赤水市"
    md = invoke(*base, "md").stdout.splitlines()
    assert md[0].startswith("| id | name |") and md[1].startswith("|---|")
    assert len(md) == 2 + len(ALL)


def test_table_when_piped_has_no_colour_or_boxes(tmp_path):
    result = run_polcat("list", "--catalogue", str(FIXTURE), cwd=tmp_path, env={"FORCE_COLOR": ""})
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout and "│" not in result.stdout and "━" not in result.stdout
    header, *rows = result.stdout.splitlines()
    assert header.split()[:3] == ["ID", "NAME", "PINYIN"]
    assert [r.split()[0] for r in rows] == ALL


# --- show ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["chishui-sanding", "三定", "sanding", "sān dìng", "San Ding"])
def test_resolve_by_id_name_or_pinyin(cat, name):
    assert ids(query.resolve(cat, name)) == ["chishui-sanding"]


@pytest.mark.parametrize("name", ["十户一体", "十戶一體", "shihuyiti"])
def test_resolve_across_scripts(cat, name):
    assert ids(query.resolve(cat, name)) == ["taijiang-shihu-yiti"]


def test_show_prints_everything_with_derived_relations():
    result = invoke("show", "五必查五抽查", "--catalogue", str(FIXTURE))
    assert result.exit_code == 0
    out = result.stdout
    assert "[chishui-wubicha-wuchoucha]" in out
    assert "part-of" in out and "chishui-sanding" in out and "(derived)" in out
    assert "贵州省 > 遵义市 > 赤水市" in out
    assert "建立“五必查五抽查”督查机制" in out


def test_show_lists_same_name_entries_elsewhere():
    out = invoke("show", "chishui-1plusx", "--catalogue", str(FIXTURE)).stdout
    assert "Same name elsewhere" in out and "taijiang-1plusx" in out
    assert "same-name-as" in out  # the link written on the other entry, derived here


def test_show_ambiguous_name_asks_for_an_id():
    result = invoke("show", "1+X", "--catalogue", str(FIXTURE))
    assert result.exit_code == 1
    assert "2 entries are named '1+X'" in result.stderr
    assert "chishui-1plusx" in result.stderr and "taijiang-1plusx" in result.stderr
    assert result.stdout == ""


def test_show_unknown_name_suggests():
    result = invoke("show", "三定机制", "--catalogue", str(FIXTURE))
    assert result.exit_code == 1
    assert "no entry named '三定机制'" in result.stderr and "chishui-sanding" in result.stderr


def test_show_json_and_yaml_are_the_entry_as_stored():
    stored = yaml.safe_load((FIXTURE / "mechanisms/alpha/chishui-sanding.yaml").read_text(encoding="utf-8"))
    assert json.loads(invoke("show", "三定", "-C", str(FIXTURE), "-f", "json").stdout) == stored
    assert yaml.safe_load(invoke("show", "三定", "-C", str(FIXTURE), "-f", "yaml").stdout) == stored


# --- search ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["三定", "sanding", "san ding", "sān dìng", "SAN DING"])
def test_search_name_in_hanzi_or_pinyin(cat, text):
    hits = query.search(cat, text)
    assert hits[0].entry.id == "chishui-sanding"


def test_search_is_insensitive_to_script(cat):
    assert [h.entry.id for h in query.search(cat, "十戶一體")][:1] == ["taijiang-shihu-yiti"]
    assert [h.entry.id for h in query.search(cat, "干部定責")][:1] == ["chishui-sanding"]


def test_search_english_words_and_why(cat):
    (hit,) = query.search(cat, "ten households")
    assert hit.entry.id == "taijiang-shihu-yiti"
    assert "English name" in hit.reasons


def test_search_english_plural_finds_the_singular(cat):
    # "pairings" is the plural of the word "pairing" that chishui-1plusx's English uses.
    assert "chishui-1plusx" in ids(h.entry for h in query.search(cat, "pairings"))


def test_search_ranks_name_above_component_and_quote(cat):
    hits = query.search(cat, "组织定位")
    assert hits[0].entry.id == "chishui-sanding"
    assert any(r.startswith("component") for r in hits[0].reasons)


def test_search_cli_shows_why_and_exits_1_on_no_hit():
    result = invoke("search", "sanding", "-C", str(FIXTURE))
    assert result.exit_code == 0
    first = result.stdout.splitlines()[1]
    assert first.split()[0] == "chishui-sanding" and "pinyin (exact)" in first
    none = invoke("search", "nothing-like-this", "-C", str(FIXTURE))
    assert none.exit_code == 1 and "nothing matches" in none.stderr and none.stdout.count("\n") <= 1


def test_search_json_carries_match_reasons():
    (item, *_) = json.loads(invoke("search", "三定", "-C", str(FIXTURE), "-f", "json").stdout)
    assert item["id"] == "chishui-sanding" and "name (exact)" in item["_match"]["reasons"]


# --- related, matrix, registries ----------------------------------------------------


def test_related_gives_reasons(cat):
    found = {r.entry.id: r.reasons for r in query.related(cat, cat.entry("chishui-1plusx"))}
    assert "same-name-as (derived)" in found["taijiang-1plusx"]
    assert "same name in another locality" in found["taijiang-1plusx"]
    assert "same locality" in found["chishui-sanding"]
    assert any(r.startswith("shared themes: collective-economy") for r in found["taijiang-shihu-yiti"])


def test_related_cli_ranks_explicit_links_first():
    result = invoke("related", "chishui-sanding", "-C", str(FIXTURE), "-f", "json")
    items = json.loads(result.stdout)
    assert items[0]["id"] == "chishui-wubicha-wuchoucha"
    assert "has-part" in items[0]["_related"]["reasons"]


def test_matrix_counts_by_province_and_county():
    by_county = json.loads(invoke("matrix", "--by", "county", "-C", str(FIXTURE), "-f", "json").stdout)
    assert by_county == [
        {
            "locality": "chishui",
            "name": "赤水市",
            "counts": {"cadre-accountability": 1, "evaluation": 2, "collective-economy": 1},
        },
        {"locality": "taijiang", "name": "台江县", "counts": {"evaluation": 1, "collective-economy": 2}},
    ]
    by_province = json.loads(invoke("matrix", "-C", str(FIXTURE), "-f", "json", "--kind", "model").stdout)
    assert by_province == [
        {"locality": "guizhou", "name": "贵州省", "counts": {"evaluation": 1, "collective-economy": 2}}
    ]


def test_registry_views():
    tree = invoke("localities", "-C", str(FIXTURE)).stdout.splitlines()
    assert tree[0].startswith("全国") and "5 entries" in tree[0]
    assert any(line.startswith("      赤水市") and "3 entries" in line for line in tree)
    themes = json.loads(invoke("themes", "-C", str(FIXTURE), "-f", "json").stdout)
    assert {t["id"]: t["_entries"] for t in themes} == {
        "cadre-accountability": 1,
        "evaluation": 3,
        "collective-economy": 3,
    }
    sources = json.loads(invoke("sources", "-C", str(FIXTURE), "-f", "json").stdout)
    assert [s["id"] for s in sources] == ["trad", "simp"]  # by date
    stats = json.loads(invoke("stats", "-C", str(FIXTURE), "-f", "json").stdout)
    assert stats["entries"]["total"] == 5 and stats["kind"] == {"numeric-code": 3, "model": 2}


def test_search_finds_an_alias_by_its_pinyin(mini, runner):
    """三变 is often written 三變改革: its alias's pinyin finds it, ranked below the name's."""
    path = mini / "mechanisms/alpha/chishui-sanding.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkind:", "\naliases:\n  - 三定工作機制\nkind:", 1), encoding="utf-8")
    found = json.loads(invoke("search", "san ding gong zuo ji zhi", "-C", str(mini), "-f", "json").stdout)
    assert [h["id"] for h in found] == ["chishui-sanding"]
    assert "alias pinyin (exact)" in found[0]["_match"]["reasons"]
    partial = json.loads(invoke("search", "gongzuo", "-C", str(mini), "-f", "json").stdout)
    assert [h["id"] for h in partial] == ["chishui-sanding"] and partial[0]["_match"]["reasons"] == ["alias pinyin"]
    by_name = json.loads(invoke("search", "sanding", "-C", str(mini), "-f", "json").stdout)
    assert by_name[0]["_match"]["reasons"] == ["pinyin (exact)"]


@pytest.mark.parametrize("text", ["考核评价", "考核評價", "Evaluation", "evaluation"])
def test_search_finds_the_entries_of_a_theme_it_names(text):
    """A theme's name (either script, any case) finds the entries filed under it, as
    --theme does, saying so; a part of the name does not."""
    found = json.loads(invoke("search", text, "-C", str(FIXTURE), "-f", "json").stdout)
    listed = json.loads(invoke("list", "--theme", "evaluation", "-C", str(FIXTURE), "-f", "json").stdout)
    by_theme = {h["id"] for h in found if "theme 考核评价" in h["_match"]["reasons"]}
    assert by_theme == {e["id"] for e in listed} and by_theme
    assert "theme 考核评价" not in invoke("search", "考核", "-C", str(FIXTURE), "-f", "json").stdout
