"""Catalogue text is data, never markup: one place for every output's escaping.

A catalogue is shared (a pull request, a downloaded repository) and the text in it may be
written to attack whoever runs polcat, opens its exports or renders its reports. Every
writer of human-facing text sends catalogue text through one of these functions:

- :func:`terminal`: control characters (ESC, so ANSI and OSC sequences; BEL, NUL, CR …),
  bidirectional overrides, line separators and lone surrogates shown as visible escapes
  (``\\x1b``, ``\\u202e``); :func:`rich_text` makes a rich ``Text`` of it, so that rich
  markup (``[link=…]``, ``[/bold]``) and emoji codes stay literal.
- :func:`csv_cell`: a text cell a spreadsheet would run as a formula (it starts with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'`` (OWASP's advice
  against CSV injection); numbers are left alone.
- :func:`md_inline`, :func:`md_block`, :func:`md_quote`, :func:`md_code`, :func:`md_url`:
  Markdown and raw HTML escaped, a newline never leaves its table row, heading, list item
  or blockquote.
- :func:`dot_string`, :func:`mermaid_id`, :func:`mermaid_label`, :func:`xml_text`:
  graph files whose ids and labels cannot inject statements, and well-formed GraphML.

Data formats (JSON, JSONL, YAML, SQLite, and CSV but for the formula guard) keep the text
exactly, with their own escaping: nothing here is applied to them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# Characters a terminal (or a reader of a text file) must never receive raw: C0 controls,
# DEL and C1 controls (ESC starts ANSI and OSC sequences; CR overwrites a line; BEL, NUL),
# bidirectional controls (Trojan Source: they reorder what a reader sees), the Unicode
# line and paragraph separators, and lone surrogates (a file name's undecodable bytes,
# which no UTF-8 stream can carry). Newline is kept where a text may span lines.
_UNSAFE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff"
_TERMINAL = re.compile(f"[{_UNSAFE}]")
_TERMINAL_LINE = re.compile(f"[{_UNSAFE}\n]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: Any, *, multiline: bool = False) -> str:
    """``value`` as text that is safe to print: every control or bidirectional character
    shown as a visible escape (``\\x1b``, ``\\u202e``). One line unless ``multiline``
    (then newlines are kept, and only they)."""
    text = "" if value is None else str(value)
    pattern = _TERMINAL if multiline else _TERMINAL_LINE
    return pattern.sub(_visible, text) if pattern.search(text) else text


def rich_text(value: Any, style: str = "", *, multiline: bool = False) -> Text:
    """A rich ``Text`` of ``value``, escaped for the terminal: never read as markup."""
    from rich.text import Text

    return Text(terminal(value, multiline=multiline), style=style)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(text: str) -> str:
    """JSON written with ``ensure_ascii=False``, made encodable: a lone surrogate (from a
    file name's undecodable bytes) becomes its ``\\udcXX`` escape, which JSON allows and
    which decodes back to the same string."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _SURROGATE.search(text) else text


# --- CSV --------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(…),
# =cmd|' /C calc'!A0, @SUM(…)); tab and CR are stripped by some before they look.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def csv_cell(value: Any, *, guard: bool = True) -> str:
    """A CSV cell's text: lists joined with '; ', None empty. With ``guard`` (the default),
    text starting like a formula gets a leading ``'``; numbers (``-5``, ``+3.2``) keep
    their form."""
    text = cell_text(value)
    if guard and text.startswith(FORMULA_START) and not (_is_number(value) or _NUMBER.fullmatch(text)):
        return "'" + text
    return text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """A value as one cell's text: lists joined with '; ', None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


# --- Markdown ---------------------------------------------------------------------------

# Inline Markdown and HTML: code, emphasis, strikethrough, raw HTML and autolinks (every
# '<'), entities, headings' closing hashes. Brackets only make a link or an image with
# '](' or '][' after them, or a reference definition with ']:' (which polcat never
# writes, so a bare [x] stays text): only that ']' is escaped, and text such as
# "[chishui-2017] title" reads as it is written.
_MD_INLINE = re.compile(r"[\\`*_<~#]|\](?=[(:\[])|&(?=#?[0-9A-Za-z]+;)")
_MD_ESCAPES = {"<": "&lt;", "&": "&amp;"}
# What opens a block at the start of a line once the inline escapes are done: a bullet
# or ordered list item, a blockquote, a setext underline or thematic break, a task-list
# box. Indentation (code) is dropped.
_MD_LINE_START = re.compile(r"[-+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)|[-=]+[ \t]*$|>|\[[ xX]\](?=[ \t]|$)")


def _md_escape(text: str, table: bool) -> str:
    text = terminal(text, multiline=True)
    escaped = _MD_INLINE.sub(lambda m: _MD_ESCAPES.get(m.group(), "\\" + m.group()), text)
    return escaped.replace("|", "\\|") if table else escaped


def _md_line_start(line: str) -> str:
    """A line that cannot open a block: leading blanks dropped, a list marker, setext
    underline or thematic break escaped."""
    line = line.lstrip(" \t")
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    marker = match.group()
    if marker[0].isdigit():  # 1. or 1) : escape the punctuation
        digits = marker.rstrip(".)")
        return f"{digits}\\{line[len(digits) :]}"
    return "\\" + line


def md_inline(value: Any, *, table: bool = False) -> str:
    """Text for one line of Markdown (a heading, list item, table cell): Markdown and
    HTML escaped, newlines made spaces, no block opened at its start. ``table`` also
    escapes '|'."""
    return _md_line_start(_md_escape(cell_text(value), table).replace("\n", " "))


def md_block(value: Any, *, first_line: bool = True) -> str:
    """Text for a paragraph, which may span lines: Markdown and HTML escaped, and no line
    can open a block of its own (heading, list, quote, code, table, HTML).
    ``first_line=False`` when the text follows a prefix on its first line."""
    lines = _md_escape(cell_text(value), True).split("\n")
    return "\n".join(line if i == 0 and not first_line else _md_line_start(line) for i, line in enumerate(lines))


def md_quote(value: Any) -> str:
    """A blockquote of ``value``: every line stays inside it."""
    return "\n".join(f"> {line}" if line else ">" for line in md_block(value).split("\n"))


def md_code(value: Any) -> str:
    """An inline code span holding ``value`` literally, however many backticks it has."""
    text = terminal(cell_text(value))
    if "`" not in text:
        return f"`{text}`"
    fence = "`" * (max(len(run) for run in re.findall("`+", text)) + 1)
    return f"{fence} {text} {fence}"


_SAFE_URL = re.compile(r"(?:https?|ftp)://[^\s<>\\`\x00-\x1f\x7f-\x9f]+", re.ASCII)


def md_url(value: Any) -> str:
    """An autolink (``<https://…>``) for a web address; anything else (javascript:, spaces,
    angle brackets) as escaped text."""
    text = cell_text(value)
    return f"<{text}>" if _SAFE_URL.fullmatch(text) else md_inline(text)


# --- Graphs -----------------------------------------------------------------------------


def dot_string(value: Any) -> str:
    """A Graphviz quoted string: quotes and backslashes escaped (so no escString such as
    \\N or \\G is expanded), newlines as Graphviz's \\n, controls shown visibly."""
    text = terminal(value, multiline=True)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def mermaid_id(node_id: str) -> str:
    """A Mermaid node id: ``n_`` and the slug with '_' for '-' (one-to-one, as slugs hold
    no '_'; the prefix keeps words such as ``end`` from reading as keywords). An id that
    is not a slug is written as the hex of its UTF-8 bytes, so it can never inject."""
    if _SLUG.fullmatch(node_id):
        return "n_" + node_id.replace("-", "_")
    return "x_" + node_id.encode("utf-8", "surrogatepass").hex()


# Inside a quoted Mermaid label: the quote ends it; '<' starts HTML; '#…;' is an entity;
# a backquote starts a Markdown string (and ``` would close a ```mermaid fence); '|'
# ends an edge label.
_MERMAID = re.compile(r'["<>`|]|#(?=#?[0-9A-Za-z]+;)')
_MERMAID_ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;", "|": "#124;", "#": "#35;"}


def mermaid_label(value: Any) -> str:
    """A quoted Mermaid label on one line (a newline reads as a space), entity-escaped
    where Mermaid would read syntax, controls shown visibly."""
    text = terminal(value, multiline=True).replace("\n", " ")
    return '"' + _MERMAID.sub(lambda m: _MERMAID_ENTITIES[m.group()], text) + '"'


# XML 1.0 allows tab, LF, CR and everything from U+0020 but surrogates, U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """Text XML can hold: each character XML forbids is replaced by its visible escape."""
    text = "" if value is None else str(value)
    return _XML_ILLEGAL.sub(_visible, text) if _XML_ILLEGAL.search(text) else text
