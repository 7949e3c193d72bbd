"""Script and romanisation helpers: OpenCC for traditional/simplified, pypinyin for pinyin.

Both libraries load dictionaries on first use, so they are imported lazily.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


_char_table: dict[int, str] = {}
_chars_seen: set[str] = set()


def simplify_chars(text: str) -> str:
    """Simplified script, character by character.

    OpenCC converts phrase by phrase, so a character may convert differently at the edge
    of a quote than inside the source (胡乾 vs 胡乾元). Comparing needs a mapping that
    does not depend on context: a quote that is a substring of the text must stay one.
    """
    new = set(text) - _chars_seen
    if new:
        convert = _converter("t2s").convert
        for char in new:
            simple = convert(char)
            if simple != char and len(simple) == 1:
                _char_table[ord(char)] = simple
        _chars_seen.update(new)
    return text.translate(_char_table)


def fold_for_quote(text: str) -> str:
    """The form in which quotes are compared: no whitespace, simplified script."""
    return simplify_chars(_SPACE.sub("", text))


def pinyin(text: str, *, tones: bool = True) -> str:
    """Pinyin syllables separated by spaces (``sān dìng``); non-Chinese runs kept as they are."""
    from pypinyin import Style, lazy_pinyin

    style = Style.TONE if tones else Style.NORMAL
    return " ".join(s for s in lazy_pinyin(text, style=style) if s.strip())


def strip_tones(text: str) -> str:
    """``sān dìng`` -> ``san ding`` (also ü -> u, as people type it)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
