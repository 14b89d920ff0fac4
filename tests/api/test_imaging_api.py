"""Metered image generation over HTTP, on both storages: every failure code, idempotency, isolation."""

import asyncio
import base64
import io
import socket
import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from dependency_injector import providers
from PIL import Image
from pydantic import SecretStr

from adapters.clock import SystemClock
from adapters.object_store import S3BlobStore, S3Location
from application.shared.errors import UpstreamFailed
from domain.identity.rate_limit import RateLimit
from entrypoints import worker
from tests.api.identity_support import (  # noqa: F401 (container is a fixture)
    GENERATIONS, IMAGES, PROMPT, container, generate, login, new_key, used_today, user, with_key,
)
from tests.object_store import BUCKET
from tests.unit.imaging.test_openai_generator import API_KEY, FakeProvider


def picture(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


async def test_a_generated_image_is_served_to_its_key_and_its_owner(api):
    ada = await user(api)
    key = await new_key(api, ada)
    response = await generate(api, key, width=128, height=64, seed=7)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "url", "prompt", "width", "height", "seed", "format", "created_at"}
    assert (body["url"], body["format"], body["seed"]) == (f"{IMAGES}/{body['id']}", "png", 7)
    by_key = await api.get(body["url"], headers={"X-API-Key": key["key"]})
    by_owner = await api.get(body["url"], headers=ada)
    assert by_key.status_code == by_owner.status_code == 200
    assert by_key.headers["content-type"] == "image/png" and by_key.content == by_owner.content
    assert picture(by_key).size == (128, 64)
    webp = await api.post(GENERATIONS, json={**PROMPT, "format": "webp"}, headers={"X-API-Key": key["key"]})
    image = await api.get(webp.json()["url"], headers=ada)
    assert image.headers["content-type"] == "image/webp" and picture(image).format == "WEBP"
    assert await used_today(api, ada, key) == 2


async def test_same_prompt_and_seed_give_the_same_bytes_and_other_prompts_differ(api):
    key = await new_key(api, await user(api))
    first, again, other = [
        (await api.get((await generate(api, key, prompt=prompt, seed=1)).json()["url"],
                       headers=with_key(key))).content
        for prompt in ("a fox", "a fox", "a whale")]
    assert first == again and first != other


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer atr_live_short"}, {"X-API-Key": "atr_live_" + "0" * 43},
    {"Authorization": "Basic YWRhOnB3"}, {"X-API-Key": "not a key"},
])
async def test_a_missing_malformed_or_unknown_key_is_key_invalid(api, headers):
    response = await api.post(GENERATIONS, json=PROMPT, headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "key_invalid"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_user_token_cannot_generate(api):
    ada = await user(api)
    response = await api.post(GENERATIONS, json=PROMPT, headers=ada)
    assert response.status_code == 401 and response.json()["code"] == "key_invalid"


async def test_a_key_stops_working_when_it_expires(api, clock):
    ada = await user(api)
    key = await new_key(api, ada, expires_at="2026-01-05T10:00:00Z")
    assert (await generate(api, key)).status_code == 201
    clock.set(datetime(2026, 1, 5, 10, tzinfo=UTC))
    response = await generate(api, key)
    assert response.status_code == 401 and response.json()["code"] == "key_expired"


async def test_a_rate_limited_request_is_429_and_spends_nothing(api, container, clock):
    container.identity.api_key_rate_limit.override(providers.Object(RateLimit(2, timedelta(seconds=1))))
    ada = await user(api)
    key = await new_key(api, ada)
    assert [(await generate(api, key)).status_code for _ in range(2)] == [201, 201]
    limited = await generate(api, key)
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert limited.headers["retry-after"] == "1"
    assert await used_today(api, ada, key) == 2
    clock.advance(seconds=1)
    assert (await generate(api, key)).status_code == 201


async def test_a_spent_quota_is_429_until_the_next_utc_midnight(api, clock):
    ada = await user(api)
    key = await new_key(api, ada, daily_quota=2)
    assert [(await generate(api, key)).status_code for _ in range(2)] == [201, 201]
    refused = await generate(api, key)
    assert refused.status_code == 429 and refused.json()["code"] == "quota_exceeded"
    assert refused.headers["retry-after"] == str(15 * 3600)  # 09:00 -> 00:00 UTC
    clock.set(datetime(2026, 1, 5, 23, 59, 59, 500000, tzinfo=UTC))
    assert (await generate(api, key)).headers["retry-after"] == "1"
    clock.set(datetime(2026, 1, 6, tzinfo=UTC))
    assert (await generate(api, key)).status_code == 201
    assert await used_today(api, await login(api), key) == 1


async def test_an_idempotent_retry_returns_the_first_image_without_spending(api):
    ada = await user(api)
    key = await new_key(api, ada, daily_quota=3)
    first = await generate(api, key, idempotency_key="order-42")
    retry = await generate(api, key, idempotency_key="order-42")
    assert first.status_code == retry.status_code == 201 and retry.json() == first.json()
    assert await used_today(api, ada, key) == 1
    other_body = await generate(api, key, idempotency_key="order-42", prompt="something else")
    assert other_body.status_code == 422 and other_body.json()["code"] == "idempotency_key_reused"
    assert (await generate(api, key)).json()["id"] != first.json()["id"]
    assert await used_today(api, ada, key) == 2


async def test_idempotency_keys_are_per_account_and_expire_after_24_hours(api, clock):
    ada, bob = await user(api, "ada"), await user(api, "bob")
    ada_key, bob_key = await new_key(api, ada), await new_key(api, bob)
    mine = (await generate(api, ada_key, idempotency_key="same")).json()
    theirs = (await generate(api, bob_key, idempotency_key="same")).json()
    assert mine["id"] != theirs["id"]
    clock.advance(hours=24)
    again = await generate(api, ada_key, idempotency_key="same")
    assert again.status_code == 201 and again.json()["id"] != mine["id"]


async def test_the_worker_purges_idempotency_keys_a_day_old(api, container, clock):
    ada = await user(api, "ada")
    key = await new_key(api, ada)
    owner = (await api.get("/api/v1/users/me", headers=ada)).json()["id"]
    await generate(api, key, idempotency_key="old")
    clock.advance(hours=23)
    await generate(api, key, idempotency_key="recent")
    clock.advance(hours=1, seconds=1)
    await worker.one_pass(container, purge=True)
    async with container.infrastructure.uow(account=UUID(owner)) as uow:
        kept = {name: await uow.image_idempotency_keys.get(UUID(owner), name) for name in ("old", "recent")}
    assert kept["old"] is None and kept["recent"] is not None


async def test_another_accounts_images_look_missing(api):
    ada, bob = await user(api, "ada"), await user(api, "bob")
    ada_key, bob_key = await new_key(api, ada), await new_key(api, bob)
    url = (await generate(api, ada_key)).json()["url"]
    for headers in (bob, with_key(bob_key)):
        response = await api.get(url, headers=headers)
        assert response.status_code == 404 and response.json()["code"] == "image_not_found"
        assert (await api.get(IMAGES, headers=headers)).json()["items"] == []
    assert (await api.get(url)).status_code == 401
    assert (await api.get(f"{IMAGES}/not-a-uuid", headers=ada)).status_code == 404


async def test_images_are_listed_newest_first_a_page_at_a_time(api, clock):
    ada = await user(api)
    key = await new_key(api, ada)
    ids = []
    for n in range(3):
        ids.append((await generate(api, key, prompt=f"picture {n}")).json()["id"])
        clock.advance(seconds=1)
    ada = await login(api)
    page = (await api.get(IMAGES, params={"limit": 2}, headers=ada)).json()
    rest = (await api.get(IMAGES, params={"limit": 2, "cursor": page["next_cursor"]},
                          headers=with_key(key))).json()
    assert [i["id"] for i in page["items"] + rest["items"]] == ids[::-1] and rest["next_cursor"] is None
    assert page["items"][0]["prompt"] == "picture 2"
    year_one = base64.urlsafe_b64encode(b"0001-01-01T00:00:00+05:00|" + ids[0].encode()).decode()
    for params in ({"cursor": "garbage"}, {"cursor": year_one}, {"cursor": "é"}, {"limit": 0}, {"limit": 101}):
        assert (await api.get(IMAGES, params=params, headers=ada)).status_code == 422


@pytest.mark.parametrize("body,field", [
    ({"prompt": ""}, "prompt"), ({"prompt": "x" * 1001}, "prompt"), ({"prompt": "   "}, "prompt"),
    ({"width": 65}, "width"), ({"width": 56}, "width"), ({"height": 2056}, "height"),
    ({"format": "gif"}, "format"), ({"seed": -1}, "seed"), ({"seed": 2**32}, "seed"), ({"style": "vivid"}, "style"),
])
async def test_bad_requests_are_422_and_spend_nothing(api, body, field):
    ada = await user(api)
    key = await new_key(api, ada)
    response = await generate(api, key, **body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert await used_today(api, ada, key) == 0


class BrokenGenerator:
    async def generate(self, **request):
        raise UpstreamFailed("the image provider answered HTTP 500")


async def test_a_provider_failure_is_502_and_gives_the_unit_back(api, container):
    ada = await user(api)
    key = await new_key(api, ada, daily_quota=1)
    container.imaging.image_generator.override(providers.Object(BrokenGenerator()))
    failed = await generate(api, key, idempotency_key="try")
    assert failed.status_code == 502 and failed.json()["code"] == "upstream_failed"
    assert failed.headers["content-type"] == "application/problem+json"
    assert await used_today(api, ada, key) == 0
    assert (await api.get(IMAGES, headers=ada)).json()["items"] == []
    container.imaging.image_generator.reset_override()
    assert (await generate(api, key, idempotency_key="try")).status_code == 201


async def test_images_go_to_the_object_store_of_the_settings_and_its_failures_are_503_or_502(
        api, container, local_s3, tmp_path):
    container.imaging.blobs.reset_override()  # the store the settings choose
    container.config.blob_store_url.override(local_s3.url(f"api/{tmp_path.name}"))
    container.config.s3_access_key_id.override(local_s3.access_key_id)
    container.config.s3_secret_access_key.override(SecretStr(local_s3.secret_access_key))
    ada = await user(api)
    key = await new_key(api, ada)
    made = await generate(api, key)
    assert made.status_code == 201
    stored = local_s3.client().get_object(Bucket=BUCKET, Key=f"api/{tmp_path.name}/images/"
                                          f"{(await api.get('/api/v1/users/me', headers=ada)).json()['id']}/"
                                          f"{made.json()['id']}.png")["Body"].read()
    assert (await api.get(made.json()["url"], headers=ada)).content == stored
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        down = S3Location.parse(f"s3://{BUCKET}?endpoint=http://127.0.0.1:{closed.getsockname()[1]}")
    refusing = S3Location.parse(local_s3.url("x"))
    for location, secret, status in ((down, "down-secret-x9", 503), (refusing, "wrong-secret-x9", 502)):
        container.imaging.blobs.override(providers.Object(S3BlobStore(
            location, access_key_id=local_s3.access_key_id, secret_access_key=secret, clock=SystemClock())))
        failed, read = await generate(api, key), await api.get(made.json()["url"], headers=ada)
        assert failed.status_code == read.status_code == status, (failed.text, read.text)
        assert failed.headers["content-type"] == "application/problem+json"
        assert secret not in failed.text + read.text and "Signature=" not in failed.text + read.text
    assert await used_today(api, ada, key) == 1  # the failed generations gave their units back
    assert len((await api.get(IMAGES, headers=ada)).json()["items"]) == 1


@pytest.fixture
def provider():
    server = FakeProvider()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


async def test_the_openai_compatible_provider_is_selected_by_settings(api, container, provider):
    container.config.image_provider.override("openai")
    container.config.openai_base_url.override(provider.base_url)
    container.config.openai_api_key.override(SecretStr(API_KEY))
    container.config.image_timeout_seconds.override(0.3)
    ada = await user(api)
    key = await new_key(api, ada)
    made = await generate(api, key, width=96, height=64)
    assert made.status_code == 201 and provider.requests[0]["body"]["size"] == "96x64"
    assert picture(await api.get(made.json()["url"], headers=ada)).getpixel((0, 0)) == (200, 30, 30)
    for mode in ("error", "slow"):
        provider.mode = mode
        failed = await generate(api, key)
        assert failed.status_code == 502, mode
        assert API_KEY not in failed.text
    assert await used_today(api, ada, key) == 1


async def test_40_parallel_generations_on_a_quota_of_5_deliver_exactly_5(api):
    ada = await user(api)
    key = await new_key(api, ada, daily_quota=5)
    responses = await asyncio.gather(*(generate(api, key, prompt=f"fox {n}") for n in range(40)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 5 + [429] * 35
    assert {r.json()["code"] for r in responses if r.status_code == 429} == {"quota_exceeded"}
    assert await used_today(api, ada, key) == 5
    assert len((await api.get(IMAGES, headers=ada)).json()["items"]) == 5
