"""The schemas themselves, and how their errors are explained."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from polcat import locate
from polcat.schema import SCHEMA_FILES, explain_errors, format_path, validator_for


def test_every_schema_is_valid_draft_2020_12_with_its_own_id():
    ids = set()
    for path in locate.schemas_dir().glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith("/" + path.name)
        ids.add(schema["$id"])
    assert len(ids) == len(list(locate.schemas_dir().glob("*.schema.json")))


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_cross_file_refs_resolve_offline(kind):
    # an id that breaks the shared slug pattern proves common.schema.json was reached
    probe = {"title": " "} if kind == "meta" else {"id": "Not A Slug"}  # the catalogue file has no id: a blank text
    errors = list(validator_for(kind).iter_errors(probe))
    assert any(e.validator == "pattern" for e in errors) or kind in ("locality", "theme")


def test_one_of_reports_the_most_relevant_branch():
    validator = Draft202012Validator(
        {
            "properties": {
                "value": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]+余$"}]}
            }
        }
    )
    (error,) = list(explain_errors(validator, {"value": "lots"}))
    assert error.path == ("value",)
    assert "does not match" in error.message and "oneOf" not in error.message


def test_format_path():
    assert format_path(("sources", 0, "quote")) == "sources[0].quote"
    assert format_path(()) == ""
