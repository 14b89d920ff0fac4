"""Registration, login, refresh rotation, logout and the account, over HTTP on both storages."""

import pytest

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"
ADA = {"email": "Ada@Example.com", "username": "ada", "password": "correct horse", "full_name": "Ada L"}


async def register(api, **overrides):
    return await api.post(REGISTER, json={**ADA, **overrides})


async def login(api, **body):
    response = await api.post(LOGIN, json=body or {"email": ADA["email"], "password": ADA["password"]})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens):
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_register_returns_the_account_without_secrets(api):
    response = await register(api)
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ada@example.com" and body["username"] == "ada"
    assert set(body) == {"id", "email", "username", "full_name", "time_zone", "currency", "created_at"}
    assert (body["time_zone"], body["currency"]) == ("UTC", "EUR")
    assert "correct horse" not in response.text and "argon2" not in response.text
    assert body["created_at"] == "2026-01-05T09:00:00Z"


@pytest.mark.parametrize("field,value", [
    ("email", "ADA@example.COM"), ("username", "ADA"),
])
async def test_duplicate_email_or_username_is_409(api, field, value):
    await register(api)
    other = {"email": "grace@example.com", "username": "grace", field: value}
    response = await register(api, **other)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == f"{field}_taken"


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("username", "ab"), ("username", "has space"),
    ("password", "short"), ("password", "x" * 129),
])
async def test_bad_registration_names_the_field_and_writes_nothing(api, field, value):
    response = await register(api, **{field: value})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert (await register(api)).status_code == 201


async def test_login_with_email_username_or_oauth2_form(api):
    await register(api)
    by_email = await login(api)
    by_username = await login(api, username="ADA", password=ADA["password"])
    form = await api.post(LOGIN, data={"username": "ada@example.com", "password": ADA["password"],
                                       "grant_type": "password"})
    assert form.status_code == 200
    for tokens in (by_email, by_username, form.json()):
        assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
        assert (await api.get(ME, headers=bearer(tokens))).json()["username"] == "ada"


async def test_wrong_password_and_unknown_account_look_the_same(api):
    await register(api)
    wrong = await api.post(LOGIN, json={"email": ADA["email"], "password": "wrong password"})
    unknown = await api.post(LOGIN, json={"email": "nobody@example.com", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_login_needs_exactly_one_of_email_or_username(api):
    response = await api.post(LOGIN, json={"password": "correct horse"})
    assert response.status_code == 422
    bad_json = await api.post(LOGIN, content=b"{nope", headers={"content-type": "application/json"})
    assert bad_json.status_code == 422


async def test_refresh_rotates_and_reuse_revokes_the_family(api):
    await register(api)
    first = await login(api)
    second = (await api.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"]
    third = await api.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    reuse = await api.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and reuse.json()["code"] == "invalid_refresh_token"
    # the theft check revoked the whole family, including the newest token
    newest = await api.post(REFRESH, json={"refresh_token": third.json()["refresh_token"]})
    assert newest.status_code == 401


async def test_logout_revokes_the_session_only(api):
    await register(api)
    phone, laptop = await login(api), await login(api)
    assert (await api.post(LOGOUT, json={"refresh_token": phone["refresh_token"]})).status_code == 204
    assert (await api.post(REFRESH, json={"refresh_token": phone["refresh_token"]})).status_code == 401
    assert (await api.post(REFRESH, json={"refresh_token": laptop["refresh_token"]})).status_code == 200


async def test_tokens_expire_by_the_clock(api, clock):
    await register(api)
    tokens = await login(api)
    clock.advance(minutes=15)
    expired = await api.get(ME, headers=bearer(tokens))
    assert expired.status_code == 401 and expired.headers["www-authenticate"] == "Bearer"
    assert (await api.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})).status_code == 200
    clock.advance(days=31)
    assert (await api.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})).status_code == 401


async def test_forged_or_malformed_tokens_are_401(api):
    for value in ("Bearer nonsense", "Bearer a.b.c", "Basic abc"):
        response = await api.get(ME, headers={"Authorization": value})
        assert response.status_code == 401, value
        assert response.headers["content-type"] == "application/problem+json"


async def test_update_profile(api):
    await register(api)
    headers = bearer(await login(api))
    response = await api.patch(ME, json={"username": "countess", "full_name": "Ada Lovelace"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["username"] == "countess" and response.json()["full_name"] == "Ada Lovelace"
    cleared = await api.patch(ME, json={"full_name": None}, headers=headers)
    assert cleared.json()["full_name"] is None and cleared.json()["username"] == "countess"
    await register(api, email="grace@example.com", username="grace")
    taken = await api.patch(ME, json={"username": "grace"}, headers=headers)
    assert taken.status_code == 409
    assert (await api.get(ME, headers=headers)).json()["username"] == "countess"


async def test_change_password_ends_other_sessions(api):
    await register(api)
    here, elsewhere = await login(api), await login(api)
    wrong = await api.post(f"{ME}/password", headers=bearer(here),
                           json={"current_password": "nope nope", "new_password": "battery staple"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    ok = await api.post(f"{ME}/password", headers=bearer(here),
                        json={"current_password": ADA["password"], "new_password": "battery staple"})
    assert ok.status_code == 204
    assert (await api.post(REFRESH, json={"refresh_token": elsewhere["refresh_token"]})).status_code == 401
    assert (await api.post(REFRESH, json={"refresh_token": here["refresh_token"]})).status_code == 200
    assert (await api.post(LOGIN, json={"email": ADA["email"], "password": ADA["password"]})).status_code == 401
    await login(api, email=ADA["email"], password="battery staple")
