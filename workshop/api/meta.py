"""API: health and the OpenAPI document built from the operation registry."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from atelier_protocol.reasons import MAX_DEPTH as REASON_DEPTH
from workshop import __version__
from workshop.api import bp
from workshop.api.registry import OPERATIONS, Operation, operation
from workshop.api.schemas import TAG_PATTERN, ErrorOut, HealthOut
from workshop.input_policy import INT64_MAX, INT64_MIN, TEXT_PATTERN, TEXT_PATTERN_MULTILINE


@operation(bp, "/health", "GET", summary="Liveness check", response=HealthOut, public=True)
def health(session: Session) -> HealthOut:
    """The server answers."""
    return HealthOut(status="ok", version=__version__)


@operation(bp, "/openapi.json", "GET", summary="This API's OpenAPI document", public=True)
def openapi(session: Session) -> dict[str, Any]:
    """OpenAPI 3.1 description of every operation."""
    return build_openapi()


TAG_SCHEMA = {"type": "string", "pattern": TAG_PATTERN}
INT32_ID = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def _flask_path_to_openapi(path: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    parts = []
    for part in path.split("/"):
        if part.startswith("<") and part.endswith(">"):
            converter, _, name = part[1:-1].rpartition(":")
            schema: dict[str, Any] = (
                dict(INT32_ID)
                if converter == "int"
                else dict(TAG_SCHEMA)
                if name == "tag"
                else {"type": "string"}
            )
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
            part = "{" + name + "}"
        parts.append(part)
    return "/".join(parts), params


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schema.pop("$defs", {}).items():
        schemas[name] = sub
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation_doc(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    _, params = _flask_path_to_openapi(op.path)
    if op.query is not None:
        # Each query parameter's schema is its field's, from the query model's JSON schema.
        model = op.query.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(model.pop("$defs", {}))
        required = set(model.get("required", []))
        for name, field in op.query.model_fields.items():
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "description": field.description or "",
                    "schema": model["properties"][name],
                }
            )
    doc: dict[str, Any] = {"summary": op.summary, "operationId": op.endpoint, "parameters": params}
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(op.body, schemas)}},
        }
    ok_schema: dict[str, Any] = {"type": "object"}
    if op.response is not None:
        ok_schema = _ref(op.response, schemas)
        if op.many:
            ok_schema = {"type": "array", "items": ok_schema}
    error = {"content": {"application/json": {"schema": _ref(ErrorOut, schemas)}}}
    doc["responses"] = {
        str(op.status): {
            "description": "OK",
            "content": {"application/json": {"schema": ok_schema}},
        },
        "4XX": {"description": "Error", **error},
    }
    if not op.public:
        doc["security"] = [{"bearer": []}]
    return doc


# Any JSON value a free-form part of a request may hold under the input policy
# (workshop/input_policy.py): 64-bit integers, texts without control characters.
JSON_VALUE = "JsonValue"
_JSON_VALUE_REF = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
_JSON_VALUE_SCHEMA = {
    "anyOf": [
        {"type": "null"},
        {"type": "boolean"},
        {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX},
        {"type": "number", "not": {"type": "integer"}},
        {"type": "string", "pattern": TEXT_PATTERN_MULTILINE},
        {"type": "array", "items": _JSON_VALUE_REF},
        {
            "type": "object",
            "propertyNames": {"pattern": TEXT_PATTERN},
            "additionalProperties": _JSON_VALUE_REF,
        },
    ]
}
_NESTED = ("items", "additionalProperties", "not")
_REF = re.compile(r'"#/components/schemas/([^"]+)"')
_NESTED_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")


def _state_input_policy(node: Any, text_pattern: str) -> Any:
    """A request schema with the edge's rules written in: what the policy refuses, it forbids.

    Texts without their own pattern, format or values get the control-character pattern,
    integers without bounds the 64-bit range; free-form values (``{}``) and free-form object
    members become JSON values under the policy.
    """
    if node is True or node == {}:
        return dict(_JSON_VALUE_REF)
    if not isinstance(node, dict) or "$ref" in node:
        return node
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds and not {"pattern", "format", "enum", "const"} & node.keys():
        node["pattern"] = text_pattern
    if "integer" in kinds:
        node.setdefault("minimum", INT64_MIN)
        node.setdefault("maximum", INT64_MAX)
    if "object" in kinds and node.get("additionalProperties", True) is not False:
        node["propertyNames"] = {"pattern": TEXT_PATTERN}
        node["additionalProperties"] = node.get("additionalProperties", True)
    for key in _NESTED:
        if key in node:
            node[key] = _state_input_policy(node[key], text_pattern)
    for key in _NESTED_LISTS:
        if key in node:
            node[key] = [_state_input_policy(sub, text_pattern) for sub in node[key]]
    for name, sub in node.get("properties", {}).items():
        node["properties"][name] = _state_input_policy(sub, text_pattern)
    return node


def _request_schema_names(paths: dict[str, Any], schemas: dict[str, Any]) -> set[str]:
    """The component schemas a request body may contain, directly or nested."""
    pending = [
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for ops in paths.values()
        for op in ops.values()
        if "requestBody" in op
    ]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(_REF.findall(json.dumps(schemas[name])))
    return seen


def _unroll(schemas: dict[str, Any], name: str, depth: int) -> None:
    """Replace a self-referencing schema by `depth` levels, the last one without the nesting.

    The server refuses reasons nested deeper than atelier_protocol.reasons.MAX_DEPTH; a finite
    document says so exactly, and generators (Schemathesis) need not guess where to stop."""
    if name not in schemas:
        return
    own = f"#/components/schemas/{name}"
    text = json.dumps(schemas[name])
    if own not in text:
        return

    def level_name(level: int) -> str:
        return name if level == 1 else f"{name}{level}"

    for level in range(1, depth + 1):
        copy = json.loads(text.replace(own, f"#/components/schemas/{level_name(level + 1)}"))
        if level == depth:
            copy = _without_ref(copy, f"#/components/schemas/{level_name(depth + 1)}")
        schemas[level_name(level)] = copy


def _without_ref(node: Any, ref: str) -> Any:
    """`node` with every alternative that leads to `ref` taken out of its anyOf lists."""
    if isinstance(node, list):
        return [_without_ref(item, ref) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _without_ref(value, ref) for key, value in node.items()}
    if "anyOf" in out:
        out["anyOf"] = [alt for alt in out["anyOf"] if ref not in json.dumps(alt)]
    return out


def build_openapi() -> dict[str, Any]:
    """The OpenAPI document of every registered operation."""
    schemas: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, _ = _flask_path_to_openapi(op.path)
        paths.setdefault(path, {})[op.method] = _operation_doc(op, schemas)
    for name in _request_schema_names(paths, schemas):
        schemas[name] = _state_input_policy(schemas[name], TEXT_PATTERN_MULTILINE)
    for ops in paths.values():
        for op in ops.values():
            for parameter in op["parameters"]:
                _state_input_policy(parameter["schema"], TEXT_PATTERN)
    schemas[JSON_VALUE] = _JSON_VALUE_SCHEMA
    _unroll(schemas, "Message", REASON_DEPTH)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Atelier workshop API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
