"""JSON bodies that would exhaust the parser, or whatever recursed through them, are refused with a 422 on every
route that takes JSON (the login route and the exact-number routes parse their bodies themselves)."""

from uuid import uuid4

import pytest

from entrypoints.api.bodies import MAX_JSON_DEPTH
from tests.reliability.live import published_openapi
from tests.reliability.resources import operations

pytestmark = pytest.mark.parametrize("storage", ["memory"], indirect=True)
JSON_OPERATIONS = [op for op in operations(published_openapi()) if "application/json" in op.media_types]


def nested(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)


@pytest.fixture
async def user(api):
    account = {"email": "ada@example.com", "username": "ada", "password": "correct horse"}
    await api.post("/api/v1/auth/register", json=account)
    tokens = (await api.post("/api/v1/auth/login", json={"username": "ada", "password": "correct horse"})).json()
    return {"Authorization": f"Bearer {tokens['access_token']}", "content-type": "application/json"}


@pytest.mark.parametrize("depth", [100_000, 900, MAX_JSON_DEPTH + 1])
async def test_json_nested_too_deep_is_a_422_on_every_route(api, user, depth):
    assert {"POST /api/v1/auth/login", "POST /api/v1/expenses", "PUT /api/v1/calendar-webhook"} <= {
        op.label for op in JSON_OPERATIONS}
    for op in JSON_OPERATIONS:
        path = op.path.format(**{name: uuid4() for name in op.id_parameters})  # no lookup: the body comes first
        response = await api.request(op.method, path, content=nested(depth), headers=user)
        assert response.status_code == 422, (op.label, response.status_code, response.text)
        assert f"nested deeper than {MAX_JSON_DEPTH} levels" in response.json()["detail"], op.label


async def test_json_as_deep_as_allowed_is_read(api, user):
    response = await api.post("/api/v1/auth/login", content=nested(MAX_JSON_DEPTH), headers=user)
    assert response.status_code == 422
    assert "nested deeper" not in response.text  # refused for what it says, not for its depth
