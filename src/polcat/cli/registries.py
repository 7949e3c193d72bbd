"""Registry views: `localities`, `themes`, `sources`, `stats`."""

from __future__ import annotations

import sys

from polcat.cli.app import app
from polcat.cli.options import CatalogueOpt, FormatOpt, NoCsvGuardOpt, load_for_query, table_default
from polcat.output import Format


@app.command()
def localities(format: FormatOpt = None, no_csv_guard: NoCsvGuardOpt = False, catalogue: CatalogueOpt = None) -> None:
    """The locality registry as a tree, with GB/T 2260 codes and entry counts.

    Examples:
    $ polcat localities
    $ polcat localities -f csv > localities.csv
    """
    from polcat import views
    from polcat.counts import entry_counts_by_locality
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    fmt = table_default(format)
    if fmt is Format.table:
        views.locality_tree(cat, sys.stdout)
        return
    counts = entry_counts_by_locality(cat)
    places = cat.all_localities()
    columns = [
        Column(h, f)
        for h, f in (
            ("id", lambda p: p.id),
            ("zh", lambda p: p.name.zh),
            ("en", lambda p: p.name.en),
            ("level", lambda p: p.level),
            ("adcode", lambda p: p.adcode),
            ("parent", lambda p: p.parent),
            ("entries", lambda p: counts[p.id][1]),
        )
    ]
    emit(
        [{**p.data, "_entries": counts[p.id][1]} for p in places], columns, fmt, rows=places, csv_guard=not no_csv_guard
    )


@app.command()
def themes(format: FormatOpt = None, no_csv_guard: NoCsvGuardOpt = False, catalogue: CatalogueOpt = None) -> None:
    """The themes, each in its policy field, with entry counts.

    Examples:
    $ polcat themes
    $ polcat themes -f jsonl | jq -r .id
    """
    from polcat.counts import stats as count
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    counts = count(cat)["theme"]
    fields = {f.id: f for f in cat.all_fields()}
    order = {f: i for i, f in enumerate(fields)}
    items = sorted(cat.all_themes(), key=lambda t: order.get(t.field, len(order)))
    columns = [
        Column("id", lambda t: t.id, "cyan"),
        Column("zh", lambda t: t.name.zh),
        Column("en", lambda t: t.name.en),
        Column("field", lambda t: t.field),
        Column("entries", lambda t: counts.get(t.id, 0)),
        Column("description", lambda t: t.description),
    ]
    emit(
        [{**t.data, "_entries": counts.get(t.id, 0)} for t in items],
        columns,
        table_default(format),
        rows=items,
        csv_guard=not no_csv_guard,
    )


@app.command()
def sources(format: FormatOpt = None, no_csv_guard: NoCsvGuardOpt = False, catalogue: CatalogueOpt = None) -> None:
    """The sources with their dates, publishers and entry counts.

    Examples:
    $ polcat sources
    $ polcat sources -f csv > sources.csv
    """
    from polcat.counts import stats as count
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    counts = count(cat)["source"]
    items = sorted(cat.all_sources(), key=lambda s: (s.date or "", s.id))
    columns = [
        Column("id", lambda s: s.id, "cyan"),
        Column("date", lambda s: s.date),
        Column("script", lambda s: s.script),
        Column("publisher", lambda s: s.publisher),
        Column("entries", lambda s: counts.get(s.id, 0)),
        Column("title", lambda s: s.title),
    ]
    emit(
        [{**s.data, "_entries": counts.get(s.id, 0)} for s in items],
        columns,
        table_default(format),
        rows=items,
        csv_guard=not no_csv_guard,
    )


@app.command()
def stats(format: FormatOpt = None, no_csv_guard: NoCsvGuardOpt = False, catalogue: CatalogueOpt = None) -> None:
    """Counts of entries by kind, status, level, origin, province, field, theme, source and year.

    Examples:
    $ polcat stats
    $ polcat stats -f json | jq .theme
    """
    from polcat.counts import stats as count
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    data = count(cat)
    fmt = table_default(format)
    if fmt in (Format.json, Format.yaml):
        emit(data, [], fmt)  # one mapping of counts, not a list
        return
    rows = [{"group": g, "value": k, "entries": n} for g, counts in data.items() for k, n in counts.items()]
    columns = [
        Column("group", lambda r: r["group"]),
        Column("value", lambda r: r["value"]),
        Column("entries", lambda r: r["entries"]),
    ]
    emit(rows, columns, fmt, csv_guard=not no_csv_guard)
