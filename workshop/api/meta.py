"""API: health and the OpenAPI document built from the operation registry."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from workshop import __version__
from workshop.api import bp
from workshop.api.registry import OPERATIONS, Operation, operation
from workshop.api.schemas import ErrorOut, HealthOut


@operation(bp, "/health", "GET", summary="Liveness check", response=HealthOut, public=True)
def health(session: Session) -> HealthOut:
    """The server answers."""
    return HealthOut(status="ok", version=__version__)


@operation(bp, "/openapi.json", "GET", summary="This API's OpenAPI document", public=True)
def openapi(session: Session) -> dict[str, Any]:
    """OpenAPI 3.1 description of every operation."""
    return build_openapi()


# An asset tag as a client may type it: Crockford symbols, any case, hyphens optional.
TAG_SCHEMA = {"type": "string", "pattern": "^[0-9A-Za-z-]{1,20}$"}
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


def build_openapi() -> dict[str, Any]:
    """The OpenAPI document of every registered operation."""
    schemas: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, _ = _flask_path_to_openapi(op.path)
        paths.setdefault(path, {})[op.method] = _operation_doc(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Atelier workshop API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
