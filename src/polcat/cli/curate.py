"""Curation commands: `polcat extract`, `polcat new` (the catalogue's upkeep, fmt,
coverage and import, is in :mod:`polcat.cli.maintain`).

The work lives in :mod:`polcat.extract` and :mod:`polcat.scaffold`; these commands
parse arguments, call them and print.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from polcat.catalogue import Catalogue

from polcat import escape, locate
from polcat.cli.app import app
from polcat.cli.options import (
    CatalogueOpt,
    FormatOpt,
    fail,
    load_for_query,
    refuse_installed,
    table_default,
)

# --- extract ------------------------------------------------------------------------------

# Reports this long take extract a second or more: a spinner says it is working.
LONG_REPORT = 100_000


def _read_report(file: str) -> tuple[bytes, str, str]:
    """The report's bytes as read, its text and its encoding; ``-`` reads standard input."""
    from polcat.problems import LoadError
    from polcat.textio import MAX_TEXT_BYTES, decode_any, read_bytes

    try:
        data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1) if file == "-" else read_bytes(Path(file), MAX_TEXT_BYTES)
        if len(data) > MAX_TEXT_BYTES:
            raise LoadError("too-large", f"input is over polcat's limit of {MAX_TEXT_BYTES // 1_048_576} MiB")
        return (data, *decode_any(data))
    except LoadError as exc:
        where = "standard input" if file == "-" else file
        raise fail(f"{where}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")) from None


@app.command()
def extract(
    file: Annotated[
        str,
        typer.Argument(
            help="The report: a text file (UTF-8, GB18030/GBK, Big5 or UTF-16), or - for standard input.",
            show_default=False,
        ),
    ],
    format: FormatOpt = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            "-w",
            help="Write a draft entry for each candidate the catalogue does not have into this folder (never over an existing file).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            "-s",
            help="The catalogue source this report is (for --write; default: the source whose text it matches).",
            show_default=False,
        ),
    ] = None,
    set_aside: Annotated[
        bool,
        typer.Option(
            "--set-aside",
            help="Also list the quoted labels extract set aside, each with why (status: set aside), "
            "so that no quoted label is lost unseen.",
        ),
    ] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """List the named mechanisms a report probably mentions, for a curator to judge.

    Each candidate comes with the sentence it stands in, the parts the text enumerates,
    a locality guess, the catalogued entry it already is (known) and why it was taken.
    With --set-aside, the quoted labels it did not take follow, each with why (a use
    that speaks against it, a form that rules it out, only weak evidence such as a
    coinage, or none): on reports it has never seen, extract takes about seven names in
    ten, seven in ten of its candidates right; with what it set aside, a curator sees
    about eight in ten (docs/extract.md, "Measured quality").
    Exit status: 0 candidates found, 1 none, 2 usage error.

    Examples:
    $ polcat extract report.txt
    $ polcat extract report.txt --set-aside
    $ polcat extract report.txt --write catalogue/mechanisms
    """
    from polcat import extract as ex
    from polcat.output import Column, emit
    from polcat.progress import status

    _, text, encoding = _read_report(file)
    cat = load_for_query(catalogue)
    # About a second a 100,000 characters (docs/extract.md): say so on longer reports.
    with status(f"reading {len(text):,} characters") if len(text) >= LONG_REPORT else nullcontext():
        candidates, aside = ex.extract_with_set_aside(text, cat) if set_aside else (ex.extract(text, cat), [])
    if encoding != "utf-8":
        typer.echo(f"polcat: read {file} as {encoding}", err=True)
    columns = [
        Column("label", lambda c: c.label, "cyan"),
        Column("known", lambda c: c.known or ""),
        Column("locality", lambda c: c.locality or ""),
        Column("place", lambda c: c.locality_name or ""),
        Column("elsewhere", lambda c: ", ".join(c.same_name_elsewhere)),
        Column("components", lambda c: "、".join(c.components)),
        Column("reason", lambda c: c.reason),
    ]
    if set_aside:
        statuses = {id(c): "set aside" for c in aside}
        columns.insert(1, Column("status", lambda c: statuses.get(id(c), "candidate")))
        rows = candidates + aside
        records = [{"status": statuses.get(id(c), "candidate"), **c.to_dict()} for c in rows]
        emit(records, columns, table_default(format), rows=rows)
    else:
        emit([c.to_dict() for c in candidates], columns, table_default(format), rows=candidates)
    if write is not None:
        _write_drafts(cat, candidates, write, source, text, file)
    if not candidates:
        typer.echo("polcat: no candidate names found", err=True)
        raise typer.Exit(1)


def _write_drafts(cat: Catalogue, candidates: list, folder: Path, source: str | None, text: str, file: str) -> None:
    from polcat import extract as ex
    from polcat.scaffold import ScaffoldError, check_known, write_drafts

    if source is not None:
        try:
            check_known(cat, [], [source])
        except ScaffoldError as exc:
            raise fail(str(exc)) from None
    else:
        found = ex.identify_source(cat, text)
        if found is None:
            raise fail(
                "--write needs the report as a catalogue source, to cite it: add it under sources/ "
                "(docs/curation.md, 'Adding an entry'), then run again, or name it with --source ID"
            )
        source = found.id
    refuse_installed(folder)
    if folder.exists() and not folder.is_dir():
        raise fail(f"--write {folder}: is a file, not a folder")
    refuse_installed(cat.root)  # new places would be added to its localities.yaml
    cat = _register_new_places(cat, candidates)
    report = "standard input" if file == "-" else Path(file).name
    written, skipped = write_drafts(cat, [c for c in candidates if not c.known], folder, source, report)
    for path in written:
        typer.echo(f"wrote {path}", err=True)
    for label, why in skipped:
        typer.echo(f"skipped {label}: {why}", err=True)
    typer.echo(f"polcat: {len(written)} draft(s) written to {folder} citing {source}, {len(skipped)} skipped", err=True)


def _register_new_places(cat: Catalogue, candidates: list) -> Catalogue:
    """Drafts need registry places: add the gazetteer places extract found (six-digit
    codes) to localities.yaml, then point the candidates at their new ids."""
    from polcat import gazetteer
    from polcat.catalogue import load_catalogue
    from polcat.extract.annotate import registry_id
    from polcat.newplace import add, plan

    codes = sorted({c.locality for c in candidates if c.locality and c.locality.isdigit() and len(c.locality) == 6})
    added = []
    for code in codes:
        division = gazetteer.load().get(code)
        if division is not None and registry_id(cat, code) == code:
            places = plan(cat, division)
            add(cat, places)
            added += places
            cat = load_catalogue(cat.root, save_cache=False)
    if added:
        _say_places(added, dry_run=False)
        for candidate in candidates:
            candidate.locality = registry_id(cat, candidate.locality) if candidate.locality else None
    return cat


# --- new ----------------------------------------------------------------------------------


def ensure_place(cat: Catalogue, text: str, catalogue: Path | None, *, dry_run: bool) -> Catalogue:
    """A place the registry lacks but the GB/T 2260 gazetteer knows is added to
    localities.yaml (with any missing parents), and the catalogue read again."""
    from polcat.newplace import add

    places = _plan_place(cat, text)
    if not places:
        return cat
    _say_places(places, dry_run=dry_run)
    if dry_run:
        return cat
    add(cat, places)
    return load_for_query(catalogue)


def _plan_place(cat: Catalogue, text: str) -> list:
    """The gazetteer places (with missing parents) that ``text`` would add to the registry,
    put into the loaded catalogue only; nothing when the registry has it or nobody does."""
    from polcat.newplace import PlaceError, find_division, plan, preview
    from polcat.places import match_locality

    if match_locality(cat, text):
        return []
    try:
        places = plan(cat, find_division(text))
    except PlaceError:
        return []  # the usual "no locality matches", with its did-you-mean, follows
    preview(cat, places)
    return places


def _say_places(places: list, *, dry_run: bool) -> None:
    names = ", ".join(f"{p.division.name} ({p.id}, {p.division.code})" for p in places)
    verb = "would add" if dry_run else "added"
    typer.echo(f"polcat: {verb} to localities.yaml from the GB/T 2260 gazetteer: {names} (check the pinyin)", err=True)


def _interactive() -> bool:
    """Whether to prompt: only when a person can answer (standard input is a terminal)."""
    return sys.stdin.isatty()


def _ask_until(prompt: str, check: Callable[[str], object], default: str | None = None) -> str:
    """Prompt until the answer passes ``check`` (which raises ScaffoldError saying what is
    wrong): the reason is printed and the question asked again, so that a mistyped place
    or source costs one answer, not every answer given so far."""
    from polcat.scaffold import ScaffoldError

    while True:
        answer: str = typer.prompt(prompt, default=default, show_default=bool(default)).strip()
        try:
            check(answer)
        except ScaffoldError as exc:
            typer.echo(f"polcat: {exc}", err=True)
            continue
        return answer


@dataclass
class _Answers:
    """What `polcat new` needs before it can build an entry, from flags or prompts."""

    name: str | None
    locality: str | None
    source: str | None
    quote: str | None
    themes: list[str]


def _interview(cat: Catalogue, given: _Answers) -> _Answers:
    """Ask on a terminal for what the flags left out, checking each answer as it is given
    (the place, the source, the quote, the themes) against the catalogue."""
    from polcat.scaffold import ScaffoldError, check_known, check_place, derive_id, find_quote, quote_in_source

    def nonempty(what: str) -> Callable[[str], None]:
        def check(answer: str) -> None:
            if not answer:
                raise ScaffoldError(f"{what} cannot be empty")

        return check

    def name_check(answer: str) -> None:
        nonempty("the name")(answer)
        derive_id(None, answer)  # a name the id can be made from

    def place_check(answer: str) -> None:
        nonempty("the locality")(answer)
        check_place(cat, answer)

    def source_check(answer: str) -> None:
        nonempty("the source")(answer)
        check_known(cat, [], [answer])

    name = given.name or _ask_until("Name (as the source writes it)", name_check)
    locality = given.locality or _ask_until("Locality", place_check)
    source = given.source or _ask_until("Source id", source_check)
    quote = given.quote
    if quote is None and source in cat.sources and find_quote(cat, source, name) is None:

        def quote_check(answer: str) -> None:
            nonempty("the quote")(answer)
            if not quote_in_source(cat, source, answer):
                raise ScaffoldError(
                    f"the quote does not occur in source {source}; copy it character for character (punctuation included)"
                )

        quote = _ask_until(
            f"Quote (source {source} does not contain '{name}'; copy the passage naming it)", quote_check
        )
    themes = given.themes
    if not themes:
        answer = _ask_until(
            "Themes (space-separated, may be empty)", lambda a: check_known(cat, a.split(), []), default=""
        )
        themes = answer.split()
    return _Answers(name, locality, source, quote, themes)


@app.command()
def new(
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="The name as the source writes it (either script).", show_default=False),
    ] = None,
    locality: Annotated[
        str | None,
        typer.Option(
            "--locality", "-l", help="The locality: id, 中文 name, pinyin, English name or code.", show_default=False
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="The source id it is cited from.", show_default=False)
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote",
            "-q",
            help="Verbatim passage of the source (default: the source's first sentence naming it).",
            show_default=False,
        ),
    ] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", "-t", help="Theme id (repeatable).", show_default=False)
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="numeric-code, model, campaign, institution or slogan.", show_default=False),
    ] = None,
    en: Annotated[
        str | None, typer.Option("--en", help="A short English gloss of the name.", show_default=False)
    ] = None,
    status: Annotated[
        str,
        typer.Option("--status", help="draft, or reviewed (needs --kind, --en, --summary-zh, --summary-en, --theme)."),
    ] = "draft",
    summary_zh: Annotated[
        str | None, typer.Option("--summary-zh", help="One or two sentences in Chinese.", show_default=False)
    ] = None,
    summary_en: Annotated[
        str | None, typer.Option("--summary-en", help="The same in English.", show_default=False)
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="The first year the source ties it to.", show_default=False)
    ] = None,
    ident: Annotated[
        str | None,
        typer.Option("--id", help="The id (default: <locality>-<toneless pinyin of the name>).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the entry instead of writing it.")] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Scaffold a new entry from flags (or prompts on a terminal) and write it.

    Derives the id and pinyin, checks that the locality, themes and source exist and that
    the quote occurs in the source, and writes mechanisms/<locality>/<id>.yaml atomically,
    never over an existing file without --force. Prints the path written. On a terminal,
    each answer to a prompt is checked as it is given, and asked again if it is wrong.

    Examples:
    $ polcat new
    $ polcat new --name 三亮 --locality 凤庆 --source fengqing-2017 --dry-run
    """
    from polcat.scaffold import (
        IdTaken,
        NewEntry,
        ScaffoldError,
        build_entry,
        check_id,
        check_id_free,
        entry_path,
        write_entry,
    )

    interactive = _interactive()
    answers = _Answers(name, locality, source, quote, theme or [])
    if not interactive:
        missing = [
            flag for flag, value in (("--name", name), ("--locality", locality), ("--source", source)) if not value
        ]
        if missing:
            raise fail(f"missing {', '.join(missing)} (polcat new prompts for them only on a terminal)")
    cat = load_for_query(catalogue)
    if not dry_run:
        refuse_installed(cat.root)  # before any question: an answer here would be lost
    if interactive:
        answers = _interview(cat, answers)
    name, locality, source, quote, theme = answers.name, answers.locality, answers.source, answers.quote, answers.themes
    assert name and locality and source  # given, or asked until answered
    cat = ensure_place(cat, locality, catalogue, dry_run=dry_run)
    spec = NewEntry(
        name=name,
        locality=locality,
        source=source,
        quote=quote,
        themes=theme or [],
        kind=kind,
        en=en,
        status=status,
        summary_zh=summary_zh,
        summary_en=summary_en,
        year=year,
        ident=ident,
    )
    while True:
        try:
            entry = build_entry(cat, spec)
            path = entry_path(cat, entry)
            check_id_free(cat, entry, path)
            break
        except IdTaken as exc:
            if not interactive:
                raise fail(str(exc)) from None
            typer.echo(f"polcat: {exc}", err=True)
            spec.ident = _ask_until("Id", lambda a: check_id(cat, a))
        except ScaffoldError as exc:
            raise fail(str(exc)) from None
    if dry_run:
        from polcat.fmt import dump_entry

        typer.echo(dump_entry(entry), nl=False)
        return
    refuse_installed(path)
    try:
        write_entry(path, entry, force=force)
    except FileExistsError:
        raise fail(f"{path} exists; polcat new does not overwrite it (use --force)", 1) from None
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror or exc}") from None
    typer.echo(str(path))
    typer.echo(f"polcat: new entry {entry['id']} written to {locate.describe(cat.root)}", err=True)


# --- new-source ---------------------------------------------------------------------------


@app.command("new-source")
def new_source(
    file: Annotated[
        str,
        typer.Argument(
            help="The report: a text file (UTF-8, GB18030/GBK, Big5 or UTF-16), or - for standard input.",
            show_default=False,
        ),
    ],
    title: Annotated[
        str | None,
        typer.Option("--title", help="The headline (default: the report's first line).", show_default=False),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="The page's address.", show_default=False)] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Who published it, as the page says.", show_default=False)
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Its date as the page gives it: YYYY, YYYY-MM or YYYY-MM-DD.", show_default=False),
    ] = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", help="When you read it (default: today).", show_default=False),
    ] = None,
    locality: Annotated[
        str | None,
        typer.Option(
            "--locality",
            "-l",
            help="The place whose practice it reports (default: the place the report names).",
            show_default=False,
        ),
    ] = None,
    ident: Annotated[
        str | None,
        typer.Option("--id", help="The source id (default: <locality>-<year>).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing source of that id.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the metadata instead of writing.")] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Store a report as a catalogue source, so that entries can quote it.

    Writes sources/<id>.txt (the text as UTF-8) and sources/<id>.yaml (title from the
    first line, script, SHA-256 of the bytes as read, and what you give), checked against
    the source schema, never over an existing source without --force. The place is the
    one the report names unless --locality says otherwise; a place the registry lacks is
    added from the GB/T 2260 gazetteer. Prints the two paths written.

    Examples:
    $ polcat new-source report.txt --date 2025-03-18 --publisher 新华网
    $ polcat new-source report.txt --locality 吴堡县 --dry-run
    """
    import datetime

    from polcat.newplace import add as add_places
    from polcat.newsource import NewSource, SourceError, build_source, write_source
    from polcat.places import locality_chain
    from polcat.scaffold import ScaffoldError, resolve_locality

    data, text, encoding = _read_report(file)
    cat = load_for_query(catalogue)
    if not dry_run:
        refuse_installed(cat.root)
    place_text = locality
    if place_text is None:
        from polcat import extract as ex

        place_text = ex.report_place(text)
        if place_text is None:
            typer.echo("polcat: the report names no place; the source has no locality (give --locality)", err=True)
    # A new place goes into the loaded catalogue only, until the source has passed its checks.
    new_places = _plan_place(cat, place_text) if place_text else []
    place = None
    if place_text is not None:
        try:
            place = resolve_locality(cat, place_text).id
        except ScaffoldError as exc:
            raise fail(str(exc)) from None
        if locality is None:
            typer.echo(
                f"polcat: place from the report: {locality_chain(cat, place)} ({place}); --locality to change it",
                err=True,
            )
    spec = NewSource(
        text=text,
        original=data,
        original_file=None if file == "-" else Path(file).name,
        ident=ident,
        title=title,
        url=url,
        publisher=publisher,
        date=date,
        retrieved=retrieved or datetime.date.today().isoformat(),
        locality=place,
        notes=None if encoding == "utf-8" else f"Read as {encoding}; stored as UTF-8.",
    )
    try:
        source = build_source(cat, spec)
    except SourceError as exc:
        raise fail(str(exc)) from None
    if new_places:
        _say_places(new_places, dry_run=dry_run)
    if dry_run:
        from polcat.fmt import dump_entry

        typer.echo(dump_entry(source, "source"), nl=False)
        return
    try:
        add_places(cat, new_places)
        paths = write_source(cat, source, text, force=force)
    except FileExistsError as exc:
        raise fail(f"{exc} exists; polcat new-source does not overwrite it (use --force)", 1) from None
    except OSError as exc:
        raise fail(f"cannot write the source: {exc.strerror or exc}") from None
    for path in paths:
        typer.echo(escape.terminal(path))
    typer.echo(
        f"polcat: new source {source['id']} written to {locate.describe(cat.root)}; "
        f"next: polcat extract {escape.terminal(paths[1])}",
        err=True,
    )
