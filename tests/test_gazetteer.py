"""The reference gazetteer: codes, names, short forms, parents, former names; load time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from polcat import gazetteer
from polcat.chinese import simplify_chars


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def test_by_code_and_chain(gaz):
    assert gaz.get("520381").name == "赤水市"
    assert [d.name for d in gaz.chain("520381")] == ["贵州省", "遵义市", "赤水市"]
    assert gaz.chain_name("520381") == "贵州省 > 遵义市 > 赤水市"
    assert gaz.parent("520381").code == "520300"
    assert gaz.is_ancestor("520000", "520381") and not gaz.is_ancestor("520381", "520000")
    assert gaz.get("999999") is None and gaz.chain_name("999999") == ""


@pytest.mark.parametrize(
    "name, code",
    [
        ("赤水市", "520381"),
        ("赤水", "520381"),
        ("黔东南", "522600"),
        ("黔东南苗族侗族自治州", "522600"),
        ("广西", "450000"),
        ("内蒙古", "150000"),
        ("黑龙江", "230000"),
        ("澳门", "820000"),
        ("宁夏", "640000"),
        ("海北", "632200"),
        ("恩施", "422800"),
        ("鄂伦春", "150723"),
        ("巴里坤", "650521"),
        ("神农架", "429021"),
        ("六枝", "520203"),
        ("貴州", "520000"),
        ("520381", "520381"),
    ],
)
def test_lookup_by_full_and_short_names(gaz, name, code):
    assert gaz.lookup(name)[0].code == code


def test_former_names_and_successors(gaz):
    (former,) = gaz.lookup("盘县")
    assert (former.code, former.until, former.current) == ("520222", "2017", False)
    assert gaz.current("520222").name == "盘州市"
    assert gaz.current("522400").code == "520500"  # 毕节地区 -> 毕节市
    assert next(d.name for d in gaz.names_of("520500")) == "毕节市"


def test_short_forms():
    assert gazetteer.short_forms("黔东南苗族侗族自治州", "prefecture") == {"黔东南"}
    assert gazetteer.short_forms("巴里坤哈萨克自治县", "county") == {"巴里坤"}
    assert gazetteer.short_forms("内蒙古自治区", "province") == {"内蒙古"}
    assert gazetteer.short_forms("县", "county") == set()
    assert gazetteer.short_forms("乌拉特后旗", "county") == set()  # 旗 stays: 乌拉特后 is no short form


def test_suffixed_forms():
    assert gazetteer.suffixed_forms("湘西土家族苗族自治州", "prefecture", "433100") == {"湘西州"}
    assert gazetteer.suffixed_forms("巴音郭楞蒙古自治州", "prefecture", "652800") == {"巴音郭楞州", "巴州"}
    # a long stem is cut to its first character in Xinjiang only (西双版纳 is never 西州)
    assert gazetteer.suffixed_forms("西双版纳傣族自治州", "prefecture", "532800") == {"西双版纳州"}
    assert gazetteer.suffixed_forms("香港特别行政区", "province", "810000") == {"香港特区", "港府"}
    assert gazetteer.suffixed_forms("赤水市", "county", "520381") == set()
    # an autonomous county or banner by its short form and 县 or 旗 (东乡族自治县: the people's 族 goes too)
    assert gazetteer.suffixed_forms("巴里坤哈萨克自治县", "county", "650521") == {"巴里坤县"}
    assert gazetteer.suffixed_forms("东乡族自治县", "county", "622926") == {"东乡县"}
    assert gazetteer.suffixed_forms("鄂伦春自治旗", "county", "150723") == {"鄂伦春旗"}
    # an ethnic district by its short form and 区 (reports write 管城区 for 管城回族区)
    assert gazetteer.short_forms("管城回族区", "county") == {"管城"}
    assert gazetteer.suffixed_forms("管城回族区", "county", "410104") == {"管城区"}
    assert gazetteer.suffixed_forms("梅里斯达斡尔族区", "county", "230208") == {"梅里斯区"}


@pytest.mark.parametrize(
    "name, codes",
    [
        ("湘西州", ["433100"]),
        ("黔东南州", ["522600"]),
        ("博州", ["652700"]),
        ("克州", ["653000"]),
        ("巴州", ["652800", "511902"]),  # shared: 巴音郭楞 and 巴州区 of Sichuan; the caller decides
        ("香港特區", ["810000"]),  # traditional script
        ("港府", ["810000"]),
        ("澳門特區", ["820000"]),
        ("香港", ["810000"]),
    ],
)
def test_lookup_by_suffixed_forms(gaz, name, codes):
    assert [d.code for d in gaz.lookup(name)] == codes
    assert gaz.is_suffixed_form(simplify_chars(name)) == (name != "香港")


def test_every_suffixed_form_of_a_current_division_is_unique_or_shared_knowingly(gaz):
    """No suffixed form collides with another division's name (its own former codes aside),
    except 巴州 (巴州区 of Sichuan) and 东乡县 (the former county of Jiangxi, now 东乡区);
    the current division comes first."""
    shared = {}
    for division in gaz.divisions:
        if division.current:
            for form in gazetteer.suffixed_forms(division.name, division.level, division.code):
                found = gaz.lookup(form)
                others = {d.code for d in found if d.code != division.code and d.successor != division.code}
                if others:
                    shared[form] = {division.code, *others}
                    assert found[0].code == division.code or found[0].current, form
    assert shared == {"巴州": {"652800", "511902"}, "东乡县": {"622926", "361029"}}
    assert gaz.lookup("东乡县")[0].code == "622926"


def test_every_current_county_reaches_a_province(gaz):
    for division in gaz.divisions:
        if division.current:
            assert gaz.chain(division.code)[0].level == "province", division


def test_a_warm_load_reads_the_cached_index_without_parsing_the_table(tmp_path):
    """Cold loads parse the table and cache the index in polcat's cache folder; warm loads
    (each in a fresh process) take the index from there and never parse the table. The
    times (about 25 ms cold, 3 ms warm) are in docs/extract.md: no timed assertion here."""
    code = (
        "import sys\n"
        "from polcat import gazetteer\n"
        "if sys.argv[1] == 'warm':\n"
        "    def refuse(text): raise AssertionError('parsed the table again')\n"
        "    gazetteer._parse = refuse\n"
        "print(gazetteer.load().lookup('赤水')[0].code)\n"
    )
    env = {**os.environ, "POLCAT_CACHE_DIR": str(tmp_path)}
    env.pop("POLCAT_NO_CACHE", None)

    def run(mode: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code, mode], env=env, capture_output=True, text=True)

    assert run("warm").returncode != 0  # nothing cached yet: the table must be parsed
    cold = run("cold")
    assert cold.returncode == 0 and cold.stdout.strip() == "520381", cold.stderr
    assert (tmp_path / "gazetteer.marshal").exists(), "the index is cached"
    warm = run("warm")
    assert warm.returncode == 0 and warm.stdout.strip() == "520381", warm.stderr
