"""`polcat validate`: check a catalogue and report every problem."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from polcat import locate
from polcat.cli.app import app, current_run
from polcat.cli.options import CatalogueOpt, catalogue_root, choices, fail
from polcat.output import use_color


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


FORMAT_HELP = f"{choices(ValidateFormat, 'text')}: lines to read, a JSON list, or GitHub Actions annotations."


def _targets(paths: list[Path], catalogue: Path | None) -> tuple[Path | None, list[Path], list[Path]]:
    """Split PATH arguments into (catalogue root, files to report on, entries outside it)."""
    root, only, extra = catalogue, list[Path](), list[Path]()
    for path in paths:
        found: Path | None
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
    paths: list[Path] | None = typer.Argument(
        None,
        exists=True,
        show_default=False,
        help="Files or folders to report on (default: the whole catalogue). A catalogue folder validates that catalogue.",
    ),
    catalogue: CatalogueOpt = None,
    format: ValidateFormat = typer.Option(
        ValidateFormat.text,
        "--format",
        "-f",
        metavar="FORMAT",
        show_default=False,
        help=FORMAT_HELP,
    ),
    ignore: list[str] | None = typer.Option(None, "--ignore", metavar="RULE", help="Switch a rule off (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        show_default=False,
        help="Worker processes that parse and check the files not in the cache (default: one per core; 1: none).",
    ),
) -> None:
    """Check the catalogue: schemas, ids, references, cycles and every quote against its source.

    Exit status: 0 valid, 1 problems found, 2 usage error.

    Examples:
    $ polcat validate
    $ polcat validate catalogue/mechanisms/chishui -f github
    """
    from polcat import report
    from polcat.parallel import default_jobs
    from polcat.validate import UnknownRule, rule_ids
    from polcat.validate import validate as run_validation

    if list_rules:
        for rule, description in rule_ids().items():
            typer.echo(f"{rule:<16} {description}")
        return
    root, only, extra = _targets(paths or [], catalogue)
    root = catalogue_root(root)
    from polcat.progress import bar

    try:
        with bar("parsing") as progress:
            result = run_validation(
                root,
                only=only,
                extra_files=extra,
                ignore=ignore or (),
                use_cache=run.use_cache if (run := current_run()) else True,
                jobs=jobs or default_jobs(),
                progress=progress,
            )
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
