"""The sessions that have ended, as one process knows them: answered from memory on every request, refreshed
from the storage every process shares."""

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol, final
from uuid import UUID

from application.identity.ports import EndedSessions
from application.shared.clock import Clock

log = logging.getLogger("atrium.sessions")

FRESH_FOR = 1.0
"""Seconds after a refresh when the next one starts, in the background of the request that notices."""
STALE_AFTER = 2.0
"""Seconds after a refresh when a request waits for the next one rather than answer from older knowledge."""


class EndedSessionFeed(Protocol):
    """Every process's session ends, read incrementally."""

    async def since(self, watermark: int, ended_after: datetime) -> tuple[list[UUID], int]:
        """The sessions ended after `ended_after` that the previous call (its `watermark`; 0 at first) may not
        have seen, and the watermark to pass next time."""
        ...


@final
class EndedSessionList(EndedSessions):
    """`has_ended` answers from memory. Sessions this process ends are added at once. With a `feed` (every
    process's ends), a request that finds the memory FRESH_FOR old starts a refresh and goes on; one that finds it
    STALE_AFTER old waits for the refresh: an end anywhere is refused everywhere within STALE_AFTER plus one poll,
    and an idle process polls not at all. An entry is forgotten after `keep` (longer than an access token lives)."""

    def __init__(self, clock: Clock, keep: timedelta, feed: EndedSessionFeed | None = None, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._keep = keep
        self._feed = feed
        self._monotonic = monotonic
        self._ended: dict[UUID, datetime] = {}  # id -> when this process learned of it
        self._forgotten_at: datetime | None = None
        self._watermark = 0
        self._refreshed_at = -math.inf
        self._refresh: asyncio.Task[None] | None = None
        self._failing = False

    async def has_ended(self, session_id: UUID) -> bool:
        if self._feed is not None:
            age = self._monotonic() - self._refreshed_at
            if age >= FRESH_FOR:
                refresh = self._refreshing()
                if age >= STALE_AFTER:
                    await asyncio.shield(refresh)  # a cancelled request leaves the refresh to the others
        return session_id in self._ended

    def add(self, session_ids: Iterable[UUID], now: datetime) -> None:
        for session_id in session_ids:
            self._ended[session_id] = now
        if self._forgotten_at is None or now - self._forgotten_at >= timedelta(minutes=1):
            self._forgotten_at = now
            self._ended = {session_id: at for session_id, at in self._ended.items() if now - at < self._keep}

    def _refreshing(self) -> "asyncio.Task[None]":
        """The refresh under way, else a new one: one at a time, whoever asks."""
        if self._refresh is None:
            self._refresh = asyncio.get_running_loop().create_task(self._poll())
            self._refresh.add_done_callback(self._refreshed)
        return self._refresh

    def _refreshed(self, refresh: "asyncio.Task[None]") -> None:
        """Retrieve the outcome: a failure is answered by the requests waiting for it (503), and the next request
        tries again; it is logged once until a refresh succeeds."""
        self._refresh = None
        error = None if refresh.cancelled() else refresh.exception()
        if error is not None and not self._failing:
            log.warning("cannot read which sessions ended elsewhere: %s", type(error).__name__)
        self._failing = error is not None

    async def _poll(self) -> None:
        assert self._feed is not None, "only a list with a feed polls"
        started, now = self._monotonic(), self._clock.now()
        ended, self._watermark = await self._feed.since(self._watermark, now - self._keep)
        self.add(ended, now)
        self._refreshed_at = started
