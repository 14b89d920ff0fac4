"""PostgreSQL calendar webhooks: one per owner."""

from typing import final
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as upsert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import values_of
from adapters.postgres.tables.calendar import calendar_webhooks
from application.calendar.ports import CalendarWebhookRepository
from domain.calendar.webhook import CalendarWebhook


@final
class PostgresCalendarWebhookRepository(CalendarWebhookRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID) -> CalendarWebhook | None:
        statement = select(calendar_webhooks).where(calendar_webhooks.c.owner_id == owner_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else CalendarWebhook(**row._mapping)

    async def save(self, webhook: CalendarWebhook) -> None:
        values = values_of(webhook)
        statement = upsert(calendar_webhooks).values(values).on_conflict_do_update(
            index_elements=[calendar_webhooks.c.owner_id], set_=values)
        await self._conn.execute(statement)

    async def remove(self, owner_id: UUID) -> bool:
        statement = delete(calendar_webhooks).where(calendar_webhooks.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1
