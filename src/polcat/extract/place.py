"""Where a report and each of its names come from, guessed from the gazetteer and the
report's own mentions of places (title, subtitle, body; datelines and the names of
newspapers left out).

The guess is a GB/T 2260 code (``"national"`` for the central level), at the lowest
level the text supports: the place the title names, then a place below it that the
body names more than it names the place itself (荆门 in the title, 东宝区 all through
the text).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from polcat import gazetteer
from polcat.extract.lexicon import word_tag
from polcat.extract.text import Cleaned, Sentences, clean

NATIONAL = "national"
# A place name followed by these is part of an organisation's name (湖北日报, 建行山东省分行).
_ORGANISATION_AFTER = re.compile(
    r"^(?:社|日报|晚报|早报|商报|新闻|电视|广播|卫视|网|大学|学院|银行|分行|集团|公司|频道|客户端|报业|电台|晨报|都市报)"
)
_DATELINE_AFTER = re.compile(r"^\s*\d{1,2}月\d{1,2}日\s*(?:电|讯)")
_LEVEL_MARKERS = (
    (re.compile(r"(?:中央|中组部|国务院|党中央|国家|全国)[^，。；]{0,6}$"), "national"),
    (re.compile(r"(?:省委|省政府|全省|省级)[^，。；]{0,6}$"), "province"),
    (re.compile(r"(?:市委|市政府|全市)[^，。；]{0,6}$"), "prefecture"),
    (re.compile(r"(?:县委|县政府|全县)[^，。；]{0,6}$"), "county"),
)


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
        full = gaz.is_full_name(name) or _is_province(gaz.get(names[name][0]))
        if not full and (quoted[start] or _BELOW_COUNTY_AFTER.match(after) or _inside_village(simple, start, end)):
            continue  # “桐乡经验”: a name; 南湖街道: a smaller place; 下甲镇平怀村
        raw.append((start, end, name, full or word_tag(name) == "ns"))
    # a short form stands on its own only inside a province the text names in full, when
    # it names any (巴州 ns is 巴州区 of Sichuan; in a report naming only 新疆 it is not)
    provinces = {
        _province(gaz, c)
        for _, _, name, _ in raw
        if gaz.is_full_name(name) or _is_province(gaz.get(names[name][0]))
        for c in names[name]
    }
    raw = [
        (start, end, name, anchor)
        for start, end, name, anchor in raw
        if not anchor
        or gaz.is_full_name(name)
        or not provinces - {None}
        or any(_province(gaz, c) in provinces for c in names[name])
    ]
    anchors = {c for *_, name, anchor in raw if anchor for c in names[name]}
    support = {d.code for code in anchors for d in gaz.chain(code)}
    out = []
    for start, end, name, anchor in raw:
        codes = names[name]
        backed = [c for c in codes if c in support or any(d.code in anchors for d in gaz.chain(c))]
        if anchor and len(codes) == 1:
            backed = codes
        if len(backed) != 1:
            continue  # unbacked or ambiguous: nothing in the text decides
        out.append(Mention(start, end, backed[0], start < title_end))
    return out


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
    return Places(found, _report(found))


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
        ranked = provinces.most_common(2)
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None
        current = ranked[0][0]
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
