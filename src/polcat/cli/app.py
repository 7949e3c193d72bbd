"""The polcat command line's application object and entry point.

Commands live in one module per group (:mod:`polcat.cli.validate`, :mod:`.query`,
:mod:`.registries`, :mod:`.curate`, :mod:`.share`) and register on :data:`app` when
:mod:`polcat.cli` imports them; they share options and helpers from
:mod:`polcat.cli.options`. Nothing here imports a command module, so there is no cycle.
Each command is thin: the work lives in library modules scripts can import.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

import typer

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
        from polcat.locate import version_line

        typer.echo(version_line())
        raise typer.Exit()


@dataclass
class Run:
    """One invocation's settings and what must happen when it ends (set by the root
    callback, so in-process callers such as tests get a fresh one each time)."""

    use_cache: bool = True
    on_close: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for action in self.on_close:
            action()
        self.on_close.clear()


_RUN: ContextVar[Run | None] = ContextVar("polcat_run", default=None)


def current_run() -> Run | None:
    """The invocation under way, or None outside a command (scripts, completion)."""
    return _RUN.get()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Parse every file afresh; do not read or write the cache (also $POLCAT_NO_CACHE)."
    ),
) -> None:
    """polcat catalogues named policy mechanisms (三定, 1233, 4+ ...) with their sources.

    Commands work on --catalogue DIR or $POLCAT_CATALOGUE if given, else on the nearest
    catalogue from the current directory upward (a folder with localities.yaml, or a
    catalogue/ folder holding one), else on the catalogue shipped with polcat.
    """
    run = Run(use_cache=not no_cache)
    _RUN.set(run)
    ctx.call_on_close(run.close)  # the root context closes when the command ends, however it ends


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered cannot fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console entry point: no tracebacks for users, quiet on a closed pipe."""
    # A process-level choice: one command loads hundreds of thousands of small dicts and
    # lists, none of them cyclic, and exits; the cyclic collector would walk them again
    # and again for nothing.
    gc.disable()
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
        typer.echo(
            f"polcat: internal error: {type(exc).__name__}: {exc} (set POLCAT_DEBUG=1 for a traceback)", err=True
        )
        sys.exit(3)
