"""A place the registry lacks but the GB/T 2260 gazetteer knows: `new` adds it (and its
parents) to localities.yaml; filters accept it; the file keeps its comments."""

from __future__ import annotations

from support import invoke

from polcat.catalogue import load_catalogue
from polcat.newplace import find_division, plan


def test_new_adds_the_place_and_its_parents(mini):
    before = (mini / "localities.yaml").read_text(encoding="utf-8")
    result = invoke("new", "--name", "三定", "--locality", "广平县", "--source", "simp", "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    assert "added to localities.yaml" in result.stderr and "广平县 (guangping, 130432)" in result.stderr
    after = (mini / "localities.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # appended: nothing before it changes
    cat = load_catalogue(mini)
    chain = [p.id for p in cat.chain("guangping")]
    assert chain == ["guangping", "handan", "hebei", "national"]
    assert [p.adcode for p in cat.chain("guangping")][:3] == ["130432", "130400", "130000"]
    assert invoke("validate", str(mini)).exit_code == 0
    listed = invoke("list", "--locality", "河北", "-C", str(mini), "-f", "jsonl")
    assert listed.exit_code == 0 and "guangping-sanding" in listed.stdout


def test_dry_run_writes_nothing(mini):
    before = (mini / "localities.yaml").read_bytes()
    result = invoke("new", "--name", "三定", "--locality", "130432", "--source", "simp", "--dry-run", "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    assert "would add" in result.stderr and "locality: guangping" in result.stdout
    assert (mini / "localities.yaml").read_bytes() == before


def test_a_real_place_without_entries_is_a_query_that_finds_nothing(mini):
    assert invoke("list", "--locality", "山西", "-C", str(mini)).exit_code == 1
    assert invoke("list", "--locality", "火星", "-C", str(mini)).exit_code == 2


def test_plan_reuses_registered_parents(mini):
    cat = load_catalogue(mini)
    places = plan(cat, find_division("凯里市"))  # under 黔东南, under 贵州 (registered)
    assert [p.division.code for p in places] == ["522600", "522601"]
    assert places[0].parent == "guizhou" and places[1].parent == places[0].id


def test_shaanxi_and_shanxi_stay_apart_and_polyphones_are_read_as_places_are(mini):
    """Plain pinyin makes 陕西 and 山西 both Shanxi and reads 长治 as zhǎng zhì."""
    assert invoke("new", "--name", "三定", "--locality", "长治市", "--source", "simp", "-C", str(mini)).exit_code == 0
    assert invoke("new", "--name", "三定", "--locality", "吴堡县", "--source", "simp", "-C", str(mini)).exit_code == 0
    cat = load_catalogue(mini)
    by_code = {p.adcode: p for p in cat.all_localities() if p.adcode}
    assert by_code["140000"].id == "shanxi" and by_code["610000"].id == "shaanxi"
    assert by_code["610000"].name.en == "Shaanxi Province" and by_code["610000"].name.pinyin == "Shǎnxī Shěng"
    assert by_code["140400"].id == "changzhi" and by_code["140400"].name.pinyin == "Chángzhì Shì"
    assert by_code["610829"].id == "wubu"
    assert invoke("validate", str(mini)).exit_code == 0


def test_a_mistyped_place_suggests_places_of_the_gazetteer_by_sound_and_shape(mini):
    """Any place of China is accepted, so any can be suggested: 吴宝县 (a homophone's typo)
    suggests 吴堡县, which the registry does not have; 池水市 suggests 赤水市, which it has."""
    for typed, meant in (("吴宝县", "吴堡县"), ("池水市", "赤水市")):
        result = invoke("new", "--name", "三定", "--locality", typed, "--source", "simp", "-C", str(mini))
        assert result.exit_code == 2
        (line,) = result.stderr.strip().splitlines()
        assert "did you mean" in line and meant in line.split("did you mean")[1], line
