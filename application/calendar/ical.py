"""iCalendar export (for the owner and for the secret feed URL) and all-or-nothing import."""

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from application.calendar.ports import (
    CalendarCodec, CalendarEntry, CalendarUnitOfWork, ParsedEvent, RecurrenceExpander, ReminderFilter,
)
from application.calendar.aiming import reminder_target
from application.calendar.series import with_series_end
from application.identity.locale import account_locale
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import Purpose, UowFactory
from domain.calendar.event import Event
from domain.calendar.feed import CalendarFeedNotFound
from domain.calendar.occurrence import EventQuery
from domain.calendar.reminder import MAX_PER_EVENT, Reminder, ReminderStatus
from domain.identity.session import hash_secret
from domain.shared.errors import DomainError, InvalidValue

IMPORT_MAX = 1_000
_BATCH = 1_000
_ALWAYS = EventQuery(datetime(1, 1, 2, tzinfo=UTC))
_UID_SUFFIX = "@atrium"


async def _entries(uow: CalendarUnitOfWork, owner_id: UUID) -> list[CalendarEntry]:
    """Every live event of the owner (series first, then one-offs by start) with its reminders' offsets."""
    events, after = list(await uow.events.series(owner_id, _ALWAYS)), None
    while True:
        batch = await uow.events.single_page(owner_id, _ALWAYS, after=after, limit=_BATCH)
        events += batch
        if len(batch) < _BATCH:
            break
        after = (batch[-1].start_time, batch[-1].id)
    minutes: dict[UUID, set[int]] = defaultdict(set)
    last = None
    while reminders := await uow.reminders.page(owner_id, ReminderFilter(), after=last, limit=_BATCH):
        for reminder in reminders:
            if reminder.status is not ReminderStatus.CANCELLED:
                minutes[reminder.event_id].add(reminder.minutes_before)
        last = reminders[-1].id
    return [CalendarEntry(event, tuple(sorted(minutes[event.id]))) for event in events]


@dataclass
class ExportCalendar:
    """The owner's live events as an iCalendar file, series with RRULE/EXDATE, reminders as VALARMs."""

    uow: UowFactory[CalendarUnitOfWork]
    codec: CalendarCodec

    async def __call__(self, owner_id: UUID) -> bytes:
        async with self.uow(account=owner_id) as uow:
            entries = await _entries(uow, owner_id)
        return await asyncio.to_thread(self.codec.export, entries, name="Atrium")


@dataclass
class ExportCalendarFeed:
    """The calendar of whoever's feed token this is (CalendarFeedNotFound for unknown or revoked tokens)."""

    uow: UowFactory[CalendarUnitOfWork]
    codec: CalendarCodec

    async def __call__(self, token: str) -> bytes:
        async with self.uow(purpose=Purpose.FEED) as uow:
            feed = await uow.calendar_feeds.get_by_token_hash(hash_secret(token))
        if feed is None:
            raise CalendarFeedNotFound()
        async with self.uow(account=feed.owner_id) as uow:
            entries = await _entries(uow, feed.owner_id)
        return await asyncio.to_thread(self.codec.export, entries, name="Atrium")


@dataclass(frozen=True, slots=True)
class ImportedItem:
    """What became of one VEVENT: `created` (with the new event) or `skipped` (already here, with its id)."""

    index: int
    uid: str | None
    title: str | None
    status: str
    event_id: UUID
    reminders: int = 0


@dataclass(frozen=True, slots=True)
class ItemProblem:
    index: int
    uid: str | None
    field: str
    message: str


class ImportRejected(InvalidValue):
    """Some items of the file cannot be imported; nothing was."""

    code = "import_rejected"

    def __init__(self, problems: list[ItemProblem]) -> None:
        super().__init__("file", f"{len(problems)} of the file's events cannot be imported; nothing was imported")
        self.problems = problems


@dataclass
class ImportReport:
    items: list[ImportedItem] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(item.status == "created" for item in self.items)


def _exported_id(uid: str | None) -> UUID | None:
    """The event id in a UID this calendar exported ("<uuid>@atrium")."""
    if not uid or not uid.endswith(_UID_SUFFIX):
        return None
    try:
        return UUID(uid.removesuffix(_UID_SUFFIX))
    except ValueError:
        return None


@dataclass
class ImportEvents:
    """Add the events of an iCalendar file with their alarms as in-app reminders, all or nothing.

    An event this calendar exported and still holds is skipped; any unreadable or invalid event rejects the
    whole file (ImportRejected lists each problem) and nothing is written.
    """

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    ids: IdGenerator
    recurrence: RecurrenceExpander
    codec: CalendarCodec

    async def __call__(self, owner_id: UUID, data: bytes) -> ImportReport:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            zone = (await account_locale(uow.accounts, owner_id)).time_zone
        parsed = await asyncio.to_thread(self.codec.parse, data, default_time_zone=zone)
        if not parsed:
            raise InvalidValue("file", "holds no events (VEVENT)")
        if len(parsed) > IMPORT_MAX:
            raise InvalidValue("file", f"holds {len(parsed)} events; import at most {IMPORT_MAX} at a time")
        problems, ready = [], []
        for item in parsed:
            try:
                ready.append((item, *await self._validated(owner_id, item, now)))
            except DomainError as error:
                problems.append(ItemProblem(item.index, item.uid, getattr(error, "field", "file"), error.detail))
        if problems:
            raise ImportRejected(problems)
        report = ImportReport()
        async with self.uow(account=owner_id) as uow:
            for item, event, reminders in ready:
                known = _exported_id(item.uid)
                existing = None if known is None else await uow.events.get(owner_id, known)
                if existing is not None and not existing.is_deleted:
                    report.items.append(ImportedItem(item.index, item.uid, existing.title, "skipped", existing.id))
                    continue
                await uow.events.add(event)
                for reminder in reminders:
                    await uow.reminders.add(reminder)
                report.items.append(ImportedItem(item.index, item.uid, event.title, "created", event.id,
                                                 len(reminders)))
            await uow.commit()
        return report

    async def _validated(self, owner_id: UUID, item: ParsedEvent, now: datetime) -> tuple[Event, list[Reminder]]:
        if item.problem is not None:
            raise InvalidValue(*item.problem)
        event = Event.create(id=self.ids.new_id(), owner_id=owner_id, now=now, **item.fields)
        event = await with_series_end(self.recurrence, event)
        reminders = []
        for minutes in item.reminder_minutes[:MAX_PER_EVENT]:
            reminder = Reminder.create(id=self.ids.new_id(), owner_id=owner_id, event_id=event.id,
                                       minutes_before=minutes, channel="in_app", occurrence_start=None, now=now)
            reminders.append(reminder.aim_at(await reminder_target(self.recurrence, event, reminder, now), now))
        return event, reminders
