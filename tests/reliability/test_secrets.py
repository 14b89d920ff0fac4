"""Passwords, refresh tokens, API keys and the JWT secret never reach a log line, an error body or a listing."""

import json
import logging

from entrypoints.logs import JsonFormatter
from tests.conftest import settings_for

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "tr0ub4dor and then some"


def everything_logged(records: list[logging.LogRecord]) -> str:
    formatter = JsonFormatter()
    return "\n".join(formatter.format(record) + json.dumps(record.__dict__, default=repr) for record in records)


async def test_secrets_stay_out_of_logs_error_bodies_and_listings(api, caplog):
    caplog.set_level(logging.DEBUG)
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
    await call("POST", "/api/v1/auth/logout", json={"refresh_token": renewed["refresh_token"]})

    secrets = {
        "password": PASSWORD, "new password": NEW_PASSWORD, "refresh token": tokens["refresh_token"],
        "renewed refresh token": renewed["refresh_token"], "API key": key["key"], "rolled API key": rolled["key"],
        "JWT secret": settings_for("memory").resolved_jwt_secret(),
    }
    logged = everything_logged(caplog.records)
    assert caplog.records, "nothing was logged: the scan would prove nothing"
    for name, secret in secrets.items():
        assert secret not in logged, f"the {name} was logged"
        assert all(secret not in body for body in other_bodies), f"the {name} is in a response body"
    assert all(tokens["access_token"] not in body for body in other_bodies)
    assert any(key["key"] in body for body in handed_out)  # the scan looks where secrets really are
