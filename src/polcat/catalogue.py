"""Loading a catalogue directory into records, without judging them.

Layout of a catalogue::

    localities.yaml            registry of places
    themes.yaml                registry of themes
    sources/<id>.yaml          one source each, its text in sources/<id>.txt
    mechanisms/**/<id>.yaml    one mechanism each

Loading never stops at the first bad file: every file that cannot be read becomes a
:class:`~polcat.problems.Problem` in ``Catalogue.problems`` and the rest still loads.
Judging what loaded is the validator's job (:mod:`polcat.validate`).
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from polcat import cache as filecache
from polcat import locate
from polcat.cache import FileCache
from polcat.problems import LoadError, Problem, Severity
from polcat.textio import MAX_TEXT_BYTES, decode_utf8, read_bytes
from polcat.yamlload import Document, load_yaml_file

MECHANISM, LOCALITY, THEME, SOURCE = "mechanism", "locality", "theme", "source"
# Levels of government, highest first; kinds and statuses of entries (the schemas' enums,
# which a test keeps equal to these).
LEVELS = ("national", "province", "prefecture", "county", "township", "village")
KINDS = ("numeric-code", "model", "campaign", "institution", "slogan")
STATUSES = ("draft", "reviewed")
YAML_SUFFIXES = (".yaml", ".yml")
# The list each registry file holds its records under.
REGISTRY_KEYS = {LOCALITY: "localities", THEME: "themes"}


@dataclass(slots=True)
class Record:
    """One mechanism, locality, theme or source, and where it was written."""

    kind: str
    data: dict
    document: Document
    base: tuple = ()  # the record's path inside its document, e.g. ("localities", 3)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def file(self) -> Path:
        return self.document.path

    def where(self, *path: Any, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of a field of this record (or of the record itself)."""
        pos = self.document.positions.of(self.base + path, key=key)
        return pos if pos else (None, None)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class Catalogue:
    """Everything read from one catalogue directory."""

    root: Path
    documents: list[tuple[str, Document]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mechanisms: dict[str, Record] = field(default_factory=dict)
    localities: dict[str, Record] = field(default_factory=dict)
    themes: dict[str, Record] = field(default_factory=dict)
    sources: dict[str, Record] = field(default_factory=dict)
    fields: dict[str, dict] = field(default_factory=dict)  # policy fields, from themes.yaml
    cache: FileCache | None = None

    def load(self, path: Path | str) -> Document | None:
        """Load one file of this catalogue, through the cache when there is one."""
        return load_document(path, self.problems, self.cache, self._relative(str(path)))

    def _relative(self, path: str) -> str | None:
        """The cache key of a file: its path below the root (None for files from outside)."""
        prefix = os.path.join(str(self.root), "")
        return path[len(prefix) :] if path.startswith(prefix) else None

    def save_cache(self) -> None:
        """Record what this run learnt (parsed files, schema verdicts) for the next one."""
        if self.cache is None:
            return
        for _, doc in self.documents:
            if not doc.learnt:
                continue
            rel = self._relative(doc.path_str)
            entry = self.cache.files.get(rel) if rel else None
            if entry and entry[1][0] == "ok":
                self.cache.files[rel] = (entry[0], ("ok", entry[1][1], doc.schema_ok, doc.derived))
                self.cache.dirty = True
            doc.learnt = False
        self.cache.save()

    def leave_out_invalid(self) -> list[Problem]:
        """Drop every record that does not match its schema; one warning per file.

        Commands other than ``validate`` read the catalogue tolerantly: a wrongly typed
        entry must cost a warning, not every command. What remains is data the typed
        read model can trust. A verdict is kept in the cache, so a warm run checks nothing.
        """
        from polcat.schema import fast_check_for

        left_out: list[Problem] = []
        bad_records: set[int] = set()
        for kind, doc in self.documents:
            if doc.schema_ok is None:
                doc.schema_ok, doc.learnt = fast_check_for(kind)(doc.data), True
            if doc.schema_ok:
                continue
            key = REGISTRY_KEYS.get(kind)
            records = [r for r in self.records if r.document is doc]
            if key is not None:  # a registry: only its broken items go
                check = fast_check_for(kind, None, key)
                records = [r for r in records if not check(r.data)]
            if records or key is None:
                what = ", ".join(r.id or "?" for r in records) if key is not None else "the file"
                left_out.append(
                    Problem(doc.path_str, None, None, "schema", f"does not match its schema; left out: {what}", Severity.WARNING)
                )
            bad_records.update(id(r) for r in records)
        if bad_records:
            self.records = [r for r in self.records if id(r) not in bad_records]
            for registry in (self.mechanisms, self.localities, self.themes, self.sources):
                for ident in [i for i, r in registry.items() if id(r) in bad_records]:
                    del registry[ident]
            for record in self.records:  # a duplicate id's second record may stand in
                if record.id is not None:
                    self.registry(record.kind).setdefault(record.id, record)
        return left_out

    def registry(self, kind: str) -> dict[str, Record]:
        return {MECHANISM: self.mechanisms, LOCALITY: self.localities, THEME: self.themes, SOURCE: self.sources}[kind]

    def of_kind(self, kind: str) -> Iterator[Record]:
        return (r for r in self.records if r.kind == kind)

    def add(self, record: Record) -> None:
        self.records.append(record)
        ident = record.id
        if ident is not None:
            self.registry(record.kind).setdefault(ident, record)  # the first wins; duplicates are a rule's job

    def source_text_path(self, source: Record) -> Path:
        """The file holding a source's cleaned text (``text:`` relative to its YAML, else ``<id>.txt``)."""
        name = source.get("text")
        if not isinstance(name, str) or not name:
            name = f"{source.id or source.file.stem}.txt"
        return source.file.parent / name

    def read_source_text(self, source: Record) -> str:
        """A source's cleaned text. Raises LoadError if it is missing, unreadable, not
        UTF-8, or lies outside the catalogue (polcat reads nothing a catalogue does not hold)."""
        path = self.source_text_path(source)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise LoadError(
                "source-text",
                f"source text {path.name} lies outside the catalogue ({resolved})",
                hint="keep the text in the catalogue's sources/ folder; no '..', absolute paths or links out",
            )
        if not path.exists():
            raise LoadError("source-text", f"source text file {path.name} is missing", hint=f"add the cleaned UTF-8 text as {path}")
        return decode_utf8(read_bytes(path, MAX_TEXT_BYTES))

    def ancestors(self, locality_id: str) -> list[Record]:
        """The locality and its parents up to the top, guarding against cycles."""
        chain: list[Record] = []
        seen: set[str] = set()
        current = self.localities.get(locality_id)
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            parent = current.get("parent")
            current = self.localities.get(parent) if isinstance(parent, str) else None
        return chain


def mechanism_files(root: Path) -> list[str]:
    """Every mechanism file below ``root/mechanisms``, sorted; symlinked folders are not followed."""
    found = []
    for folder, dirs, files in os.walk(root / "mechanisms"):
        # A folder named like an entry is where a file belongs: load it so that it is reported.
        misplaced = [d for d in dirs if d.endswith(YAML_SUFFIXES)]
        dirs[:] = sorted(d for d in dirs if d not in misplaced and not d.startswith("."))
        names = [f for f in files if f.endswith(YAML_SUFFIXES) and not f.startswith(".")] + misplaced
        found.extend(os.path.join(folder, name) for name in names)
    return sorted(found)  # strings: Path objects and their comparisons are slow at 10,000 files


def source_files(root: Path) -> list[Path]:
    folder = root / "sources"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


def load_document(path: Path | str, problems: list[Problem], cache: FileCache | None = None, rel: str | None = None) -> Document | None:
    """Load one file (from the cache when it is unchanged); a defect becomes a problem and ``None``."""
    st = None
    payload = None
    if cache is not None and rel is not None:
        try:
            st = os.stat(path)
            payload = cache.get(rel, st)
        except OSError:
            st = None
    if payload is None:
        try:
            payload = ("ok", load_yaml_file(Path(path), track=False).data, None)
        except LoadError as exc:
            payload = ("error", exc.rule, exc.message, exc.line, exc.column, exc.hint)
        if st is not None:
            cache.put(rel, st, payload)
    if payload[0] == "error":
        problems.append(LoadError(*payload[1:]).to_problem(str(path)))
        return None
    doc = Document(path, payload[1])
    doc.schema_ok = payload[2]
    doc.derived = payload[3] if len(payload) > 3 else None
    if not isinstance(doc.data, dict):
        found = "nothing" if doc.data is None else _describe(doc.data)
        line, column = doc.positions.of(()) or (1, 1)
        problems.append(
            Problem(str(path), line, column, "not-mapping", f"expected a mapping of fields at the top, found {found}")
        )
        return None
    return doc


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single string"
    return f"a {type(value).__name__}"


def _load_registry(cat: Catalogue, path: Path, kind: str, key: str) -> None:
    if not path.exists():
        cat.problems.append(Problem(str(path), None, None, "missing-file", f"the catalogue has no {path.name}"))
        return
    doc = cat.load(path)
    if doc is None:
        return
    cat.documents.append((kind, doc))
    items = doc.data.get(key)
    if not isinstance(items, list):
        return  # the schema rule reports the missing or malformed list
    for index, item in enumerate(items):
        if isinstance(item, dict):
            cat.add(Record(kind, item, doc, (key, index)))


def load_catalogue(
    root: Path | None = None, *, extra_files: list[Path] = (), use_cache: bool = True, save_cache: bool = True
) -> Catalogue:
    """Load the catalogue at ``root`` (default: ``$POLCAT_CATALOGUE`` or the shipped one).

    ``extra_files`` are mechanism files outside the catalogue, loaded as if they were in it
    (``polcat validate my-new-entry.yaml``).
    """
    # Loading builds hundreds of thousands of small dicts and lists, none of them cyclic:
    # the cyclic garbage collector would walk them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cat = _load(locate.default_catalogue(root), list(extra_files), use_cache)
        if save_cache:  # callers that learn more (validate) save once, at their end
            cat.save_cache()
        return cat
    finally:
        gc.freeze()  # and later collections need not walk the loaded catalogue either
        if collecting:
            gc.enable()


def _load(root: Path, extra_files: list[Path], use_cache: bool) -> Catalogue:
    cat = Catalogue(Path(root))
    if not cat.root.is_dir():
        raise FileNotFoundError(f"catalogue directory not found: {cat.root}")
    if use_cache:
        cat.cache = filecache.open_cache(cat.root, locate.schemas_dir())
    _load_registry(cat, cat.root / "localities.yaml", LOCALITY, REGISTRY_KEYS[LOCALITY])
    _load_registry(cat, cat.root / "themes.yaml", THEME, REGISTRY_KEYS[THEME])
    for kind, doc in cat.documents:
        items = doc.data.get("fields") if kind == THEME else None
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                cat.fields.setdefault(item["id"], item)
    for path in source_files(cat.root):
        doc = cat.load(path)
        if doc is not None:
            cat.documents.append((SOURCE, doc))
            cat.add(Record(SOURCE, doc.data, doc))
    files: list = mechanism_files(cat.root)
    inside = {Path(p).resolve() for p in files} if extra_files else set()
    files += [p for p in extra_files if p.resolve() not in inside]  # an extra file may be in the catalogue
    for path in files:
        doc = cat.load(path)
        if doc is not None:
            cat.documents.append((MECHANISM, doc))
            cat.add(Record(MECHANISM, doc.data, doc))
    return cat
