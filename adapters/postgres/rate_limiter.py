"""GCRA rate limits shared by every replica: one guarded upsert per hit, committed on its own (autocommit)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import final

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.connection import autocommit
from application.identity.ports import RateLimiter
from domain.identity.rate_limit import RateLimit, gcra

SWEEP_EVERY = 1000

# The upsert moves the theoretical arrival time only when the request conforms; `previous` is read from the
# statement's snapshot, before the upsert, and tells a denied caller how long to wait. Row-level security opens
# `rate_limits` to the purpose `rate_limit` only: `scope` sets it, and both the read and the upsert wait on it.
# $1 key, $2 now, $3 cost (the limit's interval), $4 tolerance.
_SCOPE = "(SELECT set_config('atrium.purpose', 'rate_limit', true)) IS NOT NULL"
_HIT = """
WITH scope AS MATERIALIZED (SELECT set_config('atrium.purpose', 'rate_limit', true) AS purpose),
previous AS (SELECT tat FROM rate_limits WHERE key = $1 AND (SELECT purpose FROM scope) IS NOT NULL),
hit AS (
    INSERT INTO rate_limits AS r (key, tat) SELECT $1, $2::timestamptz + $3::interval FROM scope
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, $2::timestamptz) + $3::interval
    WHERE greatest(r.tat, $2::timestamptz) + $3::interval - $4::interval <= $2::timestamptz
    RETURNING tat
)
SELECT (SELECT tat FROM previous) AS previous, (SELECT tat FROM hit) AS granted
"""
_READ = f"SELECT key, tat FROM rate_limits WHERE key = ANY($1::text[]) AND {_SCOPE}"
_SWEEP = f"DELETE FROM rate_limits WHERE tat < $1 AND {_SCOPE}"


@final
class PostgresRateLimiter(RateLimiter):
    """State lives in `rate_limits`; rows whose time has passed mean 'no state' and are swept now and then."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._hits = 0

    async def hit(self, key: str, now: datetime, limit: RateLimit) -> timedelta | None:
        self._hits += 1
        sweep = self._hits % SWEEP_EVERY == 0
        async with autocommit(self._engine) as driver:
            row = await driver.fetchrow(_HIT, key, now, limit.interval, limit.tolerance)
            assert row is not None, "the statement answers one row"
            if sweep:
                await driver.execute(_SWEEP, now)
        if row["granted"] is not None:
            return None
        decision = gcra(row["previous"], now, limit)
        # A competing replica's hit that the snapshot did not show yet: the wait is at least one interval.
        return limit.interval if decision.allowed else decision.retry_after

    async def check(self, limits: Sequence[tuple[str, RateLimit]], now: datetime) -> list[timedelta | None]:
        async with autocommit(self._engine) as driver:
            tats = {key: tat for key, tat in await driver.fetch(_READ, [key for key, _ in limits])}
        decisions = (gcra(tats.get(key), now, limit) for key, limit in limits)
        return [None if decision.allowed else decision.retry_after for decision in decisions]
