"""GCRA rate limits shared by every replica: one guarded upsert per hit, committed on its own (autocommit)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.postgres.database import is_unavailable
from application.shared.errors import StorageUnavailable
from domain.identity.rate_limit import RateLimit, gcra

SWEEP_EVERY = 1000

# The upsert moves the theoretical arrival time only when the request conforms; `previous` is read from the
# statement's snapshot, before the upsert, and tells a denied caller how long to wait.
_HIT = text("""
WITH previous AS (SELECT tat FROM rate_limits WHERE key = :key),
hit AS (
    INSERT INTO rate_limits AS r (key, tat) VALUES (:key, CAST(:now AS timestamptz) + CAST(:cost AS interval))
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, CAST(:now AS timestamptz)) + CAST(:cost AS interval)
    WHERE greatest(r.tat, CAST(:now AS timestamptz)) + CAST(:cost AS interval) - CAST(:tolerance AS interval)
          <= CAST(:now AS timestamptz)
    RETURNING tat
)
SELECT (SELECT tat FROM hit) AS granted, (SELECT tat FROM previous) AS previous
""")
_READ = text("SELECT tat FROM rate_limits WHERE key = :key")
_SWEEP = text("DELETE FROM rate_limits WHERE tat < :now")


class PostgresRateLimiter:
    """State lives in `rate_limits`; rows whose time has passed mean 'no state' and are swept now and then."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._hits = 0

    async def hit(self, key: str, now: datetime, limit: RateLimit) -> timedelta | None:
        self._hits += 1
        sweep = self._hits % SWEEP_EVERY == 0
        params = {"key": key, "now": now, "cost": limit.interval, "tolerance": limit.tolerance}
        async with self._autocommit() as conn:
            row = (await conn.execute(_HIT, params)).one()
            if sweep:
                await conn.execute(_SWEEP, {"now": now})
        if row.granted is not None:
            return None
        decision = gcra(row.previous, now, limit)
        # A competing replica's hit that the snapshot did not show yet: the wait is at least one interval.
        return limit.interval if decision.allowed else decision.retry_after

    async def check(self, key: str, now: datetime, limit: RateLimit) -> timedelta | None:
        async with self._autocommit() as conn:
            tat = await conn.scalar(_READ, {"key": key})
        decision = gcra(tat, now, limit)
        return None if decision.allowed else decision.retry_after

    @asynccontextmanager
    async def _autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection where each statement is its own transaction: one round trip per hit."""
        try:
            async with self._engine.connect() as conn:
                yield await conn.execution_options(isolation_level="AUTOCOMMIT")
        except Exception as error:
            if is_unavailable(error):
                raise StorageUnavailable("the database is unavailable") from error
            raise
