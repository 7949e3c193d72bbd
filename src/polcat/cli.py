"""The polcat command line: parse arguments, call the library, print the result.

Each command is thin on purpose: the work lives in modules that scripts can import
(:mod:`polcat.catalogue`, :mod:`polcat.validate`, ...). Heavy modules are imported
inside the commands that need them, so ``polcat --version`` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from polcat import __version__, locate

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
) -> None:
    """polcat catalogues named policy mechanisms (三定, 1233, 4+ ...) with their sources.

    The catalogue shipped with polcat is used unless --catalogue or $POLCAT_CATALOGUE
    names another directory with the same layout.
    """


CatalogueOption = typer.Option(
    None,
    "--catalogue",
    "-C",
    envvar=locate.ENV_CATALOGUE,
    help="Catalogue directory (default: the catalogue shipped with polcat).",
    show_default=False,
)


def use_color(stream=None) -> bool:
    """Colour only on a terminal, never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``polcat: message`` on stderr; return the Exit to raise."""
    typer.echo(f"polcat: {message}", err=True)
    return typer.Exit(code)


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
    catalogue: Optional[Path] = CatalogueOption,
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULE", help="Switch a rule off (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
) -> None:
    """Check the catalogue: schemas, ids, references, cycles and every quote against its source.

    Exit status: 0 valid, 1 problems found, 2 usage error.
    """
    from polcat import report
    from polcat.validate import rule_ids
    from polcat.validate import validate as run_validation

    if list_rules:
        for rule, description in rule_ids().items():
            typer.echo(f"{rule:<16} {description}")
        return
    root, only, extra = _targets(paths or [], catalogue)
    if root is not None and not locate.is_catalogue_root(Path(root)):
        raise fail(f"{root} is not a catalogue (it needs {' and '.join(locate.MARKERS)})")
    try:
        result = run_validation(root, only=only, extra_files=extra, ignore=ignore or ())
    except ValueError as exc:  # an unknown rule id
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


def main() -> None:
    """Console entry point: no tracebacks for users, quiet on a closed pipe."""
    try:
        app()
    except BrokenPipeError:
        # `polcat list | head`: the reader left; exit without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - the last resort; tests assert it is never reached
        if os.environ.get("POLCAT_DEBUG"):
            raise
        typer.echo(f"polcat: internal error: {type(exc).__name__}: {exc} (set POLCAT_DEBUG=1 for a traceback)", err=True)
        sys.exit(3)
