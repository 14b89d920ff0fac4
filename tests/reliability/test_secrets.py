"""Passwords, refresh tokens, API keys and the JWT secret never reach a log line, an error body or a listing."""

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from dependency_injector import providers

from adapters.delivery.connector import ProviderConnector
from adapters.postgres.embedded import EmbeddedPostgres
from entrypoints.logs import JsonFormatter, configure_logging
from tests.composition import settings_for
from tests.reliability.live import LiveServer, fresh_database

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "tr0ub4dor and then some"
DELIVERY_TOKEN, NEW_DELIVERY_TOKEN = "ghp_delivery0token0one", "lin_api_delivery0token0two"


def everything_logged(records: list[logging.LogRecord]) -> str:
    formatter = JsonFormatter()
    return "\n".join(formatter.format(record) + json.dumps(record.__dict__, default=repr) for record in records)


async def test_secrets_stay_out_of_logs_error_bodies_and_listings(api, container, caplog):
    caplog.set_level(logging.DEBUG)
    container.delivery.connector.override(providers.Object(ProviderConnector(  # GitHub on a closed port, no waiting
        git_roots=(), clock=container.infrastructure.clock(), github_url="http://127.0.0.1:9", max_wait=0)))
    handed_out, other_bodies = [], []

    async def call(method, url, *, gives_secrets=False, **kwargs):
        response = await api.request(method, url, **kwargs)
        (handed_out if gives_secrets else other_bodies).append(response.text)
        return response

    account = {"email": "ada@example.com", "username": "ada", "password": PASSWORD}
    assert (await call("POST", "/api/v1/auth/register", json=account)).status_code == 201
    await call("POST", "/api/v1/auth/register", json=account)  # 409
    await call("POST", "/api/v1/auth/register", json={**account, "password": "short", "extra": PASSWORD})  # 422
    await call("POST", "/api/v1/auth/login", json={"email": account["email"], "password": PASSWORD + "!"})  # 401
    await call("POST", "/api/v1/auth/login", content=f"username=ada&password={PASSWORD}&x=\xff".encode(),
               headers={"content-type": "application/json"})  # not JSON: 422
    tokens = (await call("POST", "/api/v1/auth/login", gives_secrets=True,
                         json={"email": account["email"], "password": PASSWORD})).json()
    user = {"Authorization": f"Bearer {tokens['access_token']}"}
    renewed = (await call("POST", "/api/v1/auth/refresh", gives_secrets=True,
                          json={"refresh_token": tokens["refresh_token"]})).json()
    await call("POST", "/api/v1/users/me/password", headers=user,
               json={"current_password": PASSWORD + "?", "new_password": NEW_PASSWORD})  # 401/409
    key = (await call("POST", "/api/v1/api-keys", gives_secrets=True, headers=user, json={"name": "ci"})).json()
    await call("GET", "/api/v1/api-keys", headers=user)
    await call("GET", "/api/v1/images", headers={"X-API-Key": key["key"]})
    await call("GET", "/api/v1/images", headers={"X-API-Key": key["key"] + "x"})  # 401
    rolled = (await call("POST", f"/api/v1/api-keys/{key['id']}/roll", gives_secrets=True, headers=user,
                         json={"grace_seconds": 0})).json()
    await call("GET", "/api/v1/images", headers={"X-API-Key": key["key"]})  # the old secret: 401
    await call("DELETE", f"/api/v1/api-keys/{key['id']}", headers=user)
    await call("GET", "/api/v1/images", headers={"Authorization": f"Bearer {rolled['key']}"})  # revoked: 401
    await call("GET", "/api/v1/users/me", headers={"Authorization": f"Bearer {renewed['access_token']}x"})  # 401
    await call("GET", "/api/v1/api-keys", headers=user)
    await call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})  # reuse: 401, ends it
    await call("GET", "/api/v1/users/me", headers=user)  # the session has ended: 401
    again = (await call("POST", "/api/v1/auth/login", gives_secrets=True,
                        json={"email": account["email"], "password": PASSWORD})).json()
    user = {"Authorization": f"Bearer {again['access_token']}"}
    source = (await call("POST", "/api/v1/delivery/sources", headers=user, json={
        "kind": "github", "repository": "octo-org/app", "token": DELIVERY_TOKEN})).json()
    await call("POST", "/api/v1/delivery/sources", headers=user, json={
        "kind": "github", "repository": "not a repository", "token": DELIVERY_TOKEN})  # 422
    await call("PATCH", f"/api/v1/delivery/sources/{source['id']}", headers=user, json={"token": NEW_DELIVERY_TOKEN})
    sync = (await call("POST", f"/api/v1/delivery/sources/{source['id']}/syncs", headers=user)).json()
    await container.delivery.run_syncs()()  # fails: GitHub cannot be reached
    failed = await call("GET", f"/api/v1/delivery/syncs/{sync['id']}", headers=user)
    await call("GET", "/api/v1/delivery/sources", headers=user)
    await call("POST", "/api/v1/auth/logout", json={"refresh_token": renewed["refresh_token"]})

    assert failed.json()["status"] == "failed" and source["token_set"] is True
    secrets = {
        "password": PASSWORD, "new password": NEW_PASSWORD, "refresh token": tokens["refresh_token"],
        "renewed refresh token": renewed["refresh_token"], "later refresh token": again["refresh_token"],
        "API key": key["key"], "rolled API key": rolled["key"],
        "JWT secret": settings_for("memory").resolved_jwt_secret(),
        "delivery token": DELIVERY_TOKEN, "new delivery token": NEW_DELIVERY_TOKEN,
        "secret key": settings_for("memory").resolved_secret_key(),
    }
    logged = everything_logged(caplog.records)
    assert caplog.records, "nothing was logged: the scan would prove nothing"
    for name, secret in secrets.items():
        assert secret not in logged, f"the {name} was logged"
        assert all(secret not in body for body in other_bodies), f"the {name} is in a response body"
    assert all(tokens["access_token"] not in body for body in other_bodies)
    assert any(key["key"] in body for body in handed_out)  # the scan looks where secrets really are


SECRET_SHAPES = re.compile(r"\b(?:whsec_|cal_)[A-Za-z0-9_-]{16,}|\batr_live_[A-Za-z0-9]{5,}")


@contextmanager
def broken(server: EmbeddedPostgres, database: str, table: str, how: str) -> Iterator[None]:
    """Make every statement on `table` fail in the database: `renamed` (the table is missing: SQLAlchemy's error
    quotes the statement's parameters) or `refusing` (a CHECK every new row fails: the server's DETAIL quotes
    the whole row)."""
    if how == "renamed":
        server.psql(f"ALTER TABLE {table} RENAME TO {table}_broken", database)
        undo = f"ALTER TABLE {table}_broken RENAME TO {table}"
    else:
        server.psql(f"ALTER TABLE {table} ADD CONSTRAINT refuse_everything CHECK (false) NOT VALID", database)
        undo = f"ALTER TABLE {table} DROP CONSTRAINT refuse_everything"
    try:
        yield
    finally:
        server.psql(undo, database)


@contextmanager
def process_logging(fmt: str) -> Iterator[None]:
    """The process's logging as `atrium serve` sets it up (at debug level), restored afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("debug", fmt)
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.flush()  # the lines still queued for the log's writer thread
            handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_500_on_a_secret_bearing_route_logs_no_secret(postgres_server, tmp_path, capfd, fmt):
    """A request on each route that takes or hands out a secret fails in the database (the error quoting its
    parameters or the failing row); everything the process prints, from every logger (uvicorn's included), holds
    no password, token, key, webhook secret or feed token, neither one the test knows nor one of their shapes."""
    if postgres_server.embedded is None:
        pytest.skip("breaks tables, so needs the embedded server's own database")
    database = f"atrium_secrets_{fmt}"  # a new one each: re-creating one (DROP DATABASE) timed out under load
    url = fresh_database(postgres_server.url, database)
    pg = postgres_server.embedded
    with process_logging(fmt), LiveServer(url, tmp_path, webhook_allow_private_networks=True) as server, \
            server.client() as client:
        account = {"email": "ada@example.com", "username": "ada", "password": PASSWORD}
        assert client.post("/api/v1/auth/register", json=account).status_code == 201
        tokens = client.post("/api/v1/auth/login", json={"username": "ada", "password": PASSWORD}).json()
        user = {"Authorization": f"Bearer {tokens['access_token']}"}
        key = client.post("/api/v1/api-keys", json={"name": "ci"}, headers=user).json()
        webhook = client.put("/api/v1/calendar-webhook", json={"url": "http://127.0.0.1:9/hook"}, headers=user).json()
        feed = client.post("/api/v1/calendar-feed", headers=user).json()
        feed_path = "/api/v1/calendar-feeds/" + feed["url"].rsplit("/calendar-feeds/", 1)[1]
        source = client.post("/api/v1/delivery/sources", headers=user, json={
            "kind": "github", "repository": "octo-org/app", "token": DELIVERY_TOKEN}).json()
        failing = [
            ("POST", "/api/v1/auth/register", {"json": {**account, "email": "bob@example.com", "username": "bob"}},
             "accounts", "refusing"),
            ("POST", "/api/v1/auth/login", {"json": {"username": "ada", "password": PASSWORD}},
             "refresh_tokens", "renamed"),
            ("POST", "/api/v1/auth/refresh", {"json": {"refresh_token": tokens["refresh_token"]}},
             "refresh_tokens", "renamed"),
            ("POST", "/api/v1/auth/logout", {"json": {"refresh_token": tokens["refresh_token"]}},
             "refresh_tokens", "renamed"),
            ("POST", "/api/v1/users/me/password", {"headers": user, "json": {
                "current_password": PASSWORD, "new_password": NEW_PASSWORD}}, "refresh_tokens", "renamed"),
            ("POST", "/api/v1/api-keys", {"headers": user, "json": {"name": "ci2"}}, "api_keys", "refusing"),
            ("POST", f"/api/v1/api-keys/{key['id']}/roll", {"headers": user, "json": {"grace_seconds": 0}},
             "api_keys", "refusing"),
            ("GET", "/api/v1/images", {"headers": {"X-API-Key": key["key"]}}, "api_keys", "renamed"),
            ("PUT", "/api/v1/calendar-webhook", {"headers": user, "json": {"url": "http://127.0.0.1:9/hook"}},
             "calendar_webhooks", "renamed"),
            ("PUT", "/api/v1/calendar-webhook", {"headers": user, "json": {"url": "http://127.0.0.1:9/hook"}},
             "calendar_webhooks", "refusing"),
            ("GET", "/api/v1/calendar-webhook", {"headers": user}, "calendar_webhooks", "renamed"),
            ("POST", "/api/v1/calendar-feed", {"headers": user}, "calendar_feeds", "refusing"),
            ("GET", feed_path, {}, "calendar_feeds", "renamed"),
            ("GET", feed_path, {}, "events", "renamed"),
            ("POST", "/api/v1/delivery/sources", {"headers": user, "json": {
                "kind": "github", "repository": "octo-org/app", "token": DELIVERY_TOKEN}}, "delivery_sources", "refusing"),
            ("PATCH", f"/api/v1/delivery/sources/{source['id']}", {"headers": user, "json": {
                "token": NEW_DELIVERY_TOKEN}}, "delivery_sources", "refusing"),
        ]
        for method, path, request, table, how in failing:
            with broken(pg, database, table, how):
                response = client.request(method, path, **request)
            assert response.status_code == 500, (method, path, table, how, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert SECRET_SHAPES.search(response.text) is None
    out, err = capfd.readouterr()
    printed = out + err
    assert "Traceback" in printed, "no failure was logged: the scan would prove nothing"
    secrets = {"password": PASSWORD, "refresh token": tokens["refresh_token"], "access token": tokens["access_token"],
               "API key": key["key"], "webhook secret": webhook["secret"], "feed token": feed["token"],
               "delivery token": DELIVERY_TOKEN, "new delivery token": NEW_DELIVERY_TOKEN}
    leaks = [name for name, secret in secrets.items() if secret in printed]
    leaks += sorted({found[:12] + "…" for found in SECRET_SHAPES.findall(printed)})
    assert not leaks, f"logged: {leaks}"
