"""Writing the site: check the target folder, render every file, write each atomically."""

from __future__ import annotations

from pathlib import Path

from polcat import export
from polcat.catalogue import Catalogue
from polcat.model import Entry
from polcat.site import pages, searchdata
from polcat.site.model import Site, asset
from polcat.textio import atomic_write

ASSETS = ("style.css", "lang.js", "app.js")


def check_target(out: Path, force: bool) -> None:
    """The site goes into a new or empty folder; an occupied one only with ``force``."""
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} is not empty (use --force to write into it)")


def site_files(site: Site) -> dict[str, str]:
    """Every file of the site: relative path -> text."""
    files = dict(pages.render_all(site))
    files["assets/data.js"] = searchdata.data_js(site)
    files.update({f"assets/{name}": asset(name) for name in ASSETS})
    files["data/entries.json"] = export.to_text(site.cat, site.entries, "json")
    files["data/entries.csv"] = export.to_csv(site.cat, site.entries)
    return files


def build_site(cat: Catalogue, entries: list[Entry], out: Path, *, force: bool = False, title: str = "polcat") -> Site:
    """Write the site for ``entries`` into ``out``; returns what was built.

    Raises FileExistsError for a non-empty folder without ``force`` and
    NotADirectoryError when ``out`` is a file. Each file is written atomically.
    """
    check_target(out, force)
    site = Site.make(cat, entries, title)
    for rel, text in site_files(site).items():
        atomic_write(out / rel, text, force=force)
        site.written.append(out / rel)
    return site
