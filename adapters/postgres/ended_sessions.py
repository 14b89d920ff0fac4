"""Every process's session ends, read from `sessions` by the id of the transaction that ended each.

A poll answers the ends by transactions from the watermark on, and as the next watermark the oldest
transaction still running in its snapshot: every transaction below it has committed or aborted, so an end
committed after the poll has an id at or above it and the next poll sees it, however out of order transactions
commit. One autocommit statement on a pooled connection, taken in turn with the units of work (the connection
gate), so that a busy pool cannot starve the poll that every request may be waiting for.
"""

import asyncio
from datetime import datetime
from typing import final
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.ended_sessions import EndedSessionFeed
from adapters.postgres.connection import autocommit

# $1 watermark, $2 ended after. `pg_current_snapshot()` is the statement's own snapshot. The one-time filter sets
# the purpose row-level security opens `sessions` to (ids only leave), before the projection reads them.
POLL = """
SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon,
       array(SELECT id FROM sessions WHERE ended_xact >= $1 AND ended_at > $2) AS ended
WHERE (SELECT set_config('atrium.purpose', 'ended_sessions', true)) IS NOT NULL
"""


@final
class PostgresEndedSessionFeed(EndedSessionFeed):
    def __init__(self, engine: AsyncEngine, gate: asyncio.Semaphore | None = None) -> None:
        self._engine = engine
        self._gate = gate

    async def since(self, watermark: int, ended_after: datetime) -> tuple[list[UUID], int]:
        async with autocommit(self._engine, self._gate) as driver:
            row = await driver.fetchrow(POLL, watermark, ended_after)
            assert row is not None, "the statement answers one row"
        return list(row["ended"]), row["horizon"]
