"""Citations of an entry and of its sources: plain text, BibTeX and CSL-JSON.

Researchers cite what they use: the entry (a record of the catalogue, at its release)
and the report it quotes. Both are built from the typed model only.
"""

from __future__ import annotations

import json
import re
from typing import Any

from polcat.catalogue import Catalogue
from polcat.model import Entry, Source
from polcat.places import locality_chain

STYLES = ("text", "bibtex", "csl-json")


def _release(cat: Catalogue) -> tuple[str, str, str]:
    """(title, version, authors) of the catalogue, with fallbacks for one without catalogue.yaml."""
    info = cat.info()
    if info is None:
        return "polcat catalogue", "unversioned", "polcat developers"
    return info.title, info.version, " and ".join(info.authors) or "polcat developers"


def entry_text(cat: Catalogue, entry: Entry) -> str:
    title, version, authors = _release(cat)
    name = " ".join(x for x in (entry.label, f"({entry.name.en})" if entry.name.en else None) if x)
    place = locality_chain(cat, entry.locality)
    return f"{authors}. “{name}”, {place}. In: {title}, release {version}. Entry {entry.id}."


def source_text(source: Source) -> str:
    parts = [source.publisher or "", f"“{source.title}”", source.date or "n.d."]
    text = ". ".join(p for p in parts if p) + "."
    if source.url:
        text += f" {source.url}"
        if source.retrieved:
            text += f" (retrieved {source.retrieved})"
        text += "."
    return text


def _bibtex_value(value: str) -> str:
    """A BibTeX field value: braces balanced by escaping, the rest kept (UTF-8 BibTeX)."""
    return "{" + re.sub(r"([{}\\])", r"\\\1", value) + "}"


def _bibtex(key: str, kind: str, fields: dict[str, str | None]) -> str:
    body = ",\n".join(f"  {k} = {_bibtex_value(v)}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body}\n}}"


def entry_bibtex(cat: Catalogue, entry: Entry) -> str:
    title, version, authors = _release(cat)
    return _bibtex(
        f"polcat:{entry.id}",
        "misc",
        {
            "title": f"{entry.label}" + (f" ({entry.name.en})" if entry.name.en else ""),
            "author": authors,
            "howpublished": f"{title}, release {version}, entry {entry.id}",
            "note": locality_chain(cat, entry.locality),
            "version": version,
        },
    )


def source_bibtex(source: Source) -> str:
    year = source.date[:4] if source.date else None
    return _bibtex(
        f"source:{source.id}",
        "online" if source.url else "misc",
        {
            "title": source.title,
            "organization": source.publisher,
            "author": source.author,
            "date": source.date,
            "year": year,
            "url": source.url,
            "urldate": source.retrieved,
        },
    )


def _date_parts(date: str | None) -> dict[str, Any] | None:
    if not date:
        return None
    return {"date-parts": [[int(part) for part in date.split("-")]]}


def entry_csl(cat: Catalogue, entry: Entry) -> dict[str, Any]:
    title, version, authors = _release(cat)
    return {
        "id": f"polcat:{entry.id}",
        "type": "entry",
        "title": entry.label + (f" ({entry.name.en})" if entry.name.en else ""),
        "container-title": title,
        "version": version,
        "author": [{"literal": a} for a in authors.split(" and ")],
        "note": locality_chain(cat, entry.locality),
    }


def source_csl(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"source:{source.id}",
        "type": "article-newspaper" if source.publisher else "webpage",
        "title": source.title,
        "publisher": source.publisher,
        "author": [{"literal": source.author}] if source.author else None,
        "issued": _date_parts(source.date),
        "URL": source.url,
        "accessed": _date_parts(source.retrieved),
        "language": "zh",
    }
    return {k: v for k, v in item.items() if v is not None}


def cite(cat: Catalogue, entry: Entry, style: str = "text") -> str:
    """The entry's citation followed by one for each source it quotes."""
    sources = [s for s in (cat.source(i) for i in entry.cited_sources()) if s is not None]
    if style == "text":
        return "\n".join([entry_text(cat, entry), *("Source: " + source_text(s) for s in sources)]) + "\n"
    if style == "bibtex":
        return "\n\n".join([entry_bibtex(cat, entry), *(source_bibtex(s) for s in sources)]) + "\n"
    if style == "csl-json":
        items = [entry_csl(cat, entry), *(source_csl(s) for s in sources)]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown citation style '{style}' (choose from {', '.join(STYLES)})")
