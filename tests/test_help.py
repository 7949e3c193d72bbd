"""Every command's --help, read at 80 columns as a new user reads it: examples, lines that
do not break mid-sentence or get cut, and formats that are exactly the accepted ones."""

from __future__ import annotations

import itertools
import re

import pytest
import typer.main
from typer.testing import CliRunner

from polcat.cli import app

COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
# Options whose value is one of a few names: their help must list exactly those names.
ENUMERATED = ("--format", "--style", "--by", "--table", "--view", "--columns")
BOX = re.compile(r"[│╭╮╰╯─]")


def help_page(command: str) -> str:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    """The page's words in order, without the boxes and the line breaks."""
    return " ".join(BOX.sub(" ", text).split())


# By what click's parameters say of themselves, not their classes: typer 0.28 and later
# carry their own copy of click (typer._click), and click itself may not be installed.
def enumerated(command: str) -> list:
    params = COMMANDS[command].params
    return [
        p for p in params if p.param_type_name == "option" and hasattr(p.type, "choices") and p.opts[0] in ENUMERATED
    ]


def test_every_command_is_walked():
    assert {"list", "show", "validate", "export", "graph", "site", "new", "import", "extract", "coverage"} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_has_examples_of_the_command_itself(command):
    page = help_page(command)
    lines = [line.strip() for line in page.splitlines()]
    assert "Examples:" in lines, page
    examples = [line for line in lines[lines.index("Examples:") + 1 :] if line.startswith("$ polcat")]
    assert examples and all(e.startswith(f"$ polcat {command}") for e in examples), page
    assert all(len(line) <= 80 for line in page.splitlines())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_lines_are_not_cut_and_paragraphs_are_not_broken_mid_sentence(command):
    page = help_page(command)
    assert not re.search(r"\S…\s*│\s*$", page, re.M), page  # rich's ellipsis: text cut off
    described = COMMANDS[command]
    words = flat(page)
    # Every option's help is there in full, brackets included (rich markup would eat them).
    for param in described.params:
        if getattr(param, "help", None) and not getattr(param, "hidden", False):  # hidden: never shown
            assert " ".join(param.help.split()) in words, (param.name, page)
    # The description: each paragraph flows as one text, wrapped only where a line is full.
    intro = page.split("╭")[0]
    for paragraph in re.split(r"\n\s*\n", intro):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        prose = [line for line in lines if not line.startswith(("$ polcat", "Usage:"))]
        for line, following in itertools.pairwise(prose):
            room = 78 - len(line) - sum(1 for c in line if ord(c) > 0x2E80)  # CJK is two cells wide
            assert room < len(following.split()[0]) + 1, f"{command}: a line broken early: {line!r}"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_enumerated_option_lists_exactly_what_it_accepts_and_its_error_says_the_same(command):
    described = COMMANDS[command]
    # The values the same option takes anywhere (every --format's formats ...): a help
    # naming one its own option does not take states a wrong list.
    universe = {
        opt: {c for name in COMMANDS for p in enumerated(name) if p.opts[0] == opt for c in p.type.choices}
        for opt in ENUMERATED
    }
    required = [p for p in described.params if p.param_type_name == "argument" and p.required]
    for option in enumerated(command):
        accepted = set(option.type.choices)  # type: ignore[attr-defined]
        stated = {w for w in re.findall(r"[a-z][a-z-]*[a-z]", option.help or "") if w in universe[option.opts[0]]}
        assert stated == accepted, (command, option.opts, option.help)
        result = CliRunner().invoke(
            app, [command, *["x"] * len(required), option.opts[0], "bogus"], env={"COLUMNS": "200", "NO_COLOR": "1"}
        )
        assert result.exit_code == 2
        said = set(re.findall(r"'([a-z-]+)'", flat(result.stderr).split("is not one of", 1)[1]))
        assert said == accepted, (command, option.opts, result.stderr)


def test_polcat_help_lists_the_commands_on_whole_lines_with_examples():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "$ polcat search 三變" in lines and "$ polcat show 三定" in lines
    words = flat(result.stdout)
    for name, command in COMMANDS.items():  # each summary whole, in one flow
        summary = " ".join((command.short_help or command.help or "").split("\n\n")[0].split())
        assert f"{name} {summary[:40]}" in words, name


def test_reflow_joins_paragraph_lines_keeps_examples_and_escapes_markup():
    from polcat.cli.app import reflow_help

    doc = """First line
    goes on [bold]here[/] (see [1, 2]).

    Examples:
    $ polcat list --theme [x]
    $ polcat show 三定
    """
    assert reflow_help(doc) == (
        "First line goes on \\[bold]here\\[/] (see [1, 2]).\n\nExamples:\n$ polcat list --theme \\[x]\n$ polcat show 三定"
    )


def test_the_enumerated_options_are_found():
    """The checks above look at real options (a class check once matched none at all)."""
    assert {p.opts[0] for p in enumerated("export")} >= {"--format", "--table"}
    assert [p.opts[0] for p in enumerated("show")] == ["--format"]
