"""Cross-origin calls to the JSON API: only the origins ATRIUM_CORS_ORIGINS lists, preflights answered, the headers
a browser app needs allowed and exposed, and never credentials for any origin."""

import httpx
import pytest
from pydantic import ValidationError

from adapters.clock import SettableClock
from entrypoints.api.app import create_app
from entrypoints.settings import Settings
from tests.composition import compose

APP = "https://app.example.com"


def client(**settings: object) -> httpx.AsyncClient:
    app = create_app(compose("memory", SettableClock(), **settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://atrium.test")


def preflight(origin: str, method: str = "POST", headers: str = "authorization,idempotency-key,content-type"):
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}


async def test_by_default_no_origin_is_allowed():
    async with client() as api:
        answer = await api.get("/api/v1/users/me", headers={"Origin": APP})
        asked = await api.options("/api/v1/expenses", headers=preflight(APP))
    assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in asked.headers


async def test_a_listed_origin_gets_its_preflight_answered_with_the_headers_an_app_sends():
    async with client(cors_origins=f"{APP}/, http://localhost:5173") as api:
        asked = await api.options("/api/v1/expenses", headers=preflight(APP, headers="x-api-key,authorization"))
    assert asked.status_code == 200
    assert asked.headers["access-control-allow-origin"] == APP
    allowed = {h.strip().lower() for h in asked.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "idempotency-key", "x-api-key", "content-type"} <= allowed
    assert "DELETE" in asked.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in asked.headers


async def test_a_listed_origin_reads_the_request_id_and_retry_after_of_answers_errors_included():
    async with client(cors_origins=APP) as api:
        answer = await api.get("/api/v1/users/me", headers={"Origin": APP, "X-Request-ID": "r-1"})
    assert answer.status_code == 401  # a problem the app must be able to read, not an opaque network error
    assert answer.headers["access-control-allow-origin"] == APP
    exposed = {h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "retry-after"} <= exposed and answer.headers["x-request-id"] == "r-1"
    assert "origin" in answer.headers["vary"].lower()  # caches keep one answer per origin


async def test_an_unlisted_origin_is_refused():
    async with client(cors_origins=APP) as api:
        asked = await api.options("/api/v1/expenses", headers=preflight("https://evil.example"))
        answer = await api.get("/api/v1/users/me", headers={"Origin": "https://evil.example"})
    assert asked.status_code == 400 and "access-control-allow-origin" not in asked.headers
    assert "access-control-allow-origin" not in answer.headers


async def test_only_the_json_api_is_shared_across_origins():
    async with client(cors_origins=APP) as api:
        answer = await api.get("/health", headers={"Origin": APP})
    assert "access-control-allow-origin" not in answer.headers


async def test_credentials_are_allowed_only_to_listed_origins_when_asked_for():
    async with client(cors_origins=APP, cors_allow_credentials=True) as api:
        asked = await api.options("/api/v1/expenses", headers=preflight(APP))
    assert asked.headers["access-control-allow-credentials"] == "true"
    assert asked.headers["access-control-allow-origin"] == APP


async def test_any_origin_may_call_without_credentials():
    async with client(cors_origins="*") as api:
        answer = await api.get("/api/v1/users/me", headers={"Origin": "https://anyone.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers


def test_credentials_with_any_origin_refuse_to_start():
    with pytest.raises(ValidationError, match="ATRIUM_CORS_ALLOW_CREDENTIALS=true cannot go with"):
        Settings(_env_file=None, cors_origins="*", cors_allow_credentials=True)


@pytest.mark.parametrize("bad", ["app.example.com", "https://app.example.com/path", "ftp://app.example.com",
                                 "https://app.example.com:99999", "*, https://app.example.com"])
def test_an_origin_that_is_not_bare_refuses_to_start_and_names_the_setting(bad):
    with pytest.raises(ValidationError, match="ATRIUM_CORS_ORIGINS"):
        Settings(_env_file=None, cors_origins=bad)


def test_origins_are_kept_as_browsers_send_them():
    settings = Settings(_env_file=None, cors_origins="HTTPS://App.Example.com:443/, http://[::1]:8080")
    assert settings.cors_origins == "https://app.example.com,http://[::1]:8080"
