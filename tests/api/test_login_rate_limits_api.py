"""Login and registration limits per client address and per login, X-Forwarded-For from trusted proxies only;
a lockout that tells nothing about which accounts exist."""

import httpx
import pytest

from entrypoints.api.app import create_app
from tests.composition import compose

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
ADA = {"email": "ada@example.com", "password": "correct horse"}


@pytest.fixture
def container(container):
    container.config.login_attempts_per_ip.override(3)
    container.config.login_failures_per_address.override(2)
    container.config.registrations_per_ip.override(2)
    return container


async def register(api, name="ada", **headers):
    body = {"email": f"{name}@example.com", "username": name, "password": "correct horse"}
    return await api.post(REGISTER, json=body, headers=headers)


async def logins(api, count, body=ADA, **headers):
    return [(await api.post(LOGIN, json=body, headers=headers)).status_code for _ in range(count)]


async def test_logins_are_limited_per_client_address(api):
    await register(api)
    assert await logins(api, 3) == [200, 200, 200]
    refused = await api.post(LOGIN, json=ADA)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert refused.headers["retry-after"] == "100"  # 3 per 5 minutes: one more every 100 s
    # Without a trusted proxy, X-Forwarded-For is the client's own claim and changes nothing.
    assert await logins(api, 1, **{"X-Forwarded-For": "203.0.113.9"}) == [429]


async def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(api, container):
    container.config.trusted_proxies.override("127.0.0.0/8, 10.0.0.0/8")
    await register(api)
    assert await logins(api, 3, **{"X-Forwarded-For": "203.0.113.1"}) == [200, 200, 200]
    assert await logins(api, 1, **{"X-Forwarded-For": "203.0.113.1"}) == [429]
    assert await logins(api, 1, **{"X-Forwarded-For": "203.0.113.2"}) == [200]
    # The nearest untrusted hop counts: a client cannot pick its address by prepending one.
    assert await logins(api, 1, **{"X-Forwarded-For": "198.51.100.7, 203.0.113.1, 10.1.2.3"}) == [429]
    assert await logins(api, 1) == [200]  # the proxy's own requests (no header) are its own address


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def test_failures_from_other_addresses_never_lock_the_owner_out(api, container, clock):
    container.config.trusted_proxies.override("127.0.0.1")
    await register(api)
    wrong = {**ADA, "password": "wrong password"}
    for attacker in ("203.0.113.3", "203.0.113.4", "203.0.113.5"):
        assert await logins(api, 2, wrong, **from_address(attacker)) == [401, 401]
        locked = await api.post(LOGIN, json=ADA, headers=from_address(attacker))
        assert locked.status_code == 429 and locked.headers["retry-after"] == str(15 * 60 // 2)
    assert await logins(api, 1, **from_address("198.51.100.7")) == [200]  # the owner, never seen before
    clock.advance(seconds=450)
    assert await logins(api, 1, **from_address("203.0.113.3")) == [200]


async def test_beyond_the_hourly_ceiling_only_addresses_the_account_signed_in_from_may_try(api, container):
    container.config.trusted_proxies.override("127.0.0.1")
    container.config.login_failures_per_hour.override(3)
    await register(api)
    assert await logins(api, 1, **from_address("198.51.100.7")) == [200]  # the owner's usual address
    wrong = {**ADA, "password": "wrong password"}
    for attacker in ("203.0.113.3", "203.0.113.4", "203.0.113.5"):
        assert await logins(api, 1, wrong, **from_address(attacker)) == [401]
    refused = await api.post(LOGIN, json=ADA, headers=from_address("203.0.113.6"))
    assert refused.status_code == 429 and refused.headers["retry-after"] == str(60 * 60 // 3)
    assert await logins(api, 1, **from_address("198.51.100.7")) == [200]


async def test_a_lockout_answers_alike_for_an_email_its_username_and_logins_of_no_account(api, container):
    container.config.login_attempts_per_ip.override(100)
    await register(api)
    answers = []
    for login in ({"email": "ada@example.com"}, {"username": "ada"},
                  {"email": "nobody@example.com"}, {"username": "nobody"}):
        # each is counted by itself: failures by email never lock the username out, which would link the two
        assert await logins(api, 2, {**login, "password": "wrong password"}) == [401, 401]
        answers.append(await api.post(LOGIN, json={**login, "password": ADA["password"]}))
    assert {answer.status_code for answer in answers} == {429}
    assert len({(answer.content, tuple((k, v) for k, v in answer.headers.items() if k != "x-request-id"))
                for answer in answers}) == 1


async def test_registrations_are_limited_per_client_address(api):
    assert (await register(api, "ada")).status_code == 201
    assert (await register(api, "bob")).status_code == 201
    refused = await register(api, "cat")
    assert refused.status_code == 429 and "retry-after" in refused.headers


@pytest.mark.parametrize("storage", ["postgres"])
async def test_replicas_on_postgres_share_the_limits(api, container, clock, postgres_url):
    replica = compose("postgres", clock, database_url=postgres_url)
    replica.config.login_attempts_per_ip.override(3)
    try:
        transport = httpx.ASGITransport(app=create_app(replica), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://replica.test") as other:
            await register(api)
            assert await logins(api, 2) == [200, 200]
            assert await logins(other, 2) == [200, 429]
            assert await logins(api, 1) == [429]
    finally:
        await replica.infrastructure.engine().dispose()
