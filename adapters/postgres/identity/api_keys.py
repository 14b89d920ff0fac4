"""PostgreSQL API keys and usage counters; spending is one guarded upsert, never read-then-write."""

import asyncio
from datetime import date, datetime
from typing import Any, cast, final
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ClauseElement

from adapters.postgres.connection import LazyConnection, autocommit
from adapters.postgres.prepared import PreparedRead, PreparedWrite, by_position, scoped_insert, values_of
from adapters.postgres.tables.identity import accounts, api_key_usage, api_keys
from application.identity.ports import ApiKeyRepository, QuotaMeter, UsageRepository
from domain.identity.api_key import LAST_USED_RESOLUTION, ApiKey
from domain.identity.usage import DailyUsage


_KEY_BY_HASH = PreparedRead(select(api_keys).where(
    or_(api_keys.c.key_hash == bindparam("hash"), api_keys.c.previous_key_hash == bindparam("hash"))))


_api_key = by_position(ApiKey, api_keys)


@final
class PostgresApiKeyRepository(ApiKeyRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, key: ApiKey) -> None:
        await self._conn.execute(insert(api_keys).values(values_of(key)))

    async def get(self, owner_id: UUID, key_id: UUID) -> ApiKey | None:
        return await self._one(api_keys.c.owner_id == owner_id, api_keys.c.id == key_id)

    async def get_by_hash(self, key_hash: str) -> ApiKey | None:
        row = await _KEY_BY_HASH.one(self._conn, hash=key_hash)
        return None if row is None else _api_key(row)

    async def list(self, owner_id: UUID) -> list[ApiKey]:
        statement = (select(api_keys).where(api_keys.c.owner_id == owner_id)
                     .order_by(api_keys.c.created_at.desc(), api_keys.c.id.desc()))
        return [_api_key(row) for row in await self._conn.execute(statement)]

    async def count_usable(self, owner_id: UUID, now: datetime) -> int:
        # Lock the owner's account row so concurrent creations for one owner count one after another.
        await self._conn.execute(select(accounts.c.id).where(accounts.c.id == owner_id).with_for_update())
        statement = select(func.count()).select_from(api_keys).where(
            api_keys.c.owner_id == owner_id, api_keys.c.revoked_at.is_(None),
            or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > now),
        )
        return int(await self._conn.scalar(statement))

    async def save(self, key: ApiKey) -> None:
        await self._conn.execute(update(api_keys).where(
            api_keys.c.owner_id == key.owner_id, api_keys.c.id == key.id).values(values_of(key)))

    async def touch(self, owner_id: UUID, key_id: UUID, now: datetime) -> None:
        await self._conn.execute(update(api_keys).where(
            api_keys.c.owner_id == owner_id, api_keys.c.id == key_id,
            or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at <= now - LAST_USED_RESOLUTION),
        ).values(last_used_at=now))

    async def _one(self, *conditions: ColumnElement[bool]) -> ApiKey | None:
        row = (await self._conn.execute(select(api_keys).where(*conditions))).first()
        return None if row is None else _api_key(row)


def _guarded_spend() -> ClauseElement:
    """INSERT … ON CONFLICT DO UPDATE … WHERE used + n <= quota RETURNING used: one atomic statement."""
    statement = pg_insert(api_key_usage).values(
        {name: bindparam(name) for name in ("owner_id", "api_key_id", "usage_date", "used", "quota")})
    used = api_key_usage.c.used + statement.excluded.used
    return statement.on_conflict_do_update(
        index_elements=[api_key_usage.c.api_key_id, api_key_usage.c.usage_date],
        set_={"used": used, "quota": statement.excluded.quota},
        where=(used <= statement.excluded.quota) & (api_key_usage.c.owner_id == statement.excluded.owner_id),
    ).returning(api_key_usage.c.used)


_SPEND = PreparedWrite(_guarded_spend())  # built once: composing an upsert costs more than running it
_SPEND_ALONE = scoped_insert(_SPEND.sql)  # its own implicit transaction: the owner's scope set first


@final
class PostgresQuotaMeter(QuotaMeter):
    """`_SPEND` on a pooled connection in autocommit, taken in turn with the units of work."""

    def __init__(self, engine: AsyncEngine, gate: asyncio.Semaphore) -> None:
        self._engine = engine
        self._gate = gate

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        if units > quota:
            return None
        async with autocommit(self._engine, self._gate) as driver:
            used = await driver.fetchval(_SPEND_ALONE, owner_id, api_key_id, day, units, quota, str(owner_id), "")
        return cast(int | None, used)


@final
class PostgresUsageRepository(UsageRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        if units > quota:
            return None
        row = await _SPEND.one(self._conn, owner_id=owner_id, api_key_id=api_key_id, usage_date=day, used=units,
                               quota=quota)
        return None if row is None else row["used"]

    async def refund(self, owner_id: UUID, api_key_id: UUID, day: date, units: int) -> None:
        await self._conn.execute(update(api_key_usage).where(
            api_key_usage.c.owner_id == owner_id, api_key_usage.c.api_key_id == api_key_id,
            api_key_usage.c.usage_date == day,
        ).values(used=func.greatest(api_key_usage.c.used - units, 0)))

    async def list(
        self, owner_id: UUID, *, start: date, end: date, api_key_id: UUID | None = None
    ) -> list[DailyUsage]:
        statement = select(api_key_usage).where(
            api_key_usage.c.owner_id == owner_id, api_key_usage.c.usage_date.between(start, end),
        ).order_by(api_key_usage.c.usage_date, api_key_usage.c.api_key_id)
        if api_key_id is not None:
            statement = statement.where(api_key_usage.c.api_key_id == api_key_id)
        return [DailyUsage(**row._mapping) for row in await self._conn.execute(statement)]
