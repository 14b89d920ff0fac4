"""What one process knows of ended sessions: its own at once, every other process's within seconds, with no
round trip on a request while that knowledge is fresh."""

import asyncio
from datetime import timedelta

import pytest

from adapters.clock import SettableClock
from adapters.ended_sessions import FRESH_FOR, STALE_AFTER, EndedSessionList
from application.shared.errors import StorageUnavailable
from tests.factories import new_id

KEEP = timedelta(minutes=16)


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Feed:
    """Every process's ends as the database would answer them; counts the polls, can hold or fail them."""

    def __init__(self) -> None:
        self.ended: list = []
        self.polls: list[tuple[int, object]] = []
        self.release = asyncio.Event()
        self.release.set()
        self.failure: Exception | None = None

    async def since(self, watermark, ended_after):
        self.polls.append((watermark, ended_after))
        await self.release.wait()
        if self.failure is not None:
            raise self.failure
        return list(self.ended), len(self.polls) * 10


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def feed() -> Feed:
    return Feed()


@pytest.fixture
def ended(clock: SettableClock, feed: Feed, ticks: Ticks) -> EndedSessionList:
    return EndedSessionList(clock, KEEP, feed, monotonic=ticks)


async def test_sessions_this_process_ends_are_known_at_once_and_forgotten_when_no_token_can_remain(clock):
    ended, mine, other = EndedSessionList(clock, KEEP), new_id(), new_id()
    ended.add([mine], clock.now())
    assert await ended.has_ended(mine) and not await ended.has_ended(other)
    ended.add([other], clock.advance(KEEP))
    assert not await ended.has_ended(mine) and await ended.has_ended(other)


async def test_the_first_request_waits_for_every_process_ends(ended, feed, clock):
    elsewhere = new_id()
    feed.ended = [elsewhere]
    assert await ended.has_ended(elsewhere)
    assert feed.polls == [(0, clock.now() - KEEP)]


async def test_fresh_knowledge_costs_no_poll(ended, feed, ticks):
    await ended.has_ended(new_id())
    ticks.now += FRESH_FOR / 2
    for _ in range(100):
        await ended.has_ended(new_id())
    assert len(feed.polls) == 1


async def test_knowledge_older_than_fresh_is_refreshed_without_holding_the_request(ended, feed, ticks):
    await ended.has_ended(new_id())
    elsewhere = new_id()
    feed.ended, feed.release = [elsewhere], asyncio.Event()
    ticks.now += FRESH_FOR
    await asyncio.wait_for(ended.has_ended(elsewhere), 1)  # answered while the refresh is held
    assert len(feed.polls) == 2
    feed.release.set()
    await asyncio.sleep(0)
    assert await ended.has_ended(elsewhere)
    assert feed.polls[1][0] == 10  # the first poll's watermark


async def test_stale_knowledge_is_refreshed_before_the_answer_once_for_all_waiting(ended, feed, ticks):
    await ended.has_ended(new_id())
    elsewhere = new_id()
    feed.ended = [elsewhere]
    ticks.now += STALE_AFTER
    assert all(await asyncio.gather(*(ended.has_ended(elsewhere) for _ in range(10))))
    assert len(feed.polls) == 2


async def test_a_failed_refresh_fails_the_waiting_requests_and_the_next_one_tries_again(ended, feed, ticks):
    feed.failure = StorageUnavailable("the database is unavailable")
    with pytest.raises(StorageUnavailable):
        await ended.has_ended(new_id())
    feed.failure, elsewhere = None, new_id()
    feed.ended = [elsewhere]
    assert await ended.has_ended(elsewhere)
    assert [watermark for watermark, _ in feed.polls] == [0, 0]
