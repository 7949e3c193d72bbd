"""A cache of parsed catalogue files, so that a warm `polcat list` does not parse YAML.

One cache file per catalogue directory, in the user's cache directory
(``$POLCAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/polcat``, else ``~/.cache/polcat``).
It maps each file to its *stamp* (size, mtime, ctime, inode) and what parsing it gave
(the data, or the load error) plus whether it passed its schema.

Correctness rules:
- a file whose stamp differs (edited, touched, replaced) is parsed again; a file not
  in the cache (added) is parsed; a cached file no longer on disk (removed) is dropped;
- the whole cache is void when polcat's code, the schemas or the Python version change;
- the cache is written to a temporary file and renamed, so readers see a whole cache or
  the previous one; anything unreadable about it is ignored and the cache rebuilt;
- a cache that cannot be written (read-only home, full disk) costs speed, never a failure;
- a cache folder or file that another user owns, or that group or others may write, is
  neither read nor written: a forged cache could make a broken entry look valid. polcat
  creates its folder private (0700) and its file 0600;
- without a usable home ($HOME unset, relative, not a folder or another user's, and no
  $XDG_CACHE_HOME or $POLCAT_CACHE_DIR) there is no cache, and nothing is created anywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat as stat_module
import sys
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from polcat.textio import remove_stale_temporaries

FORMAT = 2
ENV_DIR = "POLCAT_CACHE_DIR"
ENV_OFF = "POLCAT_NO_CACHE"
T = TypeVar("T")


class Cached(NamedTuple):
    """What the cache keeps about one file. Marshal stores it as a plain tuple."""

    stamp: tuple[int, int, int, int]
    data: Any  # the parsed document, or None when it could not be loaded
    error: tuple | None  # (rule, message, line, column, hint) of the load error
    schema_ok: bool | None  # the schema verdict, once a run has checked it
    search_keys: tuple | None  # polcat.search's keys of an entry, once computed


# Off for one invocation (`polcat --no-cache`), as $POLCAT_NO_CACHE turns it off for all.
_OFF_FOR_RUN: ContextVar[bool] = ContextVar("polcat_cache_off", default=False)


def enabled() -> bool:
    """The cache is on unless $POLCAT_NO_CACHE is set or this invocation said --no-cache."""
    return not os.environ.get(ENV_OFF) and not _OFF_FOR_RUN.get()


def switch_off_for_run(off: bool) -> Callable[[], None]:
    """Turn the cache off (or on) for the invocation under way; returns what puts it back."""
    token = _OFF_FOR_RUN.set(off)
    return lambda: _OFF_FOR_RUN.reset(token)


def cache_dir() -> Path | None:
    """$POLCAT_CACHE_DIR, else $XDG_CACHE_HOME/polcat (an absolute path, as the XDG
    specification asks), else ~/.cache/polcat when $HOME is usable; else None: no cache."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "polcat"
    home = usable_home()
    return Path(home) / ".cache" / "polcat" if home else None


def usable_home() -> str | None:
    """The home folder, if polcat may keep its cache below it: $HOME set to the absolute
    path of an existing folder this user owns (on Windows, wherever ``~`` leads). A home
    polcat cannot write fails at the first mkdir, so nothing is created there either."""
    if os.name == "nt":  # pragma: no cover - no $HOME convention there
        expanded = os.path.expanduser("~")
        return expanded if expanded != "~" and os.path.isdir(expanded) else None
    home = os.environ.get("HOME")
    if not home or not os.path.isabs(home):
        return None
    try:
        st = os.stat(home)
    except OSError:
        return None
    if not stat_module.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():  # not a folder, or someone else's (sudo)
        return None
    return home


def trusted(st: os.stat_result) -> bool:
    """Whether a cache folder or file may be believed: owned by this user and writable by
    nobody else (on systems with owners)."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat_module.S_IWGRP | stat_module.S_IWOTH)


def trusted_dir(path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat_module.S_ISDIR(st.st_mode) and trusted(st)


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What changes whenever a file's content may have: ctime cannot be set back by hand."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def code_version(schemas: Path) -> str:
    """polcat's own code, the schemas and the Python version (marshal's format)."""
    from polcat import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}".encode())
    package = Path(__file__).resolve().parent
    # Contents, not sizes and times: an edit that keeps the size within one mtime tick
    # (or a checkout that restores old times) must still void the cache. About 1 ms.
    for path in sorted(package.rglob("*.py")) + sorted(schemas.glob("*.json")):
        digest.update(f"{path.relative_to(path.parent.parent)}|".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FileCache:
    """The parsed files of one catalogue, keyed by path relative to its root."""

    def __init__(self, root: Path, schemas: Path, folder: Path):
        self.root = root.resolve()
        key = hashlib.sha256(str(self.root).encode()).hexdigest()[:20]
        self.path = folder / f"catalogue-{key}.marshal"
        self.version = code_version(schemas)
        self.usable = True  # False: the folder or file is not to be trusted; never read or written
        self.files: dict[str, Cached] = self._read()
        self.seen: set[str] = set()
        self.dirty = False

    def _read(self) -> dict[str, Cached]:
        folder = self.path.parent
        if os.path.lexists(folder) and not trusted_dir(folder):
            self.usable = False
            return {}
        try:
            data = self._read_trusted()
            if data is None:
                return {}
            blob = marshal.loads(data)
            if isinstance(blob, dict) and blob.get("version") == self.version and isinstance(blob.get("files"), dict):
                return {rel: Cached(*item) for rel, item in blob["files"].items()}
        except Exception:  # missing, truncated, corrupt, from another Python: rebuild
            pass
        return {}

    def _read_trusted(self) -> bytes | None:
        data, self.usable = read_trusted(self.path)
        return data

    def get(self, rel: str, st: os.stat_result) -> Cached | None:
        """What the cache knows of a file, if its stamp is unchanged."""
        self.seen.add(rel)
        hit = self.files.get(rel)
        if hit is not None and hit.stamp == stamp(st):
            return hit
        return None

    def put(self, rel: str, item: Cached) -> None:
        self.seen.add(rel)
        self.files[rel] = item
        self.dirty = True

    def learn(self, rel: str, *, schema_ok: bool | None = None, search_keys: tuple | None = None) -> None:
        """Keep a verdict or keys found in this run for a file already cached."""
        item = self.files.get(rel)
        if item is None or item.error is not None:
            return
        if schema_ok is not None and item.schema_ok != schema_ok:
            self.files[rel] = item = item._replace(schema_ok=schema_ok)
            self.dirty = True
        if search_keys is not None and item.search_keys != search_keys:
            self.files[rel] = item._replace(search_keys=search_keys)
            self.dirty = True

    def save(self) -> None:
        """Write the cache if anything changed, dropping files that are gone."""
        gone = set(self.files) - self.seen
        for rel in gone:
            del self.files[rel]
        if not (self.dirty or gone) or not self.usable:
            return
        try:
            blob = marshal.dumps(
                {"version": self.version, "files": {rel: tuple(item) for rel, item in self.files.items()}}
            )
        except ValueError:  # an unmarshallable value: just slower
            return
        if write_private(self.path, blob):
            self.dirty = False


def read_trusted(path: Path) -> tuple[bytes | None, bool]:
    """A cache file's bytes (None when missing or not to be believed), and whether the
    place may be used at all: only a regular file this user owns and nobody else may
    write, checked on the open file so that it cannot be swapped in between."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None, True
    except OSError:  # a link (O_NOFOLLOW), unreadable: leave it alone
        return None, False
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat_module.S_ISREG(st.st_mode) or not trusted(st):
            return None, False
        return fh.read(), True


def write_private(path: Path, blob: bytes) -> bool:
    """Write a cache file atomically into its private folder (created 0700 if need be);
    False when it cannot be written or the folder is not to be trusted (only slower)."""
    folder = path.parent
    try:
        if not os.path.lexists(folder):
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
        if not trusted_dir(folder):  # another user's, or writable by others: never write into it
            return False
        remove_stale_temporaries(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:  # unwritable cache folder, full disk
        return False
    return True


def remembered(name: str, key: str, compute: Callable[[], T]) -> T:
    """A value derived from polcat's dependencies alone (never from a catalogue), kept
    in the cache folder under ``name`` so that each process need not derive it again,
    as Python keeps bytecode: read back when ``key`` (what it was derived from) is the
    same, else computed and written. With no usable cache, computed every time.

    Only marshal-able values (code objects included); the folder is trusted before
    anything is read from it, as for the catalogue cache."""
    folder = cache_dir() if enabled() else None
    if folder is None or (os.path.lexists(folder) and not trusted_dir(folder)):
        return compute()
    path = folder / f"{name}.marshal"
    data, usable = read_trusted(path)
    if data is not None:
        try:
            stored_key, value = marshal.loads(data)
            if stored_key == key:
                return value  # type: ignore[no-any-return]
        except Exception:  # truncated, from another Python: derive it again
            pass
    value = compute()
    if usable:
        with contextlib.suppress(ValueError):  # not marshal-able after all: only slower
            write_private(path, marshal.dumps((key, value)))  # type: ignore[arg-type]
    return value


def open_cache(root: Path, schemas: Path) -> FileCache | None:
    """The cache of this catalogue, or None when the cache is off or has no place to live."""
    if not enabled():
        return None
    folder = cache_dir()
    return FileCache(root, schemas, folder) if folder is not None else None
