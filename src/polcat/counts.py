"""Counting entries: the locality × theme matrix, counts per locality, summary stats."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from polcat.catalogue import Catalogue
from polcat.model import Entry, Locality
from polcat.places import ancestor_at


@dataclass
class Matrix:
    rows: list[Locality]
    themes: list[str]
    counts: dict[tuple[str, str], int]
    unplaced: int  # entries above the chosen level (e.g. national ones in a county matrix)


def matrix(cat: Catalogue, entries: list[Entry], by: str = "province", columns: str = "theme") -> Matrix:
    """Counts of entries per (locality at level ``by``, theme); with ``columns="field"``
    per policy field instead (an entry counts once per field)."""
    counts: Counter[tuple[str, str]] = Counter()
    rows: dict[str, Locality] = {}
    unplaced = 0
    for entry in entries:
        place = ancestor_at(cat, entry.locality, by)
        if place is None:
            unplaced += 1
            continue
        rows[place.id] = place
        if columns == "field":
            keys = list(dict.fromkeys(t.field for t in map(cat.theme, entry.themes) if t))
        else:
            keys = list(entry.themes)
        for key in keys:
            counts[(place.id, key)] += 1
    order = list(cat.fields) if columns == "field" else list(cat.themes)
    themes = [t for t in order if any(counts[(r, t)] for r in rows)]
    return Matrix(sorted(rows.values(), key=lambda r: r.id), themes, dict(counts), unplaced)


# A heatmap's shades, read at a glance the way ATT&CK Navigator layers are: a count's
# level doubles with each step (1, 2-3, 4-7, 8-15, 16 and more), so one crowded row does
# not wash out the rest, and a level means the same in every matrix, terminal or site.
HEAT_LEVELS = 5


def heat_level(count: int) -> int:
    """The shade of a matrix cell: 0 for none, then 1 to :data:`HEAT_LEVELS`."""
    return min(HEAT_LEVELS, max(count, 0).bit_length())


def heat_ranges() -> list[tuple[int, int | None]]:
    """(lowest, highest) count of each level from 1; the last level has no highest."""
    return [
        (1 << (level - 1), (1 << level) - 1 if level < HEAT_LEVELS else None) for level in range(1, HEAT_LEVELS + 1)
    ]


def entry_counts_by_locality(cat: Catalogue) -> dict[str, tuple[int, int]]:
    """locality id -> (entries filed there, entries there or below)."""
    own = Counter(e.locality for e in cat.entries())
    total: Counter[str] = Counter()
    for loc, n in own.items():
        for place in cat.chain(loc):
            total[place.id] += n
    return {loc: (own.get(loc, 0), total.get(loc, 0)) for loc in cat.localities}


def stats(cat: Catalogue) -> dict[str, dict[str, int]]:
    entries = cat.entries()
    by_province: Counter[str] = Counter()
    by_field: Counter[str] = Counter()
    field_of = {t.id: t.field for t in cat.all_themes()}
    for entry in entries:
        province = ancestor_at(cat, entry.locality, "province")
        by_province[province.id if province else (entry.locality or "?")] += 1
        for field in dict.fromkeys(field_of.get(t, "?") for t in entry.themes):
            by_field[field] += 1
    return {
        "entries": {"total": len(entries)},
        "kind": dict(Counter(e.kind or "?" for e in entries).most_common()),
        "status": dict(Counter(e.status for e in entries).most_common()),
        "level": dict(Counter(e.level or "?" for e in entries).most_common()),
        "origin": dict(Counter(e.origin.basis if e.origin else "?" for e in entries).most_common()),
        "province": dict(by_province.most_common()),
        "field": dict(by_field.most_common()),
        "theme": dict(Counter(t for e in entries for t in e.themes).most_common()),
        "source": dict(Counter(s for e in entries for s in e.cited_sources()).most_common()),
        "year": dict(sorted(Counter(str(e.year) for e in entries if e.year is not None).items())),
    }
