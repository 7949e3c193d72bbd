"""Querying commands: `list`, `show`, `search`, `related`, `matrix`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from polcat.cli.app import app
from polcat.cli.options import (
    AnyThemeOpt,
    CatalogueOpt,
    FormatOpt,
    KindOpt,
    LocalityOpt,
    ThemeOpt,
    build_filters,
    complete_ids,
    fail,
    load_for_query,
    nothing_found,
    run_query,
    stored,
    table_default,
    with_list_filters,
)
from polcat.output import Format

@app.command("list")
@with_list_filters
def list_entries(
    filters,
    sort: Annotated[str, typer.Option("--sort", help="id, name (pinyin), year, locality, kind or status.")] = "id",
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """List entries, filtered: e.g. polcat list --locality 贵州 --theme cadre-accountability."""
    from polcat import query, views
    from polcat.output import emit

    cat = load_for_query(catalogue)
    records = run_query(lambda: query.filter_entries(cat, filters, sort))
    fmt = table_default(format)
    columns = views.csv_columns(cat) if fmt is Format.csv else views.entry_columns(cat)
    emit(stored(records), columns, fmt, rows=records)
    if not records:
        raise nothing_found("no entries match the filters")


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="An id, or a name in either script, pinyin or an alias.", autocompletion=complete_ids, show_default=False)],
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="text (default), json or yaml: the entry as stored.", show_default=False)] = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Show one entry in full: names, summary, components, quotes, relations both ways."""
    cat = load_for_query(catalogue, save_cache=False)
    try:
        _show(cat, name, format)
    finally:
        cat.save_cache()  # once: the name keys computed while resolving and for the page


def _show(cat, name: str, format: Format | None) -> None:
    from polcat import query, views
    from polcat.output import dump_yaml

    matches = query.resolve(cat, name)
    if not matches:
        suggestions = query.suggest(cat, name)
        hint = "; did you mean: " + ", ".join(f"{r.id} ({r.get('name', {}).get('zh', '')})" for r in suggestions) if suggestions else ""
        raise fail(f"no entry named '{name}'{hint}", 1)
    if len(matches) > 1:
        typer.echo(f"polcat: {len(matches)} entries are named '{name}'; give an id:", err=True)
        for record in matches:
            typer.echo(f"  {record.id}  ({views.locality_chain(cat, record.get('locality'))})", err=True)
        raise typer.Exit(1)
    (record,) = matches
    if format in (Format.json, Format.jsonl):
        import json

        typer.echo(json.dumps(record.data, ensure_ascii=False, indent=None if format is Format.jsonl else 2))
    elif format is Format.yaml:
        dump_yaml(record.data, sys.stdout)
    elif format in (None, Format.table):
        views.show_page(cat, record, sys.stdout)
    else:
        raise fail("show prints text, json, jsonl or yaml")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find: Chinese in either script, pinyin with or without tones, or English.", show_default=False)],
    locality: LocalityOpt = None,
    theme: ThemeOpt = None,
    any_theme: AnyThemeOpt = False,
    kind: KindOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many hits (0: all).")] = 20,
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Ranked full-text search over names, aliases, components, summaries and quotes."""
    from polcat import query, views
    from polcat.output import Column, emit

    cat = load_for_query(catalogue, save_cache=False)
    filters = build_filters(locality, theme, any_theme, None, kind, None, None, None, None, None)
    pool = run_query(lambda: query.filter_entries(cat, filters))
    hits = query.search(cat, text, pool)
    cat.save_cache()  # the search keys computed on the way
    hits = hits[:limit] if limit else hits
    columns = [
        Column("id", lambda h: h.record.id, "cyan"),
        Column("name", lambda h: h.record.get("name", {}).get("zh")),
        Column("locality", lambda h: views.locality_name(cat, h.record.get("locality"))),
        Column("score", lambda h: f"{h.score:g}"),
        Column("matched", lambda h: ", ".join(h.reasons)),
    ]
    items = [{**h.record.data, "_match": {"score": h.score, "reasons": h.reasons}} for h in hits]
    emit(items, columns, table_default(format), rows=hits)
    if not hits:
        raise nothing_found(f"nothing matches '{text}'")


@app.command()
def related(
    name: Annotated[str, typer.Argument(help="An id or a unique name.", autocompletion=complete_ids, show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many (0: all).")] = 20,
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Cross-references of an entry, each with its reasons: relations (both ways), the same
    name elsewhere, shared components, shared themes, the same locality."""
    from polcat import query, views
    from polcat.output import Column, emit

    cat = load_for_query(catalogue, save_cache=False)
    matches = query.resolve(cat, name)
    if len(matches) != 1:
        raise fail(f"'{name}' names {len(matches)} entries; use polcat show to find its id", 1)
    found = query.related(cat, matches[0], limit or None)
    cat.save_cache()
    columns = [
        Column("id", lambda r: r.record.id, "cyan"),
        Column("name", lambda r: r.record.get("name", {}).get("zh")),
        Column("locality", lambda r: views.locality_name(cat, r.record.get("locality"))),
        Column("why", lambda r: "; ".join(r.reasons)),
    ]
    items = [{**r.record.data, "_related": {"score": r.score, "reasons": r.reasons}} for r in found]
    emit(items, columns, table_default(format), rows=found)
    if not found:
        raise nothing_found(f"nothing is related to {matches[0].id}")


class By(str, Enum):
    province = "province"
    prefecture = "prefecture"
    county = "county"


@app.command()
@with_list_filters
def matrix(
    filters,
    by: Annotated[By, typer.Option("--by", case_sensitive=False, help="Rows are localities at this level.")] = By.province,
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """A locality by theme grid of entry counts. List a cell with
    polcat list --locality ROW --theme COLUMN."""
    from polcat import query, views
    from polcat.output import Column, emit

    cat = load_for_query(catalogue)
    records = run_query(lambda: query.filter_entries(cat, filters))
    grid = query.matrix(cat, records, by.value)
    if filters.themes:  # the asked-for themes are the columns, not every theme the entries carry
        grid.themes = [t for t in filters.themes if t in grid.themes]
    columns = [Column("locality", lambda r: f"{views._name(r)} [{r.id}]", "cyan")]
    columns += [Column(t, lambda r, t=t: grid.counts.get((r.id, t), "") or "") for t in grid.themes]
    items = [
        {"locality": r.id, "name": views._name(r), "counts": {t: grid.counts[(r.id, t)] for t in grid.themes if grid.counts.get((r.id, t))}}
        for r in grid.rows
    ]
    emit(items, columns, table_default(format), rows=grid.rows)
    if grid.unplaced and table_default(format) is Format.table:
        noun = "entry" if grid.unplaced == 1 else "entries"
        typer.echo(f"({grid.unplaced} {noun} filed above the {by.value} level not counted)", err=True)
    if not records:
        raise nothing_found("no entries match the filters")

