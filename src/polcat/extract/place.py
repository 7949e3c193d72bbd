"""Where a report and each of its names come from, guessed from the gazetteer and the
report's own mentions of places (title, subtitle, body; datelines and the names of
newspapers left out).

The guess is a GB/T 2260 code (``"national"`` for the central level), at the lowest
level the text supports: the place the title names, then a place below it that the
body names more than it names the place itself (荆门 in the title, 东宝区 all through
the text); places below named less often are examples inside it. With no place in the
title, the province named most (first named between equals); with no place at all, a
short form in the header with its level word (来源：X微言 … 县委). docs/extract.md, "Places".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from polcat import gazetteer
from polcat.extract.lexicon import CJK, word_tag, word_tags
from polcat.extract.text import Cleaned, Sentences, clean

NATIONAL = "national"
# A place name followed by these is part of an organisation's name (湖北日报, 建行山东省分行).
_ORGANISATION_AFTER = re.compile(
    r"^(?:社|日报|晚报|早报|商报|新闻|电视|广播|卫视|网|大学|学院|银行|分行|集团|公司|频道|客户端|报业|电台|晨报|都市报)"
)
# A government body of the place right after its name (安监局, 人民政府, 中级人民法院).
_AGENCY_AFTER = re.compile(rf"^[{CJK}]{{0,4}}?(?:局(?![面势部限外])|人民政府|政府|法院|检察院)")
_DATELINE_AFTER = re.compile(r"^\s*\d{1,2}月\d{1,2}日\s*(?:电|讯)")
_LEVEL_MARKERS = (
    (re.compile(r"(?:中央|中组部|国务院|党中央|国家|全国)[^，。；]{0,6}$"), "national"),
    (re.compile(r"(?:省委|省政府|全省|省级)[^，。；]{0,6}$"), "province"),
    (re.compile(r"(?:市委|市政府|全市)[^，。；]{0,6}$"), "prefecture"),
    (re.compile(r"(?:县委|县政府|全县)[^，。；]{0,6}$"), "county"),
)


# Words that stand for a place without being its name, shared by several divisions: the
# text must back exactly one (香港 … 特区政府).
_SHARED_REFERENCES = {"特区政府": ("810000", "820000")}
# A full name of one character + 区 is also a common noun (城区, 郊区, 矿区, 新区 in 高新区,
# 东区): like a short form, it counts only when the text backs it (阳泉市 … 城区).
_COMMON_NOUN_NAME = re.compile(r"^[\u4e00-\u9fff]区$")


@dataclass
class Mention:
    start: int  # offsets into the clean text
    end: int
    code: str  # the division it is taken to mean
    in_title: bool


@dataclass
class Places:
    mentions: list[Mention]
    report: str | None  # the report's place (a code), or None


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[str]], dict[str, tuple[int, ...]]]:
    """Name -> codes it may mean (current divisions first), and first character -> lengths."""
    gaz = gazetteer.load()
    names: dict[str, list[str]] = {}
    for name in gaz.names():
        found = gaz.lookup(name)
        current = [d for d in found if d.current]
        if not current:  # a former name: the division it became, when known
            current = [c for c in (gaz.current(d.code) for d in found) if c is not None]
        codes = list(dict.fromkeys(d.code for d in current))
        if codes:
            names[name] = codes
    for reference, meant in _SHARED_REFERENCES.items():
        names.setdefault(reference, list(meant))
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return names, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


def _raw_mentions(simple: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every gazetteer name, longest first, not overlapping. Linear."""
    names, lengths = _names()
    out = []
    at = 0
    while at < len(simple):
        for length in lengths.get(simple[at], ()):
            if simple[at : at + length] in names:
                out.append((at, at + length, simple[at : at + length]))
                at += length
                break
        else:
            at += 1
    return out


def _heads_title(simple: str, start: int, end: int) -> bool:
    """A name that opens the title before a colon (壽寧：“三重三強”…, 武功：党建引领…): the
    newspaper's way of saying whose practice the report tells."""
    return not simple[:start].strip() and simple[end : end + 1] in ("：", ":")


def _title_end(simple: str) -> int:
    """The title: the first line with text, and a subtitle line starting with a dash."""
    lines = simple.split("\n", 3)
    at, end, seen = 0, 0, 0
    for line in lines[:3]:
        if line.strip():
            if seen == 0 or line.strip().startswith(("—", "-")):
                end = at + len(line)
                seen += 1
            else:
                break
        at += len(line) + 1
    return end


def mentions(simple: str) -> list[Mention]:
    """The places the (clean, simplified) text names, each resolved to one division.

    Full names (赤水市), province short forms (广西) and short forms the dictionary
    tags as place names (桐乡 ns) count as they stand. Another short form (百色, 德清,
    振兴) counts only when the text backs it: its full name, or a place above or below
    it is named too (广西百色, 德清 … 德清县); otherwise it is as likely a word (振兴 v,
    合作 vn, 红旗 nr) as a place.
    """
    gaz = gazetteer.load()
    names, _ = _names()
    title_end = _title_end(simple)
    quoted = _quoted(simple)
    raw = []
    for start, end, name in _raw_mentions(simple):
        after = simple[end : end + 8]
        if _ORGANISATION_AFTER.match(after) or _DATELINE_AFTER.match(after):
            continue
        if (len(name) <= 2 or not _is_full(gaz, name)) and _cut_inside(simple, start, end):
            continue  # 推广东星斑: 推广 + 东星斑, no 广东; 和县委书记: 和 + 县委书记, no 和县
        full = _stands_alone(gaz, name) or _is_province(gaz.get(names[name][0])) or _heads_title(simple, start, end)
        if not full and (quoted[start] or _BELOW_COUNTY_AFTER.match(after) or _inside_village(simple, start, end)):
            continue  # “桐乡经验”: a name; 南湖街道: a smaller place; 下甲镇平怀村
        if quoted[start] and not _is_full(gaz, name):
            continue  # “山东手造”: a province's short form in a brand places no report
        common_noun = bool(_COMMON_NOUN_NAME.match(name))  # 新区 is ns too, and still a common noun
        by_tag = not full and word_tag(name) == "ns" and not common_noun
        # 柞水安监局, 德清县公安局: the place's own government body names the place
        agency = not common_noun and bool(_AGENCY_AFTER.match(after))
        raw.append((start, end, name, full or by_tag or agency, by_tag and not agency))
    # a short form stands on its own only inside a province the text names in full, when
    # it names any (巴州 ns is 巴州区 of Sichuan; in a report naming only 新疆 it is not)
    provinces = {
        _province(gaz, c)
        for _, _, name, _, _ in raw
        if _is_full(gaz, name) or _is_province(gaz.get(names[name][0]))
        for c in names[name]
    }
    raw = [
        (start, end, name, anchor, by_tag)
        for start, end, name, anchor, by_tag in raw
        if not anchor
        or _is_full(gaz, name)
        or not provinces - {None}
        or any(_province(gaz, c) in provinces for c in names[name])
    ]
    # a short form the dictionary tags as a place but the text uses once, in its body, is
    # as likely the word (新建高标准农田: 新建 ns is also a county of Nanchang): backing needed
    uses = Counter(name for _, _, name, _, _ in raw)
    settled = [
        (start, end, name, anchor and not (by_tag and uses[name] == 1 and start >= title_end))
        for start, end, name, anchor, by_tag in raw
    ]
    anchored = {name for *_, name, anchor in settled if anchor}
    meant: dict[str, str | None] = {}  # per name: what it resolves to in this text
    out = []
    for start, end, name, anchor in settled:
        if name not in meant:
            meant[name] = _resolve(gaz, names, name, anchor, anchored)
        code = meant[name]
        if code is not None:  # else unbacked or ambiguous: nothing in the text decides
            out.append(Mention(start, end, code, start < title_end))
    return out


def _resolve(
    gaz: gazetteer.Gazetteer, names: dict[str, list[str]], name: str, anchor: bool, anchored: set[str]
) -> str | None:
    """The division a name means here: an anchor meaning one division means it; else the
    one the other places the text names back (a name cannot back itself: 海南 is a
    province and a prefecture of Qinghai, and the text must name 海南省 or a place of
    either); among several, the one holding the others."""
    codes = names[name]
    if anchor and len(codes) == 1:
        return codes[0]
    anchors = {c for other in anchored - {name} for c in names[other]}
    support = {d.code for code in anchors for d in gaz.chain(code)}
    backed = [c for c in codes if c in support or any(d.code in anchors for d in gaz.chain(c))]
    if anchor and not backed:
        backed = codes
    if len(backed) > 1:
        # the one the most specific place backs: 铁西区 in a text naming 辽宁 and 沈阳市 is
        # 沈阳's (鞍山's is backed by 辽宁 alone)
        depth = {c: _backing_depth(gaz, c, anchors) for c in backed}
        deepest = max(depth.values())
        backed = [c for c in backed if depth[c] == deepest]
    return _enclosing(gaz, backed)


def _backing_depth(gaz: gazetteer.Gazetteer, code: str, anchors: set[str]) -> int:
    """How deep the deepest anchored place above or below ``code`` lies."""
    above = [len(gaz.chain(d.code)) for d in gaz.chain(code) if d.code in anchors]
    below = [len(gaz.chain(a)) for a in anchors if any(d.code == code for d in gaz.chain(a))]
    return max(above + below, default=0)


def _cut_inside(simple: str, start: int, end: int) -> bool:
    """Whether the dictionary reads a word of two characters or more across one edge of
    the name (推广 across 广东 in 推广东星斑, 县城 across 新县 in 新县城), so the text does not
    name the place there. A word holding the whole name (广东省政府) or words of one
    character (曹 + 县: the dictionary lacks 曹县) do not cut it. Without the dictionary,
    nothing does."""
    offset = max(0, start - 4)
    at = offset
    for word, _ in word_tags(simple[offset : end + 4]):
        after = at + len(word)
        if len(word) >= 2 and not (at <= start and after >= end) and (at < start < after or at < end < after):
            return True
        at = after
    return False


def _is_full(gaz: gazetteer.Gazetteer, name: str) -> bool:
    """A full name that is no common noun (城区 is one)."""
    return gaz.is_full_name(name) and not _COMMON_NOUN_NAME.match(name)


def _stands_alone(gaz: gazetteer.Gazetteer, name: str) -> bool:
    """Whether a name reads as a place wherever it stands: a full name (not a common noun
    like 城区) or a short form that keeps its type noun (湘西州, 香港特区)."""
    return _is_full(gaz, name) or gaz.is_suffixed_form(name)


def _enclosing(gaz: gazetteer.Gazetteer, codes: list[str]) -> str | None:
    """The one division meant: the only one, or the one that holds all others (乌鲁木齐 is
    the city, not 乌鲁木齐县 inside it; 长沙 is 长沙市, not 长沙县); else None."""
    for code in codes:
        if all(gaz.is_ancestor(code, other) for other in codes):
            return code
    return None


def _province(gaz: gazetteer.Gazetteer, code: str) -> str | None:
    """The province a division lies in (itself for a province)."""
    chain = gaz.chain(code)
    return next((d.code for d in chain if d.level == "province"), None)


def _is_province(division: gazetteer.Division | None) -> bool:
    return division is not None and division.level == "province"


def _inside_village(simple: str, start: int, end: int) -> bool:
    """下甲镇平怀村: 镇平 straddles a township's suffix and a village's name."""
    return (
        simple[start] in "镇乡村街"
        and start > 0
        and bool(re.match(r"^[\u4e00-\u9fff]{0,2}[村镇乡]", simple[end : end + 3]))
    )


_BELOW_COUNTY_AFTER = re.compile(r"^(?:街道|镇|乡|村|社区|小区|路|街|大道|湖|山|公园|广场|园区|新区|开发区)")


def _quoted(simple: str) -> list[bool]:
    """Per character, whether it stands inside a quotation on its line (one pass)."""
    inside, depth = [], 0
    for char in simple:
        if char in "“‘「『":
            depth += 1
        elif char in "”’」』" and depth:
            depth -= 1
        elif char == "\n":
            depth = 0
        inside.append(depth > 0)
    return inside


def report_place(text: str | Cleaned) -> str | None:
    """The code of the place the report is about (or ``None`` when it names none)."""
    cleaned = text if isinstance(text, Cleaned) else clean(text)
    return places(cleaned).report


def places(cleaned: Cleaned) -> Places:
    found = mentions(cleaned.simple)
    return Places(found, _report(found) or _by_level_word(cleaned.simple))


_HEADER_LINES = 3


def _by_level_word(simple: str) -> str | None:
    """For a report that names no place the rules above accept: a short form in its
    header (the title and the lines under it: date, publisher, 来源：集贤微言) that means
    one division, when the text speaks of that division's level (县委, 县政府, 全县 for a
    X县; 旗委 for a X旗 …) and no other header name qualifies: a county's own media
    publish its news. Only when nothing else places the report, since a word that looks
    like a short form (富民 of 富民县) may stand in a header too."""
    gaz = gazetteer.load()
    names, _ = _names()
    header_end = _nth_line_end(simple, _HEADER_LINES)
    quoted = _quoted(simple)
    found = set()
    for start, end, name in _raw_mentions(simple[:header_end]):
        codes = names[name]
        division = gaz.get(codes[0]) if len(codes) == 1 else None
        after = simple[end : end + 8]
        if division is None or not division.current or quoted[start] or division.level == "province":
            continue
        if _ORGANISATION_AFTER.match(after) or _DATELINE_AFTER.match(after) or _cut_inside(simple, start, end):
            continue  # a newspaper reports on other places; a dateline says where it was written
        if _BELOW_COUNTY_AFTER.match(after):
            continue  # 城东路街道: a road named after a place (城东区) is not the place
        suffix = division.name[-1]
        if re.search(f"{suffix}委|{suffix}政府|{suffix}人民政府|全{suffix}", simple):
            found.add(division.code)
    return found.pop() if len(found) == 1 else None


def _nth_line_end(simple: str, count: int) -> int:
    """The offset after the first ``count`` lines with text."""
    seen = 0
    at = 0
    for line in simple.split("\n"):
        at += len(line) + 1
        if line.strip():
            seen += 1
            if seen == count:
                return at
    return len(simple)


def _report(found: list[Mention]) -> str | None:
    gaz = gazetteer.load()
    if not found:
        return None
    own: Counter[str] = Counter()
    subtree: Counter[str] = Counter()
    for index, mention in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if following and following.start == mention.end and gaz.is_ancestor(mention.code, following.code):
            continue  # 荆门市东宝区: the place is the child
        own[mention.code] += 1
        for division in gaz.chain(mention.code):
            subtree[division.code] += 1
    titled = [m.code for m in found if m.in_title]
    if titled:
        depth = max(len(gaz.chain(c)) for c in titled)
        lowest = [c for c in titled if len(gaz.chain(c)) == depth]
        current = max(lowest, key=lambda c: (subtree[c], c))
    else:
        provinces = Counter({c: n for c, n in subtree.items() if (d := gaz.get(c)) and d.level == "province"})
        if not provinces:
            return None
        # named most; between provinces named as often, the one named first (a report names
        # its own place before the partners it works with)
        first: dict[str, int] = {}
        for index, mention in enumerate(found):
            for division in gaz.chain(mention.code):
                first.setdefault(division.code, index)
        current = max(provinces, key=lambda c: (provinces[c], -first.get(c, len(found))))
    while True:
        children = sorted(((subtree[c], c) for c in subtree if (d := gaz.get(c)) and d.parent == current), reverse=True)
        if not children:
            return current
        best, second = children[0][0], (children[1][0] if len(children) > 1 else 0)
        # below a place the title names, only a place named more often than it
        needed = own[current] + 1 if current in titled else max(1, own[current])
        if best >= needed and best > second:
            current = children[0][1]
        else:
            return current


def place_of(cleaned: Cleaned, found: Places, start: int, sentences: Sentences) -> str | None:
    """The place a name at clean offset ``start`` belongs to: the nearest place named
    before it in its sentence, a level named just before it (中央 …, 省委 …, 全市 …), or
    the report's place."""
    gaz = gazetteer.load()
    sentence_start = sentences.start(start)
    near = [m.code for m in found.mentions if sentence_start <= m.start and m.end <= start]
    before = cleaned.simple[max(sentence_start, start - 12) : max(sentence_start, start - 1)]
    for pattern, level in _LEVEL_MARKERS:
        if pattern.search(before):
            if level == NATIONAL:
                return NATIONAL
            base = near[-1] if near else found.report
            for division in gaz.chain(base or "")[::-1]:
                if division.level == level:
                    return division.code
    if near:
        return near[-1]
    return found.report


def place_name(code: str | None) -> str | None:
    if code is None:
        return None
    if code == NATIONAL:
        return "全国"
    return gazetteer.load().chain_name(code) or None
