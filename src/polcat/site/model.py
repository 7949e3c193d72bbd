"""What every page of the site needs to know: the catalogue, the entries shown, counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from polcat.catalogue import Catalogue
from polcat.filters import sort_entries
from polcat.model import Entry, Locality, Theme

# Page file names are ids; an id that is not a slug (a broken catalogue) could name a
# path outside the site, and one named like a generated page (index) would replace it:
# such records are left out, with a warning (polcat validate reports bad ids).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED = frozenset({"index"})


def usable_id(ident: str) -> bool:
    return bool(SLUG.fullmatch(ident)) and ident not in RESERVED


@dataclass
class Site:
    cat: Catalogue
    entries: list[Entry]
    title: str
    ids: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # locality id -> entries there or below
    skipped: list[str] = field(default_factory=list)  # ids that cannot be file names
    written: list[Path] = field(default_factory=list)

    @classmethod
    def make(cls, cat: Catalogue, entries: list[Entry], title: str) -> Site:
        kept = [e for e in entries if usable_id(e.id)]
        site = cls(cat, sort_entries(cat, kept, "locality"), title)
        site.skipped = [e.id for e in entries if not usable_id(e.id)]
        site.skipped += [
            f"{kind} {i}"
            for kind, ids in (("locality", cat.localities), ("theme", cat.themes))
            for i in ids
            if not usable_id(i)
        ]
        site.ids = {e.id for e in kept}
        for entry in kept:
            for place in cat.chain(entry.locality):
                site.counts[place.id] = site.counts.get(place.id, 0) + 1
        return site

    def localities(self) -> list[Locality]:
        return [p for p in self.cat.all_localities() if usable_id(p.id)]

    def themes(self) -> list[Theme]:
        return [t for t in self.cat.all_themes() if usable_id(t.id)]


def asset(name: str) -> str:
    """A file shipped in the package (assets/), read so that it works from a wheel too."""
    return (resources.files("polcat.site") / "assets" / name).read_text(encoding="utf-8")
