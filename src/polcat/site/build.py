"""Writing the site: check the target folder, render every file, write each atomically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from polcat import export
from polcat.catalogue import Catalogue
from polcat.model import Entry
from polcat.site import pages, searchdata
from polcat.site.model import Site, asset
from polcat.textio import atomic_write

if TYPE_CHECKING:
    from polcat.progress import Progress

ASSETS = ("style.css", "lang.js", "app.js")


def check_target(out: Path, force: bool) -> None:
    """The site goes into a new or empty folder; an occupied one only with ``force``."""
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} is not empty (use --force to write into it)")


def site_files(site: Site) -> Iterator[tuple[str, str]]:
    """Every file of the site as (relative path, text), rendered one at a time: a site of
    ten thousand pages is never held in memory whole."""
    yield from pages.render_all(site)
    yield "assets/data.js", searchdata.data_js(site)
    for name in ASSETS:
        yield f"assets/{name}", asset(name)
    yield "data/entries.json", export.to_text(site.cat, site.entries, "json")
    yield "data/entries.csv", export.to_csv(site.cat, site.entries)


def file_count(site: Site) -> int:
    """How many files :func:`site_files` yields (for progress)."""
    fixed = 4 + 1 + len(ASSETS) + 2  # index, matrix, two indexes; data.js; assets; data/
    return fixed + len(site.entries) + len(site.localities()) + len(site.themes())


def build_site(
    cat: Catalogue,
    entries: list[Entry],
    out: Path,
    *,
    force: bool = False,
    title: str = "polcat",
    progress: Progress | None = None,
) -> Site:
    """Write the site for ``entries`` into ``out``; returns what was built. ``progress``
    is called with (files written, files in all) as they are written.

    Raises FileExistsError for a non-empty folder without ``force`` and
    NotADirectoryError when ``out`` is a file. Each file is written atomically.
    """
    check_target(out, force)
    site = Site.make(cat, entries, title)
    total = file_count(site) if progress else 0
    for rel, text in site_files(site):
        atomic_write(out / rel, text, force=force)
        site.written.append(out / rel)
        if progress:
            progress(len(site.written), total)
    return site
