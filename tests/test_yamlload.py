"""The loader: plain data, exact positions, and a clear error for every kind of bad file."""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest
import yaml
from support import FIXTURE

from polcat.problems import LoadError
from polcat.yamlload import MAX_DEPTH, MAX_VALUES, load_yaml_file, parse_yaml


def error_of(text: str) -> LoadError:
    with pytest.raises(LoadError) as info:
        parse_yaml(text)
    return info.value


def test_same_data_as_safe_load_on_every_fixture_file():
    for path in FIXTURE.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        data, _ = parse_yaml(text)
        assert data == yaml.safe_load(text), path


def test_positions_of_keys_values_and_list_items():
    data, pos = parse_yaml("id: x\nname:\n  zh: 三定\nthemes:\n  - a\n  - b\n")
    assert data == {"id": "x", "name": {"zh": "三定"}, "themes": ["a", "b"]}
    assert pos.of(("name", "zh")) == (3, 7)
    assert pos.of(("name", "zh"), key=True) == (3, 3)
    assert pos.of(("themes", 1)) == (6, 5)
    # a path that does not exist falls back to its nearest ancestor
    assert pos.of(("name", "en")) == (3, 3)


def test_dates_and_times_stay_strings():
    data, _ = parse_yaml("date: 2017-03-01\nwhen: 2001-12-14t21:59:43.10-05:00\n")
    assert data == {"date": "2017-03-01", "when": "2001-12-14t21:59:43.10-05:00"}


def test_scalars_resolve_like_yaml_1_2_core():
    data, _ = parse_yaml(
        "a: 45\nb: -7\nc: 1.5\nd: true\ne: ~\nf: '1233'\ng: 1:3\nh: No\ni: yes\nj: off\nk: 2017-03-01\n"
        "l: 1.0e+5x\nm: null\nn: FALSE\no: 12:30:45\n"
    )
    assert data == {
        "a": 45,
        "b": -7,
        "c": 1.5,
        "d": True,
        "e": None,
        "f": "1233",
        "g": "1:3",
        "h": "No",
        "i": "yes",
        "j": "off",
        "k": "2017-03-01",
        "l": "1.0e+5x",
        "m": None,
        "n": False,
        "o": "12:30:45",
    }
    assert type(data["a"]) is int and type(data["c"]) is float


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("0045", "45"),
        ("+5", "5"),
        ("0x1F", "31"),
        ("0o17", "15"),
        ("1.50", "1.5"),
        ("1e3", "1000.0"),
        (".5", "0.5"),
        ("-0", "0"),
    ],
)
def test_a_number_not_written_canonically_is_refused_where_it_stands(text, canonical):
    err = error_of(f"id: x\nvalue: {text}\n")
    assert (err.rule, err.line, err.column) == ("number-form", 2, 8)
    assert canonical in err.message and f'"{text}"' in err.hint


@pytest.mark.parametrize("text", ["1_000", "0b101", "1_000.5", ".inf", "-.Inf", ".nan", "!!float .nan"])
def test_numbers_that_readers_disagree_on_or_that_are_not_finite_are_refused(text):
    assert error_of(f"value: {text}\n").rule == "number-form"


@pytest.mark.parametrize("text", ['"1_000"', "'0045'", '"1:3"', "!!str 0045"])
def test_quoted_numbers_stay_text(text):
    value = parse_yaml(f"value: {text}\n")[0]["value"]
    assert isinstance(value, str) and value == text.split()[-1].strip("'\"")


@pytest.mark.parametrize("char", ["\\e", "\\0", "\\a", "\\x9b", "\\u202e", "\\u2066", "\\u200f"])
def test_control_and_bidi_characters_in_text_are_refused(char):
    err = error_of(f'id: x\nname: "a{char}b"\n')
    assert (err.rule, err.line) == ("control-character", 2)
    assert "U+" in err.message


def test_tabs_and_newlines_in_text_are_fine():
    assert parse_yaml('a: "x\\ty\\nz"\n')[0] == {"a": "x\ty\nz"}


@pytest.mark.parametrize("text, line", [("a: 1\nb: 2\na: 3\n", 3), ("x:\n  y: 1\n  z: 2\n  y: 3\n", 4)])
def test_duplicate_keys_are_errors_at_the_second_key(text, line):
    err = error_of(text)
    assert err.rule == "duplicate-key"
    assert err.line == line
    assert "first at line" in err.message


@pytest.mark.parametrize(
    "text", ["a: !!python/object/apply:os.system ['true']\n", "a: !custom x\n", "a: !!set {x}\n", "a: !!binary aGk=\n"]
)
def test_tags_are_refused_not_constructed(text):
    err = error_of(text)
    assert err.rule == "yaml-tag"
    assert (err.line, err.column) == (1, 4)


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    err = error_of("\n".join(lines) + "\n")
    assert err.rule == "too-large"
    assert f"{MAX_VALUES:,}" in err.message
    assert time.perf_counter() - started < 30  # bounded, not a hang (generous: this is not a benchmark)


def test_small_aliases_are_fine():
    data, _ = parse_yaml("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_deep_nesting_is_refused_without_recursion():
    err = error_of("[" * 100_000)
    assert err.rule == "too-deep"
    assert err.column == MAX_DEPTH + 1


@pytest.mark.parametrize(
    "text, line, column, fragment",
    [
        ("a: 1\n\tb: 2\n", 2, 1, "tab"),
        ("a: b: c\n", 1, 5, "mapping values are not allowed"),
        ("a: 'x\n", 2, 1, "end of stream"),
        ("a: [1, 2\n", 2, 1, "expected ',' or ']'"),
        ("a: 1\nb: x\x07\n", 2, 5, "control character"),
    ],
)
def test_syntax_errors_carry_line_and_column(text, line, column, fragment):
    err = error_of(text)
    assert err.rule == "yaml"
    assert (err.line, err.column) == (line, column)
    assert fragment in err.message


def test_empty_file_and_comment_only_file():
    assert error_of("").rule == "empty"
    assert error_of("# nothing\n").rule == "empty"


def test_several_documents_are_refused():
    err = error_of("a: 1\n---\nb: 2\n")
    assert err.line == 2


def test_non_text_keys_are_refused():
    assert parse_yaml("yes: 1\n")[0] == {"yes": 1}  # text in YAML 1.2
    err = error_of("true: 1\n")
    assert "bool" in err.message and err.hint == "put the key in quotes"


def test_bom_and_crlf_are_accepted(tmp_path: Path):
    path = tmp_path / "e.yaml"
    path.write_bytes(codecs.BOM_UTF8 + "id: x\r\nname:\r\n  zh: 三定\r\n".encode())
    doc = load_yaml_file(path)
    assert doc.data == {"id": "x", "name": {"zh": "三定"}}
    assert doc.positions.of(("name", "zh")) == (3, 7)


SIMPLIFIED = "id: x\nname:\n  zh: 两学一做 三定 党建扶贫机制\n"
TRADITIONAL = "id: x\nname:\n  zh: 兩學一做 三定 黨建扶貧機制\n"


@pytest.mark.parametrize(
    "encoding, text, name",
    [
        ("gbk", SIMPLIFIED, "GB18030/GBK"),
        ("gb18030", SIMPLIFIED, "GB18030/GBK"),
        ("big5", TRADITIONAL, "Big5"),
        ("utf-16", SIMPLIFIED, "UTF-16"),
    ],
)
def test_legacy_encodings_are_named(tmp_path: Path, encoding, text, name):
    path = tmp_path / "e.yaml"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(LoadError) as info:
        load_yaml_file(path)
    assert info.value.rule == "encoding"
    assert name in info.value.message
    if encoding != "utf-16":
        assert info.value.line == 3  # where the first non-UTF-8 byte stands


def test_binary_file(tmp_path: Path):
    path = tmp_path / "e.yaml"
    path.write_bytes(b"id: x\x00\x01\x02 binary")
    with pytest.raises(LoadError) as info:
        load_yaml_file(path)
    assert info.value.rule == "encoding"
    assert "binary" in info.value.message


def test_oversized_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(LoadError) as info:
        load_yaml_file(path)
    assert info.value.rule == "too-large"
    assert "50.0 MiB" in info.value.message


def test_directory_and_missing_file(tmp_path: Path):
    with pytest.raises(LoadError) as info:
        load_yaml_file(tmp_path)
    assert "directory" in info.value.message
    with pytest.raises(LoadError) as info:
        load_yaml_file(tmp_path / "nope.yaml")
    assert info.value.rule == "unreadable"


def test_unreadable_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "e.yaml"
    path.write_text("id: x\n")
    if os.geteuid() == 0:  # root reads files whatever their mode: make the read fail instead

        def refuse(self):
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "read_bytes", refuse)
    else:
        path.chmod(0)
    with pytest.raises(LoadError) as info:
        load_yaml_file(path)
    assert info.value.message == "permission denied"


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "x:\n  y: [1, {z: 2, z: 3}]\n",
        "a: !!python/object:os.system x\n",
        "\ta: 1\n",
        "[" * 1000,
        "? [1]\n: x\n",
        "1: x\n",
    ],
)
def test_untracked_parse_raises_the_same_error(text):
    with pytest.raises(LoadError) as tracked:
        parse_yaml(text, track=True)
    with pytest.raises(LoadError) as untracked:
        parse_yaml(text, track=False)
    assert (untracked.value.rule, untracked.value.line, untracked.value.column, untracked.value.message) == (
        tracked.value.rule,
        tracked.value.line,
        tracked.value.column,
        tracked.value.message,
    )


def test_untracked_document_works_out_positions_on_demand(tmp_path: Path):
    path = tmp_path / "e.yaml"
    path.write_text("id: x\nname:\n  zh: 三定\n", encoding="utf-8")
    doc = load_yaml_file(path, track=False)
    assert doc.data == {"id": "x", "name": {"zh": "三定"}}
    assert doc.positions.of(("name", "zh")) == (3, 7)


def test_a_large_document_without_aliases_is_not_an_alias_bomb():
    # a big registry has more values than the alias cap; only what aliases add is capped
    data, _ = parse_yaml("items: [" + "0," * (MAX_VALUES + 10) + "0]\n", track=False)
    assert len(data["items"]) == MAX_VALUES + 11
