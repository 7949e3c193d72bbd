"""The reference gazetteer: every Chinese administrative division at county level and
above (GB/T 2260 codes), current and former, with its parent chain and short forms.

The data is ``polcat/data/gazetteer.tsv`` (its provenance: docs/gazetteer.md). It is
read on first use, in a few milliseconds; nothing is parsed at import.

    >>> from polcat import gazetteer
    >>> gaz = gazetteer.load()
    >>> gaz.get("520381").name
    '赤水市'
    >>> gaz.chain_name("520381")
    '贵州省 > 遵义市 > 赤水市'
    >>> [d.code for d in gaz.lookup("黔东南")]
    ['522600']

Lookups accept full names (赤水市), short forms (赤水, 黔东南, 广西, 内蒙古; 黔东南州, 巴州,
香港特区, 港府), former names (盘县, 毕节地区) and codes; names may be written in
traditional characters. A form two divisions share (巴州: 巴州区 of Sichuan and 巴音郭楞
of Xinjiang) gives both: the caller decides, from the text, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "gazetteer.tsv"
LEVELS = ("province", "prefecture", "county")

# Ethnic groups as they stand in the names of autonomous divisions (黔东南苗族侗族自治州,
# 巴里坤哈萨克自治县): stripped to give the short form.
ETHNIC_GROUPS = (
    "维吾尔",
    "柯尔克孜",
    "哈萨克",
    "塔吉克",
    "达斡尔",
    "鄂温克",
    "鄂伦春",
    "蒙古",
    "朝鲜",
    "土家",
    "布依",
    "哈尼",
    "傈僳",
    "拉祜",
    "东乡",
    "纳西",
    "景颇",
    "仫佬",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "保安",
    "裕固",
    "独龙",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "回",
    "藏",
    "苗",
    "彝",
    "壮",
    "满",
    "侗",
    "瑶",
    "白",
    "傣",
    "黎",
    "佤",
    "畲",
    "水",
    "土",
    "羌",
    "怒",
    "各",
)
# Suffixes of a division's type, longest first; what remains is the short form.
SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "特区",
    "地区",
    "新区",
    "矿区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "州",
)
PROVINCE_LONG_SHORTS = ("黑龙江", "内蒙古")
# Xinjiang's prefectures whose stem is a four-character transliteration are called by
# its first character + 州 (巴音郭楞 -> 巴州, 博尔塔拉 -> 博州, 克孜勒苏 -> 克州). Elsewhere a
# long stem is not cut so (西双版纳 is 版纳 or 西双版纳州, never 西州).
FIRST_CHARACTER_PREFECTURES = "65"
# The one-character abbreviations (简称) of the special administrative regions, which name
# their governments: 港府, 澳府.
REGION_ABBREVIATIONS = {"香港特别行政区": "港", "澳门特别行政区": "澳"}
FORMAT = "gazetteer-4"  # change to void cached indexes


class Division(NamedTuple):
    """One (code, name) pair of the tables: a division as named from ``since`` to ``until``."""

    code: str
    name: str
    level: str  # province, prefecture or county
    parent: str  # the parent's code ("" for a province)
    since: str  # first year of the pair ("" = already in 2000)
    until: str  # last year of the pair ("" = current)
    successor: str  # the code that replaced a gone pair, when known

    @property
    def current(self) -> bool:
        return not self.until


def short_forms(name: str, level: str = "") -> set[str]:
    """The ways a report shortens a division's name: 赤水市 -> 赤水, 黔东南苗族侗族自治州 ->
    黔东南, 广西壮族自治区 -> 广西, 鄂伦春自治旗 -> 鄂伦春. At least two characters."""
    if level == "province":
        cut = 3 if name.startswith(PROVINCE_LONG_SHORTS) else 2
        return {name[:cut]} if len(name) > cut else set()
    if not name.endswith(SUFFIXES):
        return set()
    stem = name
    for suffix in SUFFIXES:
        if stem.endswith(suffix):
            if len(stem) - len(suffix) >= 2:
                stem = stem[: -len(suffix)]
            break
    if "自治" in name or name.endswith("族区"):  # (and the ethnic districts: 管城回族区 -> 管城)
        stem = _strip_ethnic(stem)
        if stem.endswith("族") and len(stem) >= 3:
            stem = stem[:-1]  # 东乡族自治县 -> 东乡: the people the county is named after
    return {stem} if stem != name and len(stem) >= 2 else set()


def suffixed_forms(name: str, level: str = "", code: str = "") -> set[str]:
    """Short forms that keep a type noun, so that they read as places on their own: an
    autonomous prefecture by its short form + 州 (湘西土家族苗族自治州 -> 湘西州, in Xinjiang
    also the first character + 州: 巴音郭楞蒙古自治州 -> 巴州), a special administrative
    region as X特区 and by its abbreviation + 府, its government (香港特区, 港府), an
    autonomous county or banner as its short form + 县 or 旗 (东乡县), an ethnic district as
    its short form + 区 (管城区)."""
    if name.endswith("特别行政区"):
        stem = name[: -len("特别行政区")]
        government = {REGION_ABBREVIATIONS[name] + "府"} if name in REGION_ABBREVIATIONS else set()
        return {stem + "特区"} | government if len(stem) >= 2 else set()
    if level == "county" and name.endswith(("自治县", "自治旗", "族区")):
        # 东乡族自治县 -> 东乡县, 三都水族自治县 -> 三都县, 管城回族区 -> 管城区: how reports
        # and their own governments name an autonomous county or an ethnic district
        return {stem + name[-1] for stem in short_forms(name, level)}
    if level != "prefecture" or not name.endswith("自治州"):
        return set()
    forms = {stem + "州" for stem in short_forms(name, level)}
    if code.startswith(FIRST_CHARACTER_PREFECTURES):
        forms |= {stem[0] + "州" for stem in short_forms(name, level) if len(stem) >= 4}
    return forms


def _strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for group in ETHNIC_GROUPS:
            for tail in (group + "族", group):
                if stem.endswith(tail) and len(stem) - len(tail) >= 2:
                    stem, changed = stem[: -len(tail)], True
                    break
            if changed:
                break
    return stem


class Gazetteer:
    """Divisions by code and by name (full, short and former names)."""

    def __init__(self, divisions: list[Division], names: dict[str, list[int]] | None = None) -> None:
        self.divisions = divisions
        self._by_code: dict[str, list[Division]] = {}
        for division in divisions:
            self._by_code.setdefault(division.code, []).append(division)
        self._by_name: dict[str, list[Division]] | None = None
        self._full: set[str] = set()
        self._suffixed: set[str] = set()
        if names is not None:
            self._by_name = {name: [divisions[i] for i in rows] for name, rows in names.items()}
            self._note_forms()

    # --- by code -------------------------------------------------------------------------

    def get(self, code: str) -> Division | None:
        """The division with this code: its current name if it has one, else its last."""
        pairs = self._by_code.get(code)
        if not pairs:
            return None
        current = [d for d in pairs if d.current]
        return current[0] if current else max(pairs, key=lambda d: d.until)

    def names_of(self, code: str) -> list[Division]:
        """Every name the code has had, the current one first."""
        return list(self._by_code.get(code, []))

    def current(self, code: str) -> Division | None:
        """The current division a code leads to (following successors of gone codes)."""
        seen: set[str] = set()
        division = self.get(code)
        while division is not None and not division.current and division.successor and division.code not in seen:
            seen.add(division.code)
            following = self.get(division.successor)
            if following is None or following.code == division.code:
                break
            division = following
        return division

    def parent(self, code: str) -> Division | None:
        division = self.get(code)
        return self.get(division.parent) if division and division.parent else None

    def chain(self, code: str) -> list[Division]:
        """The division and its parents, from the province down: [贵州省, 遵义市, 赤水市]."""
        out: list[Division] = []
        seen: set[str] = set()
        division = self.get(code)
        while division is not None and division.code not in seen:
            out.append(division)
            seen.add(division.code)
            division = self.get(division.parent) if division.parent else None
        return out[::-1]

    def chain_name(self, code: str) -> str:
        """``贵州省 > 遵义市 > 赤水市``; "" for an unknown code."""
        return " > ".join(d.name for d in self.chain(code))

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        """Whether ``ancestor`` is ``code`` itself or one of its parents."""
        return any(d.code == ancestor for d in self.chain(code))

    # --- by name -------------------------------------------------------------------------

    def _index(self) -> dict[str, list[Division]]:
        if self._by_name is None:
            rows = name_rows(self.divisions)
            self._by_name = {name: [self.divisions[i] for i in found] for name, found in rows.items()}
            self._note_forms()
        return self._by_name

    def _note_forms(self) -> None:
        self._full = {d.name for d in self.divisions}
        self._suffixed = {f for d in self.divisions for f in suffixed_forms(d.name, d.level, d.code)}

    def lookup(self, name: str) -> list[Division]:
        """Divisions a name may mean (full, short or former name, or a code), current ones
        first, then by level (provinces first); each code once."""
        key = "".join(name.split())
        if key.isdigit() and len(key) == 6:
            found = self.get(key)
            return [found] if found else []
        hits = self._index().get(key)
        if hits is None:
            from polcat.chinese import simplify_chars

            hits = self._index().get(simplify_chars(key), [])
        best: dict[str, Division] = {}
        for division in sorted(hits, key=lambda d: (not d.current, LEVELS.index(d.level), d.code)):
            best.setdefault(division.code, division)
        return list(best.values())

    def is_full_name(self, name: str) -> bool:
        self._index()
        return name in self._full

    def is_suffixed_form(self, name: str) -> bool:
        """Whether the name is a short form that keeps a type noun (湘西州, 巴州, 香港特区)."""
        self._index()
        return name in self._suffixed

    def names(self) -> Iterator[str]:
        """Every name and short form the gazetteer knows (simplified)."""
        return iter(self._index())


def name_rows(divisions: list[Division]) -> dict[str, list[int]]:
    """Each full name and short form, with the rows (indices) it may mean."""
    index: dict[str, list[int]] = {}
    for row, division in enumerate(divisions):
        index.setdefault(division.name, []).append(row)
        for form in short_forms(division.name, division.level) | suffixed_forms(
            division.name, division.level, division.code
        ):
            index.setdefault(form, []).append(row)
    return index


def _parse(text: str) -> list[Division]:
    lines = iter(text.splitlines())
    for line in lines:
        if not line.startswith("#"):
            break  # the header
    return [Division(*line.split("\t")) for line in lines if line]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The shipped gazetteer, parsed once per process.

    Parsing the table and indexing its names takes about 25 ms, so the result is kept
    in polcat's cache folder (:func:`polcat.cache.remembered`, keyed by the table's content
    and this module's format): a warm load takes about 3 ms. A cache that cannot be read
    or written costs only the time.
    """
    import hashlib

    from polcat.cache import remembered

    data = DATA.read_bytes()

    def derive() -> tuple[list[tuple], dict]:
        divisions = _parse(data.decode("utf-8"))
        return [tuple(d) for d in divisions], name_rows(divisions)

    rows, names = remembered("gazetteer", hashlib.sha256(data + FORMAT.encode()).hexdigest(), derive)
    return Gazetteer([Division._make(r) for r in rows], names)
