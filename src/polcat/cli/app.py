"""The polcat command line's application object and entry point.

Commands live in one module per group (:mod:`polcat.cli.validate`, :mod:`.query`,
:mod:`.registries`, :mod:`.curate`, :mod:`.share`) and register on :data:`app` when
:mod:`polcat.cli` imports them; they share options and helpers from
:mod:`polcat.cli.options`. Nothing here imports a command module, so there is no cycle.
Each command is thin: the work lives in library modules scripts can import.
"""

from __future__ import annotations

import gc
import inspect
import os
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

import typer

app = typer.Typer(
    name="polcat",
    help="""A curated, validated, queryable catalogue of named Chinese local policy mechanisms.

    Examples:
    $ polcat search 三變
    $ polcat list --locality 贵州 --theme evaluation
    $ polcat show 三定
    """,
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
    from polcat.cache import switch_off_for_run

    run = Run(use_cache=not no_cache)
    _RUN.set(run)
    # The root context closes when the command ends, however it ends.
    ctx.call_on_close(switch_off_for_run(no_cache))
    ctx.call_on_close(run.close)


EXAMPLE_PREFIX = "$ polcat "
# What rich would read as a markup tag ([bold], [/], [link=…]): escaped with a backslash,
# as rich.markup.escape does (importing rich for it would slow every command's start).
_MARKUP = re.compile(r"(\[[a-z#/@][^[]*?\])")


def reflow_help(doc: str) -> str:
    """A command's docstring as its --help shows it well at any width: each paragraph on
    one line, for the terminal to wrap between words (rich keeps the docstring's own line
    breaks, which then fall mid-sentence), each example (a line starting ``$ polcat``) on a
    line of its own, and square brackets kept as text, not read as rich markup."""
    paragraphs = []
    for paragraph in inspect.cleandoc(doc).split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            line = line.strip()
            if line.startswith(EXAMPLE_PREFIX):
                lines.append(line)
            elif lines and not lines[-1].startswith(EXAMPLE_PREFIX):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(_MARKUP.sub(r"\\\1", line) for line in lines))
    return "\n\n".join(paragraphs)


def tidy_help() -> None:
    """Reflow the help of polcat and of every registered command (see :func:`reflow_help`)."""
    if isinstance(app.info.help, str):
        app.info.help = reflow_help(app.info.help)
    for info in app.registered_commands:
        doc = info.help or (info.callback.__doc__ if info.callback else None)
        if doc:
            info.help = reflow_help(doc)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered cannot fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def encoding_hint(encoding: str) -> str:
    """One line for a terminal whose encoding cannot show the catalogue's text."""
    return (
        f"polcat: the terminal cannot show Chinese text (encoding {encoding}): "
        "set PYTHONIOENCODING=utf-8 or a UTF-8 locale (e.g. LANG=C.UTF-8)"
    )


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
    except UnicodeEncodeError as exc:
        # PYTHONIOENCODING=ascii, or a locale that is not UTF-8: the catalogue's Chinese
        # cannot be printed at all. Say what to change, in ASCII, which any stream takes.
        _discard_stdout()
        typer.echo(encoding_hint(exc.encoding), err=True)
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
