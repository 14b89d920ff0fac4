"""Errors are problem details, never stack traces; health and readiness probes."""

import httpx
import pytest
from dependency_injector import providers

from adapters.postgres.database import create_engine
from entrypoints.api.app import create_app


async def test_unknown_route_is_a_404_problem(api):
    response = await api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_wrong_method_is_a_405_problem(api):
    response = await api.delete("/api/v1/auth/login")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


async def test_validation_problem_lists_every_bad_field_without_echoing_input(api):
    response = await api.post("/api/v1/auth/register", json={"email": 5, "password": "hunter2-secret-x" * 20})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert {error["field"] for error in body["errors"]} >= {"email", "username", "password"}
    assert "hunter2" not in response.text


async def test_health_and_ready(api):
    assert (await api.get("/health")).json() == {"status": "ok"}
    assert (await api.get("/ready")).status_code == 200


@pytest.fixture
async def api_without_database(container):
    """The app wired to a PostgreSQL that does not answer (a closed port)."""
    dead = create_engine("postgresql://postgres@127.0.0.1:9/atrium", connect_timeout=1)
    container.config.storage.override("postgres")
    container.infrastructure.engine.override(providers.Object(dead))
    transport = httpx.ASGITransport(app=create_app(container), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as client:
        yield client
    await dead.dispose()


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_database_down_gives_503_problem_fast(api_without_database):
    response = await api_without_database.post("/api/v1/auth/login", json={"email": "a@b.co", "password": "x" * 8})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["code"] == "service_unavailable"
    ready = await api_without_database.get("/ready")
    assert ready.status_code == 503 and ready.json()["code"] == "not_ready"
    assert (await api_without_database.get("/health")).status_code == 200
