"""Verifying a presented key in Unkey's order, and metering it against the daily quota."""

from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers

from adapters.clock import SettableClock
from domain.identity.rate_limit import RateLimit
from domain.shared.errors import AuthenticationFailed, TooManyRequests
from entrypoints.container import Container
from tests.unit.identity.support import ApiKeys


@pytest.mark.parametrize("secret", [
    "", "atr_live_", "Bearer atr_live_x", "atr_test_" + "a" * 43, "atr_live_" + "a" * 43, "atr_live_" + "!" * 43,
])
async def test_an_unknown_or_malformed_key_is_invalid(access: ApiKeys, secret: str) -> None:
    await access.new_key()
    with pytest.raises(AuthenticationFailed) as error:
        await access.meter(secret)
    assert error.value.code == "key_invalid"


async def test_a_key_works_until_it_expires(access: ApiKeys) -> None:
    expires_at = access.clock.now() + timedelta(days=2)
    issued = await access.new_key(expires_at=expires_at)
    access.clock.set(expires_at - timedelta(seconds=1))
    await access.meter(issued.secret)

    access.clock.set(expires_at)
    with pytest.raises(AuthenticationFailed) as error:
        await access.meter(issued.secret)
    assert error.value.code == "key_expired"


async def test_revoked_is_reported_before_expired(access: ApiKeys) -> None:
    issued = await access.new_key(expires_at=access.clock.now() + timedelta(minutes=1))
    await access.revoke_api_key(access.owner, issued.key.id)
    access.clock.advance(minutes=2)
    with pytest.raises(AuthenticationFailed) as error:
        await access.meter(issued.secret)
    assert error.value.code == "key_revoked"


async def test_a_rate_limited_request_spends_no_quota(container: Container, clock: SettableClock) -> None:
    container.identity.api_key_rate_limit.override(providers.Object(RateLimit(2, timedelta(seconds=1))))
    access = ApiKeys(container, clock)
    issued = await access.new_key()
    await access.meter(issued.secret)
    await access.meter(issued.secret)

    for _ in range(3):
        with pytest.raises(TooManyRequests) as error:
            await access.meter(issued.secret)
        assert (error.value.code, error.value.retry_after) == ("rate_limited", 1)
    assert await access.used_today(issued.key.id) == 2

    clock.advance(seconds=0.5)
    await access.meter(issued.secret)
    assert await access.used_today(issued.key.id) == 3


async def test_a_spent_quota_answers_429_until_the_next_utc_midnight(access: ApiKeys) -> None:
    issued = await access.new_key(daily_quota=3)
    for expected_remaining in (2, 1, 0):
        assert (await access.meter(issued.secret)).remaining == expected_remaining

    with pytest.raises(TooManyRequests) as error:
        await access.meter(issued.secret)
    assert error.value.code == "quota_exceeded"
    assert error.value.retry_after == 15 * 3600  # the clock stands at 09:00 UTC
    assert await access.used_today(issued.key.id) == 3


async def test_the_quota_renews_when_the_utc_day_turns(access: ApiKeys) -> None:
    access.clock.set(datetime(2026, 3, 1, 23, 59, 30, tzinfo=UTC))
    issued = await access.new_key(daily_quota=1)
    await access.meter(issued.secret)
    with pytest.raises(TooManyRequests) as error:
        await access.meter(issued.secret)
    assert error.value.retry_after == 30

    access.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    metered = await access.meter(issued.secret)
    assert (metered.day.isoformat(), metered.used) == ("2026-03-02", 1)
    report = await access.get_usage(access.owner, start=metered.day - timedelta(days=1))
    assert [(row.usage_date.isoformat(), row.used, row.quota) for row in report.items] == [
        ("2026-03-01", 1, 1), ("2026-03-02", 1, 1),
    ]


async def test_last_used_is_fresh_to_the_minute_without_a_write_per_request(access: ApiKeys) -> None:
    issued = await access.new_key()
    assert issued.key.last_used_at is None
    first_use = access.clock.now()

    await access.meter(issued.secret)
    access.clock.advance(seconds=59)
    await access.meter(issued.secret)
    [key] = await access.list_api_keys(access.owner)
    assert key.last_used_at == first_use

    access.clock.advance(seconds=1)
    await access.authenticate_api_key(issued.secret)
    [key] = await access.list_api_keys(access.owner)
    assert key.last_used_at == access.clock.now()
