"""A strict, position-keeping YAML loader for hand-edited catalogue files.

PyYAML's ``safe_load`` is close to what a catalogue needs but not quite: it keeps the
last of two duplicate keys (silent data loss), turns ``2017-03-01`` into a
``datetime.date`` that no JSON Schema ``string`` accepts, forgets where each value
stood, and expands alias bombs until memory runs out. This module builds the values
itself from libyaml's event stream (no recursion, so deep nesting cannot overflow the
stack) and records the line and column of every key and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from polcat import textio
from polcat.problems import LoadError

try:  # libyaml's C parser is about ten times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# An alias bomb (billion laughs) is a few lines whose aliases expand to billions of
# values. Plain values are bounded by the file size limit; what aliases add is capped.
MAX_VALUES = 200_000
# Real entries nest four or five levels; thousands of '[' are an attack or an accident.
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MERGE = _TAG + "timestamp", _TAG + "merge"
_SCALAR_TAGS = {_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP}
_MAP_TAGS = {None, "!", _TAG + "map"}
_SEQ_TAGS = {None, "!", _TAG + "seq"}

# Plain scalars are resolved as YAML 1.2's core schema resolves them, not as PyYAML's
# YAML 1.1 resolver does: in 1.1 ``1:3`` is 63 (base 60), ``0045`` is 37 (octal) and
# ``No`` is false, so a value would silently change its meaning. In 1.2 those are text,
# except ``0045`` (the number 45), which is then refused as not written canonically.
_CORE_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_NONFINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# Text that YAML 1.1 readers (PyYAML, older tools) take for a number although 1.2 reads
# it as text: digits with underscores or a binary prefix. Refused, because two readers
# would disagree about it.
_YAML11_NUMBER = re.compile(r"[-+]?(?:0b[01_]+|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?|\.[0-9_]*_[0-9_]*)")
# Only these characters can start a non-text plain scalar: the rest skip the patterns.
_NON_TEXT_FIRST = frozenset("~nNtTfF0123456789+-.<")
# Control characters (but tab and newline) and bidirectional controls, which can hide or
# reorder what a reader sees (Trojan Source): never part of catalogue text.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(slots=True)
class Positions:
    """Where each value (and each mapping key) of a document stands, 1-based."""

    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: tuple, *, key: bool = False) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest ancestor that has one.

        ``key=True`` prefers the mapping key's position (``name:``) over its value's.
        """
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while True:
            if path in self.values:
                return self.values[path]
            if not path:
                return None
            path = path[:-1]


class Document:
    """One loaded YAML file: its data, and where each value stands (worked out lazily)."""

    __slots__ = ("_path", "_positions", "data")

    def __init__(self, path: Path | str, data: Any, positions: Positions | None = None):
        self._path = path  # a str until someone needs a Path: 10,000 Paths cost 50 ms
        self.data = data
        self._positions = positions

    @property
    def path(self) -> Path:
        if not isinstance(self._path, Path):
            self._path = Path(self._path)
        return self._path

    @property
    def path_str(self) -> str:
        return str(self._path)

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            try:
                text = textio.decode_utf8(textio.read_bytes(self.path, textio.MAX_YAML_BYTES))
                positions = parse_yaml(text, track=True)[1]  # never None when tracking
                self._positions = positions if positions is not None else Positions()
            except (LoadError, OSError):  # the file changed under us: no positions, not a crash
                self._positions = Positions()
        return self._positions


# libyaml's events are typed Any here: the hot loop in _Builder.run dispatches on
# ``type(event)``, which mypy does not narrow, and the parser always sets their marks.
Event = Any


class _Frame:
    __slots__ = ("anchor", "container", "count", "is_map", "key", "key_mark", "mark", "path")

    def __init__(self, container: Any, path: tuple, mark: Any, anchor: str | None, is_map: bool) -> None:
        self.container = container
        self.mark = mark  # (line, column) when tracking, else the event
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)  # set with the key, when tracking
        self.count = 1
        self.anchor = anchor
        self.is_map = is_map


_NO_KEY = object()


def _mark(event: Event) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _scalar(event: Event) -> Any:
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        if _BAD_CHARACTER.search(value):
            raise _bad_character(value, event)
        # Quoted scalars and most plain ones (Chinese text, words) are text.
        if tag is not None or not event.implicit[0] or (value and value[0] not in _NON_TEXT_FIRST):
            return value
        return _resolve_plain(value, event)
    if tag not in _SCALAR_TAGS:
        if tag == _MERGE:
            raise LoadError("yaml", "merge keys (<<) are not supported", *_mark(event), hint="write the keys out")
        raise LoadError(
            "yaml-tag",
            f"tag {_short_tag(tag)} is not allowed: catalogue files hold plain data only",
            *_mark(event),
            hint="remove the tag",
        )
    # Explicit standard tags (!!str, !!int ...): the same rules as the plain form.
    if _BAD_CHARACTER.search(value):
        raise _bad_character(value, event)
    if tag in (_STR, _TIMESTAMP):  # dates stay strings, as JSON Schema expects
        return value
    resolved = _resolve_plain(value, event)
    types: dict[str, type | tuple[type, ...]] = {_NULL: type(None), _BOOL: bool, _INT: int, _FLOAT: (float, int)}
    expected = types[tag]
    if not isinstance(resolved, expected) or (tag == _INT and isinstance(resolved, bool)):
        raise LoadError("yaml", f"{value!r} is not a valid {_short_tag(tag)}", *_mark(event))
    return float(cast("float", resolved)) if tag == _FLOAT else resolved  # an int or a float by now


def _resolve_plain(value: str, event: Event) -> Any:
    """A plain scalar's value under YAML 1.2's core schema; non-canonical numbers refused."""
    if value == "<<":  # a merge key to YAML 1.1 readers, a plain key to 1.2 ones
        raise LoadError("yaml", "merge keys (<<) are not supported", *_mark(event), hint="write the keys out")
    if value in _CORE_NULL:
        return None
    if value in _CORE_BOOL:
        return _CORE_BOOL[value]
    if _CORE_INT.fullmatch(value):
        number = int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if str(number) != value:
            raise _not_canonical(value, str(number), event)
        return number
    if _CORE_FLOAT.fullmatch(value):
        real = float(value)
        if repr(real) != value:
            raise _not_canonical(value, repr(real), event)
        return real
    if _CORE_NONFINITE.fullmatch(value):
        raise LoadError(
            "number-form",
            f"{value} is not a finite number",
            *_mark(event),
            hint="catalogue numbers are finite; put it in quotes if it is text",
        )
    if _YAML11_NUMBER.fullmatch(value):
        raise LoadError(
            "number-form",
            f"{value} is a number to some YAML readers and text to others",
            *_mark(event),
            hint=f'write the number without underscores, or put it in quotes to keep the text: "{value}"',
        )
    return value


def _not_canonical(text: str, canonical: str, event: Event) -> LoadError:
    return LoadError(
        "number-form",
        f"{text} is read as the number {canonical}, which is not how it is written",
        *_mark(event),
        hint=f'write {canonical}, or put it in quotes to keep the text: "{text}"',
    )


def _bad_character(value: str, event: Event) -> LoadError:
    match = _BAD_CHARACTER.search(value)
    assert match is not None  # callers found one
    found = match.group()
    return LoadError(
        "control-character",
        f"text holds the invisible control character U+{ord(found):04X}",
        *_mark(event),
        hint="remove it: control and bidirectional-override characters can hide or reorder text",
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def scalar_texts(text: str) -> Any:
    """The document with every number and text scalar as it is *written* (booleans and
    nulls as their values): what ``polcat fmt`` compares before and after, so that a
    value's text, not only its meaning, never changes."""
    builder = _Builder(text, False)
    builder.raw = True
    return builder.run()[0]


def parse_yaml(text: str, *, track: bool = True) -> tuple[Any, Positions | None]:
    """Parse one YAML document into plain Python data and (with ``track``) its positions.

    Raises :class:`LoadError` (with line and column) for anything a catalogue must not hold.
    Without ``track`` parsing is faster and lighter; a defect is then parsed again with
    tracking, so that the error is exactly the same.
    """
    try:
        if track:
            return _Builder(text, True).run()
        try:
            return _Builder(text, False).run()
        except LoadError:
            return _Builder(text, True).run()
    except _ParserTooDeep:
        # libyaml's own depth limit (PyYAML 6.0.3 and later) stops its scanner before
        # polcat's check sees the events. The pure-Python parser has no such limit and
        # streams events, so polcat's own check stops it at the same place whatever the
        # PyYAML release.
        return _Builder(text, True, yaml.SafeLoader).run()


class _ParserTooDeep(LoadError):
    """libyaml refused the nesting before polcat's own depth check could."""

    def __init__(self) -> None:
        super().__init__("too-deep", f"data is nested more than {MAX_DEPTH} levels deep")


class _Builder:
    """Turns libyaml events into values; optionally records where each one stood."""

    def __init__(self, text: str, track: bool, loader: type[yaml.SafeLoader | _Loader] = _Loader) -> None:
        self.loader = loader
        self.raw = False
        self.text = text
        self.track = track
        self.positions = Positions() if track else None
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.total = 0

    def run(self) -> tuple[Any, Positions | None]:
        documents = 0
        try:
            parser = self.loader(self.text)
            next_event = parser.get_event  # called directly: yaml.parse's generator costs a third
            while True:
                event: Event = next_event()
                cls = type(event)
                if cls is StreamEndEvent:
                    break
                if cls is ScalarEvent:
                    value = _scalar(event)
                    if self.raw and value is not None and not isinstance(value, bool):
                        value = event.value
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1)
                    self.add(value, event, 1)
                elif cls is MappingStartEvent:
                    self.start({}, event, True)
                elif cls is SequenceStartEvent:
                    self.start([], event, False)
                elif cls is MappingEndEvent or cls is SequenceEndEvent:
                    frame = self.stack.pop()
                    if frame.anchor:
                        self.anchors[frame.anchor] = (frame.container, frame.count)
                    self.add(frame.container, frame.mark, frame.count)
                elif cls is AliasEvent:
                    if event.anchor not in self.anchors:
                        raise LoadError("yaml", f"alias *{event.anchor} refers to no earlier anchor", *_mark(event))
                    value, count = self.anchors[event.anchor]
                    self.total += count
                    if self.total > MAX_VALUES:
                        raise LoadError(
                            "too-large",
                            f"aliases expand to more than {MAX_VALUES:,} values (an alias bomb?)",
                            *_mark(event),
                        )
                    self.add(value, event, count)
                elif cls is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise LoadError(
                            "yaml",
                            "more than one YAML document in the file",
                            *_mark(event),
                            hint="one entry per file; remove the '---' separator",
                        )
        except yaml.MarkedYAMLError as exc:
            raise self.syntax_error(exc) from None
        except yaml.reader.ReaderError as exc:  # a control character: it carries an offset, not a mark
            line, column = _line_column(self.text, exc.position)
            raise LoadError(
                "yaml", f"control character #x{exc.character:04x} is not allowed in YAML", line, column
            ) from None
        except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is one of the above
            raise LoadError("yaml", f"YAML error: {exc}") from None
        if documents == 0:
            raise LoadError("empty", "file is empty", 1, 1, hint="an entry is a YAML mapping of fields")
        return self.root, self.positions

    def add(self, value: Any, where: Event | tuple[int, int], count: int) -> None:
        """Attach a finished value to the container on top of the stack.

        ``where`` is the value's event, or its (line, column) for a finished collection.
        """
        stack = self.stack
        positions = self.positions  # None unless tracking
        if not stack:
            self.root = value
            if positions is not None:
                positions.values[()] = _where(where)
            return
        top = stack[-1]
        top.count += count
        if not top.is_map:
            if positions is not None:
                positions.values[(*top.path, len(top.container))] = _where(where)
            top.container.append(value)
            return
        if top.key is _NO_KEY:
            _check_key(value, where, top, positions)
            top.key = value
            if positions is not None:
                top.key_mark = _where(where)
            return
        top.container[top.key] = value
        if positions is not None:
            path = (*top.path, top.key)
            positions.values[path] = _where(where)
            positions.keys[path] = top.key_mark
        top.key = _NO_KEY

    def start(self, container: dict | list, event: Event, is_map: bool) -> None:
        tag = event.tag
        if tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            raise LoadError(
                "yaml-tag", f"tag {_short_tag(tag)} is not allowed: catalogue files hold plain data only", *_mark(event)
            )
        stack = self.stack
        if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
            raise LoadError("yaml", "a mapping or list cannot be a key", *_mark(event))
        if len(stack) >= MAX_DEPTH:
            raise LoadError("too-deep", f"data is nested more than {MAX_DEPTH} levels deep", *_mark(event))
        path: tuple = ()
        if self.track:
            top = stack[-1] if stack else None
            if top is None:
                path = ()
            elif top.is_map:
                path = (*top.path, top.key)
            else:
                path = (*top.path, len(top.container))
        stack.append(_Frame(container, path, _mark(event) if self.track else event, event.anchor, is_map))

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> LoadError:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if mark and self.text[mark.index : mark.index + 1] == "\t":
            problem = "tab character (YAML does not allow tabs for indentation)"
        if "nesting depth" in problem or "nest level" in problem:
            return _ParserTooDeep()
        return LoadError("yaml", f"YAML syntax error: {problem}", line, column, hint=_syntax_hint(problem))


def _where(where: Event | tuple[int, int]) -> tuple[int, int]:
    return where if isinstance(where, tuple) else _mark(where)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_key(value: Any, where: Event | tuple[int, int], frame: _Frame, positions: Positions | None) -> None:
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        raise LoadError(
            "yaml", f"mapping key {value!r} is read as {kind}, not text", *_where(where), hint="put the key in quotes"
        )
    if value in frame.container:
        first = positions.keys.get((*frame.path, value)) if positions else None
        raise LoadError(
            "duplicate-key",
            f"duplicate key {value!r}" + (f" (first at line {first[0]})" if first else ""),
            *_where(where),
            hint="YAML keeps only one of them; merge the two",
        )


def _syntax_hint(problem: str) -> str | None:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "could not find expected ':'" in problem:
        return "check the indentation and that every key ends with ':'"
    return None


def load_yaml_file(path: Path, *, track: bool = True) -> Document:
    """Read, decode and parse one YAML file; raise :class:`LoadError` on any defect.

    Without ``track`` the document's positions are worked out on first use, by parsing
    the file again: most documents never need them (no problem to report).
    """
    text = textio.decode_utf8(textio.read_bytes(path, textio.MAX_YAML_BYTES))
    data, positions = parse_yaml(text, track=track)
    return Document(path, data, positions)
