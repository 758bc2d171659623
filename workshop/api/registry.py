"""One decorator declares an API operation: its route, auth, input and output models.

The same declarations feed the OpenAPI document, so it cannot drift from the routes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, request
from pydantic import BaseModel, ValidationError

from workshop import db
from workshop.errors import MalformedRequest, NotAuthenticated, ValidationFailed
from workshop.input_policy import check_json, parse_json
from workshop.services.accounts import actor_for_token
from workshop.services.actors import Actor


@dataclass(frozen=True)
class Operation:
    """An API operation as the OpenAPI document describes it."""

    path: str
    method: str
    endpoint: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    many: bool
    public: bool
    status: int


OPERATIONS: list[Operation] = []


def pydantic_error(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    """The first problem of a pydantic error as our error naming the field."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    if prefix:
        field = f"{prefix}.{field}" if field else prefix
    message = f"{field}: {first['msg']}" if field else str(first["msg"])
    return ValidationFailed(message, field=field)


def _parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise MalformedRequest("the request body must be JSON (Content-Type: application/json)")
    data = parse_json(request.get_data(cache=True))
    if data is None:
        raise MalformedRequest("the request body is not valid JSON")
    if not isinstance(data, dict):
        raise MalformedRequest("the request body must be a JSON object")
    try:
        # Strict JSON validation: a JSON value of the wrong type is refused, not coerced
        # (true is no integer, 0 no boolean, "3" no number), as the OpenAPI document says.
        return model.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        raise pydantic_error(exc) from exc


def _parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        parsed = model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise pydantic_error(exc) from exc
    check_json(parsed.model_dump(mode="json"))  # e.g. integers beyond 64 bits
    return parsed


def current_actor() -> Actor:
    """The actor of the bearer token of this request."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send a token: Authorization: Bearer <token>")
    return actor_for_token(db.request_session(), token.strip())


def _to_json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def operation(
    bp: Any,
    path: str,
    method: str,
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    many: bool = False,
    public: bool = False,
    status: int = 200,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view as an API operation (route + auth + validation + OpenAPI entry)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**path_args: Any) -> Response | tuple[Response, int]:
            args: dict[str, Any] = dict(path_args)
            if not public:
                args["actor"] = current_actor()
            if body is not None:
                args["body"] = _parse_body(body)
            if query is not None:
                args["query"] = _parse_query(query)
            result = view(session=db.request_session(), **args)
            code = status
            if isinstance(result, tuple):  # a view may choose its status (e.g. 200 on replay)
                result, code = result
            return jsonify(_to_json(result)), code

        bp.add_url_rule(path, endpoint=view.__name__, view_func=wrapper, methods=[method])
        OPERATIONS.append(
            Operation(
                path=bp.url_prefix + path,
                method=method.lower(),
                endpoint=f"{bp.name}.{view.__name__}",
                summary=summary,
                body=body,
                query=query,
                response=response,
                many=many,
                public=public,
                status=status,
            )
        )
        return wrapper

    return decorate
