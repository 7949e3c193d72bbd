"""Localities as users name them: any spelling, and everything below a place."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from polcat import gazetteer
from polcat.catalogue import Catalogue
from polcat.chinese import fold, fold_latin
from polcat.model import Locality

# The gazetteer's division types, then what a registry also holds below a county (and
# banners, which reports never shorten but users may): 赤水市 -> 赤水, 隆兴镇 -> 隆兴.
SUFFIXES = (*gazetteer.SUFFIXES, "旗", "镇", "乡", "村")
# 黔东南苗族侗族自治州 -> 黔东南: the ethnic groups the gazetteer knows in division names.
_ETHNIC = re.compile(r"^(.+?)(?:(?:" + "|".join(gazetteer.ETHNIC_GROUPS) + r")族)+(?:自治州|自治县|自治区|自治旗)$")
_EN_TYPES = re.compile(
    r"\s+(province|city|county|district|town|township|village|autonomous prefecture|prefecture)$", re.I
)


class QueryError(ValueError):
    """A filter value that matches nothing the catalogue knows (a usage error)."""


def strip_suffix(zh: str) -> str:
    """The short form people use: 赤水市 -> 赤水, 黔东南苗族侗族自治州 -> 黔东南."""
    match = _ETHNIC.match(zh)
    if match:
        return match.group(1)
    for suffix in SUFFIXES:
        if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
            return zh[: -len(suffix)]
    return zh


def locality_keys(place: Locality) -> set[str]:
    """Every spelling a user may type for a locality, folded."""
    keys = {place.id}
    for zh in (place.name.zh, *(f.zh for f in place.former_names)):
        if zh:  # a traditional spelling folds to these too (fold converts to simplified)
            keys |= {fold(zh), fold(strip_suffix(zh))}
    en = place.name.en
    if en:
        keys |= {fold_latin(en), fold_latin(_EN_TYPES.sub("", en)), fold_latin(en.split()[0])}
    pinyin = place.name.pinyin
    if pinyin:
        keys.add(fold_latin(pinyin))
        words = pinyin.split()
        if len(words) > 1:  # Chìshuǐ Shì -> chishui; Qiándōngnán Miáozú … Zìzhìzhōu -> qiandongnan
            keys |= {fold_latin(" ".join(words[:-1])), fold_latin(words[0])}
    if place.adcode:
        keys.add(place.adcode)
    return {k for k in keys if k}


def match_locality(cat: Catalogue, text: str) -> list[Locality]:
    """Localities a user's text names: id, Chinese name with or without 省/市/县, either
    script, English or pinyin name, or GB/T 2260 code."""
    exact = cat.locality(text.strip())
    if exact is not None:  # an exact id means that place, not its namesakes
        return [exact]
    wanted = {text.strip().lower(), fold(text), fold_latin(text)} - {""}
    return [place for place in cat.all_localities() if wanted & locality_keys(place)]


def descendants(cat: Catalogue, locality_ids: Iterable[str]) -> set[str]:
    """The localities and everything below them."""
    children: dict[str, list[str]] = defaultdict(list)
    for place in cat.all_localities():
        if place.parent:
            children[place.parent].append(place.id)
    found: set[str] = set()
    todo = list(locality_ids)
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def resolve_localities(cat: Catalogue, texts: Iterable[str]) -> set[str]:
    """The ids of the places ``texts`` name and of everything below them; QueryError if
    one names nothing."""
    ids: set[str] = set()
    for text in texts:
        found = match_locality(cat, text)
        if found:
            ids |= {place.id for place in found}
            continue
        # A real place the registry does not hold (yet): a valid query, whatever it finds.
        from polcat.newplace import PlaceError, find_division, registry_ids_under

        try:
            ids |= registry_ids_under(cat, find_division(text).code)
        except PlaceError:
            raise QueryError(f"no locality matches '{text}'" + did_you_mean(text, locality_names(cat))) from None
    return descendants(cat, ids)


def locality_names(cat: Catalogue) -> list[str]:
    names = []
    for place in cat.all_localities():
        names.append(place.id)
        if place.name.zh:
            names.append(place.name.zh)
    return names


def did_you_mean(text: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(options), n=3, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def ancestor_at(cat: Catalogue, locality_id: str | None, level: str) -> Locality | None:
    """The place at ``level`` that contains the locality (or is it)."""
    for place in cat.chain(locality_id):
        if place.level == level:
            return place
    return None


def locality_name(cat: Catalogue, locality_id: str | None) -> str:
    """The Chinese name of a locality (its id when the catalogue does not know it)."""
    place = cat.locality(locality_id)
    return place.label if place else (locality_id or "")


def locality_chain(cat: Catalogue, locality_id: str | None) -> str:
    """``贵州省 > 遵义市 > 赤水市`` (without the national level)."""
    chain = [p for p in reversed(cat.chain(locality_id)) if p.level != "national"]
    return " > ".join(p.label for p in chain) if chain else locality_name(cat, locality_id)
