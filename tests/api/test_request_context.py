"""Request ids, the access log line, and body size limits."""

import json
import logging

import httpx
import pytest
from dependency_injector import providers

from entrypoints.api.app import create_app
from entrypoints.container import build_container
from tests.composition import settings_for

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


async def test_the_access_log_can_be_switched_off(storage, caplog):
    caplog.set_level(logging.INFO, logger="atrium.access")
    quiet = create_app(build_container(settings_for("memory", access_log=False)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=quiet), base_url="http://atrium.test") as client:
        assert (await client.get("/health")).status_code == 200
    assert not [record for record in caplog.records if record.name == "atrium.access"]


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



@pytest.fixture
async def private_hooks_api(storage):
    """An app on `storage` (memory) whose webhooks may point at 127.0.0.1 (nothing is delivered here)."""
    assert storage == "memory"
    app = create_app(build_container(settings_for("memory", webhook_allow_private_networks=True)))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as client:
        yield client


async def test_every_response_that_carries_a_secret_is_not_stored(private_hooks_api):
    api = private_hooks_api
    account = {"email": "ada@example.com", "username": "ada", "password": SECRET}
    assert (await api.post("/api/v1/auth/register", json=account)).status_code == 201
    login = await api.post("/api/v1/auth/login", json={"username": "ada", "password": SECRET})
    form_login = await api.post("/api/v1/auth/login", data={"username": "ada", "password": SECRET})
    user = {"Authorization": f"Bearer {login.json()['access_token']}"}
    refresh = await api.post("/api/v1/auth/refresh", json={"refresh_token": login.json()["refresh_token"]})
    key = await api.post("/api/v1/api-keys", json={"name": "ci"}, headers=user)
    roll = await api.post(f"/api/v1/api-keys/{key.json()['id']}/roll", json={}, headers=user)
    hook = {"url": "http://127.0.0.1:9/hook"}
    set_webhook = await api.put("/api/v1/calendar-webhook", json=hook, headers=user)
    get_webhook = await api.get("/api/v1/calendar-webhook", headers=user)
    feed = await api.post("/api/v1/calendar-feed", headers=user)
    feed_ics = await api.get(feed.json()["url"])
    secret_bearing = {"login": (login, 200), "form login": (form_login, 200), "refresh": (refresh, 200),
                      "API key": (key, 201), "roll": (roll, 200), "webhook set": (set_webhook, 200),
                      "webhook read": (get_webhook, 200), "feed URL": (feed, 201), "feed": (feed_ics, 200)}
    for name, (response, status) in secret_bearing.items():
        assert response.status_code == status, (name, response.text)
        assert "no-store" in response.headers["cache-control"], name


async def test_every_response_says_nosniff(private_hooks_api):
    """Every operation the OpenAPI publishes (as a caller without credentials: 401s, 404s, 422s), an unknown
    route, a wrong method, a body too large, and an error nothing handled."""
    api = private_hooks_api
    operations = (await api.get("/openapi.json")).json()["paths"]
    responses = [await api.request(method.upper(), path.replace("{", "").replace("}", ""))
                 for path, methods in operations.items() for method in methods]
    responses += [await api.get("/api/v1/nothing-here"), await api.delete("/api/v1/auth/login"),
                  await api.post("/api/v1/auth/login", content=b"{" * 2_000_000,
                                 headers={"content-type": "application/json"}),
                  await api.get("/openapi.json"), await api.get("/docs")]
    assert {404, 405, 413, 401, 422, 200} <= {response.status_code for response in responses}
    for response in responses:
        assert response.headers.get("x-content-type-options") == "nosniff", (response.url, response.status_code)


async def test_an_unhandled_error_is_a_500_problem_with_the_safety_headers(container, api):
    container.identity.get_account.override(providers.Object(_fails))
    tokens = await _account_tokens(api)
    response = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"]


async def _fails(*args, **kwargs):
    raise RuntimeError("a bug")


async def _account_tokens(api):
    await api.post("/api/v1/auth/register", json={"email": "ada@example.com", "username": "ada", "password": SECRET})
    return (await api.post("/api/v1/auth/login", json={"email": "ada@example.com", "password": SECRET})).json()
