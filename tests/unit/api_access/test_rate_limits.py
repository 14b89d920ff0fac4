"""GCRA rate limits, and the limits on logging in and registering."""

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
    assert await limiter.check("a", T0, limit) is None
    assert await limiter.hit("a", T0, limit) is None
    assert await limiter.check("a", T0, limit) == timedelta(minutes=1)
    assert await limiter.hit("a", T0, limit) == timedelta(minutes=1)
    assert await limiter.hit("b", T0, limit) is None


class FakeLogin:
    """Knows one account (ann, by username or email) and one password; counts the attempts that reached it."""

    def __init__(self) -> None:
        self.calls = 0
        self.ann = account("ann@example.com", "ann")

    async def find(self, login: str) -> Account | None:
        return self.ann if login.strip().lower() in ("ann", "ann@example.com") else None

    async def sign_in(self, account: Account | None, password: str) -> TokenPair:
        self.calls += 1
        if password != "right password":
            raise InvalidCredentials()
        return TokenPair("access", "refresh", 900)


@pytest.fixture
def login(clock: SettableClock) -> tuple[RateLimitedLogin, FakeLogin]:
    inner = FakeLogin()
    return RateLimitedLogin(inner, MemoryRateLimiter(), clock), inner


async def test_logins_are_limited_to_30_per_5_minutes_per_ip(login, clock: SettableClock) -> None:
    limited, inner = login
    for _ in range(30):
        await limited(login="ann", password="right password", client_ip="10.0.0.1")

    with pytest.raises(TooManyRequests) as error:
        await limited(login="ann", password="right password", client_ip="10.0.0.1")
    assert (error.value.code, error.value.retry_after) == ("rate_limited", 10)
    assert inner.calls == 30
    await limited(login="ann", password="right password", client_ip="10.0.0.2")
    clock.advance(seconds=10)
    await limited(login="ann", password="right password", client_ip="10.0.0.1")


async def test_five_failed_logins_lock_the_identifier_from_any_address(login, clock: SettableClock) -> None:
    limited, inner = login
    for attempt in range(5):
        with pytest.raises(InvalidCredentials):
            await limited(login="Ann@Example.com", password="wrong", client_ip=f"10.0.0.{attempt}")

    with pytest.raises(TooManyRequests) as error:
        await limited(login=" ann@example.com", password="right password", client_ip="10.9.9.9")
    assert error.value.retry_after == 3 * 60
    assert inner.calls == 5
    await limited(login="bob", password="right password", client_ip="10.9.9.9")
    clock.advance(minutes=3)
    await limited(login="ann@example.com", password="right password", client_ip="10.9.9.9")


async def test_an_accounts_email_and_username_share_one_count_of_failures(login) -> None:
    limited, inner = login
    for name in ("ann", "ANN@example.com", "ann", "ann@example.com", "Ann"):
        with pytest.raises(InvalidCredentials):
            await limited(login=name, password="wrong", client_ip="10.0.0.1")
    for name in ("ann", "ann@example.com"):
        with pytest.raises(TooManyRequests):
            await limited(login=name, password="right password", client_ip="10.0.0.2")
    assert inner.calls == 5


async def test_successful_logins_do_not_count_as_failures(login) -> None:
    limited, _ = login
    for _ in range(10):
        await limited(login="ann", password="right password", client_ip="10.0.0.1")
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await limited(login="ann", password="wrong", client_ip="10.0.0.1")


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
