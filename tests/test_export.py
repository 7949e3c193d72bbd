"""`polcat export`: every format read back and compared with the catalogue (nothing lost)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from collections import defaultdict

import pytest
from support import FIXTURE, invoke, run_polcat

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.query import Filters

PARTS = {"components": "components", "sources": "sources", "relations": "relations", "outcomes": "outcomes"}


@pytest.fixture(scope="module")
def shipped():
    """The shipped catalogue: the richest data (aliases, details, outcomes, relations)."""
    return load_catalogue()


@pytest.fixture(scope="module")
def entries(shipped):
    return [e.record for e in query.filter_entries(shipped, Filters())]  # as stored, to compare with


def exported(*args: str) -> str:
    result = invoke("export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- JSON and JSONL -----------------------------------------------------------------


def test_json_is_every_entry_as_stored(entries):
    assert json.loads(exported("-f", "json")) == [r.data for r in entries]


def test_jsonl_takes_the_filters_of_list():
    filters = ("--locality", "贵州", "--theme", "cadre-accountability", "--since", "2010")
    lines = exported("-f", "jsonl", *filters).splitlines()
    listed = invoke("list", "-f", "json", *filters)
    assert [json.loads(line) for line in lines] == json.loads(listed.stdout)
    assert 0 < len(lines) < len(load_catalogue().entries())


def test_default_format_is_json_and_sort_is_honoured(shipped):
    data = json.loads(exported("--sort", "name", "--locality", "赤水"))
    expected = query.filter_entries(shipped, Filters(localities=["赤水"]), "name")
    assert [e["id"] for e in data] == [r.id for r in expected]


# --- CSV --------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def cell(value) -> str:
    return "" if value is None else str(value)


def test_csv_has_one_row_per_entry_with_every_scalar_field(entries):
    rows = read_csv(exported("-f", "csv"))
    assert [r["id"] for r in rows] == [e.id for e in entries]
    for row, entry in zip(rows, entries, strict=True):
        name, summary = entry.get("name"), entry.get("summary") or {}
        assert (row["name_zh"], row["name_original"], row["pinyin"], row["name_en"]) == tuple(
            cell(name.get(k)) for k in ("zh", "original", "pinyin", "en")
        )
        assert (row["status"], row["kind"], row["locality"], row["level"], row["year"]) == tuple(
            cell(entry.get(k)) for k in ("status", "kind", "locality", "level", "year")
        )
        assert (row["summary_zh"], row["summary_en"], row["notes"]) == (
            cell(summary.get("zh")),
            cell(summary.get("en")),
            cell(entry.get("notes")),
        )
        assert row["themes"] == "; ".join(entry.get("themes") or [])
        assert row["aliases"] == "; ".join(entry.get("aliases") or [])
        assert row["components"] == "; ".join(c["zh"] for c in entry.get("components") or [])


@pytest.mark.parametrize("table", PARTS)
def test_csv_part_tables_hold_every_item(entries, table):
    rows = read_csv(exported("-f", "csv", "--table", table))
    by_entry = defaultdict(list)
    for row in rows:
        by_entry[row["entry_id"]].append(row)
    expected_total = 0
    for entry in entries:
        items = entry.get(PARTS[table]) or []
        expected_total += len(items)
        got = by_entry.get(entry.id, [])
        assert [int(r["position"]) for r in got] == list(range(1, len(items) + 1))
        for row, item in zip(got, items, strict=True):
            for key, value in item.items():
                assert row[key] == cell(value), (entry.id, table, key)
    assert len(rows) == expected_total > 0


def test_csv_sources_table_names_each_source(shipped):
    rows = read_csv(exported("-f", "csv", "--table", "sources", "--locality", "赤水"))
    assert rows
    for row in rows:
        assert row["source_title"] == shipped.sources[row["source"]].get("title")


def test_csv_is_chosen_by_the_output_suffix(tmp_path, entries):
    out = tmp_path / "all.csv"
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {len(entries)} entries" in result.stderr and result.stdout == ""
    assert [r["id"] for r in read_csv(out.read_text(encoding="utf-8"))] == [e.id for e in entries]


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "catalogue.sqlite"
    result = run_polcat("export", "-f", "sqlite", "-o", str(path))
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def rows(conn, table: str, key: str, value: str) -> list[sqlite3.Row]:
    return conn.execute(f"SELECT * FROM {table} WHERE {key} = ? ORDER BY position", (value,)).fetchall()


def items(found: list[sqlite3.Row], renames: dict[str, str] | None = None) -> list[dict]:
    """Rows back into the YAML's list items: the part columns, without empty ones."""
    renames = renames or {}
    return [
        # a sqlite3.Row iterates its values, not its keys
        {renames.get(k, k): r[k] for k in r.keys() if k not in ("entry_id", "position") and r[k] is not None}  # noqa: SIM118
        for r in found
    ]


def rebuild(conn, entry_id: str) -> dict:
    """An entry put back together from the tables alone."""
    row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
    names = {"zh": row["name_zh"], "original": row["name_original"], "pinyin": row["pinyin"], "en": row["name_en"]}
    data = {
        "id": row["id"],
        "status": row["status"],
        "name": {k: v for k, v in names.items() if v is not None},
        "kind": row["kind"],
        "locality": row["locality"],
        "level": row["level"],
        "year": row["year"],
        "notes": row["notes"],
        "summary": {k: v for k, v in (("zh", row["summary_zh"]), ("en", row["summary_en"])) if v is not None} or None,
        "aliases": [r["alias"] for r in rows(conn, "aliases", "entry_id", entry_id)],
        "themes": [r["theme_id"] for r in rows(conn, "entry_themes", "entry_id", entry_id)],
        "components": items(rows(conn, "components", "entry_id", entry_id)),
        "outcomes": items(rows(conn, "outcomes", "entry_id", entry_id), {"source_id": "source"}),
        "sources": items(rows(conn, "citations", "entry_id", entry_id), {"source_id": "source"}),
        "relations": items(rows(conn, "relations", "entry_id", entry_id), {"target_id": "target"}),
        "former_ids": [r["former_id"] for r in rows(conn, "former_ids", "entry_id", entry_id)],
        "origin": {
            k: v
            for k, v in (
                ("basis", row["origin_basis"]),
                ("locality", row["origin_locality"]),
                ("note", row["origin_note"]),
            )
            if v is not None
        }
        or None,
    }
    return {k: v for k, v in data.items() if v not in (None, [])}


def test_sqlite_loses_nothing_of_any_entry(database, entries):
    assert [r["id"] for r in database.execute("SELECT id FROM entries ORDER BY id")] == sorted(e.id for e in entries)
    for entry in entries:
        assert rebuild(database, entry.id) == entry.data


def test_sqlite_foreign_keys_hold_and_are_declared(database):
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, fk["from"], fk["table"])
        for (table,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for fk in database.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert {
        ("entries", "locality", "localities"),
        ("entry_themes", "theme_id", "themes"),
        ("citations", "source_id", "sources"),
        ("components", "entry_id", "entries"),
        ("localities", "parent", "localities"),
    } <= declared


def test_sqlite_registries_are_complete(database, shipped):
    for table, registry in (
        ("localities", shipped.localities),
        ("themes", shipped.themes),
        ("sources", shipped.sources),
    ):
        assert {r["id"] for r in database.execute(f"SELECT id FROM {table}")} == set(registry)
    for source in shipped.sources.values():
        notes = [r["note"] for r in rows(database, "source_cleaning", "source_id", source.id)]
        assert notes == (source.get("cleaning") or [])
        excluded = [
            {k: r[k] for k in ("label", "reason", "note") if r[k] is not None}
            for r in rows(database, "source_exclusions", "source_id", source.id)
        ]
        assert excluded == (source.get("excluded") or [])
        row = database.execute("SELECT * FROM sources WHERE id = ?", (source.id,)).fetchone()
        stored = {k: v for k, v in source.data.items() if k not in ("cleaning", "excluded")}
        assert {k: row[k] for k in row.keys() if row[k] is not None} == stored  # noqa: SIM118 (a sqlite3.Row)
    for place in shipped.localities.values():
        row = database.execute("SELECT * FROM localities WHERE id = ?", (place.id,)).fetchone()
        assert (row["name_zh"], row["parent"], row["adcode"]) == (
            place.get("name")["zh"],
            place.get("parent"),
            place.get("adcode"),
        )


def test_sqlite_of_a_filtered_selection_keeps_relations_to_entries_outside(tmp_path):
    path = tmp_path / "taijiang.db"
    assert invoke("export", "--catalogue", str(FIXTURE), "--locality", "台江", "-o", str(path)).exit_code == 0
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT id FROM entries ORDER BY id")] == [
        "taijiang-1plusx",
        "taijiang-shihu-yiti",
    ]
    assert conn.execute("SELECT target_id FROM relations").fetchall() == [("chishui-1plusx",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_report_is_grouped_by_locality_then_theme(entries, shipped):
    report = exported("-f", "md")
    sections = {s.splitlines()[0]: s for s in report.split("\n## ")[1:]}
    order = list(shipped.themes)
    for entry in entries:
        (section,) = [s for h, s in sections.items() if h.endswith(f"({entry.get('locality')})")]
        themes = sorted(entry.get("themes") or [], key=order.index)
        described = section.index(f"\n`{entry.id}` ·")  # the facts line under the entry's heading
        if not themes:
            assert described > section.index("### No theme")
            continue
        # In full under its first theme (registry order), a pointer under the others.
        first = section.index(f"### {shipped.themes[themes[0]].get('name')['zh']} ")
        following = [section.find("\n### ", first + 1)]
        assert first < described < (following[0] if following[0] > 0 else len(section))
        for other in themes[1:]:
            start = section.index(f"### {shipped.themes[other].get('name')['zh']} ")
            assert f"(`{entry.id}`): see" in section[start:]


def test_markdown_report_quotes_and_lists_every_source(entries):
    report = exported("-f", "md", "--locality", "赤水")
    chishui = [e for e in entries if e.get("locality") == "chishui"]
    for entry in chishui:
        for cite in entry.get("sources"):
            assert f"> {cite['quote']}" in report
    cited = {c["source"] for e in chishui for c in e.get("sources")}
    sources = report[report.index("\n## Sources") :]
    assert all(f"[{s}]" in sources for s in cited)


# --- the command as a user meets it -------------------------------------------------------


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("precious", encoding="utf-8")
    result = run_polcat("export", "-o", str(out))
    assert result.returncode == 2
    assert "exists" in result.stderr and "--force" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "precious"
    assert run_polcat("export", "-o", str(out), "--force").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_written_files_are_readable_like_any_new_file(tmp_path):
    out = tmp_path / "out.md"
    assert invoke("export", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize(
    "args, message",
    [
        (("-f", "sqlite"), "give --output FILE"),
        (("-f", "json", "--table", "components"), "--table goes with --format csv"),
        (("--theme", "no-such-theme"), "unknown theme 'no-such-theme'"),
        (("-f", "xml"), "Invalid value"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args, message):
    result = run_polcat("export", *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == "" and "Traceback" not in result.stderr


def test_nothing_matching_exits_1_and_writes_nothing(tmp_path):
    out = tmp_path / "none.csv"
    result = run_polcat("export", "--locality", "台江", "--year", "1950", "-o", str(out))
    assert result.returncode == 1 and "no entries match" in result.stderr
    assert not out.exists()


def test_an_unwritable_output_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("", encoding="utf-8")
    for target, message in ((tmp_path / "folder", "is a directory"), (tmp_path / "file" / "out.json", "cannot write")):
        result = run_polcat("export", "-o", str(target), "--force", env={"COLUMNS": "500"})
        assert result.returncode == 2
        assert message in result.stderr and "Traceback" not in result.stderr
