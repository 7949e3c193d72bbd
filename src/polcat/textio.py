"""Reading files people edit by hand: size limits, encodings, atomic writes."""

from __future__ import annotations

import codecs
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from polcat.problems import LoadError

# Catalogue files are small; anything near these sizes is a mistake, not data.
MAX_YAML_BYTES = 8 * 1024 * 1024
MAX_TEXT_BYTES = 32 * 1024 * 1024

_LEGACY_ENCODINGS = {"gb18030": "GB18030/GBK", "big5": "Big5", "utf_16": "UTF-16"}
_ICONV_NAMES = {"gb18030": "GB18030", "big5": "BIG5", "utf_16": "UTF-16"}


def read_bytes(path: Path, limit: int) -> bytes:
    """Read a whole file, refusing directories, unreadable and oversized files."""
    try:
        st = path.stat()
        size = st.st_size
        if stat.S_ISDIR(st.st_mode):
            raise LoadError("unreadable", "is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise LoadError("unreadable", "is not a regular file (a pipe, socket or device?)")
        if size > limit:
            raise LoadError(
                "too-large",
                f"file is {size / 1_048_576:.1f} MiB, over polcat's limit of {limit // 1_048_576} MiB",
                hint="catalogue files are small; is this the right file?",
            )
        return path.read_bytes()
    except LoadError:
        raise
    except FileNotFoundError:
        raise LoadError("unreadable", "file not found") from None
    except IsADirectoryError:
        raise LoadError("unreadable", "is a directory, not a file") from None
    except PermissionError:
        raise LoadError("unreadable", "permission denied") from None
    except OSError as exc:
        raise LoadError("unreadable", f"cannot read: {exc.strerror or exc}") from None


def guess_encoding(data: bytes) -> str | None:
    """Name the legacy encoding that ``data`` most likely uses (charset-normalizer's verdict)."""
    from charset_normalizer import from_bytes  # only needed on the error path

    best = from_bytes(data[:65536], cp_isolation=list(_LEGACY_ENCODINGS)).best()
    return best.encoding if best is not None else None


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8 (a BOM is accepted); refuse anything else with a diagnosis."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _not_utf8("utf_16", 1, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _not_utf8(guess_encoding(data), line, column) from None
    if "\x00" in text:
        offset = text.index("\x00")
        if data[1:2] == b"\x00" or data[0:1] == b"\x00":
            raise _not_utf8("utf_16", 1, 1)
        raise LoadError(
            "encoding",
            "file contains NUL bytes: it is binary, not text",
            text.count("\n", 0, offset) + 1,
            offset - (text.rfind("\n", 0, offset) + 1) + 1,
        )
    return text


def decode_any(data: bytes) -> tuple[str, str]:
    """Decode a report that may be UTF-8, GB18030/GBK, Big5 or UTF-16; return (text, encoding)."""
    try:
        return decode_utf8(data), "utf-8"
    except LoadError as exc:
        if exc.rule != "encoding":
            raise
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    encoding = guess_encoding(data)
    if encoding is None:
        raise LoadError("encoding", "cannot tell the text's encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16)")
    return data.decode(encoding, errors="replace"), encoding


def _not_utf8(encoding: str | None, line: int, column: int) -> LoadError:
    if encoding in _LEGACY_ENCODINGS:
        name = _LEGACY_ENCODINGS[encoding]
        return LoadError(
            "encoding",
            f"file is not UTF-8; it looks like {name}",
            line,
            column,
            hint=f"convert it: iconv -f {_ICONV_NAMES[encoding]} -t UTF-8 FILE > FILE.utf8 && mv FILE.utf8 FILE",
        )
    return LoadError("encoding", "file is not valid UTF-8", line, column, hint="save the file as UTF-8")


# polcat's temporary files: ``.<name>.<8 random characters>.tmp`` (tempfile.mkstemp with
# the prefix and suffix below), and the cache's ``.catalogue-<random>.tmp``.
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp|\.catalogue-[a-z0-9_]{8}\.tmp")
# A temporary file older than this belongs to a writer that was killed midway.
STALE_SECONDS = 60
_swept: set[str] = set()  # folders already cleaned in this process


def remove_stale_temporaries(folder: Path) -> None:
    """Delete polcat's own temporary files in ``folder`` that a killed writer left behind:
    named as polcat names them, regular files of this user, older than a minute (a writer
    still at work is younger). Once per folder and process; failures are ignored."""
    key = os.path.abspath(folder)
    if key in _swept:
        return
    _swept.add(key)
    try:
        with os.scandir(folder) as listing:
            candidates = [
                e for e in listing if e.name.startswith(".") and e.name.endswith(".tmp") and TEMPORARY.fullmatch(e.name)
            ]
        cutoff = time.time() - STALE_SECONDS
        for entry in candidates:
            st = entry.stat(follow_symlinks=False)
            mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
            if stat.S_ISREG(st.st_mode) and mine and st.st_mtime < cutoff:
                os.unlink(entry.path)
    except OSError:
        pass


def atomic_write(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (or bytes) to ``path`` so that readers see the old file or the new
    one, never half.

    Refuses to replace an existing file unless ``force``: polcat never clobbers a user's data.
    The temporary file sits beside ``path`` (a rename is atomic only within one file
    system); ones that killed writers left there are removed (:func:`remove_stale_temporaries`),
    so none stays in a catalogue's ``mechanisms/``.
    """
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            # mkstemp makes the file private (0600); give it the mode a plain write would,
            # so that a web server or a colleague can read an exported file or site.
            os.fchmod(fh.fileno(), _mode_for(path))
            fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))  # newlines as they are
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile, unlike rename().
            os.link(tmp, path)
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or those the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
