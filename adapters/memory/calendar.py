"""In-memory calendar repositories: the same filters, ordering and constraints as the Postgres tables."""

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, Protocol, TypeVar, final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec, Unique
from application.calendar.ports import (
    CalendarFeedRepository, CalendarWebhookRepository, EventRepository, NoteRepository, NotificationRepository,
    ReminderFilter, ReminderRepository, RenderedOccurrences,
)
from domain.calendar.event import Event
from domain.calendar.feed import CalendarFeed
from domain.calendar.note import Note
from domain.calendar.notification import Notification
from domain.calendar.occurrence import EventQuery, OccurrenceKey
from domain.calendar.reminder import DuplicateReminder, Reminder, ReminderStatus
from domain.calendar.webhook import CalendarWebhook


class _Owned(Protocol):
    @property
    def owner_id(self) -> UUID: ...


O = TypeVar("O", bound=_Owned)


def _bug(what: str) -> Callable[[], AssertionError]:
    return lambda: AssertionError(what)


EVENTS: TableSpec[Event] = TableSpec("events")
REMINDERS: TableSpec[Reminder] = TableSpec("reminders", unique=(
    Unique("uq_reminders_event_id_minutes_before_channel",
           lambda r: (r.event_id, r.minutes_before, r.channel), DuplicateReminder),
))
NOTES: TableSpec[Note] = TableSpec("notes")
NOTIFICATIONS: TableSpec[Notification] = TableSpec("notifications", unique=(
    Unique("uq_notifications_reminder_id_due_at", lambda n: (n.reminder_id, n.due_at),
           _bug("notification delivered twice")),
))
CALENDAR_FEEDS: TableSpec[CalendarFeed] = TableSpec("calendar_feeds", unique=(
    Unique("uq_calendar_feeds_owner_id", lambda f: f.owner_id, _bug("second feed for an owner")),
    Unique("uq_calendar_feeds_token_hash", lambda f: f.token_hash, _bug("feed token hash reused")),
))

CALENDAR_WEBHOOKS: TableSpec[CalendarWebhook] = TableSpec("calendar_webhooks", primary_key=lambda w: w.owner_id)


def _owned(tx: MemoryTransaction, spec: TableSpec[O], owner_id: UUID, row_id: UUID) -> O | None:
    row = tx.get(spec, row_id)
    return row if row is not None and row.owner_id == owner_id else None


def _owned_many(tx: MemoryTransaction, spec: TableSpec[O], keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, O]:
    found = ((row_id, _owned(tx, spec, owner_id, row_id)) for owner_id, row_id in keys)
    return {row_id: row for row_id, row in found if row is not None}


@final
class MemoryEventRepository(EventRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, event: Event) -> None:
        self._tx.put(EVENTS, event)

    async def get(self, owner_id: UUID, event_id: UUID, *, for_update: bool = False) -> Event | None:
        return _owned(self._tx, EVENTS, owner_id, event_id)

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Event]:
        return _owned_many(self._tx, EVENTS, keys)

    async def save(self, event: Event) -> None:
        self._tx.put(EVENTS, event)

    def _live(self, owner_id: UUID, query: EventQuery, recurring: bool) -> list[Event]:
        return [
            e for e in self._tx.rows(EVENTS)
            if e.owner_id == owner_id and e.deleted_at is None and (e.recurrence is not None) == recurring
            and query.matches_text(e)
        ]

    async def single_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> list[Event]:
        rows = [
            e for e in self._live(owner_id, query, recurring=False)
            if query.meets(e.start_time, e.end_time) and (after is None or (e.start_time, e.id) > after)
        ]
        return sorted(rows, key=lambda e: (e.start_time, e.id))[:limit]

    async def rendered_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> RenderedOccurrences | None:
        return None  # no read model here: the API renders every page from the entities

    async def series(self, owner_id: UUID, query: EventQuery) -> list[Event]:
        rows = [
            e for e in self._live(owner_id, query, recurring=True)
            if (query.window_to is None or e.start_time < query.window_to)
            and (e.recurrence_until is None or e.recurrence_until >= query.window_from)
        ]
        return sorted(rows, key=lambda e: e.id)

    async def purge_deleted(self, deleted_before: datetime, limit: int) -> int:
        doomed = sorted(
            (e for e in self._tx.rows(EVENTS) if e.deleted_at is not None and e.deleted_at < deleted_before),
            key=lambda e: (e.deleted_at, e.id),
        )[:limit]
        ids = {e.id for e in doomed}
        cascade: tuple[TableSpec[Any], ...] = (REMINDERS, NOTES)  # ON DELETE CASCADE
        for spec in cascade:
            for row in self._tx.rows(spec):
                if row.event_id in ids:
                    self._tx.delete(spec, row.id)
        for event_id in ids:
            self._tx.delete(EVENTS, event_id)
        return len(ids)


@final
class MemoryReminderRepository(ReminderRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, reminder: Reminder) -> None:
        self._tx.put(REMINDERS, reminder)

    async def get(self, owner_id: UUID, reminder_id: UUID) -> Reminder | None:
        return _owned(self._tx, REMINDERS, owner_id, reminder_id)

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Reminder]:
        return _owned_many(self._tx, REMINDERS, keys)

    async def save(self, reminder: Reminder) -> None:
        self._tx.put(REMINDERS, reminder)

    async def remove(self, owner_id: UUID, reminder_id: UUID) -> bool:
        return _owned(self._tx, REMINDERS, owner_id, reminder_id) is not None and self._tx.delete(
            REMINDERS, reminder_id)

    async def for_event(self, owner_id: UUID, event_id: UUID) -> list[Reminder]:
        rows = (r for r in self._tx.rows(REMINDERS) if r.owner_id == owner_id and r.event_id == event_id)
        return sorted(rows, key=lambda r: r.id)

    async def page(
        self, owner_id: UUID, filter: ReminderFilter, *, after: UUID | None, limit: int
    ) -> list[Reminder]:
        def wanted(r: Reminder) -> bool:
            event = self._tx.get(EVENTS, r.event_id)
            return (
                r.owner_id == owner_id and event is not None and event.deleted_at is None
                and (filter.status is None or r.status == filter.status)
                and (filter.due_before is None or (r.due_at is not None and r.due_at < filter.due_before))
                and (after is None or r.id > after)
            )

        return sorted((r for r in self._tx.rows(REMINDERS) if wanted(r)), key=lambda r: r.id)[:limit]

    async def claim_due(self, now: datetime, limit: int) -> list[Reminder]:
        due = sorted(
            (r for r in self._tx.rows(REMINDERS)
             if r.status == ReminderStatus.PENDING and r.next_attempt_at is not None and r.next_attempt_at <= now),
            key=lambda r: (r.next_attempt_at, r.id),
        )[:limit]
        claimed = [r.claim(now) for r in due]
        for reminder in claimed:
            self._tx.put(REMINDERS, reminder)
        return claimed


@final
class MemoryNoteRepository(NoteRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, note: Note) -> None:
        self._tx.put(NOTES, note)

    async def get(self, owner_id: UUID, note_id: UUID) -> Note | None:
        return _owned(self._tx, NOTES, owner_id, note_id)

    async def save(self, note: Note) -> None:
        self._tx.put(NOTES, note)

    async def remove(self, owner_id: UUID, note_id: UUID) -> bool:
        return _owned(self._tx, NOTES, owner_id, note_id) is not None and self._tx.delete(NOTES, note_id)

    async def page(self, owner_id: UUID, event_id: UUID, *, after: UUID | None, limit: int) -> list[Note]:
        rows = (n for n in self._tx.rows(NOTES)
                if n.owner_id == owner_id and n.event_id == event_id and (after is None or n.id > after))
        return sorted(rows, key=lambda n: n.id)[:limit]


@final
class MemoryNotificationRepository(NotificationRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, notification: Notification) -> bool:
        key = (notification.reminder_id, notification.due_at)
        if self._tx.find_unique(NOTIFICATIONS, "uq_notifications_reminder_id_due_at", key) is not None:
            return False
        self._tx.put(NOTIFICATIONS, notification)
        return True

    async def get(self, owner_id: UUID, notification_id: UUID) -> Notification | None:
        return _owned(self._tx, NOTIFICATIONS, owner_id, notification_id)

    async def save(self, notification: Notification) -> None:
        self._tx.put(NOTIFICATIONS, notification)

    async def page(
        self, owner_id: UUID, *, unread_only: bool, before: UUID | None, limit: int
    ) -> list[Notification]:
        rows = (n for n in self._tx.rows(NOTIFICATIONS)
                if n.owner_id == owner_id and (not unread_only or n.read_at is None)
                and (before is None or n.id < before))
        return sorted(rows, key=lambda n: n.id, reverse=True)[:limit]


@final
class MemoryCalendarFeedRepository(CalendarFeedRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID) -> CalendarFeed | None:
        return self._tx.find_unique(CALENDAR_FEEDS, "uq_calendar_feeds_owner_id", owner_id)

    async def get_by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        return self._tx.find_unique(CALENDAR_FEEDS, "uq_calendar_feeds_token_hash", token_hash)

    async def save(self, feed: CalendarFeed) -> None:
        self._tx.put(CALENDAR_FEEDS, feed)

    async def remove(self, owner_id: UUID) -> bool:
        feed = await self.get(owner_id)
        return feed is not None and self._tx.delete(CALENDAR_FEEDS, feed.id)


@final
class MemoryCalendarWebhookRepository(CalendarWebhookRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID) -> CalendarWebhook | None:
        return self._tx.get(CALENDAR_WEBHOOKS, owner_id)

    async def save(self, webhook: CalendarWebhook) -> None:
        self._tx.put(CALENDAR_WEBHOOKS, webhook)

    async def remove(self, owner_id: UUID) -> bool:
        return self._tx.delete(CALENDAR_WEBHOOKS, owner_id)
