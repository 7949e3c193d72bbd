"""Commands for people who study the catalogue: `spread` (where a mechanism travelled)
and `cite` (citations of an entry and its sources)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from polcat.cli.app import app
from polcat.cli.options import (
    CatalogueOpt,
    FormatOpt,
    choices,
    complete_ids,
    load_for_query,
    nothing_found,
    table_default,
)
from polcat.cli.query import resolve_one


@app.command()
def spread(
    name: Annotated[
        str,
        typer.Argument(
            help="A name (either script, pinyin, English, alias) or an id.",
            autocompletion=complete_ids,
            show_default=False,
        ),
    ],
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Where a mechanism travelled: every place where the same named mechanism or its
    variants appear, in order of year, with its origin and the link that brought it in.

    Examples:
    $ polcat spread 1+X
    $ polcat spread 林长制 -f csv
    """
    from polcat.entryview import origin_text
    from polcat.output import Column, emit
    from polcat.places import locality_chain
    from polcat.spread import spread as follow

    cat = load_for_query(catalogue)
    steps = follow(cat, name)
    columns = [
        Column("year", lambda s: s.entry.year),
        Column("id", lambda s: s.entry.id, "cyan"),
        Column("name", lambda s: s.entry.name.zh),
        Column("locality", lambda s: locality_chain(cat, s.entry.locality)),
        Column("origin", lambda s: origin_text(cat, s.entry)),
        Column("via", lambda s: s.via),
    ]
    items = [{**s.entry.data, "_spread": {"via": s.via, "depth": s.depth}} for s in steps]
    emit(items, columns, table_default(format), rows=steps)
    if not steps:
        raise nothing_found(f"no entry named '{name}'")


class CiteStyle(str, Enum):
    text = "text"
    bibtex = "bibtex"
    csl_json = "csl-json"


@app.command()
def cite(
    name: Annotated[
        str, typer.Argument(help="An entry's id (or a unique name).", autocompletion=complete_ids, show_default=False)
    ],
    style: Annotated[
        CiteStyle,
        typer.Option(
            "--style", case_sensitive=False, metavar="STYLE", show_default=False, help=f"{choices(CiteStyle, 'text')}."
        ),
    ] = CiteStyle.text,
    catalogue: CatalogueOpt = None,
) -> None:
    """A citation of the entry (the catalogue at its release) and of each source it quotes.

    Examples:
    $ polcat cite chishui-sanding
    $ polcat cite 三定 --style bibtex >> refs.bib
    """
    from polcat.cite import cite as make_citation

    cat = load_for_query(catalogue)
    entry = resolve_one(cat, name)
    typer.echo(make_citation(cat, entry, style.value), nl=False)
