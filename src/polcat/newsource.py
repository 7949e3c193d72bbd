"""A report becomes a catalogue source: ``sources/<id>.txt`` and ``sources/<id>.yaml``.

Quotes are checked against a source's stored text, so a curator's first step with a new
report is to store it. This module does the mechanical part: the text as UTF-8 (whatever
encoding the report came in), its SHA-256, its script, a title from its first line, an
id from its place and year, and the metadata checked against the source schema before
anything is written. What a report does not say (publisher, date, address) is left out
unless the curator gives it; nothing is guessed but the place, and the place only from
the report's own mentions (:func:`polcat.extract.report_place`), said aloud by the
command so the curator can correct it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from polcat.catalogue import Catalogue
from polcat.chinese import has_cjk, to_simplified

# A title is a report's first line when it is a line of its own, not a paragraph.
MAX_TITLE = 80
# A text whose Chinese characters change this much under simplification is traditional
# (simplified text changes by a handful of variant forms at most).
TRADITIONAL_SHARE = 0.05


class SourceError(ValueError):
    """What stops a report from becoming a source (a usage error)."""


@dataclass
class NewSource:
    """What the curator gives; everything left None is left out of the YAML."""

    text: str  # the report's text, decoded
    original: bytes  # the bytes as read (their SHA-256 identifies the original)
    original_file: str | None = None
    ident: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    retrieved: str | None = None
    locality: str | None = None  # a registry id
    notes: str | None = None


def script_of(text: str) -> str:
    """``Hant`` when many of the text's Chinese characters have simplified forms, else ``Hans``."""
    chinese = [c for c in text if has_cjk(c)]
    if not chinese:
        return "Hans"
    simplified = to_simplified("".join(chinese))
    changed = sum(1 for a, b in zip(chinese, simplified, strict=False) if a != b)
    return "Hant" if changed / len(chinese) > TRADITIONAL_SHARE else "Hans"


def title_of(text: str) -> str | None:
    """The report's first non-empty line, when it is short enough to be a headline."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= MAX_TITLE else None
    return None


def year_of(date: str | None) -> str | None:
    match = re.match(r"(\d{4})", date or "")
    return match.group(1) if match else None


def source_id(cat: Catalogue, locality: str | None, date: str | None) -> str:
    """``<locality>-<year>``, with ``-2``, ``-3`` … when that is taken (``report`` without a place)."""
    base = "-".join(part for part in (locality or "report", year_of(date)) if part)
    ident, n = base, 2
    while ident in cat.sources or (cat.root / "sources" / f"{ident}.yaml").exists():
        ident, n = f"{base}-{n}", n + 1
    return ident


def build_source(cat: Catalogue, spec: NewSource) -> dict:
    """The source's metadata, in schema order, checked against the source schema and the
    registries. Raises SourceError saying everything that is wrong."""
    from polcat.schema import iter_schema_errors

    title = spec.title or title_of(spec.text)
    if not title:
        raise SourceError("the report's first line is not a headline; give --title")
    if spec.locality and spec.locality not in cat.localities:
        raise SourceError(f"unknown locality '{spec.locality}'")
    ident = spec.ident or source_id(cat, spec.locality, spec.date)
    data = {
        "id": ident,
        "title": title,
        "publisher": spec.publisher,
        "author": spec.author,
        "date": spec.date,
        "url": spec.url,
        "retrieved": spec.retrieved,
        "language": "zh",
        "script": script_of(spec.text),
        "locality": spec.locality,
        "sha256": hashlib.sha256(spec.original).hexdigest(),
        "original_file": spec.original_file,
        "notes": spec.notes,
    }
    data = {key: value for key, value in data.items() if value is not None}
    errors = [e.message + (f" ({e.hint})" if e.hint else "") for e in iter_schema_errors("source", data)]
    if errors:
        raise SourceError("the source would not be valid: " + "; ".join(errors))
    return data


def source_paths(cat: Catalogue, ident: str) -> tuple[Path, Path]:
    """Where a source's metadata and text go."""
    folder = cat.root / "sources"
    return folder / f"{ident}.yaml", folder / f"{ident}.txt"


def write_source(cat: Catalogue, data: dict, text: str, *, force: bool = False) -> tuple[Path, Path]:
    """Write the text, then the metadata that points at it, each atomically; neither over
    an existing file unless ``force`` (checked for both before either is written)."""
    from polcat.fmt import dump_entry
    from polcat.textio import atomic_write

    meta, stored = source_paths(cat, data["id"])
    if not force:
        for path in (meta, stored):
            if path.exists():
                raise FileExistsError(path)
    stored.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(stored, text if text.endswith("\n") else text + "\n", force=force)
    atomic_write(meta, dump_entry(data, "source"), force=force)
    return meta, stored
