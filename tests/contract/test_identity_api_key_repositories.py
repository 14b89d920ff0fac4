"""API keys and usage counters behave the same on memory and on PostgreSQL."""

import asyncio
from dataclasses import replace
from datetime import date, timedelta

from domain.identity.api_key import ApiKey
from domain.identity.session import hash_secret
from domain.identity.usage import DailyUsage
from tests.factories import NOW, account, new_id

DAY = date(2026, 1, 5)


def api_key(owner_id, name="ci", *, created_at=NOW, **changes) -> ApiKey:
    key_id = new_id()
    return replace(ApiKey(id=key_id, owner_id=owner_id, name=name, key_hash=hash_secret(key_id.hex),
                          prefix="atr_live_abcd", daily_quota=5, created_at=created_at), **changes)


async def owners(uow_factory, count=2):
    people = [account(f"user{n}@example.com", f"user{n}") for n in range(count)]
    async with uow_factory() as uow:
        for person in people:
            await uow.accounts.add(person)
        await uow.commit()
    return [person.id for person in people]


async def stored(uow_factory, *keys):
    async with uow_factory() as uow:
        for key in keys:
            await uow.api_keys.add(key)
        await uow.commit()


async def test_keys_are_found_by_owner_and_hash_and_listed_newest_first(uow_factory):
    ada, grace = await owners(uow_factory)
    older, newer = api_key(ada, "older"), api_key(ada, "newer", created_at=NOW + timedelta(seconds=1))
    foreign = api_key(grace)
    await stored(uow_factory, older, newer, foreign)
    async with uow_factory() as uow:
        assert await uow.api_keys.get(ada, older.id) == older
        assert await uow.api_keys.get(ada, foreign.id) is None
        assert await uow.api_keys.get_by_hash(foreign.key_hash) == foreign
        assert await uow.api_keys.get_by_hash(hash_secret("unknown")) is None
        assert await uow.api_keys.list(ada) == [newer, older]


async def test_a_rolled_key_is_found_by_its_current_and_its_previous_hash(uow_factory):
    [ada] = await owners(uow_factory, 1)
    key = api_key(ada)
    await stored(uow_factory, key)
    rolled = key.roll("atr_live_" + "n" * 43, NOW, timedelta(hours=1))
    async with uow_factory() as uow:
        await uow.api_keys.save(rolled)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.api_keys.get_by_hash(rolled.key_hash) == rolled
        assert await uow.api_keys.get_by_hash(key.key_hash) == rolled


async def test_only_the_owners_unrevoked_unexpired_keys_are_usable(uow_factory):
    ada, grace = await owners(uow_factory)
    await stored(uow_factory, api_key(ada), api_key(ada, expires_at=NOW + timedelta(days=1)),
                 api_key(ada, expires_at=NOW), api_key(ada, revoked_at=NOW), api_key(grace))
    async with uow_factory() as uow:
        assert await uow.api_keys.count_usable(ada, NOW) == 2
        assert await uow.api_keys.count_usable(ada, NOW + timedelta(days=1)) == 1


async def test_touch_writes_last_used_at_most_once_a_minute(uow_factory):
    ada, grace = await owners(uow_factory)
    key = api_key(ada)
    await stored(uow_factory, key)

    async def touch(owner, at):
        async with uow_factory() as uow:
            await uow.api_keys.touch(owner, key.id, at)
            await uow.commit()
        async with uow_factory() as uow:
            return (await uow.api_keys.get(ada, key.id)).last_used_at

    assert await touch(grace, NOW) is None
    assert await touch(ada, NOW) == NOW
    assert await touch(ada, NOW + timedelta(seconds=59)) == NOW
    assert await touch(ada, NOW + timedelta(minutes=1)) == NOW + timedelta(minutes=1)


async def test_spending_never_goes_over_the_quota_and_refunds_never_below_zero(uow_factory):
    ada, grace = await owners(uow_factory)
    key = api_key(ada)
    await stored(uow_factory, key)
    async with uow_factory() as uow:
        assert await uow.usage.spend(ada, key.id, DAY, 3, 5) == 3
        assert await uow.usage.spend(ada, key.id, DAY, 3, 5) is None
        assert await uow.usage.spend(ada, key.id, DAY, 2, 5) == 5
        assert await uow.usage.spend(ada, key.id, DAY, 1, 5) is None
        assert await uow.usage.spend(ada, key.id, DAY, 6, 6) is None
        assert await uow.usage.spend(ada, key.id, DAY, 1, 6) == 6  # a raised quota applies at once
        await uow.usage.refund(grace, key.id, DAY, 6)  # someone else's refund changes nothing
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.usage.list(ada, start=DAY, end=DAY) == [DailyUsage(ada, key.id, DAY, 6, 6)]
        await uow.usage.refund(ada, key.id, DAY, 10)
        await uow.commit()
    async with uow_factory() as uow:
        assert [u.used for u in await uow.usage.list(ada, start=DAY, end=DAY)] == [0]
        assert await uow.usage.spend(ada, key.id, DAY + timedelta(days=1), 9, 5) is None
        assert await uow.usage.list(ada, start=DAY + timedelta(days=1), end=DAY + timedelta(days=1)) == []


async def test_usage_is_listed_by_day_then_key_within_the_range_and_owner(uow_factory):
    ada, grace = await owners(uow_factory)
    first, second, foreign = api_key(ada), api_key(ada), api_key(grace)
    await stored(uow_factory, first, second, foreign)
    days = [DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]
    async with uow_factory() as uow:
        for day in days:
            for key in (second, first, foreign):
                await uow.usage.spend(key.owner_id, key.id, day, 1, 5)
        await uow.commit()
    low, high = sorted([first.id, second.id])
    async with uow_factory() as uow:
        rows = await uow.usage.list(ada, start=DAY, end=days[-1])
        assert [(u.usage_date, u.api_key_id) for u in rows] == [
            (DAY, low), (DAY, high), (days[-1], low), (days[-1], high)]
        only = await uow.usage.list(ada, start=days[0], end=DAY, api_key_id=second.id)
        assert [(u.usage_date, u.api_key_id) for u in only] == [(days[0], second.id), (DAY, second.id)]
        assert await uow.usage.list(ada, start=days[0], end=DAY, api_key_id=foreign.id) == []


async def test_concurrent_spends_never_lose_a_count_nor_pass_the_quota(uow_factory):
    [ada] = await owners(uow_factory, 1)
    key = api_key(ada)
    await stored(uow_factory, key)

    async def spend():
        async with uow_factory() as uow:
            used = await uow.usage.spend(ada, key.id, DAY, 1, 7)
            await uow.commit()
            return used

    results = await asyncio.gather(*(spend() for _ in range(25)))
    assert sorted(r for r in results if r is not None) == [1, 2, 3, 4, 5, 6, 7]
    async with uow_factory() as uow:
        assert [u.used for u in await uow.usage.list(ada, start=DAY, end=DAY)] == [7]


async def test_the_quota_meter_spends_as_the_repository_does_each_spend_committed_on_its_own(container):
    """The meter a generation without an idempotency key spends through (as the app role, on PostgreSQL)."""
    uow = container.infrastructure.uow
    meter = container.infrastructure.quota_meter()
    person = account()
    ada, key = person.id, api_key(person.id)
    async with uow(account=ada) as writer:
        await writer.accounts.add(person)
        await writer.api_keys.add(key)
        await writer.commit()
    assert await meter.spend(ada, key.id, DAY, 3, 5) == 3
    assert await meter.spend(ada, key.id, DAY, 3, 5) is None
    assert await meter.spend(ada, key.id, DAY, 2, 5) == 5
    assert await meter.spend(ada, key.id, DAY, 6, 5) is None
    async with uow(account=ada) as reader:
        assert await reader.usage.list(ada, start=DAY, end=DAY) == [DailyUsage(ada, key.id, DAY, 5, 5)]
    results = await asyncio.gather(*(meter.spend(ada, key.id, DAY + timedelta(days=1), 1, 7) for _ in range(25)))
    assert sorted(r for r in results if r is not None) == [1, 2, 3, 4, 5, 6, 7]
