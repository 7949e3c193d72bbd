from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Tests never read or write the user's real cache, not even while modules are collected
# (some load a catalogue at import): point polcat at a private folder before importing it.
_CACHE = tempfile.mkdtemp(prefix="polcat-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["POLCAT_CACHE_DIR"] = _CACHE
os.environ.pop("POLCAT_NO_CACHE", None)
os.environ.pop("POLCAT_CATALOGUE", None)

import pytest  # noqa: E402
from support import FIXTURE  # noqa: E402  (imports polcat: after the cache is redirected)
from typer.testing import CliRunner  # noqa: E402


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small fixture catalogue, free to break."""
    root = tmp_path / "cat"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
