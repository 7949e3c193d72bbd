"""`polcat extract` on the development corpus (benchmarks/corpus): noise, places, known
entries across places, speed. Only the ``dev`` split is used here: the held-out split
is for the benchmark (benchmarks/extract_quality.py --split heldout), run rarely."""

from __future__ import annotations

import importlib.util
import random
import sys
import time

import pytest
import yaml
from support import REPO

from polcat import extract as ex
from polcat import gazetteer

CORPUS = REPO / "benchmarks" / "corpus"


def dev_reports() -> list[tuple[dict, str]]:
    out = []
    for path in sorted(CORPUS.glob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        if meta.get("split") == "dev":
            out.append((meta, path.with_suffix(".txt").read_text(encoding="utf-8")))
    return out


DEV = dev_reports()
CLEAN = [(m, t) for m, t in DEV if m["script"] != "annotated"]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("extract_quality", REPO / "benchmarks" / "extract_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- noise ------------------------------------------------------------------------------------


def add_pinyin(text: str, rng: random.Random) -> str:
    """Pinyin in brackets after some characters, as web copies do: 統(tǒng)."""
    from polcat.chinese import pinyin

    out = []
    for char in text:
        out.append(char)
        if "\u4e00" <= char <= "\u9fff" and rng.random() < 0.15:
            out.append(f"({pinyin(char)})")
    return "".join(out)


def add_reference_marks(text: str, rng: random.Random) -> str:
    return "".join(c + (f"[{rng.randint(1, 30)}]" if c == "。" and rng.random() < 0.5 else "") for c in text)


def ascii_quotes(text: str, rng: random.Random) -> str:
    return text.replace("“", '"').replace("”", '"')


def half_width(text: str, rng: random.Random) -> str:
    return text.translate(str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"}))


def add_mojibake(text: str, rng: random.Random) -> str:
    """Runs of UTF-8 read as GBK between sentences (鈥滄垜鏄…), as broken copies carry."""
    sentences = text.split("。")
    for _ in range(3):
        at = rng.randrange(len(sentences))
        junk = "我们的工作取得了明显成效".encode().decode("gbk", errors="replace")
        sentences[at] = sentences[at] + "。" + junk if at < len(sentences) - 1 else sentences[at]
    return "。".join(sentences)


NOISE = [add_pinyin, add_reference_marks, ascii_quotes, half_width, add_mojibake]


def keys(text: str) -> set[str]:
    return {c.key for c in ex.find_candidates(text)}


@pytest.mark.parametrize("noise", NOISE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("meta, text", CLEAN, ids=[m["id"] for m, _ in CLEAN])
def test_noisy_text_gives_the_same_names(meta, text, noise):
    rng = random.Random(meta["id"] + noise.__name__)
    assert keys(noise(text, rng)) == keys(text)


@pytest.mark.parametrize("seed", range(8))
def test_all_noise_at_once_gives_the_same_names(seed):
    rng = random.Random(seed)
    meta, text = CLEAN[seed % len(CLEAN)]
    noisy = text
    for noise in NOISE:
        noisy = noise(noisy, rng)
    assert keys(noisy) == keys(text), meta["id"]


def test_labels_and_sentences_are_reported_as_the_original_writes_them():
    text = "实施“爭創(chuàng)五旗”活动,,打造强有力的村级黨組織。"
    (candidate,) = ex.find_candidates(text)
    assert candidate.label == "爭創(chuàng)五旗" and candidate.key == "争创五旗"
    assert candidate.sentence == text
    assert text[candidate.start : candidate.start + len(candidate.label)] == candidate.label


def test_cleaning_keeps_offsets():
    text = "統(tǒng)籌在省[1],責(zé)任在縣。"
    cleaned = ex.clean(text)
    assert cleaned.text == "統籌在省，責任在縣。"
    assert cleaned.original_of(0, 2) == "統(tǒng)籌"
    assert cleaned.original_of(5, 9) == "責(zé)任在縣"


# --- places -----------------------------------------------------------------------------------


# Issue 17 asks for 90%. Batch 3 brought four wrong places (a province's title short
# form ambiguous with a prefecture of Qinghai, a city short form shared with a county
# inside it, a special administrative region's report, a prefecture's own short form the
# gazetteer lacked) and a report naming its county only in its header; the place rules
# of docs/extract.md ("Places") fixed them by class. The floor is today's figure: one
# wrong, batch 10's 铜梁 report (page 3 of a repost, naming its district only by a short
# form the dictionary does not tag, with nothing to back it: extract names no place).
_PLACES_WRONG_TODAY = 1


def expected_place(meta: dict) -> str | None:
    """The report's own place; none for a report that never names it (place_stated: false)."""
    return meta["adcode"] if meta.get("place_stated", True) else None


def test_report_place_at_its_own_level():
    """Right for every dev report (no place for the reports that name none)."""
    wrong = [
        (m["id"], ex.report_place(t), expected_place(m)) for m, t in DEV if ex.report_place(t) != expected_place(m)
    ]
    assert len(wrong) <= _PLACES_WRONG_TODAY, wrong
    assert len(DEV) >= 40  # the floor means something only on the whole split


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "新华社南宁7月4日电 题：广西百色：培育干部\n百色市田阳县村民致富。",
            "451000",
        ),  # the dateline is not the place
        ("直通荆门 | 河湖治理\n荆门市东宝区推进工作。东宝区创新。东宝区马河镇。", "420802"),  # the body goes lower
        ("湖南实施工程 推进乡村全面振兴\n湖南省出台意见。", "430000"),  # 振兴 is a word, not 振兴区
        ("来源：荆楚网（湖北日报网）\n武汉市武昌区南湖街道推进工作。", "420106"),  # a newspaper; 南湖街道 is smaller
        ("今天天气很好。", None),
        ("推进乡村振兴。红旗飘扬。", None),  # short forms nothing backs are words (振兴区, 红旗区)
        ("桐乡依托改革描绘新画卷\n桐乡正是发源地。", "330483"),  # a short form the dictionary knows as a place
        # a short form of another province (巴州 ns: 巴州区 of Sichuan) is not taken when the text
        # names the province it is in; in Xinjiang 巴州 is 巴音郭楞's own short form
        ("新疆推进网格治理\n新疆巴州持续深化治理。巴州创新。", "652800"),
        ("四川巴州持续深化治理。巴州创新。", "511902"),
        ("巴州持续深化治理。", None),  # two divisions share it and nothing decides
        # the title's place stays when the body names places inside it as examples
        (
            "巴音郭楞蒙古自治州推进治理\n巴州建立中心。和静县的村民说，和静县的做法好，和静县的干部忙。巴州总结经验。",
            "652800",
        ),
        ("湘西州织密服务网\n湘西州全面推行办法。", "433100"),  # an autonomous prefecture's 州 form
        ("克州织密服务网\n克州全面推行办法。", "653000"),  # in Xinjiang, its first character + 州
        # a province's short form a prefecture of Qinghai shares (海南藏族自治州) is backed by the
        # province's full name; two of its counties named once each are examples
        ("海南推进工作\n海南省出台办法。琼海市试点，琼海市先行。", "460000"),
        # a city's short form its own county shares (乌鲁木齐县) is the city
        ("乌鲁木齐建设美丽乡村\n乌鲁木齐的村庄变美了。", "650100"),
        # 高新区 holds 新区, a former district's full name: a common noun, no place
        ("乌鲁木齐高新区推进工作\n高新区企业增多。", "650100"),
        # a special administrative region: 港府, 特区政府 backed by 香港; named first when a
        # partner province is named as often
        ("發布數字政策\n港府宣布計劃。特區政府與廣東省合作，香港與廣東省互通。", "810000"),
        ("發布數字政策\n特區政府與廣東省合作，香港與廣東省互通。", "810000"),
        ("澳府推出措施\n澳門特區政府發布。", "820000"),
        ("特區政府推出措施。", None),  # either region: nothing decides
        # a dictionary word across a name's edge: no place there (推广 + 东星斑; 和 + 县委书记)
        ("会上推广东星斑养殖经验，推广东星斑苗种。", None),
        ("市委和县委书记参加会议。", None),
        ("领导来到和县调研。", "340523"),
        # a report naming its county only in its header (the county's own media) and speaking
        # of the county's level (县委)
        ("王某检查调解中心\n来源：平乐发布\n县委书记王某到中心检查工作。", "450330"),
        ("王某检查调解中心\n来源：平乐发布\n书记王某到中心检查工作。", None),  # no level word
        # not in the header
        ("王某检查调解中心\n发布日期：2025年\n县委书记王某到中心检查工作。\n他说，平乐的经验好。", None),
        # a short form the dictionary tags as a place, used once in the body, is as likely the
        # word (新建 ns, a district of Nanchang, and 新建 a verb); twice or in the title, a place
        ("镇里推进扶贫\n对渠道进行整治，新建高标准农田滴灌设施。", None),
        ("桐乡依托改革\n全市推进工作，桐乡正是发源地。", "330483"),
        # an autonomous county by its short form + 县; the current one before a former county
        # of the same name (东乡县 of Jiangxi, now 东乡区)
        ("东乡县坚持产业扶贫\n东乡县调整布局。", "622926"),
        ("三都县推进治理\n三都县建好中心。", "522732"),
        # an ethnic district by its short form + 区; a road named after a place in the header
        # (城东路: 城东区 is a district of Xining) is no mention of it
        ("管城区推进社区建设\n管城区委书记调研。", "410104"),
        ("在城东路街道党群服务中心\n区委书记调研社区建设。", None),
        # a short form right before one of the place's government bodies names the place
        ("柞水安监局推行工作法\n柞水安监局今年包扶大沙河。", "611026"),
        ("工作推进\n振兴局面向好，新建局面打开。", None),  # 局面 is a word, no body
        # batch 12: a short form that opens the title before a colon is the report's place,
        # even one the dictionary reads as a person's name (寿宁 nr)
        ("壽寧：“三重三強”拓寬扶貧開發路\n壽寧因人而異。", "350924"),
        ("推进扶贫\n寿宁因人而异。", None),  # in the body alone, nothing backs it
        # a province's short form inside a quotation is a brand (“山东手造”), not the place
        ("圣水峪镇推进振兴\n打造“山东手造·济宁好礼”展厅。", None),
        # a district three prefectures share (铁西区): the one the most specific place backs
        ("沈阳市铁西区综治中心运行纪实\n来源：辽宁法治报\n沈阳寒意正浓，铁西区综治中心暖意融融。", "210106"),
    ],
)
def test_report_place_rules(text, code):
    assert ex.report_place(text) == code


def test_known_never_crosses_places():
    from polcat.catalogue import load_catalogue
    from polcat.extract.annotate import places_agree, registry_code

    cat = load_catalogue()
    for meta, text in DEV:
        report = ex.report_place(text)
        for candidate in ex.extract(text, cat):
            if candidate.known:
                entry = registry_code(cat, cat.mechanisms[candidate.known].get("locality"))
                code = (
                    candidate.locality
                    if candidate.locality and candidate.locality[:1].isdigit()
                    else registry_code(cat, candidate.locality)
                )
                assert places_agree(entry, code, report), (meta["id"], candidate.label, candidate.known)
            for other in candidate.same_name_elsewhere:
                assert other != candidate.known


# --- quality on the dev split (a regression check; the held-out split is the test) -----------


# Recall and precision per field on the dev split (210 reports, batches 8 to 12 folded in),
# as measured at round 9 (docs/extract.md): a change may not make any field worse. The
# issue's targets (90% / 80%) are for the held-out split; the dev split holds reports the
# rules still miss.
DEV_FLOORS = {
    "field: administrative-services": (0.682, 0.826),
    "field: community-governance": (0.695, 0.818),
    "field: dispute-resolution": (0.740, 0.822),
    "field: environment": (0.670, 0.808),
    "field: party-building": (0.806, 0.811),
    "field: poverty-alleviation": (0.789, 0.814),
    "field: rural-revitalisation": (0.711, 0.856),
}


def test_dev_split_holds_its_figures_in_every_field():
    from polcat.catalogue import load_catalogue

    bench = load_benchmark()
    groups, _, placed, _ = bench.run(bench.corpus_reports("dev"), load_catalogue())
    assert set(DEV_FLOORS) <= set(groups)
    for group, (recall, precision) in DEV_FLOORS.items():
        row = groups[group]["polcat"]
        assert row.recall >= recall - 0.0005, (group, row.recall)
        assert row.precision >= precision - 0.0005, (group, row.precision)
    # (places: test_report_place_at_its_own_level)
    assert sum(got != want for _, want, got in placed) <= _PLACES_WRONG_TODAY


def test_the_form_rows_split_names_and_candidates_without_losing_any():
    """The benchmark's ``form: quoted`` and ``form: unquoted`` rows partition the whole:
    every name and every candidate is counted in exactly one of them; a name written only
    without quotation marks is unquoted, one quoted anywhere is quoted."""
    from polcat.catalogue import load_catalogue

    bench = load_benchmark()
    groups, _, _, _ = bench.run(bench.corpus_reports("dev"), load_catalogue())
    whole, quoted, unquoted = (groups[g]["polcat"] for g in ("all", "form: quoted", "form: unquoted"))
    assert quoted.reference + unquoted.reference == whole.reference
    assert quoted.candidates + unquoted.candidates == whole.candidates
    assert quoted.right + unquoted.right == whole.right
    assert quoted.found | unquoted.found == whole.found and not quoted.found & unquoted.found
    assert quoted.reference and unquoted.reference and unquoted.candidates
    assert groups["form: unquoted"]["baseline"].candidates == 0  # (the baseline takes quotations only)

    text = "推行“三定”工作机制，建立林长制巡查制度。"
    report = bench.Report(
        "t",
        text,
        [bench.Expected(f"t#{i}", bench.Name(zh=n)) for i, n in enumerate(("三定", "林长制巡查制度", "四议两公开"))],
        "party-building",
        "Hans",
        None,
    )
    found = ex.extract(text)
    forms = bench.by_form(report, found, bench.score(None, report.reference, found, "t"))
    assert (forms["quoted"].reference, forms["unquoted"].reference) == (1, 2)
    assert forms["quoted"].found == {("t", "t#0")}


# --- time linear in the input (issue 12) ------------------------------------------------------

SIZE = 200_000
# Seconds measured on the development machine for 200 KB (docs/extract.md); the bound is
# ten times that: only a quadratic or exponential blow-up breaks it.
SHAPES = {
    "no punctuation": (("党建引领基层治理创新发展" * SIZE)[:SIZE], 0.6),
    "quotation marks": ("“" * SIZE, 0.35),
    "ASCII quotation marks": ('"' * SIZE, 1.0),
    # an odd number on one line: which mark lost its partner is chosen in one pass (round 8)
    "ASCII quotation marks, one lost": ('"' * (SIZE - 1), 1.7),
    "一是/二是 items": (("一是抓好“四个一”。二是推行“三定”。" * SIZE)[:SIZE], 1.8),
    "plus signs": (("党支部+" * SIZE)[:SIZE], 0.4),
    "、-list items": (("议事协商、" * SIZE)[:SIZE], 0.6),
    "quoted heads of a campaign": (("治“三乱”、" * SIZE)[: SIZE - 7] + "百日攻坚行动。", 2.7),
    # thousands of distinct candidates (each a coinage, also written after a verb)
    "distinct quoted coinages": (
        "".join(f"居民通过“邻{i}坊”反映。开展邻{i}坊。" for i in range(SIZE // 14))[:SIZE],
        2.3,
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_time_is_linear_in_the_input(name):
    text, measured = SHAPES[name]
    began = time.perf_counter()
    ex.extract(text)
    assert time.perf_counter() - began < 10 * measured, name


def test_gazetteer_knows_every_corpus_place():
    gaz = gazetteer.load()
    for meta, _ in DEV:
        assert gaz.get(meta["adcode"]) is not None, meta["id"]
