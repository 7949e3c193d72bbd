"""Spreadsheets: an Excel workbook that keeps text as text, and a sheet read back as drafts."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from support import invoke, write

from polcat.catalogue import load_catalogue
from polcat.spreadsheet import to_xlsx


def test_workbook_has_a_sheet_per_part_with_text_as_text(mini):
    cat = load_catalogue(mini)
    entries = cat.entries()
    book = load_workbook(io.BytesIO(to_xlsx(cat, entries)))
    assert book.sheetnames == ["entries", "components", "relations", "outcomes", "sources"]
    sheet = book["entries"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "id" and sorted(r[0] for r in rows[1:]) == sorted(e.id for e in entries)
    names = {r[0]: r[2] for r in rows[1:]}
    assert names["chishui-1plusx"] == "1+X"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)


def test_formula_like_text_is_never_a_formula(mini):
    path = mini / "mechanisms" / "alpha" / "chishui-1plusx.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("zh: 1+X", 'zh: "=1+X"', 1), encoding="utf-8")
    cat = load_catalogue(mini)
    book = load_workbook(io.BytesIO(to_xlsx(cat, cat.entries())))
    cells = [c for row in book["entries"].iter_rows() for c in row if c.value == "=1+X"]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_writes_a_draft_per_good_row_and_names_each_bad_row(mini, tmp_path, suffix):
    rows = [
        ["名称", "地区", "来源", "主题"],
        ["三變", "chishui", "trad", "evaluation"],
        ["不存在", "chishui", "trad", ""],
    ]
    sheet = tmp_path / f"s{suffix}"
    if suffix == ".csv":
        write(sheet, "\n".join(",".join(r) for r in rows) + "\n")
    else:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(sheet)
    result = invoke("import", str(sheet), "-C", str(mini))
    assert result.exit_code == 1
    written = mini / "mechanisms" / "chishui" / "chishui-sanbian.yaml"
    assert written.is_file() and "status: draft" in written.read_text(encoding="utf-8")
    assert f"{sheet}:3:" in result.stderr and "1 draft(s) written" in result.stderr
    again = invoke("import", str(sheet), "-C", str(mini))
    assert again.exit_code == 1 and written.read_text(encoding="utf-8")  # nothing overwritten
    assert f"{sheet}:2:" in again.stderr and ("taken" in again.stderr or "exists" in again.stderr)


def test_import_needs_the_key_columns(mini, tmp_path):
    sheet = write(tmp_path / "s.csv", "a,b\n1,2\n")
    result = invoke("import", str(sheet), "-C", str(mini))
    assert result.exit_code == 2 and "no column for name, locality, source" in result.stderr
    mapped = invoke(
        "import",
        str(sheet),
        "--map",
        "name=a",
        "--map",
        "locality=b",
        "--map",
        "source=a",
        "-C",
        str(mini),
        "--dry-run",
    )
    assert mapped.exit_code == 1  # now every row is checked (and fails on its values)


def test_export_xlsx_through_the_cli_and_a_suffix_that_lies_is_refused(mini, tmp_path):
    out = tmp_path / "eval.xlsx"
    result = invoke("export", "-o", str(out), "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    assert load_workbook(out).sheetnames[0] == "entries"
    lie = invoke("export", "-f", "json", "-o", str(tmp_path / "eval.xlsx"), "--force", "-C", str(mini))
    assert lie.exit_code == 2 and "does not look like json" in lie.stderr
    assert invoke("export", "-f", "xlsx", "-C", str(mini)).exit_code == 2  # binary: needs -o


def test_csv_bom_for_excel_and_locality_chain_columns(mini):
    result = invoke("export", "-f", "csv", "--bom", "-C", str(mini))
    assert result.exit_code == 0 and result.stdout.startswith("\ufeffid,")
    plain = invoke("list", "-f", "csv", "-C", str(mini)).stdout
    header, _first = plain.splitlines()[:2]
    assert not plain.startswith("\ufeff")
    assert "province,province_code,prefecture,prefecture_code,county,county_code" in header
    assert invoke("export", "-f", "json", "--bom", "-C", str(mini)).exit_code == 2
