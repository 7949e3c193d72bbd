"""Folding for quotes: the fast pattern-based form equals the plain per-character table."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from polcat.chinese import _char_table, fold_for_quote, simplify_chars

TABLE = _char_table()
CHANGED = st.sampled_from(sorted(chr(code) for code in TABLE))
TEXT = st.lists(st.one_of(CHANGED, st.characters(blacklist_categories=("Cs",))), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_simplify_chars_is_the_table_applied_per_character(text):
    assert simplify_chars(text) == text.translate(TABLE)
    assert fold_for_quote(text) == "".join(text.split()).translate(TABLE)


def test_known_pairs():
    assert simplify_chars("三變 機制 胡乾元") == "三变 机制 胡乾元".translate(TABLE)
    assert fold_for_quote(" 幹部\n定責 ") == "干部定责"
