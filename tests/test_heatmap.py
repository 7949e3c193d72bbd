"""`polcat matrix` as a heatmap: on a colour terminal each cell is shaded by its count,
with the number still printed; never a colour when piped or under NO_COLOR."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from support import invoke

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.counts import HEAT_LEVELS, heat_level, heat_ranges

ANSI = re.compile(r"\x1b\[([0-9;]*)m")
THEMES = ("--theme", "cadre-accountability", "--theme", "evaluation", "--theme", "supervision", "--any-theme")
# The shades' backgrounds as a truecolor terminal receives them (views.HEAT_STYLES).
BACKGROUNDS = {
    1: "48;2;222;235;247",
    2: "48;2;158;202;225",
    3: "48;2;107;174;214",
    4: "48;2;49;130;189",
    5: "48;2;8;81;156",
}


def test_levels_double_and_cover_every_count():
    assert [heat_level(n) for n in (0, 1, 2, 3, 4, 7, 8, 15, 16, 500)] == [0, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    ranges = heat_ranges()
    assert len(ranges) == HEAT_LEVELS and ranges[0] == (1, 1) and ranges[-1] == (16, None)
    for level, (low, high) in enumerate(ranges, 1):
        assert heat_level(low) == level and (high is None or heat_level(high) == level)


def shaded_cells(text: str) -> dict[str, str]:
    """The shaded cells of each printed row: (row's locality id, number) -> background."""
    found = {}
    for line in text.splitlines():
        row = re.search(r"\[([a-z0-9-]+)\]", ANSI.sub("", line))
        for codes, number in re.findall(r"\x1b\[([0-9;]*)m(\d+) *\x1b\[0m", line):
            background = re.search(r"48;2;\d+;\d+;\d+", codes)
            if row and background:
                found[f"{row[1]}:{number}"] = background[0]
    return found


def test_a_colour_terminal_shades_each_cell_by_its_count():
    result = invoke(
        "matrix", *THEMES, env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLORTERM": "truecolor", "COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.stderr
    cat = load_catalogue()
    chosen = query.filter_entries(
        cat, query.Filters(themes=["cadre-accountability", "evaluation", "supervision"], any_theme=True)
    )
    grid = query.matrix(cat, chosen)
    shaded = shaded_cells(result.stdout)
    expected = {
        f"{place.id}:{n}": BACKGROUNDS[heat_level(n)]
        for place in grid.rows
        for theme in ("cadre-accountability", "evaluation", "supervision")
        if (n := grid.counts.get((place.id, theme)))
    }
    assert shaded == expected and len({heat_level(int(k.split(":")[1])) for k in expected}) >= 3
    assert "guizhou:12" in shaded  # the number is printed inside its shade
    plain = ANSI.sub("", result.stdout)
    assert re.search(r"贵州省 \[guizhou\] .* 12 .* 7 .* 4", plain)


@pytest.mark.parametrize(
    "env",
    [{}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}],
    ids=["piped", "no-color"],
)
def test_no_shade_when_piped_or_no_color(env):
    result = invoke("matrix", *THEMES, env={"NO_COLOR": "", **env})
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    assert re.search(r"^贵州省 \[guizhou\] +12 +7 +4$", result.stdout, re.M)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True], ids=["terminal", "terminal-no-color"])
def test_a_real_terminal(no_color):
    """polcat on a pseudo-terminal, as a reader's shell runs it."""
    import pty

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "POLCAT_CATALOGUE")}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": "120"})
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "polcat", "matrix", *THEMES],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=120,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    out = b"".join(chunks).decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert "12" in out and "guizhou" in out
    if no_color:
        assert "48;2;" not in out
    else:
        assert shaded_cells(out)["guizhou:12"] == BACKGROUNDS[4]
