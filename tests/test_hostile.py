"""Hostile text in, safe text out (issue 12).

A table of payloads (rich markup, OSC and ANSI escapes, bidirectional overrides, NUL,
spreadsheet formulas, HTML and Markdown breakers, DOT and Mermaid breakers, characters
XML forbids) is written into a catalogue and run through every command and output format;
none may get through. Then files: links that lead out of the catalogue, a forged cache,
an unusable HOME and the temporaries of a killed writer.

The loader refuses control and bidirectional characters in YAML text, so those payloads
reach outputs through file names, or through catalogues written by other tools: the
second catalogue below is loaded with that check switched off (in-process, and in a real
process through ``python -c``), so that every output sees them.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from support import FIXTURE, REPO, invoke, run_polcat
from typer.testing import CliRunner

from polcat import cache, escape, textio
from polcat.cli import app

SRC = str(Path(escape.__file__).resolve().parents[1])  # the polcat under test, whatever the cwd

# --- the payloads -----------------------------------------------------------------------

# Text every YAML loader accepts, so a shared catalogue can carry it as it is.
LEGAL = {
    "markup-link": "[link=https://evil.example]click[/link]",
    "markup-close": "[/bold]",
    "markup-style": "[bold red]loud[/] :thumbs_up:",
    "formula-eq": '=HYPERLINK("https://evil.example","x")',
    "formula-plus": "+1+cmd|' /C calc'!A0",
    "formula-minus": "-2+3",
    "formula-at": "@SUM(A1:A9)",
    "formula-tab": "\t=1+1",
    "html-script": "<script>alert(1)</script>",
    "html-img": "<img src=x onerror=alert(1)>",
    "md-pipe": "a | b | c",
    "md-lines": "line one\n# Heading\n- item\n> quote\n    code\n1. first\n---\n```",
    "md-inline": "*em* _em_ `code` ~~del~~ &amp; &#60;",
    "md-link": "[link](javascript:alert(1)) ![img](https://evil.example/x.png) <https://evil.example>",
    "graph-quote": 'x"]; evil -> pwned; {',
    "graph-brace": "a}\n}\ndigraph { b",
    "graph-mermaid": "--> n_x ]]; end |x| %%{init: {}}%%",
}
# Text only a catalogue written by another tool (or a file name) can carry.
CONTROL = {
    "osc-link": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "ansi": "\x1b[31mred\x1b[0m\x1b[2J",
    "bel": "ring\x07",
    "nul": "nul\x00byte",
    "bidi": "abc\u202etxt.exe",
    "bidi-isolate": "\u2066iso\u2069\u200f",
    "c1": "csi\x9b31m",
    "cr": "\roverwritten",
    "xml-illegal": "ctrl\x01\x02\x0b",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BIG = 123456789012345678901234567890  # beyond SQLite's 64-bit integers

# Characters no terminal, Markdown file or graph file may receive raw (newline aside).
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours


def assert_terminal_safe(text: str, payloads: dict[str, str], *, color: bool = False) -> None:
    for name, payload in payloads.items():
        raw = [part for part in re.split("[\n]", payload) if UNSAFE.search(part)]
        for part in raw:
            assert part not in text, f"{name} reached the terminal raw"
    assert "\x1b]" not in text, "an OSC sequence (hyperlink, window title) reached the terminal"
    if color:
        text = SGR.sub("", text)
    found = UNSAFE.search(text)
    assert found is None, f"raw U+{ord(found.group()):04X} in {text[max(0, found.start() - 40) : found.end() + 40]!r}"


# --- escape.py ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_terminal_shows_every_control_character_visibly(name):
    shown = escape.terminal(CONTROL[name])
    assert UNSAFE.search(shown) is None and "\n" not in shown
    assert shown.count("\\") >= len(UNSAFE.findall(CONTROL[name]))  # each one visible, none dropped


def test_terminal_escapes_name_the_character():
    assert escape.terminal("a\x1bb\x00c\u202ed\x9be\udcff") == "a\\x1bb\\x00c\\u202ed\\x9be\\udcff"
    assert escape.terminal("one\ntwo") == "one\\x0atwo"
    assert escape.terminal("one\ntwo\tx", multiline=True) == "one\ntwo\\x09x"


def test_terminal_keeps_ordinary_text_as_it_is():
    for text in (
        "三定 (干部定责·组织定位·群众定效)",
        "1+X",
        "Three Fixes",
        "贵州省 [guizhou]",
        "a\\b",
        "café ‘quoted’",
    ):
        assert escape.terminal(text) == text


def test_rich_text_is_never_markup():
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200)
    for payload in (*LEGAL.values(), *CONTROL.values()):
        console.print(escape.rich_text(payload, multiline=True))
    text = out.getvalue()
    assert "[link=https://evil.example]click[/link]" in text and "[/bold]" in text and ":thumbs_up:" in text
    assert_terminal_safe(text, CONTROL, color=True)


@pytest.mark.parametrize("payload", [p for p in (*LEGAL.values(), *CONTROL.values()) if p.startswith(FORMULA_START)])
def test_csv_guard_prefixes_formulas(payload):
    assert escape.csv_cell(payload) == "'" + payload
    assert escape.csv_cell(payload, guard=False) == payload


@pytest.mark.parametrize("value", [-5, 3.5, "-5", "+3.25", "-1e3", "1+X", "三定", None, "", "a=b", " =1"])
def test_csv_guard_leaves_numbers_and_ordinary_text(value):
    assert escape.csv_cell(value) == escape.cell_text(value)


def test_csv_guard_applies_to_joined_lists():
    assert escape.csv_cell(["=1", "b"]) == "'=1; b"


MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def md_tokens(text: str) -> list:
    tokens = MD.parse(text)
    return tokens + [child for t in tokens for child in (t.children or [])]


def token_types(text: str) -> set[str]:
    return {t.type for t in md_tokens(text)}


MARKUP_TOKENS = {
    "html_block",
    "html_inline",
    "link_open",
    "image",
    "s_open",
    "em_open",
    "strong_open",
    "code_inline",
    "code_block",
    "fence",
    "hr",
    "heading_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "table_open",
}


@pytest.mark.parametrize("name", sorted(LEGAL) + sorted(CONTROL))
def test_markdown_escapes_are_text_only(name):
    payload = {**LEGAL, **CONTROL}[name]
    for rendered in (escape.md_inline(payload), escape.md_block(payload), "- " + escape.md_inline(payload)):
        assert UNSAFE.search(rendered) is None
        found = token_types(rendered) & MARKUP_TOKENS - {"bullet_list_open"}
        assert not found, (rendered, found)
    assert token_types(escape.md_quote(payload)) & MARKUP_TOKENS == {"blockquote_open"}
    assert "\n" not in escape.md_inline(payload)
    assert escape.md_quote(payload).count("\n") == escape.md_block(payload).count("\n")
    assert all(line.startswith(">") for line in escape.md_quote(payload).split("\n"))


def test_markdown_keeps_ordinary_text():
    for text in (
        "[chishui-2017] 贵州赤水:创新“三定”机制, 人民网",
        "重庆市 > 南岸区",
        "1+X",
        "4+",
        "1.5万",
        "-5 户",
        "R&D",
    ):
        assert escape.md_inline(text) == text


def test_markdown_urls_and_code():
    assert escape.md_url("https://example.org/a?b=1") == "<https://example.org/a?b=1>"
    for bad in ("javascript:alert(1)", "https://x.org/a>b<script>", "https://x.org/a b"):
        assert "link_open" not in token_types(escape.md_url(bad)) and "html_inline" not in token_types(
            escape.md_url(bad)
        )
    assert escape.md_code("chishui-sanding") == "`chishui-sanding`"
    code = escape.md_code("a``b`")
    assert [t.content for t in md_tokens(code) if t.type == "code_inline"] == ["a``b`"]


def test_markdown_table_cells_stay_in_their_row():
    row = "| " + " | ".join(escape.md_inline(p, table=True) for p in (*LEGAL.values(), *CONTROL.values())) + " |"
    assert "\n" not in row
    assert len(unescaped_pipes(row)) == len(LEGAL) + len(CONTROL) + 1


def unescaped_pipes(line: str) -> list[int]:
    found, backslashes = [], 0
    for i, ch in enumerate(line):
        if ch == "|" and backslashes % 2 == 0:
            found.append(i)
        backslashes = backslashes + 1 if ch == "\\" else 0
    return found


DOT_STRING = r'"(?:[^"\\\n]|\\.)*"'
DOT_NODE = re.compile(rf"  {DOT_STRING} \[label={DOT_STRING}\];")
DOT_EDGE = re.compile(rf"  {DOT_STRING} -> {DOT_STRING} \[label={DOT_STRING}(?:, dir=none)?\];")
MERMAID_ID = r"(?:n_[a-z0-9_]+|x_[0-9a-f]+)"
MERMAID_NODE = re.compile(rf'  {MERMAID_ID}\["[^"`<>|\n]*"\]')
MERMAID_EDGE = re.compile(rf'  {MERMAID_ID} (?:-->|---)\|"[^"`<>|\n]*"\| {MERMAID_ID}')


def assert_dot_safe(text: str, nodes: int | None = None) -> None:
    lines = text.rstrip("\n").split("\n")
    assert lines[0].startswith("digraph ") and lines[-1] == "}" and lines[1] == "  rankdir=LR;"
    body = lines[3:-1]
    assert all(DOT_NODE.fullmatch(line) or DOT_EDGE.fullmatch(line) for line in body), [
        line for line in body if not (DOT_NODE.fullmatch(line) or DOT_EDGE.fullmatch(line))
    ]
    assert UNSAFE.search(text) is None
    if nodes is not None:
        assert sum(1 for line in body if DOT_NODE.fullmatch(line)) == nodes


def assert_mermaid_safe(text: str, nodes: int | None = None) -> None:
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    bad = [line for line in lines[1:] if not (MERMAID_NODE.fullmatch(line) or MERMAID_EDGE.fullmatch(line))]
    assert not bad
    assert "```" not in text and UNSAFE.search(text) is None
    if nodes is not None:
        assert sum(1 for line in lines if MERMAID_NODE.fullmatch(line)) == nodes


def test_graph_writers_quote_any_id_and_label():
    from polcat.graph import Edge, Graph, Node, render

    texts = [*LEGAL.values(), *CONTROL.values(), "end", "plain-slug"]
    nodes = [Node(t, t, "model", {"locality": t}) for t in texts]
    edges = [Edge(a.id, b.id, a.id) for a, b in itertools.pairwise(nodes)]
    g = Graph('g"} x', nodes, edges)
    assert_dot_safe(render(g, "dot"), len(nodes))
    assert_mermaid_safe(render(g, "mermaid"), len(nodes))
    mermaid_ids = {escape.mermaid_id(t) for t in texts}
    assert len(mermaid_ids) == len(texts)  # one-to-one
    root = ET.fromstring(render(g, "graphml").encode("utf-8"))  # well-formed
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = [d.text for d in root.iterfind("g:graph/g:node/g:data[@key='node_label']", ns)]
    assert labels == [escape.xml_text(t) for t in texts]
    assert [n["label"] for n in json.loads(render(g, "json"))["nodes"]] == texts  # JSON keeps the text


def test_xml_text_replaces_only_what_xml_forbids():
    assert escape.xml_text("a\x00b\x01\tc\nd\u202e") == "a\\x00b\\x01\tc\nd\u202e"


# --- the hostile catalogue ----------------------------------------------------------------


def build_catalogue(root: Path, payloads: dict[str, str]) -> list[str]:
    """A copy of the mini fixture with, for each payload, an entry, a county, a theme and a
    source whose every text field holds it. Returns the new entry ids."""
    shutil.copytree(FIXTURE, root)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=1000)  # noqa: E731
    localities = yaml.safe_load((root / "localities.yaml").read_text(encoding="utf-8"))
    themes = yaml.safe_load((root / "themes.yaml").read_text(encoding="utf-8"))
    names = sorted(payloads)
    ids = [f"hostile-{i}" for i in range(len(names))]
    for i, name in enumerate(names):
        p = payloads[name]
        localities["localities"].append(
            {"id": f"hostile-place-{i}", "name": {"zh": p, "en": p, "pinyin": p}, "level": "county", "parent": "zunyi"}
        )
        themes["themes"].append(
            {"id": f"hostile-theme-{i}", "name": {"zh": p, "en": p}, "field": "party-building", "description": p}
        )
        (root / f"sources/hostile-source-{i}.yaml").write_text(
            dump(
                {
                    "id": f"hostile-source-{i}",
                    "title": p,
                    "publisher": p,
                    "author": p,
                    "date": "2017",
                    "script": "Hans",
                    "sha256": "0" * 64,
                    "notes": p,
                }
            ),
            encoding="utf-8",
        )
        (root / f"sources/hostile-source-{i}.txt").write_text("正文。\n", encoding="utf-8")
        entry = {
            "id": ids[i],
            "status": "draft",
            "name": {"zh": p, "original": p + "·", "pinyin": p, "en": p + " hostile"},
            "aliases": [p + " alias"],
            "kind": "model",
            "summary": {"zh": p, "en": p},
            "components": [{"zh": p, "en": p, "detail": p}],
            "locality": f"hostile-place-{i}",
            "origin": {"basis": "inferred", "locality": f"hostile-place-{i}", "note": p},
            "level": "county",
            "year": 2016,
            "themes": [f"hostile-theme-{i}", "evaluation"],
            "outcomes": [{"indicator": p, "value": BIG if i == 0 else p, "unit": p, "quote": p}],
            "sources": [{"source": f"hostile-source-{i}", "quote": p}],
            "relations": [{"type": "part-of", "target": ids[(i + 1) % len(names)], "note": p}],
            "notes": p,
        }
        folder = root / "mechanisms" / "hostile"
        folder.mkdir(exist_ok=True)
        (folder / f"{ids[i]}.yaml").write_text(dump(entry), encoding="utf-8")
    (root / "localities.yaml").write_text(dump(localities), encoding="utf-8")
    (root / "themes.yaml").write_text(dump(themes), encoding="utf-8")
    return ids


@pytest.fixture(params=["legal", "control"])
def hostile(request, tmp_path, monkeypatch):
    """(catalogue, payloads): schema-legal payloads as any catalogue may hold them, or every
    payload as a catalogue written by another tool would (the loader's check switched off)."""
    payloads = dict(LEGAL) if request.param == "legal" else {**LEGAL, **CONTROL}
    root = tmp_path / "cat"
    build_catalogue(root, payloads)
    if request.param == "control":
        import polcat.yamlload

        monkeypatch.setattr(polcat.yamlload, "_BAD_CHARACTER", re.compile("(?!)"))
    monkeypatch.setenv("POLCAT_NO_CACHE", "1")
    return root, payloads


def run(*args: str, color: bool = False):
    """The CLI in-process; with ``color``, rich on a forced colour terminal."""
    env = {"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "4000"} if color else {"NO_COLOR": "1", "FORCE_COLOR": None}
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


LISTINGS = [
    ("list",),
    ("search", "hostile", "-n", "0"),
    ("related", "hostile-0", "-n", "0"),
    ("matrix", "--by", "county"),
    ("localities",),
    ("themes",),
    ("sources",),
    ("stats",),
]


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: c[0])
def test_tables_print_catalogue_text_literally(hostile, command, color):
    root, payloads = hostile
    result = run(*command, "-C", str(root), color=color)
    assert result.exit_code == 0, result.stderr
    assert_terminal_safe(result.stdout, payloads, color=color)
    assert_terminal_safe(result.stderr, payloads, color=color)
    if command[0] in ("list", "search", "localities", "themes", "sources"):
        shown = SGR.sub("", result.stdout)
        for literal in (LEGAL["markup-link"], LEGAL["markup-close"], LEGAL["markup-style"]):
            assert literal in shown  # markup is text: no link, no style, no exit 3
        if "ansi" in payloads and command[0] != "sources":
            assert escape.terminal(payloads["ansi"]) in shown


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_show_prints_every_field_literally(hostile, color):
    root, payloads = hostile
    for i, name in enumerate(sorted(payloads)):
        result = run("show", f"hostile-{i}", "-C", str(root), color=color)
        assert result.exit_code == 0, result.stderr
        assert_terminal_safe(result.stdout, payloads, color=color)
        shown = SGR.sub("", result.stdout)
        for line in payloads[name].split("\n"):
            assert escape.terminal(line) in shown, name


@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: c[0])
def test_data_formats_keep_the_text_exactly(hostile, command):
    root, payloads = hostile
    kept = []
    for fmt in ("json", "jsonl", "yaml"):
        result = run(*command, "-C", str(root), "-f", fmt)
        assert result.exit_code == 0, result.stderr
        if fmt == "json":
            data = json.loads(result.stdout)
        elif fmt == "jsonl":
            data = [json.loads(line) for line in result.stdout.splitlines()]
        else:
            data = yaml.safe_load(result.stdout)
        kept.append(set(strings(data)))
    assert kept[0] == kept[2] and (command[0] == "stats" or kept[0] == kept[1])
    if command[0] in ("list", "search", "localities", "themes", "sources"):
        assert set(payloads.values()) <= kept[0]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_csv_guarded(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert re.fullmatch(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?", cell), f"formula cell {cell!r}"


@pytest.mark.parametrize("command", [*LISTINGS, ("export",)], ids=lambda c: c[0])
def test_csv_neutralises_formulas_unless_asked_not_to(hostile, command):
    root, payloads = hostile
    guarded = run(*command, "-C", str(root), "-f", "csv")
    raw = run(*command, "-C", str(root), "-f", "csv", "--no-csv-guard")
    assert guarded.exit_code == raw.exit_code == 0, guarded.stderr
    guarded_rows, raw_rows = csv_rows(guarded.stdout), csv_rows(raw.stdout)
    assert_csv_guarded(guarded_rows)
    assert len(guarded_rows) == len(raw_rows)
    for g, r in zip(guarded_rows, raw_rows, strict=True):  # the guard adds a quote, and only that
        assert [cell[1:] if cell != raw_cell else cell for cell, raw_cell in zip(g, r, strict=True)] == r
    if command[0] in ("list", "export", "themes", "sources"):
        cells = {cell for row in raw_rows for cell in row}
        assert set(payloads.values()) & cells  # the text as stored, for programs
        for name, payload in payloads.items():
            if payload.startswith(FORMULA_START) and payload in cells:
                assert "'" + payload in {cell for row in guarded_rows for cell in row}, name


@pytest.mark.parametrize("table", ["components", "sources", "relations", "outcomes"])
def test_export_csv_tables_are_guarded(hostile, table):
    root, _ = hostile
    result = run("export", "-C", str(root), "-f", "csv", "--table", table)
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert len(rows) > len(LEGAL)
    assert_csv_guarded(rows)
    if table == "outcomes":
        assert str(BIG) in {cell for row in rows for cell in row}  # a number: left alone


def assert_md_listing_safe(text: str, columns: int) -> None:
    lines = text.rstrip("\n").split("\n")
    assert UNSAFE.search(text) is None
    assert all(len(unescaped_pipes(line)) == columns + 1 for line in lines), "a cell broke out of its row"
    types = token_types(text)
    assert not types & (MARKUP_TOKENS - {"table_open"}), types & MARKUP_TOKENS
    html = MD.render(text)
    for tag in ("<script", "<img", "<a ", "<em>", "<code>", "<h1>", "<li>", "<blockquote>", "<s>"):
        assert tag not in html


@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: c[0])
def test_markdown_listings_hold_one_row_per_item(hostile, command):
    root, _payloads = hostile
    result = run(*command, "-C", str(root), "-f", "md")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.split("\n", 1)[0]
    assert_md_listing_safe(result.stdout, len(unescaped_pipes(header)) - 1)


def test_markdown_report_is_text_only(hostile):
    root, _payloads = hostile
    result = run("export", "-C", str(root), "-f", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert UNSAFE.search(text) is None
    tokens = md_tokens(text)
    types = {t.type for t in tokens}
    assert not types & {
        "html_block",
        "html_inline",
        "image",
        "link_open",
        "s_open",
        "strong_open",
        "code_block",
        "fence",
        "hr",
        "table_open",
    }
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1
    assert "Heading" not in headings and not any(h.strip() == "item" for h in headings)
    ems = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "em_open"]
    assert set(ems) <= {"Notes:"}
    codes = {t.content for t in tokens if t.type == "code_inline"}
    assert all(re.fullmatch(r"[a-z0-9-]+", c) for c in codes)
    items = [
        tokens[i + 2].content
        for i, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[i + 2].type == "inline"
    ]
    assert "item" not in items and "first" not in items
    html = MD.render(text)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("javascript:alert", "")


def test_markdown_report_quotes_stay_in_their_blockquote(hostile):
    root, _payloads = hostile
    text = run("export", "-C", str(root), "-f", "md").stdout
    lines = text.split("\n")
    # A quote's lines all start with '>': the payload's own lines never leave it.
    starts = [i for i, line in enumerate(lines) if line == "> line one"]
    assert starts
    for start in starts:
        block = lines[start : start + LEGAL["md-lines"].count("\n") + 1]
        assert all(line.startswith(">") for line in block), block


def test_graphs_in_every_format(hostile):
    root, payloads = hostile
    entries = len(payloads) + 5
    for view in ("relations", "localities"):
        for derived in ((), ("--derived",)):
            dot = run("graph", "-C", str(root), "--view", view, *derived, "-f", "dot")
            assert dot.exit_code == 0, dot.stderr
            assert_dot_safe(dot.stdout, entries if view == "relations" else None)
            mermaid = run("graph", "-C", str(root), "--view", view, *derived, "-f", "mermaid")
            assert_mermaid_safe(mermaid.stdout, entries if view == "relations" else None)
        graphml = run("graph", "-C", str(root), "--view", view, "-f", "graphml")
        root_element = ET.fromstring(graphml.stdout.encode("utf-8"))
        ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
        labels = {d.text for d in root_element.iterfind("g:graph/g:node/g:data[@key='node_label']", ns)}
        assert {escape.xml_text(p) for p in payloads.values()} <= labels
        data = json.loads(run("graph", "-C", str(root), "--view", view, "-f", "json").stdout)
        assert set(payloads.values()) <= {n["label"] for n in data["nodes"]}


def test_sqlite_keeps_the_text_and_big_numbers(hostile, tmp_path):
    root, payloads = hostile
    out = tmp_path / "x.db"
    result = run("export", "-C", str(root), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(out)
    try:
        names = {row[0] for row in conn.execute("SELECT name_zh FROM entries")}
        values = {row[0] for row in conn.execute("SELECT value FROM outcomes")}
        titles = {row[0] for row in conn.execute("SELECT title FROM sources")}
    finally:
        conn.close()
    assert set(payloads.values()) <= names and set(payloads.values()) <= titles
    assert str(BIG) in values  # stored as its text, not a crash


def test_site_pages_and_csv(hostile, tmp_path):
    root, _payloads = hostile
    out = tmp_path / "site"
    result = run("site", str(out), "-C", str(root))
    assert result.exit_code == 0, result.stderr
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html
    rows = csv_rows((out / "data/entries.csv").read_text(encoding="utf-8"))
    assert_csv_guarded(rows)
    assert json.loads((out / "data/entries.json").read_text(encoding="utf-8"))  # JSON as stored


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_validate_reports_one_line_per_problem(hostile, color):
    root, payloads = hostile
    (root / "mechanisms/hostile/hostile-0.yaml").rename(root / "mechanisms/hostile/renamed.yaml")  # id-filename
    text = run("validate", str(root), color=color)
    assert text.exit_code == 1
    assert_terminal_safe(text.stdout, payloads, color=color)
    problems = json.loads(run("validate", str(root), "-f", "json").stdout)
    assert problems
    lines = [line for line in SGR.sub("", text.stdout).split("\n") if re.match(r"  [0-9-]+:[0-9-]+ ", line)]
    assert len(lines) == len(problems)  # one line each, whatever the message holds
    github = run("validate", str(root), "-f", "github").stdout.rstrip("\n").split("\n")
    assert len(github) == len(problems) + 1 and all(line.startswith("::") for line in github[:-1])
    assert_terminal_safe("\n".join(github), payloads)
    if "nul" in payloads:  # JSON keeps what the messages quote
        assert any(payloads["nul"] in p["message"] for p in problems)


# --- as real processes --------------------------------------------------------------------

# Runs polcat with the loader's control-character check off: a catalogue written by
# another tool, seen by a real process with real stdout and stderr.
UNCHECKED = (
    "import re, polcat.yamlload as y; y._BAD_CHARACTER = re.compile('(?!)'); from polcat.cli import main; main()"
)


def run_unchecked(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", "POLCAT_NO_CACHE": "1", "PYTHONPATH": SRC, **(env or {})}
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return subprocess.run([sys.executable, "-c", UNCHECKED, *args], env=full_env, capture_output=True, timeout=120)


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_a_real_process_sends_nothing_raw(tmp_path, color):
    root = tmp_path / "cat"
    payloads = {**LEGAL, **CONTROL}
    build_catalogue(root, payloads)
    env = {"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "4000"} if color else None
    for args in (("list",), ("show", "hostile-1"), ("search", "hostile"), ("localities",), ("validate", str(root))):
        done = run_unchecked(*args, *(("-C", str(root)) if args[0] != "validate" else ()), env=env)
        assert done.returncode in (0, 1), done.stderr
        for stream in (done.stdout, done.stderr):
            assert_terminal_safe(stream.decode("utf-8"), payloads, color=color)


def hostile_file_names(root: Path) -> None:
    """Entries whose file names hold escapes, a bidi override and undecodable bytes."""
    folder = os.fsencode(root / "mechanisms" / "alpha")
    entry = (root / "mechanisms/alpha/chishui-sanding.yaml").read_bytes()
    with open(folder + b"/\x1b]8;;https:evil.example\x07click\x1b]8;;\x07\x1b[31m[red]x[bold].yaml", "wb") as fh:
        fh.write(entry.replace(b"id: chishui-sanding", b"id: named-badly"))
    with open(folder + b"/\xff\xfe\xe2\x80\xaebad\x07.yaml", "wb") as fh:
        fh.write(b"id: [broken\n")


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_file_names_are_printed_escaped(mini, color):
    hostile_file_names(mini)
    env = {"POLCAT_NO_CACHE": "1", **({"FORCE_COLOR": "1", "NO_COLOR": ""} if color else {})}
    if color:
        env = {k: v for k, v in {**os.environ, **env}.items() if k != "NO_COLOR"}
    checks = [
        run_polcat("validate", str(mini), env=env),
        run_polcat("validate", str(mini), "-f", "github", env=env),
        run_polcat("list", "-C", str(mini), env=env),
        run_polcat("show", "named-badly", "-C", str(mini), env=env),
    ]
    for done in checks:
        assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr
        assert_terminal_safe(done.stdout, CONTROL, color=color)
        assert_terminal_safe(done.stderr, CONTROL, color=color)
    assert "\\x1b]8;;https:evil.example\\x07click" in checks[0].stdout
    assert "left out" in checks[2].stderr and "\\udcff\\udcfe\\u202ebad\\x07" in checks[2].stderr
    assert "[red]x[bold].yaml" in checks[3].stdout  # literal, not markup
    data = run_polcat("validate", str(mini), "-f", "json", env={"POLCAT_NO_CACHE": "1"})
    files = {p["file"] for p in json.loads(data.stdout)}  # JSON keeps the names exactly
    assert any(f.endswith("\x1b]8;;https:evil.example\x07click\x1b]8;;\x07\x1b[31m[red]x[bold].yaml") for f in files)
    assert any(os.fsencode(f).endswith(b"\xff\xfe\xe2\x80\xaebad\x07.yaml") for f in files)


def test_maintenance_commands_print_names_and_cells_escaped(mini, tmp_path):
    """fmt names files, import quotes spreadsheet cells, and usage errors echo the query:
    all of it reaches the terminal escaped."""
    folder = os.fsencode(mini / "mechanisms" / "alpha")
    with open(folder + b"/\x1b[31mred\x07.yaml", "wb") as fh:
        fh.write(b"id: [broken\n")
    done = run_polcat("fmt", "--check", "-C", str(mini), env={"POLCAT_NO_CACHE": "1"})
    assert done.returncode == 1 and "\\x1b[31mred\\x07.yaml" in done.stderr
    sheet = tmp_path / "s.csv"
    sheet.write_text("名称,地区,来源,年份\n三變,chishui,trad,\x1b]8;;x\x07\n", encoding="utf-8")
    done = run_polcat("import", str(sheet), "--dry-run", "-C", str(mini), env={"POLCAT_NO_CACHE": "1"})
    assert "year '\\x1b]8;;x\\x07' is not a number" in done.stderr
    done = run_polcat("list", "--theme", "\x1b[2Jx", "-C", str(mini), env={"POLCAT_NO_CACHE": "1"})
    assert done.returncode == 2 and "\\x1b[2Jx" in done.stderr
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream


# --- files stay inside the catalogue -------------------------------------------------------

SECRET = "SECRET-TOKEN-8d1f"


def secret_entry(outside: Path) -> Path:
    outside.mkdir(parents=True, exist_ok=True)
    path = outside / "secret.yaml"
    path.write_text(
        f"id: secret-entry\nstatus: draft\nname: {{zh: {SECRET}}}\nkind: model\nlocality: chishui\n"
        f"themes: [evaluation]\nnotes: {SECRET}\nsources:\n  - source: simp\n    quote: {SECRET}\n",
        encoding="utf-8",
    )
    return path


def assert_never_shown(root: Path) -> None:
    for args in (
        ("list", "-f", "json"),
        ("search", SECRET),
        ("show", "secret-entry"),
        ("export", "-f", "csv"),
        ("export", "-f", "md"),
        ("graph", "-f", "json"),
        ("themes", "-f", "json"),
        ("sources", "-f", "json"),
        ("localities", "-f", "json"),
    ):
        result = invoke(*args, "-C", str(root))
        assert SECRET not in result.stdout, args
        assert SECRET not in result.stderr.replace(f"nothing matches '{SECRET}'", ""), args  # the query echoed back


def problems_of(root: Path) -> list[dict]:
    result = invoke("validate", str(root), "-f", "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)


def test_a_linked_entry_leading_outside_is_reported_and_never_read(mini, tmp_path):
    link = mini / "mechanisms/alpha/linked.yaml"
    link.symlink_to(secret_entry(tmp_path / "home/.config"))
    (problem,) = problems_of(mini)
    assert (problem["rule"], problem["line"]) == ("unreadable", 1)
    assert problem["file"].endswith("mechanisms/alpha/linked.yaml") and "outside the catalogue" in problem["message"]
    assert SECRET not in json.dumps(problem)
    assert_never_shown(mini)
    text = invoke("validate", str(mini)).stdout
    assert "linked.yaml" in text and "1:-" in text


def test_linked_folders_leading_outside_are_reported(mini, tmp_path):
    secret_entry(tmp_path / "outside")
    (mini / "mechanisms/elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    (problem,) = problems_of(mini)
    assert problem["rule"] == "unreadable" and problem["file"].endswith("mechanisms/elsewhere")
    assert_never_shown(mini)


def test_a_linked_mechanisms_folder_leading_outside_is_not_read(mini, tmp_path):
    secret_entry(tmp_path / "outside")
    shutil.rmtree(mini / "mechanisms")
    (mini / "mechanisms").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert any(p["file"].endswith("mechanisms") and p["rule"] == "unreadable" for p in problems_of(mini))
    assert_never_shown(mini)


@pytest.mark.parametrize("registry", ["themes.yaml", "localities.yaml", "sources/simp.yaml"])
def test_linked_registries_and_source_metadata_leading_outside_are_not_read(mini, tmp_path, registry):
    outside = tmp_path / "outside" / Path(registry).name
    outside.parent.mkdir()
    text = (mini / registry).read_text(encoding="utf-8")
    outside.write_text(
        text.replace("Appraisal.", SECRET).replace("赤水市", SECRET).replace("简体报道", SECRET), encoding="utf-8"
    )
    assert SECRET in outside.read_text(encoding="utf-8")
    (mini / registry).unlink()
    (mini / registry).symlink_to(outside)
    problems = problems_of(mini)
    assert any(p["file"].endswith(registry) and p["rule"] == "unreadable" and p["line"] == 1 for p in problems)
    assert SECRET not in json.dumps(problems)
    assert_never_shown(mini)


def test_links_inside_the_catalogue_still_work(mini):
    entry = mini / "mechanisms/alpha/chishui-sanding.yaml"
    (mini / "drafts").mkdir()
    entry.rename(mini / "drafts/chishui-sanding.yaml")
    entry.symlink_to(Path("../../drafts/chishui-sanding.yaml"))
    assert invoke("validate", str(mini)).exit_code == 0
    assert invoke("show", "chishui-sanding", "-C", str(mini)).exit_code == 0


# --- the cache -------------------------------------------------------------------------


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLCAT_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLCAT_NO_CACHE", raising=False)
    return folder


def forge(mini: Path, cache_dir: Path) -> Path:
    """Make the cache claim that a broken entry is the valid one it was before."""
    import marshal

    entry = mini / "mechanisms/alpha/chishui-sanding.yaml"
    assert invoke("validate", str(mini)).exit_code == 0  # cached while valid
    (path,) = cache_dir.glob("catalogue-*.marshal")
    good = marshal.loads(path.read_bytes())
    entry.write_text(entry.read_text(encoding="utf-8").replace("kind: numeric-code", "kind: [broken"), encoding="utf-8")
    assert invoke("validate", str(mini)).exit_code == 1
    rel = "mechanisms/alpha/chishui-sanding.yaml"
    item = list(good["files"][rel])
    item[0] = cache.stamp(entry.stat())  # the broken file's stamp, the valid file's data
    good["files"][rel] = tuple(item)
    path.write_bytes(marshal.dumps(good))
    return path


def test_a_forged_cache_is_believed_only_when_it_is_the_users_own(mini, cache_dir):
    path = forge(mini, cache_dir)
    os.chmod(path, 0o600)
    # The user's own private cache is trusted (that is what makes it fast): the forgery works,
    # which shows that the cases below test the guard, not a missed cache.
    assert invoke("validate", str(mini)).exit_code == 0


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_cache_file_others_can_write_is_ignored_and_left_alone(mini, cache_dir, mode):
    path = forge(mini, cache_dir)
    os.chmod(path, mode)
    before = path.read_bytes()
    result = invoke("validate", str(mini))
    assert result.exit_code == 1 and "yaml" in result.stdout  # the broken entry is reported
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == mode  # never written into


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_cache_folder_others_can_write_is_ignored(mini, cache_dir, mode):
    forge(mini, cache_dir)
    os.chmod(cache_dir, mode)
    before = sorted(p.name for p in cache_dir.iterdir())
    assert invoke("validate", str(mini)).exit_code == 1
    assert sorted(p.name for p in cache_dir.iterdir()) == before  # nothing written there
    os.chmod(cache_dir, 0o700)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_cache_owned_by_another_user_is_ignored(mini, cache_dir):
    path = forge(mini, cache_dir)
    os.chown(path, 65534, 65534)
    assert invoke("validate", str(mini)).exit_code == 1
    os.chown(path, 0, 0)
    os.chown(cache_dir, 65534, 65534)
    assert invoke("validate", str(mini)).exit_code == 1


def test_a_linked_cache_file_is_ignored(mini, cache_dir, tmp_path):
    path = forge(mini, cache_dir)
    elsewhere = tmp_path / "forged.marshal"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert invoke("validate", str(mini)).exit_code == 1
    assert path.is_symlink()


def test_a_new_cache_folder_is_private(mini, cache_dir):
    assert invoke("list", "-C", str(mini)).exit_code == 0
    assert (cache_dir.stat().st_mode & 0o777) == 0o700
    (path,) = cache_dir.glob("catalogue-*.marshal")
    assert (path.stat().st_mode & 0o077) == 0
    assert invoke("show", "chishui-sanding", "-C", str(mini)).exit_code == 0
    (path,) = cache_dir.glob("index-*.sqlite")  # show reads the index
    assert (path.stat().st_mode & 0o077) == 0


def cache_env(home: str | None, tmp_path: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("POLCAT_CACHE_DIR", "XDG_CACHE_HOME", "POLCAT_NO_CACHE", "HOME")
    }
    if home is not None:
        env["HOME"] = home
    return {**env, "NO_COLOR": "1", "PYTHONPATH": SRC}


def polcat_with(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "polcat", *args], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


@pytest.mark.parametrize("home", ["a-file", "missing", "relative", "unset"])
def test_an_unusable_home_gets_no_folders_and_polcat_still_works(tmp_path, home):
    before = set(tmp_path.rglob("*"))
    (tmp_path / "a-file").write_text("not a folder")
    value = {
        "a-file": str(tmp_path / "a-file"),
        "missing": str(tmp_path / "missing"),
        "relative": "rel-home",
        "unset": None,
    }[home]
    real_home = Path(os.path.expanduser("~")) / ".cache" / "polcat"
    real_before = sorted(real_home.iterdir()) if real_home.is_dir() else None
    done = polcat_with(cache_env(value, tmp_path), "list", "-C", str(FIXTURE), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "chishui-sanding" in done.stdout
    assert set(tmp_path.rglob("*")) - before == {tmp_path / "a-file"}  # nothing created, not even rel-home/
    if home == "unset":  # not the account's home either
        assert (sorted(real_home.iterdir()) if real_home.is_dir() else None) == real_before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder to another user needs root"
)
def test_another_users_home_gets_no_folders(tmp_path):
    home = tmp_path / "alice"
    home.mkdir()
    os.chown(home, 65534, 65534)  # sudo keeps HOME: root must not leave root-owned folders in it
    done = polcat_with(cache_env(str(home), tmp_path), "list", "-C", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    assert list(home.iterdir()) == []


def test_a_usable_home_gets_a_private_cache(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    done = polcat_with(cache_env(str(home), tmp_path), "list", "-C", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    folder = home / ".cache" / "polcat"
    assert folder.is_dir() and (folder.stat().st_mode & 0o777) == 0o700 and list(folder.glob("catalogue-*.marshal"))


def test_a_home_polcat_cannot_write_gets_no_folders(tmp_path):
    home = tmp_path / "readonly-home"
    home.mkdir()
    kwargs: dict = {}
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root writes anywhere: run as nobody
        for folder in (tmp_path, home):
            os.chmod(folder, 0o755)
        kwargs = {"user": 65534, "group": 65534}
    else:
        os.chmod(home, 0o555)
    env = cache_env(str(home), tmp_path)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        done = polcat_with(env, "list", "-C", str(REPO / "catalogue"), cwd=str(home), **kwargs)
    except PermissionError as exc:
        pytest.skip(f"another user cannot run this Python: {exc}")
    os.chmod(home, 0o755)
    if done.returncode != 0 and "Permission denied" in done.stderr:
        pytest.skip(f"nobody cannot run polcat from here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    assert list(home.iterdir()) == []


# --- temporaries of a killed writer --------------------------------------------------------


def test_stale_temporaries_are_removed_when_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "_swept", set())
    folder = tmp_path / "mechanisms" / "alpha"
    folder.mkdir(parents=True)
    old = time.time() - 3600
    stale = [folder / ".chishui-sanding.yaml.ab12cd_3.tmp", folder / ".other.yaml.zzzzzzzz.tmp"]
    fresh = folder / ".chishui-sanding.yaml.qwertyui.tmp"  # a writer may be at work
    foreign = [folder / ".notes.tmp", folder / "keep.yaml.abcdefgh.tmp", folder / ".x.yaml.abcdefgh.tmp.bak"]
    for path in (*stale, fresh, *foreign):
        path.write_text("half")
    for path in (*stale, *foreign):
        os.utime(path, (old, old))
    textio.atomic_write(folder / "new.yaml", "id: new\n")
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and all(p.exists() for p in foreign)
    assert (folder / "new.yaml").read_text() == "id: new\n"


def test_a_killed_writer_leaves_nothing_in_mechanisms_after_the_next_write(mini, monkeypatch):
    monkeypatch.setattr(textio, "_swept", set())
    folder = mini / "mechanisms" / "chishui"
    folder.mkdir()
    leftover = folder / ".chishui-sanding.yaml.k1ll3d00.tmp"
    leftover.write_text("id: chishui-sa")
    os.utime(leftover, (time.time() - 120, time.time() - 120))
    result = invoke(
        "new",
        "--name",
        "三定",
        "--locality",
        "chishui",
        "--source",
        "simp",
        "--theme",
        "evaluation",
        "--id",
        "chishui-sanding-two",
        "-C",
        str(mini),
    )
    if result.exit_code != 0:  # `new` refuses what it cannot check; any atomic write into the folder does
        textio.atomic_write(folder / "chishui-sanding-two.yaml", "id: x\n")
    assert not leftover.exists()
    assert not list((mini / "mechanisms").rglob("*.tmp"))


# --- the site refuses pages that would replace generated ones -------------------------------


def test_a_theme_or_locality_named_index_never_replaces_a_generated_page(mini, tmp_path):
    themes = (mini / "themes.yaml").read_text(encoding="utf-8")
    (mini / "themes.yaml").write_text(themes.replace("id: evaluation", "id: index"), encoding="utf-8")
    places = (mini / "localities.yaml").read_text(encoding="utf-8")
    (mini / "localities.yaml").write_text(
        places + "  - id: index\n    name: {zh: 索引, en: Index}\n    level: county\n    parent: zunyi\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = invoke("site", str(out), "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    assert "theme index" in result.stderr and "locality index" in result.stderr
    localities = (out / "localities/index.html").read_text(encoding="utf-8")
    assert '<h1><span class="l-en" lang="en">Localities</span>' in localities and "索引" not in localities
    assert '<h1><span class="l-en" lang="en">Themes</span>' in (out / "themes/index.html").read_text(encoding="utf-8")
