"""PostgreSQL calendar feeds: one per owner, found by the hash of its token."""

from typing import final
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.dialects.postgresql import insert as upsert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import values_of
from adapters.postgres.tables.calendar import calendar_feeds
from application.calendar.ports import CalendarFeedRepository
from domain.calendar.feed import CalendarFeed


@final
class PostgresCalendarFeedRepository(CalendarFeedRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID) -> CalendarFeed | None:
        return await self._one(calendar_feeds.c.owner_id == owner_id)

    async def get_by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        return await self._one(calendar_feeds.c.token_hash == token_hash)

    async def save(self, feed: CalendarFeed) -> None:
        statement = upsert(calendar_feeds).values(values_of(feed)).on_conflict_do_update(
            constraint="uq_calendar_feeds_owner_id",
            set_={"token_hash": feed.token_hash, "created_at": feed.created_at},
        )
        await self._conn.execute(statement)

    async def remove(self, owner_id: UUID) -> bool:
        statement = delete(calendar_feeds).where(calendar_feeds.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def _one(self, condition: ColumnElement[bool]) -> CalendarFeed | None:
        row = (await self._conn.execute(select(calendar_feeds).where(condition))).first()
        return None if row is None else CalendarFeed(**row._mapping)
