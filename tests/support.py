"""Helpers and paths the tests share (fixtures stay in conftest.py).

conftest.py points polcat's cache at a private folder before it imports this module
(which imports polcat); pytest always loads conftest.py before any test module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polcat.cli import app

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURE = HERE / "fixtures" / "mini"
SHARED = REPO.parent / "shared"


def invoke(*args: str, env: dict | None = None):
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)


def run_polcat(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    """Run polcat as a real process (exit codes, stdout vs stderr, no traceback)."""
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
