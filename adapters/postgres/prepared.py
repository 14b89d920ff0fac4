"""Hot-path statements compiled once from SQLAlchemy Core and run on the asyncpg connection underneath.

SQLAlchemy's execute costs about three times asyncpg's own per statement (bench: docs/performance.md). A
`PreparedRead` or `PreparedWrite` keeps the statement in Core, next to the tables, and pays that cost once,
at import. A write runs inside the unit of work's transaction (`LazyConnection.transaction`); a read runs
on the connection as it is, which before the first write is outside any transaction and under READ
COMMITTED sees exactly what it would see inside. Locking reads (FOR UPDATE) stay on SQLAlchemy, which runs
every statement inside the transaction.

A read outside the transaction is its own implicit transaction, so it sets the connection's scope itself
(`scoped`): the same round trip, and the settings last only as long as the read. An insert of one row is deferred
(`PreparedInsert`): a unit of work whose only writes are such inserts sends them in one statement at commit, one
round trip and no BEGIN or COMMIT (`LazyConnection.defer`).
"""

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, cast

from asyncpg import Connection as DriverConnection
from asyncpg import Record
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from adapters.postgres.connection import Deferred, LazyConnection
from adapters.postgres.errors import translating
from domain.shared.errors import DomainError

_DIALECT = asyncpg_dialect()
_Entity = TypeVar("_Entity")


class PreparedRead:
    """A statement with named `bindparam`s, compiled once; run it with those names as keywords (every name the
    statement uses, None included)."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        self.sql = str(compiled)
        self._names = tuple(compiled.positiontup or ())
        self.scoped_sql = scoped(self.sql, len(self._names))

    async def one(self, conn: LazyConnection, **values: Any) -> Record | None:
        """The first row, or None."""
        driver, settings = await self._driver(conn)
        if settings is None:
            return await driver.fetchrow(self.sql, *self._arguments(values))
        return await driver.fetchrow(self.scoped_sql, *self._arguments(values), *settings)

    async def all(self, conn: LazyConnection, **values: Any) -> list[Record]:
        """Every row."""
        driver, settings = await self._driver(conn)
        if settings is None:
            return await driver.fetch(self.sql, *self._arguments(values))
        return await driver.fetch(self.scoped_sql, *self._arguments(values), *settings)

    async def _driver(self, conn: LazyConnection) -> tuple[DriverConnection, tuple[str, str] | None]:
        return await conn.reader()

    def _arguments(self, values: Mapping[str, Any]) -> Iterator[Any]:
        return (values[name] for name in self._names)


class PreparedWrite(PreparedRead):
    """A write (`one` and `all` for its RETURNING rows), inside the unit of work's transaction."""

    async def run(self, conn: LazyConnection, **values: Any) -> None:
        """Run it."""
        await (await conn.transaction()).execute(self.sql, *self._arguments(values))

    async def run_many(self, conn: LazyConnection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run it once per row of values; a single row is a plain execute (executemany costs more)."""
        if len(rows) == 1:
            await self.run(conn, **rows[0])
        else:
            await (await conn.transaction()).executemany(self.sql, [tuple(self._arguments(row)) for row in rows])

    async def _driver(self, conn: LazyConnection) -> tuple[DriverConnection, tuple[str, str] | None]:
        return await conn.transaction(), None


def scoped(sql: str, parameters: int) -> str:
    """`sql` (a query with `parameters` positional parameters) that first sets `atrium.account_id` and
    `atrium.purpose` to two more, for its own implicit transaction: the settings are a one-time filter of a
    Result node above the whole query, which PostgreSQL evaluates before it reads any row (and so before any
    row-level-security policy reads them)."""
    account, purpose = f"${parameters + 1}", f"${parameters + 2}"
    return (f"SELECT * FROM ({sql}) AS scoped WHERE (SELECT set_config('atrium.account_id', {account}::text, true)"
            f" || set_config('atrium.purpose', {purpose}::text, true)) IS NOT NULL")


class PreparedInsert(PreparedWrite):
    """An INSERT of one row of VALUES, deferred to the unit of work's next statement or its commit (`run`); the
    constraints named in `errors` refuse it with their domain errors, whenever it is sent."""

    def __init__(self, statement: ClauseElement, errors: Mapping[str, Callable[[], DomainError]]) -> None:
        super().__init__(statement)
        self._errors = errors
        if not self.sql.endswith(")"):  # anything after the row (ON CONFLICT, RETURNING) is not deferred
            raise ValueError(f"not a plain insert of one row: {self.sql}")
        self._alone = scoped_insert(self.sql)

    async def run(self, conn: LazyConnection, **values: Any) -> None:
        """Deferred: refused (with `errors`) by this call, a later statement's or the commit."""
        await conn.defer(Deferred(self.sql, self._alone, tuple(self._arguments(values)), self._errors))

    async def run_many(self, conn: LazyConnection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One row deferred (`run`); more at once, now."""
        await translating(super().run_many(conn, rows), self._errors)


def scoped_insert(sql: str) -> str:
    """`sql` (INSERT INTO a table and its columns VALUES one row of positional parameters, then perhaps ON CONFLICT
    and RETURNING) as a statement that first sets the scope from two more parameters, as `scoped` does for a query:
    the row is selected under a one-time filter that sets them, so no policy sees it before they are set."""
    head, values, tail = _insert_parts(sql)
    parameters = max((int(n) for n in re.findall(r"\$(\d+)", sql)), default=0)
    account, purpose = f"${parameters + 1}", f"${parameters + 2}"
    return (f"{head} SELECT {values} WHERE (SELECT set_config('atrium.account_id', {account}::text, true)"
            f" || set_config('atrium.purpose', {purpose}::text, true)) IS NOT NULL{tail}")


def _insert_parts(sql: str) -> tuple[str, str, str]:
    """(INSERT INTO the table and its columns, the row's values without their parentheses, what follows the row)
    of an insert of one row of VALUES."""
    head, _, rest = sql.partition(" VALUES (")
    depth, end = 1, 0
    while depth and end < len(rest):
        depth += {"(": 1, ")": -1}.get(rest[end], 0)
        end += 1
    if not head.startswith("INSERT INTO ") or depth:
        raise ValueError(f"not an insert of one row of values: {sql}")
    return head, rest[:end - 1], rest[end:]


class InsertIfAccountHas(PreparedRead):
    """One row into `table` (as `inserting`), deferred likewise, but stored only if the row's owner's account still
    has the given values in `columns` (of `accounts`) when it is written: defaults the caller took from what it last
    saw of the account. Otherwise nothing is stored and `unmet()` is raised, by whichever sends the row (as a
    refusal is)."""

    def __init__(self, table: Table, errors: Mapping[str, Callable[[], DomainError]], accounts: Table,
                 columns: Sequence[str], unmet: Callable[[], Exception]) -> None:
        super().__init__(_row_insert(table))
        self._errors, self._unmet = errors, unmet
        head, values, _ = _insert_parts(self.sql)
        count, owner = len(self._names), f"${self._names.index('owner_id') + 1}::uuid"
        same = " AND ".join(f"{column} = ${count + n + 1}" for n, column in enumerate(columns))
        has = f"EXISTS (SELECT FROM {accounts.name} WHERE id = {owner} AND {same}{{}})"
        self.sql = f"{head} SELECT {values} WHERE {has.format('')}"
        account, purpose = f"${count + len(columns) + 1}", f"${count + len(columns) + 2}"
        # The scope is set in a materialized CTE that the account's check refers to, so the check (and the policy on
        # `accounts`) runs after the settings, never as a one-time filter before them.
        self._alone = (f"WITH scope AS MATERIALIZED (SELECT set_config('atrium.account_id', {account}::text, true)"
                       f" || set_config('atrium.purpose', {purpose}::text, true) AS done) {head} SELECT {values}"
                       f" FROM scope WHERE {has.format(' AND scope.done IS NOT NULL')}")

    async def run(self, conn: LazyConnection, row: Mapping[str, Any], assumed: Sequence[Any]) -> None:
        """Deferred: refused (with `errors`, or `unmet()` if the account has other values than `assumed`, in
        `columns`' order) by this call, a later statement's or the commit."""
        arguments = (*self._arguments(row), *assumed)
        await conn.defer(Deferred(self.sql, self._alone, arguments, self._errors, self._unmet))


def _row_insert(table: Table) -> ClauseElement:
    return insert(table).values({column.name: bindparam(column.name) for column in table.c})


def inserting(table: Table, errors: Mapping[str, Callable[[], DomainError]] | None = None) -> PreparedInsert:
    """One row into `table`, every column a bindparam named after it; deferred (`PreparedInsert`)."""
    return PreparedInsert(_row_insert(table), errors or {})


def owned_row(table: Table) -> PreparedRead:
    """One row of an owner's `table`, by `id` and `owner_id`."""
    return PreparedRead(select(table).where(table.c.id == bindparam("id"), table.c.owner_id == bindparam("owner_id")))


def columns(row: Any) -> Mapping[str, Any]:
    """A SQLAlchemy row's or an asyncpg record's values by column name."""
    mapping: Mapping[str, Any] = getattr(row, "_mapping", row)
    return mapping


def by_position(entity: Callable[..., _Entity], table: Table) -> Callable[[Any], _Entity]:
    """`entity` from a row of all `table`'s columns in table order (`select(table)`), by position: a third of the
    cost of passing a record's values by name. The entity's fields must be the table's columns in the same order,
    which is checked here, once."""
    if list(getattr(entity, "__slots__", ())) != [column.name for column in table.c]:
        raise TypeError(f"{getattr(entity, '__name__', entity)}'s fields are not {table.name}'s columns in order")
    return lambda row: entity(*row)


def values_of(entity: Any) -> dict[str, Any]:
    """A slotted entity's fields by name: the columns of its row."""
    return {name: getattr(entity, name) for name in entity.__slots__}
