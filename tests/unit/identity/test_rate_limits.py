"""GCRA rate limits, and the limits on logging in and registering."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from adapters.clock import SettableClock
from adapters.memory.rate_limiter import MemoryRateLimiter
from application.identity.rate_limits import RateLimitedLogin, RateLimitedRegister
from application.identity.sessions import InvalidCredentials, TokenPair
from domain.identity.account import Account
from domain.identity.rate_limit import RateLimit, gcra
from domain.shared.errors import TooManyRequests
from tests.factories import account

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TEN_PER_SECOND_BURST_3 = RateLimit(10, timedelta(seconds=1), burst=3)


def test_a_burst_passes_then_one_request_per_interval() -> None:
    tat = None
    for _ in range(3):
        decision = gcra(tat, T0, TEN_PER_SECOND_BURST_3)
        assert decision.allowed
        tat = decision.tat

    denied = gcra(tat, T0, TEN_PER_SECOND_BURST_3)
    assert not denied.allowed and denied.retry_after == timedelta(milliseconds=100)
    assert gcra(denied.tat, T0, TEN_PER_SECOND_BURST_3).retry_after == denied.retry_after  # denial costs nothing

    later = T0 + timedelta(milliseconds=100)
    assert gcra(tat, later, TEN_PER_SECOND_BURST_3).allowed


def test_a_steady_rate_at_the_limit_is_never_denied() -> None:
    tat, limit = None, RateLimit(2, timedelta(seconds=1), burst=1)
    for step in range(20):
        decision = gcra(tat, T0 + step * limit.interval, limit)
        assert decision.allowed
        tat = decision.tat


def test_an_idle_key_gets_its_whole_burst_back() -> None:
    tat = None
    for _ in range(3):
        tat = gcra(tat, T0, TEN_PER_SECOND_BURST_3).tat
    assert not gcra(tat, T0, TEN_PER_SECOND_BURST_3).allowed
    idle = T0 + timedelta(seconds=1)
    for _ in range(3):
        decision = gcra(tat, idle, TEN_PER_SECOND_BURST_3)
        assert decision.allowed
        tat = decision.tat


async def test_the_memory_limiter_counts_keys_separately_and_check_counts_nothing() -> None:
    limiter, limit = MemoryRateLimiter(), RateLimit(1, timedelta(minutes=1))
    assert await limiter.check([("a", limit)], T0) == [None]
    assert await limiter.hit("a", T0, limit) is None
    assert await limiter.check([("a", limit), ("b", limit)], T0) == [timedelta(minutes=1), None]
    assert await limiter.hit("a", T0, limit) == timedelta(minutes=1)
    assert await limiter.hit("b", T0, limit) is None


class FakeLogin:
    """Knows one account (ann, by username or email) and one password; counts the attempts that reached it and
    remembers where its sessions started."""

    def __init__(self, clock: SettableClock) -> None:
        self.calls = 0
        self.clock = clock
        self.ann = account("ann@example.com", "ann")
        self.started: list[tuple[str, datetime]] = []

    async def find(self, login: str) -> Account | None:
        return self.ann if login.strip().lower() in ("ann", "ann@example.com") else None

    async def sign_in(self, account: Account | None, password: str, client_address: str | None = None) -> TokenPair:
        self.calls += 1
        if account is None or password != "right password":
            raise InvalidCredentials()
        self.started.append((client_address, self.clock.now()))
        return TokenPair("access", "refresh", 900)

    async def signed_in_from(self, account: Account | None, client_address: str, since: datetime) -> bool:
        return account is self.ann and any(address == client_address and at >= since
                                           for address, at in self.started)


FOUR_PER_HOUR_SIX_PER_DAY = (RateLimit(4, timedelta(hours=1)), RateLimit(6, timedelta(days=1)))


@pytest.fixture
def login(clock: SettableClock) -> tuple[RateLimitedLogin, FakeLogin]:
    inner = FakeLogin(clock)
    return RateLimitedLogin(inner, MemoryRateLimiter(), clock), inner


async def fail(limited: RateLimitedLogin, login: str, client_ip: str) -> None:
    with pytest.raises(InvalidCredentials):
        await limited(login=login, password="wrong", client_ip=client_ip)


async def refused(limited: RateLimitedLogin, login: str, client_ip: str) -> TooManyRequests:
    with pytest.raises(TooManyRequests) as error:
        await limited(login=login, password="right password", client_ip=client_ip)
    return error.value


async def test_logins_are_limited_to_30_per_5_minutes_per_ip(login, clock: SettableClock) -> None:
    limited, inner = login
    for _ in range(30):
        await limited(login="ann", password="right password", client_ip="10.0.0.1")

    error = await refused(limited, "ann", "10.0.0.1")
    assert (error.code, error.retry_after) == ("rate_limited", 10)
    assert inner.calls == 30
    await limited(login="ann", password="right password", client_ip="10.0.0.2")
    clock.advance(seconds=10)
    await limited(login="ann", password="right password", client_ip="10.0.0.1")


async def test_five_failures_lock_the_identifier_out_of_that_address_only(login, clock: SettableClock) -> None:
    limited, inner = login
    for _ in range(5):
        await fail(limited, "Ann@Example.com", "10.0.0.1")
    assert (await refused(limited, " ann@example.com", "10.0.0.1")).retry_after == 3 * 60
    assert inner.calls == 5
    await limited(login="ann@example.com", password="right password", client_ip="10.9.9.9")
    clock.advance(minutes=3)
    await limited(login="ann@example.com", password="right password", client_ip="10.0.0.1")


async def test_past_the_ceilings_unfamiliar_addresses_wait_longer_and_familiar_ones_not_at_all(
        login, clock: SettableClock) -> None:
    limited, inner = login
    limited = replace(limited, failures_per_identifier=FOUR_PER_HOUR_SIX_PER_DAY)
    await limited(login="ann", password="right password", client_ip="10.0.0.100")
    waits = []
    for attempt in range(6):
        try:
            await fail(limited, "ann", f"10.0.1.{attempt}")  # a new address each time: distributed guessing
        except TooManyRequests as error:
            waits.append(error.retry_after)
            clock.advance(seconds=error.retry_after)
            await fail(limited, "ann", f"10.0.2.{attempt}")
    assert waits == [15 * 60, 15 * 60]  # the hourly ceiling: one failure per 15 minutes
    assert (await refused(limited, "ann", "10.0.3.1")).retry_after == 4 * 3600 - 30 * 60  # the daily: per 4 hours
    await limited(login="ann", password="right password", client_ip="10.0.0.100")  # where ann signed in before
    assert inner.calls == 1 + 6 + 1


async def test_a_lockout_tells_nothing_of_which_logins_exist_or_belong_together(login) -> None:
    limited, inner = login
    errors = []
    for name in ("ann@example.com", "ann", "nobody@example.com", "nobody"):
        for _ in range(5):
            await fail(limited, name, "10.0.0.1")  # the email's failures do not lock its username out
        errors.append(await refused(limited, name, "10.0.0.1"))
    assert len({(e.code, e.detail, e.retry_after) for e in errors}) == 1
    assert inner.calls == 20


async def test_successful_logins_do_not_count_as_failures(login) -> None:
    limited, _ = login
    for _ in range(10):
        await limited(login="ann", password="right password", client_ip="10.0.0.1")
    for _ in range(5):
        await fail(limited, "ann", "10.0.0.1")


async def test_registrations_are_limited_per_ip(clock: SettableClock) -> None:
    accounts: list[str] = []

    async def register(*, email: str, **_: object) -> str:
        accounts.append(email)
        return email

    limited = RateLimitedRegister(register, MemoryRateLimiter(), clock, per_ip=RateLimit(2, timedelta(hours=1)))
    await limited(client_ip="10.0.0.1", email="a@example.com")
    await limited(client_ip="10.0.0.1", email="b@example.com")
    with pytest.raises(TooManyRequests):
        await limited(client_ip="10.0.0.1", email="c@example.com")
    await limited(client_ip="10.0.0.2", email="d@example.com")
    assert accounts == ["a@example.com", "b@example.com", "d@example.com"]
