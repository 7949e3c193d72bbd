"""The JSON Schemas: one per kind of file, resolved locally, each validator built once.

jsonschema is imported here only, and this module only by commands that validate, so
that ``polcat list`` does not pay for it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polcat import locate

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_FILES = {
    "mechanism": "mechanism.schema.json",
    "locality": "localities.schema.json",
    "theme": "themes.schema.json",
    "source": "source.schema.json",
    "meta": "catalogue.schema.json",
}


@cache
def load_schemas(folder: Path) -> dict[str, dict]:
    """Every ``*.schema.json`` in a folder, parsed, by file name (read once per folder)."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.schema.json"))}


@cache
def validator_for(kind: str, folder: Path | None = None) -> Validator:
    """A ready Draft 2020-12 validator for one kind of file; ``$ref``s resolve offline."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = load_schemas(folder or locate.schemas_dir())
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    schema = schemas[SCHEMA_FILES[kind]]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


@cache
def fast_check_for(kind: str, folder: Path | None = None, item_of: str | None = None) -> Callable[[Any], bool]:
    """A compiled yes/no check of one kind of file, about ten times faster than jsonschema.

    fastjsonschema compiles the schema (with every ``$ref`` inlined first: its generated
    code formats a string on each ``$ref`` call) into plain Python. It only decides
    "valid"; any document it rejects is explained by jsonschema, which stays the
    authority, so a disagreement can cost time but never hide an error (a test checks
    that the two agree on mutated entries).

    With ``item_of``, the check is of one item of that list of a registry file
    (``item_of="localities"``), so that one bad item need not condemn its neighbours.
    """
    import fastjsonschema

    schemas = load_schemas(folder or locate.schemas_dir())
    by_id = {schema["$id"]: schema for schema in schemas.values()}
    root = schemas[SCHEMA_FILES[kind]]
    inlined = inline_refs(root, root["$id"], by_id)
    if item_of is not None:
        inlined = inlined["properties"][item_of]["items"]
    compiled = _compiled(inlined, f"schema-{kind}-{item_of or 'file'}")

    def check(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check


def _compiled(definition: dict, name: str) -> Callable[[Any], Any]:
    """fastjsonschema's validator of ``definition``. Generating and compiling its code
    takes about 35 ms, in every process that checks a file (the first query after an
    edit): the compiled code is kept in polcat's cache folder, as Python keeps bytecode,
    keyed by the schema, fastjsonschema's version and Python's."""
    import sys

    import fastjsonschema

    from polcat.cache import remembered

    key = hashlib.sha256(
        f"{fastjsonschema.VERSION}|{sys.version}|{json.dumps(definition, sort_keys=True)}".encode()
    ).hexdigest()

    def generate() -> Any:
        return compile(fastjsonschema.compile_to_code(definition), f"<polcat {name}>", "exec")

    namespace: dict[str, Any] = {}
    exec(remembered(name, key, generate), namespace)
    validate = namespace.get("validate")
    return validate if callable(validate) else fastjsonschema.compile(definition)


_SUBSCHEMA = ("items", "if", "then", "else", "not", "additionalProperties", "contains", "propertyNames")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties")
_ANNOTATIONS = ("$defs", "$id", "$schema", "title", "description", "examples", "$comment")


def inline_refs(schema: Any, base: str, by_id: dict[str, dict]) -> Any:
    """A copy of a schema with every ``$ref`` replaced by its target (our schemas do not recurse)."""
    if not isinstance(schema, dict):
        return schema  # true / false schemas
    if "$ref" in schema:
        uri, _, pointer = schema["$ref"].partition("#")
        doc_id = base.rsplit("/", 1)[0] + "/" + uri if uri else base
        target: Any = by_id[doc_id]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        return {**inline_refs(target, doc_id, by_id), **inline_refs(siblings, base, by_id)}
    out = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key in _SUBSCHEMA:
            value = inline_refs(value, base, by_id)
        elif key in _SUBSCHEMA_LISTS:
            value = [inline_refs(v, base, by_id) for v in value]
        elif key in _SUBSCHEMA_MAPS:
            value = {name: inline_refs(v, base, by_id) for name, v in value.items()}
        out[key] = value
    return out


def format_path(path: Sequence[str | int]) -> str:
    """``sources[0].quote`` for the path ("sources", 0, "quote")."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class SchemaError:
    """One schema violation, reduced to what a person needs: where, what, and a hint."""

    __slots__ = ("at_key", "hint", "message", "path")

    def __init__(self, path: tuple, message: str, hint: str | None = None, at_key: bool = False):
        self.path, self.message, self.hint, self.at_key = path, message, hint, at_key


def iter_schema_errors(kind: str, data: Any) -> Iterator[SchemaError]:
    if fast_check_for(kind)(data):
        return iter(())
    return explain_errors(validator_for(kind), data)


def explain_errors(validator: Validator, data: Any) -> Iterator[SchemaError]:
    """Every violation of ``validator``'s schema in ``data``, explained."""
    from jsonschema.exceptions import best_match

    for error in validator.iter_errors(data):
        if error.context:  # oneOf/anyOf: the most relevant branch, not the whole tree
            error = best_match([error])
        yield from _explain(error)


def _explain(error: ValidationError) -> Iterator[SchemaError]:
    path = tuple(error.absolute_path)
    where = format_path(path)
    prefix = f"{where}: " if where else ""
    validator = error.validator
    # What the failing keyword holds depends on the keyword (a list for enum and type,
    # a string for pattern): read per keyword below.
    value: Any = error.validator_value
    if validator == "additionalProperties" and isinstance(error.instance, dict) and isinstance(error.schema, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint: str | None = f"did you mean '{close[0]}'?" if close else f"allowed here: {', '.join(allowed)}"
                yield SchemaError((*path, key), f"{prefix}unknown field '{key}'", hint, at_key=True)
        return
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield SchemaError(path, f"{prefix}missing required field '{missing}'", _required_hint(error), at_key=True)
        return
    if validator == "enum":
        choices = ", ".join(str(c) for c in value)
        yield SchemaError(path, f"{prefix}{error.instance!r} is not allowed", f"expected one of: {choices}")
        return
    if validator == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        found = _json_type(error.instance)
        hint = None
        if expected == "string" and found in ("integer", "number", "boolean", "null"):
            article = "an" if found[0] in "aeiou" else "a"
            hint = f"YAML read this as {article} {found}; put it in quotes to keep it as text"
        yield SchemaError(path, f"{prefix}expected {expected}, found {found}", hint)
        return
    if validator == "pattern" and value == "^[a-z0-9]+(-[a-z0-9]+)*$":
        yield SchemaError(
            path,
            f"{prefix}{error.instance!r} is not a valid id",
            "ids are lowercase ascii words joined by hyphens, e.g. chishui-sanding",
        )
        return
    yield SchemaError(path, f"{prefix}{error.message}")


def _required_hint(error: ValidationError) -> str | None:
    if error.schema_path and "then" in error.schema_path:
        return "required for entries with status: reviewed (use status: draft while incomplete)"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"
