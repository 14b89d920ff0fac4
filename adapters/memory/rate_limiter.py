"""In-memory GCRA rate limiter for one process (not transactional: hits are never rolled back)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import final

from application.identity.ports import RateLimiter
from domain.identity.rate_limit import RateLimit, gcra

SWEEP_ABOVE = 10_000


@final
class MemoryRateLimiter(RateLimiter):
    def __init__(self) -> None:
        self._tats: dict[str, datetime] = {}

    async def hit(self, key: str, now: datetime, limit: RateLimit) -> timedelta | None:
        decision = gcra(self._tats.get(key), now, limit)
        if not decision.allowed:
            return decision.retry_after
        if len(self._tats) >= SWEEP_ABOVE:
            self._tats = {k: tat for k, tat in self._tats.items() if tat > now}
        self._tats[key] = decision.tat
        return None

    async def check(self, limits: Sequence[tuple[str, RateLimit]], now: datetime) -> list[timedelta | None]:
        decisions = (gcra(self._tats.get(key), now, limit) for key, limit in limits)
        return [None if decision.allowed else decision.retry_after for decision in decisions]
