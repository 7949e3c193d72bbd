"""Script and romanisation helpers: OpenCC for traditional/simplified, pypinyin for pinyin.

Both libraries load dictionaries on first use, so they are imported lazily.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Protocol


class _Converter(Protocol):
    """What polcat uses of ``opencc.OpenCC`` (opencc ships no type information)."""

    def convert(self, text: str) -> str: ...


@cache
def _converter(config: str) -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC(config)
    return converter


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def traditional_variants(text: str, config: str = "s2t") -> str:
    """``text`` converted by an OpenCC simplified -> traditional configuration."""
    return _converter(config).convert(text)


# The CJK blocks whose traditional characters OpenCC simplifies (URO, Extension A, and
# the compatibility ideographs it normalises); CJK_CHARS is the same as a regex class body.
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{CJK_CHARS}]")
NOT_WORD = re.compile(r"[\s'’·\-_.,;:!?()\[\]{}\"“”‘’]+")
# Invisible characters people paste along with a name (zero-width spaces and joiners,
# soft hyphens, byte-order marks, direction marks): they never change what is meant.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def normalise(text: str) -> str:
    """Full-width forms to plain ones (NFKC: １２３３ -> 1233, Ｘ -> X), invisibles dropped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Compare Chinese across scripts, widths and spacing: simplified, no whitespace, lowercase."""
    return fold_for_quote(normalise(text)).lower()


def fold_latin(text: str) -> str:
    """Compare pinyin or English across tones, case, widths, spaces and apostrophes (Jí'ān = jian)."""
    return NOT_WORD.sub("", strip_tones(normalise(text)).lower())


@cache
def _char_table() -> dict[int, str]:
    """Every CJK character's simplified form, from one OpenCC call.

    Characters are converted one per line, so that OpenCC cannot read two neighbours as
    a phrase: comparing needs a mapping that does not depend on context. Loading OpenCC
    and converting take about 25 ms, in every process that folds a name (the first query
    after an edit), so the table is kept in polcat's cache folder, keyed by OpenCC's version.
    """
    import opencc

    from polcat.cache import remembered

    def derive() -> dict[int, str]:
        chars = [chr(code) for low, high in _CJK_BLOCKS for code in range(low, high + 1)]
        simplified = _converter("t2s").convert("\n".join(chars)).split("\n")
        return {ord(t): s for t, s in zip(chars, simplified, strict=False) if t != s and len(s) == 1}

    version = f"{getattr(opencc, '__version__', '?')}|{opencc.__file__}|{_CJK_BLOCKS}"
    return remembered("chinese-t2s", version, derive)


@cache
def _char_pattern() -> re.Pattern[str]:
    """The characters _char_table changes, as one class (all CJK: nothing to escape)."""
    return re.compile("[" + "".join(chr(code) for code in sorted(_char_table())) + "]")


def simplify_chars(text: str) -> str:
    """Simplified script, character by character.

    OpenCC converts phrase by phrase, so a character may convert differently at the edge
    of a quote than inside the source (胡乾 alone becomes 胡干, inside 胡乾元 it stays):
    a quote that is a substring of the text must stay one after folding.

    The same as ``text.translate(_char_table())``, about twice as fast on real text: most
    characters need no change, and the pattern skips them in C.
    """
    table = _char_table()
    return str(_char_pattern().sub(lambda m: table[ord(m.group())], text))


def fold_for_quote(text: str) -> str:
    """The form in which quotes are compared: no whitespace, simplified script."""
    return simplify_chars("".join(text.split()))


def pinyin(text: str, *, tones: bool = True) -> str:
    """Pinyin syllables separated by spaces (``sān dìng``); non-Chinese runs kept as they are."""
    from pypinyin import Style, lazy_pinyin

    style = Style.TONE if tones else Style.NORMAL
    return " ".join(s for s in lazy_pinyin(text, style=style) if s.strip())


_COMBINING = re.compile(r"[\u0300-\u036f]")  # the marks NFD splits off tones and umlauts


def strip_tones(text: str) -> str:
    """``sān dìng`` -> ``san ding`` (also ü -> u, as people type it)."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))
