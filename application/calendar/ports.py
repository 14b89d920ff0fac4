"""Ports of the calendar context: repositories whose queries a database answers in SQL, and outbound systems."""

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from application.identity.ports import AccountRepository
from application.shared.unit_of_work import UnitOfWork
from domain.calendar.event import Event
from domain.calendar.feed import CalendarFeed
from domain.calendar.note import Note
from domain.calendar.notification import Notification
from domain.calendar.occurrence import EventQuery, OccurrenceKey
from domain.calendar.reminder import Channel, Reminder, ReminderStatus
from domain.calendar.webhook import CalendarWebhook


OCCURRENCE_FIELDS = ("event_id", "series_id", "title", "description", "location", "start_time", "end_time",
                     "time_zone", "all_day", "recurrence")


@dataclass(frozen=True, slots=True)
class RenderedOccurrences:
    """A page of one-off occurrences written by the store as JSON around their instants, which are the API's to
    spell (in each event's zone, by its own time-zone rules: the store's may be another release). Occurrence i is
    `heads[i]`, its start_time, `,"end_time":`, its end_time and `tails[i]`: an object with OCCURRENCE_FIELDS in
    that order, compact as the API writes JSON. `starts[i]` and `ends[i]` are its instants in microseconds since
    1970-01-01 UTC, `zones[i]` its event's zone; `last` is the key of the last one when more follow, else None."""

    heads: list[str]
    tails: list[str]
    starts: list[int]
    ends: list[int]
    zones: list[str]
    last: OccurrenceKey | None


class EventRepository(Protocol):
    """An owner's events; `get` also returns soft-deleted ones, every list hides them."""

    async def add(self, event: Event) -> None: ...

    async def get(self, owner_id: UUID, event_id: UUID, *, for_update: bool = False) -> Event | None:
        """`for_update` locks the row until the unit of work ends (serializes changes to its reminders)."""
        ...

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Event]:
        """The events among (owner_id, event_id) pairs that exist, soft-deleted included, by id; one read."""
        ...

    async def save(self, event: Event) -> None: ...

    async def single_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> list[Event]:
        """Up to `limit` live non-recurring events meeting the query, by (start_time, id), strictly after `after`.

        SQL: owner_id = :o AND deleted_at IS NULL AND recurrence IS NULL AND start_time < :to
        AND (end_time > :from OR start_time >= :from) AND (start_time, id) > :after, on an
        index over (owner_id, start_time, id).
        """
        ...

    async def rendered_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> RenderedOccurrences | None:
        """`single_page` (`limit` items at most) as the store renders it, in one read, when `series` would find
        nothing for the query; None when it would, or when the store renders no page (the caller expands then).
        A read model beside the entities: the API's own rendering of the same page must equal it."""
        ...

    async def series(self, owner_id: UUID, query: EventQuery) -> list[Event]:
        """Live recurring events that may have an occurrence in the window and match the text.

        SQL: recurrence IS NOT NULL AND start_time < :to AND (recurrence_until IS NULL OR
        recurrence_until >= :from), ordered by id.
        """
        ...

    async def purge_deleted(self, deleted_before: datetime, limit: int) -> int:
        """Delete up to `limit` events of any owner soft-deleted before the instant, with their
        reminders and notes (ON DELETE CASCADE); return how many events went."""
        ...


@dataclass(frozen=True, slots=True)
class ReminderFilter:
    status: ReminderStatus | None = None
    due_before: datetime | None = None


class ReminderRepository(Protocol):
    """Reminders; (event_id, minutes_before, channel) is unique (DuplicateReminder)."""

    async def add(self, reminder: Reminder) -> None: ...

    async def get(self, owner_id: UUID, reminder_id: UUID) -> Reminder | None: ...

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Reminder]:
        """The reminders among (owner_id, reminder_id) pairs that exist, by id; one read."""
        ...

    async def save(self, reminder: Reminder) -> None: ...

    async def remove(self, owner_id: UUID, reminder_id: UUID) -> bool: ...

    async def for_event(self, owner_id: UUID, event_id: UUID) -> list[Reminder]:
        """Every reminder of the event (at most five), ordered by id (creation order)."""
        ...

    async def page(
        self, owner_id: UUID, filter: ReminderFilter, *, after: UUID | None, limit: int
    ) -> list[Reminder]:
        """Up to `limit` reminders of the owner's live events matching the filter (due_at < due_before),
        ordered by id, strictly after `after`."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> list[Reminder]:
        """Claim up to `limit` pending reminders of any owner with next_attempt_at <= now, oldest first:
        each gets `Reminder.claim(now)` saved and returned. Concurrent callers never get the same
        reminder (Postgres: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING)."""
        ...


class NoteRepository(Protocol):
    """Notes on events."""

    async def add(self, note: Note) -> None: ...

    async def get(self, owner_id: UUID, note_id: UUID) -> Note | None: ...

    async def save(self, note: Note) -> None: ...

    async def remove(self, owner_id: UUID, note_id: UUID) -> bool: ...

    async def page(self, owner_id: UUID, event_id: UUID, *, after: UUID | None, limit: int) -> list[Note]:
        """Up to `limit` notes of the event, ordered by id (creation order), strictly after `after`."""
        ...


class NotificationRepository(Protocol):
    """The in-app inbox."""

    async def add(self, notification: Notification) -> bool:
        """Insert it; False (and nothing written) if the inbox already holds one for the same
        reminder_id and due_at (Postgres: ON CONFLICT DO NOTHING)."""
        ...

    async def get(self, owner_id: UUID, notification_id: UUID) -> Notification | None: ...

    async def save(self, notification: Notification) -> None: ...

    async def page(
        self, owner_id: UUID, *, unread_only: bool, before: UUID | None, limit: int
    ) -> list[Notification]:
        """Up to `limit` notifications, newest first (id descending), strictly before `before`."""
        ...


class CalendarFeedRepository(Protocol):
    """Feed tokens: at most one per owner; found by the hash of the secret."""

    async def get(self, owner_id: UUID) -> CalendarFeed | None: ...

    async def get_by_token_hash(self, token_hash: str) -> CalendarFeed | None: ...

    async def save(self, feed: CalendarFeed) -> None:
        """Insert or replace the owner's feed."""
        ...

    async def remove(self, owner_id: UUID) -> bool: ...


class CalendarWebhookRepository(Protocol):
    """Webhook destinations: at most one per owner."""

    async def get(self, owner_id: UUID) -> CalendarWebhook | None: ...

    async def save(self, webhook: CalendarWebhook) -> None:
        """Insert or replace the owner's webhook."""
        ...

    async def remove(self, owner_id: UUID) -> bool: ...


class CalendarUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository  # read-only here: the owner's time zone and email address
    events: EventRepository
    reminders: ReminderRepository
    notes: NoteRepository
    notifications: NotificationRepository
    calendar_feeds: CalendarFeedRepository
    calendar_webhooks: CalendarWebhookRepository


class RecurrenceExpander(Protocol):
    """RFC 5545 RRULE/EXDATE rules, expanded in the event's own IANA zone (wall-clock times survive DST).

    Every call does bounded work whatever the rule, but may take milliseconds: run it off the event loop."""

    def last_start(self, event: Event) -> datetime | None:
        """Return an instant no occurrence starts after (None when endless);
        raise InvalidValue("recurrence", ...) if the rule is malformed, too dense or never occurs."""
        ...

    def starts(self, event: Event, since: datetime) -> Iterator[datetime]:
        """Yield the starts of the occurrences at or after `since`, ascending, as aware UTC datetimes
        (none after 2999-12-31 in the event's zone)."""
        ...


class HostResolver(Protocol):
    """Host names to IP addresses, for outbound calls that must check where they connect."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """The addresses `host` (a name or an IP literal) stands for, in preference order; empty when none."""
        ...


@dataclass(frozen=True, slots=True)
class ReminderMessage:
    """What a notifier delivers; `key` is the same on every retry of one delivery (dedupe on it)."""

    reminder_id: UUID
    owner_id: UUID
    event_id: UUID
    channel: Channel
    title: str
    location: str | None
    occurrence_start: datetime | None
    occurrence_end: datetime | None
    time_zone: str
    all_day: bool
    due_at: datetime

    @property
    def key(self) -> str:
        return f"{self.reminder_id}:{self.due_at.isoformat()}"

    def summary(self) -> str:
        """One line for people, times in the event's zone: "Standup, 2026-03-16 09:00 (Europe/Oslo)"."""
        if self.occurrence_start is None:
            return self.title
        local = self.occurrence_start.astimezone(ZoneInfo(self.time_zone))
        when = f"{local:%Y-%m-%d}" if self.all_day else f"{local:%Y-%m-%d %H:%M} ({self.time_zone})"
        where = f" at {self.location}" if self.location else ""
        return f"{self.title}, {when}{where}"


class Notifier(Protocol):
    """Delivers a reminder on one channel (in-app inbox, webhook, email)."""

    async def deliver(self, message: ReminderMessage) -> None:
        """Deliver it, at most once per `message.key`; raise UpstreamFailed if it could not be delivered."""
        ...


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """An event as a calendar file holds it: the event and the offsets (minutes before) of its reminders."""

    event: Event
    reminder_minutes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """One VEVENT of a file: the fields `Event.create` takes (instants aware, zone an IANA name), or why not."""

    index: int
    uid: str | None
    fields: dict[str, object]
    reminder_minutes: tuple[int, ...] = ()
    problem: tuple[str, str] | None = None  # (field, message) when the item cannot be read


class CalendarCodec(Protocol):
    """iCalendar (RFC 5545) files: RRULE/EXDATE for series, a VALARM per reminder."""

    def export(self, entries: Sequence[CalendarEntry], *, name: str) -> bytes: ...

    def parse(self, data: bytes, *, default_time_zone: str) -> list[ParsedEvent]:
        """The file's VEVENTs in order (floating times read in `default_time_zone`);
        raise InvalidValue("file", ...) when the data is not an iCalendar file."""
        ...
