"""Registry views: `localities`, `themes`, `sources`, `stats`."""

from __future__ import annotations

import sys

from polcat.cli.app import app
from polcat.cli.options import CatalogueOpt, FormatOpt, load_for_query, table_default
from polcat.output import Format

@app.command()
def localities(format: FormatOpt = None, catalogue: CatalogueOpt = None) -> None:
    """The locality registry as a tree, with GB/T 2260 codes and entry counts."""
    from polcat import query, views
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    fmt = table_default(format)
    if fmt is Format.table:
        views.locality_tree(cat, sys.stdout)
        return
    counts = query.entry_counts_by_locality(cat)
    records = list(cat.localities.values())
    columns = [Column(h, f) for h, f in (
        ("id", lambda r: r.id), ("zh", lambda r: views._name(r)), ("en", lambda r: views._name(r, "en")),
        ("level", lambda r: r.get("level")), ("adcode", lambda r: r.get("adcode")), ("parent", lambda r: r.get("parent")),
        ("entries", lambda r: counts[r.id][1]),
    )]
    emit([{**r.data, "_entries": counts[r.id][1]} for r in records], columns, fmt, rows=records)


@app.command()
def themes(format: FormatOpt = None, catalogue: CatalogueOpt = None) -> None:
    """The theme registry with entry counts."""
    from polcat import query, views
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    counts = query.stats(cat)["theme"]
    records = list(cat.themes.values())
    columns = [
        Column("id", lambda r: r.id, "cyan"), Column("zh", lambda r: views._name(r)), Column("en", lambda r: views._name(r, "en")),
        Column("entries", lambda r: counts.get(r.id, 0)), Column("description", lambda r: r.get("description")),
    ]
    emit([{**r.data, "_entries": counts.get(r.id, 0)} for r in records], columns, table_default(format), rows=records)


@app.command()
def sources(format: FormatOpt = None, catalogue: CatalogueOpt = None) -> None:
    """The sources with their dates, publishers and entry counts."""
    from polcat import query
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    counts = query.stats(cat)["source"]
    records = sorted(cat.sources.values(), key=lambda r: (str(r.get("date") or ""), r.id))
    columns = [
        Column("id", lambda r: r.id, "cyan"), Column("date", lambda r: r.get("date")), Column("script", lambda r: r.get("script")),
        Column("publisher", lambda r: r.get("publisher")), Column("entries", lambda r: counts.get(r.id, 0)),
        Column("title", lambda r: r.get("title")),
    ]
    emit([{**r.data, "_entries": counts.get(r.id, 0)} for r in records], columns, table_default(format), rows=records)


@app.command()
def stats(format: FormatOpt = None, catalogue: CatalogueOpt = None) -> None:
    """Counts of entries by kind, status, level, province, theme, source and year."""
    from polcat import query
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    data = query.stats(cat)
    fmt = table_default(format)
    if fmt in (Format.json, Format.yaml):
        emit(data, [], fmt)  # one mapping of counts, not a list
        return
    rows = [{"group": g, "value": k, "entries": n} for g, counts in data.items() for k, n in counts.items()]
    columns = [Column("group", lambda r: r["group"]), Column("value", lambda r: r["value"]), Column("entries", lambda r: r["entries"])]
    emit(rows, columns, fmt)


# Commands of other concerns live in their own modules and register on `app` when imported.