"""One sync at a time per source, across every process: a session-level advisory lock, held on a connection of
its own for the whole run (a run spans many transactions), released when the run ends or its connection dies."""

from typing import final

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import asyncio
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.connection import autocommit

_TRY = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended($1, 0))"
from application.delivery.ports import SourceLocks


@final
class PostgresSourceLocks(SourceLocks):
    def __init__(self, engine: AsyncEngine, gate: asyncio.Semaphore | None = None) -> None:
        self._engine, self._gate = engine, gate

    @asynccontextmanager
    async def hold(self, source_id: UUID) -> AsyncIterator[bool]:
        name = f"atrium.delivery.source:{source_id}"
        async with autocommit(self._engine, self._gate) as conn:
            if not await conn.fetchval(_TRY, name):
                yield False
                return
            try:
                yield True
            finally:
                if not conn.is_closed():
                    await conn.fetchval(_UNLOCK, name)
