"""What the commands share: options, filters, loading the catalogue, failing politely."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from polcat import escape, locate
from polcat.output import Format

if typing.TYPE_CHECKING:
    from polcat.catalogue import Catalogue
    from polcat.filters import Filters
    from polcat.index import Chooser

T = TypeVar("T")

CatalogueOpt = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        "-C",
        envvar=locate.ENV_CATALOGUE,
        show_default=False,
        help="Catalogue directory (default: the nearest catalogue/ from here upward, else the one shipped with polcat).",
    ),
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``polcat: message`` on stderr, one line and escaped (messages quote names and
    paths from the catalogue or the user's files); return the Exit to raise."""
    typer.echo(f"polcat: {escape.terminal(message)}", err=True)
    return typer.Exit(code)


def catalogue_root(catalogue: Path | None) -> Path:
    """The catalogue a command works on (see :func:`polcat.locate.default_catalogue`)."""
    root = Path(locate.default_catalogue(catalogue))
    if not locate.is_catalogue_root(root):
        raise fail(f"{root} is not a catalogue (it has no {locate.MARKER})")
    return root


def refuse_installed(path: Path) -> None:
    """polcat never writes inside its installed package: edits there would be lost."""
    if locate.is_installed_data(path):
        raise fail(
            f"{path} is inside the catalogue shipped with polcat, which is not for editing; "
            "work in a checkout of a catalogue (cd into it, or pass --catalogue DIR)"
        )


def complete_ids(incomplete: str) -> list[str]:
    return [i for i in completion_catalogue().mechanisms if i.startswith(incomplete)]


def complete_themes(incomplete: str) -> list[str]:
    return [i for i in completion_catalogue().themes if i.startswith(incomplete)]


def complete_localities(incomplete: str) -> list[str]:
    return [i for i in completion_catalogue().localities if i.startswith(incomplete)]


def complete_sources(incomplete: str) -> list[str]:
    return [i for i in completion_catalogue().sources if i.startswith(incomplete)]


def completion_catalogue() -> Catalogue:
    from polcat.catalogue import load_catalogue

    return load_catalogue(None)


def choices(values: Iterable[Enum] | Iterable[str], default: str | None = None) -> str:
    """The values an option accepts, as its help lists them: ``table (default), json or
    csv``. Help built from the option's own enumeration lists exactly what it accepts,
    the values click's error message for a wrong one lists too."""
    names = [v.value if isinstance(v, Enum) else v for v in values]
    shown = [f"{n} (default)" if n == default else n for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help=f"Output format: {choices(Format, 'table')}.", show_default=False
    ),
]
NoCsvGuardOpt = Annotated[
    bool,
    typer.Option(
        "--no-csv-guard",
        help="With CSV: keep text cells exactly as stored. By default a cell starting with =, +, -, @, tab or CR gets a leading ' so that a spreadsheet shows it instead of running it as a formula; turn that off only for programs reading the CSV.",
    ),
]
LocalityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--locality",
        "-l",
        autocompletion=complete_localities,
        help="Place, with everything below it: id, GB/T 2260 code, or name in English, pinyin or Chinese (either script, suffix optional: 赤水 for 赤水市). Repeatable.",
        show_default=False,
    ),
]
ThemeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--theme",
        "-t",
        autocompletion=complete_themes,
        help="Theme: id, or its Chinese or English name; repeat for several (all must match unless --any-theme).",
        show_default=False,
    ),
]
AnyThemeOpt = Annotated[bool, typer.Option("--any-theme", help="Match entries with any of the --theme values.")]
LevelOpt = Annotated[
    list[str] | None,
    typer.Option("--level", help="Level of government (national … village). Repeatable.", show_default=False),
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind", "-k", help="numeric-code, model, campaign, institution or slogan. Repeatable.", show_default=False
    ),
]
StatusOpt = Annotated[list[str] | None, typer.Option("--status", help="draft or reviewed.", show_default=False)]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        autocompletion=complete_sources,
        help="Entries citing this source id. Repeatable.",
        show_default=False,
    ),
]
YearOpt = Annotated[int | None, typer.Option("--year", help="First year equal to this.", show_default=False)]
SinceOpt = Annotated[int | None, typer.Option("--since", help="First year on or after this.", show_default=False)]
UntilOpt = Annotated[int | None, typer.Option("--until", help="First year on or before this.", show_default=False)]


OriginOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--origin",
        autocompletion=complete_localities,
        show_default=False,
        help="Entries devised or issued in this place or below it (their origin, stated or inferred), in any spelling. Repeatable.",
    ),
]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Policy field (poverty-alleviation, environment …; see polcat themes). Repeatable.",
        show_default=False,
    ),
]


def build_filters(
    locality: list[str] | None = None,
    theme: list[str] | None = None,
    any_theme: bool = False,
    level: list[str] | None = None,
    kind: list[str] | None = None,
    status: list[str] | None = None,
    source: list[str] | None = None,
    year: int | None = None,
    since: int | None = None,
    until: int | None = None,
    origin: list[str] | None = None,
    field: list[str] | None = None,
) -> Filters:
    from polcat.filters import Filters

    return Filters(
        localities=locality or [],
        themes=theme or [],
        any_theme=any_theme,
        levels=level or [],
        kinds=kind or [],
        statuses=status or [],
        sources=source or [],
        origins=origin or [],
        fields=field or [],
        year=year,
        since=since,
        until=until,
    )


# The options of `polcat list` that choose entries (build_filters' keywords).
LIST_FILTERS = {
    "locality": LocalityOpt,
    "origin": OriginOpt,
    "theme": ThemeOpt,
    "any_theme": AnyThemeOpt,
    "field": FieldOpt,
    "level": LevelOpt,
    "kind": KindOpt,
    "status": StatusOpt,
    "source": SourceOpt,
    "year": YearOpt,
    "since": SinceOpt,
    "until": UntilOpt,
}


def with_list_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the filter options of `polcat list`. The command receives them
    as one argument, ``filters`` (a :class:`polcat.query.Filters`)."""
    # Evaluated: the commands' modules defer annotations. ``filters: Filters`` names a class
    # imported only for type checking (importing it costs start-up); it is replaced below.
    hints = typing.get_type_hints(command, localns={"Filters": object}, include_extras=True)
    signature = inspect.signature(command)
    own = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
        if p.name != "filters"
    ]
    added = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=False if name == "any_theme" else None, annotation=option
        )
        for name, option in LIST_FILTERS.items()
    ]

    @functools.wraps(command)
    def with_filters(**options: Any) -> None:
        values = {name: options.pop(name) for name in LIST_FILTERS}
        return command(filters=build_filters(**values), **options)

    # Typer reads the options from the signature (and the evaluated annotations).
    with_filters.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
    with_filters.__annotations__ = {p.name: p.annotation for p in own + added}
    return with_filters


def load_for_query(catalogue: Path | None, choose: Chooser | None = None, *, warn: bool = True) -> Catalogue:
    """Load the catalogue for a query, tolerantly: a file that cannot be read or does not
    match its schema is left out with a warning naming it, and the rest works.

    ``choose``: the entries the query needs (:mod:`polcat.index`), read from the index
    when the cache is on; otherwise, or when the index cannot answer, every entry."""
    from polcat.cli.app import current_run

    run = current_run()
    use_cache = run.use_cache if run else True
    from polcat.progress import bar

    root = catalogue_root(catalogue)
    cat = None
    # A first query on a large catalogue reads every file (into the index or the cache).
    with bar("reading the catalogue") as progress:
        if choose is not None and use_cache:
            from polcat.index import query_catalogue

            cat = query_catalogue(root, choose, progress)
        if cat is None:
            from polcat.catalogue import load_catalogue

            cat = load_catalogue(root, use_cache=use_cache, save_cache=False, progress=progress)
    return tolerated(cat, run, warn=warn)


def load_encoded_listing(catalogue: Path | None) -> tuple[Catalogue, Iterator[str]] | None:
    """Every entry as JSON in id order, streamed from the index, with the catalogue of
    everything else (and the same warnings as :func:`load_for_query`); None when the
    cache is off or the index cannot answer."""
    from polcat.cli.app import current_run
    from polcat.index import encoded_listing
    from polcat.progress import bar

    run = current_run()
    if run is not None and not run.use_cache:
        return None
    with bar("reading the catalogue") as progress:
        found = encoded_listing(catalogue_root(catalogue), progress)
    if found is None:
        return None
    cat, encoded = found
    return tolerated(cat, run), encoded


def tolerated(cat: Catalogue, run: Any, *, warn: bool = True) -> Catalogue:
    """The catalogue without what does not match its schema, with one warning naming
    the files left out."""
    left_out = cat.problems + cat.leave_out_invalid()
    # What this command learns (schema verdicts, search keys) is saved once, when the
    # command ends, however it ends.
    if run is not None:
        run.on_close.append(cat.save_cache)
    else:
        cat.save_cache()
    if left_out and warn:
        from polcat.report import display_path

        files = list(dict.fromkeys(display_path(p.file) for p in left_out))
        shown = files[:5] + ([f"and {len(files) - 5} more"] if len(files) > 5 else [])
        noun = "file is" if len(files) == 1 else "files are"
        typer.echo(
            f"polcat: warning: {len(files)} {noun} unreadable or invalid and left out ({', '.join(shown)}); run polcat validate",
            err=True,
        )
    return cat


def run_query(call: Callable[[], T]) -> T:
    """Run a query; a filter that matches nothing known is a usage error."""
    from polcat.places import QueryError

    try:
        return call()
    except QueryError as exc:
        raise fail(str(exc)) from None


def nothing_found(message: str) -> typer.Exit:
    """A valid query that finds nothing: said on stderr, exit 1 (the README's promise)."""
    return fail(message, 1)


def table_default(value: Format | None) -> Format:
    return value or Format.table
