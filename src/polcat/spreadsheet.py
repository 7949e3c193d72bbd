"""Spreadsheets: an Excel workbook of the entries, and a researcher's sheet read back as
draft entries.

The workbook has a sheet each for entries, components, sources (with full citations),
relations and outcomes, a frozen header row, column widths that fit Chinese, and every
text cell written as text: a name such as ``=1+X`` or ``+4`` stays a string, never a
formula. openpyxl is imported only here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polcat.catalogue import Catalogue
from polcat.model import Entry
from polcat.output import width
from polcat.progress import Progress

# The sheets after the first: export's one-to-many parts, plus the cited sources.
PART_SHEETS = ("components", "relations", "outcomes")


def _entry_rows(cat: Catalogue, entries: list[Entry]) -> tuple[list[str], list[list[Any]]]:
    from polcat.export import entry_csv_columns

    columns = entry_csv_columns(cat)
    rows = []
    for entry in entries:
        row = []
        for column in columns:
            value = column.cell(entry)
            row.append("; ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else value)
        rows.append(row)
    return [c.header for c in columns], rows


def _part_rows(entries: list[Entry], table: str) -> tuple[list[str], list[list[Any]]]:
    from polcat.export import PARTS, part_rows

    headers = ["entry_id", "position", *PARTS[table][1]]
    return headers, [[row.get(h) for h in headers] for row in part_rows(entries, table)]


def _source_rows(cat: Catalogue, entries: list[Entry]) -> tuple[list[str], list[list[Any]]]:
    from polcat.cite import source_text

    headers = ["id", "title", "publisher", "author", "date", "url", "retrieved", "citation", "entries"]
    counts: dict[str, int] = {}
    for entry in entries:
        for source in entry.cited_sources():
            counts[source] = counts.get(source, 0) + 1
    rows = [
        [
            source.id,
            source.title,
            source.publisher,
            source.author,
            source.date,
            source.url,
            source.retrieved,
            source_text(source),
            counts[source.id],
        ]
        for source in cat.all_sources()
        if source.id in counts
    ]
    return headers, rows


def to_xlsx(cat: Catalogue, entries: list[Entry], progress: Progress | None = None) -> bytes:
    """The workbook's bytes (built in memory, so that the caller writes it atomically).

    ``progress`` is called with (rows written, rows in all sheets) as they are written:
    openpyxl writes some ten thousand rows a second."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    book = Workbook()
    sheets = [("entries", *_entry_rows(cat, entries))]
    sheets += [(table, *_part_rows(entries, table)) for table in PART_SHEETS]
    sheets.append(("sources", *_source_rows(cat, entries)))
    total, written = sum(len(rows) for _, _, rows in sheets), 0
    for index, (title, headers, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None if v is None else v for v in row])
            written += 1
            if progress is not None and (written % 256 == 0 or written == total):
                progress(written, total)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # text stays text: "=1+X" is never a formula
        sheet.freeze_panes = "A2"
        for col, header in enumerate(headers, 1):
            longest = max([width(str(header)), *(width(str(r[col - 1])) for r in rows if r[col - 1] is not None)])
            sheet.column_dimensions[sheet.cell(1, col).column_letter].width = min(60, max(8, longest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- a researcher's sheet as draft entries -------------------------------------------------

# Header names (case and spaces ignored) that mean each field, unless --map says otherwise.
DEFAULT_MAPPING = {
    "name": ("name", "name_zh", "名称", "机制", "机制名称"),
    "locality": ("locality", "place", "地区", "地方", "县", "县市"),
    "source": ("source", "source_id", "来源"),
    "quote": ("quote", "引文", "原文"),
    "themes": ("themes", "theme", "主题"),
    "kind": ("kind", "类型"),
    "en": ("en", "english", "name_en", "英文"),
    "year": ("year", "年份"),
    "id": ("id",),
}


@dataclass
class SheetRow:
    number: int  # the row's number in the sheet (the header is row 1)
    values: dict[str, str] = field(default_factory=dict)


def read_sheet(path: Path) -> tuple[list[str], list[SheetRow]]:
    """Headers and rows of an .xlsx (first sheet) or .csv file, every cell as text."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        raw = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    else:
        from polcat.textio import MAX_TEXT_BYTES, decode_any, read_bytes

        text, _ = decode_any(read_bytes(path, MAX_TEXT_BYTES))
        raw = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not raw:
        return [], []
    headers = [h.strip() for h in raw[0]]
    rows = [
        SheetRow(n, {h: (r[i].strip() if i < len(r) else "") for i, h in enumerate(headers)})
        for n, r in enumerate(raw[1:], 2)
    ]
    return headers, [r for r in rows if any(r.values.values())]


def mapping_for(headers: list[str], overrides: dict[str, str]) -> dict[str, str]:
    """field -> header: the overrides (``--map name=机制``), then the default names."""
    folded = {h.replace(" ", "").lower(): h for h in headers}
    out = {}
    for name, aliases in DEFAULT_MAPPING.items():
        if name in overrides:
            out[name] = overrides[name]
            continue
        for alias in aliases:
            if alias.replace(" ", "").lower() in folded:
                out[name] = folded[alias.replace(" ", "").lower()]
                break
    return out
