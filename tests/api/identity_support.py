"""Helpers for API-key and imaging API tests: users, keys, generations."""

from datetime import timedelta

import pytest
from dependency_injector import providers

from adapters.blobs import FilesystemBlobStore
from domain.identity.rate_limit import RateLimit

KEYS = "/api/v1/api-keys"
USAGE = "/api/v1/usage"
GENERATIONS = "/api/v1/images/generations"
IMAGES = "/api/v1/images"
PROMPT = {"prompt": "a lighthouse at dusk", "width": 64, "height": 64}


@pytest.fixture
def container(container, tmp_path):
    """The shared container, with image files in a temporary folder and a roomy per-key rate."""
    container.imaging.blobs.override(providers.Object(FilesystemBlobStore(tmp_path / "blobs")))
    container.identity.api_key_rate_limit.override(providers.Object(RateLimit(1000, timedelta(seconds=1))))
    return container


async def user(api, name: str = "ada") -> dict[str, str]:
    """Register and log in `name`; return the Authorization header of its access token."""
    body = {"email": f"{name}@example.com", "password": "correct horse", "username": name}
    assert (await api.post("/api/v1/auth/register", json=body)).status_code == 201
    return await login(api, name)


async def login(api, name: str = "ada") -> dict[str, str]:
    response = await api.post("/api/v1/auth/login", json={"username": name, "password": "correct horse"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def new_key(api, headers: dict[str, str], **fields) -> dict:
    response = await api.post(KEYS, json={"name": "ci", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def with_key(key: dict | str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key['key'] if isinstance(key, dict) else key}"}


async def generate(api, key: dict | str, *, idempotency_key: str | None = None, **body):
    headers = with_key(key)
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return await api.post(GENERATIONS, json={**PROMPT, **body}, headers=headers)


async def used_today(api, headers: dict[str, str], key: dict) -> int:
    response = await api.get(USAGE, params={"api_key_id": key["id"]}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["today"][0]["used"] if response.json()["today"] else 0
