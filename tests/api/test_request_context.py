"""Request ids, the access log line, and body size limits."""

import json
import logging

import pytest

pytestmark = pytest.mark.parametrize("storage", ["memory"], indirect=True)

SECRET = "correct horse battery"


async def test_request_id_is_echoed_or_generated(api):
    given = await api.get("/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await api.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32


async def test_one_access_line_per_request_with_route_and_account_but_no_secrets(api, caplog):
    caplog.set_level(logging.INFO, logger="atrium.access")
    await api.post("/api/v1/auth/register", json={"email": "ada@example.com", "username": "ada", "password": SECRET})
    tokens = (await api.post("/api/v1/auth/login", json={"email": "ada@example.com", "password": SECRET})).json()
    caplog.clear()
    me = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    [record] = [r for r in caplog.records if r.name == "atrium.access"]
    assert record.fields["route"] == "/api/v1/users/me" and record.fields["status"] == 200
    assert record.fields["account_id"] == me.json()["id"]
    assert record.fields["request_id"] == me.headers["x-request-id"]
    everything = json.dumps([r.__dict__ for r in caplog.records], default=str)
    assert tokens["access_token"] not in everything and SECRET not in everything


async def test_bodies_over_the_limit_get_413(api):
    big = {"email": "a@example.com", "username": "abc", "password": "x" * 2_000_000}
    response = await api.post("/api/v1/auth/register", json=big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"

    async def chunks():
        for _ in range(3):
            yield b"x" * 600_000
    streamed = await api.post("/api/v1/auth/register", content=chunks(),
                              headers={"content-type": "application/json"})
    assert streamed.status_code == 413

