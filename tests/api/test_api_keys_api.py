"""API keys and the usage report over HTTP, on both storages."""

import logging
import re
from datetime import timedelta

import pytest

from tests.api.identity_support import (  # noqa: F401 (container is a fixture)
    KEYS, USAGE, container, generate, login, new_key, used_today, user, with_key,
)


async def test_a_new_key_is_shown_once_and_works(api):
    ada = await user(api)
    response = await api.post(KEYS, json={"name": " ci "}, headers=ada)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "key", "prefix", "daily_quota", "expires_at", "created_at",
                         "previous_expires_at"}
    assert re.fullmatch(r"atr_live_[0-9A-Za-z]{43,}", body["key"])
    assert body["prefix"] == body["key"][:13] and body["name"] == "ci"
    assert body["daily_quota"] == 100 and body["created_at"] == "2026-01-05T09:00:00Z"
    assert (await generate(api, body)).status_code == 201


async def test_listings_show_keys_but_never_a_secret_or_hash(api):
    ada = await user(api)
    first = await new_key(api, ada, name="first", daily_quota=7)
    second = await new_key(api, ada, name="second", expires_at="2026-02-01T00:00:00+01:00")
    await generate(api, first)
    listing = await api.get(KEYS, headers=ada)
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [k["name"] for k in items] == ["second", "first"] and listing.json()["next_cursor"] is None
    assert items[0]["expires_at"] == "2026-01-31T23:00:00Z" and items[1]["daily_quota"] == 7
    assert items[1]["last_used_at"] == "2026-01-05T09:00:00Z" and items[1]["is_active"] is True
    for secret in (first["key"], second["key"]):
        assert secret not in listing.text and secret[13:] not in listing.text
    assert "hash" not in listing.text


@pytest.mark.parametrize("body,field", [
    ({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"name": "ok", "daily_quota": 0}, "daily_quota"),
    ({"name": "ok", "daily_quota": 1_000_001}, "daily_quota"), ({"name": "ok", "expires_at": "2026-01-05T08:00:00Z"},
                                                                "expires_at"),
    ({"name": "ok", "expires_at": "2026-02-01T00:00:00"}, "expires_at"), ({"name": "ok", "secret": "x"}, "secret"),
    ({"name": "ok", "expires_at": "9999-12-31T23:59:59-10:00"}, "expires_at"),
])
async def test_bad_key_requests_are_422_and_name_the_field(api, body, field):
    ada = await user(api)
    response = await api.post(KEYS, json=body, headers=ada)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_managing_keys_needs_a_user_token_not_an_api_key(api):
    ada = await user(api)
    key = await new_key(api, ada)
    assert (await api.get(KEYS)).status_code == 401
    response = await api.get(KEYS, headers=with_key(key))
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


async def test_at_most_20_usable_keys_per_account(api):
    ada = await user(api)
    keys = [await new_key(api, ada, name=f"k{n}") for n in range(20)]
    refused = await api.post(KEYS, json={"name": "one more"}, headers=ada)
    assert refused.status_code == 409 and refused.json()["code"] == "too_many_api_keys"
    assert (await api.delete(f"{KEYS}/{keys[0]['id']}", headers=ada)).status_code == 204
    await new_key(api, ada, name="one more")


async def test_a_revoked_key_is_kept_for_audit_and_answers_401(api):
    ada = await user(api)
    key = await new_key(api, ada)
    assert (await api.delete(f"{KEYS}/{key['id']}", headers=ada)).status_code == 204
    assert (await api.delete(f"{KEYS}/{key['id']}", headers=ada)).status_code == 204
    refused = await generate(api, key)
    assert refused.status_code == 401 and refused.json()["code"] == "key_revoked"
    assert refused.headers["www-authenticate"] == "Bearer"
    [listed] = (await api.get(KEYS, headers=ada)).json()["items"]
    assert listed["is_active"] is False and listed["revoked_at"] == "2026-01-05T09:00:00Z"
    rolled = await api.post(f"{KEYS}/{key['id']}/roll", headers=ada)
    assert rolled.status_code == 409 and rolled.json()["code"] == "api_key_revoked"


async def test_rolling_keeps_the_key_and_the_old_secret_works_through_the_grace(api, clock):
    ada = await user(api)
    old = await new_key(api, ada, daily_quota=3)
    response = await api.post(f"{KEYS}/{old['id']}/roll", json={"grace_seconds": 60}, headers=ada)
    assert response.status_code == 200
    new = response.json()
    assert new["id"] == old["id"] and new["daily_quota"] == 3 and new["key"] != old["key"]
    assert new["previous_expires_at"] == "2026-01-05T09:01:00Z"
    assert (await generate(api, old)).status_code == 201
    assert (await generate(api, new)).status_code == 201
    clock.advance(seconds=60)
    expired = await generate(api, old)
    assert expired.status_code == 401 and expired.json()["code"] == "key_expired"
    assert (await generate(api, new)).status_code == 201
    assert (await api.post(f"{KEYS}/{old['id']}/roll", headers=ada)).status_code == 200  # no body: no grace
    too_long = await api.post(f"{KEYS}/{old['id']}/roll", json={"grace_seconds": 7 * 86400 + 1}, headers=ada)
    assert too_long.status_code == 422


async def test_another_accounts_keys_look_missing(api):
    ada, bob = await user(api, "ada"), await user(api, "bob")
    key = await new_key(api, ada)
    assert (await api.delete(f"{KEYS}/{key['id']}", headers=bob)).status_code == 404
    assert (await api.post(f"{KEYS}/{key['id']}/roll", headers=bob)).status_code == 404
    missing = await api.get(USAGE, params={"api_key_id": key["id"]}, headers=bob)
    assert missing.status_code == 404 and missing.json()["code"] == "api_key_not_found"
    assert (await api.get(KEYS, headers=bob)).json()["items"] == []
    assert (await generate(api, key)).status_code == 201


async def test_usage_lists_days_and_what_is_left_today(api, clock):
    ada = await user(api)
    first, second = await new_key(api, ada, name="first", daily_quota=5), await new_key(api, ada, name="second")
    for _ in range(2):
        await generate(api, first)
    clock.advance(days=1)
    await generate(api, first)
    await generate(api, second)
    ada = await login(api)
    report = await api.get(USAGE, headers=ada)
    assert report.status_code == 200
    body = report.json()
    assert [(i["date"], i["api_key_id"], i["used"], i["quota"]) for i in body["items"]] == [
        ("2026-01-05", first["id"], 2, 5),
        *sorted([("2026-01-06", first["id"], 1, 5), ("2026-01-06", second["id"], 1, 100)]),
    ]
    today = {k["name"]: (k["date"], k["used"], k["remaining"]) for k in body["today"]}
    assert today == {"first": ("2026-01-06", 1, 4), "second": ("2026-01-06", 1, 99)}
    one_day = await api.get(USAGE, params={"from": "2026-01-05", "to": "2026-01-05"}, headers=ada)
    assert [i["used"] for i in one_day.json()["items"]] == [2]
    assert await used_today(api, ada, second) == 1


async def test_usage_at_the_edges_of_the_calendar_is_empty_not_an_error(api):
    ada = await user(api)
    for params in ({"to": "0001-01-03"}, {"from": "9999-12-01", "to": "9999-12-31"}):
        response = await api.get(USAGE, params=params, headers=ada)
        assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("params,field", [
    ({"from": "2026-01-06", "to": "2026-01-05"}, "from"), ({"from": "2025-01-01", "to": "2026-01-05"}, "to"),
    ({"from": "yesterday"}, "from"), ({"api_key_id": "nope"}, "api_key_id"),
])
async def test_bad_usage_queries_are_422(api, params, field):
    ada = await user(api)
    response = await api.get(USAGE, params=params, headers=ada)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_secrets_never_reach_the_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    ada = await user(api)
    key = await new_key(api, ada)
    rolled = (await api.post(f"{KEYS}/{key['id']}/roll", json={"grace_seconds": 60}, headers=ada)).json()
    for secret in (key, rolled):
        await generate(api, secret)
        await api.post("/api/v1/images/generations", json={"prompt": "x"}, headers={"X-API-Key": secret["key"]})
    await generate(api, "atr_live_" + "0" * 43)
    assert sum(r.name == "atrium.access" for r in caplog.records) >= 8  # the access log did write
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in (key["key"], rolled["key"], "atr_live_" + "0" * 43):
        assert secret not in logged and secret[13:] not in logged


async def test_last_used_at_is_kept_to_the_minute(api, clock):
    ada = await user(api)
    key = await new_key(api, ada)
    await generate(api, key)
    clock.advance(seconds=30)
    await generate(api, key)
    [listed] = (await api.get(KEYS, headers=ada)).json()["items"]
    assert listed["last_used_at"] == "2026-01-05T09:00:00Z"
    clock.advance(timedelta(seconds=30))
    await generate(api, key)
    [listed] = (await api.get(KEYS, headers=ada)).json()["items"]
    assert listed["last_used_at"] == "2026-01-05T09:01:00Z"
