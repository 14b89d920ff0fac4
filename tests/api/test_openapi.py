"""The published OpenAPI describes every route, its errors and the bearer scheme."""

import pytest

from entrypoints.api.app import create_app


@pytest.fixture(scope="module")
def schema():
    from entrypoints.container import build_container
    from tests.conftest import settings_for

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
