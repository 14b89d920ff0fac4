"""A unit of work's connection, checked out from the pool at its first use and in the cheapest form that use needs.

A use case that only runs prepared reads (`PreparedRead`) takes a bare pooled asyncpg connection: no SQLAlchemy
`Connection`, no transaction. Checking out and returning an `AsyncConnection` costs about 50 µs more of CPU per
use case than the bare pooled connection (docs/performance.md). The first SQLAlchemy statement wraps that same
connection in an `AsyncConnection`, whose transaction begins with the statement. A prepared read sent before it
ran outside the transaction, which under READ COMMITTED sees what it would have seen inside.
"""

from typing import Any

from asyncpg import Connection as DriverConnection
from sqlalchemy.engine import Connection, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from adapters.postgres.database import is_unavailable


class LazyConnection:
    """`execute` and `scalar` as on `AsyncConnection`; `driver()` for prepared reads; nothing checked out until used."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._bare: PoolProxiedConnection | None = None
        self._conn: AsyncConnection | None = None

    async def driver(self) -> DriverConnection:
        """The asyncpg connection: the open `AsyncConnection`'s, else a bare pooled one."""
        if self._conn is not None:
            return (await self._conn.get_raw_connection()).driver_connection
        if self._bare is None:
            self._bare = await self._engine.raw_connection()
        return self._bare.driver_connection

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Result:
        return await (await self._sqlalchemy()).execute(statement, *args, **kwargs)

    async def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return await (await self._sqlalchemy()).scalar(statement, *args, **kwargs)

    async def commit(self) -> None:
        """Commit the transaction, if a statement began one."""
        if self._conn is not None:
            await self._conn.commit()

    async def close(self) -> None:
        """Roll back what was not committed and return the connection to the pool; one the database dropped is
        discarded."""
        await self._return_bare()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
            await conn.close()
        except Exception as error:
            if not is_unavailable(error):
                raise
            await conn.invalidate()

    async def _sqlalchemy(self) -> AsyncConnection:
        if self._conn is None:  # go on with the connection the prepared reads used, if any
            bare, self._bare = self._bare, None
            bare = bare or await self._engine.raw_connection()
            self._conn = AsyncConnection(self._engine, Connection(self._engine.sync_engine, bare))
        return self._conn

    async def _return_bare(self) -> None:
        bare, self._bare = self._bare, None
        if bare is not None:
            await greenlet_spawn(bare.close)  # the pool's reset may await the driver
