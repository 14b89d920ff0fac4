"""An ended session (logout, a reused refresh token, a password change) is refused everywhere within seconds, and
at once by the sensitive operations, which ask the database."""

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from adapters.ended_sessions import STALE_AFTER
from entrypoints.api.app import create_app
from tests.composition import compose

LOGIN, REFRESH, LOGOUT = "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"
ME, PASSWORD, KEYS = "/api/v1/users/me", "/api/v1/users/me/password", "/api/v1/api-keys"
WEBHOOK, FEED = "/api/v1/calendar-webhook", "/api/v1/calendar-feed"
ADA = {"email": "ada@example.com", "username": "ada", "password": "correct horse"}


async def log_in(api) -> dict:
    response = await api.post(LOGIN, json={"username": "ada", "password": ADA["password"]})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def ended(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json()["code"] == "session_ended"


@pytest.fixture
async def ada(api) -> dict:
    """Ada's first session."""
    assert (await api.post("/api/v1/auth/register", json=ADA)).status_code == 201
    return await log_in(api)


async def test_logout_ends_the_sessions_access_token_at_once(api, ada):
    other = await log_in(api)
    assert (await api.get(ME, headers=bearer(ada))).status_code == 200
    assert (await api.post(LOGOUT, json={"refresh_token": ada["refresh_token"]})).status_code == 204
    assert ended(await api.get(ME, headers=bearer(ada)))
    assert ended(await api.post(KEYS, headers=bearer(ada), json={"name": "thief"}))
    assert (await api.get(ME, headers=bearer(other))).status_code == 200  # another session of the same account


async def test_a_reused_refresh_token_ends_every_access_token_of_its_session(api, ada):
    rotated = (await api.post(REFRESH, json={"refresh_token": ada["refresh_token"]})).json()
    assert (await api.get(ME, headers=bearer(rotated))).status_code == 200
    assert (await api.post(REFRESH, json={"refresh_token": ada["refresh_token"]})).status_code == 401  # reuse
    assert ended(await api.get(ME, headers=bearer(rotated)))
    assert ended(await api.get(ME, headers=bearer(ada)))


async def test_a_password_change_ends_the_other_sessions_access_tokens(api, ada):
    thief = await log_in(api)
    changed = await api.post(PASSWORD, headers=bearer(ada),
                             json={"current_password": ADA["password"], "new_password": "battery staple"})
    assert changed.status_code == 204
    assert ended(await api.post(KEYS, headers=bearer(thief), json={"name": "thief"}))
    assert ended(await api.get(ME, headers=bearer(thief)))
    assert (await api.get(KEYS, headers=bearer(ada))).json()["items"] == []
    assert (await api.get(ME, headers=bearer(ada))).status_code == 200


class Ticks:
    """The second process's monotonic clock: it moves only when the test says, so that process polls only then."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def replica(container, clock, postgres_url) -> AsyncIterator[tuple[httpx.AsyncClient, Ticks]]:
    """A second app on the same database: its own container, engine and knowledge of ended sessions."""
    other = compose("postgres", clock, database_url=postgres_url)
    ticks = Ticks()
    other.identity.ended_sessions.providers["postgres"].add_kwargs(monotonic=ticks)
    try:
        transport = httpx.ASGITransport(app=create_app(other), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://replica.test") as client:
            yield client, ticks
    finally:
        await other.infrastructure.engine().dispose()


@pytest.mark.parametrize("storage", ["postgres"])
async def test_another_process_refuses_an_ended_session_within_seconds(api, ada, replica):
    other, ticks = replica
    thief = await log_in(api)
    for tokens in (ada, thief):
        assert (await other.get(ME, headers=bearer(tokens))).status_code == 200  # the replica has polled
    assert (await api.post(LOGOUT, json={"refresh_token": ada["refresh_token"]})).status_code == 204
    changed = await api.post(PASSWORD, headers=bearer(await log_in(api)),
                             json={"current_password": ADA["password"], "new_password": "battery staple"})
    assert changed.status_code == 204
    ticks.now += STALE_AFTER
    assert ended(await other.get(ME, headers=bearer(ada)))
    assert ended(await other.get(ME, headers=bearer(thief)))


SENSITIVE = [
    ("POST", KEYS, {"json": {"name": "thief"}}),
    ("POST", KEYS + "/{key}/roll", {"json": {}}),
    ("POST", PASSWORD, {"json": {"current_password": ADA["password"], "new_password": "battery staple"}}),
    ("PUT", WEBHOOK, {"json": {"url": "https://example.com/thief"}}),
    ("DELETE", WEBHOOK, {}),
    ("POST", FEED, {}),
    ("DELETE", FEED, {}),
]


@pytest.mark.parametrize("storage", ["postgres"])
@pytest.mark.parametrize("method,path,body", SENSITIVE, ids=[f"{m} {p}" for m, p, _ in SENSITIVE])
async def test_sensitive_operations_refuse_an_ended_session_before_the_process_learns_of_it(
        api, ada, replica, method, path, body):
    other, _ = replica  # its clock never moves: it polls once, at its first request, and never again
    key = (await api.post(KEYS, headers=bearer(ada), json={"name": "mine"})).json()
    assert (await api.put(WEBHOOK, headers=bearer(ada), json={"url": "https://example.com/mine"})).status_code == 200
    feed = urlsplit((await api.post(FEED, headers=bearer(ada))).json()["url"]).path
    assert (await other.get(ME, headers=bearer(ada))).status_code == 200
    before = await owned(api, bearer(ada), feed)
    assert (await api.post(LOGOUT, json={"refresh_token": ada["refresh_token"]})).status_code == 204

    assert ended(await other.request(method, path.format(key=key["id"]), headers=bearer(ada), **body))
    assert await owned(api, bearer(await log_in(api)), feed) == before  # and the password did not change


async def owned(api, headers, feed: str) -> list:
    """What the sensitive operations could change: the keys, the webhook and its secret, the feed."""
    return [(await api.get(KEYS, headers=headers)).json(), (await api.get(WEBHOOK, headers=headers)).json(),
            (await api.get(feed)).status_code]
