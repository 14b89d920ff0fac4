"""A NUL character (U+0000) in any text a route takes is refused with a 422 naming the field, never a 500 from
PostgreSQL (which cannot store one). Generated from the published OpenAPI: every string field of every JSON or
form body, every string query parameter, every path parameter; a new route is covered as it is added."""

from typing import Any
from uuid import uuid4

import pytest

from tests.reliability.live import published_openapi
from tests.reliability.resources import CREATE_BODIES, PROBE_BODIES, first_scheme, operations

NUL = "a\x00b"
OPENAPI = published_openapi()


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed."""
    while "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def admits(schema: dict[str, Any]) -> set[str]:
    """The JSON types a (possibly nullable) schema admits."""
    schema = resolve(schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf") or [schema]
    kinds = set()
    for alternative in alternatives:
        alternative = resolve(alternative)
        kinds.add(alternative.get("type") or ("string" if "enum" in alternative else "object"))
    return kinds


def text_fields() -> list[tuple[str, str, str, str]]:
    """(operation, location, field, media type) for every place a route takes text."""
    found = []
    for op in operations(OPENAPI):
        for parameter in op.raw.get("parameters", []):
            if parameter["name"] in op.id_parameters:
                continue  # UUIDs: text with a NUL is no UUID, and never reaches a statement
            if parameter["in"] in ("query", "path") and admits(parameter["schema"]) & {"string", "array"}:
                found.append((op.label, parameter["in"], parameter["name"], ""))
        for media_type, content in op.raw.get("requestBody", {}).get("content", {}).items():
            if media_type == "multipart/form-data":
                continue  # files: their parsers' own tests
            for name, schema in resolve(content["schema"]).get("properties", {}).items():
                if admits(schema) & {"string", "array"}:
                    found.append((op.label, "body", name, media_type))
    return found


FIELDS = text_fields()


def test_the_walk_finds_the_text_fields_that_answered_500():
    assert {("POST /api/v1/auth/login", "body", "email", "application/json"),
            ("POST /api/v1/auth/login", "body", "username", "application/x-www-form-urlencoded"),
            ("PUT /api/v1/calendar-webhook", "body", "url", "application/json"),
            ("GET /api/v1/events", "query", "q", ""),
            ("GET /api/v1/calendar-feeds/{token}.ics", "path", "token", "")} <= set(FIELDS)


@pytest.mark.parametrize("label, location, field, media_type", FIELDS,
                         ids=[f"{label} {location}.{field} {media}".strip() for label, location, field, media in FIELDS])
def test_a_nul_in_any_text_is_a_422_naming_the_field(live_client, owner, label, location, field, media_type):
    method, path = label.split(" ", 1)
    op = next(op for op in operations(OPENAPI) if op.label == label)
    values = {name: str(uuid4()) for name in op.id_parameters}  # validation comes before any lookup
    query: dict[str, str] = {}
    body = dict(CREATE_BODIES.get(path, {}) if method == "POST" else PROBE_BODIES.get((method, path), {}))
    if location == "path":
        values[field] = "a%00b"  # a URL carries it escaped
    elif location == "query":
        query[field] = NUL
    else:
        body[field] = [NUL] if "array" in admits(resolve(op.raw["requestBody"]["content"][media_type]["schema"])
                                                 ["properties"][field]) else NUL
    url = path.format(**values) if values else path
    sent = {"data": body} if media_type == "application/x-www-form-urlencoded" else {"json": body} if media_type else {}
    response = live_client.request(method, url, params=query, headers=owner.headers(first_scheme(op.raw)), **sent)
    assert response.status_code == 422, (response.status_code, response.text)
    errors = response.json()["errors"]
    assert any(error["field"] == field and error["location"] == location for error in errors), errors
