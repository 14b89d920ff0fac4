"""PostgreSQL reminders: one row per (event, offset, channel); due ones are claimed with SKIP LOCKED."""

from collections.abc import Collection
from datetime import datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select, tuple_, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.prepared import columns, owned_row, values_of
from adapters.postgres.tables.calendar import events, reminders
from application.calendar.ports import ReminderFilter, ReminderRepository
from domain.calendar.reminder import Channel, DuplicateReminder, Reminder, ReminderStatus

_REMINDER_ERRORS = {"uq_reminders_event_id_minutes_before_channel": DuplicateReminder}
_REMINDER_BY_ID = owned_row(reminders)


def _reminder(row: Any) -> Reminder:
    values = columns(row)
    return Reminder(**{**values, "channel": Channel(values["channel"]), "status": ReminderStatus(values["status"])})


@final
class PostgresReminderRepository(ReminderRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, reminder: Reminder) -> None:
        await translating(self._conn.execute(insert(reminders).values(values_of(reminder))), _REMINDER_ERRORS)

    async def get(self, owner_id: UUID, reminder_id: UUID) -> Reminder | None:
        row = await _REMINDER_BY_ID.one(self._conn, id=reminder_id, owner_id=owner_id)
        return None if row is None else _reminder(row)

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Reminder]:
        if not keys:
            return {}
        statement = select(reminders).where(tuple_(reminders.c.owner_id, reminders.c.id).in_(list(keys)))
        return {row.id: _reminder(row) for row in await self._conn.execute(statement)}

    async def save(self, reminder: Reminder) -> None:
        statement = update(reminders).where(reminders.c.id == reminder.id).values(values_of(reminder))
        await translating(self._conn.execute(statement), _REMINDER_ERRORS)

    async def remove(self, owner_id: UUID, reminder_id: UUID) -> bool:
        statement = delete(reminders).where(reminders.c.id == reminder_id, reminders.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def for_event(self, owner_id: UUID, event_id: UUID) -> list[Reminder]:
        statement = (select(reminders).where(reminders.c.event_id == event_id, reminders.c.owner_id == owner_id)
                     .order_by(reminders.c.id))
        return [_reminder(row) for row in await self._conn.execute(statement)]

    async def page(
        self, owner_id: UUID, filter: ReminderFilter, *, after: UUID | None, limit: int
    ) -> list[Reminder]:
        statement = (
            select(reminders).join(events, events.c.id == reminders.c.event_id)
            .where(reminders.c.owner_id == owner_id, events.c.deleted_at.is_(None))
            .order_by(reminders.c.id).limit(limit)
        )
        if filter.status is not None:
            statement = statement.where(reminders.c.status == filter.status.value)
        if filter.due_before is not None:
            statement = statement.where(reminders.c.due_at < filter.due_before)
        if after is not None:
            statement = statement.where(reminders.c.id > after)
        return [_reminder(row) for row in await self._conn.execute(statement)]

    async def claim_due(self, now: datetime, limit: int) -> list[Reminder]:
        # Rows another dispatcher has locked are skipped, and a committed claim has moved next_attempt_at
        # past now: two dispatchers never hold the same reminder.
        due = (
            select(reminders)
            .where(reminders.c.status == ReminderStatus.PENDING.value, reminders.c.next_attempt_at <= now)
            .order_by(reminders.c.next_attempt_at, reminders.c.id).limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = [_reminder(row).claim(now) for row in await self._conn.execute(due)]
        if claimed:
            statement = update(reminders).where(reminders.c.id == bindparam("claimed_id")).values(
                attempts=bindparam("attempts"), next_attempt_at=bindparam("next_attempt_at"))
            await self._conn.execute(statement, [
                {"claimed_id": r.id, "attempts": r.attempts, "next_attempt_at": r.next_attempt_at} for r in claimed])
        return claimed
