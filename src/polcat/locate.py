"""Where the shipped catalogue and schemas live, and which catalogue a command works on.

A command works on the catalogue in front of the user, found the way git finds
``.git``: ``--catalogue`` or ``$POLCAT_CATALOGUE`` first, then the nearest catalogue at
or above the current directory (a folder holding ``localities.yaml``, or such a folder
named ``catalogue/`` beside it), and only then the catalogue shipped inside the package,
which polcat never writes to.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/polcat -> repository root
_INSTALLED_DATA = _PACKAGE / "_data"

ENV_CATALOGUE = "POLCAT_CATALOGUE"
MARKER = "localities.yaml"
FOLDER = "catalogue"


def _data_dir(name: str) -> Path:
    # A wheel carries the data inside the package; a source checkout keeps it at the top.
    installed = _INSTALLED_DATA / name
    return installed if installed.is_dir() else _CHECKOUT / name


def shipped_catalogue() -> Path:
    return _data_dir("catalogue")


def schemas_dir() -> Path:
    return _data_dir("schemas")


def is_catalogue_root(path: Path) -> bool:
    return (path / MARKER).is_file()


def find_catalogue_root(path: Path) -> Path | None:
    """The catalogue a file or folder belongs to: the nearest directory at or above
    ``path`` that holds a catalogue."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if is_catalogue_root(candidate):
            return candidate
    return None


def discover(start: Path) -> Path | None:
    """The nearest catalogue at or above ``start``: the folder itself, or its ``catalogue/``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for candidate in (folder, folder / FOLDER):
            if is_catalogue_root(candidate):
                return candidate
    return None


def default_catalogue(explicit: Path | None = None) -> Path:
    """``--catalogue``, else ``$POLCAT_CATALOGUE``, else the nearest catalogue from the
    current directory upward, else the shipped catalogue."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(ENV_CATALOGUE)
    if env:
        return Path(env)
    try:
        found = discover(Path.cwd())
    except OSError:  # the working directory was removed under us
        found = None
    return found or shipped_catalogue()


def is_installed_data(path: Path) -> bool:
    """Whether ``path`` lies inside the data installed with the package (never written)."""
    try:
        return Path(path).resolve().is_relative_to(_INSTALLED_DATA)
    except OSError:
        return False


def describe(root: Path) -> str:
    """How messages name a catalogue: its path, or "the shipped catalogue"."""
    if is_installed_data(root):
        return "the catalogue shipped with polcat"
    try:
        rel = os.path.relpath(Path(root).resolve())
    except ValueError:
        rel = str(root)
    shown = str(Path(root).resolve()) if rel.startswith("..") else rel
    return f"the catalogue at {shown}"


def catalogue_version(root: Path) -> str | None:
    """The release of the catalogue at ``root`` (catalogue.yaml's ``version``), read without
    a YAML parser so that ``polcat --version`` stays a bare interpreter start."""
    import re

    try:
        text = (Path(root) / "catalogue.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r"""^version:\s*["']?([0-9][0-9.]*)["']?\s*$""", text, re.M)
    return found.group(1) if found else None


def version_line() -> str:
    """``polcat 0.2.0 (catalogue 2026.12.01, the catalogue at catalogue)``."""
    from polcat import __version__

    try:
        root = default_catalogue()
    except OSError:
        return f"polcat {__version__}"
    release = catalogue_version(root)
    return f"polcat {__version__}" + (f" (catalogue {release}, {describe(root)})" if release else "")
