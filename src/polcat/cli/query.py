"""Querying commands: `list`, `show`, `search`, `related`, `matrix`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from polcat.cli.app import app
from polcat.cli.options import (
    AnyThemeOpt,
    CatalogueOpt,
    FormatOpt,
    KindOpt,
    LocalityOpt,
    NoCsvGuardOpt,
    ThemeOpt,
    build_filters,
    choices,
    complete_ids,
    fail,
    load_encoded_listing,
    load_for_query,
    nothing_found,
    run_query,
    table_default,
    with_list_filters,
)
from polcat.output import Format

if TYPE_CHECKING:
    from polcat.catalogue import Catalogue
    from polcat.filters import Filters
    from polcat.model import Entry, Locality


@app.command("list")
@with_list_filters
def list_entries(
    filters: Filters,
    sort: Annotated[str, typer.Option("--sort", help="id, name (pinyin), year, locality, kind or status.")] = "id",
    format: FormatOpt = None,
    no_csv_guard: NoCsvGuardOpt = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """List entries, filtered.

    Examples:
    $ polcat list --locality 贵州 --theme cadre-accountability
    $ polcat list --origin 赤水 -f csv --since 2016
    """
    from polcat import filters as choose
    from polcat import views
    from polcat.index import for_filters
    from polcat.output import emit, write_encoded

    fmt = table_default(format)
    choose_entries = for_filters(filters)
    if fmt in (Format.json, Format.jsonl) and sort == "id" and choose_entries is None and not filters.by_year:
        # Every entry, as stored: the index keeps each one's JSON (see polcat.index).
        listing = load_encoded_listing(catalogue)
        if listing is not None:
            if not write_encoded(listing[1], fmt, sys.stdout):
                raise nothing_found("no entries match the filters")
            return
    cat = load_for_query(catalogue, choose_entries)
    chosen = run_query(lambda: choose.select(cat, filters, sort))
    columns = views.csv_columns(cat) if fmt is Format.csv else views.entry_columns(cat)
    emit([e.data for e in chosen.entries], columns, fmt, rows=chosen.entries, csv_guard=not no_csv_guard)
    say_without_year(chosen.without_year)
    if not chosen.entries:
        raise nothing_found("no entries match the filters")


def say_without_year(count: int) -> None:
    """A year filter cannot place entries without a year: say how many it left out."""
    if count:
        noun = "entry" if count == 1 else "entries"
        typer.echo(f"polcat: {count} {noun} without a year left out by the year filter", err=True)


def resolve_one(cat: Catalogue, name: str, catalogue: Path | None = None) -> Entry:
    """The one entry ``name`` names; otherwise a did-you-mean, or the candidates' ids (exit 1)."""
    from polcat.places import locality_chain
    from polcat.search import resolve, suggest

    matches = resolve(cat, name)
    if not matches:
        if cat.partial:  # did you mean: a question about every entry
            cat = load_for_query(catalogue, warn=False)
        suggestions = suggest(cat, name)
        hint = "; did you mean: " + ", ".join(f"{e.id} ({e.label})" for e in suggestions) if suggestions else ""
        raise fail(f"no entry named '{name}'{hint}", 1)
    if len(matches) > 1:
        typer.echo(f"polcat: {len(matches)} entries are named '{name}'; give an id:", err=True)
        for entry in matches:
            typer.echo(f"  {entry.id}  ({locality_chain(cat, entry.locality)})", err=True)
        raise typer.Exit(1)
    return matches[0]


class ShowFormat(str, Enum):
    """What show prints: the page (``table``, as listings call their default), or the
    entry as stored; a table of one entry in CSV or Markdown would say less than these."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


@app.command()
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="An id, or a name in either script, pinyin, English or an alias.",
            autocompletion=complete_ids,
            show_default=False,
        ),
    ],
    format: Annotated[
        ShowFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{choices(ShowFormat, 'table')}: a page to read, or the entry as stored.",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Show one entry in full: names, summary, components, origin, quotes, relations both ways.

    Examples:
    $ polcat show 三定
    $ polcat show "Three Fixes" -f yaml
    """
    from polcat import views
    from polcat.index import for_name
    from polcat.output import dump_yaml

    cat = load_for_query(catalogue, for_name(name))
    entry = resolve_one(cat, name, catalogue)
    if format in (ShowFormat.json, ShowFormat.jsonl):
        import json

        typer.echo(json.dumps(entry.data, ensure_ascii=False, indent=None if format is ShowFormat.jsonl else 2))
    elif format is ShowFormat.yaml:
        dump_yaml(entry.data, sys.stdout)
    else:
        views.show_page(cat, entry, sys.stdout)


@app.command()
def search(
    text: Annotated[
        str,
        typer.Argument(
            help="Words to find: Chinese in either script, pinyin with or without tones, or English.",
            show_default=False,
        ),
    ],
    locality: LocalityOpt = None,
    theme: ThemeOpt = None,
    any_theme: AnyThemeOpt = False,
    kind: KindOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many hits (0: all).")] = 20,
    format: FormatOpt = None,
    no_csv_guard: NoCsvGuardOpt = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Ranked full-text search over names, aliases, components, summaries and quotes.

    Examples:
    $ polcat search 三變
    $ polcat search "san ding" --theme evaluation
    """
    from polcat.filters import filter_entries
    from polcat.index import for_filters
    from polcat.output import Column, emit
    from polcat.places import locality_name
    from polcat.search import search as find

    filters = build_filters(locality=locality, theme=theme, any_theme=any_theme, kind=kind)
    cat = load_for_query(catalogue, for_filters(filters, text))
    pool = run_query(lambda: filter_entries(cat, filters))
    hits = find(cat, text, pool)
    hits = hits[:limit] if limit else hits
    columns = [
        Column("id", lambda h: h.entry.id, "cyan"),
        Column("name", lambda h: h.entry.name.zh),
        Column("locality", lambda h: locality_name(cat, h.entry.locality)),
        Column("score", lambda h: f"{h.score:g}"),
        Column("matched", lambda h: ", ".join(h.reasons)),
    ]
    items = [{**h.entry.data, "_match": {"score": h.score, "reasons": h.reasons}} for h in hits]
    emit(items, columns, table_default(format), rows=hits, csv_guard=not no_csv_guard)
    if not hits:
        raise nothing_found(f"nothing matches '{text}'")


@app.command()
def related(
    name: Annotated[
        str, typer.Argument(help="An id or a unique name.", autocompletion=complete_ids, show_default=False)
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many (0: all).")] = 20,
    format: FormatOpt = None,
    no_csv_guard: NoCsvGuardOpt = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Cross-references of an entry, each with its reasons: relations (both ways), the same
    name elsewhere, shared components, the same origin, shared themes, the same locality.

    Examples:
    $ polcat related fengqing-1plusx -n 3
    $ polcat related 三定 -f jsonl
    """
    from polcat.index import for_name
    from polcat.output import Column, emit
    from polcat.places import locality_name
    from polcat.relations import related as cross_references

    cat = load_for_query(catalogue, for_name(name, related=True, limit=limit or None))
    entry = resolve_one(cat, name, catalogue)
    found = cross_references(cat, entry, limit or None)
    columns = [
        Column("id", lambda r: r.entry.id, "cyan"),
        Column("name", lambda r: r.entry.name.zh),
        Column("locality", lambda r: locality_name(cat, r.entry.locality)),
        Column("why", lambda r: "; ".join(r.reasons)),
    ]
    items = [{**r.entry.data, "_related": {"score": r.score, "reasons": r.reasons}} for r in found]
    emit(items, columns, table_default(format), rows=found, csv_guard=not no_csv_guard)
    if not found:
        raise nothing_found(f"nothing is related to {entry.id}")


class Columns(str, Enum):
    theme = "theme"
    field = "field"


class By(str, Enum):
    province = "province"
    prefecture = "prefecture"
    county = "county"


@app.command()
@with_list_filters
def matrix(
    filters: Filters,
    by: Annotated[
        By,
        typer.Option(
            "--by",
            case_sensitive=False,
            metavar="LEVEL",
            show_default=False,
            help=f"Rows are localities at this level: {choices(By, 'province')}.",
        ),
    ] = By.province,
    columns: Annotated[
        Columns | None,
        typer.Option("--columns", case_sensitive=False, help="theme: a column per theme; field: per policy field."),
    ] = None,
    format: FormatOpt = None,
    no_csv_guard: NoCsvGuardOpt = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """A locality by theme grid of entry counts; a heatmap on a colour terminal.

    List a cell's entries with: polcat list --locality ROW --theme COLUMN.

    Examples:
    $ polcat matrix --by county --field environment
    $ polcat matrix --columns field -f csv
    """
    from polcat import filters as choose
    from polcat.counts import matrix as count_matrix
    from polcat.index import for_filters
    from polcat.output import Column, emit
    from polcat.views import heat_style

    cat = load_for_query(catalogue, for_filters(filters))
    chosen = run_query(lambda: choose.select(cat, filters))
    grid = count_matrix(cat, chosen.entries, by.value, (columns or Columns.theme).value)
    if columns is not Columns.field:  # the asked-for themes (or fields' themes) are the columns
        if filters.themes:
            grid.themes = [t for t in filters.themes if t in grid.themes]
        elif filters.fields:
            grid.themes = [
                t for t in grid.themes if (theme := cat.theme(t)) is not None and theme.field in filters.fields
            ]
    cells = [Column("locality", lambda p: f"{p.label} [{p.id}]", "cyan")]

    def count_cell(theme: str) -> Callable[[Locality], int | str]:
        return lambda p: grid.counts.get((p.id, theme), "") or ""

    def shade(theme: str) -> Callable[[Locality], str]:  # a heatmap on a colour terminal
        return lambda p: heat_style(grid.counts.get((p.id, theme), 0))

    cells += [Column(t, count_cell(t), shade=shade(t)) for t in grid.themes]
    items = [
        {
            "locality": p.id,
            "name": p.label,
            "counts": {t: grid.counts[(p.id, t)] for t in grid.themes if grid.counts.get((p.id, t))},
        }
        for p in grid.rows
    ]
    emit(items, cells, table_default(format), rows=grid.rows, csv_guard=not no_csv_guard)
    if grid.unplaced and table_default(format) is Format.table:
        noun = "entry" if grid.unplaced == 1 else "entries"
        typer.echo(f"({grid.unplaced} {noun} filed above the {by.value} level not counted)", err=True)
    say_without_year(chosen.without_year)
    if not chosen.entries:
        raise nothing_found("no entries match the filters")
