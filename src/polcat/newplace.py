"""Adding a place the registry does not know yet, from the shipped gazetteer.

`polcat new --locality 广平县` (or `extract --write` finding a report from a new county)
adds the place and any missing parents to ``localities.yaml``: official name, GB/T 2260
code, level, parent, English name and pinyin (derived: a curator should check the
pinyin of polyphonic characters). The file is appended to, so its comments stay, and
written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass

from polcat import gazetteer
from polcat.catalogue import Catalogue
from polcat.gazetteer import Division

_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "回族自治区",
    "壮族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)
_TYPES_EN = {
    "省": "Province",
    "市": "City",
    "县": "County",
    "区": "District",
    "旗": "Banner",
    "盟": "League",
    "自治区": "Autonomous Region",
    "回族自治区": "Hui Autonomous Region",
    "壮族自治区": "Zhuang Autonomous Region",
    "维吾尔自治区": "Uygur Autonomous Region",
    "自治州": "Autonomous Prefecture",
    "自治县": "Autonomous County",
    "特别行政区": "Special Administrative Region",
    "地区": "Prefecture",
}


# Place names pypinyin reads wrong: it takes the common reading of a polyphone (长 zhǎng,
# 朝 zhāo, 单 dān, 浚 jùn, 峙 zhì, 洞 dòng) where the place keeps an old one. Whole names,
# so that 长子县 (zhǎng, rightly) is untouched.
PLACE_READINGS = {
    "长垣": "cháng yuán",
    "长治": "cháng zhì",
    "长汀": "cháng tīng",
    "长兴": "cháng xīng",
    "长武": "cháng wǔ",
    "长葛": "cháng gě",
    "长丰": "cháng fēng",
    "长岭": "cháng lǐng",
    "长乐": "cháng lè",
    "长宁": "cháng níng",
    "长寿": "cháng shòu",
    "长顺": "cháng shùn",
    "长阳": "cháng yáng",
    "朝阳": "cháo yáng",
    "单县": "shàn xiàn",
    "浚县": "xùn xiàn",
    "繁峙": "fán shì",
    "洪洞": "hóng tóng",
}
# 陕西 and 山西 are both Shanxi in plain pinyin; the official romanization keeps 陕西
# apart as Shaanxi (its tone doubled), in English names and so in ids.
ROMANIZATIONS = {"陕西": "Shaanxi"}


def reading(text: str) -> str:
    """Toned pinyin of a place name, syllables separated by spaces."""
    from polcat.chinese import pinyin

    return PLACE_READINGS.get(text) or pinyin(text)


def romanized(stem: str) -> str:
    """A place's stem as an English name writes it: ``Chishui``, ``Shaanxi``."""
    from polcat.chinese import strip_tones

    plain = ROMANIZATIONS.get(stem) or strip_tones(reading(stem)).replace(" ", "")
    return plain[:1].upper() + plain[1:]


class PlaceError(ValueError):
    """A name the gazetteer does not know, or knows as several places."""


@dataclass(frozen=True)
class NewPlace:
    id: str
    division: Division
    parent: str

    def yaml(self) -> str:
        stem, suffix = split_type(self.division.name)
        syllables = reading(stem).replace(" ", "")
        toned = syllables[:1].upper() + syllables[1:]
        if suffix:
            toned += " " + reading(suffix).replace(" ", "").capitalize()
        english = romanized(stem) + (f" {_TYPES_EN[suffix]}" if suffix in _TYPES_EN else "")
        return (
            f"  - id: {self.id}\n"
            f"    name: {{zh: {self.division.name}, en: {english}, pinyin: {toned}}}\n"
            f"    level: {self.division.level}\n"
            f'    adcode: "{self.division.code}"\n'
            f"    parent: {self.parent}\n"
        )


def split_type(name: str) -> tuple[str, str]:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)], suffix
    return name, ""


def find_division(text: str) -> Division:
    """The one current division ``text`` names (full or short name, or code)."""
    found = [d for d in gazetteer.load().lookup(text) if d.current]
    if not found:
        raise PlaceError(f"no place named '{text}' in the registry or the GB/T 2260 gazetteer")
    if len(found) > 1 and not gazetteer.load().is_full_name(text):
        names = ", ".join(f"{d.name} {d.code}" for d in found[:6])
        raise PlaceError(f"'{text}' names {len(found)} places ({names}); give the full name or the code")
    return found[0]


def plan(cat: Catalogue, division: Division) -> list[NewPlace]:
    """The registry entries to add for ``division``: it and its missing parents, top first."""
    by_code = {p.adcode: p.id for p in cat.all_localities() if p.adcode}
    taken = set(cat.localities)
    levels = ("province", "prefecture", "county")
    chain = sorted(gazetteer.load().chain(division.code), key=lambda d: levels.index(d.level))  # province first
    out: list[NewPlace] = []
    parent = "national"
    for item in chain:
        if item.code in by_code:
            parent = by_code[item.code]
            continue
        ident = slug(item, taken)
        taken.add(ident)
        out.append(NewPlace(ident, item, parent))
        by_code[item.code] = parent = ident
    return out


def slug(division: Division, taken: set[str]) -> str:
    base = romanized(split_type(division.name)[0]).lower()
    if base not in taken:
        return base
    kind = {"province": "province", "prefecture": "city", "county": "county"}[division.level]
    candidate = f"{base}-{kind}"
    n = 2
    while candidate in taken:
        candidate, n = f"{base}-{kind}-{n}", n + 1
    return candidate


def add(cat: Catalogue, places: list[NewPlace]) -> None:
    """Append the places to the catalogue's localities.yaml (atomically)."""
    from polcat.textio import atomic_write

    if not places:
        return
    path = cat.root / "localities.yaml"
    text = path.read_text(encoding="utf-8")
    block = "\n  # Added by polcat new from the GB/T 2260 gazetteer (check the pinyin)\n" + "".join(
        p.yaml() for p in places
    )
    atomic_write(path, text.rstrip("\n") + "\n" + block, force=True)


def preview(cat: Catalogue, places: list[NewPlace]) -> None:
    """Put the places into the loaded catalogue only (for --dry-run): nothing is written."""
    from polcat.catalogue import LOCALITY, Record
    from polcat.yamlload import Document, parse_yaml

    for place in places:
        data = parse_yaml("localities:\n" + place.yaml(), track=False)[0]["localities"][0]
        cat.add(Record(LOCALITY, data, Document(cat.root / "localities.yaml", {"localities": [data]})))


def registry_ids_under(cat: Catalogue, code: str) -> set[str]:
    """Registry places at or below a gazetteer division (for filters naming a new place)."""
    gaz = gazetteer.load()
    return {p.id for p in cat.all_localities() if p.adcode and (p.adcode == code or gaz.is_ancestor(code, p.adcode))}
