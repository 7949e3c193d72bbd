"""The file layer of a catalogue: which files it has, and reading one (through the cache).

A defect in a file never stops the rest: it becomes a :class:`~polcat.problems.Problem`
and the file is left out. Judging what loaded is the validator's job.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from polcat.cache import Cached, FileCache, stamp
from polcat.problems import LoadError, Problem
from polcat.yamlload import Document, load_yaml_file

YAML_SUFFIXES = (".yaml", ".yml")


FOLDER, ENTRY = "folder", "entry"


def listing_kind(entry: os.DirEntry) -> str | None:
    """What a walk of mechanisms/ makes of one entry of a folder's listing: FOLDER to go
    into, ENTRY to load, None to pass over (hidden, or not YAML). A folder named like an
    entry is where a file belongs: it is loaded, so that it is reported. The full load
    and the index walk the folders differently but must agree on this."""
    name = entry.name
    try:
        is_dir = entry.is_dir()
    except OSError:
        is_dir = False
    if is_dir and not name.endswith(YAML_SUFFIXES):
        return None if name.startswith(".") else FOLDER
    if is_dir or (name.endswith(YAML_SUFFIXES) and not name.startswith(".")):
        return ENTRY
    return None


def mechanism_files(root: Path, links: list[str] | None = None) -> list[str]:
    """Every mechanism file below ``root/mechanisms``, sorted; symlinked folders are not
    followed. ``links`` (when given) collects the symbolic links met, files and folders,
    for the caller to check where they lead."""
    found: list[str] = []
    stack = [os.path.join(str(root), "mechanisms")]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:  # the type comes with the listing: no stat per file
            kind, path = listing_kind(entry), entry.path
            if kind == FOLDER:
                if entry.is_symlink():
                    if links is not None:
                        links.append(path)
                else:
                    stack.append(path)
            elif kind == ENTRY:
                found.append(path)
                if links is not None and entry.is_symlink():
                    links.append(path)
    return sorted(found)  # strings: Path objects and their comparisons are slow at 10,000 files


def source_files(root: Path, links: set[str] | None = None) -> list[str]:
    """The source metadata files, sorted by name; ``links`` (when given) collects those
    that are symbolic links, for the caller to check where they lead.

    Paths as strings, from one listing: a catalogue may have thousands of sources, and
    every query lists them (Path objects, and a stat to ask each whether it is a link,
    showed in the time of a query at 100,000 entries)."""
    folder = os.path.join(str(root), "sources")
    try:
        with os.scandir(folder) as listing:
            found = [e for e in listing if e.name.endswith(YAML_SUFFIXES) and not e.name.startswith(".")]
    except OSError:  # no sources folder (or not a folder): no sources
        return []
    found.sort(key=lambda e: e.name)
    if links is not None:
        links.update(e.path for e in found if e.is_symlink())
    return [e.path for e in found]


def load_document(path: Path | str, problems: list[Problem]) -> Document | None:
    """Load one file, without a cache; a defect becomes a problem and ``None``."""
    loaded = load_cached(path, problems, None, None)
    return loaded[0] if loaded else None


class Probe(NamedTuple):
    """What looking at a file told before reading it: its stat, and the cache's current item."""

    st: os.stat_result | None
    hit: Cached | None


def probe(path: Path | str, cache: FileCache | None, rel: str | None) -> Probe:
    if cache is not None and rel is not None:
        try:
            st = os.stat(path)
            return Probe(st, cache.get(rel, st))
        except OSError:
            pass
    return Probe(None, None)


def parse_file(path: Path | str, file_stamp: tuple[int, int, int, int]) -> Cached:
    """Parse one file into what the cache keeps of it (the data, or the load error)."""
    try:
        return Cached(file_stamp, load_yaml_file(Path(path), track=False).data, None, None, None)
    except LoadError as exc:
        return Cached(file_stamp, None, (exc.rule, exc.message, exc.line, exc.column, exc.hint), None, None)


def probe_stamp(probed: Probe) -> tuple[int, int, int, int]:
    return stamp(probed.st) if probed.st else (0, 0, 0, 0)


def load_cached(
    path: Path | str,
    problems: list[Problem],
    cache: FileCache | None,
    rel: str | None,
    probed: Probe | None = None,
    parsed: Cached | None = None,
) -> tuple[Document, Cached | None] | None:
    """Load one file (from the cache when it is unchanged) with what the cache knows of
    it; a defect becomes a problem and ``None``. ``probed`` and ``parsed``: see
    :meth:`Catalogue.load`."""
    if probed is None:
        probed = probe(path, cache, rel)
    item = probed.hit
    if item is None:
        item = parsed if parsed is not None else parse_file(path, probe_stamp(probed))
        if probed.st is not None and cache is not None and rel is not None:
            cache.put(rel, item)
    if item.error is not None:
        problems.append(LoadError(*item.error).to_problem(str(path)))
        return None
    doc = Document(path, item.data)
    if not isinstance(doc.data, dict):
        found = "nothing" if doc.data is None else _describe(doc.data)
        line, column = doc.positions.of(()) or (1, 1)
        problems.append(
            Problem(str(path), line, column, "not-mapping", f"expected a mapping of fields at the top, found {found}")
        )
        return None
    return doc, item


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single string"
    return f"a {type(value).__name__}"
