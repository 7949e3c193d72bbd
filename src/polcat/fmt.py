"""One canonical layout for entry files: key order, indentation, quoting and folding.

``polcat fmt`` rewrites entries so that reviews show what changed in the data, not in
the layout. The rules:

- keys in the order of the mechanism schema's properties (id, status, name, aliases,
  kind, summary, components, locality, level, year, themes, outcomes, sources,
  relations, notes), nested keys in their schema order too; keys the schema does not
  know keep their order, after the known ones;
- block style with 2-space indentation, lists indented under their key;
- a string is quoted only when YAML would read it as something else (``"2016"``,
  ``"yes"``, ``": "``), or when it is a code made only of digits and ``+ X % .``
  (``"1233"``, ``"4+"``), which a reader could take for a number;
- prose longer than the line (:data:`WIDTH` columns, CJK characters counting two) is
  folded (``>-``) at single spaces between words; Chinese text stays on one line
  however long (its rare spaces are part of a quote); text with line breaks is written
  literally (``|``).

Formatting never changes a value: the result is loaded again and compared with the
original before anything is written (:func:`format_text` raises otherwise). PyYAML
drops comments, so a file with comments is left alone unless the caller forces it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import yaml

WIDTH = 88
_STR_TAG = "tag:yaml.org,2002:str"
# Values such as 1233, 4+, 1+X or 80%: labels that read like numbers or sums.
_CODE = re.compile(r"(?=.*[0-9+])[0-9+xX.% ]+")
# Prose that can be folded without changing its value: words joined by single spaces.
_FOLDABLE = re.compile(r"\S+(?: \S+)+")


class FormatError(ValueError):
    """Formatting would change the file's data (a bug, reported rather than written)."""


# --- key order -----------------------------------------------------------------------


@cache
def key_order(kind: str = "mechanism") -> dict:
    """A schema's property order as a tree: ``{key: (rank, children)}``."""
    from polcat import locate
    from polcat.schema import SCHEMA_FILES, load_schemas

    schemas = load_schemas(locate.schemas_dir())
    return _order_of(schemas[SCHEMA_FILES[kind]], schemas)


def _order_of(schema: dict, schemas: dict) -> dict:
    schema = _deref(schema, schemas)
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return _order_of(schema["items"], schemas)
    properties = schema.get("properties") or {}
    return {key: (rank, _order_of(sub, schemas)) for rank, (key, sub) in enumerate(properties.items())}


def _deref(schema: dict, schemas: dict) -> dict:
    ref = schema.get("$ref")
    if not ref:
        return schema
    file, _, pointer = ref.partition("#")
    target: dict = schemas.get(file) or next(iter(s for s in schemas.values() if s.get("$id", "").endswith(file)), {})
    for part in filter(None, pointer.split("/")):
        target = target.get(part, {})
    return _deref(target, schemas)


def canonical(value: Any, order: dict | None = None) -> Any:
    """``value`` with every mapping's keys in schema order (values untouched)."""
    order = key_order() if order is None else order
    if isinstance(value, list):
        return [canonical(item, order) for item in value]
    if not isinstance(value, dict):
        return value
    known = sorted((k for k in value if k in order), key=lambda k: order[k][0])
    unknown = [k for k in value if k not in order]
    return {k: canonical(value[k], order[k][1] if k in order else {}) for k in known + unknown}


# --- writing ---------------------------------------------------------------------------


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_words(text: str, width: int) -> list[str]:
    """Greedy word wrap at single spaces; a word longer than the width gets its own line."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and display_width(line) + 1 + display_width(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def is_prose(text: str) -> bool:
    """Words joined by single spaces, mostly not CJK: text that folding keeps readable.

    Chinese is written without spaces; its occasional spaces (``4800 名``) are part of a
    quote, and breaking the line there would hide them.
    """
    if not _FOLDABLE.fullmatch(text):
        return False
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return wide * 2 < len(text) - text.count(" ")


@cache
def _dumper_class() -> type[yaml.SafeDumper]:
    import yaml

    class EntryDumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            return super().increase_indent(flow, False)  # lists indented under their key

        def choose_scalar_style(self) -> str:
            style = super().choose_scalar_style()
            # PyYAML calls this for a scalar event, after analysing it (its stubs say "maybe None").
            event = cast("yaml.ScalarEvent", self.event)
            analysis = cast("yaml.emitter.ScalarAnalysis", self.analysis)
            if event.tag != _STR_TAG or self.flow_level or self.simple_key_context:
                return style
            value = event.value
            if analysis.allow_block and self.column + 1 + display_width(value) > WIDTH and is_prose(value):
                return ">"
            if style == "'" or (style == "" and _CODE.fullmatch(value)):
                return '"'  # one quoting style throughout
            return style

        def write_plain(self, text: str, split: bool = True) -> None:
            super().write_plain(text, split and is_prose(text))  # Chinese stays on its line

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            super().write_double_quoted(text, split and is_prose(text))

        def write_folded(self, text: str) -> None:
            # PyYAML breaks a line only once it is already past the width; wrap before.
            self.write_indicator(">" + self.determine_block_hints(text), True)
            for line in wrap_words(text, WIDTH - (self.indent or 0)):
                self.write_line_break()
                self.write_indent()
                self.column += len(line)
                self.stream.write(line)
            self.write_line_break()

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar(_STR_TAG, value, style="|" if "\n" in value else None)

    EntryDumper.add_representer(str, represent_str)
    return EntryDumper


def dump_entry(data: Any, kind: str = "mechanism") -> str:
    """The canonical text of an entry, or of another record ``kind`` (keys put in its
    schema's order)."""
    import yaml

    return yaml.dump(
        canonical(data, key_order(kind)),
        Dumper=_dumper_class(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=WIDTH,
        indent=2,
    )


def format_text(text: str) -> str:
    """The canonical form of an entry's YAML text; raises FormatError if the data would change."""
    from polcat.yamlload import parse_yaml, scalar_texts

    before = parse_yaml(text, track=False)[0]
    result = dump_entry(before)
    after = parse_yaml(result, track=False)[0]
    if after != before or _types(after) != _types(before) or scalar_texts(result) != scalar_texts(text):
        raise FormatError("formatting would change the data; the file is left as it is (please report this)")
    return result


def _types(value: Any) -> Any:
    """The shape of ``value`` with types (``1 == 1.0 == True`` in Python, not in YAML)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def first_comment(text: str) -> int | None:
    """The line of the first ``#`` comment in YAML ``text``, or None (PyYAML would drop it)."""
    import yaml

    Loader: type[yaml.SafeLoader | yaml.CSafeLoader]
    try:
        Loader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        Loader = yaml.SafeLoader
    spans = [
        (token.start_mark.index, token.end_mark.index)
        for token in yaml.scan(text, Loader=Loader)
        if isinstance(token, yaml.ScalarToken)
    ]
    starts = [start for start, _ in spans]
    import bisect

    for match in re.finditer(r"(?:^|(?<=[ \t]))#", text, re.M):
        at = match.start()
        index = bisect.bisect_right(starts, at) - 1
        if index < 0 or not (spans[index][0] <= at < spans[index][1]):
            return text.count("\n", 0, at) + 1
    return None


# --- files -----------------------------------------------------------------------------


@dataclass
class FileResult:
    """What formatting did (or would do) to one file."""

    path: Path
    status: str  # "unchanged", "changed", "skipped" (has comments), "error"
    message: str = ""
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        return ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)


def is_entry_file(path: Path) -> bool:
    """Whether ``path`` is a mechanism entry of some catalogue (below its ``mechanisms/``)."""
    from polcat.files import YAML_SUFFIXES
    from polcat.locate import find_catalogue_root

    root = find_catalogue_root(path.parent)
    return root is not None and path.suffix in YAML_SUFFIXES and path.resolve().is_relative_to(root / "mechanisms")


def format_file(path: Path, *, write: bool = True, force: bool = False) -> FileResult:
    """Format one entry file in place (atomically); with ``write=False`` only tell.

    Only entries of a catalogue are formatted: any other YAML file is refused, since the
    entry layout would reorder and restyle data it knows nothing about.
    """
    from polcat.problems import LoadError
    from polcat.textio import MAX_YAML_BYTES, atomic_write, decode_utf8, read_bytes

    if not is_entry_file(path):
        return FileResult(
            path, "error", "not a catalogue entry (fmt formats the files under a catalogue's mechanisms/ folder)"
        )
    if path.is_symlink():
        return FileResult(path, "error", "is a symbolic link; format the file it points to instead")
    try:
        text = decode_utf8(read_bytes(path, MAX_YAML_BYTES))
        result = format_text(text)
    except LoadError as exc:
        return FileResult(path, "error", exc.message, exc.line, exc.column)
    except FormatError as exc:
        return FileResult(path, "error", str(exc))
    if result == text:
        return FileResult(path, "unchanged")
    comment = first_comment(text) if write and not force else None
    if comment is not None:
        return FileResult(
            path, "skipped", "has comments, which formatting would drop (move them into notes, or use --force)", comment
        )
    if write:
        atomic_write(path, result, force=True)  # replacing the file is the point; its data is unchanged
    return FileResult(path, "changed")


def entry_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named by ``paths``: files as given, folders searched recursively; a
    catalogue folder means its entries (its registries follow no entry schema)."""
    from polcat.files import YAML_SUFFIXES
    from polcat.locate import is_catalogue_root

    found: list[Path] = []
    for path in paths:
        if is_catalogue_root(path):
            path = path / "mechanisms"
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))
