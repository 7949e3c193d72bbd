"""The report's text made clean for the rules, with offsets back to what it writes.

Web copies of reports carry noise that breaks names and cue words: pinyin in brackets
after characters (統(tǒng)籌), mojibake runs, reference marks ([1]), ASCII straight
quotes for “”, half-width punctuation (the corpus pages store ，：（） as , : ( )).
:func:`clean` removes or normalises it and keeps, for every character of the clean
text, the span of the original it comes from: rules decide on the clean text, and
labels and sentences are reported as the original writes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from polcat.extract.lexicon import CJK, SENTENCE_END

SEPARATOR = "\x1f"  # stands where noise was removed between words: ends a phrase

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# One pinyin syllable with a tone mark, in brackets right after a character: 統(tǒng).
_PINYIN = re.compile(rf"(?<=[{CJK}])[(（]([a-zü{_TONED}]{{1,7}})[)）]")
_REFERENCE = re.compile(r"[\[［]\s*(?:注\s*)?\d{1,3}\s*[\]］]")
_HALF_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_DIGIT_AROUND = re.compile(r"\d")
_FFFD = "\ufffd"


@dataclass(frozen=True)
class Cleaned:
    """The clean text and, per character, where it comes from in the original."""

    original: str
    text: str  # clean, in the original script
    simple: str  # clean, simplified character by character (offsets as ``text``)
    starts: tuple[int, ...]  # original offset of each clean character, then len(original)
    ends: tuple[int, ...]  # original end of each clean character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the clean span ``[start, end)``."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def original_of(self, start: int, end: int) -> str:
        """The original text of a clean span, as the report writes it (noise included)."""
        left, right = self.span(start, end)
        return self.original[left:right]


def clean(original: str) -> Cleaned:
    """Remove pinyin annotations, reference marks and mojibake; make ASCII quotation
    marks and half-width punctuation full-width; NFC-normalise. Linear in the text."""
    removed = _noise_spans(original)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for start, end, replacement in removed:
        for i in range(at, start):
            out.append(original[i])
            starts.append(i)
            ends.append(i + 1)
        if replacement:
            out.append(replacement)
            starts.append(start)
            ends.append(end)
        elif out:
            ends[-1] = end  # the removed noise belongs to the character before it
        at = end
    for i in range(at, len(original)):
        out.append(original[i])
        starts.append(i)
        ends.append(i + 1)
    text = _punctuation("".join(out))
    starts.append(len(original))
    from polcat.chinese import simplify_chars

    return Cleaned(original, text, simplify_chars(text), tuple(starts), tuple(ends))


def _noise_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every piece of noise, in order, not overlapping."""
    spans = [(m.start(), m.end(), "") for m in _PINYIN.finditer(text)]
    spans += [(m.start(), m.end(), "") for m in _REFERENCE.finditer(text)]
    spans += [(s, e, SEPARATOR) for s, e in mojibake_runs(text)]
    spans += _doubled_commas(text)
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


def _doubled_commas(text: str) -> list[tuple[int, int, str]]:
    """A half-width comma stuck before other punctuation (致富,,2013年; 脫貧,。) is debris."""
    return [(m.start(), m.start() + 1, "") for m in re.finditer(r",(?=[,，。、；;？?！!：:])", text)]


# --- mojibake ----------------------------------------------------------------------------

_RUN = re.compile(r"[^\x00-\x7f\s，。、；：？！“”‘’「」『』《》（）]{4,}")


def mojibake_runs(text: str) -> list[tuple[int, int]]:
    """Runs of mojibake: UTF-8 bytes shown as GBK (鈥滄垜鏄), which re-encode to valid
    UTF-8, and text between question marks or replacement characters standing for lost
    bytes (?!拔沂谴甯刹?). Linear in the text."""
    found = [span for m in _RUN.finditer(text) for span in _utf8_as_gbk(text, m.start(), m.end())]
    found += _between_lost_bytes(text)
    found += [(m.start(), m.end()) for m in re.finditer(_FFFD + "+", text)]
    return sorted(found)


def _utf8_as_gbk(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` whose GBK bytes decode as UTF-8 Chinese (3+ characters)."""
    spans: list[tuple[int, int]] = []
    chars: list[int] = []  # byte offset -> character index
    data = bytearray()
    for index in range(start, end):
        try:
            encoded = text[index].encode("gbk")
        except UnicodeEncodeError:
            encoded = b"\x00"
        data += encoded
        chars += [index] * len(encoded)
    at, run_start, decoded = 0, None, 0
    while at <= len(data):
        lead = data[at] if at < len(data) else 0
        if 0xE3 <= lead <= 0xE9 and at + 2 < len(data) and all(0x80 <= b <= 0xBF for b in data[at + 1 : at + 3]):
            run_start = at if run_start is None else run_start
            decoded += 1
            at += 3
            continue
        if run_start is not None and decoded >= 3:
            spans.append((chars[run_start], chars[min(at, len(data)) - 1] + 1))
        run_start, decoded = None, 0
        at += 1
    return spans


_LOST = re.compile(rf"[?？{_FFFD}][!！]?([{CJK}]{{3,12}})[?？{_FFFD}]")


def _between_lost_bytes(text: str) -> list[tuple[int, int]]:
    """?…? with Chinese right inside on both sides, on one line: bytes lost in a wrong
    decoding (a question would end a sentence and not be followed by a character)."""
    out = []
    for match in _LOST.finditer(text):
        after = text[match.end() : match.end() + 1]
        before = text[match.start() - 1 : match.start()]
        if (before and re.match(f"[{CJK}]", before)) or (after and re.match(f"[{CJK}，,]", after)):
            out.append((match.start(), match.end()))
    return out


# --- punctuation -------------------------------------------------------------------------


def _punctuation(text: str) -> str:
    """Half-width punctuation between words made full-width (not inside numbers: 1,000,
    10:30), ASCII straight quotes paired into “” per line. Keeps the length."""
    chars = list(text)
    for i, char in enumerate(chars):
        if char in _HALF_WIDTH:
            left = chars[i - 1] if i else ""
            right = chars[i + 1] if i + 1 < len(chars) else ""
            if char in ",:" and left.isdigit() and right.isdigit():
                continue
            chars[i] = _HALF_WIDTH[char]
    _mixed_quotes(chars)
    _stray_closers(chars)
    _pair_ascii_quotes(chars, '"', "“", "”")
    _pair_ascii_quotes(chars, "'", "‘", "’", need_cjk=True)
    return "".join(chars)


def _pair_ascii_quotes(chars: list[str], mark: str, opener: str, closer: str, need_cjk: bool = False) -> None:
    """Pair the marks of each line in order: first opens, second closes. ``need_cjk``: only
    marks next to a Chinese character (not it's, 'a')."""
    line: list[int] = []
    for i, char in enumerate([*chars, "\n"]):
        if char == "\n":
            for first, second in _pairs(chars, line):
                chars[first], chars[second] = opener, closer
            line = []
        elif char == mark:
            if need_cjk and not _next_to_cjk(chars, i):
                continue
            line.append(i)


_SENTENCE_END = frozenset("。！？!?；;")


def _pairs(chars: list[str], marks: list[int]) -> list[tuple[int, int]]:
    """The marks of one line paired in order. With an odd number, one mark lost its partner
    (to mojibake, a typo): leave out the one whose absence pairs the rest best, that is,
    with the fewest bad quotations: holding the end of a sentence (“以前…?!奔易…感慨道。這一…
    的” is two quotations put together wrongly) or nothing (画廊""三峡: a closer, then an
    opener); on a tie, the last. With an even number, the first and the last may have
    lost theirs (画廊""三峡…综合体""灌湖水乡""阿金河): they are left out when that leaves
    fewer empty quotations. Linear: the badness of pairing from the front and from the
    back is summed once."""
    count = len(marks)

    def empty(a: int, b: int) -> bool:
        return not "".join(chars[marks[a] + 1 : marks[b]]).strip()

    def bad(a: int, b: int) -> int:
        return int(empty(a, b) or any(chars[i] in _SENTENCE_END for i in range(marks[a] + 1, marks[b])))

    if count % 2 == 0:
        # (only empty quotations decide here: speech holds the ends of sentences)
        kept = marks
        if count >= 4:
            straight = sum(empty(k, k + 1) for k in range(0, count, 2))
            if sum(empty(k, k + 1) for k in range(1, count - 1, 2)) < straight:
                kept = marks[1:-1]
        return list(zip(kept[0::2], kept[1::2], strict=True))

    front = [0] * (count + 1)  # front[k]: pairs (0,1) … (k-2,k-1), k even
    for k in range(2, count + 1, 2):
        front[k] = front[k - 2] + bad(k - 2, k - 1)
    back = [0] * (count + 2)  # back[k]: pairs (k,k+1) … (count-2,count-1), count-k even
    for k in range(count - 2, -1, -2):
        back[k] = back[k + 2] + bad(k, k + 1)
    best, left_out = front[count - 1], count - 1  # (the last left out: pairs as written)
    for k in range(count - 2, -1, -1):
        # (k odd: k-1 pairs across k with k+1)
        cost = front[k] + back[k + 1] if k % 2 == 0 else front[k - 1] + bad(k - 1, k + 1) + back[k + 2]
        if cost < best:
            best, left_out = cost, k
    kept = marks[:left_out] + marks[left_out + 1 :]
    return list(zip(kept[0::2], kept[1::2], strict=True))


def _mixed_quotes(chars: list[str]) -> None:
    """A quotation opened with “ and closed with an ASCII " (“三率一度"), or opened with "
    and closed with ” ("三率一度”): an ASCII mark after an open “ closes it, one before a
    ” (and not after another ") opens it. One pass over the marks."""
    marks = [i for i, c in enumerate(chars) if c in '“”"\n']
    for k, i in enumerate(marks):
        if chars[i] != '"':
            continue
        before = chars[marks[k - 1]] if k else "\n"  # (as made by the steps before)
        after = chars[marks[k + 1]] if k + 1 < len(marks) else "\n"
        if before == "“":
            chars[i] = "”"
        elif after == "”" and before != '"':
            chars[i] = "“"


_STRAY_REACH = 24  # characters a quotation opened by a mistyped ” may hold


def _stray_closers(chars: list[str]) -> None:
    """A quotation typed with two closing marks (实施”136”现代农业培育工程): a ” with no
    quotation open, followed on its line by another ” within a name's length and no
    sentence punctuation between, opens it. One pass over the marks."""
    marks = [i for i, c in enumerate(chars) if c in "“”\n"]
    open_ = False
    for k, i in enumerate(marks):
        if chars[i] == "\n":
            open_ = False
        elif chars[i] == "“":
            open_ = True
        elif open_:
            open_ = False
        elif k + 1 < len(marks) and _closes_a_name(chars, i, marks[k + 1]):
            chars[i] = "“"
            open_ = True


def _closes_a_name(chars: list[str], at: int, other: int) -> bool:
    """Whether the mark at ``other`` is a ” within a name's length of ``at``, with no
    sentence punctuation between."""
    return (
        chars[other] == "”"
        and other - at <= _STRAY_REACH
        and not any(c in "。！？；，\n" for c in chars[at + 1 : other])
    )


def _next_to_cjk(chars: list[str], i: int) -> bool:
    around = (chars[i - 1] if i else "") + (chars[i + 1] if i + 1 < len(chars) else "")
    return re.search(f"[{CJK}]", around) is not None


# --- helpers -----------------------------------------------------------------------------


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC (full-width ＋ and digits to ASCII) without whitespace: the form labels compare in."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def simplified(text: str) -> str:
    """The text in simplified characters, character for character (offsets unchanged)."""
    from polcat.chinese import simplify_chars

    return simplify_chars(text)


def has_cjk(text: str) -> bool:
    return re.search(f"[{CJK}]", text) is not None


def label_key(label: str) -> str:
    """How labels are told apart: noise removed, simplified, NFKC, no whitespace, the
    marks of ASCII and Chinese quotations alike."""
    text = clean(label).simple if ("(" in label or "（" in label or "[" in label or '"' in label) else simplified(label)
    return normalise(text).replace("“", '"').replace("”", '"')


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (offsets into ``text``)."""
    left = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_END) if i != -1]
    return left, (min(rights) + 1 if rights else len(text))


def sentence_at(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence around ``text[start:end]``; a long one is cut to the clauses around it."""
    ends = SENTENCE_END + "!?;"
    left = max(text.rfind(c, 0, start) for c in ends) + 1
    rights = [i for i in (text.find(c, end) for c in ends) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    if right - left > limit:
        room = max(0, (limit - (end - start)) // 2)
        clause_left = [text.rfind(c, left, max(left, start - room)) for c in "，,、"]
        clause_right = [i for i in (text.find(c, min(right, end + room), right) for c in "，,、") if i != -1]
        left = max([left] + [i + 1 for i in clause_left if i != -1])
        right = min([*clause_right, right])
    return text[left:right].strip()


class Sentences:
    """Sentence boundaries of a text, found once: each lookup is a binary search."""

    def __init__(self, text: str, ends: str = SENTENCE_END) -> None:
        self.text = text
        self.stops = [i for i, c in enumerate(text) if c in ends]

    def start(self, at: int) -> int:
        """Where the sentence holding ``at`` starts."""
        from bisect import bisect_left

        index = bisect_left(self.stops, at) - 1
        return self.stops[index] + 1 if index >= 0 else 0

    def end(self, at: int) -> int:
        """Where the sentence holding ``at`` ends (its closing mark, or the text's end)."""
        from bisect import bisect_left

        index = bisect_left(self.stops, at)
        return self.stops[index] if index < len(self.stops) else len(self.text)
