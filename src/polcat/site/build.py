"""Writing the site: check the target folder, render every file, write each atomically."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from polcat.catalogue import Catalogue, Record

# Page file names are record ids; an id that is not a slug (a broken catalogue) could name
# a path outside the site, so such records are left out (polcat validate reports them).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ASSETS = ("style.css", "app.js")


@dataclass
class Site:
    """What every page needs to know: the catalogue, the entries shown, counts."""

    cat: Catalogue
    records: list[Record]
    title: str
    ids: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # locality id -> entries there or below
    skipped: list[str] = field(default_factory=list)  # ids that cannot be file names
    written: list[Path] = field(default_factory=list)

    @classmethod
    def make(cls, cat: Catalogue, records: list[Record], title: str) -> "Site":
        from polcat.query import sort_entries

        kept = [r for r in records if r.id and SLUG.fullmatch(r.id)]
        site = cls(cat, sort_entries(cat, kept, "locality"), title)
        site.skipped = [str(r.id) for r in records if r not in kept]
        site.ids = {r.id for r in kept}
        for record in kept:
            for place in cat.ancestors(record.get("locality") or ""):
                site.counts[place.id] = site.counts.get(place.id, 0) + 1
        return site

    def localities(self) -> list[Record]:
        return [r for r in self.cat.localities.values() if r.id and SLUG.fullmatch(r.id)]

    def themes(self) -> list[Record]:
        return [r for r in self.cat.themes.values() if r.id and SLUG.fullmatch(r.id)]


def asset(name: str) -> str:
    """A file shipped in the package (assets/), read so that it works from a wheel too."""
    return (resources.files("polcat.site") / "assets" / name).read_text(encoding="utf-8")


def check_target(out: Path, force: bool) -> None:
    """The site goes into a new or empty folder; an occupied one only with ``force``."""
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} is not empty (use --force to write into it)")


def site_files(site: Site) -> dict[str, str]:
    """Every file of the site: relative path -> text."""
    from polcat import export
    from polcat.site import pages, searchdata

    files = dict(pages.render_all(site))
    files["assets/data.js"] = searchdata.data_js(site)
    files.update({f"assets/{name}": asset(name) for name in ASSETS})
    files["data/entries.json"] = export.to_text(site.cat, site.records, "json")
    files["data/entries.csv"] = export.to_csv(site.cat, site.records)
    return files


def build_site(cat: Catalogue, records: list[Record], out: Path, *, force: bool = False, title: str = "polcat") -> Site:
    """Write the site for ``records`` into ``out``; returns what was built.

    Raises FileExistsError for a non-empty folder without ``force`` and
    NotADirectoryError when ``out`` is a file. Each file is written atomically.
    """
    from polcat.textio import atomic_write

    check_target(out, force)
    site = Site.make(cat, records, title)
    for rel, text in site_files(site).items():
        atomic_write(out / rel, text, force=force)
        site.written.append(out / rel)
    return site
