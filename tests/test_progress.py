"""Long work shows progress to a person watching, and nothing to pipes, files or CI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import invoke

from polcat import parallel, progress
from polcat.validate import validate

MANY = 600  # above progress.MIN_STEPS files to parse


@pytest.fixture
def big(mini: Path) -> Path:
    """The small catalogue and MANY more valid entries, for work long enough to show."""
    template = (mini / "mechanisms/alpha/chishui-wubicha-wuchoucha.yaml").read_text(encoding="utf-8")
    folder = mini / "mechanisms" / "many"
    folder.mkdir()
    for i in range(MANY):
        ident = f"chishui-copy-{i}"
        (folder / f"{ident}.yaml").write_text(
            template.replace("id: chishui-wubicha-wuchoucha", f"id: {ident}"), encoding="utf-8"
        )
    return mini


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "ci, tty, shown",
    [(None, True, True), (None, False, False), ("true", True, False), ("1", True, False), ("false", True, True)],
)
def test_progress_is_wanted_only_on_a_terminal_outside_ci(monkeypatch, ci, tty, shown):
    monkeypatch.delenv("CI", raising=False)
    if ci is not None:
        monkeypatch.setenv("CI", ci)
    assert progress.wanted(Terminal() if tty else io.StringIO()) is shown


def test_the_bar_starts_only_for_work_large_enough_and_counts(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    small, large = Terminal(), Terminal()
    with progress.bar("parsing", stream=small) as tick:
        assert tick is not None
        tick(10, 10)
    assert small.getvalue() == ""
    with progress.bar("parsing", stream=large) as tick:
        assert tick is not None
        tick(300, 600)
        tick(600, 600)
    assert "parsing" in large.getvalue() and "600/600" in large.getvalue()
    with progress.bar("parsing", stream=io.StringIO()) as tick:
        assert tick is None  # nobody watches: the library is not even called back


@pytest.mark.parametrize("jobs", [1, 2])
def test_validation_reports_every_file_parsed_and_the_same_result(big, monkeypatch, jobs):
    monkeypatch.setattr(parallel, "MIN_FILES", 100)  # workers, with jobs=2, for this many files
    calls: list[tuple[int, int]] = []
    watched = validate(big, use_cache=False, jobs=jobs, progress=lambda done, total: calls.append((done, total)))
    unwatched = validate(big, use_cache=False, jobs=jobs)
    assert calls[-1] == (MANY + 5, MANY + 5)  # every entry file parsed, the fixture's five too
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert watched.problems == unwatched.problems and watched.files_checked == unwatched.files_checked


def test_validate_draws_the_bar_on_a_terminal(big, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    result = invoke("--no-cache", "validate", str(big), "--jobs", "1")
    assert result.exit_code == 0
    assert "parsing" in result.stderr and f"{MANY + 5}/{MANY + 5}" in result.stderr
    assert result.stdout.startswith("✓ the catalogue at")  # the summary, as always


def test_piped_stderr_stays_clean(big):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [sys.executable, "-m", "polcat", "--no-cache", "validate", str(big), "--jobs", "1"],
        env={**env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.startswith("✓ the catalogue at") and f"{MANY + 9} files checked" in done.stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
@pytest.mark.parametrize("ci, shown", [(None, True), ("true", False)])
def test_a_real_terminal_sees_the_bar_unless_ci_is_set(big, ci, shown):
    import pty

    master, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    try:
        done = subprocess.run(
            [sys.executable, "-m", "polcat", "--no-cache", "validate", str(big), "--jobs", "1"],
            env={**env, "NO_COLOR": "1"},
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
    finally:
        os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed and read to the end
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert done.returncode == 0 and done.stdout.decode().startswith("✓ the catalogue at")
    assert (f"{MANY + 5}/{MANY + 5}".encode() in drawn) is shown
    if not shown:
        assert drawn == b""


def test_the_workbook_reports_the_rows_it_writes(big):
    from polcat.catalogue import load_catalogue
    from polcat.spreadsheet import to_xlsx

    cat = load_catalogue(big, save_cache=False)
    calls: list[tuple[int, int]] = []
    data = to_xlsx(cat, cat.entries(), lambda done, total: calls.append((done, total)))
    assert data[:2] == b"PK"  # a workbook (a zip), written whole
    total = calls[-1][1]
    assert calls[-1] == (total, total) and total > MANY  # an entry row each, and their parts and sources


def test_the_site_reports_every_file_it_writes(big, tmp_path):
    from polcat.catalogue import load_catalogue
    from polcat.site import build_site

    cat = load_catalogue(big, save_cache=False)
    calls: list[tuple[int, int]] = []
    out = tmp_path / "site"
    built = build_site(cat, cat.entries(), out, progress=lambda done, total: calls.append((done, total)))
    files = [p for p in out.rglob("*") if p.is_file()]
    assert [done for done, _ in calls] == list(range(1, len(files) + 1))  # one call a file, in order
    assert {total for _, total in calls} == {len(files)} == {len(built.written)}  # the total known up front


def test_site_draws_the_bar_on_a_terminal(big, monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    result = invoke("--no-cache", "site", str(tmp_path / "site"), "-C", str(big))
    assert result.exit_code == 0
    assert "writing the site" in result.stderr and "polcat: wrote" in result.stderr


def test_extract_on_a_long_report_says_it_is_working(monkeypatch, tmp_path):
    from polcat.cli import curate

    report = tmp_path / "r.txt"
    report.write_text("赤水市推行“三定”工作机制。\n" * 50, encoding="utf-8")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    quiet = invoke("extract", str(report), "-f", "json")
    monkeypatch.setattr(curate, "LONG_REPORT", 100)  # this report counts as long
    shown = invoke("extract", str(report), "-f", "json")
    assert quiet.exit_code == shown.exit_code == 0 and quiet.stdout == shown.stdout
    assert "reading" not in quiet.stderr
    assert "reading 750 characters" in shown.stderr  # 15 characters a line, 50 lines


def test_a_cold_query_shows_its_reading_and_a_warm_one_does_not(big, monkeypatch, tmp_path):
    """The first query on a large catalogue reads every file (into the index, or the
    cache when the query needs every entry); the next reads none and draws nothing."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    for args in (("show", "chishui-copy-7"), ("list", "-f", "jsonl")):
        monkeypatch.setenv("POLCAT_CACHE_DIR", str(tmp_path / args[0]))  # a cold start each
        cold = invoke(*args, "-C", str(big))
        warm = invoke(*args, "-C", str(big))
        assert cold.exit_code == warm.exit_code == 0 and cold.stdout == warm.stdout
        assert "reading the catalogue" in cold.stderr and f"{MANY + 5}/{MANY + 5}" in cold.stderr, args
        assert "reading the catalogue" not in warm.stderr, args
    uncached = invoke("--no-cache", "list", "-f", "jsonl", "-C", str(big))
    assert "reading the catalogue" in uncached.stderr
