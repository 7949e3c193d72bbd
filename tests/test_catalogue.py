"""The shipped catalogue: valid, internally consistent, faithful to its sources."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from support import REPO, invoke, seeds_dir

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.validate import validate

CATALOGUE = REPO / "catalogue"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(CATALOGUE)


def components(cat, entry_id: str) -> list[str]:
    return [c["zh"] for c in cat.mechanisms[entry_id].get("components") or []]


def test_catalogue_is_valid_with_quotes_checked():
    result = validate(CATALOGUE)
    assert [p.location() + " " + p.message for p in result.errors] == []
    assert result.files_checked > 100


def test_entries_from_every_source_in_many_places_and_fields(cat):
    entries = cat.entries()
    assert len(entries) > 200
    cited = Counter(s for e in entries for s in set(e.cited_sources()))
    assert set(cited) == set(cat.sources), "every source is cited by some entry"
    assert len(cat.sources) >= 25 and min(cited.values()) >= 3
    provinces = {p.id for e in entries if (p := query.ancestor_at(cat, e.locality, "province"))}
    assert len(provinces) >= 10, provinces
    field_of = {t.id: t.field for t in cat.all_themes()}
    assert len({field_of[t] for e in entries for t in e.themes}) >= 6


def test_every_entry_is_reviewed_but_the_one_with_a_stated_reason(cat):
    drafts = [e.id for e in cat.entries() if e.status != "reviewed"]
    assert drafts == ["guizhou-sange-jujiao"]
    assert "draft on purpose" in (cat.entry("guizhou-sange-jujiao").notes or "")


def test_every_entry_has_an_origin_and_the_implemented_ones_are_not_county_inventions(cat):
    assert all(e.origin is not None for e in cat.entries())
    for ident in (
        "chishui-1plus10",
        "chishui-dafupin-zhanlue-xingdong",
        "fengqing-guabaobang",
        "fengqing-gufen-hezuo-jingji",
    ):
        origin = cat.entry(ident).origin
        assert origin.basis == "unknown" or origin.locality not in ("chishui", "fengqing"), ident
    guanghui = [e for e in cat.entries() if e.name.zh and "党的光辉照边疆" in e.name.zh]
    assert guanghui and all(e.origin.locality != "fengqing" for e in guanghui)
    assert cat.entry("chishui-sanding").origin.basis in ("stated", "inferred")


def test_every_locality_reaches_a_province_or_is_national(cat):
    for record in cat.localities.values():
        levels = [r.get("level") for r in cat.ancestors(record.id)]
        assert levels[-1] == "national", record.id
        if record.get("level") != "national":
            assert "province" in levels, record.id


def test_localities_with_codes_from_the_published_table(cat):
    # county-level places and above carry a six-digit GB/T 2260 code; townships and villages none
    for record in cat.localities.values():
        level = record.get("level")
        if level in ("province", "prefecture", "county"):
            assert len(record.get("adcode") or "") == 6, record.id
        else:
            assert "adcode" not in record.data, record.id


def test_codes_agree_with_the_reference_table(cat):
    table = REPO.parent / "shared" / "reference" / "gb2260-mca-201904.tsv"
    if not table.is_file():
        pytest.skip(f"the reference table is not here ({table} is absent): it lives outside the product")
    names = {}
    for line in table.read_text(encoding="utf-8").splitlines()[1:]:
        _, _, code, name = line.split("\t")
        names[code] = name
    for record in cat.localities.values():
        code = record.get("adcode")
        if code:
            assert names.get(code) == record.get("name")["zh"], (record.id, code)
        for former in record.get("former_names") or []:
            assert "adcode" not in former or len(former["adcode"]) == 6


def test_themes_are_a_small_vocabulary_each_in_one_field(cat):
    assert 12 <= len(cat.themes) <= 40
    used = Counter(t for e in cat.entries() for t in e.themes)
    assert set(used) == set(cat.themes), "every theme is used"
    assert max(used.values()) <= len(cat.entries()) / 4, "no theme covers more than a quarter of the entries"
    assert {t.get("field") for t in cat.themes.values()} == set(cat.fields)


def test_headline_mechanisms_with_their_components(cat):
    assert components(cat, "chishui-sanding") == ["干部定责", "组织定位", "群众定效"]
    assert components(cat, "jian-sigeyi") == [
        "一户一亩井冈蜜柚",
        "一户一亩横江葡萄",
        "一户一个鸡棚",
        "一户一人进园务工",
    ]
    assert components(cat, "fengqing-4plus") == ["党员+", "支部+", "农村家庭党校+", "互联网+"]
    # 1233: the report gives three groups after 即 (10%, 20%, 30%) and no more
    assert components(cat, "huangchuan-1233") == ["10%的优秀驻村第一书记", "20%的乡镇分管领导", "30%的贫困村优秀村干部"]
    # 232: the report names the model but never enumerates its parts, so none are recorded
    assert components(cat, "huangchuan-232") == []
    assert cat.mechanisms["huangchuan-232"].get("kind") == "numeric-code"


def test_parts_of_fengqing_sanzhua_sanqianghua(cat):
    parts = {
        link.target for link in query.links(cat, cat.entry("fengqing-sanzhua-sanqianghua")) if link.type == "has-part"
    }
    assert {"fengqing-sige-gongcheng", "fengqing-baiqianwan", "fengqing-4plus"} <= parts


def test_traditional_source_keeps_its_script(cat):
    entry = cat.mechanisms["guizhou-sanbian"]
    assert entry.get("name")["zh"] == "三变" and entry.get("name")["original"] == "三變"
    assert cat.sources["guizhou-2016"].get("script") == "Hant"


def test_names_recurring_across_localities_are_found(cat):
    same = {r.id for r in query.same_name_elsewhere(cat, cat.entry("chishui-1plusx"))}
    assert "fengqing-1plusx" in same


def test_national_entries_implemented_locally(cat):
    national = [e for e in cat.entries() if e.locality == "national"]
    assert {"national-liangxue-yizuo", "national-sanhui-yike"} <= {r.id for r in national}
    assert all(e.level == "national" for e in national)


def original_of(source) -> Path:
    """A source's original as received: a seed report (outside the product), or the
    excerpt kept in the development corpus (benchmarks/corpus/<original_file>)."""
    corpus = REPO / "benchmarks" / "corpus" / source.get("original_file")
    return corpus if corpus.is_file() else seeds_dir() / source.get("original_file")


def test_sha256_is_the_hash_of_the_original_as_received(cat):
    for source in cat.sources.values():
        original = original_of(source)
        assert hashlib.sha256(original.read_bytes()).hexdigest() == source.get("sha256"), source.id


def test_cleaned_texts_only_remove_lines(cat):
    """Cleaning drops page furniture and repeated copies; it never edits a kept line."""
    for source in cat.sources.values():
        original_lines = {line.strip() for line in original_of(source).read_text(encoding="utf-8").splitlines()}
        for line in cat.read_source_text(source).splitlines():
            assert line.strip() in original_lines, (source.id, line[:40])


# --- the query commands on the real catalogue --------------------------------------------


def listed(*args: str) -> list[str]:
    result = invoke("list", "--catalogue", str(CATALOGUE), "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [e["id"] for e in json.loads(result.stdout)]


def test_guizhou_lists_chishui_entries():
    guizhou = listed("--locality", "贵州")
    assert "chishui-sanding" in guizhou and "taijiang-shihu-yiti" in guizhou
    assert "jian-sigeyi" not in guizhou
    assert listed("--locality", "貴州") == guizhou == listed("--locality", "520000")


def test_what_did_guizhou_do_about_cadre_accountability():
    found = listed("--locality", "贵州", "--theme", "cadre-accountability")
    assert "chishui-sanding" in found
    assert all(i.startswith(("chishui-", "guizhou-", "liupanshui-", "taijiang-", "zhongshan-")) for i in found)


@pytest.mark.parametrize("text", ["三變", "三变", "sanbian", "sān biàn"])
def test_what_is_sanbian(text):
    result = invoke("search", text, "-C", str(CATALOGUE), "-f", "json")
    assert json.loads(result.stdout)[0]["id"] == "guizhou-sanbian"


@pytest.mark.parametrize("text", ["sanding", "san ding", "sān dìng"])
def test_sanding_in_pinyin(text):
    result = invoke("search", text, "-C", str(CATALOGUE), "-f", "json")
    assert json.loads(result.stdout)[0]["id"] == "chishui-sanding"


def test_where_else_does_1_plus_x_appear():
    result = invoke("show", "1+X", "-C", str(CATALOGUE))
    assert result.exit_code == 1
    assert "chishui-1plusx" in result.stderr and "fengqing-1plusx" in result.stderr


@pytest.mark.parametrize(
    "place, expected",
    [
        ("江西", "jiangxi-sanda-gongcheng"),  # province
        ("吉安市", "jian-city-yishu-liangqiang"),  # prefecture
        ("六盘水", "liupanshui-fumian-qingdan"),  # prefecture
        ("凤庆", "fengqing-4plus"),  # county
        ("潢川縣", "huangchuan-1233"),  # county, traditional
        ("永阳镇", "jian-yongyang-jiangnan-sitong-yifen-quanfugai"),  # township: its village's entry
        ("江南村", "jian-yongyang-jiangnan-sitong-yifen-quanfugai"),  # village
        ("national", "national-liangxue-yizuo"),
    ],
)
def test_locality_matching_at_every_level(place, expected):
    found = listed("--locality", place)
    assert expected in found
    cat = load_catalogue(CATALOGUE)
    places = query.resolve_localities(cat, [place])
    assert all(cat.mechanisms[i].get("locality") in places for i in found)


def test_prefecture_includes_its_counties_but_not_its_province():
    jian_city = listed("--locality", "吉安市")
    assert "jian-sigeyi" in jian_city and "jiangxi-sanda-gongcheng" not in jian_city


@pytest.mark.parametrize(
    "flag, value, field",
    [
        ("--kind", "campaign", "kind"),
        ("--level", "province", "level"),
        ("--status", "draft", "status"),
        ("--year", "2016", "year"),
    ],
)
def test_each_filter_on_the_real_catalogue(flag, value, field):
    result = invoke("list", "-C", str(CATALOGUE), "-f", "json", flag, value)
    entries = json.loads(result.stdout)
    assert entries, f"{flag} {value} found nothing"
    assert all(str(e.get(field)) == value for e in entries)
    assert len(entries) < len(load_catalogue(CATALOGUE).entries())


def test_source_filter_on_the_real_catalogue():
    entries = json.loads(invoke("list", "-C", str(CATALOGUE), "-f", "json", "--source", "guizhou-2016").stdout)
    assert entries and all("guizhou-2016" in [s["source"] for s in e["sources"]] for e in entries)


def test_registry_views_on_the_real_catalogue(cat):
    tree = invoke("localities", "-C", str(CATALOGUE)).stdout
    assert "赤水市 Chishui City [chishui] 520381" in tree
    themes = json.loads(invoke("themes", "-C", str(CATALOGUE), "-f", "json").stdout)
    assert sum(t["_entries"] for t in themes) >= len(cat.entries())
    sources = json.loads(invoke("sources", "-C", str(CATALOGUE), "-f", "json").stdout)
    assert {s["id"] for s in sources} == set(cat.sources)
    stats = json.loads(invoke("stats", "-C", str(CATALOGUE), "-f", "json").stdout)
    assert stats["entries"]["total"] == len(cat.entries())
    grid = json.loads(invoke("matrix", "--by", "county", "-C", str(CATALOGUE), "-f", "json").stdout)
    assert {"chishui", "huangchuan", "fengqing", "jian"} <= {row["locality"] for row in grid}
