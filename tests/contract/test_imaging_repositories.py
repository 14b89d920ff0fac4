"""Image generations and idempotency keys behave the same on memory and on PostgreSQL."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.imaging.generation import SEED_MAX, Generation, ImageRequest
from domain.imaging.idempotency import IdempotencyKeyInProgress, IdempotencyRecord
from tests.contract.test_identity_api_key_repositories import api_key, owners, stored
from tests.factories import NOW, new_id


def generation(key, *, at=NOW, **fields) -> Generation:
    request = ImageRequest.parse(**{"prompt": "a fox", "width": 64, "height": 64, "seed": SEED_MAX, **fields})
    return Generation.start(id=new_id(), owner_id=key.owner_id, api_key_id=key.id, request=request, now=at)


def record(key, name="retry-1", *, at=NOW, **changes) -> IdempotencyRecord:
    return IdempotencyRecord(owner_id=key.owner_id, key=name, fingerprint="f1", api_key_id=key.id,
                             usage_date=date(2026, 1, 5), created_at=at, **changes)


@pytest.fixture
async def keys(uow_factory):
    ada, grace = await owners(uow_factory)
    mine, theirs = api_key(ada), api_key(grace)
    await stored(uow_factory, mine, theirs)
    return mine, theirs


async def test_generations_are_private_and_paged_newest_first(uow_factory, keys):
    mine, theirs = keys
    images = [generation(mine, at=NOW + timedelta(seconds=n % 3), format="webp" if n % 2 else "png")
              for n in range(6)]
    async with uow_factory() as uow:
        for image in [*images, generation(theirs)]:
            await uow.generations.add(image)
        await uow.commit()
    newest_first = sorted(images, key=lambda g: (g.created_at, g.id), reverse=True)
    async with uow_factory() as uow:
        assert await uow.generations.get(mine.owner_id, images[1].id) == images[1]
        assert await uow.generations.get(theirs.owner_id, images[1].id) is None
        first = await uow.generations.list(mine.owner_id, limit=4)
        rest = await uow.generations.list(mine.owner_id, limit=4, before=(first[-1].created_at, first[-1].id))
    assert first + rest == newest_first


async def test_an_idempotency_key_is_claimed_once_per_owner(uow_factory, keys):
    mine, theirs = keys
    claim = record(mine)
    async with uow_factory() as uow:
        await uow.image_idempotency_keys.add(claim)
        await uow.image_idempotency_keys.add(record(theirs))  # another owner may use the same key
        await uow.commit()
    with pytest.raises(IdempotencyKeyInProgress):
        async with uow_factory() as uow:
            await uow.image_idempotency_keys.add(replace(claim, fingerprint="f2"))
    done = replace(claim, generation_id=new_id())
    async with uow_factory() as uow:
        await uow.image_idempotency_keys.save(done)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.image_idempotency_keys.get(mine.owner_id, "retry-1") == done
        await uow.image_idempotency_keys.remove(mine.owner_id, "retry-1")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.image_idempotency_keys.get(mine.owner_id, "retry-1") is None
        assert await uow.image_idempotency_keys.get(theirs.owner_id, "retry-1") == record(theirs)


async def test_purging_removes_every_owners_old_keys_only(uow_factory, keys):
    mine, theirs = keys
    async with uow_factory() as uow:
        for key in keys:
            await uow.image_idempotency_keys.add(record(key, "old", at=NOW - timedelta(hours=25)))
            await uow.image_idempotency_keys.add(record(key, "new", at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.image_idempotency_keys.remove_created_before(NOW - timedelta(hours=24)) == 2
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.image_idempotency_keys.get(mine.owner_id, "old") is None
        assert await uow.image_idempotency_keys.get(theirs.owner_id, "new") is not None
