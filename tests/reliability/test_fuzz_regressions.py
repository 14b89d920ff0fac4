"""Failures the fuzzer found once, kept as plain tests; and the OpenAPI rules that make its checks meaningful."""

from datetime import UTC, datetime

import pytest

from tests.reliability.live import published_openapi
from tests.reliability.resources import operations

memory_only = pytest.mark.parametrize("storage", ["memory"], indirect=True)
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@memory_only
async def test_a_login_body_that_is_not_utf8_is_a_422_not_a_500(api):
    response = await api.post("/api/v1/auth/login", content=b"\xf6\xa0", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"


@memory_only
async def test_a_json_body_that_is_not_utf8_is_a_documented_400_problem(api):
    response = await api.post("/api/v1/auth/register", content=b"\xf6\xa0{",
                              headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "400" in published_openapi()["paths"]["/api/v1/auth/register"]["post"]["responses"]


@memory_only
async def test_an_unsupported_method_names_every_method_of_the_path_in_allow(api):
    response = await api.request("OPTIONS", "/api/v1/users/me")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert response.headers["content-type"] == "application/problem+json"
    literal = await api.request("OPTIONS", "/api/v1/expenses/export.csv")  # not /expenses/{expense_id}
    assert literal.headers["allow"] == "GET"


def test_every_error_response_is_a_documented_problem():
    for op in operations(published_openapi()):
        for status, response in op.raw["responses"].items():
            if status.startswith(("4", "5")):
                assert response.get("content") == PROBLEM, (op.label, status)


def test_operations_document_the_problems_any_of_them_can_answer():
    for op in operations(published_openapi()):
        if op.path.startswith("/api/"):
            assert op.documents(503), f"{op.label}: the database may be down"
        if op.media_types:
            assert op.documents(400) and op.documents(413), f"{op.label}: a body may be unparseable or too large"


@memory_only
async def test_listing_events_from_an_ancient_date_is_not_a_server_error(api):
    await api.post("/api/v1/auth/register", json={"email": "ada@example.com", "username": "ada",
                                                  "password": "correct horse battery"})
    login = await api.post("/api/v1/auth/login", json={"username": "ada", "password": "correct horse battery"})
    user = {"Authorization": f"Bearer {login.json()['access_token']}"}
    created = await api.post("/api/v1/events", headers=user, json={
        "title": "Era", "start_time": "2026-03-16T09:00:00Z", "end_time": "2999-03-16T09:00:00Z",
        "recurrence": "RRULE:FREQ=YEARLY;INTERVAL=1000"})
    assert created.status_code == 201, created.text
    response = await api.get("/api/v1/events", params={"from": "0716-05-04T02:22:39.70-03:23"}, headers=user)
    assert response.status_code == 422, response.text  # listings start in 1900 at the earliest
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [("query", "from")], response.text


NUL = "a\u0000b"


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_text_with_a_nul_character_is_a_422_naming_the_field_not_a_500(api, container, tmp_path):
    """PostgreSQL text cannot hold U+0000: every free-text field rejects it before it reaches the database."""
    from dependency_injector import providers

    from adapters.blobs import FilesystemBlobStore
    from tests.api.identity_support import GENERATIONS, new_key, with_key
    from tests.api.calendar_support import EVENTS, create_event, sign_up

    container.imaging.blobs.override(providers.Object(FilesystemBlobStore(tmp_path / "blobs")))
    ada = await sign_up(api)
    event = await create_event(api, ada, datetime(2026, 1, 5, 10, tzinfo=UTC))
    note = (await api.post(f"{EVENTS}/{event['id']}/notes", headers=ada, json={"body": "agenda"})).json()
    key = await new_key(api, ada, daily_quota=5)
    window = {"from": "2026-01-01T00:00:00Z"}
    attempts = {
        "title": api.patch(f"{EVENTS}/{event['id']}", headers=ada, json={"title": NUL}),
        "description": api.patch(f"{EVENTS}/{event['id']}", headers=ada, json={"description": NUL}),
        "location": api.patch(f"{EVENTS}/{event['id']}", headers=ada, json={"location": NUL}),
        "body": api.patch(f"/api/v1/notes/{note['id']}", headers=ada, json={"body": NUL}),
        "q": api.get(EVENTS, headers=ada, params={**window, "q": NUL}),
        "prompt": api.post(GENERATIONS, headers=with_key(key), json={"prompt": NUL, "width": 64, "height": 64}),
    }
    for field, attempt in attempts.items():
        response = await attempt
        assert response.status_code == 422, (field, response.text)
        [error] = response.json()["errors"]
        assert (error["field"], error["location"]) == (field, "query" if field == "q" else "body"), response.text
    assert (await api.get(f"{EVENTS}/{event['id']}", headers=ada)).json() == event
    assert (await api.get(f"{EVENTS}/{event['id']}/notes", headers=ada)).json()["items"] == [note]
