"""One way to print any listing: table, json, jsonl, csv, yaml or md.

A listing is a list of *items* (what JSON, JSONL and YAML print: for entries, the entry
as stored) and *columns* (header and a function giving a cell's text) for the tabular
formats. Colour and box drawing only appear on a terminal, never with NO_COLOR.

Catalogue text is data, never markup (:mod:`polcat.escape`): tables show control and
bidirectional characters as visible escapes and never read rich markup; CSV cells that
a spreadsheet would run as formulas are neutralised (``csv_guard``); Markdown cells are
escaped. JSON, JSONL and YAML keep the text exactly.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import islice
from typing import Any, TextIO

from polcat import escape


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    md = "md"


@dataclass
class Column:
    header: str
    cell: Callable[[Any], Any]
    style: str | None = None  # rich style on a terminal
    shade: Callable[[Any], str] | None = None  # a cell's own rich style on a colour terminal (a heatmap)


def key_cell(key: str) -> Callable[[dict], Any]:
    """A column's cell reader for rows that are mappings: ``row.get(key)``."""
    return lambda row: row.get(key)


def is_terminal(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream)


def text(value: Any) -> str:
    """A cell's text: lists joined with '; ', None empty (unescaped)."""
    return escape.cell_text(value)


def emit(
    items: list | dict,  # a mapping only for json and yaml (one object of counts)
    columns: list[Column],
    fmt: Format,
    out: TextIO | None = None,
    *,
    rows: list | None = None,
    csv_guard: bool = True,
) -> None:
    """Print ``items`` in ``fmt``. ``rows`` (default: ``items``) feed the tabular formats.

    ``csv_guard`` (the default) neutralises CSV cells a spreadsheet would run as formulas;
    off, every cell is the text as stored (for programs reading the CSV)."""
    out = out or sys.stdout
    if rows is None:
        rows = items if isinstance(items, list) else [items]
    if fmt in (Format.json, Format.jsonl) and isinstance(items, list):
        write_encoded((json.dumps(item, ensure_ascii=False) for item in items), fmt, out)
    elif fmt is Format.json:
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt is Format.yaml:
        dump_yaml(items, out)
    elif fmt is Format.csv:
        write_csv(out, [c.header for c in columns], ([c.cell(row) for c in columns] for row in rows), guard=csv_guard)
    elif fmt is Format.md:
        out.write("| " + " | ".join(escape.md_inline(c.header, table=True) for c in columns) + " |\n")
        out.write("|" + "---|" * len(columns) + "\n")
        for row in rows:
            cells = [escape.md_inline(c.cell(row), table=True) for c in columns]
            out.write("| " + " | ".join(cells) + " |\n")
    elif use_color(out) or (is_terminal(out) and not os.environ.get("NO_COLOR")):
        _rich_table(rows, columns, out)
    else:
        plain_table(rows, columns, out)


def write_encoded(encoded: Iterable[str], fmt: Format, out: TextIO) -> int:
    """Items already encoded as JSON (one line each), as a JSON array with one item a
    line, or as JSON lines; how many there were. Written in chunks as they come, so a
    listing streamed from the index is never held whole.

    One item a line, each from the C encoder: ``indent`` would select the pure-Python
    encoder, which takes seconds for a 10,000-entry listing."""
    count = 0
    lead, between, end, empty = ("[\n  ", ",\n  ", "\n]\n", "[]\n") if fmt is Format.json else ("", "\n", "\n", "")
    items = iter(encoded)
    while chunk := list(islice(items, 1000)):
        out.write((between if count else lead) + between.join(chunk))
        count += len(chunk)
    out.write(end if count else empty)
    return count


def write_csv(out: TextIO, header: list[str], rows: Iterable[list], *, guard: bool = True) -> None:
    """CSV with a header row; each cell through :func:`polcat.escape.csv_cell`.

    Python's csv writer quotes a field holding ',', '"' or '\\n' but not a lone '\\r',
    which spreadsheets read as a line end: a cell could add rows of its own. Fields are
    quoted here as csv would, and also when they hold '\\r'."""
    for row in [header, *rows]:
        cells = [escape.csv_cell(value, guard=guard) for value in row]
        if cells == [""]:
            out.write('""\n')  # as csv writes a row of one empty field
            continue
        out.write(",".join(_csv_field(cell) for cell in cells) + "\n")


def _csv_field(cell: str) -> str:
    if any(c in cell for c in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def dump_yaml(data: Any, out: TextIO) -> None:
    import yaml

    yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False, width=100)


def width(value: str) -> int:
    """Terminal cells a string takes: CJK characters are two wide."""
    if value.isascii():  # ids, codes, English: most cells, and one character a cell
        return len(value)
    return sum(map(_char_width, value))


@lru_cache(maxsize=65536)
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def plain_table(rows: list, columns: list[Column], out: TextIO) -> None:
    """Aligned columns without colour or box drawing, for pipes and logs."""
    cells = [[escape.terminal(c.header.upper()) for c in columns]]
    cells += [[escape.terminal(text(c.cell(r)).replace("\n", " ")) for c in columns] for r in rows]
    sizes = [[width(cell) for cell in row] for row in cells]  # each cell measured once
    widths = [max(row[i] for row in sizes) for i in range(len(columns))]
    for row, row_sizes in zip(cells, sizes, strict=True):
        padded = [cell + " " * (widths[i] - row_sizes[i]) for i, cell in enumerate(row)]
        out.write("  ".join(padded).rstrip() + "\n")


# A column narrower than this is not worth keeping: it would show a character or two.
_MIN_CELL = 6


def _rich_table(rows: list, columns: list[Column], out: TextIO) -> None:
    """A table that fits the terminal: the first column (ids) is never wrapped or cut, so
    it copies and pastes whole; the other columns keep one line per row, shortened with
    an ellipsis, and the rightmost (least important) are dropped first when the terminal
    is too narrow for them."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, no_color=not use_color(out))
    cells = [[text(c.cell(row)).replace("\n", " ") for c in columns] for row in rows]
    natural = [max([width(c.header), *(width(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    keep = len(columns)
    while keep > 1 and natural[0] + sum(min(w, _MIN_CELL) for w in natural[1:keep]) + 2 * (keep - 1) > console.width:
        keep -= 1
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i, column in enumerate(columns[:keep]):  # rich reads a str as markup: give it Text, always literal
        first = i == 0
        table.add_column(
            escape.rich_text(column.header),
            style=column.style,
            no_wrap=True,
            overflow="fold" if first else "ellipsis",
            min_width=natural[0] if first else None,
        )
    for row, texts in zip(rows, cells, strict=True):
        shades = [c.shade(row) if c.shade else "" for c in columns[:keep]]
        table.add_row(*(escape.rich_text(cell, shade) for cell, shade in zip(texts[:keep], shades, strict=True)))
    console.print(table)
