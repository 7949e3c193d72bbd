"""Sharing commands: `polcat export`, `polcat graph`, `polcat site`.

Each takes the filters of `polcat list`, selects the entries and hands them to a library
module (:mod:`polcat.export`, :mod:`polcat.graph`, :mod:`polcat.site`). Files are written
atomically and never replaced without --force.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from polcat.cli.app import app
from polcat.cli.options import CatalogueOpt, NoCsvGuardOpt, choices, fail, load_for_query, run_query, with_list_filters

if TYPE_CHECKING:
    from polcat.catalogue import Catalogue
    from polcat.filters import Filters
    from polcat.model import Entry

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of stdout (atomically).", show_default=False, dir_okay=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]


def select(catalogue: Path | None, filters: Filters, sort: str = "id") -> tuple[Catalogue, list[Entry]]:
    """The catalogue and the entries the filters pick; none is 'nothing found' (exit 1)."""
    from polcat import filters as choose

    cat = load_for_query(catalogue)
    entries = run_query(lambda: choose.filter_entries(cat, filters, sort))
    if not entries:
        raise fail("no entries match the filters; nothing written", 1)
    return cat, entries


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a refused or failed write into a clear message (exit 2), never a traceback."""
    try:
        yield
    except OSError as exc:
        if exc.errno is None:  # polcat's own refusal (an existing file, a full folder) says it all
            raise fail(str(exc)) from None
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
        raise fail(f"cannot write {path}: {exc.strerror}{where}") from None


def deliver(data: str | bytes, output: Path | None, force: bool, what: str) -> None:
    """Print to stdout, or write ``output`` atomically and say so on stderr."""
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
        return
    from polcat.textio import atomic_write

    with writing(output):
        atomic_write(output, data, force=force)
    typer.echo(f"polcat: wrote {what} to {output}", err=True)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    sqlite = "sqlite"
    md = "md"
    xlsx = "xlsx"


class ExportTable(str, Enum):
    entries = "entries"
    components = "components"
    sources = "sources"
    relations = "relations"
    outcomes = "outcomes"


@app.command()
@with_list_filters
def export(
    filters: Filters,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{choices(ExportFormat)} (default: from --output's suffix, else json).",
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        ExportTable,
        typer.Option(
            "--table",
            metavar="TABLE",
            show_default=False,
            help=f"With csv: a row per entry, or per item of one of their lists: {choices(ExportTable, 'entries')}.",
        ),
    ] = ExportTable.entries,
    no_csv_guard: NoCsvGuardOpt = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="Start CSV with a UTF-8 byte-order mark, so that Excel opens it (double-click) with its Chinese intact.",
        ),
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    sort: Annotated[str, typer.Option("--sort", help="id, name (pinyin), year, locality, kind or status.")] = "id",
    catalogue: CatalogueOpt = None,
) -> None:
    """Export entries for people without polcat: JSON or JSONL as stored, CSV (a row per
    entry; --table for components, sources, relations, outcomes), an Excel workbook (a
    sheet each for entries, components, relations, outcomes and sources), SQLite (every
    record, with foreign keys) or a Markdown report. Takes the filters of polcat list.

    Examples:
    $ polcat export --locality 贵州 -o guizhou.xlsx
    $ polcat export -f csv --bom -o all.csv
    """
    from polcat import export as exports

    implied = exports.format_for(output)
    fmt = format.value if format else (implied or "json")
    if output is not None and output.suffix and implied != fmt:
        raise fail(
            f"--output {output.name} does not look like {fmt} (give a .{'db' if fmt == 'sqlite' else fmt} file, or the matching --format)"
        )
    if table is not ExportTable.entries and fmt != "csv":
        raise fail(f"--table goes with --format csv ({fmt} holds every part of an entry)")
    if bom and fmt != "csv":
        raise fail("--bom goes with --format csv")
    if fmt in ("sqlite", "xlsx") and output is None:
        raise fail(
            f"{'an SQLite database' if fmt == 'sqlite' else 'an Excel workbook'} is a binary file: give --output FILE"
        )
    cat, entries = select(catalogue, filters, sort)
    data: str | bytes
    if fmt == "sqlite":
        data = exports.to_sqlite(cat, entries)
    elif fmt == "xlsx":
        from polcat.progress import bar
        from polcat.spreadsheet import to_xlsx

        with bar("writing the workbook") as progress:
            data = to_xlsx(cat, entries, progress)
    else:
        data = exports.to_text(cat, entries, fmt, table.value, csv_guard=not no_csv_guard)
        if bom:
            data = "\ufeff" + data
    deliver(data, output, force, _count(len(entries), "entry", "entries"))


class GraphFormat(str, Enum):
    dot = "dot"
    mermaid = "mermaid"
    graphml = "graphml"
    json = "json"


class GraphView(str, Enum):
    relations = "relations"
    localities = "localities"


@app.command()
@with_list_filters
def graph(
    filters: Filters,
    view: Annotated[
        GraphView, typer.Option("--view", help="relations: typed links between entries; localities: the locality tree.")
    ] = GraphView.relations,
    format: Annotated[
        GraphFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{choices(GraphFormat)} (default: from --output's suffix, else dot).",
            show_default=False,
        ),
    ] = None,
    derived: Annotated[
        bool,
        # Kept so that scripts written for 0.2 still run: every link is now drawn once.
        typer.Option("--derived", hidden=True, help="No effect: each relation is drawn once, one way per type."),
    ] = False,
    connected: Annotated[bool, typer.Option("--connected", help="Leave out entries without relations.")] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Draw the relations between entries, or the locality tree, as Graphviz DOT, Mermaid,
    GraphML or JSON. Takes the filters of polcat list; relations leaving the selection
    are left out. Each relation is one edge, one way per type: parts point at the whole
    (part-of, also for a has-part written on the other side), implementations at what
    they implement, variants at their original; similar-to and same-name-as have no arrow.

    Examples:
    $ polcat graph --locality 潢川 --connected -f mermaid
    $ polcat graph --connected -o relations.dot
    $ polcat graph --view localities -o localities.graphml
    """
    from polcat import graph as graphs

    if derived:
        typer.echo("polcat: note: --derived has no effect: each relation is drawn once, one way per type", err=True)

    fmt = format.value if format else (graphs.format_for(output) or "dot")
    cat, entries = select(catalogue, filters)
    if view is GraphView.localities:
        drawn = graphs.locality_graph(cat, entries)
    else:
        drawn = graphs.relation_graph(cat, entries, connected=connected)
    deliver(
        graphs.render(drawn, fmt),
        output,
        force,
        f"{_count(len(drawn.nodes), 'node', 'nodes')} and {_count(len(drawn.edges), 'edge', 'edges')}",
    )


@app.command()
@with_list_filters
def site(
    filters: Filters,
    out: Annotated[
        Path, typer.Argument(help="A new or empty folder for the site.", show_default=False, file_okay=False)
    ],
    title: Annotated[str, typer.Option("--title", help="The site's name, in every page's header.")] = "polcat",
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a folder that is not empty (its files of the same names are replaced)."
        ),
    ] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Write a static website of the catalogue into OUT: searchable index with live filters,
    a page per mechanism, locality and theme, and a locality × theme matrix shaded by
    count. In Chinese and English (a switch on every page, kept in the address as
    ?lang=zh). It works offline from file:// and on any static host. Takes the filters
    of polcat list.

    Examples:
    $ polcat site site-out
    $ polcat site guizhou-site --locality 贵州 --title "Guizhou mechanisms"
    """
    from polcat.progress import bar
    from polcat.site import build_site

    cat, entries = select(catalogue, filters)
    with writing(out), bar("writing the site") as progress:
        built = build_site(cat, entries, out, force=force, title=title, progress=progress)
    if built.skipped:
        typer.echo(
            f"polcat: warning: left out {len(built.skipped)} records whose ids cannot be page names: {', '.join(built.skipped)}",
            err=True,
        )
    typer.echo(
        f"polcat: wrote {_count(len(built.entries), 'entry', 'entries')} ({len(built.written)} files) to {out}; open {out / 'index.html'}",
        err=True,
    )
