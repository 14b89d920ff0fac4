"""Rate limits by the generic cell rate algorithm (GCRA): one timestamp of state per key."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.shared.errors import TooManyRequests


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`count` requests per `period` on average, at most `burst` (default `count`) at once."""

    count: int
    period: timedelta
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.count < 1 or self.period <= timedelta(0) or (self.burst is not None and self.burst < 1):
            raise ValueError("a rate limit needs count >= 1, a positive period and burst >= 1")

    @property
    def interval(self) -> timedelta:
        """The time one request uses up."""
        return self.period / self.count

    @property
    def tolerance(self) -> timedelta:
        return self.interval * (self.burst or self.count)


@dataclass(frozen=True, slots=True)
class GcraDecision:
    allowed: bool
    tat: datetime
    """The theoretical arrival time to keep (unchanged when denied)."""
    retry_after: timedelta
    """Zero when allowed."""


def gcra(tat: datetime | None, now: datetime, limit: RateLimit, cost: int = 1) -> GcraDecision:
    """Decide one request of `cost` given the key's theoretical arrival time (None when new)."""
    current = tat if tat is not None and tat > now else now
    new_tat = current + limit.interval * cost
    allowed_at = new_tat - limit.tolerance
    if now < allowed_at:
        return GcraDecision(False, current, allowed_at - now)
    return GcraDecision(True, new_tat, timedelta(0))


class RateLimited(TooManyRequests):
    code = "rate_limited"

    def __init__(self, retry_after: timedelta, detail: str = "too many requests; slow down") -> None:
        super().__init__(detail, retry_after=math.ceil(retry_after.total_seconds()))
