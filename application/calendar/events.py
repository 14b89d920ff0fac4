"""Use cases on events: create, read, list occurrences in a window, edit, soft delete, restore, purge."""

from dataclasses import dataclass
from datetime import datetime
from typing import Unpack
from uuid import UUID

from application.calendar.aiming import reaim_reminders
from application.calendar.ports import CalendarUnitOfWork, RecurrenceExpander, RenderedOccurrences
from application.calendar.series import first_occurrences, with_series_end
from application.identity.locale import account_locale
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import Page, check_limit, decode_cursor, encode_cursor, page_of
from application.shared.unit_of_work import Purpose, UowFactory
from domain.calendar.event import RESTORE_WINDOW, Event, EventChanges, EventNotFound
from domain.calendar.occurrence import EventQuery, Occurrence, OccurrenceKey
from domain.calendar.reminder import ReminderStatus
from domain.shared.dates import MAX_DATE, MIN_DATE, check_instant
from domain.shared.errors import InvalidValue

_LIVE_STATUSES = frozenset(set(ReminderStatus) - {ReminderStatus.CANCELLED})


async def live_event(
    uow: CalendarUnitOfWork, owner_id: UUID, event_id: UUID, *, for_update: bool = False
) -> Event:
    """The owner's event unless it is missing, foreign or deleted (EventNotFound)."""
    event = await uow.events.get(owner_id, event_id, for_update=for_update)
    if event is None or event.is_deleted:
        raise EventNotFound()
    return event


@dataclass
class CreateEvent:
    """Add an event; without a time zone it takes the account's (UTC when the account has none)."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    ids: IdGenerator
    recurrence: RecurrenceExpander

    async def __call__(
        self, owner_id: UUID, *, title: str, start_time: object, end_time: object,
        time_zone: str | None = None, all_day: bool = False, description: str | None = None,
        location: str | None = None, recurrence: str | None = None,
    ) -> Event:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            if time_zone is None:
                time_zone = (await account_locale(uow.accounts, owner_id)).time_zone
            event = Event.create(
                id=self.ids.new_id(), owner_id=owner_id, title=title, start_time=start_time,
                end_time=end_time, time_zone=time_zone,
                all_day=all_day, description=description, location=location, recurrence=recurrence, now=now,
            )
            event = await with_series_end(self.recurrence, event)
            await uow.events.add(event)
            await uow.commit()
        return event


@dataclass
class GetEvent:
    """Return one of the owner's live events."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID, event_id: UUID) -> Event:
        async with self.uow(account=owner_id) as uow:
            return await live_event(uow, owner_id, event_id)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page of occurrences that the store wrote as JSON but for their instants; `next_cursor` as on `Page`."""

    occurrences: RenderedOccurrences
    next_cursor: str | None


@dataclass
class ListEvents:
    """The owner's occurrences meeting the window (default: from now on) and the text, by start then event id."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    recurrence: RecurrenceExpander

    async def __call__(
        self, owner_id: UUID, *, window_from: datetime | None = None, window_to: datetime | None = None,
        text: str | None = None, cursor: str | None = None, limit: int = 50,
    ) -> Page[Occurrence]:
        query, after = self._query(window_from, window_to, text, cursor, limit)
        async with self.uow(account=owner_id) as uow:
            singles = await uow.events.single_page(owner_id, query, after=after, limit=limit + 1)
            series = await uow.events.series(owner_id, query)
        found = await first_occurrences(self.recurrence, singles, series, query, after=after, limit=limit + 1)
        return page_of(found, limit, lambda occurrence: occurrence.key)

    async def rendered(
        self, owner_id: UUID, *, window_from: datetime | None = None, window_to: datetime | None = None,
        text: str | None = None, cursor: str | None = None, limit: int = 50,
    ) -> RenderedPage | None:
        """The same page as the store renders it (`RenderedOccurrences`), in one read; None when the store renders
        none for it (series in reach, or no read model): then call the use case itself."""
        query, after = self._query(window_from, window_to, text, cursor, limit)
        async with self.uow(account=owner_id) as uow:
            rendered = await uow.events.rendered_page(owner_id, query, after=after, limit=limit + 1)
        if rendered is None:
            return None
        return RenderedPage(rendered, None if rendered.last is None else encode_cursor(rendered.last))

    def _query(
        self, window_from: datetime | None, window_to: datetime | None, text: str | None, cursor: str | None,
        limit: int,
    ) -> tuple[EventQuery, OccurrenceKey | None]:
        check_limit(limit)
        for field, value in (("from", window_from), ("to", window_to)):
            if value is not None and value.utcoffset() is None:
                raise InvalidValue(field, "must include a UTC offset")
            if value is not None:
                check_instant(value, field)  # a supported date as written
        query = EventQuery(window_from or self.clock.now(), window_to, (text or "").strip() or None)
        return query, None if cursor is None else decode_cursor(cursor, _occurrence_position)


def _occurrence_position(start: str, event_id: str) -> OccurrenceKey:
    """The (start, event id) an occurrence cursor holds."""
    instant = datetime.fromisoformat(start)
    if instant.utcoffset() is None or not MIN_DATE.year - 1 <= instant.year <= MAX_DATE.year + 1:
        raise ValueError(start)
    return instant, UUID(event_id)


@dataclass
class UpdateEvent:
    """Change some fields (None clears description, location, recurrence); a new timing re-aims the reminders."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    recurrence: RecurrenceExpander

    async def __call__(self, owner_id: UUID, event_id: UUID, **changes: Unpack[EventChanges]) -> Event:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            event = await live_event(uow, owner_id, event_id, for_update=True)
            edited = await with_series_end(self.recurrence, event.edit(now=now, **changes))
            await uow.events.save(edited)
            if edited.timing_differs(event):
                await reaim_reminders(uow, self.recurrence, edited, now, _LIVE_STATUSES)
            await uow.commit()
        return edited


@dataclass
class DeleteEvent:
    """Soft-delete: the event leaves every list, its pending reminders are cancelled; restorable for 30 days."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, event_id: UUID) -> None:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            event = await live_event(uow, owner_id, event_id, for_update=True)
            await uow.events.save(event.delete(now))
            for reminder in await uow.reminders.for_event(owner_id, event_id):
                if reminder.status is ReminderStatus.PENDING:
                    await uow.reminders.save(reminder.cancel(now))
            await uow.commit()


@dataclass
class RestoreEvent:
    """Bring back an event deleted less than 30 days ago, with the reminders its deletion cancelled."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    recurrence: RecurrenceExpander

    async def __call__(self, owner_id: UUID, event_id: UUID) -> Event:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            event = await uow.events.get(owner_id, event_id, for_update=True)
            if event is None:
                raise EventNotFound()
            restored = event.restore(now)
            if restored is not event:
                await uow.events.save(restored)
                await reaim_reminders(uow, self.recurrence, restored, now,
                                      frozenset({ReminderStatus.CANCELLED}))
                await uow.commit()
        return restored


@dataclass
class PurgeDeletedEvents:
    """Remove for good, with their reminders and notes, events deleted more than 30 days ago (a maintenance job)."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock

    async def __call__(self, *, batch_size: int = 500) -> int:
        cutoff = self.clock.now() - RESTORE_WINDOW
        purged = 0
        while True:
            async with self.uow(purpose=Purpose.PURGE) as uow:
                count = await uow.events.purge_deleted(cutoff, batch_size)
                await uow.commit()
            purged += count
            if count < batch_size:
                return purged
