"""Two API servers on one database, each with a data directory of its own (as two machines behind a load balancer),
share everything a client can tell: sessions, login limits, quotas, idempotency keys and images."""

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.reliability.live import PASSWORD, LiveServer, fresh_database

ME = "/api/v1/users/me"
GENERATIONS = "/api/v1/images/generations"
PROMPT = {"prompt": "a lighthouse at dusk", "width": 64, "height": 64}


@pytest.fixture(scope="module")
def replicas(postgres_server, local_s3, tmp_path_factory) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Servers A and B: one database, one object store, two data directories, two containers and engines."""
    url = fresh_database(postgres_server.url, "atrium_replicas")
    shared = dict(blob_store_url=local_s3.url("replicas"), s3_access_key_id=local_s3.access_key_id,
                  s3_secret_access_key=local_s3.secret_access_key, login_failures_per_address=3)
    with LiveServer(url, tmp_path_factory.mktemp("replica-a"), **shared) as a, \
            LiveServer(url, tmp_path_factory.mktemp("replica-b"), **shared) as b:
        assert a.container.settings().data_dir != b.container.settings().data_dir
        with a.client() as on_a, b.client() as on_b:
            yield on_a, on_b


def register(client: httpx.Client, name: str) -> None:
    body = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    assert client.post("/api/v1/auth/register", json=body).status_code == 201


def login(client: httpx.Client, name: str) -> dict:
    response = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def new_key(client: httpx.Client, tokens: dict, quota: int) -> dict[str, str]:
    created = client.post("/api/v1/api-keys", json={"name": "replicas", "daily_quota": quota}, headers=bearer(tokens))
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["key"]}


def test_a_session_from_one_works_on_the_other_and_a_logout_on_one_is_refused_on_the_other(replicas):
    on_a, on_b = replicas
    register(on_a, "sam")
    tokens = login(on_b, "sam")
    assert on_a.get(ME, headers=bearer(tokens)).status_code == 200  # B's token, A's check
    assert on_b.get(ME, headers=bearer(tokens)).status_code == 200
    assert on_a.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    refreshed = on_b.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401  # at once: the refresh token is checked in the database
    deadline = time.monotonic() + 15  # "within seconds" (about two: one poll of the ended sessions)
    while (answer := on_b.get(ME, headers=bearer(tokens))).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert answer.status_code == 401 and answer.json()["code"] == "session_ended"


def test_failed_logins_on_both_count_against_one_limit(replicas):
    on_a, on_b = replicas
    wrong = {"username": "nobody_here", "password": "not it"}
    answers = [client.post("/api/v1/auth/login", json=wrong).status_code for client in (on_a, on_b, on_a, on_b)]
    assert answers == [401, 401, 401, 429]


def test_a_daily_quota_is_spent_once_across_both(replicas):
    on_a, on_b = replicas
    register(on_a, "quinn")
    key = new_key(on_a, login(on_a, "quinn"), quota=2)
    answers = [client.post(GENERATIONS, json=PROMPT, headers=key) for client in (on_a, on_b, on_a, on_b)]
    assert [answer.status_code for answer in answers] == [201, 201, 429, 429]
    assert answers[2].json()["code"] == "quota_exceeded"


def test_an_idempotent_retry_on_the_other_replays_the_first_image(replicas):
    on_a, on_b = replicas
    register(on_b, "ida")
    tokens = login(on_b, "ida")
    key = new_key(on_b, tokens, quota=10)
    first = on_a.post(GENERATIONS, json=PROMPT, headers={**key, "Idempotency-Key": "order-1"})
    retry = on_b.post(GENERATIONS, json=PROMPT, headers={**key, "Idempotency-Key": "order-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"] and retry.headers["idempotent-replayed"] == "true"
    other_body = on_b.post(GENERATIONS, json={**PROMPT, "prompt": "a fox"}, headers={**key, "Idempotency-Key": "order-1"})
    assert other_body.status_code == 422
    usage = on_a.get("/api/v1/usage", headers=bearer(tokens)).json()
    assert usage["today"][0]["used"] == 1


def test_an_image_made_on_one_is_served_by_the_other(replicas):
    on_a, on_b = replicas
    register(on_a, "iris")
    tokens = login(on_a, "iris")
    made = on_a.post(GENERATIONS, json={**PROMPT, "seed": 3}, headers=new_key(on_a, tokens, quota=5))
    assert made.status_code == 201
    from_a, from_b = on_a.get(made.json()["url"], headers=bearer(tokens)), on_b.get(made.json()["url"],
                                                                                   headers=bearer(tokens))
    assert from_a.status_code == from_b.status_code == 200
    assert from_b.content == from_a.content and from_b.headers["content-type"] == "image/png"
