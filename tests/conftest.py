from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
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
from typer.testing import CliRunner  # noqa: E402

from polcat.cli import app  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURE = HERE / "fixtures" / "mini"
SHARED = REPO.parent / "shared"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small fixture catalogue, free to break."""
    root = tmp_path / "cat"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(*args: str, env: dict | None = None):
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)


def run_polcat(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    """Run polcat as a real process (exit codes, stdout vs stderr, no traceback)."""
    import os

    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("POLCAT_CATALOGUE", None) if env is None or "POLCAT_CATALOGUE" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "polcat", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=input,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def seeds_dir() -> Path:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the source reports are not here ({seeds} is absent): they live outside the product")
    return seeds
