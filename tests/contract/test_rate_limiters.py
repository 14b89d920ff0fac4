"""The GCRA rate limiter answers the same in memory and on PostgreSQL, where replicas share it."""

import asyncio
from datetime import timedelta

import pytest

from adapters.memory.rate_limiter import MemoryRateLimiter
from adapters.postgres.database import create_engine
from adapters.postgres.rate_limiter import PostgresRateLimiter
from domain.identity.rate_limit import RateLimit
from tests.factories import NOW

THREE_PER_SECOND = RateLimit(3, timedelta(seconds=1))


@pytest.fixture
def limiter(request, storage):
    if storage == "memory":
        return MemoryRateLimiter()
    return PostgresRateLimiter(request.getfixturevalue("clean_postgres"))


async def test_a_burst_passes_then_callers_wait_one_interval(limiter):
    for _ in range(3):
        assert await limiter.hit("ip:1", NOW, THREE_PER_SECOND) is None
    assert await limiter.check([("ip:1", THREE_PER_SECOND)], NOW) == [timedelta(microseconds=333333)]
    assert await limiter.hit("ip:1", NOW, THREE_PER_SECOND) == timedelta(microseconds=333333)
    assert await limiter.hit("ip:2", NOW, THREE_PER_SECOND) is None
    later = NOW + timedelta(microseconds=333333)
    assert await limiter.hit("ip:1", later, THREE_PER_SECOND) is None
    assert await limiter.hit("ip:1", later, THREE_PER_SECOND) is not None


async def test_check_counts_nothing_answers_each_key_in_order_and_an_idle_key_recovers(limiter):
    ann, bob, never = ("login:ann", THREE_PER_SECOND), ("login:bob", RateLimit(1, timedelta(minutes=1))), \
        ("login:never", THREE_PER_SECOND)
    for _ in range(5):
        assert await limiter.check([ann], NOW) == [None]
    for _ in range(3):
        await limiter.hit("login:ann", NOW, THREE_PER_SECOND)
    await limiter.hit("login:bob", NOW, bob[1])
    assert await limiter.check([never, bob, ann], NOW) == [None, timedelta(minutes=1), timedelta(microseconds=333333)]
    for _ in range(3):
        assert await limiter.hit("login:ann", NOW + timedelta(seconds=1), THREE_PER_SECOND) is None


async def test_concurrent_hits_let_exactly_the_burst_through(limiter):
    limit = RateLimit(10, timedelta(minutes=1), burst=4)
    results = await asyncio.gather(*(limiter.hit("key:k", NOW, limit) for _ in range(30)))
    assert sum(r is None for r in results) == 4


async def test_two_replicas_on_separate_engines_share_the_limit(clean_postgres, postgres_url):
    other_engine = create_engine(postgres_url, pool_size=1)
    try:
        first, second = PostgresRateLimiter(clean_postgres), PostgresRateLimiter(other_engine)
        limit = RateLimit(2, timedelta(minutes=1))
        assert await first.hit("ip:10.0.0.1", NOW, limit) is None
        assert await second.hit("ip:10.0.0.1", NOW, limit) is None
        assert await first.hit("ip:10.0.0.1", NOW, limit) == timedelta(seconds=30)
        assert await second.check([("ip:10.0.0.1", limit)], NOW) == [timedelta(seconds=30)]
    finally:
        await other_engine.dispose()
