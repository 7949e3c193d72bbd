"""Handing the catalogue to people who will not install polcat: JSON, JSONL, CSV, SQLite
and a Markdown report.

Each function takes the loaded catalogue and the entries to export (as
:func:`polcat.query.filter_entries` selects them) and returns the export as text, or as
bytes for SQLite; writing it is the caller's business (:func:`polcat.textio.atomic_write`)::

    from polcat.catalogue import load_catalogue
    from polcat import export, query

    cat = load_catalogue()
    records = query.filter_entries(cat, query.Filters(localities=["贵州"]))
    open("guizhou.db", "wb").write(export.to_sqlite(cat, records))

Nothing is lost: JSON and JSONL are the entries as stored; CSV is one row per entry plus
one table per one-to-many part; SQLite holds every field of entries and registries.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Iterator

from polcat.catalogue import Catalogue, Record
from polcat.output import Column, Format, emit
from polcat.query import _dict, _list, _str

FORMATS = ("json", "jsonl", "csv", "sqlite", "md")
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md",
            ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}

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


def to_text(cat: Catalogue, records: list[Record], fmt: str, table: str = "entries") -> str:
    """The export in a text format: json, jsonl, csv (``table`` picks which) or md."""
    if fmt == "md":
        return markdown_report(cat, records)
    if fmt == "csv":
        return to_csv(cat, records, table)
    if fmt not in ("json", "jsonl"):
        raise ValueError(f"{fmt} is not a text export format")
    out = io.StringIO()
    emit([r.data for r in records], [], Format(fmt), out)
    return out.getvalue()


# --- CSV ------------------------------------------------------------------------------


def entry_csv_columns(cat: Catalogue) -> list[Column]:
    """`polcat list -f csv`'s columns plus the notes: every scalar field of an entry."""
    from polcat.views import csv_columns

    return csv_columns(cat) + [Column("notes", lambda r: r.get("notes"))]


def part_rows(records: list[Record], table: str) -> Iterator[dict]:
    """One row per item of a one-to-many part: entry_id, position (from 1), the item's keys."""
    field, keys = PARTS[table]
    for record in records:
        for position, item in enumerate(_list(record.get(field)), 1):
            if isinstance(item, dict):
                yield {"entry_id": record.id, "position": position, **{k: item.get(k) for k in keys}}


def to_csv(cat: Catalogue, records: list[Record], table: str = "entries") -> str:
    """One row per entry (flat columns, lists joined with '; '), or per item of a part."""
    if table not in TABLES:
        raise ValueError(f"unknown table '{table}' (choose from {', '.join(TABLES)})")
    out = io.StringIO()
    if table == "entries":
        emit([], entry_csv_columns(cat), Format.csv, out, rows=records)
        return out.getvalue()
    rows = list(part_rows(records, table))
    headers = ["entry_id", "position", *PARTS[table][1]]
    if table == "sources":  # a spreadsheet reader wants the title next to the quote
        for row in rows:
            source = cat.sources.get(row["source"] or "")
            row.update({f"source_{k}": source.get(k) if source else None for k in ("title", "publisher", "date")})
        headers += ["source_title", "source_publisher", "source_date"]
    emit([], [Column(h, lambda row, h=h: row.get(h)) for h in headers], Format.csv, out, rows=rows)
    return out.getvalue()


# --- SQLite ---------------------------------------------------------------------------

# One table per kind of record. Every reference is a foreign key except a relation's
# target, which may lie outside a filtered export.
SCHEMA = """
CREATE TABLE localities (id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT, pinyin TEXT, level TEXT,
  adcode TEXT, parent TEXT REFERENCES localities(id), notes TEXT);
CREATE TABLE former_names (locality_id TEXT NOT NULL REFERENCES localities(id), position INTEGER NOT NULL,
  zh TEXT, adcode TEXT, until TEXT, PRIMARY KEY (locality_id, position));
CREATE TABLE themes (id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT, description TEXT);
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, publisher TEXT, author TEXT, date TEXT, url TEXT,
  language TEXT, script TEXT, text TEXT, sha256 TEXT, original_file TEXT, notes TEXT);
CREATE TABLE source_cleaning (source_id TEXT NOT NULL REFERENCES sources(id), position INTEGER NOT NULL,
  note TEXT, PRIMARY KEY (source_id, position));
CREATE TABLE entries (id TEXT PRIMARY KEY, status TEXT, name_zh TEXT, name_original TEXT, pinyin TEXT,
  name_en TEXT, kind TEXT, locality TEXT REFERENCES localities(id), level TEXT, year INTEGER,
  summary_zh TEXT, summary_en TEXT, notes TEXT);
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


def to_sqlite(cat: Catalogue, records: list[Record]) -> bytes:
    """An SQLite database of the entries and all registries, as the bytes of the file.

    Built in memory and returned whole, so that the caller writes it atomically.
    """
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        for table, rows in sqlite_rows(cat, records):
            _insert(conn, table, rows)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def sqlite_rows(cat: Catalogue, records: list[Record]) -> Iterator[tuple[str, list[dict]]]:
    """(table, rows) in an order that satisfies the foreign keys."""
    localities = list(cat.localities.values())
    yield "localities", [_locality_row(r) for r in localities]
    yield "former_names", [
        {"locality_id": r.id, "position": i, **{k: f.get(k) for k in ("zh", "adcode", "until")}}
        for r in localities for i, f in enumerate(_list(r.get("former_names")), 1) if isinstance(f, dict)
    ]
    yield "themes", [_theme_row(r) for r in cat.themes.values()]
    sources = list(cat.sources.values())
    keys = ("title", "publisher", "author", "date", "url", "language", "script", "text", "sha256", "original_file", "notes")
    yield "sources", [{"id": r.id, **{k: r.get(k) for k in keys}} for r in sources]
    yield "source_cleaning", [
        {"source_id": r.id, "position": i, "note": note} for r in sources for i, note in enumerate(_list(r.get("cleaning")), 1)
    ]
    yield "entries", [_entry_row(r) for r in records]
    yield "aliases", [{"entry_id": r.id, "position": i, "alias": a} for r in records for i, a in enumerate(_list(r.get("aliases")), 1)]
    yield "entry_themes", [
        {"entry_id": r.id, "position": i, "theme_id": t} for r in records for i, t in enumerate(_list(r.get("themes")), 1)
    ]
    yield "components", list(part_rows(records, "components"))
    yield "citations", [_renamed(row, source="source_id") for row in part_rows(records, "sources")]
    yield "outcomes", [_renamed(row, source="source_id") for row in part_rows(records, "outcomes")]
    yield "relations", [_renamed(row, target="target_id") for row in part_rows(records, "relations")]


def _locality_row(record: Record) -> dict:
    name = _dict(record.get("name"))
    return {"id": record.id, "name_zh": name.get("zh"), "name_en": name.get("en"), "pinyin": name.get("pinyin"),
            **{k: record.get(k) for k in ("level", "adcode", "parent", "notes")}}


def _theme_row(record: Record) -> dict:
    name = _dict(record.get("name"))
    return {"id": record.id, "name_zh": name.get("zh"), "name_en": name.get("en"), "description": record.get("description")}


def _entry_row(record: Record) -> dict:
    name, summary = _dict(record.get("name")), _dict(record.get("summary"))
    return {
        "id": record.id, "status": record.get("status"), "name_zh": name.get("zh"), "name_original": name.get("original"),
        "pinyin": name.get("pinyin"), "name_en": name.get("en"),
        **{k: record.get(k) for k in ("kind", "locality", "level", "year")},
        "summary_zh": summary.get("zh"), "summary_en": summary.get("en"), "notes": record.get("notes"),
    }


def _renamed(row: dict, **names: str) -> dict:
    return {names.get(k, k): v for k, v in row.items()}


def _insert(conn, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.executemany(sql, ([_scalar(row.get(c)) for c in columns] for row in rows))


def _scalar(value: Any) -> Any:
    """SQLite takes str, int, float and None; anything else (a stray YAML date, a list in a
    broken entry) is kept as its JSON text rather than dropped."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# --- Markdown -------------------------------------------------------------------------


def markdown_report(cat: Catalogue, records: list[Record]) -> str:
    """A readable report: localities in tree order, themes within each, every entry with
    its summary, components, outcomes, quotes and relations, then the sources cited."""
    from polcat import views

    lines = [f"# Named policy mechanisms: {len(records)} {'entry' if len(records) == 1 else 'entries'}", ""]
    for locality_id, group in _by_locality(cat, records):
        lines += [f"## {views.locality_chain(cat, locality_id)} ({locality_id})", ""]
        described: dict[str, str] = {}  # entry id -> the theme it is described under
        for theme_id, members in _by_theme(cat, group):
            lines += [f"### {_theme_title(cat, theme_id)}", ""]
            for record in members:
                if record.id in described:
                    lines += [f"- {views._name(record)} (`{record.id}`): see {_theme_title(cat, described[record.id])}", ""]
                else:
                    described[record.id] = theme_id
                    lines += _entry_lines(cat, record)
    lines += _sources_lines(cat, records)
    return "\n".join(lines).rstrip() + "\n"


def _by_locality(cat: Catalogue, records: list[Record]) -> list[tuple[str, list[Record]]]:
    from polcat.query import sort_entries

    groups: dict[str, list[Record]] = {}
    for record in sort_entries(cat, records, "locality"):
        groups.setdefault(record.get("locality") or "", []).append(record)
    return list(groups.items())


def _by_theme(cat: Catalogue, records: list[Record]) -> list[tuple[str, list[Record]]]:
    """Themes in registry order; an entry without themes goes under '' (no theme)."""
    order = {t: i for i, t in enumerate(cat.themes)}
    groups: dict[str, list[Record]] = {}
    for record in records:
        for theme in _list(record.get("themes")) or [""]:
            groups.setdefault(theme, []).append(record)
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _theme_title(cat: Catalogue, theme_id: str) -> str:
    from polcat.views import _name

    if not theme_id:
        return "No theme"
    record = cat.themes.get(theme_id)
    return f"{_name(record)} · {_name(record, 'en')} ({theme_id})" if record else theme_id


def _entry_lines(cat: Catalogue, record: Record) -> list[str]:
    from polcat import query, views

    name = _dict(record.get("name"))
    title = " — ".join(x for x in (_str(name.get("zh")) or record.id, _str(name.get("en"))) if x)
    lines = [f"#### {title}", ""]
    facts = [f"`{record.id}`", name.get("original") if name.get("original") != name.get("zh") else None, name.get("pinyin"),
             record.get("kind"), record.get("year"), record.get("status")]
    lines += [" · ".join(str(f) for f in facts if f not in (None, "")), ""]
    if _list(record.get("aliases")):
        lines += ["Also called: " + "、".join(map(str, record.get("aliases"))), ""]
    summary = _dict(record.get("summary"))
    for key in ("zh", "en"):
        if _str(summary.get(key)):
            lines += [summary[key], ""]
    components = [c for c in _list(record.get("components")) if isinstance(c, dict)]
    if components:
        lines += ["Components:", ""]
        lines += [f"{i}. {c.get('zh')} — {c.get('en')}" + (f" ({c['detail']})" if c.get("detail") else "") for i, c in enumerate(components, 1)]
        lines.append("")
    outcomes = [o for o in _list(record.get("outcomes")) if isinstance(o, dict)]
    if outcomes:
        lines += ["Outcomes:", ""]
        lines += [f"- {o.get('indicator')}: {o.get('value')}{o.get('unit') or ''} — “{o.get('quote')}”" for o in outcomes]
        lines.append("")
    for cite in (s for s in _list(record.get("sources")) if isinstance(s, dict)):
        lines += [f"> {cite.get('quote')}", f"> — {_source_label(cat, cite.get('source'))}", ""]
    links = query.links(cat, record)
    if links:
        lines += ["Relations:", ""]
    for link in links:
        target = cat.mechanisms.get(link.target)
        label = f"{views._name(target)} (`{link.target}`)" if target else f"`{link.target}` (not in the catalogue)"
        lines.append(f"- {link.type}{' (derived)' if link.derived else ''}: {label}")
    if record.get("notes"):
        lines += ["", f"*Notes:* {record.get('notes')}"]
    return lines + [""]


def _source_label(cat: Catalogue, source_id: str | None) -> str:
    source = cat.sources.get(source_id or "")
    if source is None:
        return f"[{source_id}]"
    return f"[{source_id}] " + ", ".join(str(x) for x in (source.get("title"), source.get("publisher"), source.get("date")) if x)


def _sources_lines(cat: Catalogue, records: list[Record]) -> list[str]:
    from polcat.query import cited_sources

    cited = sorted({s for r in records for s in cited_sources(r)})
    if not cited:
        return []
    lines = ["## Sources", ""]
    for source_id in cited:
        source = cat.sources.get(source_id)
        url = f" <{source.get('url')}>" if source is not None and source.get("url") else ""
        lines.append(f"- {_source_label(cat, source_id)}{url}")
    return lines + [""]
