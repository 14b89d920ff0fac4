"""The usage report, and the metering guarantee: never lost, never over the quota."""

import asyncio
from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from domain.shared.errors import InvalidValue
from tests.unit.identity.support import ApiKeys


async def test_the_report_lists_each_key_per_day_and_what_is_left_today(access: ApiKeys) -> None:
    small = await access.new_key(name="small", daily_quota=2)
    large = await access.new_key(name="large", daily_quota=50)
    revoked = await access.new_key(name="revoked")
    yesterday = access.clock.now().date() - timedelta(days=1)
    access.clock.advance(days=-1)
    await access.meter(small.secret)
    access.clock.advance(days=1)
    for secret in (small.secret, small.secret, large.secret, revoked.secret):
        await access.meter(secret)
    await access.revoke_api_key(access.owner, revoked.key.id)
    stranger = await access.create_api_key(uuid4(), name="not mine")
    await access.meter(stranger.secret)

    report = await access.get_usage(access.owner)

    today = yesterday + timedelta(days=1)
    assert sorted((r.usage_date, r.api_key_id, r.used, r.quota) for r in report.items) == sorted([
        (yesterday, small.key.id, 1, 2), (today, small.key.id, 2, 2),
        (today, large.key.id, 1, 50), (today, revoked.key.id, 1, 100),
    ])
    assert [(r.usage_date, r.api_key_id) for r in report.items] == sorted(
        (r.usage_date, r.api_key_id) for r in report.items)
    assert {(k.name, k.used, k.remaining) for k in report.today} == {("small", 2, 0), ("large", 1, 49)}

    only_today = await access.get_usage(access.owner, start=today, api_key_id=small.key.id)
    assert [(r.usage_date, r.used) for r in only_today.items] == [(today, 2)]


@pytest.mark.parametrize(("start", "end", "field"), [
    (date(2026, 1, 5), date(2026, 1, 4), "from"),
    (date(2025, 1, 1), date(2026, 1, 2), "to"),
])
async def test_the_report_range_is_checked(access: ApiKeys, start: date, end: date, field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        await access.get_usage(access.owner, start=start, end=end)
    assert error.value.field == field


operations = st.lists(
    st.tuples(st.sampled_from(["spend", "refund"]), st.integers(1, 4), st.integers(0, 3)),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(quota=st.integers(1, 10), ops=operations)
def test_spends_and_refunds_in_any_interleaving_keep_usage_within_the_quota(
    quota: int, ops: list[tuple[str, int, int]]
) -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_run_interleaved(quota, ops))
    finally:
        loop.close()


async def _run_interleaved(quota: int, ops: list[tuple[str, int, int]]) -> None:
    store = MemoryStore()
    owner, key, day = uuid4(), uuid4(), date(2026, 1, 5)
    applied: list[tuple[str, int, int | None]] = []

    async def run(kind: str, units: int, yields: int) -> None:
        for _ in range(yields):
            await asyncio.sleep(0)
        async with MemoryUnitOfWork(store) as uow:
            if kind == "spend":
                used = await uow.usage.spend(owner, key, day, units, quota)
            else:
                await uow.usage.refund(owner, key, day, units)
                used = None
            [row] = await uow.usage.list(owner, start=day, end=day) or [None]
            assert row is None or 0 <= row.used <= quota
            applied.append((kind, units, used))
            await uow.commit()

    await asyncio.gather(*(run(*op) for op in ops))

    expected = 0  # replay in the order the transactions committed
    for kind, units, used in applied:
        if kind == "spend":
            fits = expected + units <= quota
            assert used == (expected + units if fits else None)
            expected += units if fits else 0
        else:
            expected = max(0, expected - units)
    async with MemoryUnitOfWork(store) as uow:
        rows = await uow.usage.list(owner, start=day, end=day)
    assert (rows[0].used if rows else 0) == expected
