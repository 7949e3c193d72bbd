"""Where the shipped catalogue and schemas live, and where a user's catalogue is."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/polcat -> repository root

ENV_CATALOGUE = "POLCAT_CATALOGUE"
MARKERS = ("localities.yaml", "themes.yaml")


def _data_dir(name: str) -> Path:
    # A wheel carries the data inside the package; a source checkout keeps it at the top.
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _CHECKOUT / name


def shipped_catalogue() -> Path:
    return _data_dir("catalogue")


def schemas_dir() -> Path:
    return _data_dir("schemas")


def is_catalogue_root(path: Path) -> bool:
    return path.is_dir() and all((path / m).is_file() for m in MARKERS)


def find_catalogue_root(path: Path) -> Path | None:
    """The nearest directory at or above ``path`` that holds a catalogue."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if is_catalogue_root(candidate):
            return candidate
    return None


def default_catalogue(explicit: Path | None = None) -> Path:
    """``--catalogue`` if given, else ``$POLCAT_CATALOGUE``, else the shipped catalogue."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_CATALOGUE)
    return Path(env) if env else shipped_catalogue()
