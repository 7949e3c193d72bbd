"""Property-based tests: whatever the input, polcat answers without crashing or hanging,
and a mutation that breaks a rule is never reported valid.

The default run tries a few hundred inputs. The long run is a separate command:

    POLCAT_FUZZ=long python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import FIXTURE, invoke

from polcat import query
from polcat.catalogue import load_catalogue
from polcat.problems import LoadError
from polcat.validate import validate
from polcat.yamlload import parse_yaml

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile("long" if os.environ.get("POLCAT_FUZZ") == "long" else "default")

FIXTURE_ENTRIES = {
    p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (FIXTURE / "mechanisms").rglob("*.yaml")
}
ENTRY = "chishui-sanding.yaml"
YAML_PIECES = st.sampled_from(
    [
        "a",
        ":",
        " ",
        "\n",
        "- ",
        "  ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&x ",
        "*x",
        "!!str ",
        "!tag ",
        "'",
        '"',
        "#",
        "|",
        ">",
        "---",
        "...",
        "?",
        "三定",
        "\t",
        "2017-03-01",
        "0x1F",
        "~",
        "yes",
        "\\",
        "%YAML 1.1\n",
        "<<: ",
    ]
)


@given(st.binary(max_size=400))
def test_loader_takes_any_bytes(data):
    from polcat.textio import decode_utf8

    try:
        parse_yaml(decode_utf8(data))
    except LoadError as exc:
        assert exc.rule and exc.message


@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_loader_takes_any_yaml_like_text(text):
    for track in (True, False):
        try:
            parse_yaml(text, track=track)
        except LoadError as exc:
            assert exc.line is None or exc.line >= 1


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def catalogue_with(workspace: Path, name: str, content: bytes) -> Path:
    root = workspace / "cat"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURE, root)
    target = next(root.joinpath("mechanisms").rglob(name))
    target.write_bytes(content)
    return root


@given(st.one_of(st.binary(max_size=300), st.lists(YAML_PIECES, max_size=40).map(lambda p: "".join(p).encode())))
def test_commands_survive_a_garbage_entry(workspace, content):
    root = catalogue_with(workspace, ENTRY, content)
    for args in (["validate"], ["list"], ["search", "三定"], ["show", "chishui-wubicha-wuchoucha"], ["stats"]):
        result = invoke(*args, "--catalogue", str(root)) if args[0] != "validate" else invoke("validate", str(root))
        assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)


# --- mutations that must be caught --------------------------------------------------

BREAKERS = {
    "unknown theme": lambda e: e.__setitem__("themes", ["no-such-theme"]),
    "unknown locality": lambda e: e.__setitem__("locality", "nowhere"),
    "bad kind": lambda e: e.__setitem__("kind", "number-code"),
    "no sources": lambda e: e.pop("sources"),
    "reworded quote": lambda e: e["sources"][0].__setitem__("quote", e["sources"][0]["quote"] + "之外"),
    "dangling relation": lambda e: e.setdefault("relations", []).append(
        {"type": "similar-to", "target": "no-such-entry"}
    ),
    "unknown field": lambda e: e.__setitem__("colour", "red"),
    "year as text": lambda e: e.__setitem__("year", "2016"),
    "id not file name": lambda e: e.__setitem__("id", "something-else"),
    "unknown source": lambda e: e["sources"][0].__setitem__("source", "no-such-source"),
}
NEUTRAL = {
    "notes": lambda e, v: e.__setitem__("notes", v),
    "alias": lambda e, v: e.setdefault("aliases", []).append(v + "别名"),
    "english": lambda e, v: e.setdefault("name", {}).__setitem__("en", v),
}


@given(
    st.sampled_from(sorted(FIXTURE_ENTRIES)),
    st.sampled_from(sorted(BREAKERS)),
    st.lists(
        st.tuples(
            st.sampled_from(sorted(NEUTRAL)), st.text(alphabet="abc 三定xyz", min_size=1, max_size=10).filter(str.strip)
        ),
        max_size=3,
    ),
)
def test_a_breaking_mutation_is_never_reported_valid(workspace, name, breaker, neutral):
    entry = copy.deepcopy(FIXTURE_ENTRIES[name])
    for field, value in neutral:
        NEUTRAL[field](entry, value)
    BREAKERS[breaker](entry)
    root = catalogue_with(workspace, name, yaml.safe_dump(entry, allow_unicode=True).encode())
    result = validate(root)
    broken = [p for p in result.errors if Path(p.file).name == name]
    assert broken, f"{breaker} on {name} was reported valid"
    assert all(p.line is not None for p in broken)


_FIXTURE_CAT = None


def _fixture_catalogue():
    global _FIXTURE_CAT
    if _FIXTURE_CAT is None:
        _FIXTURE_CAT = load_catalogue(FIXTURE)
    return _FIXTURE_CAT


@given(st.one_of(st.text(max_size=30), st.text(alphabet="三定五必查 1+Xx赤水贵州 san ding", max_size=12)))
@example("三定")  # a name the fixture has: resolve finds it, so the name-key check runs every time
@example("全国")  # a place the fixture has: the locality check runs every time
def test_search_and_locality_matching_take_any_text(text):
    cat = _fixture_catalogue()
    hits = query.search(cat, text)
    ids = [h.entry.id for h in hits]
    assert len(ids) == len(set(ids)) and set(ids) <= set(cat.mechanisms)
    assert all(h.score > 0 and h.reasons for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    places = query.match_locality(cat, text)
    assert len({p.id for p in places}) == len(places)
    assert all(cat.locality(p.id) == p for p in places)  # registry places, each once
    for record in query.resolve(cat, text):
        assert record.id == text or query.name_keys(cat, record) & {query.fold(text), query.fold_latin(text)}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(
    st.sampled_from(sorted(FIXTURE_ENTRIES)), st.sampled_from(["", " ", "\u200b", "\u200d", "\ufeff"]), st.booleans()
)
def test_an_entry_is_found_by_its_own_name_in_any_width_and_with_invisibles(name, noise, wide):
    cat = _fixture_catalogue()
    entry = FIXTURE_ENTRIES[name]
    zh = _full_width(entry["name"]["zh"]) if wide else entry["name"]["zh"]
    typed = zh[:1] + noise + zh[1:]
    assert entry["id"] in {h.entry.id for h in query.search(cat, typed)}
    assert entry["id"] in {r.id for r in query.resolve(cat, typed)}
