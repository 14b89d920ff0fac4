"""Alembic environment: async, on the same database URL as the application."""

import asyncio
import os

from alembic import context
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.database import create_engine
from adapters.postgres.tables import metadata

config = context.config


def _database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("ATRIUM_DATABASE_URL")
    if not url:
        raise SystemExit("set ATRIUM_DATABASE_URL (or run `atrium migrate`, which starts the embedded server)")
    return url


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                      compare_server_default=True, transaction_per_migration=True)


def _run(connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    connection: AsyncConnection | None = config.attributes.get("connection")
    if connection is not None:
        await connection.run_sync(_run)
        return
    engine = create_engine(_database_url(), pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run)
            await conn.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
asyncio.run(_run_async())
