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

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from polcat import cache as filecache
from polcat import locate
from polcat.cache import Cached, FileCache
from polcat.files import (  # the file layer, re-exported for scripts that used it from here
    Probe,
    load_cached,
    mechanism_files,
    probe,
    source_files,
)
from polcat.problems import LoadError, Problem, Severity
from polcat.textio import MAX_TEXT_BYTES, decode_utf8, read_bytes
from polcat.yamlload import Document

if TYPE_CHECKING:
    from polcat.model import CatalogueInfo, Entry, Field, Locality, Source, Theme
    from polcat.progress import Progress

T = TypeVar("T")

MECHANISM, LOCALITY, THEME, SOURCE, META = "mechanism", "locality", "theme", "source", "meta"
META_FILE = "catalogue.yaml"  # optional: the catalogue's title, release and licence
# Levels of government, highest first; kinds and statuses of entries (the schemas' enums,
# which a test keeps equal to these).
LEVELS = ("national", "province", "prefecture", "county", "township", "village")
KINDS = ("numeric-code", "model", "campaign", "institution", "slogan")
STATUSES = ("draft", "reviewed")
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
    meta: dict[str, Any] = field(default_factory=dict)  # catalogue.yaml, when there is one
    cache: FileCache | None = None
    # What is known of each file beyond its data, by path: from the cache, or found in
    # this run (``_learnt``), which save_cache() hands back to the cache.
    schema_verdicts: dict[str, bool] = field(default_factory=dict)
    search_keys: dict[str, tuple] = field(default_factory=dict)
    _learnt: set[str] = field(default_factory=set)
    _typed: dict[tuple[str, str], Any] = field(default_factory=dict)
    # What leave_out_invalid() has judged so far, and what it left out: it is called
    # once the registries are read and again once the chosen entries are (polcat.index).
    _judged: set[str] = field(default_factory=set)
    _left_out: list[Problem] = field(default_factory=list)
    _real_root: str | None = None
    # True when only the entries a query needs were loaded (:mod:`polcat.index`): a
    # question about the whole catalogue (did you mean?) must load it all.
    partial: bool = False

    def load(self, path: Path | str, probed: Probe | None = None, parsed: Cached | None = None) -> Document | None:
        """Load one file of this catalogue, through the cache when there is one.

        ``probed``: what :meth:`probe` found for the file, if already asked; ``parsed``:
        the file parsed elsewhere (a worker process), used when the cache has nothing.
        """
        rel = self._relative(str(path))
        cached = load_cached(path, self.problems, self.cache, rel, probed, parsed)
        if cached is None:
            return None
        doc, item = cached
        if item is not None:
            if item.schema_ok is not None:
                self.schema_verdicts[doc.path_str] = item.schema_ok
            if item.search_keys is not None:
                self.search_keys[doc.path_str] = item.search_keys
        return doc

    def probe(self, path: Path | str) -> Probe:
        """The file's stat and what the cache holds for it if still current (``hit``)."""
        return probe(path, self.cache, self._relative(str(path)))

    def load_entry(
        self, path: Path | str, probed: Probe | None = None, parsed: Cached | None = None
    ) -> Document | None:
        """Load one mechanism file and add its entry (see :meth:`load`)."""
        doc = self.load(path, probed, parsed)
        if doc is not None:
            self.documents.append((MECHANISM, doc))
            self.add(Record(MECHANISM, doc.data, doc))
        return doc

    def learn_schema_verdict(self, doc: Document, ok: bool) -> None:
        self.schema_verdicts[doc.path_str] = ok
        self._learnt.add(doc.path_str)

    def learn_search_keys(self, record: Record, keys: tuple) -> None:
        self.search_keys[record.document.path_str] = keys
        self._learnt.add(record.document.path_str)

    def _relative(self, path: str) -> str | None:
        """The cache key of a file: its path below the root (None for files from outside)."""
        prefix = os.path.join(str(self.root), "")
        return path[len(prefix) :] if path.startswith(prefix) else None

    def save_cache(self) -> None:
        """Record what this run learnt (parsed files, schema verdicts, search keys) for the next one."""
        if self.cache is None:
            return
        for path in self._learnt:
            rel = self._relative(path)
            if rel is not None:
                self.cache.learn(rel, schema_ok=self.schema_verdicts.get(path), search_keys=self.search_keys.get(path))
        self._learnt.clear()
        self.cache.save()

    # --- the typed read model (polcat.model), built as each item is first asked for ---

    def _typed_of(self, kind: str, ident: str, record: Record | None, build: Callable[[Record], T]) -> T | None:
        if record is None:
            return None
        key = (kind, ident)
        item: T | None = self._typed.get(key)
        if item is None:
            item = self._typed[key] = build(record)
        return item

    def entry(self, ident: str) -> Entry | None:
        """The entry with this id (or a former id)."""
        from polcat.model import Entry

        record = self.mechanisms.get(ident)
        if record is None:
            record = self.former_ids().get(ident)
        return self._typed_of(MECHANISM, record.id or ident, record, Entry.from_record) if record else None

    def entries(self) -> list[Entry]:
        """Every entry, in file order."""
        from polcat.model import Entry

        typed = (self._typed_of(MECHANISM, i, r, Entry.from_record) for i, r in self.mechanisms.items())
        return [entry for entry in typed if entry is not None]

    def locality(self, ident: str | None) -> Locality | None:
        from polcat.model import Locality

        return self._typed_of(LOCALITY, ident or "", self.localities.get(ident or ""), Locality.from_record)

    def all_localities(self) -> list[Locality]:
        return [place for i in self.localities if (place := self.locality(i)) is not None]

    def theme(self, ident: str | None) -> Theme | None:
        from polcat.model import Theme

        return self._typed_of(THEME, ident or "", self.themes.get(ident or ""), Theme.from_record)

    def all_themes(self) -> list[Theme]:
        return [theme for i in self.themes if (theme := self.theme(i)) is not None]

    def source(self, ident: str | None) -> Source | None:
        from polcat.model import Source

        return self._typed_of(SOURCE, ident or "", self.sources.get(ident or ""), Source.from_record)

    def all_sources(self) -> list[Source]:
        return [source for i in self.sources if (source := self.source(i)) is not None]

    def info(self) -> CatalogueInfo | None:
        """The catalogue's title, release and licence (catalogue.yaml), if it is valid."""
        from polcat.model import CatalogueInfo

        return (
            CatalogueInfo.of(self.meta)
            if self.meta and self.schema_verdicts.get(str(self.root / META_FILE)) is not False
            else None
        )

    def all_fields(self) -> list[Field]:
        from polcat.model import Field

        return [Field.of(data) for data in self.fields.values()]

    def former_ids(self) -> dict[str, Record]:
        """Former id -> the renamed entry's record (ids that are taken are not former ids)."""
        found = self._typed.get(("former", ""))
        if found is None:
            found = {}
            for record in self.mechanisms.values():
                former = record.data.get("former_ids")
                for old in former if isinstance(former, list) else ():
                    if isinstance(old, str) and old not in self.mechanisms:
                        found.setdefault(old, record)
            self._typed[("former", "")] = found
        return found

    def chain(self, locality_id: str | None) -> list[Locality]:
        """The locality and its ancestors, nearest first (see :meth:`ancestors`)."""
        return [place for r in self.ancestors(locality_id or "") if (place := self.locality(r.id)) is not None]

    def leave_out_invalid(self) -> list[Problem]:
        """Drop every record that does not match its schema; one warning per file.

        Commands other than ``validate`` read the catalogue tolerantly: a wrongly typed
        entry must cost a warning, not every command. What remains is data the typed
        read model can trust. A verdict is kept in the cache, so a warm run checks nothing.
        Calling it again judges only the files read since, and returns every warning.
        """
        from polcat.schema import fast_check_for

        bad_records: set[int] = set()
        for kind, doc in self.documents:
            if doc.path_str in self._judged:
                continue
            self._judged.add(doc.path_str)
            ok = self.schema_verdicts.get(doc.path_str)
            if ok is None:
                ok = fast_check_for(kind)(doc.data)
                self.learn_schema_verdict(doc, ok)
            if ok:
                continue
            key = REGISTRY_KEYS.get(kind)
            records = [r for r in self.records if r.document is doc]
            if key is not None:  # a registry: only its broken items go
                check = fast_check_for(kind, None, key)
                records = [r for r in records if not check(r.data)]
            # Items that are not mappings were never read as records (_load_registry).
            items = doc.data.get(key) if key is not None else None
            shapeless = [
                f"item {i + 1}"
                for i, item in enumerate(items if isinstance(items, list) else ())
                if not isinstance(item, dict)
            ]
            if records or shapeless or key is None:
                what = ", ".join([r.id or "?" for r in records] + shapeless) if key is not None else "the file"
                self._left_out.append(
                    Problem(
                        doc.path_str,
                        None,
                        None,
                        "schema",
                        f"does not match its schema; left out: {what}",
                        Severity.WARNING,
                    )
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
        return list(self._left_out)

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
            raise LoadError(
                "source-text", f"source text file {path.name} is missing", hint=f"add the cleaned UTF-8 text as {path}"
            )
        return decode_utf8(read_bytes(path, MAX_TEXT_BYTES))

    def leads_outside(self, path: Path, *, folder: bool = False) -> bool:
        """Whether ``path``, links resolved, lies outside the catalogue; if it does, that is
        a problem (with the file and line 1) and nothing in it is read. A catalogue is
        shared: a link in it to ``~/.config/…`` must not print or export what it points at."""
        if not os.path.lexists(path):
            return False
        root = self._real_root = self._real_root or os.path.realpath(self.root)
        real = os.path.realpath(path)
        if real == root or real.startswith(os.path.join(root, "")):
            return False
        what = "a folder" if folder else "a file"
        self.problems.append(
            Problem(
                str(path),
                None if folder else 1,
                None,
                "unreadable",
                f"is a link to {what} outside the catalogue ({real}); polcat reads nothing a catalogue does not hold",
                hint=f"keep {'its files' if folder else 'the file'} in the catalogue: copy {'them' if folder else 'it'} here instead of linking",
            )
        )
        return True

    def ancestors(self, locality_id: str) -> list[Record]:
        """The locality and its parents up to the top, guarding against cycles."""
        chain: list[Record] = []
        seen: set[str | None] = set()
        current = self.localities.get(locality_id)
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            parent = current.get("parent")
            current = self.localities.get(parent) if isinstance(parent, str) else None
        return chain


def _load_registry(cat: Catalogue, path: Path, kind: str, key: str) -> None:
    if not path.exists() and not path.is_symlink():
        cat.problems.append(Problem(str(path), None, None, "missing-file", f"the catalogue has no {path.name}"))
        return
    if cat.leads_outside(path):
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
    root: Path | None = None,
    *,
    extra_files: Sequence[Path] = (),
    use_cache: bool = True,
    save_cache: bool = True,
    progress: Progress | None = None,
) -> Catalogue:
    """Load the catalogue at ``root`` (default: ``$POLCAT_CATALOGUE`` or the shipped one).

    ``extra_files`` are mechanism files outside the catalogue, loaded as if they were in it
    (``polcat validate my-new-entry.yaml``). ``progress`` hears (files read, files in all)
    when the load starts cold (no cache, or an empty one): the load that takes seconds.
    """
    cat = load_serially(locate.default_catalogue(root), list(extra_files), use_cache, progress)
    if save_cache:  # callers that learn more (validate, queries) save once, at their end
        cat.save_cache()
    return cat


def load_serially(root: Path, extra_files: list[Path], use_cache: bool, progress: Progress | None = None) -> Catalogue:
    """Open a catalogue and load its entries (and any extra files) in this process."""
    cat = open_catalogue(root, use_cache)
    paths = entry_files(cat, extra_files)
    # Cold: no cache, or one that holds no entry yet (the registries are read already).
    cold = cat.cache is None or not any(rel.startswith("mechanisms/") for rel in cat.cache.files)
    for done, path in enumerate(paths, 1):
        cat.load_entry(path)
        if progress and cold:
            progress(done, len(paths))
    return cat


def open_catalogue(root: Path, use_cache: bool, file_cache: FileCache | None = None) -> Catalogue:
    """A catalogue with its registries and sources loaded, but no entries yet
    (``file_cache``: read them through this cache instead of the usual one)."""
    cat = Catalogue(Path(root))
    if not cat.root.is_dir():
        raise FileNotFoundError(f"catalogue directory not found: {cat.root}")
    if file_cache is not None:
        cat.cache = file_cache
    elif use_cache:
        cat.cache = filecache.open_cache(cat.root, locate.schemas_dir())
    meta_path = cat.root / META_FILE
    if meta_path.exists():
        doc = cat.load(meta_path)
        if doc is not None:
            cat.documents.append((META, doc))
            cat.meta = doc.data
    _load_registry(cat, cat.root / "localities.yaml", LOCALITY, REGISTRY_KEYS[LOCALITY])
    _load_registry(cat, cat.root / "themes.yaml", THEME, REGISTRY_KEYS[THEME])
    for kind, doc in cat.documents:
        items = doc.data.get("fields") if kind == THEME else None
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                cat.fields.setdefault(item["id"], item)
    links: set[str] = set()
    sources = [] if cat.leads_outside(cat.root / "sources", folder=True) else source_files(cat.root, links)
    for path in sources:
        if path in links and cat.leads_outside(Path(path)):
            continue
        doc = cat.load(path)
        if doc is not None:
            cat.documents.append((SOURCE, doc))
            cat.add(Record(SOURCE, doc.data, doc))
    return cat


def entry_files(cat: Catalogue, extra_files: list[Path]) -> list:
    """The mechanism files to load, in loading order: the catalogue's, then extra ones.
    An entry or folder linked from outside the catalogue is reported, never read."""
    links: list[str] = []
    files: list = [] if cat.leads_outside(cat.root / "mechanisms", folder=True) else mechanism_files(cat.root, links)
    if links:
        listed = set(files)
        out = {link for link in links if cat.leads_outside(Path(link), folder=link not in listed)}
        files = [f for f in files if f not in out]
    inside = {Path(p).resolve() for p in files} if extra_files else set()
    return files + [p for p in extra_files if p.resolve() not in inside]  # an extra file may be in the catalogue
