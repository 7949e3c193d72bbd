"""Every command is documented: in its --help and in the README."""

from __future__ import annotations

import re

import pytest
from support import REPO, invoke

from polcat import cli
from polcat.cli import options

COMMANDS = sorted(info.name or info.callback.__name__ for info in cli.app.registered_commands)
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_commands_are_registered():
    assert {
        "validate",
        "list",
        "show",
        "search",
        "related",
        "matrix",
        "localities",
        "themes",
        "sources",
        "stats",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    info = next(i for i in cli.app.registered_commands if (i.name or i.callback.__name__) == command)
    assert info.callback.__doc__ and len(info.callback.__doc__.strip()) > 20


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_readme(command):
    assert re.search(rf"`polcat {command}\b", README), f"README does not mention `polcat {command}`"


def test_readme_quick_start_has_the_two_commands():
    quick = README[README.index("## Quick start") : README.index("## A short tour")]
    blocks = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(blocks) == 2
    assert "pip install ." in blocks[0] and "polcat" in blocks[0]
    assert "pip install '.[test]'" in blocks[1] and "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    # the test extra installed (with the dev extra: CI lints and type-checks too)
    assert "-m pytest" in ci and ("[test]" in ci or "[test,dev]" in ci)


def test_completion_offers_ids_themes_and_localities(monkeypatch):
    monkeypatch.delenv("POLCAT_CATALOGUE", raising=False)
    assert "chishui-sanding" in options.complete_ids("chishui-s")
    assert all(i.startswith("chishui-s") for i in options.complete_ids("chishui-s"))
    assert options.complete_themes("cadre-") == ["cadre-accountability", "cadre-incentives", "cadre-selection"]
    assert "guizhou" in options.complete_localities("gui")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_help(command):
    import typer.main

    click_command = typer.main.get_command(cli.app).commands[command]
    for param in click_command.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"polcat {command} {param.opts[0]} has no help"


def test_readme_names_every_outside_tool_its_examples_use_and_how_to_get_it():
    """An example piping into jq, sqlite3 or dot is only useful to a reader who has it."""
    examples = "\n".join(re.findall(r"```console\n(.*?)\n```", README, re.S))
    quick = README[README.index("## Quick start") : README.index("## A short tour")]
    for tool, package in (("jq", "jq"), ("sqlite3", "sqlite3"), ("dot", "graphviz")):
        if re.search(rf"(^\$ |\| ){tool} ", examples, re.M) or re.search(rf"&& {tool} ", examples):
            assert f"`{tool}`" in quick and package in quick.split("apt install", 1)[1].split("\n", 1)[0], tool
