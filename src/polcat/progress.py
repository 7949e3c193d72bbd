"""Progress of long work, shown only to a person watching it.

Work that can take more than about a second (parsing thousands of files cold, writing a
large workbook) reports how far it is through an optional callback, :data:`Progress`,
called with (done, total) as it goes; the library never imports rich for it, and a
script passes nothing. The command line passes :func:`bar`'s callback, which draws a
rich progress bar with counts and rate on stderr, and only when :func:`wanted` says a
person is watching: stderr is a terminal and ``$CI`` is not set. Piped, redirected or
under CI nothing is drawn, and the command prints what it always prints.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

# (done, total): how much of the work is done, of how much (the total may grow).
Progress = Callable[[int, int], None]

# Below this many steps the work takes well under a second: no bar, which would only
# flicker (a few hundred files parse in a fraction of a second; see docs/benchmarks.md).
MIN_STEPS = 500


def wanted(stream: TextIO | None = None) -> bool:
    """Whether to draw progress: on a terminal (stderr by default), never under CI
    (``CI`` set to anything but ``false`` or ``0``, as CI services set it)."""
    if os.environ.get("CI", "").lower() not in ("", "false", "0"):
        return False
    stream = stream if stream is not None else sys.stderr
    return hasattr(stream, "isatty") and stream.isatty()


class _Bar:
    """A callback that starts a rich bar once the work is large enough, then moves it."""

    def __init__(self, label: str, stream: TextIO, min_steps: int) -> None:
        self.label, self.stream, self.min_steps = label, stream, min_steps
        self.rich: RichProgress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.rich is None:
            if total < self.min_steps:
                return
            self._start()
        assert self.rich is not None and self.task is not None
        self.rich.update(self.task, completed=done, total=total)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from polcat.escape import terminal

        class Rate(TextColumn):
            def render(self, task):  # type: ignore[no-untyped-def]  # rich's column protocol
                from rich.text import Text

                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")

        # A terminal, as wanted() found: said outright, for streams that only claim it.
        console = Console(file=self.stream, force_terminal=True)
        self.rich = Progress(
            TextColumn(terminal(self.label).replace("[", "\\[")),
            BarColumn(),
            MofNCompleteColumn(),
            Rate(""),
            TimeRemainingColumn(),
            console=console,
            transient=True,  # gone when done: the command's own output follows
        )
        self.task = self.rich.add_task(self.label, total=None)
        self.rich.start()

    def close(self) -> None:
        if self.rich is not None:
            self.rich.stop()


@contextmanager
def bar(label: str, *, stream: TextIO | None = None, min_steps: int = MIN_STEPS) -> Iterator[Progress | None]:
    """A progress callback for the work inside the ``with``: None when no one watches (so
    the library does not even call back), else one that draws a bar on ``stream``
    (stderr) once the total reaches ``min_steps``, removed when the work ends."""
    stream = stream if stream is not None else sys.stderr
    if not wanted(stream):
        yield None
        return
    drawn = _Bar(label, stream, min_steps)
    try:
        yield drawn
    finally:
        drawn.close()


@contextmanager
def status(label: str, *, stream: TextIO | None = None) -> Iterator[None]:
    """A spinner with ``label`` on ``stream`` (stderr) for work of one step that can
    still take seconds (``extract`` on a long report), under the same rule as
    :func:`bar`: drawn only when a person watches, removed when the work ends."""
    stream = stream if stream is not None else sys.stderr
    if not wanted(stream):
        yield
        return
    from rich.console import Console

    from polcat.escape import rich_text

    with Console(file=stream, force_terminal=True).status(rich_text(label)):
        yield
