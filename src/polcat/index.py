"""An SQLite index of a catalogue's entries, so that a query reads what it needs.

``show``, ``related``, ``search`` and filtered ``list`` (and ``matrix``) ask the index
which entries can matter to them, load just those, and then run the very code that
answers over a whole catalogue (:mod:`polcat.filters`, :mod:`polcat.search`,
:mod:`polcat.relations`, :mod:`polcat.views`). SQL only narrows to a superset of the
entries the answer needs, so ids, order, scores and warnings are the same as without the
index (``tests/test_index.py`` compares them over generated catalogues).

What it holds, one SQLite file per catalogue beside the parsed-file cache
(:mod:`polcat.cache`), under the same rules of trust:

- ``files``: the columns filters need (id, locality, origin, level, kind, status, year),
  then each mechanism file's parse (data or load error, schema verdict, search keys: the
  item :class:`~polcat.cache.Cached` keeps, marshalled) and a valid entry's JSON (what
  `list -f json` prints); ``ok`` marks a schema-valid entry and ``live`` one that queries
  see (the first valid file of its id). The large values come last: a column after them
  would sit on their overflow pages, and a scan reading ``ok`` would read every blob;
- ``texts``: each entry's folded text and toneless pinyin, scanned with ``instr`` (names
  are mostly two to four characters: an FTS5 trigram index would miss them), narrow so
  that the scan is short; ``stems``: the English words, scanned only for a Latin query;
- ``names``, ``formers``, ``themes``, ``cites``, ``parts`` (folded component names) and
  ``links`` (written relations; their inverses are the rows whose target is an entry);
- ``docs``: the other files (catalogue.yaml, the registries, sources) as the file cache
  keeps them. Localities and their ancestors are worked out from the registry, which is
  small, and a locality filter becomes ``locality IN (…)``;
- ``meta``: the version (polcat's code, schemas and Python: :func:`polcat.cache.code_version`)
  and the mechanism files' paths; ``stamps``: their stamps (size, mtime, ctime, inode),
  packed in blocks, so that an edit rewrites one block.

Freshness: every query lists the mechanism folders (``os.scandir``) and stats every file,
as a correct cache must (a directory's stamp cannot see an edit in place), and compares
the paths and stamps, packed, with the stored ones: two comparisons of bytes. Files whose stamp changed, new
ones and gone ones are re-read, re-indexed or dropped in one transaction; nothing else is
read. The other files go through :class:`DocCache`, stamped the same way. An index from
another version, or one SQLite cannot read (truncated, garbled), is rebuilt from the
files into a temporary file that then replaces it. Links in the mechanism folders, or
anything the index cannot do, send the query to the ordinary full load.
"""

from __future__ import annotations

import copy
import hashlib
import json
import marshal
import os
import sqlite3
import stat as stat_module
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polcat import cache as filecache
from polcat import locate
from polcat.cache import Cached, FileCache, trusted, trusted_dir
from polcat.catalogue import MECHANISM, Catalogue, Record, open_catalogue
from polcat.files import ENTRY, FOLDER, Probe, listing_kind, mechanism_files, parse_file
from polcat.textio import remove_stale_temporaries
from polcat.yamlload import Document

if TYPE_CHECKING:
    from polcat.filters import Filters
    from polcat.model import Entry
    from polcat.progress import Progress

# Picks the entries a query needs: (the index, the catalogue with its registries) -> rows.
Chooser = Callable[["Index", Catalogue], set[int]]

FORMAT = 3
Stamp = tuple[int, int, int, int]

TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE stamps(block INTEGER PRIMARY KEY, packed BLOB NOT NULL);
CREATE TABLE docs(rel TEXT PRIMARY KEY, item BLOB NOT NULL);
CREATE TABLE files(
    n INTEGER PRIMARY KEY, rel TEXT UNIQUE NOT NULL,
    ok INTEGER NOT NULL, live INTEGER NOT NULL DEFAULT 0, id TEXT,
    locality TEXT, origin TEXT, level TEXT, kind TEXT, status TEXT, year INTEGER,
    item BLOB NOT NULL, json TEXT
);
CREATE INDEX files_id ON files(id);
CREATE INDEX files_locality ON files(locality);
CREATE INDEX files_origin ON files(origin);
CREATE INDEX files_bad ON files(ok) WHERE ok = 0;
CREATE TABLE texts(n INTEGER PRIMARY KEY, haystack TEXT NOT NULL, syllables TEXT NOT NULL);
CREATE TABLE stems(n INTEGER PRIMARY KEY, stems TEXT NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX names_key ON names(key);
CREATE INDEX names_n ON names(n);
CREATE TABLE formers(old TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX formers_old ON formers(old);
CREATE INDEX formers_n ON formers(n);
CREATE TABLE themes(theme TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX themes_theme ON themes(theme, n);
CREATE INDEX themes_n ON themes(n);
CREATE TABLE cites(source TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX cites_source ON cites(source);
CREATE INDEX cites_n ON cites(n);
CREATE TABLE parts(key TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX parts_key ON parts(key);
CREATE INDEX parts_n ON parts(n);
CREATE TABLE links(n INTEGER NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX links_target ON links(target);
CREATE INDEX links_n ON links(n);
"""
SIDE_TABLES = ("texts", "stems", "names", "formers", "themes", "cites", "parts", "links")
LIVE = "ok = 1 AND live = 1"


class IndexUnusable(Exception):
    """The index cannot answer this time (locked by another writer, a link in the
    catalogue, a file that cannot be looked at): the caller loads everything instead."""


class DocCache(FileCache):
    """The file cache of the catalogue's other files (catalogue.yaml, registries,
    sources), kept in the index's ``docs`` table instead of a file of its own."""

    def __init__(self, root: Path, index: Index):
        self.root = root
        self.index = index
        self.usable = True
        self.files = {rel: Cached(*marshal.loads(item)) for rel, item in index.db.execute("SELECT rel, item FROM docs")}
        self.seen: set[str] = set()
        self.dirty = False

    def save(self) -> None:
        gone = set(self.files) - self.seen
        if not (self.dirty or gone):
            return
        try:
            with self.index.transaction():
                self.index.db.executemany("DELETE FROM docs WHERE rel = ?", [(rel,) for rel in gone])
                self.index.db.executemany(
                    "INSERT OR REPLACE INTO docs VALUES (?, ?)",
                    [(rel, marshal.dumps(tuple(item))) for rel, item in self.files.items() if rel not in gone],
                )
        except (sqlite3.Error, ValueError, IndexUnusable):  # locked by another run, unwritable: only slower next time
            return
        for rel in gone:
            del self.files[rel]
        self.dirty = False


@dataclass
class Row:
    """What the index stores of one mechanism file."""

    item: Cached
    ok: bool
    entry: Entry | None


class Index:
    """The open index of one catalogue, brought up to date with its files."""

    def __init__(self, root: Path, db: sqlite3.Connection, stamps: Stamps):
        self.root = root
        self.db = db
        self.stamps = stamps

    # --- building and keeping up to date ---

    def update(self, now: Stamps, changes: Changes | None = None, progress: Progress | None = None) -> None:
        """Re-read the files whose stamp changed, add new ones, drop gone ones
        (``progress`` hears how many of the changed files are read)."""
        if now == self.stamps:  # two comparisons of bytes: the usual case, and all of it
            return
        changed, gone, _, changed_at = changes or self.changes(now)
        prefix = os.path.join(str(self.root), "")
        with self.transaction():
            touched_ids: set[str] = set()
            for rel in [rel for rel, _ in changed] + gone:
                touched_ids |= self._delete(rel)
            for done, (rel, stamp) in enumerate(changed, 1):
                path = prefix + rel
                touched_ids |= self._insert(rel, index_row(path, parse_file(path, stamp)))
                if progress:
                    progress(done, len(changed))
            self._relive(touched_ids)
            self._store_stamps(now, changed_at)
        self.stamps = now

    def _store_stamps(self, now: Stamps, changed_at: list[int] | None) -> None:
        """Keep ``now`` as the stamps the index was brought up to. With the positions of
        the changed files (the same files as before), only their blocks are written: after
        an edit of one file of 100,000, 16 KB instead of 8 MB of names and stamps."""
        if changed_at is None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('names', ?)", (now.names,))
            self.db.execute("DELETE FROM stamps")
            blocks: Iterable[int] = range((len(now.packed) + BLOCK_BYTES - 1) // BLOCK_BYTES)
        else:
            blocks = sorted({i * STAMP_BYTES // BLOCK_BYTES for i in changed_at})
        self.db.executemany(
            "INSERT OR REPLACE INTO stamps VALUES (?, ?)",
            [(b, now.packed[b * BLOCK_BYTES : (b + 1) * BLOCK_BYTES]) for b in blocks],
        )

    def changes(self, now: Stamps) -> Changes:
        """What differs between the stored stamps and ``now``: (changed or new files with
        their stamps, gone files, how many are unchanged, and when the files are the same
        as before, the positions of the changed ones in the walk)."""
        if now.names == self.stamps.names:  # the same files: compare the packed stamps
            names = now.names.split("\0") if now.names else []
            found = list(differing(now.packed, self.stamps.packed))
            return [(names[i], stamp) for i, stamp in found], [], 0, [i for i, _ in found]
        current, stored = now.as_dict(), self.stamps.as_dict()
        changed = [(rel, st) for rel, st in current.items() if stored.get(rel) != st]
        gone = [rel for rel in stored if rel not in current]
        return changed, gone, len(current) - len(changed), None

    def mostly_changed(self, now: Stamps, changes: Changes) -> bool:
        """Whether most files changed (a checkout, a copy of the catalogue)."""
        changed, _, same, _ = changes
        if now.names == self.stamps.names:
            same = len(now.packed) // STAMP_BYTES - len(changed)
        return same < (same + len(changed)) / 2

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: all of it lands, or none (another run's readers see
        the index before or after it)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another run is writing it
            raise IndexUnusable(str(exc)) from None
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _delete(self, rel: str) -> set[str]:
        found = self.db.execute("SELECT n, id FROM files WHERE rel = ?", (rel,)).fetchone()
        if found is None:
            return set()
        n, ident = found
        self.db.execute("DELETE FROM files WHERE n = ?", (n,))
        for table in SIDE_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE n = ?", (n,))
        return {ident} if ident is not None else set()

    def _insert(self, rel: str, row: Row) -> set[str]:
        item, entry = row.item, row.entry
        data = item.data
        ident = data.get("id") if isinstance(data, dict) else None
        ident = ident if isinstance(ident, str) else None
        blob = marshal.dumps(tuple(item)[1:])
        if entry is None:
            self.db.execute("INSERT INTO files(rel, item, ok, id) VALUES (?, ?, 0, ?)", (rel, blob, ident))
            return {ident} if ident is not None else set()
        from polcat.relations import component_keys
        from polcat.search import english_stems

        origin = entry.origin.locality if entry.origin else None
        year = entry.year if isinstance(entry.year, int) else None
        # The entry as `list -f json` prints it, encoded once here rather than on every listing.
        encoded = json.dumps(data, ensure_ascii=False)
        cursor = self.db.execute(
            "INSERT INTO files(rel, item, ok, id, locality, origin, level, kind, status, year, json)"
            " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rel, blob, entry.id, entry.locality, origin, entry.level, entry.kind, entry.status, year, encoded),
        )
        n = cursor.lastrowid
        haystack, names, syllables = item.search_keys or ("", (), "")
        self.db.execute("INSERT INTO texts VALUES (?, ?, ?)", (n, haystack, syllables))
        self.db.execute("INSERT INTO stems VALUES (?, ?)", (n, english_stems(entry)))
        many = self.db.executemany
        many("INSERT INTO names VALUES (?, ?)", [(key, n) for key in names])
        many("INSERT INTO formers VALUES (?, ?)", [(old, n) for old in dict.fromkeys(entry.former_ids)])
        many("INSERT INTO themes VALUES (?, ?)", [(theme, n) for theme in dict.fromkeys(entry.themes)])
        many("INSERT INTO cites VALUES (?, ?)", [(source, n) for source in entry.cited_sources()])
        many("INSERT INTO parts VALUES (?, ?)", [(key, n) for key in component_keys(entry)])
        many("INSERT INTO links VALUES (?, ?, ?)", [(n, r.type, r.target) for r in entry.relations])
        return {entry.id}

    def _relive(self, ids: Iterable[str]) -> None:
        """Mark which file of each of these ids queries see: the first that is valid (the
        catalogue keeps the first record of an id, and an invalid one is left out)."""
        for ident in ids:
            rows = self.db.execute("SELECT n, ok, rel FROM files WHERE id = ?", (ident,)).fetchall()
            first = min(((rel, n) for n, ok, rel in rows if ok), default=None)
            self.db.executemany(
                "UPDATE files SET live = ? WHERE n = ?", [(first is not None and n == first[1], n) for n, _, _ in rows]
            )

    # --- answering ---

    def catalogue(self, choose: Chooser) -> Catalogue:
        """The catalogue with its registries and sources, its unreadable and invalid
        entries (so that the same warning is given) and the entries ``choose`` picks."""
        docs = DocCache(Path(self.root), self)
        cat = open_catalogue(self.root, True, file_cache=docs)
        cat.partial = True
        # Choosing reads the registries through the typed model, which trusts only
        # records that match their schema.
        cat.leave_out_invalid()
        chosen = choose(self, cat)
        rows = self.db.execute("SELECT n, rel, item FROM files WHERE ok = 0 ORDER BY rel").fetchall()
        rows += self._rows(chosen)
        rows.sort(key=lambda row: row[1])
        prefix = os.path.join(str(self.root), "")
        for _, rel, blob in rows:
            # The stamp of an item read from the index is never used: it goes to no file cache.
            item = Cached((0, 0, 0, 0), *marshal.loads(blob))
            cat.load_entry(prefix + rel, Probe(None, item))
        return cat

    def encoded_entries(self) -> Iterator[str]:
        """Every entry a query sees, as JSON, in id order (what an unfiltered `list -f
        json` prints), read one at a time."""
        for (encoded,) in self.db.execute(f"SELECT json FROM files WHERE {LIVE} ORDER BY id"):
            yield encoded

    def _rows(self, ns: set[int]) -> list[tuple[int, str, bytes]]:
        if not ns:
            return []
        return self.db.execute(
            "SELECT n, rel, item FROM files WHERE n IN (SELECT value FROM json_each(?))", (json_list(ns),)
        ).fetchall()

    def live_with(self, column: str, values: Iterable[str]) -> set[int]:
        """Live entries whose ``column`` is one of ``values``."""
        return self._ns(f"SELECT n FROM files WHERE {LIVE} AND {column} IN (SELECT value FROM json_each(?))", values)

    def live_in(self, table: str, column: str, values: Iterable[str]) -> set[int]:
        """Live entries with a row in a side table whose ``column`` is one of ``values``."""
        return self._ns(
            f"SELECT f.n FROM {table} t JOIN files f ON f.n = t.n"
            f" WHERE t.{column} IN (SELECT value FROM json_each(?)) AND f.{LIVE}",
            values,
        )

    def _ns(self, sql: str, values: Iterable[str]) -> set[int]:
        values = list(dict.fromkeys(values))
        if not values:
            return set()
        return {n for (n,) in self.db.execute(sql, (json_list(values),))}

    def named(self, text: str) -> set[int]:
        """Entries that ``text`` may name (see :func:`polcat.search.resolve`): by id,
        former id, or a folded name, alias, pinyin or English name."""
        from polcat.chinese import fold, fold_latin

        ident = text.strip()
        exact = self.live_with("id", [ident])
        if exact:
            return exact
        return self.live_in("formers", "old", [ident]) | self.live_in(
            "names", "key", {fold(text), fold_latin(text)} - {""}
        )

    def around(self, ns: set[int], related_limit: int | None = None, *, related: bool = False) -> set[int]:
        """What `show` needs beside these entries (their relations both ways, same names
        elsewhere), and with ``related`` what `related` scores (shared components, origin,
        themes, locality); of the entries related only by themes and locality, those
        that can make the first ``related_limit``."""
        out: set[int] = set()
        for n in ns:
            ident, locality, origin = self.db.execute(
                "SELECT id, locality, origin FROM files WHERE n = ?", (n,)
            ).fetchone()
            targets = [t for (t,) in self.db.execute("SELECT target FROM links WHERE n = ?", (n,))]
            out |= self.live_with("id", targets) | self.live_in("formers", "old", targets)
            out |= self.live_in("links", "target", [ident])
            keys = [k for (k,) in self.db.execute("SELECT key FROM names WHERE n = ?", (n,)) if name_key_shared(k)]
            out |= self.live_in("names", "key", keys)
            if not related:
                continue
            parts = [k for (k,) in self.db.execute("SELECT key FROM parts WHERE n = ?", (n,))]
            out |= self.live_in("parts", "key", parts)
            if origin:
                out |= self.live_with("origin", [origin])
            out |= self._best_by_themes_and_place(n, ident, locality, related_limit)
        return out

    def _best_by_themes_and_place(self, n: int, ident: str, locality: str | None, limit: int | None) -> set[int]:
        """Entries sharing themes or the locality with entry ``n``, scored as
        :func:`polcat.relations.related` scores those two reasons; the first ``limit``
        of them (every other scores less than they do and cannot make the list)."""
        themes = [t for (t,) in self.db.execute("SELECT theme FROM themes WHERE n = ?", (n,))]
        shared: dict[int, int] = (
            dict(
                self.db.execute(
                    "SELECT n, count(*) FROM themes WHERE theme IN (SELECT value FROM json_each(?)) GROUP BY n",
                    (json_list(themes),),
                )
            )
            if themes
            else {}
        )
        here = self.live_with("locality", [locality]) if locality else set()
        candidates = (set(shared) | here) - {n}
        if not candidates:
            return set()
        scored = []
        for other, other_id, live in self.db.execute(
            "SELECT n, id, ok = 1 AND live = 1 FROM files WHERE n IN (SELECT value FROM json_each(?))",
            (json_list(candidates),),
        ):
            if not live or other_id == ident:
                continue
            score = 0.0
            if other in shared:
                score += 5 * shared[other] / max(len(themes), 1)
            if other in here:
                score += 3
            scored.append((-score, other_id, other))
        scored.sort()
        return {other for _, _, other in (scored[:limit] if limit else scored)}

    def filtered(self, cat: Catalogue, filters: Filters, text: str | None = None) -> set[int]:
        """Entries that may pass ``filters`` (every filter but the year, whose misses
        are counted) and, with ``text``, may match it (see :func:`polcat.search.search`)."""
        from polcat.filters import check_known
        from polcat.places import QueryError, resolve_localities

        wanted = copy.deepcopy(filters)
        try:
            check_known(cat, wanted)
            places = resolve_localities(cat, wanted.localities) if wanted.localities else None
            origins = resolve_localities(cat, wanted.origins) if wanted.origins else None
        except QueryError:  # the query itself fails the same way once the entries are loaded
            return set()
        where, params = [f"f.{LIVE}"], []

        def one_of(column: str, values: Iterable[str]) -> None:
            where.append(f"{column} IN (SELECT value FROM json_each(?))")
            params.append(json_list(values))

        if places is not None:
            one_of("f.locality", places)
        if origins is not None:
            one_of("f.origin", origins)
        for column, values in (("level", wanted.levels), ("kind", wanted.kinds), ("status", wanted.statuses)):
            if values:  # check_known lower-cased them and refused unknown ones
                one_of(f"f.{column}", values)
        theme_sets = [[t] for t in wanted.themes]
        if wanted.any_theme and wanted.themes:
            theme_sets = [wanted.themes]
        if wanted.fields:
            theme_sets.append([t.id for t in cat.all_themes() if t.field in wanted.fields])
        for themes in theme_sets:
            if themes:
                where.append("f.n IN (SELECT n FROM themes WHERE theme IN (SELECT value FROM json_each(?)))")
                params.append(json_list(themes))
            else:
                return set()
        if wanted.sources:
            where.append("f.n IN (SELECT n FROM cites WHERE source IN (SELECT value FROM json_each(?)))")
            params.append(json_list(wanted.sources))
        tables = "files f"
        if text is not None:
            clause = text_clause(text)
            if clause is None:
                return set()
            if clause[0]:
                from polcat.filters import themes_named

                # The narrow text table drives the scan (CROSS JOIN keeps that order), and
                # only its matches look up their row of files, whose pages hold the blobs.
                tables = "texts x CROSS JOIN files f ON f.n = x.n"
                condition, more = clause
                named = themes_named(cat, text)
                if named:  # the entries filed under a theme the text names score too
                    condition = f"({condition} OR f.n IN (SELECT n FROM themes WHERE theme IN (SELECT value FROM json_each(?))))"
                    more = [*more, json_list(named)]
                where.append(condition)
                params += more
        return {n for (n,) in self.db.execute(f"SELECT f.n FROM {tables} WHERE {' AND '.join(where)}", params)}


def text_clause(text: str) -> tuple[str, list[str]] | None:
    """SQL over ``texts x`` that every entry :func:`polcat.search.search` scores
    satisfies (more may: the search itself decides); None when nothing can match."""
    import re

    from polcat.chinese import fold, fold_latin, has_cjk
    from polcat.search import fold_words

    text = text.strip()
    if not text:
        return None
    chinese = fold(text)
    if not chinese:
        return "", []  # every entry's text holds the empty string: no narrowing
    alternatives, params = ["instr(x.haystack, ?) > 0"], [chinese]
    latin = fold_latin(text) if not has_cjk(text) else ""
    if latin:
        stems = [w.rstrip("s") for w in re.split(r"\s+", fold_words(text)) if w]
        stems = [s for s in stems if s]
        if not stems:
            return "", []
        # English words match whole words (polcat.search.all_words): "ding" must be a
        # word stem of the entry's English, not part of "building".
        words = " AND ".join("instr(s.stems, ?) > 0" for _ in stems)
        alternatives.append(f"x.n IN (SELECT s.n FROM stems s WHERE {words})")
        params += [f" {stem} " for stem in stems]
        if latin.isalpha():
            alternatives.append("instr(x.syllables, ?) > 0")
            params.append(latin)
    return "(" + " OR ".join(alternatives) + ")", params


def name_key_shared(key: str) -> bool:
    """Whether a name key counts for "same name elsewhere" (:func:`polcat.relations.same_name_elsewhere`)."""
    from polcat.chinese import has_cjk

    return has_cjk(key) or any(c.isdigit() for c in key)


def json_list(values: Iterable[Any]) -> str:
    import json

    return json.dumps(list(values), ensure_ascii=False)


def index_row(path: str, item: Cached) -> Row:
    """What the index keeps of a parsed mechanism file: a valid entry's typed form and
    search keys, or the file as it is (unreadable, not a mapping, against the schema)."""
    from polcat.model import Entry
    from polcat.schema import fast_check_for
    from polcat.search import compute_search_keys

    data = item.data
    if item.error is not None or not isinstance(data, dict):
        return Row(item, False, None)
    if not fast_check_for(MECHANISM)(data):
        return Row(item._replace(schema_ok=False), False, None)
    entry = Entry.from_record(Record(MECHANISM, data, Document(path, data)))
    keys = compute_search_keys(entry)
    item = item._replace(schema_ok=True, search_keys=(keys.haystack, keys.names, keys.syllables))
    return Row(item, True, entry)


# --- opening ---


def index_path(folder: Path, root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return folder / f"index-{key}.sqlite"


@dataclass(frozen=True)
class Stamps:
    """Every mechanism file's path below the root and stamp, in the order the walk met
    them, packed: comparing two is comparing two strings of bytes."""

    names: str  # the paths, joined by NUL (which no path holds)
    packed: bytes  # their stamps, four 64-bit integers each

    def as_dict(self) -> dict[str, Stamp]:
        if not self.names:
            return {}
        numbers = array("q", self.packed)
        stamps = zip(*[iter(numbers)] * 4, strict=True)
        return dict(zip(self.names.split("\0"), stamps, strict=True))


STAMP_BYTES = 32  # four 64-bit integers
# Blocks of stamps compared at once: an edit of one file of 100,000 finds its stamp
# without unpacking the others.
BLOCK_BYTES = STAMP_BYTES * 512
Changes = tuple[list[tuple[str, Stamp]], list[str], int, list[int] | None]


def differing(now: bytes, before: bytes) -> Iterator[tuple[int, Stamp]]:
    """The positions (and new stamps) where two packed stamp lists of the same files differ."""
    for block in range(0, len(now), BLOCK_BYTES):
        end = block + BLOCK_BYTES
        if now[block:end] == before[block:end]:
            continue
        for start in range(block, min(end, len(now)), STAMP_BYTES):
            stamp = now[start : start + STAMP_BYTES]
            if stamp != before[start : start + STAMP_BYTES]:
                size, mtime, ctime, inode = array("q", stamp)
                yield start // STAMP_BYTES, (size, mtime, ctime, inode)


def current_stamps(root: Path) -> Stamps:
    """Every mechanism file's stamp: the walk every query makes. The same files as
    :func:`polcat.files.mechanism_files`, each stat-ed by its name in its open folder
    (no path to resolve again from the root)."""
    mechanisms = os.path.join(str(root), "mechanisms")
    if os.path.islink(mechanisms):
        raise IndexUnusable("the mechanisms folder is a link")
    if os.scandir not in os.supports_fd or os.stat not in os.supports_dir_fd:  # pragma: no cover - Windows
        return _stamps_by_path(root)
    names: list[str] = []
    numbers = array("q")
    try:
        top = os.open(mechanisms, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return Stamps("", b"")  # no mechanisms folder: no entries, as mechanism_files finds
    try:
        _walk(top, "mechanisms/", names, numbers)
    finally:
        os.close(top)
    return Stamps("\0".join(names), numbers.tobytes())


def _walk(fd: int, rel: str, names: list[str], numbers: array) -> None:
    stat = os.stat
    try:
        with os.scandir(fd) as listing:
            entries = list(listing)
    except OSError:  # an unreadable folder is skipped, as mechanism_files skips it
        return
    for entry in entries:
        name, kind = entry.name, listing_kind(entry)
        if kind == FOLDER:
            if entry.is_symlink():  # where it leads is the full load's to judge (and report)
                raise IndexUnusable("a link among the mechanism folders")
            try:
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                continue
            try:
                _walk(sub, f"{rel}{name}/", names, numbers)
            finally:
                os.close(sub)
        elif kind == ENTRY:
            if entry.is_symlink():
                raise IndexUnusable("a link among the mechanism files")
            try:
                st = stat(name, dir_fd=fd)
            except OSError as exc:
                raise IndexUnusable(str(exc)) from None
            names.append(rel + name)
            numbers.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))


def _stamps_by_path(root: Path) -> Stamps:  # pragma: no cover - systems without dir_fd
    links: list[str] = []
    paths = mechanism_files(root, links)
    if links:
        raise IndexUnusable("links among the mechanism files")
    skip = len(os.path.join(str(root), ""))
    numbers = array("q")
    try:
        for path in paths:
            st = os.stat(path)
            numbers.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    except OSError as exc:
        raise IndexUnusable(str(exc)) from None
    return Stamps("\0".join(path[skip:] for path in paths), numbers.tobytes())


def open_index(root: Path, progress: Progress | None = None) -> Index | None:
    """The catalogue's index, up to date (built or rebuilt when needed); None when the
    cache is off, has no trusted place, or the index cannot be used this time."""
    if not filecache.enabled():
        return None
    folder = filecache.cache_dir()
    if folder is None:
        return None
    try:
        if not os.path.lexists(folder):
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
    except OSError:
        return None
    if not trusted_dir(folder):  # another user's, or writable by others: never read or write it
        return None
    path = index_path(folder, root)
    version = f"{FORMAT}|{filecache.code_version(locate.schemas_dir())}"
    try:
        current = current_stamps(root)
        index = _open_existing(path, root, version)
        changes = index.changes(current) if index is not None and current != index.stamps else None
        if index is not None and changes and index.mostly_changed(current, changes):
            index.db.close()  # a new index is quicker than a long journal
            index = changes = None
        if index is None:
            index = _build(path, root, version)
        if index is None:
            return None
        index.update(current, changes, progress)
        return index
    except IndexUnusable:
        return None
    except sqlite3.DatabaseError:  # corrupt past its first pages: start again from the files
        try:
            os.unlink(path)
            index = _build(path, root, version)
            if index is not None:
                index.update(current_stamps(root), progress=progress)
            return index
        except (IndexUnusable, sqlite3.Error, OSError):
            return None


def _open_existing(path: Path, root: Path, version: str) -> Index | None:
    """The index at ``path`` if it is ours, readable and of this version; else None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    # The folder is trusted, so nobody else can swap the file between this check and the open.
    if not stat_module.S_ISREG(st.st_mode) or not trusted(st):
        raise IndexUnusable("the index file is not to be trusted")
    db = None
    try:
        db = sqlite3.connect(path, timeout=5, isolation_level=None)
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("version") != version or meta.get("root") != str(root.resolve()):
            db.close()
            return None
        stamps = stored_stamps(db, meta["names"])
        if stamps is None:
            db.close()
            return None
        return Index(root, db, stamps)
    except (sqlite3.DatabaseError, KeyError, ValueError, EOFError, TypeError):  # garbled: rebuild
        if db is not None:
            db.close()
        return None


def stored_stamps(db: sqlite3.Connection, names: Any) -> Stamps | None:
    """The stamps an index was last brought up to (None if garbled)."""
    packed = b"".join(block for (block,) in db.execute("SELECT packed FROM stamps ORDER BY block"))
    if not isinstance(names, str) or len(packed) % STAMP_BYTES:
        return None
    return Stamps(names, packed)


def _build(path: Path, root: Path, version: str) -> Index | None:
    """A new, empty index (filled by :meth:`Index.update`), created in a temporary file
    and renamed over the old one, so that a reader sees one or the other."""
    folder = path.parent
    remove_stale_temporaries(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        db.executescript(TABLES)
        db.execute(
            "INSERT INTO meta VALUES ('version', ?), ('root', ?), ('names', '')",
            (version, str(root.resolve())),
        )
        db.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    db = sqlite3.connect(path, timeout=5, isolation_level=None)
    return Index(root, db, Stamps("", b""))


# --- what the query commands call ---


def query_catalogue(root: Path, choose: Chooser, progress: Progress | None = None) -> Catalogue | None:
    """The catalogue at ``root`` with the entries ``choose`` picks from its index (and
    what every query needs: registries, sources, the files that are left out); None when
    there is no usable index, and the caller loads everything."""
    index = open_index(root, progress)
    if index is None:
        return None
    try:
        return index.catalogue(choose)
    except (sqlite3.DatabaseError, IndexUnusable):
        return None


def encoded_listing(root: Path, progress: Progress | None = None) -> tuple[Catalogue, Iterator[str]] | None:
    """Every entry of the catalogue at ``root`` as JSON, in id order, streamed from the
    index, with the catalogue of everything else (registries, the files that are left
    out); None when there is no usable index, and the caller loads everything."""
    index = open_index(root, progress)
    if index is None:
        return None
    try:
        return index.catalogue(lambda index, cat: set()), index.encoded_entries()
    except (sqlite3.DatabaseError, IndexUnusable):
        return None


def for_name(name: str, *, related: bool = False, limit: int | None = None) -> Chooser:
    """What `show NAME` (or with ``related``, `related NAME -n limit`) needs."""

    def choose(index: Index, cat: Catalogue) -> set[int]:
        named = index.named(name)
        return named | index.around(named, limit, related=related)

    return choose


def for_filters(filters: Filters, text: str | None = None) -> Chooser | None:
    """What `list` with these filters (or `search TEXT` with them) needs; None when
    they choose among every entry (no filter, or only years): loading every entry from
    the parsed-file cache is quicker than from the index."""
    narrowing = (
        filters.localities,
        filters.origins,
        filters.themes,
        filters.fields,
        filters.levels,
        filters.kinds,
        filters.statuses,
        filters.sources,
    )
    if text is None and not any(narrowing):
        return None

    def choose(index: Index, cat: Catalogue) -> set[int]:
        return index.filtered(cat, filters, text)

    return choose
