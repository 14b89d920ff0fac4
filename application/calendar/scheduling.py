"""Where events occur and which occurrence each reminder aims at: the rules shared by the use cases."""

from datetime import datetime, timedelta
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork, RecurrenceExpander
from domain.calendar.event import Event, EventNotFound
from domain.calendar.occurrence import EventQuery, Occurrence, OccurrenceKey
from domain.calendar.reminder import Reminder, ReminderStatus
from domain.identity.account import DEFAULT_TIME_ZONE


async def live_event(
    uow: CalendarUnitOfWork, owner_id: UUID, event_id: UUID, *, for_update: bool = False
) -> Event:
    """The owner's event unless it is missing, foreign or deleted (EventNotFound)."""
    event = await uow.events.get(owner_id, event_id, for_update=for_update)
    if event is None or event.is_deleted:
        raise EventNotFound()
    return event


async def account_zone(uow: CalendarUnitOfWork, owner_id: UUID) -> str:
    """The owner's time zone, the default of their events (UTC without an account)."""
    account = await uow.accounts.get(owner_id)
    return account.time_zone if account is not None else DEFAULT_TIME_ZONE


def with_series_end(expander: RecurrenceExpander, event: Event) -> Event:
    """Check the event's recurrence rule and record where its series ends."""
    return event if event.recurrence is None else event.with_last_start(expander.last_start(event))


def reminder_target(expander: RecurrenceExpander, event: Event, reminder: Reminder, now: datetime) -> datetime | None:
    """The occurrence a reminder aims at: a single event's start, or the first start of a series
    whose reminder time is still ahead (None when the series has ended)."""
    if event.recurrence is None:
        return event.start_time
    threshold = now + reminder.offset
    return next((start for start in expander.starts(event, threshold) if start > threshold), None)


async def reaim_reminders(
    uow: CalendarUnitOfWork, expander: RecurrenceExpander, event: Event, now: datetime,
    statuses: frozenset[ReminderStatus],
) -> None:
    """Point the event's reminders in these statuses at the occurrence each should fire for now."""
    for reminder in await uow.reminders.for_event(event.owner_id, event.id):
        if reminder.status in statuses:
            await uow.reminders.save(reminder.aim_at(reminder_target(expander, event, reminder, now), now))


def series_occurrences(
    expander: RecurrenceExpander, event: Event, query: EventQuery, *, after: OccurrenceKey | None, limit: int
) -> list[Occurrence]:
    """Up to `limit` occurrences of a recurring event meeting the query, by start, strictly after the key."""
    # An occurrence running across window_from began at most its length (+ a DST shift) earlier.
    try:
        since = query.window_from - (event.end_time - event.start_time) - timedelta(days=1)
    except OverflowError:  # a window opening before year 1: no occurrence starts before the series does
        since = event.start_time
    if after is not None:
        since = max(since, after[0])
    found = []
    for start in expander.starts(event, since):
        if len(found) == limit or (query.window_to is not None and start >= query.window_to):
            break
        occurrence = Occurrence(event, start, event.occurrence_end(start))
        if query.meets(occurrence.start, occurrence.end) and (after is None or occurrence.key > after):
            found.append(occurrence)
    return found
