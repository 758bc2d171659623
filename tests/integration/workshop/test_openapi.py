"""The OpenAPI document describes exactly the routes the server has."""

from __future__ import annotations

import re

from workshop.api.registry import OPERATIONS
from workshop.services import asset_tags

OPERATIONS_BY_ID = {op.endpoint: op for op in OPERATIONS}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_openapi_matches_the_url_map(app, api):
    document = api("GET", "/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served


def test_openapi_document_is_valid_and_complete(api):
    from openapi_spec_validator import OpenAPIV31SpecValidator

    document = api("GET", "/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    errors = [
        f"{list(e.path)}: {e.message[:200]}"
        for e in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == [], errors  # the OpenAPI 3.1 schema itself, checked by a validator
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            assert op["summary"] and op["operationId"], (path, method)
            for ref in re.findall(
                r'"\$ref": "#/components/schemas/([^"]+)"', str(op).replace("'", '"')
            ):
                assert ref in schemas, (path, method, ref)
            names = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{([a-z_]+)}", path)), path
            declared = OPERATIONS_BY_ID[op["operationId"]]
            assert ("requestBody" in op) == (declared.body is not None), (path, method)
    public = {
        p for p, ops in document["paths"].items() for op in ops.values() if "security" not in op
    }
    assert public == {
        "/api/v1/health",
        "/api/v1/openapi.json",
        "/api/v1/enroll",
        "/api/v1/enroll/site",
        "/api/v1/documents/verification",
        "/api/v1/documents/pdf-verification",
    }


def test_query_and_path_parameters_carry_their_schema(api):
    document = api("GET", "/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            for parameter in op["parameters"]:
                assert "schema" in parameter, (path, method, parameter["name"])
    (tag,) = document["paths"]["/api/v1/devices/{tag}"]["get"]["parameters"]
    pattern = re.compile(tag["schema"]["pattern"])
    issued = asset_tags.generate()
    for typed in (issued, asset_tags.display(issued), issued.lower(), " K7QX 4M2P H "):
        assert pattern.search(typed), typed
    for wrong in ("", "K7QX-4M2P", "K7QX-4M2P-HH", "K7QX/4M2P/H", "K7QU-4M2P-H"):
        assert not pattern.search(wrong), wrong


def test_a_method_not_allowed_names_the_allowed_ones(api, web):
    answer = api("DELETE", "/api/v1/health")
    assert answer.status_code == 405 and answer.get_json()["error"]["code"] == "method_not_allowed"
    assert set(answer.headers["Allow"].split(", ")) >= {"GET"}
    page = web.client.delete("/login")
    assert page.status_code == 405 and "POST" in page.headers["Allow"]
