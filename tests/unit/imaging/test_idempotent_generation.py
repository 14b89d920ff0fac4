"""Idempotency-Key on image generation: a retry never spends twice."""

import asyncio
from uuid import uuid4

import pytest

from adapters.memory.unit_of_work import MemoryUnitOfWork
from application.shared.errors import UpstreamFailed
from domain.imaging.generation import ImageRequest
from domain.imaging.idempotency import IdempotencyRecord
from domain.shared.errors import Conflict, InvalidValue
from tests.unit.imaging.support import Imaging


async def test_a_retry_with_the_same_body_returns_the_first_image_without_spending(imaging: Imaging) -> None:
    caller = await imaging.caller(daily_quota=1)
    first = await imaging.generate(caller, idempotency_key="req-1")
    imaging.clock.advance(hours=14)

    again = await imaging.generate(caller, idempotency_key="req-1")  # even with the quota used up

    assert again == first
    assert (await imaging.access.used_today(caller.api_key_id), imaging.generator.calls) == (1, 1)


async def test_the_caller_is_told_which_call_spent_and_which_replayed(imaging: Imaging) -> None:
    caller = await imaging.caller(daily_quota=5)
    request = ImageRequest.parse(prompt="a red fox", width=64, height=64)

    first = await imaging.generate_image(caller, request, idempotency_key="req-1")
    again = await imaging.generate_image(caller, request, idempotency_key="req-1")
    unkeyed = await imaging.generate_image(caller, request)

    assert (first.replayed, again.replayed, unkeyed.replayed) == (False, True, False)
    assert again.generation == first.generation != unkeyed.generation


async def test_the_same_key_with_another_body_is_rejected(imaging: Imaging) -> None:
    caller = await imaging.caller()
    await imaging.generate(caller, "a red fox", idempotency_key="req-1")
    with pytest.raises(InvalidValue) as error:
        await imaging.generate(caller, "a blue fox", idempotency_key="req-1")
    assert (error.value.field, error.value.code) == ("idempotency_key", "idempotency_key_reused")
    assert await imaging.access.used_today(caller.api_key_id) == 1


async def test_keys_are_kept_24_hours_and_per_owner(imaging: Imaging) -> None:
    caller = await imaging.caller()
    strangers_key = await imaging.access.create_api_key(uuid4(), name="stranger")
    stranger = await imaging.access.authenticate_api_key(strangers_key.secret)
    first = await imaging.generate(caller, idempotency_key="req-1")
    assert (await imaging.generate(stranger, "another body", idempotency_key="req-1")).id != first.id

    imaging.clock.advance(hours=24)
    assert (await imaging.generate(caller, idempotency_key="req-1")).id != first.id


async def test_a_concurrent_duplicate_is_told_the_first_is_still_running(imaging: Imaging) -> None:
    caller = await imaging.caller()
    release = asyncio.Event()
    pillow = imaging.generator.inner

    class Slow:
        async def generate(self, **request: object) -> bytes:
            await release.wait()
            return await pillow.generate(**request)

    imaging.generator.inner = Slow()
    first = asyncio.create_task(imaging.generate(caller, idempotency_key="req-1"))
    while imaging.generator.calls == 0:
        await asyncio.sleep(0)

    with pytest.raises(Conflict) as error:
        await imaging.generate(caller, idempotency_key="req-1")
    assert error.value.code == "idempotency_key_in_progress"
    release.set()
    first_result = await first
    assert (await imaging.generate(caller, idempotency_key="req-1")).id == first_result.id
    assert await imaging.access.used_today(caller.api_key_id) == 1


async def test_a_retry_after_a_failure_runs_again_and_spends_once(imaging: Imaging) -> None:
    caller = await imaging.caller()
    imaging.generator.failure = UpstreamFailed("provider down")
    with pytest.raises(UpstreamFailed):
        await imaging.generate(caller, idempotency_key="req-1")
    imaging.generator.failure = None

    await imaging.generate(caller, idempotency_key="req-1")
    assert await imaging.access.used_today(caller.api_key_id) == 1


async def test_a_retry_takes_over_from_a_request_that_died_and_spends_once(imaging: Imaging) -> None:
    caller = await imaging.caller()
    day = imaging.clock.now().date()
    fingerprint = ImageRequest.parse(prompt="a red fox", width=64, height=64).fingerprint()
    async with MemoryUnitOfWork(imaging.store) as uow:  # what a process that died mid-render leaves
        await uow.usage.spend(caller.owner_id, caller.api_key_id, day, 1, caller.daily_quota)
        await uow.image_idempotency_keys.add(IdempotencyRecord(
            owner_id=caller.owner_id, key="req-1", fingerprint=fingerprint,
            api_key_id=caller.api_key_id, usage_date=day, created_at=imaging.clock.now(),
        ))
        await uow.commit()

    with pytest.raises(Conflict):
        await imaging.generate(caller, idempotency_key="req-1")
    imaging.clock.advance(minutes=5)
    generation = await imaging.generate(caller, idempotency_key="req-1")

    assert await imaging.access.used_today(caller.api_key_id) == 1
    assert (await imaging.generate(caller, idempotency_key="req-1")).id == generation.id


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\t"])
async def test_a_malformed_idempotency_key_is_rejected(imaging: Imaging, key: str) -> None:
    caller = await imaging.caller()
    with pytest.raises(InvalidValue) as error:
        await imaging.generate(caller, idempotency_key=key)
    assert error.value.field == "idempotency_key"
    assert await imaging.access.used_today(caller.api_key_id) == 0



async def test_purging_drops_only_keys_older_than_24_hours(imaging: Imaging) -> None:
    purge = imaging.purge_idempotency_keys
    caller = await imaging.caller()
    await imaging.generate(caller, idempotency_key="old")
    imaging.clock.advance(hours=1)
    await imaging.generate(caller, idempotency_key="new")
    imaging.clock.advance(hours=23, seconds=1)

    assert await purge() == 1
    async with MemoryUnitOfWork(imaging.store) as uow:
        assert await uow.image_idempotency_keys.get(caller.owner_id, "old") is None
        assert await uow.image_idempotency_keys.get(caller.owner_id, "new") is not None
