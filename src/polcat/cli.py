"""The polcat command line: parse arguments, call the library, print the result.

Each command is thin on purpose: the work lives in modules that scripts can import
(:mod:`polcat.catalogue`, :mod:`polcat.validate`, ...). Heavy modules are imported
inside the commands that need them, so ``polcat --version`` starts fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from polcat import __version__, locate
from polcat.output import Format, use_color

app = typer.Typer(
    name="polcat",
    help="A curated, validated, queryable catalogue of named Chinese local policy mechanisms.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"polcat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every file afresh; do not read or write the cache (also $POLCAT_NO_CACHE)."),
) -> None:
    """polcat catalogues named policy mechanisms (三定, 1233, 4+ ...) with their sources.

    Commands work on --catalogue DIR or $POLCAT_CATALOGUE if given, else on the nearest
    catalogue from the current directory upward (a folder with localities.yaml, or a
    catalogue/ folder holding one), else on the catalogue shipped with polcat.
    """
    from polcat import cache

    cache.disabled = no_cache  # set on every run: in-process callers (tests, scripts) reuse the module


CatalogueOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--catalogue", "-C", envvar=locate.ENV_CATALOGUE, show_default=False,
        help="Catalogue directory (default: the nearest catalogue/ from here upward, else the one shipped with polcat).",
    ),
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``polcat: message`` on stderr; return the Exit to raise."""
    typer.echo(f"polcat: {message}", err=True)
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


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _targets(paths: list[Path], catalogue: Path | None) -> tuple[Path | None, list[Path], list[Path]]:
    """Split PATH arguments into (catalogue root, files to report on, entries outside it)."""
    root, only, extra = catalogue, [], []
    for path in paths:
        if locate.is_catalogue_root(path):
            found, restrict = path, False
        else:
            found, restrict = locate.find_catalogue_root(path), True
        if found is None:  # entries outside any catalogue are checked against the default one
            files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
            extra.extend(files)
            only.extend(files)
            continue
        if root is not None and found.resolve() != Path(root).resolve():
            raise fail(f"{path} belongs to the catalogue at {found}, not to {root}")
        root = found
        if restrict:
            only.append(path)
    return root, only, extra


@app.command()
def validate(
    paths: Optional[List[Path]] = typer.Argument(
        None, exists=True, show_default=False,
        help="Files or folders to report on (default: the whole catalogue). A catalogue folder validates that catalogue.",
    ),
    catalogue: CatalogueOpt = None,
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULE", help="Switch a rule off (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
) -> None:
    """Check the catalogue: schemas, ids, references, cycles and every quote against its source.

    Exit status: 0 valid, 1 problems found, 2 usage error.
    """
    from polcat import report
    from polcat.validate import UnknownRule, rule_ids
    from polcat.validate import validate as run_validation

    if list_rules:
        for rule, description in rule_ids().items():
            typer.echo(f"{rule:<16} {description}")
        return
    root, only, extra = _targets(paths or [], catalogue)
    root = catalogue_root(root)
    try:
        result = run_validation(root, only=only, extra_files=extra, ignore=ignore or ())
    except UnknownRule as exc:
        raise fail(f"{exc}; see polcat validate --list-rules") from None
    out = sys.stdout
    if format is ValidateFormat.json:
        report.report_json(result, out)
    elif format is ValidateFormat.github:
        report.report_github(result, out)
    else:
        report.report_text(result, out, color=use_color(out))
    failed = not result.ok or (strict and result.warnings)
    raise typer.Exit(1 if failed else 0)


# --- querying ----------------------------------------------------------------------


def _complete_ids(incomplete: str) -> list[str]:
    return [i for i in _completion_catalogue().mechanisms if i.startswith(incomplete)]


def _complete_themes(incomplete: str) -> list[str]:
    return [i for i in _completion_catalogue().themes if i.startswith(incomplete)]


def _complete_localities(incomplete: str) -> list[str]:
    return [i for i in _completion_catalogue().localities if i.startswith(incomplete)]


def _complete_sources(incomplete: str) -> list[str]:
    return [i for i in _completion_catalogue().sources if i.startswith(incomplete)]


def _completion_catalogue():
    from polcat.catalogue import load_catalogue

    return load_catalogue(None)


FormatOpt = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format (default: table).", show_default=False),
]
LocalityOpt = Annotated[
    Optional[List[str]],
    typer.Option(
        "--locality", "-l", autocompletion=_complete_localities,
        help="Place (id, 中文 name with or without 省/市/县, either script, English, pinyin or GB/T 2260 code), including everything below it. Repeatable.",
        show_default=False,
    ),
]
ThemeOpt = Annotated[
    Optional[List[str]],
    typer.Option("--theme", "-t", autocompletion=_complete_themes, help="Theme id; repeat for several (all must match unless --any-theme).", show_default=False),
]
AnyThemeOpt = Annotated[bool, typer.Option("--any-theme", help="Match entries with any of the --theme values.")]
LevelOpt = Annotated[Optional[List[str]], typer.Option("--level", help="Level of government (national … village). Repeatable.", show_default=False)]
KindOpt = Annotated[Optional[List[str]], typer.Option("--kind", "-k", help="numeric-code, model, campaign, institution or slogan. Repeatable.", show_default=False)]
StatusOpt = Annotated[Optional[List[str]], typer.Option("--status", help="draft or reviewed.", show_default=False)]
SourceOpt = Annotated[Optional[List[str]], typer.Option("--source", "-s", autocompletion=_complete_sources, help="Entries citing this source id. Repeatable.", show_default=False)]
YearOpt = Annotated[Optional[int], typer.Option("--year", help="First year equal to this.", show_default=False)]
SinceOpt = Annotated[Optional[int], typer.Option("--since", help="First year on or after this.", show_default=False)]
UntilOpt = Annotated[Optional[int], typer.Option("--until", help="First year on or before this.", show_default=False)]


def build_filters(locality, theme, any_theme, level, kind, status, source, year, since, until):
    from polcat.query import Filters

    return Filters(
        localities=locality or [], themes=theme or [], any_theme=any_theme, levels=level or [],
        kinds=kind or [], statuses=status or [], sources=source or [], year=year, since=since, until=until,
    )


# The options of `polcat list` that choose entries, in build_filters' order.
LIST_FILTERS = {
    "locality": LocalityOpt, "theme": ThemeOpt, "any_theme": AnyThemeOpt, "level": LevelOpt, "kind": KindOpt,
    "status": StatusOpt, "source": SourceOpt, "year": YearOpt, "since": SinceOpt, "until": UntilOpt,
}

def with_list_filters(command):
    """Give a command the filter options of `polcat list`. The command receives them
    as one argument, ``filters`` (a :class:`polcat.query.Filters`)."""
    hints = typing.get_type_hints(command, include_extras=True)  # evaluated: this module defers annotations
    signature = inspect.signature(command)
    own = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values() if p.name != "filters"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=False if name == "any_theme" else None, annotation=option)
        for name, option in LIST_FILTERS.items()
    ]

    @functools.wraps(command)
    def with_filters(**options):
        values = [options.pop(name) for name in LIST_FILTERS]
        return command(filters=build_filters(*values), **options)

    # Typer reads the options from the signature (and the evaluated annotations).
    with_filters.__signature__ = signature.replace(parameters=own + added)
    with_filters.__annotations__ = {p.name: p.annotation for p in own + added}
    return with_filters


def load_for_query(catalogue: Path | None, *, save_cache: bool = True):
    """Load the catalogue for a query, tolerantly: a file that cannot be read or does not
    match its schema is left out with a warning naming it, and the rest works.

    Commands that compute search keys pass ``save_cache=False`` and save once at their end.
    """
    from polcat.catalogue import load_catalogue

    cat = load_catalogue(catalogue_root(catalogue), save_cache=False)
    left_out = cat.problems + cat.leave_out_invalid()
    if save_cache:
        cat.save_cache()
    if left_out:
        from polcat.report import display_path

        files = list(dict.fromkeys(display_path(p.file) for p in left_out))
        shown = files[:5] + ([f"and {len(files) - 5} more"] if len(files) > 5 else [])
        noun = "file is" if len(files) == 1 else "files are"
        typer.echo(
            f"polcat: warning: {len(files)} {noun} unreadable or invalid and left out ({', '.join(shown)}); run polcat validate",
            err=True,
        )
    return cat


def run_query(call):
    """Run a query; a filter that matches nothing known is a usage error."""
    from polcat.query import QueryError

    try:
        return call()
    except QueryError as exc:
        raise fail(str(exc)) from None


def nothing_found(message: str) -> typer.Exit:
    """A valid query that finds nothing: said on stderr, exit 1 (the README's promise)."""
    return fail(message, 1)


def table_default(value: Format | None) -> Format:
    return value or Format.table


def stored(records) -> list[dict]:
    return [r.data for r in records]


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
    name: Annotated[str, typer.Argument(help="An id, or a name in either script, pinyin or an alias.", autocompletion=_complete_ids, show_default=False)],
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
    name: Annotated[str, typer.Argument(help="An id or a unique name.", autocompletion=_complete_ids, show_default=False)],
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
from polcat import cli_curate, cli_share  # noqa: E402,F401


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered cannot fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console entry point: no tracebacks for users, quiet on a closed pipe."""
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, so that a failed write is ours to report
    except BrokenPipeError:
        # `polcat list | head`: the reader left; exit without a traceback.
        _discard_stdout()
        sys.exit(0)
    except OSError as exc:  # `polcat list > /dev/full`: one line, never "internal error"
        _discard_stdout()
        typer.echo(f"polcat: cannot write the output: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - the last resort; tests assert it is never reached
        if os.environ.get("POLCAT_DEBUG"):
            raise
        typer.echo(f"polcat: internal error: {type(exc).__name__}: {exc} (set POLCAT_DEBUG=1 for a traceback)", err=True)
        sys.exit(3)
