"""Tables in a terminal: ids are never wrapped or cut, every row stays on one line, and the
rightmost columns go first when the terminal is narrow; piped, one line per entry."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import FIXTURE, invoke

from polcat.catalogue import load_catalogue
from polcat.output import Format, write_encoded

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


JSONABLE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab三定\n"\\<&\u2028 ', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200)
@given(st.lists(JSONABLE, max_size=2500))
def test_items_streamed_as_json_read_back_as_they_were(items):
    # write_encoded writes in chunks of 1,000: lists of 0, 1, 1,000 and 2,500 items all occur.
    for fmt in (Format.json, Format.jsonl):
        out = io.StringIO()
        count = write_encoded((json.dumps(i, ensure_ascii=False) for i in items), fmt, out)
        assert count == len(items)
        text = out.getvalue()
        assert text.endswith("\n") or (fmt is Format.jsonl and not items and text == "")
        if fmt is Format.json:
            assert json.loads(text) == items
            assert text.count("\n") == (len(items) + 2 if items else 1)  # one item a line
        else:
            assert [json.loads(line) for line in text.split("\n")[:-1]] == items  # not splitlines: U+2028
