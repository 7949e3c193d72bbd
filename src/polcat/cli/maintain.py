"""Upkeep commands: `polcat fmt`, `polcat coverage`, `polcat import`.

The work lives in :mod:`polcat.fmt`, :mod:`polcat.coverage` and
:mod:`polcat.spreadsheet`; these commands parse arguments, call them and print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from polcat import escape, locate
from polcat.cli.app import app
from polcat.cli.options import (
    CatalogueOpt,
    FormatOpt,
    catalogue_root,
    fail,
    load_for_query,
    refuse_installed,
    table_default,
)
from polcat.output import Format

if TYPE_CHECKING:
    pass


# --- fmt ----------------------------------------------------------------------------------


@app.command("fmt")
def fmt_command(
    paths: list[Path] | None = typer.Argument(
        None, exists=True, show_default=False, help="Entry files or folders (default: every entry of the catalogue)."
    ),
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list the files that would change and exit 1 if any (for CI)."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Also rewrite files with comments (formatting drops comments).")
    ] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Rewrite entries in one canonical key order and style, keeping every value.

    Key order follows the schema; indentation, quoting and folding are fixed. The data is
    compared before and after and nothing is written if it would differ; writes are
    atomic. Exit status: 0 all formatted, 1 files changed under --check, or not formatted.

    Examples:
    $ polcat fmt
    $ polcat fmt --check catalogue/mechanisms/chishui
    """
    from polcat import fmt

    root = None
    if not paths:
        root = catalogue_root(catalogue)
        paths = [root / "mechanisms"]
    files = fmt.entry_files(paths)
    if not check:
        for path in [root] if root else files:
            refuse_installed(path)
    results = [fmt.format_file(path, write=not check, force=force) for path in files]
    changed = [r for r in results if r.status == "changed"]
    for result in changed:
        typer.echo(escape.terminal(result.path))
    for result in results:
        if result.status in ("skipped", "error"):
            typer.echo(escape.terminal(f"{result.location()}: {result.message}"), err=True)
    problems = [r for r in results if r.status in ("skipped", "error")]
    verb = "would be reformatted" if check else "reformatted"
    where = f" in {locate.describe(root)}" if root else ""
    typer.echo(
        f"polcat: {len(changed)} of {len(results)} file(s){where} {verb}"
        + (f", {len(problems)} left alone" if problems else ""),
        err=True,
    )
    raise typer.Exit(1 if problems or (check and changed) else 0)


# --- coverage -------------------------------------------------------------------------------


@app.command()
def coverage(
    sources: list[str] | None = typer.Argument(None, show_default=False, help="Source ids (default: every source)."),
    all_labels: Annotated[
        bool, typer.Option("--all", help="List every candidate, not only the unaccounted ones.")
    ] = False,
    format: FormatOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Is every source fully accounted for? Each name `extract` finds in a source's text
    must be an entry (name or alias) or recorded in the source's `excluded` list.

    Lists the unaccounted candidates (--all: every candidate, with its entry or the
    exclusion's reason) and a count per source on stderr. Exit status: 0 all accounted
    for, 1 something unaccounted, 2 usage error.

    Examples:
    $ polcat coverage
    $ polcat coverage jian-2021 --all
    """
    from polcat.coverage import UNACCOUNTED
    from polcat.coverage import coverage as account_for
    from polcat.output import Column, emit
    from polcat.places import did_you_mean

    cat = load_for_query(catalogue)
    chosen = cat.all_sources() if not sources else []
    for ident in sources or []:
        source = cat.source(ident)
        if source is None:
            raise fail(f"unknown source '{ident}'" + did_you_mean(ident, cat.sources))
        chosen.append(source)
    results = [account_for(cat, source) for source in chosen]
    accounts = [a for r in results for a in r.accounts if all_labels or a.status == UNACCOUNTED]
    columns = [
        Column("source", lambda a: a.source, "cyan"),
        Column("label", lambda a: a.label),
        Column("status", lambda a: a.status),
        Column("detail", lambda a: a.detail),
    ]
    if accounts or table_default(format) is not Format.table:
        emit([a.__dict__ for a in accounts], columns, table_default(format), rows=accounts)
    unaccounted = 0
    for result in results:
        if result.error:
            typer.echo(escape.terminal(f"polcat: {result.source.id}: {result.error}"), err=True)
        counts = {s: result.count(s) for s in ("entry", "excluded", "unaccounted")}
        unaccounted += counts["unaccounted"] + (1 if result.error else 0)
        if all_labels or counts["unaccounted"]:
            typer.echo(
                f"{result.source.id}: {len(result.accounts)} candidates, {counts['entry']} entries, "
                f"{counts['excluded']} excluded, {counts['unaccounted']} unaccounted",
                err=True,
            )
    noun = "source" if len(results) == 1 else "sources"
    typer.echo(f"polcat: {len(results)} {noun}, {unaccounted} unaccounted candidate(s)", err=True)
    raise typer.Exit(1 if unaccounted else 0)


# --- import ---------------------------------------------------------------------------------


@app.command("import")
def import_sheet(
    sheet: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx (first sheet) or .csv file with a header row.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=HEADER",
            help="Which column holds a field (name, locality, source, quote, themes, kind, en, year, id); repeatable. Default: by header name (name/名称, locality/地区, source/来源, quote/原文 …).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and write nothing.")] = False,
    catalogue: CatalogueOpt = None,
) -> None:
    """Turn a spreadsheet of mechanisms into draft entries, one per row.

    Each row is checked as `polcat new` checks its flags (the place, the source, the quote
    in the source's text, the themes) and written as mechanisms/<locality>/<id>.yaml with
    status draft; a row that fails gets one line naming its row number and why, and
    nothing is ever overwritten. Exit status: 0 every row written, 1 some rows failed, 2
    usage error.

    Examples:
    $ polcat import sheet.xlsx --dry-run
    $ polcat import sheet.csv --map name=机制名称 --map quote=原文
    """
    from polcat.scaffold import NewEntry, ScaffoldError, build_entry, check_id_free, entry_path, write_entry
    from polcat.spreadsheet import mapping_for, read_sheet

    overrides = {}
    for item in mapping or []:
        key, sep, header = item.partition("=")
        if not sep or not header:
            raise fail(f"--map takes FIELD=HEADER, not '{item}'")
        overrides[key.strip()] = header.strip()
    cat = load_for_query(catalogue)
    if not dry_run:
        refuse_installed(cat.root)
    headers, rows = read_sheet(sheet)
    columns = mapping_for(headers, overrides)
    missing = [f for f in ("name", "locality", "source") if f not in columns or columns[f] not in headers]
    if missing:
        raise fail(
            f"{sheet}: no column for {', '.join(missing)} (headers: {', '.join(headers)}); use --map FIELD=HEADER"
        )
    written, failed = 0, 0
    for row in rows:
        value = {f: row.values.get(h, "") for f, h in columns.items()}
        try:
            year = int(value["year"]) if value.get("year") else None
        except ValueError:
            year = None
            typer.echo(
                escape.terminal(f"{sheet}:{row.number}: year '{value['year']}' is not a number; left out"), err=True
            )
        spec = NewEntry(
            name=value["name"],
            locality=value["locality"],
            source=value["source"],
            quote=value.get("quote") or None,
            themes=[t for t in value.get("themes", "").replace(",", ";").replace("、", ";").split(";") if t.strip()],
            kind=value.get("kind") or None,
            en=value.get("en") or None,
            year=year,
            ident=value.get("id") or None,
        )
        spec.themes = [t.strip() for t in spec.themes]
        try:
            entry = build_entry(cat, spec)
            path = entry_path(cat, entry)
            check_id_free(cat, entry, path)
            if not dry_run:
                write_entry(path, entry)
        except (ScaffoldError, FileExistsError) as exc:
            failed += 1
            typer.echo(escape.terminal(f"{sheet}:{row.number}: {exc}"), err=True)
            continue
        written += 1
        typer.echo(escape.terminal(path))
    verb = "would be written" if dry_run else "written"
    typer.echo(f"polcat: {written} draft(s) {verb} to {locate.describe(cat.root)}, {failed} row(s) failed", err=True)
    raise typer.Exit(1 if failed else 0)
