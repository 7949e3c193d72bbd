"""The compiled fast check never calls valid what jsonschema calls invalid."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO

from polcat.catalogue import load_catalogue
from polcat.schema import fast_check_for, validator_for

ENTRIES = [r.data for r in load_catalogue(REPO / "catalogue").entries()]
LOCALITIES = load_catalogue(REPO / "catalogue").documents[0][1].data

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 3000)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["", " ", "reviewed", "draft", "model", "chishui", "Bad Id", "a-b", "2016"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["zh", "en", "source", "quote", "type", "target", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


@st.composite
def mutated(draw, documents):
    data = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths(data))))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if not path:
            continue
        if action == "set":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "kind", "status", "year", "level", "notes"]))] = draw(json_values)
        elif isinstance(parent, list):
            parent.append(draw(json_values))
    return data


def agree(kind: str, data) -> None:
    fast = fast_check_for(kind)(data)
    full = validator_for(kind).is_valid(data)
    assert not (fast and not full), f"fast check passed an invalid {kind}: {data!r}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(ENTRIES))
def test_fast_check_never_passes_an_invalid_entry(data):
    agree("mechanism", data)


@settings(max_examples=150, deadline=None)
@given(mutated([LOCALITIES]))
def test_fast_check_never_passes_an_invalid_locality_registry(data):
    agree("locality", data)


def test_fast_check_passes_every_shipped_entry():
    # agreement the other way matters for speed only, but it should hold for real data
    assert all(fast_check_for("mechanism")(e) for e in ENTRIES)
