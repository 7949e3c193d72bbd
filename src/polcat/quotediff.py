"""Where a quote parts from its source: the closest passage, and the first character
that differs.

A quote that is not in its source is almost always the source with one character
changed, most often punctuation (``,`` typed for the source's ``，``, ``""`` for ``“”``).
The curator needs to see that character, not just "not found".

Texts here are in quote-comparison form (:func:`polcat.chinese.fold_for_quote`), and the
search must stay cheap on long sources and large catalogues: a difflib comparison of the
quote with the whole text costs time proportional to the product of their lengths, so
instead the longest prefix of the quote that occurs in the text is found by bisection
(a prefix that occurs means every shorter one does), each step one substring search,
and likewise the longest suffix. That is a few dozen ``str.find`` calls per quote, and
it only runs for quotes that failed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Characters of context shown on each side of the first difference.
BEFORE = 16
AFTER = 8
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Divergence:
    """The closest passage of the source and where the quote leaves it."""

    passage: str  # the source around the difference, the differing character marked
    quote_char: str  # the quote's character there
    source_char: str | None  # the source's character there (None: past its end or before its start)
    matched: int  # how many characters of the quote the passage matches

    def describe(self, source: str) -> str:
        """One line for a problem's hint."""
        where = f"closest passage of source {source}: {self.passage}"
        if self.source_char:
            theirs = f"the source has {_named(self.source_char)}"
        else:
            theirs = "the source begins" if self.passage.startswith(MARK_OPEN) else "the source ends"
        return f"{where}; the quote has {_named(self.quote_char)} where {theirs}"


def _named(char: str) -> str:
    """A character and its code point, and for punctuation and symbols its name, which
    tells apart look-alikes (COMMA, FULLWIDTH COMMA)."""
    name = unicodedata.name(char, "") if unicodedata.category(char)[0] in "PSZ" else ""
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def _longest(found: Callable[[int], bool], size: int) -> int:
    """The largest k in 0..size with found(k) true, found being monotone (true up to k)."""
    low, high = 0, size
    while low < high:
        middle = (low + high + 1) // 2
        if found(middle):
            low = middle
        else:
            high = middle - 1
    return low


def divergence(quote: str, text: str) -> Divergence | None:
    """Where ``quote`` (not in ``text``) parts from the passage of ``text`` it matches
    longest, from its start or from its end; None if not even its first or last
    character occurs. Both in quote-comparison form."""
    if not quote or quote in text:
        return None
    head = _longest(lambda k: quote[:k] in text, len(quote))
    tail = _longest(lambda k: quote[len(quote) - k :] in text, len(quote))
    if max(head, tail) == 0:
        return None
    if head >= tail:  # the quote starts as the source does, then differs at quote[head]
        at = text.find(quote[:head]) + head
        source_char = text[at] if at < len(text) else None
        return Divergence(_around(text, at), quote[head], source_char, head)
    start = text.find(quote[len(quote) - tail :])  # the quote ends as the source does
    at = start - 1
    differs = quote[len(quote) - tail - 1]
    return Divergence(_around(text, at), differs, text[at] if at >= 0 else None, tail)


def _around(text: str, at: int) -> str:
    """The text around position ``at``, its character there marked."""
    before = text[max(0, at - BEFORE) : max(0, at)]
    char = text[at] if 0 <= at < len(text) else ""
    after = text[at + 1 : at + 1 + AFTER] if at >= 0 else text[:AFTER]
    lead = "…" if at - BEFORE > 0 else ""
    trail = "…" if at + 1 + AFTER < len(text) else ""
    return f"{lead}{before}{MARK_OPEN}{char}{MARK_CLOSE}{after}{trail}"
