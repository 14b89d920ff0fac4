"""Verifying a presented key in Unkey's order, and metering it against the daily quota."""

from datetime import UTC, datetime, timedelta

import pytest

from adapters.clock import SettableClock
from domain.identity.rate_limit import RateLimit
from domain.shared.errors import AuthenticationFailed, TooManyRequests
from tests.unit.identity.support import ApiAccess, build_api_access


@pytest.mark.parametrize("secret", [
    "", "atr_live_", "Bearer atr_live_x", "atr_test_" + "a" * 43, "atr_live_" + "a" * 43, "atr_live_" + "!" * 43,
])
async def test_an_unknown_or_malformed_key_is_invalid(access: ApiAccess, secret: str) -> None:
    await access.new_key()
    with pytest.raises(AuthenticationFailed) as error:
        await access.verify(secret)
    assert error.value.code == "key_invalid"


async def test_a_key_works_until_it_expires(access: ApiAccess) -> None:
    expires_at = access.clock.now() + timedelta(days=2)
    issued = await access.new_key(expires_at=expires_at)
    access.clock.set(expires_at - timedelta(seconds=1))
    await access.verify(issued.secret)

    access.clock.set(expires_at)
    with pytest.raises(AuthenticationFailed) as error:
        await access.verify(issued.secret)
    assert error.value.code == "key_expired"


async def test_revoked_is_reported_before_expired(access: ApiAccess) -> None:
    issued = await access.new_key(expires_at=access.clock.now() + timedelta(minutes=1))
    await access.revoke(access.owner, issued.key.id)
    access.clock.advance(minutes=2)
    with pytest.raises(AuthenticationFailed) as error:
        await access.verify(issued.secret)
    assert error.value.code == "key_revoked"


async def test_a_rate_limited_request_spends_no_quota(clock: SettableClock) -> None:
    access = build_api_access(clock, RateLimit(2, timedelta(seconds=1)))
    issued = await access.new_key()
    await access.verify(issued.secret)
    await access.verify(issued.secret)

    for _ in range(3):
        with pytest.raises(TooManyRequests) as error:
            await access.verify(issued.secret)
        assert (error.value.code, error.value.retry_after) == ("rate_limited", 1)
    assert await access.used_today(issued.key.id) == 2

    clock.advance(seconds=0.5)
    await access.verify(issued.secret)
    assert await access.used_today(issued.key.id) == 3


async def test_a_spent_quota_answers_429_until_the_next_utc_midnight(access: ApiAccess) -> None:
    issued = await access.new_key(daily_quota=3)
    for expected_remaining in (2, 1, 0):
        assert (await access.verify(issued.secret)).spent.remaining == expected_remaining

    with pytest.raises(TooManyRequests) as error:
        await access.verify(issued.secret)
    assert error.value.code == "quota_exceeded"
    assert error.value.retry_after == 15 * 3600  # the clock stands at 09:00 UTC
    assert await access.used_today(issued.key.id) == 3


async def test_the_quota_renews_when_the_utc_day_turns(access: ApiAccess) -> None:
    access.clock.set(datetime(2026, 3, 1, 23, 59, 30, tzinfo=UTC))
    issued = await access.new_key(daily_quota=1)
    await access.verify(issued.secret)
    with pytest.raises(TooManyRequests) as error:
        await access.verify(issued.secret)
    assert error.value.retry_after == 30

    access.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    metered = await access.verify(issued.secret)
    assert (metered.spent.day.isoformat(), metered.spent.used) == ("2026-03-02", 1)
    report = await access.usage(access.owner, start=metered.spent.day - timedelta(days=1))
    assert [(row.usage_date.isoformat(), row.used, row.quota) for row in report.items] == [
        ("2026-03-01", 1, 1), ("2026-03-02", 1, 1),
    ]


async def test_a_refund_gives_the_unit_back(access: ApiAccess) -> None:
    issued = await access.new_key(daily_quota=1)
    metered = await access.verify(issued.secret)
    await access.refund(metered.spent)
    assert await access.used_today(issued.key.id) == 0
    await access.verify(issued.secret)


async def test_last_used_is_fresh_to_the_minute_without_a_write_per_request(access: ApiAccess) -> None:
    issued = await access.new_key()
    assert issued.key.last_used_at is None
    first_use = access.clock.now()

    await access.verify(issued.secret)
    access.clock.advance(seconds=59)
    await access.verify(issued.secret)
    [key] = await access.list(access.owner)
    assert key.last_used_at == first_use

    access.clock.advance(seconds=1)
    await access.authenticate(issued.secret)
    [key] = await access.list(access.owner)
    assert key.last_used_at == access.clock.now()
