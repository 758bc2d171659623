"""Fast snapshot check for the CLI: the pydantic models' JSON Schema, checked without pydantic.

Importing pydantic and building the snapshot models costs 0.15-0.25 s on a
bench PC, more than the whole inventory. The models in
atelier_protocol.snapshot stay the single definition: their JSON Schema is
generated into `snapshot.schema.json` next to this module (a test fails when
it is stale), and this module checks a snapshot against it with the handful of
JSON Schema keywords pydantic emits. The server and the sending daemon use the
pydantic models themselves.

Regenerate after changing the models::

    $ .venv/bin/python -m agents.inventory.schema_check --write
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from atelier_protocol.errors import SnapshotError

SCHEMA_PATH = Path(__file__).with_name("snapshot.schema.json")
# Keywords that only annotate; every other keyword in the schema must be enforced below.
ANNOTATIONS = frozenset({"title", "default", "description", "$defs"})
SUPPORTED = frozenset(
    {"$ref", "anyOf", "type", "enum", "const", "properties", "required", "additionalProperties",
     "items", "minimum", "maximum", "exclusiveMinimum", "minLength", "pattern", "format"}
)  # fmt: skip
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}

Errors = list[tuple[str, str]]


def load_schema() -> dict[str, Any]:
    """Load the generated JSON Schema of the inventory snapshot."""
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _type_ok(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


def _check_scalar(value: Any, schema: dict[str, Any], path: str, errors: Errors) -> None:
    if "const" in schema and value != schema["const"]:
        errors.append((path, f"must be {schema['const']!r}"))
    if "enum" in schema and value not in schema["enum"]:
        errors.append((path, f"must be one of {', '.join(map(repr, schema['enum']))}"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append((path, f"must be >= {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append((path, f"must be <= {schema['maximum']}"))
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append((path, f"must be > {schema['exclusiveMinimum']}"))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append((path, f"must have at least {schema['minLength']} characters"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append((path, f"must match {schema['pattern']}"))
        if schema.get("format") == "date-time":
            try:
                datetime.fromisoformat(value)
            except ValueError:
                errors.append((path, "must be an ISO 8601 date-time"))


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], path: str, errors: Errors, root: dict[str, Any]
) -> None:
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            errors.append((f"{path}.{key}".lstrip("."), "field required"))
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        sub = f"{path}.{key}".lstrip(".")
        if key in properties:
            check(item, properties[key], sub, errors, root)
        elif extra is False:
            errors.append((sub, "unknown field"))
        elif isinstance(extra, dict):
            check(item, extra, sub, errors, root)


def check(
    value: Any, schema: dict[str, Any], path: str, errors: Errors, root: dict[str, Any]
) -> None:
    """Append (field path, message) for every way `value` breaks `schema` ($refs from root)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        check(value, root["$defs"][name], path, errors, root)
        return
    if "anyOf" in schema:
        attempts: list[Errors] = []
        for option in schema["anyOf"]:
            attempt: Errors = []
            check(value, option, path, attempt, root)
            if not attempt:
                return
            attempts.append(attempt)
        # Report the option with the fewest errors; ties go to the first (not "must be null").
        errors.extend(sorted(attempts, key=len)[0])
        return
    if "type" in schema and not _type_ok(value, schema["type"]):
        errors.append((path, f"must be of type {schema['type']}"))
        return
    if isinstance(value, dict):
        _check_object(value, schema, path, errors, root)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            check(item, schema["items"], f"{path}.{index}".lstrip("."), errors, root)
    else:
        _check_scalar(value, schema, path, errors)


def check_snapshot(data: dict[str, Any], schema: dict[str, Any] | None = None) -> None:
    """Check a snapshot dict against the JSON Schema; raise SnapshotError naming the fields."""
    schema = schema or load_schema()
    errors: Errors = []
    check(data, schema, "", errors, schema)
    if errors:
        described = "; ".join(f"field '{path or '<root>'}': {msg}" for path, msg in errors[:5])
        raise SnapshotError(f"invalid inventory snapshot: {described}", {"errors": len(errors)})


def generate_schema_text() -> str:
    """Render the JSON Schema of the pydantic snapshot models (imports pydantic)."""
    from atelier_protocol.snapshot import InventorySnapshot  # noqa: PLC0415

    return json.dumps(InventorySnapshot.model_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SCHEMA_PATH.write_text(generate_schema_text(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        print(generate_schema_text(), end="")
