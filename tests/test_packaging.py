"""The catalogue and schemas ship inside the package, so polcat works from any directory."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import REPO, run_polcat

from polcat import locate


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_installed_catalogue_and_schemas_match_the_repository():
    # In CI polcat is installed non-editable: this compares the copy inside site-packages.
    if not locate.is_installed_data(locate.shipped_catalogue()):
        pytest.skip("editable install: the shipped catalogue is the checkout's own folder, nothing to compare")
    assert tree_digest(locate.shipped_catalogue()) == tree_digest(REPO / "catalogue")
    assert tree_digest(locate.schemas_dir()) == tree_digest(REPO / "schemas")


def test_validate_runs_from_any_directory_on_the_shipped_catalogue(tmp_path):
    result = run_polcat("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    shipped = locate.shipped_catalogue()
    expected = (
        "the catalogue shipped with polcat" if locate.is_installed_data(shipped) else f"the catalogue at {shipped}"
    )
    assert f"✓ {expected} is valid" in result.stdout


def test_python_dash_m_and_console_script_agree(tmp_path):
    result = run_polcat("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("polcat ")


@pytest.mark.slow
def test_wheel_carries_catalogue_and_schemas(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if build.returncode != 0 and "No matching distribution found for hatchling" in build.stderr:
        pytest.skip("the build backend cannot be fetched here")
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("polcat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in tree_digest(REPO / "catalogue"):
        assert f"polcat/_data/catalogue/{rel}" in names
    for rel in tree_digest(REPO / "schemas"):
        assert f"polcat/_data/schemas/{rel}" in names
    assert "polcat/cli/__init__.py" in names and "polcat/cli/app.py" in names


def test_every_dependency_has_an_upper_bound():
    """The README's dependency policy: a new major release cannot break a fresh install."""
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    # An exact pin (the dev extra's ruff and mypy) is the tightest bound of all.
    unbounded = [r for r in requirements if not re.search(r"<\s*[0-9]|==\s*[0-9]", r)]
    assert not unbounded, unbounded


def test_the_cli_format_choices_are_the_libraries_formats():
    from polcat import export, graph
    from polcat.cli.share import ExportFormat, GraphFormat

    assert tuple(f.value for f in ExportFormat) == export.FORMATS
    assert tuple(f.value for f in GraphFormat) == graph.FORMATS


def test_version_is_answered_without_the_command_line():
    """`polcat --version` imports neither typer, rich nor any command (issue 15), and says
    what the command line says."""
    import tomllib

    from support import invoke

    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"] == {
        "polcat": "polcat.__main__:main"
    }
    code = (
        "import sys; from polcat.__main__ import main; main(); "
        "print([m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click') or m.startswith('polcat.cli')], file=sys.stderr)"
    )
    for flag in ("--version", "-V"):
        result = subprocess.run([sys.executable, "-c", code, flag], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stderr.strip() == "[]", result.stderr
        assert result.stdout == invoke(flag).stdout
    # anything more goes to the command line, which answers the same
    result = subprocess.run(
        [sys.executable, "-c", code, "--version", "list"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout == invoke("--version").stdout
