"""PostgreSQL in-app inbox: one notification per reminder delivery (reminder_id, due_at), newest first."""

from typing import final
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as upsert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import values_of
from adapters.postgres.tables.calendar import notifications
from application.calendar.ports import NotificationRepository
from domain.calendar.notification import Notification


@final
class PostgresNotificationRepository(NotificationRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, notification: Notification) -> bool:
        statement = (upsert(notifications).values(values_of(notification))
                     .on_conflict_do_nothing(constraint="uq_notifications_reminder_id_due_at"))
        return (await self._conn.execute(statement)).rowcount == 1

    async def get(self, owner_id: UUID, notification_id: UUID) -> Notification | None:
        statement = select(notifications).where(notifications.c.id == notification_id,
                                                notifications.c.owner_id == owner_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else Notification(**row._mapping)

    async def save(self, notification: Notification) -> None:
        statement = update(notifications).where(notifications.c.id == notification.id).values(
            values_of(notification))
        await self._conn.execute(statement)

    async def page(
        self, owner_id: UUID, *, unread_only: bool, before: UUID | None, limit: int
    ) -> list[Notification]:
        statement = (select(notifications).where(notifications.c.owner_id == owner_id)
                     .order_by(notifications.c.id.desc()).limit(limit))
        if unread_only:
            statement = statement.where(notifications.c.read_at.is_(None))
        if before is not None:
            statement = statement.where(notifications.c.id < before)
        return [Notification(**row._mapping) for row in await self._conn.execute(statement)]
