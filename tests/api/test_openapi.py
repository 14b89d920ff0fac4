"""The published OpenAPI describes every route, its errors and the bearer scheme."""

import pytest

from entrypoints.api.app import create_app


@pytest.fixture(scope="module")
def schema():
    from entrypoints.container import build_container
    from tests.composition import settings_for

    return create_app(build_container(settings_for("memory"))).openapi()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_api_operation_documents_its_problem_responses(schema):
    for path, method, operation in operations(schema):
        if not path.startswith("/api/"):
            continue
        errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
        assert errors, (method, path)
        for code in errors:
            content = operation["responses"][code]["content"]
            assert "application/problem+json" in content or code == "422", (method, path, code)


def test_protected_operations_declare_the_bearer_scheme(schema):
    assert "OAuth2PasswordBearer" in schema["components"]["securitySchemes"]
    secured = {path for path, _, operation in operations(schema) if operation.get("security")}
    assert "/api/v1/users/me" in secured and "/api/v1/auth/login" not in secured


def test_login_documents_json_and_the_oauth2_form(schema):
    body = schema["paths"]["/api/v1/auth/login"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(body)


def request_texts(schema):
    """(where, string schema) for every text a request carries: parameters, body fields, list items."""
    components = schema["components"]["schemas"]

    def strings(node, where, seen=()):
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            if name in seen:
                return
            seen, node = (*seen, name), components[name]
        if node.get("type") == "string":
            yield where, node
        for alternative in node.get("anyOf", []) + node.get("oneOf", []):
            yield from strings(alternative, where, seen)
        if "items" in node:
            yield from strings(node["items"], f"{where}[]", seen)
        for name, child in node.get("properties", {}).items():
            yield from strings(child, f"{where}.{name}", seen)

    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] in ("query", "path"):
                yield from strings(parameter["schema"], f"{method} {path} {parameter['in']} {parameter['name']}")
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            yield from strings(content["schema"], f"{method} {path} {media_type}")


def test_every_text_a_request_carries_is_published_with_its_bounds_and_without_nul(schema):
    """A generated client refuses what the API refuses: every text has a maximum length (or a format, enum or
    pattern of its own that bounds it), and none admits a NUL character (the API answers 422)."""
    from entrypoints.api.openapi import NO_NUL_PATTERN

    unbounded, nul_admitted = [], []
    for where, text in request_texts(schema):
        if text.get("contentMediaType"):
            continue  # an uploaded file: its size is ATRIUM_MAX_UPLOAD_BYTES
        own_pattern = text.get("pattern") not in (None, NO_NUL_PATTERN)
        if not ("maxLength" in text or {"format", "enum", "const"} & set(text) or own_pattern):
            unbounded.append(where)
        if not ({"pattern", "format", "enum", "const"} & set(text)):
            nul_admitted.append(where)
    assert not unbounded, unbounded
    assert not nul_admitted, nul_admitted
