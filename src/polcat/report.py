"""Turn a validation result into text, JSON or GitHub Actions annotations.

A problem's message quotes what it found (a file name, an id, a value), so it may hold
anything a hostile catalogue carries. Text and GitHub reports print each problem on one
line with control and bidirectional characters shown as visible escapes, and never as
rich markup; JSON keeps every string as it is (JSON escapes it).
"""

from __future__ import annotations

import json
import os
from typing import TextIO

from polcat.escape import json_text, terminal
from polcat.validate import Result


def relative_path(file: str) -> str:
    """Paths below the working directory are relative to it; others in full."""
    try:
        rel = os.path.relpath(file)
    except ValueError:  # another drive on Windows
        return file
    return file if rel.startswith("..") else rel


def display_path(file: str) -> str:
    """A path to print on one line: relative when below the working directory, control
    characters in it (a file name may hold anything) shown as visible escapes."""
    return terminal(relative_path(file))


def report_json(result: Result, out: TextIO) -> None:
    items = []
    for p in result.problems:
        item = p.to_dict()
        item["file"] = relative_path(p.file)
        items.append(item)
    out.write(json_text(json.dumps(items, ensure_ascii=False, indent=2)) + "\n")


def _escape_github(value: str, *, prop: bool = False) -> str:
    # One line, no raw controls (the Actions log reads ANSI sequences), then the workflow
    # command's own escapes, so that no text can start a command of its own.
    value = terminal(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def report_github(result: Result, out: TextIO) -> None:
    for p in result.problems:
        props = [f"file={_escape_github(display_path(p.file), prop=True)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.column is not None:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_github('polcat ' + p.rule, prop=True)}")
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        out.write(f"::{p.severity.value} {','.join(props)}::{_escape_github(message)}\n")
    out.write(terminal(summary(result)) + "\n")


def summary(result: Result) -> str:
    """One line naming the catalogue checked: a curator must see which one it was."""
    from polcat.locate import describe

    errors, warnings = len(result.errors), len(result.warnings)
    files = len({p.file for p in result.problems})
    timing = f"{result.files_checked} files checked in {result.seconds:.2f} s"
    catalogue = describe(result.root)
    if not errors and not warnings:
        return f"✓ {catalogue} is valid ({timing})"
    counts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    counts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    mark = "✗" if errors else "!"
    return f"{mark} {', '.join(counts)} in {files} file{'s' * (files != 1)} of {catalogue} ({timing})"


def report_text(result: Result, out: TextIO, *, color: bool) -> None:
    if color:
        _report_rich(result, out)
        return
    for file, problems in result.by_file().items():
        out.write(display_path(file) + "\n")
        for p in problems:
            where = f"{p.line or '-'}:{p.column or '-'}"
            out.write(f"  {where:<8} {p.severity.value:<7} {terminal(p.rule):<16} {terminal(p.message)}\n")
            if p.hint:
                out.write(f"  {'':<8} {'':<7} {'':<16} hint: {terminal(p.hint)}\n")
        out.write("\n")
    out.write(terminal(summary(result)) + "\n")


def _report_rich(result: Result, out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    # Text objects, never markup strings: a message is literal whatever it holds.
    console = Console(file=out, highlight=False)
    for file, problems in result.by_file().items():
        console.print(Text(display_path(file), style="bold underline"))
        for p in problems:
            style = "red" if p.is_error else "yellow"
            where = f"{p.line or '-'}:{p.column or '-'}"
            console.print(
                Text.assemble(
                    "  ",
                    (f"{where:<8}", "dim"),
                    " ",
                    (f"{p.severity.value:<7}", style),
                    " ",
                    (f"{terminal(p.rule):<16}", "cyan"),
                    " ",
                    terminal(p.message),
                )
            )
            if p.hint:
                console.print(Text.assemble(f"  {'':<33} ", (f"hint: {terminal(p.hint)}", "dim")))
        console.print()
    style = "green" if result.ok and not result.warnings else ("red" if not result.ok else "yellow")
    console.print(Text(terminal(summary(result)), style=f"bold {style}"))
