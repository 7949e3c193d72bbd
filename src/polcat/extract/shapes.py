"""Shapes of a label: what its form alone says (an X+Y model, a number code, parallel
clauses) and what rules it out (quoted speech, a role, an honour, an idiom)."""

from __future__ import annotations

import re
from functools import lru_cache

from polcat.extract.lexicon import (
    CAMPAIGN_NOUNS,
    CAMPAIGN_PERIODS,
    CJK,
    CLASSICAL,
    HONOUR_ENDINGS,
    HOUSEHOLD_ENDINGS,
    LEXICAL_NUMERALS,
    MEASURES,
    NAME_ENDINGS,
    NUMBER_VALUES,
    NUMERALS,
    ORGANISATION_ENDINGS,
    PLACE_ENDINGS,
    PROBLEM_NOUNS,
    QUESTION_WORDS,
    ROLE_ENDINGS,
)
from polcat.extract.text import has_cjk, normalise

MAX_QUOTED = 24  # characters; longer quotations are quotations, not names
MAX_TITLE = 60  # 《》 document titles are long

# 谁受益谁领办, 谁主管谁负责, 谁污染谁治理: whoever does the one does the other, a principle of
# responsibility, not a question
_RESPONSIBILITY_PRINCIPLE = re.compile("谁[^谁吗呢？?]{1,5}谁[^谁吗呢？?]{1,5}")
# 十三五, 十四五: the period of a five-year plan, whatever follows it (“十四五”总体规划)
_FIVE_YEAR_PLAN = re.compile("十[一二三四五六七八九]五")
# 一任接着一任干, 一茬接着一茬干: one term after another, a saying, not a code
_SUCCESSION = re.compile(r"(一[^\W\d])(?:接着|接|连着|跟着)\1")
_SENTENCE_MARKS = re.compile(r"[。！？!?；;…]")
_SPEECH_CHARS = re.compile(r"[。！？!?；;…]|[我你您咱俺]")
SPEECH = "quoted speech (sentence punctuation or a personal pronoun)"
_SHORT_INNER = re.compile("^(?=.{3,12}$).*?[‘“「『][^‘’“”「」『』]{1,2}[’”」』]")
_CLAUSE_SPLIT = re.compile("[、，,·\\s]")


# A campaign named after its period: 冬春攻势, 百日攻坚行动, 秋冬植树会战 (at most eight
# characters between the period and the campaign noun, none of them 的).
CAMPAIGN = (
    "(?:"
    + "|".join(sorted(CAMPAIGN_PERIODS, key=len, reverse=True))
    + rf")(?:(?!的)[{CJK}]){{0,8}}?(?:"
    + "|".join(sorted(CAMPAIGN_NOUNS, key=len, reverse=True))
    + ")"
)
_CAMPAIGN_RE = re.compile(CAMPAIGN)


def is_campaign(label: str) -> bool:
    """A season or a span of days followed by an offensive, a battle or an action."""
    return _CAMPAIGN_RE.fullmatch(normalise(label)) is not None


def is_plus_model(label: str) -> bool:
    """``X+Y`` or ``X+``: 支部+合作社+农户, 党员+, 1+X, 4+ (each part Chinese, a number or X)."""
    plain = normalise(label)
    parts = [p for p in plain.split("+") if p]
    if "+" not in plain or not parts:
        return False
    return all(has_cjk(p) or re.fullmatch(r"\d+|[xXnN]", p) for p in parts)


@lru_cache(maxsize=8192)  # (each use of a label asks again)
def is_number_code(label: str) -> bool:
    """A label built on a number: 三定, 四个一, 五必查五抽查, 1233, 两个80%, 决战决胜60天."""
    label = normalise(label)
    if not label or len(label) > 12:
        return False
    word = next((w for w in LEXICAL_NUMERALS if label.startswith(w)), None)
    if word is not None:  # 一线工作法 is not a number code, 一体化三联动 is
        return any(c in NUMERALS or c.isdigit() for c in label[len(word) :])
    if label[0] in NUMERALS or label[0].isdigit():
        return True
    return any(c.isdigit() for c in label) and has_cjk(label)


def clauses(label: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(normalise(label).replace("，", ",")) if c]


@lru_cache(maxsize=8192)
def is_parallel(label: str) -> bool:
    """Parallel clauses (排比): one length, a character shared in one place (抓基层、打基础,
    重心下移、权力下放、业绩下评), or clauses of five characters or more (只进一扇门、
    最多跑一地、事情全办成: a watchword rather than a list of goals)."""
    plain = normalise(label)
    groups = [g for g in re.split("[，,]", plain) if g]
    if len(groups) >= 2 and all("、" in g for g in groups):  # 抓基层、打基础，解难题、求突破: couplets
        shapes = {tuple(len(c) for c in g.split("、")) for g in groups}
        if len(shapes) == 1 and len(next(iter(shapes))) >= 2 and len(set(next(iter(shapes)))) == 1:
            return True
    parts = clauses(label)
    if len(parts) < 2 or len(parts) > 6 or len({len(c) for c in parts}) != 1 or not 2 <= len(parts[0]) <= 9:
        return False
    if len(parts[0]) >= 5:
        return True
    return any(len({c[i] for c in parts}) == 1 for i in range(len(parts[0])))


def is_plain_list(label: str) -> bool:
    """A 、-list of short items that are not parallel: a list of tasks or services
    (党建引领、政企共治、双线融合), not a name."""
    parts = clauses(label)
    return len(parts) >= 3 and all(len(p) <= 6 for p in parts) and not is_parallel(label)


def leading_count(label: str) -> int | None:
    """The number a label starts with when it counts parts: 四个工程 -> 4, 4+ -> 4, 双推进 -> 2."""
    label = normalise(label)
    digits = re.match(r"\d+", label)
    if digits:
        return (
            int(digits.group()) if label[digits.end() : digits.end() + 1] == "+" or len(digits.group()) == 1 else None
        )
    return NUMBER_VALUES.get(label[:1])


def count_value(token: str) -> int | None:
    return int(token) if token.isdigit() else NUMBER_VALUES.get(token)


def is_numeral_idiom(plain: str) -> bool:
    """Four characters with numerals in first and third place and nothing else countable:
    三心二意, 七上八下, 五湖四海 (idioms), unlike 三会一课 or 两学一做, which the
    dictionary does not hold. Decided with the dictionary: only a dictionary word is an idiom."""
    from polcat.extract.lexicon import word_tag

    if len(plain) != 4 or plain[0] not in NUMERALS:
        return False
    if plain[2] not in NUMERALS:  # 一池春水, 一马当先: one numeral, an idiom of the dictionary
        return word_tag(plain) == "i" and not any(c in NUMERALS for c in plain[1:])
    return word_tag(plain) in ("i", "m", "nz")  # (not l: 一岗双责, 一票否决 are set phrases and names)


def is_couplet(plain: str) -> bool:
    """A classical line or couplet: five or seven characters a clause with a classical
    particle (郡县治则天下安), no name noun."""
    parts = clauses(plain)
    return (
        all(len(p) in (5, 7) for p in parts) and any(c in CLASSICAL for c in plain) and not plain.endswith(NAME_ENDINGS)
    )


# Days the calendar commemorates (七一: the Party's founding, 八一, 五四, 三八 …), written as
# their month and day; other pairs of numerals are codes (鲁山's “三三”).
_DATE = re.compile("(?:五[·.・]?[一四]|六[·.・]?一|七[·.・]?[一七]|八[·.・]?一|十[·.・]?一|三[·.・]?八|九[·.・]?九)")
# 一个中心, 一个平台: one institution counted, as a number code names it (建好“一个中心”)
_COUNTED_INSTITUTIONS = ("中心", "平台", "阵地", "体系")
# A verb's complement of change (特色产业“强起来”, 增收路径“宽起来”): a result, never a name.
_CHANGE_ENDINGS = ("起来", "下去", "上来", "出来")
# What the policy cures (居民反映的“三大痛点”): a problem, not how it is solved.
_PROBLEM_ENDINGS = tuple(n for n in PROBLEM_NOUNS if n not in ("问题", "困境"))  # (…问题 ends plain nouns)


def has_sentence_marks(label: str) -> bool:
    """Sentence punctuation inside a label: speech, whatever surrounds it."""
    return bool(_SENTENCE_MARKS.search(label))


@lru_cache(maxsize=8192)
def form_veto(label: str, *, title: bool = False) -> str | None:
    """Why the label's form rules it out as a name, or None (cached: a report repeats its
    labels)."""
    plain = normalise(label)
    if not plain:
        return "empty"
    parts = clauses(plain)
    # (a long slogan of three clauses or more is a name; two long clauses are a maxim quoted)
    long_list = len(parts) >= 3 and all(len(c) <= 14 for c in parts) and len(plain) <= 60
    if len(plain) > (MAX_TITLE if title else MAX_QUOTED) and not is_parallel(plain) and not long_list:
        return "a long quotation"
    if not title and _SPEECH_CHARS.search(plain):
        return SPEECH
    # (a word marked inside a name, 天北家‘圆’, is a pun of the name, not a quotation in it)
    if re.search('[“”‘’「」『』"]', _SHORT_INNER.sub("", plain)) and not title:
        return "a quotation within a quotation"
    if plain.count(",") + plain.count("，") > 1 and not is_parallel(plain):
        return "a sentence, not a name"
    if not has_cjk(plain) and not re.search(r"\d", plain):
        return "no Chinese and no number"
    if len(plain) == 1:
        return "a single character"
    if _FIVE_YEAR_PLAN.fullmatch(plain):
        return "a five-year plan's period (十四五)"
    if title:
        return None
    if (
        len(plain) <= 7
        and not is_plus_model(plain)
        and plain.endswith(ROLE_ENDINGS)
        and not plain.endswith(NAME_ENDINGS)
        and not plain.endswith(HOUSEHOLD_ENDINGS)
        and not (len(plain) >= 4 and is_number_code(plain))
    ):
        return "a role or person, not a mechanism"
    if re.match(f"[{CJK}]{{2,6}}[县市区镇乡村][{CJK}]{{2,}}", plain) and plain.endswith(ORGANISATION_ENDINGS):
        return "a named organisation (…县…合作社)"
    if plain.endswith(HONOUR_ENDINGS) and not is_plus_model(plain):
        return "an honour, title or designation"
    if plain.endswith(PLACE_ENDINGS) and not is_plus_model(plain):
        return "a place or a place brand (…小镇, …街区)"
    if (
        any(word in plain for word in QUESTION_WORDS)
        and len(plain) <= 12
        and not _RESPONSIBILITY_PRINCIPLE.fullmatch(plain)
    ):
        return "a rhetorical question"
    if len(plain) == 3 and plain[0] == plain[2] and has_cjk(plain) and not all(c in NUMERALS for c in plain):
        return "a reduplication (一对一, 点对点)"  # (四三四 is a number code)
    if len(plain) == 3 and plain[0] == "一" and plain[1] in MEASURES:
        return "an idiom (一股绳, 一把手)"
    if (
        len(plain) == 4
        and plain[0] == "一"
        and plain[1] in MEASURES
        and plain[2] not in NUMERALS
        and plain[2:] not in _COUNTED_INSTITUTIONS
    ):
        return "one thing (一个窗口, 一张表单)"
    if _SUCCESSION.search(plain):
        return "a saying of succession (一任接着一任干)"
    if len(plain) <= 5 and plain.endswith(_CHANGE_ENDINGS):
        return "a change described (强起来, 活起来)"
    if plain.endswith(_PROBLEM_ENDINGS) and len(plain) <= 8:
        return "a problem (三大痛点, …难题)"
    if plain.endswith("文章") and len(plain) <= 6:
        return "a metaphor (“后半篇文章”)"
    if len(parts) >= 2 and all(len(p) >= 2 and p.endswith("性") for p in parts):
        return "qualities (属地性、整体性、适度性)"
    if _DATE.fullmatch(plain):
        return "a date (七一, 七·一)"
    if is_numeral_idiom(plain):
        return "an idiom with numerals (三心二意)"
    if is_couplet(plain):
        return "a classical line"
    if plain.startswith("从") and re.search("[到向]", plain):
        return "a change from one state to another (从0到1)"
    return None
