"""`polcat validate` as users and CI see it: formats, exit codes, streams, paths."""

from __future__ import annotations

import json
from pathlib import Path

from support import invoke, run_polcat, write

ENTRY = "mechanisms/alpha/chishui-sanding.yaml"


def break_kind(root: Path) -> Path:
    path = root / ENTRY
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: numeric-code", "kind: number-code"), encoding="utf-8"
    )
    return path


def test_text_report_names_file_line_rule_and_hint(mini):
    break_kind(mini)
    result = invoke("validate", str(mini))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(ENTRY)
    assert lines[1].split()[:3] == ["8:7", "error", "schema"]
    assert "hint: expected one of: numeric-code" in lines[2]
    assert lines[-1].startswith("✗ 1 error in 1 file")


def test_json_report_is_a_list_of_problems(mini):
    break_kind(mini)
    result = invoke("validate", str(mini), "--format", "json")
    assert result.exit_code == 1
    (item,) = json.loads(result.stdout)
    assert item["file"].endswith(ENTRY)
    assert (item["line"], item["column"], item["rule"], item["severity"]) == (8, 7, "schema", "error")
    assert {"file", "line", "column", "rule", "message"} <= set(item)


def test_json_report_of_a_valid_catalogue_is_an_empty_list(mini):
    result = invoke("validate", str(mini), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_github_annotations(mini):
    break_kind(mini)
    result = invoke("validate", str(mini), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=")
    assert ENTRY in first and ",line=8,col=7,title=polcat schema::" in first


def test_report_can_be_limited_to_some_files(mini):
    break_kind(mini)
    other = mini / "mechanisms/beta"
    assert invoke("validate", str(other)).exit_code == 0
    assert invoke("validate", str(mini / ENTRY)).exit_code == 1


def test_an_entry_outside_any_catalogue_is_checked_against_the_given_one(mini, tmp_path):
    outside = write(
        tmp_path / "drafts" / "chishui-new.yaml",
        "id: chishui-new\nstatus: draft\nname: {zh: 新}\nlocality: chishui\nsources:\n  - {source: simp, quote: 不在原文里}\n",
    )
    result = invoke("validate", str(outside), "--catalogue", str(mini), "-f", "json")
    assert result.exit_code == 1
    assert [(p["rule"], p["line"]) for p in json.loads(result.stdout)] == [("quote-in-source", 6)]


def test_catalogue_from_environment(mini):
    break_kind(mini)
    result = invoke("validate", env={"POLCAT_CATALOGUE": str(mini)})
    assert result.exit_code == 1


def test_usage_errors_exit_2(mini, tmp_path):
    assert invoke("validate", str(tmp_path / "missing")).exit_code == 2
    assert invoke("validate", "--format", "xml").exit_code == 2
    result = invoke("validate", "--catalogue", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a catalogue" in result.stderr


def test_list_rules(mini):
    result = invoke("validate", "--list-rules")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"schema", "quote-in-source", "part-of-cycle", "unique-id", "duplicate-key"} <= set(ids)


def test_subprocess_streams_and_exit_codes(mini, tmp_path):
    ok = run_polcat("validate", str(mini), cwd=tmp_path)
    assert ok.returncode == 0 and ok.stderr == ""
    assert "the catalogue at cat is valid" in ok.stdout
    break_kind(mini)
    bad = run_polcat("validate", str(mini), cwd=tmp_path)
    assert bad.returncode == 1
    assert "number-code" in bad.stdout and "Traceback" not in bad.stderr
    usage = run_polcat("validate", "--format", "nope", cwd=tmp_path)
    assert usage.returncode == 2 and usage.stdout == ""
    assert "nope" in usage.stderr


def test_subprocess_on_a_catalogue_full_of_bad_files_never_shows_a_traceback(mini, tmp_path):
    folder = mini / "mechanisms/bad"
    write(folder / "tabs.yaml", "id: tabs\n\tname: x\n")
    write(folder / "tag.yaml", "id: tag\nname: !!python/object/apply:os.system ['echo pwned']\n")
    (folder / "gbk.yaml").write_bytes("id: gbk\nname: {zh: 三定}\n".encode("gbk"))
    (folder / "empty.yaml").write_bytes(b"")
    (folder / "dir.yaml").mkdir()
    (folder / "binary.yaml").write_bytes(bytes(range(256)))
    result = run_polcat("validate", str(mini), "-f", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "pwned" not in result.stdout
    rules = {(Path(p["file"]).name, p["rule"]) for p in json.loads(result.stdout)}
    assert {
        ("tabs.yaml", "yaml"),
        ("tag.yaml", "yaml-tag"),
        ("gbk.yaml", "encoding"),
        ("empty.yaml", "empty"),
        ("dir.yaml", "unreadable"),
        ("binary.yaml", "encoding"),
    } <= rules


def test_no_colour_when_piped_or_no_color(mini, tmp_path):
    break_kind(mini)
    result = run_polcat("validate", str(mini), cwd=tmp_path, env={"FORCE_COLOR": ""})
    assert "\x1b[" not in result.stdout


def test_version_and_help():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("polcat ")
    result = invoke("--help")
    assert result.exit_code == 0 and "validate" in result.stdout
