"""A unit of work's connection: checked out from the pool at its first use; its transaction begun at the first
statement that needs one, on the asyncpg connection itself.

Prepared statements (`adapters/postgres/prepared.py`) run on the asyncpg connection directly: SQLAlchemy's
execute costs about three times asyncpg's own per statement (docs/performance.md). Other statements go
through SQLAlchemy, wrapped around that same connection in autocommit mode, so that the one transaction
is this class's: BEGIN before the first write or SQLAlchemy statement, COMMIT on `commit()`, ROLLBACK on
`close()` of whatever was not committed. A prepared read sent before BEGIN runs outside the transaction,
which under READ COMMITTED sees what it would have seen inside.

Row-level security (docs/decisions.md): the connection acts for its `Scope`, an account and/or a purpose, which
the policies read from `atrium.account_id` and `atrium.purpose`. Both are set for the transaction only
(`set_config(..., true)`) and ride on a statement already sent: on BEGIN, in the same round trip, and on each
prepared read sent outside the transaction, in the read itself (`PreparedRead`). Nothing outlives the
transaction, so a pooled connection carries no one's scope to its next user.

A unit of work whose only writes are inserts sends them in one statement, one round trip, at `commit()`
(`Deferred`): each insert waits for the next statement; if one comes, the transaction begins and the inserts go
first, so every later statement sees them; if none does, they run as one implicit transaction, setting the scope
themselves.
"""

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from asyncpg import Connection as DriverConnection
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection, QueuePool
from sqlalchemy.sql import Executable
from sqlalchemy.util import greenlet_spawn

from adapters.postgres.database import is_unavailable
from adapters.postgres.errors import translating
from application.shared.errors import StorageUnavailable
from application.shared.unit_of_work import Purpose
from domain.shared.errors import DomainError


@dataclass(frozen=True, slots=True)
class Scope:
    """Whom the statements act for: the rows of `account`, and those the policies of `purpose` open."""

    account: UUID | None = None
    purpose: Purpose | None = None

    def settings(self) -> tuple[str, str]:
        """The values of `atrium.account_id` and `atrium.purpose` ('' for none)."""
        return ("" if self.account is None else str(self.account)), ("" if self.purpose is None else self.purpose.value)

    def begin(self) -> str:
        """BEGIN and the settings, one simple-protocol round trip (a UUID and an enum value: no quoting needed)."""
        account, purpose = self.settings()
        return (f"BEGIN; SELECT set_config('atrium.account_id', '{account}', true), "
                f"set_config('atrium.purpose', '{purpose}', true)")


NO_ONE = Scope()


@dataclass(frozen=True, slots=True)
class Deferred:
    """A write held back (`LazyConnection.defer`): `sql` to run inside the transaction, `alone` the same write
    setting the scope from two more parameters for its own implicit transaction, the constraints' domain errors,
    and for a write that may store nothing (`InsertIfAccountHas`), what to raise when it does."""

    sql: str
    alone: str
    arguments: tuple[Any, ...]
    errors: Mapping[str, Callable[[], DomainError]]
    unmet: Callable[[], Exception] | None = None

    async def run(self, driver: DriverConnection) -> None:
        """Inside the transaction."""
        self._stored(await translating(driver.execute(self.sql, *self.arguments), self.errors))

    @staticmethod
    async def run_alone(writes: "list[Deferred]", driver: DriverConnection, settings: tuple[str, str]) -> None:
        """`writes` in one statement of their own, setting the scope (`settings`) each: one round trip. Several go
        as the data-modifying parts of one WITH, checked together at its end, as a transaction would; a write that
        may store nothing goes only alone (`LazyConnection.commit`)."""
        if len(writes) == 1:
            [write] = writes
            write._stored(await translating(driver.execute(write.alone, *write.arguments, *settings), write.errors))
            return
        parts: list[str] = []
        arguments: list[Any] = []
        errors: dict[str, Callable[[], DomainError]] = {}
        for n, write in enumerate(writes):
            offset = len(arguments)
            parts.append(f"w{n} AS ({_PARAMETER.sub(lambda m: f'${int(m[1]) + offset}', write.alone)})")
            arguments += [*write.arguments, *settings]
            errors |= write.errors
        await translating(driver.execute(f"WITH {', '.join(parts)} SELECT", *arguments), errors)

    def _stored(self, status: str) -> None:
        if self.unmet is not None and status.endswith(" 0"):  # "INSERT 0 0": the condition did not hold
            raise self.unmet()


_PARAMETER = re.compile(r"\$(\d+)")


class LazyConnection:
    """`execute` and `scalar` as on `AsyncConnection`; `driver()` and `transaction()` for prepared statements;
    nothing checked out until used; every statement acts for `scope`."""

    def __init__(self, engine: AsyncEngine, scope: Scope = NO_ONE) -> None:
        self._engine = engine
        self.scope = scope
        self._pooled: PoolProxiedConnection | None = None
        self._sqlalchemy: AsyncConnection | None = None  # the same connection, seen by SQLAlchemy
        self._begun = False
        self._deferred: list[Deferred] = []

    async def driver(self) -> DriverConnection:
        """The asyncpg connection, inside the transaction if one was begun."""
        if self._pooled is None:
            self._pooled = await check_out(self._engine)
        return cast(DriverConnection, self._pooled.driver_connection)  # None only once invalidated

    async def reader(self) -> tuple[DriverConnection, tuple[str, str] | None]:
        """For a prepared read: the asyncpg connection, and the settings the read must set itself (None inside the
        transaction, which has them already)."""
        if self._deferred:  # the read must see them
            return await self.transaction(), None
        return await self.driver(), (None if self._begun else self.scope.settings())

    async def transaction(self) -> DriverConnection:
        """The asyncpg connection inside the transaction, begun now if it was not (a deferred write sent first):
        for prepared writes."""
        driver = await self.driver()
        if not self._begun:
            await driver.execute(self.scope.begin())
            self._begun = True
            deferred, self._deferred = self._deferred, []
            for write in deferred:
                await write.run(driver)
        return driver

    async def defer(self, write: Deferred) -> None:
        """Hold `write` until the next statement that is not deferred, or `commit()`, when no transaction has begun;
        run it now inside the transaction otherwise. Its refusal is raised by whichever sends it."""
        if self._begun:
            await write.run(await self.transaction())
        else:
            self._deferred.append(write)

    async def execute(self, statement: Executable, *args: Any, **kwargs: Any) -> CursorResult[*tuple[Any, ...]]:
        return await (await self._in_transaction()).execute(statement, *args, **kwargs)

    async def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return await (await self._in_transaction()).scalar(statement, *args, **kwargs)

    async def commit(self) -> None:
        """Commit the transaction, if a statement began one; deferred writes, if they are all, run alone."""
        if len(self._deferred) > 1 and any(write.unmet for write in self._deferred):
            await self.transaction()  # each sent and checked on its own, then committed together below
        deferred, self._deferred = self._deferred, []
        if deferred:
            await Deferred.run_alone(deferred, await self.driver(), self.scope.settings())
        elif self._begun:
            self._begun = False
            await (await self.driver()).execute("COMMIT")

    async def close(self) -> None:
        """Roll back what was not committed and return the connection to the pool; a connection that fails to
        roll back is discarded instead (the error is raised again unless the database is unavailable)."""
        pooled, self._pooled = self._pooled, None
        wrapped, self._sqlalchemy = self._sqlalchemy, None
        self._begun, self._deferred = False, []
        if pooled is None:
            return
        driver = pooled.driver_connection  # None once SQLAlchemy invalidated it
        try:
            if driver is not None and not driver.is_closed() and driver.is_in_transaction():  # as the server said
                await driver.execute("ROLLBACK")
        except Exception as error:
            await (wrapped.invalidate() if wrapped is not None else greenlet_spawn(pooled.invalidate))
            if not is_unavailable(error):
                raise
            return
        if wrapped is not None:
            await wrapped.close()
        else:
            await check_in(self._engine, pooled)

    async def _in_transaction(self) -> AsyncConnection:
        await self.transaction()
        if self._sqlalchemy is None:
            wrapped = AsyncConnection(self._engine, Connection(self._engine.sync_engine, self._pooled))
            self._sqlalchemy = await wrapped.execution_options(isolation_level="AUTOCOMMIT")
        return self._sqlalchemy


async def check_out(engine: AsyncEngine) -> PoolProxiedConnection:
    """A pooled connection: an idle one taken in place (no I/O, no greenlet); through `greenlet_spawn` where the pool
    must connect (none idle, one recycled or found dead: in place the engine refuses to connect, and the pool puts the
    entry back unconnected, as after a failed connect)."""
    if cast(QueuePool, engine.pool).checkedin():
        try:
            return engine.sync_engine.raw_connection()
        except MissingGreenlet:
            pass
    return await engine.raw_connection()


async def check_in(engine: AsyncEngine, pooled: PoolProxiedConnection) -> None:
    """Return `pooled` (outside any transaction) to the pool: in place when the pool keeps it (no I/O), through
    `greenlet_spawn` when it is an overflow connection the pool closes."""
    pool = cast(QueuePool, engine.pool)
    if pool.checkedin() < pool.size():
        pooled.close()
    else:
        await greenlet_spawn(pooled.close)


async def take_turn(gate: asyncio.Semaphore, engine: AsyncEngine) -> None:
    """Acquire the connection gate (a semaphore as large as the pool: connections in arrival order), waiting at
    most the pool's timeout; StorageUnavailable after that."""
    try:
        if gate.locked():  # wait_for costs a task; skip it when no wait is needed
            await asyncio.wait_for(gate.acquire(), cast(QueuePool, engine.pool).timeout())
        else:
            await gate.acquire()
    except TimeoutError as error:
        raise StorageUnavailable("the database is unavailable") from error


@asynccontextmanager
async def autocommit(engine: AsyncEngine, gate: asyncio.Semaphore | None = None) -> AsyncIterator[DriverConnection]:
    """A pooled asyncpg connection outside any transaction, so each statement commits on its own: one round trip
    per statement, and none of SQLAlchemy's cost per statement. It acts for no one: a statement on a table under
    row-level security sets its purpose itself. With a `gate`, the connection is taken in turn (`take_turn`).
    Outages surface as StorageUnavailable."""
    if gate is not None:
        await take_turn(gate, engine)
    conn = LazyConnection(engine)
    try:
        try:
            yield await conn.driver()
        finally:
            await conn.close()
    except Exception as error:
        if is_unavailable(error):
            raise StorageUnavailable("the database is unavailable") from error
        raise
    finally:
        if gate is not None:
            gate.release()
