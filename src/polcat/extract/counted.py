"""Components: the parts a text enumerates for a label, and the counted headings whose
clauses are parts, never names of their own.

A label's parts stand in a parenthesis after it (“三听三看”(听…、看…)), after 即 (framed
由…组成 unwrapped), in a list just before it (干部定责、组织定位、群众定效的“三定”), or
as 一是…。二是…。 items right after its sentence when their number matches its count.
"""

from __future__ import annotations

import re

from polcat.extract.lexicon import ESTABLISH, LEADING_FUNCTION, NUMBER_VALUES
from polcat.extract.quotes import TYPE_AFTER
from polcat.extract.shapes import leading_count
from polcat.extract.text import Sentences, simplified

_LIST_SPLIT = re.compile(r"[、；;，,]")
_ITEM_MARKERS = re.compile(
    r"\s*(?:([一二三四五六七八九十])是|第([一二三四五六七八九十])[，、]|[（]([一二三四五六七八九十])[）])"
)
_ESTABLISH_ANY = re.compile("|".join(ESTABLISH))
_MAX_ITEMS = 10


class Context:
    """The clean text, its simplified copy and its sentences, for the finders below."""

    def __init__(self, text: str, simple: str) -> None:
        self.text = text
        self.simple = simple
        self.sentences = Sentences(simple)


def components_near(ctx: Context, start: int, end: int, label: str, only_in_sentence: bool) -> tuple[list[str], int]:
    """The parts the text enumerates for the label at ``[start, end)`` and where they end, or ([], end)."""
    for finder in (_parenthesis_after, _namely_after, _list_before, _items_after):
        parts, reach = finder(ctx, start, end, label, only_in_sentence)
        if len(parts) >= 2:
            return parts, reach
    return [], end


def _split_list(text: str) -> list[str]:
    parts = [p.strip(' “”‘’「」『』"') for p in _LIST_SPLIT.split(text)]
    return [p for p in parts if p]


def _tail_end(simple: str, end: int) -> int:
    """Where the type noun after a quotation ends (“…”产业发展模式(…) keeps its parenthesis)."""
    tail = TYPE_AFTER.match(simple[end + 1 : end + 16])
    return end + 1 + (tail.end() if tail else 0)


def _parenthesis_after(ctx: Context, start: int, end: int, label: str, _only: bool) -> tuple[list[str], int]:
    at = _tail_end(ctx.simple, end)
    match = re.match(r"\s*[（(]([^（）()\n]{3,120})[）)]", ctx.text[at : at + 130])
    return (_split_list(match.group(1)), at + match.end()) if match else ([], end)


def _namely_after(ctx: Context, start: int, end: int, label: str, _only: bool) -> tuple[list[str], int]:
    at = _tail_end(ctx.simple, end)
    match = re.match(r"[^。；\n]{0,3}?[，]?\s*(?:即|指)([^。\n]{4,300})", ctx.text[at : at + 310])
    if not match:
        return [], end
    body, body_start = match.group(1), at + match.start(1)
    framed = re.search(r"由(.+?)(?:组成|构成)$", simplified(body))
    if framed:
        body = body[framed.start(1) : framed.end(1)]
    parts = _split_list(body)
    return (parts, body_start + len(match.group(1))) if all(len(p) <= 40 for p in parts) else ([], end)


def _list_before(ctx: Context, start: int, end: int, label: str, _only: bool) -> tuple[list[str], int]:
    simple, text = ctx.simple, ctx.text
    left = start - 1 if start and text[start - 1] in "“”‘’「」『』《》" else start
    connector = re.search(r"(?:的|按照|等|之)?\s*$", simple[max(0, left - 4) : left])
    at = left - (len(connector.group()) if connector else 0)
    window = simple[max(0, at - 200) : at]
    clause_start = max(0, at - 200) + max(window.rfind(c) for c in "，。；：！？\n“”‘’「」『』") + 1
    clause = text[clause_start:at]
    if "、" not in clause:
        return [], end
    parts = [p.strip() for p in clause.split("、")]
    parts = [_strip_lead_in(parts[0], parts[1:]), *parts[1:]]
    if len(parts) < 2 or not all(2 <= len(p) <= 14 and "的" not in p and not _has_verb(p) for p in parts):
        return [], end  # (a clause that goes on after the list: 在甲、乙开展了以“…”)
    count = leading_count(simplified(label))
    return (parts, end) if count in (None, len(parts)) else ([], end)


def _has_verb(part: str) -> bool:
    return _ESTABLISH_ANY.search(simplified(part)) is not None


def _strip_lead_in(first: str, rest: list[str]) -> str:
    """The first item of a list without the clause's lead-in: when the other items have one
    length, the first has it too (着力破解…无人干事、无钱办事、无力理事 -> 无人干事)."""
    lengths = {len(p) for p in rest}
    if len(lengths) == 1 and len(first) > (n := lengths.pop()):
        return first[-n:]
    simple = simplified(first)
    cut = max((simple.rfind(w) + len(w) for w in (*ESTABLISH, *LEADING_FUNCTION) if simple.rfind(w) != -1), default=0)
    return first[cut:] if len(first) - cut >= 2 else first


def _strip_leading(part: str) -> str:
    part = part.strip()
    simple = simplified(part)
    changed = True
    while changed:
        changed = False
        for word in (*ESTABLISH, *LEADING_FUNCTION):
            if simple.startswith(word) and len(part) > len(word) + 1:
                part, simple = part[len(word) :], simple[len(word) :]
                changed = True
    return part


def _items_after(ctx: Context, start: int, end: int, label: str, only_in_sentence: bool) -> tuple[list[str], int]:
    """一是…。二是…。 right after the label's sentence (a heading and its items); at most ten."""
    simple, text = ctx.simple, ctx.text
    at, items, expected = ctx.sentences.end(end) + 1, [], 1
    while expected <= _MAX_ITEMS:
        marker = _ITEM_MARKERS.match(simple, at)
        number = marker and NUMBER_VALUES.get(next(g for g in marker.groups() if g))
        if not marker or number != expected:
            break
        item_end = ctx.sentences.end(marker.end())
        items.append(_strip_leading(text[marker.end() : item_end]).strip(' “”‘’「」『』"，'))
        at, expected = item_end + 1, expected + 1
    count = leading_count(simplified(label))
    if len(items) >= 2 and (count == len(items) or (count is None and only_in_sentence)):
        return [i for i in items if i], at
    return [], end
