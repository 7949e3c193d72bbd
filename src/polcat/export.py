"""Handing the catalogue to people who will not install polcat: JSON, JSONL, CSV, SQLite
and a Markdown report.

Each function takes the loaded catalogue and the entries to export (as
:func:`polcat.query.filter_entries` selects them) and returns the export as text, or as
bytes for SQLite; writing it is the caller's business (:func:`polcat.textio.atomic_write`)::

    from polcat.catalogue import load_catalogue
    from polcat import export, query

    cat = load_catalogue()
    entries = query.filter_entries(cat, query.Filters(localities=["贵州"]))
    open("guizhou.db", "wb").write(export.to_sqlite(cat, entries))

Nothing is lost: JSON and JSONL are the entries as stored; CSV is one row per entry plus
one table per one-to-many part; SQLite holds every field of entries and registries.

Catalogue text is data (:mod:`polcat.escape`): CSV cells a spreadsheet would run as a
formula get a leading ``'`` unless ``csv_guard=False``; the Markdown report escapes
Markdown and HTML, and a newline in a field never leaves its paragraph, list item or
quote.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from polcat.catalogue import Catalogue
from polcat.entryview import entry_view
from polcat.escape import md_block, md_code, md_inline, md_quote, md_url
from polcat.filters import sort_entries
from polcat.model import Entry
from polcat.output import Column, Format, emit, key_cell
from polcat.places import locality_chain

FORMATS = ("json", "jsonl", "csv", "sqlite", "md", "xlsx")
SUFFIXES = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".md": "md",
    ".xlsx": "xlsx",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
}

# The one-to-many parts of an entry: table -> (the entry's field, the keys of each item).
PARTS = {
    "components": ("components", ("zh", "en", "detail")),
    "sources": ("sources", ("source", "quote")),
    "relations": ("relations", ("type", "target", "note")),
    "outcomes": ("outcomes", ("indicator", "value", "unit", "year", "source", "quote")),
}
TABLES = ("entries", *PARTS)


def format_for(path: Path | None) -> str | None:
    """The export format a file name implies (``guizhou.csv`` -> ``csv``), if any."""
    return SUFFIXES.get(path.suffix.lower()) if path is not None else None


def to_text(cat: Catalogue, entries: list[Entry], fmt: str, table: str = "entries", *, csv_guard: bool = True) -> str:
    """The export in a text format: json, jsonl, csv (``table`` picks which; ``csv_guard``
    neutralises formulas) or md."""
    if fmt == "md":
        return markdown_report(cat, entries)
    if fmt == "csv":
        return to_csv(cat, entries, table, csv_guard=csv_guard)
    if fmt not in ("json", "jsonl"):
        raise ValueError(f"{fmt} is not a text export format")
    out = io.StringIO()
    emit([e.data for e in entries], [], Format(fmt), out)
    return out.getvalue()


# --- CSV ------------------------------------------------------------------------------


def entry_csv_columns(cat: Catalogue) -> list[Column]:
    """`polcat list -f csv`'s columns plus the notes: every scalar field of an entry."""
    from polcat.views import csv_columns

    return [*csv_columns(cat), Column("notes", lambda e: e.notes)]


def part_rows(entries: list[Entry], table: str) -> Iterator[dict]:
    """One row per item of a one-to-many part: entry_id, position (from 1), the item's keys."""
    field, keys = PARTS[table]
    for entry in entries:
        for position, item in enumerate(getattr(entry, field), 1):
            yield {"entry_id": entry.id, "position": position, **{k: getattr(item, k) for k in keys}}


def to_csv(cat: Catalogue, entries: list[Entry], table: str = "entries", *, csv_guard: bool = True) -> str:
    """One row per entry (flat columns, lists joined with '; '), or per item of a part.

    With ``csv_guard`` (the default) a text cell starting with ``=``, ``+``, ``-``, ``@``,
    tab or CR gets a leading ``'``, so that a spreadsheet shows it rather than runs it;
    ``csv_guard=False`` keeps every cell as stored, for programs."""
    if table not in TABLES:
        raise ValueError(f"unknown table '{table}' (choose from {', '.join(TABLES)})")
    out = io.StringIO()
    if table == "entries":
        emit([], entry_csv_columns(cat), Format.csv, out, rows=entries, csv_guard=csv_guard)
        return out.getvalue()
    rows = list(part_rows(entries, table))
    headers = ["entry_id", "position", *PARTS[table][1]]
    if table == "sources":  # a spreadsheet reader wants the title next to the quote
        for row in rows:
            source = cat.source(row["source"])
            row.update(
                {
                    "source_title": source.title if source else None,
                    "source_publisher": source.publisher if source else None,
                    "source_date": source.date if source else None,
                }
            )
        headers += ["source_title", "source_publisher", "source_date"]
    emit([], [Column(h, key_cell(h)) for h in headers], Format.csv, out, rows=rows, csv_guard=csv_guard)
    return out.getvalue()


# --- SQLite ---------------------------------------------------------------------------

# One table per kind of record. Every reference is a foreign key except a relation's
# target, which may lie outside a filtered export.
SCHEMA = """
CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE localities (id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT, pinyin TEXT, level TEXT,
  adcode TEXT, parent TEXT REFERENCES localities(id), notes TEXT);
CREATE TABLE former_names (locality_id TEXT NOT NULL REFERENCES localities(id), position INTEGER NOT NULL,
  zh TEXT, adcode TEXT, until TEXT, PRIMARY KEY (locality_id, position));
CREATE TABLE fields (id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT, description TEXT);
CREATE TABLE themes (id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT, field TEXT REFERENCES fields(id), description TEXT);
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, publisher TEXT, author TEXT, date TEXT, url TEXT,
  retrieved TEXT, locality TEXT, language TEXT, script TEXT, text TEXT, sha256 TEXT, original_file TEXT, notes TEXT);
CREATE TABLE source_cleaning (source_id TEXT NOT NULL REFERENCES sources(id), position INTEGER NOT NULL,
  note TEXT, PRIMARY KEY (source_id, position));
CREATE TABLE entries (id TEXT PRIMARY KEY, status TEXT, name_zh TEXT, name_original TEXT, pinyin TEXT,
  name_en TEXT, kind TEXT, locality TEXT REFERENCES localities(id), level TEXT, year INTEGER,
  origin_basis TEXT, origin_locality TEXT REFERENCES localities(id), origin_note TEXT, summary_zh TEXT, summary_en TEXT, notes TEXT);
CREATE TABLE source_exclusions (source_id TEXT NOT NULL REFERENCES sources(id), position INTEGER NOT NULL,
  label TEXT, reason TEXT, note TEXT, PRIMARY KEY (source_id, position));
CREATE TABLE former_ids (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL, former_id TEXT,
  PRIMARY KEY (entry_id, position));
CREATE TABLE aliases (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL, alias TEXT,
  PRIMARY KEY (entry_id, position));
CREATE TABLE entry_themes (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL,
  theme_id TEXT NOT NULL REFERENCES themes(id), PRIMARY KEY (entry_id, position));
CREATE TABLE components (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL,
  zh TEXT, en TEXT, detail TEXT, PRIMARY KEY (entry_id, position));
CREATE TABLE citations (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL,
  source_id TEXT REFERENCES sources(id), quote TEXT, PRIMARY KEY (entry_id, position));
CREATE TABLE outcomes (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL,
  indicator TEXT, value, unit TEXT, year INTEGER, source_id TEXT REFERENCES sources(id), quote TEXT,
  PRIMARY KEY (entry_id, position));
CREATE TABLE relations (entry_id TEXT NOT NULL REFERENCES entries(id), position INTEGER NOT NULL,
  type TEXT, target_id TEXT, note TEXT, PRIMARY KEY (entry_id, position));
CREATE INDEX relations_target ON relations (target_id);
CREATE INDEX entries_locality ON entries (locality);
CREATE INDEX entry_themes_theme ON entry_themes (theme_id);
"""


def to_sqlite(cat: Catalogue, entries: list[Entry]) -> bytes:
    """An SQLite database of the entries and all registries, as the bytes of the file.

    Built in memory and returned whole, so that the caller writes it atomically.
    """
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        for table, rows in sqlite_rows(cat, entries):
            insert(conn, table, rows)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def sqlite_rows(cat: Catalogue, entries: list[Entry]) -> Iterator[tuple[str, list[dict]]]:
    """(table, rows) in an order that satisfies the foreign keys. Registries are read as
    stored (every field, in its columns)."""
    places = cat.all_localities()
    yield "metadata", [{"key": k, "value": v} for k, v in release_metadata(cat).items()]
    yield (
        "localities",
        [
            {
                "id": p.id,
                "name_zh": p.name.zh,
                "name_en": p.name.en,
                "pinyin": p.name.pinyin,
                "level": p.level,
                "adcode": p.adcode,
                "parent": p.parent,
                "notes": p.notes,
            }
            for p in places
        ],
    )
    yield (
        "former_names",
        [
            {"locality_id": p.id, "position": i, "zh": former.zh, "adcode": former.adcode, "until": former.until}
            for p in places
            for i, former in enumerate(p.former_names, 1)
        ],
    )
    yield (
        "fields",
        [
            {"id": f.id, "name_zh": f.name.zh, "name_en": f.name.en, "description": f.description}
            for f in cat.all_fields()
        ],
    )
    yield (
        "themes",
        [
            {"id": t.id, "name_zh": t.name.zh, "name_en": t.name.en, "field": t.field, "description": t.description}
            for t in cat.all_themes()
        ],
    )
    sources = cat.all_sources()
    keys = (
        "title",
        "publisher",
        "author",
        "date",
        "url",
        "retrieved",
        "locality",
        "language",
        "script",
        "text",
        "sha256",
        "original_file",
        "notes",
    )
    yield "sources", [{"id": s.id, **{k: s.data.get(k) for k in keys}} for s in sources]
    yield (
        "source_cleaning",
        [{"source_id": s.id, "position": i, "note": note} for s in sources for i, note in enumerate(s.cleaning, 1)],
    )
    yield (
        "source_exclusions",
        [
            {"source_id": s.id, "position": i, "label": x.label, "reason": x.reason, "note": x.note}
            for s in sources
            for i, x in enumerate(s.excluded, 1)
        ],
    )
    yield (
        "entries",
        [
            {
                "id": e.id,
                "status": e.status,
                "name_zh": e.name.zh,
                "name_original": e.name.original,
                "pinyin": e.name.pinyin,
                "name_en": e.name.en,
                "kind": e.kind,
                "locality": e.locality,
                "level": e.level,
                "year": e.year,
                "origin_basis": e.origin.basis if e.origin else None,
                "origin_locality": e.origin.locality if e.origin else None,
                "origin_note": e.origin.note if e.origin else None,
                "summary_zh": e.summary.zh if e.summary else None,
                "summary_en": e.summary.en if e.summary else None,
                "notes": e.notes,
            }
            for e in entries
        ],
    )
    yield (
        "former_ids",
        [{"entry_id": e.id, "position": i, "former_id": f} for e in entries for i, f in enumerate(e.former_ids, 1)],
    )
    yield (
        "aliases",
        [{"entry_id": e.id, "position": i, "alias": a} for e in entries for i, a in enumerate(e.aliases, 1)],
    )
    yield (
        "entry_themes",
        [{"entry_id": e.id, "position": i, "theme_id": t} for e in entries for i, t in enumerate(e.themes, 1)],
    )
    yield "components", list(part_rows(entries, "components"))
    yield "citations", [renamed(row, source="source_id") for row in part_rows(entries, "sources")]
    yield "outcomes", [renamed(row, source="source_id") for row in part_rows(entries, "outcomes")]
    yield "relations", [renamed(row, target="target_id") for row in part_rows(entries, "relations")]


def renamed(row: dict, **names: str) -> dict:
    return {names.get(k, k): v for k, v in row.items()}


def insert(conn: Any, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.executemany(sql, ([sqlite_value(row.get(c)) for c in columns] for row in rows))


# SQLite's integers are 64-bit: a larger number is kept as its text, not a crash.
_SQLITE_INT = (-(2**63), 2**63 - 1)


def sqlite_value(value: Any) -> Any:
    """SQLite takes str, int, float and None; an integer beyond 64 bits is stored as text,
    anything else (a list) as its JSON text rather than dropped."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and not _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
        return str(value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# --- Markdown -------------------------------------------------------------------------


def release_metadata(cat: Catalogue) -> dict[str, str]:
    """What an export says about where it came from: polcat's version, the catalogue's
    title, release and licence."""
    from polcat import __version__

    info = cat.info()
    data = {"polcat_version": __version__}
    if info is not None:
        data.update({"catalogue": info.title, "catalogue_version": info.version, "licence": info.licence})
    return data


def markdown_report(cat: Catalogue, entries: list[Entry]) -> str:
    """A readable report: localities in tree order, themes within each, every entry with
    its summary, components, outcomes, quotes and relations, then the sources cited.

    Catalogue text is escaped (:mod:`polcat.escape`): it never becomes Markdown or HTML,
    and a newline inside a field stays inside its paragraph, list item or quote."""
    lines = [f"# Named policy mechanisms: {len(entries)} {'entry' if len(entries) == 1 else 'entries'}", ""]
    meta = release_metadata(cat)
    if "catalogue_version" in meta:
        lines += [
            f"From {_md(meta['catalogue'])}, release {_md(meta['catalogue_version'])} ({_md(meta['licence'])}), "
            f"exported by polcat {meta['polcat_version']}.",
            "",
        ]
    for locality_id, group in by_locality(cat, entries):
        lines += [f"## {_md(locality_chain(cat, locality_id))} ({_md(locality_id)})", ""]
        described: dict[str, str] = {}  # entry id -> the theme it is described under
        for theme_id, members in by_theme(cat, group):
            lines += [f"### {_md(theme_title(cat, theme_id))}", ""]
            for entry in members:
                if entry.id in described:
                    lines += [
                        f"- {_md(entry.label)} ({md_code(entry.id)}): see {_md(theme_title(cat, described[entry.id]))}",
                        "",
                    ]
                else:
                    described[entry.id] = theme_id
                    lines += entry_markdown(cat, entry)
    lines += sources_markdown(cat, entries)
    return "\n".join(lines).rstrip() + "\n"


def _md(value: Any) -> str:
    """Catalogue text on one line of Markdown, escaped."""
    return md_inline(str(value))


def by_locality(cat: Catalogue, entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in sort_entries(cat, entries, "locality"):
        groups.setdefault(entry.locality or "", []).append(entry)
    return list(groups.items())


def by_theme(cat: Catalogue, entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """Themes in registry order; an entry without themes goes under '' (no theme)."""
    order = {t: i for i, t in enumerate(cat.themes)}
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        for theme in entry.themes or ("",):
            groups.setdefault(theme, []).append(entry)
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def theme_title(cat: Catalogue, theme_id: str) -> str:
    if not theme_id:
        return "No theme"
    theme = cat.theme(theme_id)
    return f"{theme.name.zh} · {theme.name.en} ({theme_id})" if theme else theme_id


def entry_markdown(cat: Catalogue, entry: Entry) -> list[str]:
    """One entry's section of the report, from the same view as `polcat show`."""
    view = entry_view(cat, entry)
    name = entry.name
    title = " — ".join(x for x in (name.zh or entry.id, name.en) if x)
    lines = [f"#### {_md(title)}", ""]
    facts = [name.original if name.original != name.zh else None, name.pinyin, entry.kind, entry.year, entry.status]
    lines += [" · ".join([md_code(entry.id)] + [_md(f) for f in facts if f not in (None, "")]), ""]
    if view.origin:
        lines += [f"Origin: {_md(view.origin)}", ""]
    if entry.aliases:
        lines += ["Also called: " + "、".join(_md(a) for a in entry.aliases), ""]
    if entry.summary:
        lines += [md_block(str(entry.summary.zh)), "", md_block(str(entry.summary.en)), ""]
    if view.components:
        lines += ["Components:", ""]
        lines += [
            f"{i}. {_md(c.zh)} — {_md(c.en)}" + (f" ({_md(c.detail)})" if c.detail else "")
            for i, c in enumerate(view.components, 1)
        ]
        lines.append("")
    if view.outcomes:
        lines += ["Outcomes:", ""]
        lines += [f"- {_md(o.indicator)}: {_md(o.value)}{_md(o.unit or '')} — “{_md(o.quote)}”" for o in view.outcomes]
        lines.append("")
    for cite in view.citations:
        lines += [md_quote(str(cite.quote)), f"> — {_md(cite.label)}", ""]
    if view.links:
        lines += ["Relations:", ""]
    for link in view.links:
        label = (
            f"{_md(link.name)} ({md_code(link.target)})"
            if link.name
            else f"{md_code(link.target)} (not in the catalogue)"
        )
        lines.append(f"- {_md(link.type)}{' (derived)' if link.derived else ''}: {label}")
    if entry.notes:
        lines += ["", f"*Notes:* {md_block(str(entry.notes), first_line=False)}"]
    return [*lines, ""]


def sources_markdown(cat: Catalogue, entries: list[Entry]) -> list[str]:
    from polcat.entryview import source_label

    cited = sorted({s for e in entries for s in e.cited_sources()})
    if not cited:
        return []
    lines = ["## Sources", ""]
    for source_id in cited:
        source = cat.source(source_id)
        url = f" {md_url(source.url)}" if source is not None and source.url else ""
        lines.append(f"- {_md(source_label(cat, source_id))}{url}")
    return [*lines, ""]
