"""Choosing entries: the filters of `polcat list` (and export, graph, site, matrix)."""

from __future__ import annotations

from dataclasses import dataclass, field

from polcat.catalogue import KINDS, LEVELS, STATUSES, Catalogue
from polcat.chinese import fold, fold_latin
from polcat.model import Entry
from polcat.places import QueryError, did_you_mean, resolve_localities

SORT_KEYS = ("id", "name", "year", "locality", "kind", "status")


@dataclass
class Filters:
    """What `polcat list` and friends filter on. Empty means no constraint."""

    localities: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    any_theme: bool = False
    levels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    year: int | None = None
    since: int | None = None
    until: int | None = None

    @property
    def by_year(self) -> bool:
        return self.year is not None or self.since is not None or self.until is not None


@dataclass
class Selection:
    """The entries a filter chose, and how many it left out only for having no year."""

    entries: list[Entry]
    without_year: int = 0


def select(cat: Catalogue, filters: Filters, sort: str = "id") -> Selection:
    """The entries that satisfy every filter, sorted; QueryError for an unknown value."""
    check_known(cat, filters)
    places = resolve_localities(cat, filters.localities) if filters.localities else None
    origins = resolve_localities(cat, filters.origins) if filters.origins else None
    wanted_themes = set(filters.themes)
    field_themes = {t.id for t in cat.all_themes() if t.field in filters.fields} if filters.fields else None
    out: list[Entry] = []
    without_year = 0
    for entry in cat.entries():
        if places is not None and entry.locality not in places:
            continue
        if origins is not None and (entry.origin is None or entry.origin.locality not in origins):
            continue
        if wanted_themes:
            themes = set(entry.themes)
            if not (themes & wanted_themes if filters.any_theme else wanted_themes <= themes):
                continue
        if field_themes is not None and not field_themes & set(entry.themes):
            continue
        if filters.levels and entry.level not in filters.levels:
            continue
        if filters.kinds and entry.kind not in filters.kinds:
            continue
        if filters.statuses and entry.status not in filters.statuses:
            continue
        if filters.sources and not set(entry.cited_sources()) & set(filters.sources):
            continue
        if filters.by_year and entry.year is None:
            without_year += 1
            continue
        if not year_ok(entry.year, filters):
            continue
        out.append(entry)
    return Selection(sort_entries(cat, out, sort), without_year)


def filter_entries(cat: Catalogue, filters: Filters, sort: str = "id") -> list[Entry]:
    """The entries that satisfy every filter, sorted."""
    return select(cat, filters, sort).entries


def year_ok(year: int | None, filters: Filters) -> bool:
    if not filters.by_year:
        return True
    if year is None:
        return False
    if filters.year is not None and year != filters.year:
        return False
    if filters.since is not None and year < filters.since:
        return False
    return filters.until is None or year <= filters.until


def themes_named(cat: Catalogue, text: str) -> dict[str, str]:
    """The themes ``text`` names outright (an id, or a Chinese or English name in any
    script or case), id -> the name as shown. Reads the registry's records as they are
    (a theme whose name is mistyped names nothing), so that the index may ask before
    wrongly typed records are left out."""
    text = text.strip()
    wanted = {fold(text), fold_latin(text)} - {""}
    out = {}
    for ident, record in cat.registry("theme").items():
        name = record.get("name")
        zh, en = (name.get("zh"), name.get("en")) if isinstance(name, dict) else (None, None)
        spellings = {fold(zh) if isinstance(zh, str) else "", fold_latin(en) if isinstance(en, str) else ""}
        if ident == text or wanted & spellings:
            out[ident] = zh if isinstance(zh, str) and zh else ident
    return out


def resolve_themes(cat: Catalogue, texts: list[str]) -> list[str]:
    """Theme ids for what a user typed: an id, or a theme's Chinese or English name."""
    out = []
    for text in texts:
        found = list(themes_named(cat, text))
        if not found:
            names = (
                [t.id for t in cat.all_themes()]
                + [t.name.zh for t in cat.all_themes()]
                + [t.name.en for t in cat.all_themes()]
            )
            raise QueryError(f"unknown theme '{text}'" + did_you_mean(text, names))
        out.extend(found)
    return list(dict.fromkeys(out))


def check_known(cat: Catalogue, filters: Filters) -> None:
    """Refuse a filter value that can match nothing (a typo); accept any letter case for
    the enumerated ones (``County``, ``Draft``) and a theme's name for its id."""
    for name, noun, allowed in (
        ("levels", "level", LEVELS),
        ("kinds", "kind", KINDS),
        ("statuses", "status", STATUSES),
    ):
        values = [v.lower() for v in getattr(filters, name)]
        for value in values:
            if value not in allowed:
                raise QueryError(
                    f"unknown {noun} '{value}' (choose from {', '.join(allowed)})" + did_you_mean(value, allowed)
                )
        setattr(filters, name, values)
    filters.themes = resolve_themes(cat, filters.themes)
    known_fields = {f.id for f in cat.all_fields()}
    filters.fields = [f.lower() for f in filters.fields]
    for value in filters.fields:
        if value not in known_fields:
            raise QueryError(f"unknown policy field '{value}'" + did_you_mean(value, known_fields))
    for source in filters.sources:
        if cat.source(source) is None:
            raise QueryError(f"unknown source '{source}'" + did_you_mean(source, cat.sources))


def sort_entries(cat: Catalogue, entries: list[Entry], key: str = "id") -> list[Entry]:
    key = key.lower()
    if key not in SORT_KEYS:
        raise QueryError(f"cannot sort by '{key}' (choose from {', '.join(SORT_KEYS)})")
    keys = {
        "id": lambda e: e.id,
        "name": lambda e: fold_latin(e.name.pinyin or "") or e.id,
        "year": lambda e: e.year if e.year is not None else 9999,
        "locality": lambda e: " > ".join(reversed([p.id for p in cat.chain(e.locality)])),
        "kind": lambda e: e.kind or "",
        "status": lambda e: e.status,
    }
    value = keys[key]
    return sorted(entries, key=lambda e: (value(e), e.id))
