"""`polcat fmt`: canonical key order and style, values kept, idempotent, atomic, --check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import invoke, run_polcat, write

from polcat import fmt, locate
from polcat.yamlload import parse_yaml

SHIPPED = locate.shipped_catalogue()


def entry(tmp_path: Path, name: str = "e.yaml") -> Path:
    """Where an entry of a minimal catalogue goes: fmt formats only catalogue entries."""
    root = tmp_path / "cat"
    write(root / "localities.yaml", "localities: []\n")
    return root / "mechanisms" / "alpha" / name


def load(path: Path):
    return parse_yaml(path.read_text(encoding="utf-8"), track=False)[0]


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    """A copy of the shipped catalogue: fmt never touches the real one in tests."""
    root = tmp_path_factory.mktemp("shipped") / "catalogue"
    shutil.copytree(SHIPPED, root)
    return root


def test_fmt_round_trips_every_shipped_entry(shipped_copy):
    files = sorted((shipped_copy / "mechanisms").rglob("*.yaml"))
    before = {path: load(path) for path in files}
    assert len(files) >= 100
    result = invoke("fmt", "-C", str(shipped_copy))
    assert result.exit_code == 0, result.stderr
    for path in files:
        assert load(path) == before[path], path
        assert fmt.format_text(path.read_text(encoding="utf-8")) == path.read_text(encoding="utf-8"), (
            f"not idempotent: {path}"
        )
    again = invoke("fmt", "--check", "-C", str(shipped_copy))
    assert again.exit_code == 0 and again.stdout == ""
    assert invoke("validate", str(shipped_copy)).exit_code == 0


def test_keys_follow_the_schema_order_at_every_level(tmp_path):
    path = write(
        entry(tmp_path),
        (
            "sources:\n  - quote: 建立“五必查五抽查”督查机制\n    source: simp\n"
            "name: {pinyin: wǔ, zh: 五必查五抽查}\nstatus: draft\nx-extra: kept\nid: chishui-wubicha-wuchoucha\n"
            "relations:\n  - {target: chishui-sanding, type: part-of}\n"
        ),
    )
    before = load(path)
    assert invoke("fmt", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")] == [
        "id",
        "status",
        "name",
        "sources",
        "relations",
        "x-extra",
    ]
    assert text.index("  zh:") < text.index("  pinyin:")
    assert text.index("- source: simp") < text.index("quote:")
    assert text.index("- type: part-of") < text.index("target:")
    assert load(path) == before


def test_style_quotes_codes_folds_prose_and_keeps_types(tmp_path):
    prose = " ".join(["a long English note that goes on"] * 6)
    chinese = (
        "按照县级领导、正科级、副科级、一般干部按照“4321” 要求, 组织 4800 名县直机关党员干部联系帮扶 5900 余户贫困群众"
        * 2
    )
    path = write(
        entry(tmp_path),
        (
            f"id: x-4321\nstatus: draft\nname: {{zh: '4321', original: \"4+\"}}\n"
            f"outcomes: [{{indicator: 人, value: 128, quote: '{chinese}'}}, {{indicator: 人, value: '300余', quote: q}}]\n"
            f"sources: [{{source: s, quote: 'yes'}}]\nnotes: {prose}\n"
        ),
    )
    before = load(path)
    assert invoke("fmt", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert '  zh: "4321"\n  original: "4+"\n' in text
    assert "value: 128\n" in text and "value: 300余\n" in text
    assert 'quote: "yes"' in text
    assert (
        "notes: >-\n  a long English" in text
        and max(len(line) for line in text.splitlines() if line.startswith("  a long")) <= fmt.WIDTH
    )
    assert f"quote: {chinese}\n" in text  # Chinese stays on one line, its spaces visible
    assert "  - indicator: 人\n" in text  # lists indented under their key, block style
    assert load(path) == before


def test_check_lists_files_that_would_change_and_changes_nothing(mini):
    files = sorted((mini / "mechanisms").rglob("*.yaml"))
    before = {p: p.read_bytes() for p in files}
    done = run_polcat("fmt", "--check", "-C", str(mini))
    assert done.returncode == 1
    listed = done.stdout.split()
    assert listed and set(listed) <= {str(p) for p in files}
    assert "would be reformatted" in done.stderr and "Traceback" not in done.stderr
    assert all(p.read_bytes() == before[p] for p in files)
    registries = {p: p.read_bytes() for p in (mini / "localities.yaml", mini / "sources" / "simp.yaml")}
    assert run_polcat("fmt", str(mini)).returncode == 0  # a catalogue folder means its entries
    assert all(p.read_bytes() == registries[p] for p in registries)
    clean = run_polcat("fmt", "--check", str(mini / "mechanisms"))
    assert (clean.returncode, clean.stdout) == (0, "")


def test_files_with_comments_are_left_alone_unless_forced(tmp_path):
    original = "status: draft\n# why this is a draft\nid: x-y\nname: {zh: 三定}\nsources: [{source: s, quote: q}]\n"
    path = write(entry(tmp_path, "x-y.yaml"), original)
    result = invoke("fmt", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: has comments" in result.stderr
    assert path.read_text(encoding="utf-8") == original
    assert invoke("fmt", "--force", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("id: x-y\nstatus: draft\n")


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: b # c\n", 1),
        ("a: b\n\n  # indented\n", 3),
        ("a: 'x # not a comment'\nb: c#d\n", None),
        ("a: >-\n  folded # text\n", None),
    ],
)
def test_comment_detection(text, line):
    assert fmt.first_comment(text) == line


def test_a_file_that_cannot_be_read_is_reported_with_its_position(tmp_path):
    path = write(entry(tmp_path, "bad.yaml"), "id: x\nname: [unclosed\n")
    done = run_polcat("fmt", str(path))
    assert done.returncode == 1
    assert f"{path}:" in done.stderr and "YAML syntax error" in done.stderr and "Traceback" not in done.stderr


def test_nothing_is_written_when_the_data_would_change(tmp_path, monkeypatch):
    path = write(entry(tmp_path), "id: x\nstatus: draft\n")
    monkeypatch.setattr(fmt, "dump_entry", lambda data: "id: y\nstatus: draft\n")
    result = fmt.format_file(path)
    assert result.status == "error" and "would change the data" in result.message
    assert path.read_text(encoding="utf-8") == "id: x\nstatus: draft\n"


def test_writes_leave_no_temporary_files(tmp_path):
    path = write(entry(tmp_path), "status: draft\nid: x\n")
    assert fmt.format_file(path).status == "changed"
    assert sorted(p.name for p in path.parent.iterdir()) == ["e.yaml"]
    assert fmt.format_file(path).status == "unchanged"


def test_files_that_are_not_catalogue_entries_are_refused(tmp_path, mini):
    outside = write(tmp_path / "config.yaml", "z: 1\na: 2\n")
    registry = mini / "localities.yaml"
    before = registry.read_bytes()
    for path in (outside, registry):
        result = run_polcat("fmt", str(path))
        assert result.returncode == 1 and "not a catalogue entry" in result.stderr, result.stderr
    assert outside.read_text(encoding="utf-8") == "z: 1\na: 2\n" and registry.read_bytes() == before


def test_values_keep_their_text_through_fmt_and_show(mini):
    path = mini / "mechanisms" / "alpha" / "chishui-sanding.yaml"
    text = path.read_text(encoding="utf-8").replace("value: 11\n", "value: 1:3\n", 1)
    text = (
        text.replace("status: reviewed", "status: reviewed\naliases: [No, yes, 'on']", 1)
        if "aliases" not in text
        else text
    )
    path.write_text(text, encoding="utf-8")
    assert invoke("fmt", str(path)).exit_code == 0
    written = path.read_text(encoding="utf-8")
    assert 'value: "1:3"' in written
    assert load(path)["outcomes"][0]["value"] == "1:3"
    shown = invoke("show", "chishui-sanding", "-C", str(mini))
    body = shown.stdout.split("\nfile: ")[0]  # (the file's path may hold any digits: pytest-363)
    assert "1:3" in body and "63" not in body  # YAML 1.1 would read 1:3 as 63 (sexagesimal)


def test_scalar_texts_keep_what_is_written():
    from polcat.yamlload import scalar_texts

    assert scalar_texts("a: 1.0\nb: x\nc: ~\nd: true\ne: '007'\nf: 12\n") == {
        "a": "1.0",
        "b": "x",
        "c": None,
        "d": True,
        "e": "007",
        "f": "12",
    }


def test_the_shipped_catalogue_is_formatted():
    result = run_polcat("fmt", "--check", "-C", str(SHIPPED))
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
