"""PostgreSQL calendar repositories (SQLAlchemy Core, keyset pages, explicit row mapping)."""

from collections.abc import Collection
from datetime import datetime
from functools import cache
from uuid import UUID

from sqlalchemy import DateTime, bindparam, cast, delete, insert, or_, select, tuple_, union_all, update
from sqlalchemy.dialects.postgresql import insert as upsert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.prepared import PreparedRead, columns, owned_row, values_of
from adapters.postgres.tables.calendar import (
    EVENT_SPAN, calendar_feeds, calendar_webhooks, events, notes, notifications, reminders,
)
from application.calendar.ports import ReminderFilter
from domain.calendar.event import Event
from domain.calendar.feed import CalendarFeed
from domain.calendar.note import Note
from domain.calendar.notification import Notification
from domain.calendar.occurrence import EventQuery, OccurrenceKey
from domain.calendar.reminder import Channel, DuplicateReminder, Reminder, ReminderStatus
from domain.calendar.webhook import CalendarWebhook

_REMINDER_ERRORS = {"uq_reminders_event_id_minutes_before_channel": DuplicateReminder}


def _event(row) -> Event:
    return Event(**columns(row))


_EVENT_BY_ID = owned_row(events)


_REMINDER_BY_ID = owned_row(reminders)


def _reminder(row) -> Reminder:
    values = columns(row)
    return Reminder(**{**values, "channel": Channel(values["channel"]), "status": ReminderStatus(values["status"])})


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _live(*, recurring: bool, text: bool) -> list:
    """The predicates of the partial indexes (live singles or live series), plus the text filter if asked."""
    conditions = [events.c.owner_id == bindparam("owner_id"), events.c.deleted_at.is_(None),
                  events.c.recurrence.is_not(None) if recurring else events.c.recurrence.is_(None)]
    if text:
        conditions.append(or_(*(column.ilike(bindparam("pattern"), escape="\\")
                                for column in (events.c.title, events.c.description, events.c.location))))
    return conditions


@cache
def _single_page(*, text: bool, after: bool, until: bool) -> PreparedRead:
    # Two index range scans: events starting inside the window (btree on owner, start, id, in order)
    # and events begun earlier that still run at its start (GiST on owner and [start, end]).
    live = _live(recurring=False, text=text)
    if after:
        live.append(tuple_(events.c.start_time, events.c.id) > tuple_(
            bindparam("after_start", type_=events.c.start_time.type), bindparam("after_id", type_=events.c.id.type)))
    starting = [events.c.start_time >= bindparam("window_from")]
    if until:
        starting.append(events.c.start_time < bindparam("window_to"))
    starting_rows = (select(events).where(*live, *starting)
                     .order_by(events.c.start_time, events.c.id).limit(bindparam("limit")).subquery())
    running_rows = select(events).where(
        *live, EVENT_SPAN.op("@>")(cast(bindparam("window_from"), DateTime(timezone=True))),
        events.c.start_time < bindparam("window_from"), events.c.end_time > bindparam("window_from"),
    )
    both = union_all(select(starting_rows), running_rows).subquery()
    return PreparedRead(select(both).order_by(both.c.start_time, both.c.id).limit(bindparam("limit")))


@cache
def _series(*, text: bool, until: bool) -> PreparedRead:
    conditions = _live(recurring=True, text=text)
    if until:
        conditions.append(events.c.start_time < bindparam("window_to"))
    conditions.append(or_(events.c.recurrence_until.is_(None), events.c.recurrence_until >= bindparam("window_from")))
    return PreparedRead(select(events).where(*conditions).order_by(events.c.id))


def _window(owner_id: UUID, query: EventQuery) -> dict:
    return {"owner_id": owner_id, "pattern": query.text and _like(query.text), "window_from": query.window_from,
            "window_to": query.window_to}


class PostgresEventRepository:
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, event: Event) -> None:
        await self._conn.execute(insert(events).values(values_of(event)))

    async def get(self, owner_id: UUID, event_id: UUID, *, for_update: bool = False) -> Event | None:
        if for_update:
            statement = select(events).where(events.c.id == event_id, events.c.owner_id == owner_id)
            row = (await self._conn.execute(statement.with_for_update())).first()
            return None if row is None else _event(row)
        row = await _EVENT_BY_ID.one(self._conn, id=event_id, owner_id=owner_id)
        return None if row is None else _event(row)

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Event]:
        if not keys:
            return {}
        statement = select(events).where(tuple_(events.c.owner_id, events.c.id).in_(list(keys)))
        return {row.id: _event(row) for row in await self._conn.execute(statement)}

    async def save(self, event: Event) -> None:
        await self._conn.execute(update(events).where(events.c.id == event.id).values(values_of(event)))

    async def single_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> list[Event]:
        statement = _single_page(text=bool(query.text), after=after is not None, until=query.window_to is not None)
        start, event_id = after or (None, None)
        rows = await statement.all(self._conn, **_window(owner_id, query), after_start=start, after_id=event_id,
                                   limit=limit)
        return [_event(row) for row in rows]

    async def series(self, owner_id: UUID, query: EventQuery) -> list[Event]:
        statement = _series(text=bool(query.text), until=query.window_to is not None)
        return [_event(row) for row in await statement.all(self._conn, **_window(owner_id, query))]

    async def purge_deleted(self, deleted_before: datetime, limit: int) -> int:
        doomed = (select(events.c.id).where(events.c.deleted_at < deleted_before)
                  .order_by(events.c.deleted_at, events.c.id).limit(limit).with_for_update(skip_locked=True))
        result = await self._conn.execute(delete(events).where(events.c.id.in_(doomed.scalar_subquery())))
        return result.rowcount


class PostgresReminderRepository:
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


class PostgresNoteRepository:
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, note: Note) -> None:
        await self._conn.execute(insert(notes).values(values_of(note)))

    async def get(self, owner_id: UUID, note_id: UUID) -> Note | None:
        row = (await self._conn.execute(
            select(notes).where(notes.c.id == note_id, notes.c.owner_id == owner_id))).first()
        return None if row is None else Note(**row._mapping)

    async def save(self, note: Note) -> None:
        await self._conn.execute(update(notes).where(notes.c.id == note.id).values(values_of(note)))

    async def remove(self, owner_id: UUID, note_id: UUID) -> bool:
        statement = delete(notes).where(notes.c.id == note_id, notes.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def page(self, owner_id: UUID, event_id: UUID, *, after: UUID | None, limit: int) -> list[Note]:
        statement = (select(notes).where(notes.c.event_id == event_id, notes.c.owner_id == owner_id)
                     .order_by(notes.c.id).limit(limit))
        if after is not None:
            statement = statement.where(notes.c.id > after)
        return [Note(**row._mapping) for row in await self._conn.execute(statement)]


class PostgresNotificationRepository:
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


class PostgresCalendarFeedRepository:
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

    async def _one(self, condition) -> CalendarFeed | None:
        row = (await self._conn.execute(select(calendar_feeds).where(condition))).first()
        return None if row is None else CalendarFeed(**row._mapping)


class PostgresCalendarWebhookRepository:
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
