"""Tables in a terminal: ids are never wrapped or cut, every row stays on one line, and the
rightmost columns go first when the terminal is narrow; piped, one line per entry."""

from __future__ import annotations

import re

import pytest
from support import FIXTURE, invoke

from polcat.catalogue import load_catalogue

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("columns", [40, 60, 80, 120, 200])
def test_terminal_table_fits_and_keeps_ids_whole(columns):
    result = invoke("list", "-C", str(FIXTURE), env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = [ANSI.sub("", line) for line in result.stdout.splitlines()]
    ids = [e.id for e in load_catalogue(FIXTURE).entries()]
    body = lines[2:]
    assert len(body) == len(ids)  # one line per entry
    assert all(len(line) <= columns for line in lines)
    assert sorted(line.split()[0] for line in body) == sorted(ids)  # whole ids, first on each line


def test_narrow_terminals_drop_the_rightmost_columns_first():
    wide = ANSI.sub(
        "", invoke("list", "-C", str(FIXTURE), env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "200"}).stdout
    )
    narrow = ANSI.sub(
        "", invoke("list", "-C", str(FIXTURE), env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "50"}).stdout
    )
    assert "THEMES" in wide.upper() and "themes" not in narrow.splitlines()[0].lower()
    assert "name" in narrow.splitlines()[0].lower()


def test_piped_tables_are_one_line_per_entry():
    result = invoke("list", "-C", str(FIXTURE))
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + len(load_catalogue(FIXTURE).entries())
