"""GET /metrics: requests, and what the products did (metered units spent, reminders dispatched)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from dependency_injector import providers

from entrypoints.api.app import create_app
from tests.api.identity_support import container, generate, new_key, user  # noqa: F401 (container is a fixture)
from tests.api.calendar_support import NOTIFICATIONS, create_event, create_reminder, log_in, sign_up
from tests.api.test_imaging_api import BrokenGenerator

pytestmark = pytest.mark.parametrize("storage", ["memory"], indirect=True)


async def served(container, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    """The app with metrics on and its lifespan running (as uvicorn runs it)."""
    for name, value in {"metrics_enabled": True, **settings}.items():
        setattr(container.settings(), name, value)
    app = create_app(container)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            yield client


@pytest.fixture
async def client(container) -> AsyncIterator[httpx.AsyncClient]:
    async for client in served(container, dispatch_in_api=False):
        yield client


async def sample(client: httpx.AsyncClient, line_prefix: str) -> float:
    text = (await client.get("/metrics")).text
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(line_prefix + " ")]
    return values[0] if values else 0.0


async def test_metrics_are_hidden_unless_enabled(api):
    assert (await api.get("/metrics")).status_code == 404


async def test_metrics_count_requests_by_route_and_status(client):
    for _ in range(3):
        await client.get("/health")
    await client.get("/api/v1/users/me")
    text = (await client.get("/metrics")).text
    assert 'atrium_http_requests_total{method="GET",route="/health",status="200"} 3.0' in text
    assert 'route="/api/v1/users/me",status="401"} 1.0' in text
    assert "atrium_http_request_duration_seconds_bucket" in text


async def test_units_spent_count_new_generations_but_not_replays_or_refunds(client, container):
    key = await new_key(client, await user(client), daily_quota=10)
    first = await generate(client, key, idempotency_key="once")
    replay = await generate(client, key, idempotency_key="once")
    unkeyed = await generate(client, key)
    container.imaging.image_generator.override(providers.Object(BrokenGenerator()))
    failed = await generate(client, key)

    assert [r.status_code for r in (first, replay, unkeyed, failed)] == [201, 201, 201, 502]
    assert (first.headers.get("idempotent-replayed"), replay.headers.get("idempotent-replayed")) == (None, "true")
    assert await sample(client, "atrium_metered_units_spent_total") == 2


async def due_reminder(client, clock) -> None:
    """One in-app reminder that is due now."""
    ada = await sign_up(client)
    event = await create_event(client, ada, clock.now() + timedelta(hours=1))
    await create_reminder(client, ada, event["id"], minutes_before=10)
    clock.advance(minutes=50)


async def delivered(client) -> list[dict]:
    return (await client.get(NOTIFICATIONS, headers=await log_in(client))).json()["items"]


async def test_the_api_delivers_due_reminders_itself_and_counts_them(container, clock):
    async for client in served(container, worker_interval_seconds=0.02):
        await due_reminder(client, clock)
        for _ in range(250):
            if await delivered(client):
                break
            await asyncio.sleep(0.02)
        assert len(await delivered(client)) == 1
        assert await sample(client, 'atrium_reminders_dispatched_total{outcome="delivered"}') == 1


async def test_with_dispatch_off_the_api_leaves_reminders_to_the_worker(container, clock):
    async for client in served(container, worker_interval_seconds=0.02, dispatch_in_api=False):
        await due_reminder(client, clock)
        await asyncio.sleep(0.3)
        assert await delivered(client) == []
        assert (await container.calendar.dispatch_reminders()()).delivered == 1
