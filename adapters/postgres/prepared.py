"""Hot-path reads compiled once from SQLAlchemy Core and run on the asyncpg connection underneath.

SQLAlchemy's execute costs about three times asyncpg's own per statement (bench: docs/performance.md). A
`PreparedRead` keeps the statement in Core, next to the tables, and pays that cost once, at import.

Only plain reads go this way: a read sent before the unit of work's first SQLAlchemy statement runs outside
its (lazily begun) transaction, which under READ COMMITTED sees exactly what it would see inside. Locking
reads (FOR UPDATE) and writes stay on SQLAlchemy, inside the transaction.
"""

from collections.abc import Mapping
from typing import Any

from asyncpg import Record
from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import Select

from adapters.postgres.connection import LazyConnection

_DIALECT = asyncpg_dialect()


class PreparedRead:
    """A SELECT with named `bindparam`s, compiled once; fetch it with those names as keywords (every name the
    statement uses, None included)."""

    def __init__(self, statement: Select) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = str(compiled)
        self._names = tuple(compiled.positiontup or ())

    async def one(self, conn: LazyConnection, **values: Any) -> Record | None:
        """The first row, or None."""
        driver = await conn.driver()
        return await driver.fetchrow(self.sql, *(values[name] for name in self._names))

    async def all(self, conn: LazyConnection, **values: Any) -> list[Record]:
        """Every row."""
        driver = await conn.driver()
        return await driver.fetch(self.sql, *(values[name] for name in self._names))


def owned_row(table: Table) -> PreparedRead:
    """One row of an owner's `table`, by `id` and `owner_id`."""
    return PreparedRead(select(table).where(table.c.id == bindparam("id"), table.c.owner_id == bindparam("owner_id")))


def columns(row: Any) -> Mapping[str, Any]:
    """A SQLAlchemy row's or an asyncpg record's values by column name."""
    return getattr(row, "_mapping", row)
