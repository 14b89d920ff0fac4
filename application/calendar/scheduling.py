"""Where events occur and which occurrence each reminder aims at: the rules shared by the use cases.

Expanding a rule is bounded work (see RecurrenceExpander) but can take milliseconds, so it runs in a worker
thread, never on the event loop.
"""

import asyncio
import heapq
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
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


async def with_series_end(expander: RecurrenceExpander, event: Event) -> Event:
    """Check the event's recurrence rule and record where its series ends."""
    if event.recurrence is None:
        return event
    return event.with_last_start(await asyncio.to_thread(expander.last_start, event))


async def reminder_target(
    expander: RecurrenceExpander, event: Event, reminder: Reminder, now: datetime
) -> datetime | None:
    """The occurrence a reminder aims at: a single event's start, or the first start of a series
    whose reminder time is still ahead (None when the series has ended)."""
    if event.recurrence is None:
        return event.start_time
    return await asyncio.to_thread(_first_start_after, expander, event, now + reminder.offset)


def _first_start_after(expander: RecurrenceExpander, event: Event, threshold: datetime) -> datetime | None:
    return next((start for start in expander.starts(event, threshold) if start > threshold), None)


async def reaim_reminders(
    uow: CalendarUnitOfWork, expander: RecurrenceExpander, event: Event, now: datetime,
    statuses: frozenset[ReminderStatus],
) -> None:
    """Point the event's reminders in these statuses at the occurrence each should fire for now."""
    for reminder in await uow.reminders.for_event(event.owner_id, event.id):
        if reminder.status in statuses:
            await uow.reminders.save(reminder.aim_at(await reminder_target(expander, event, reminder, now), now))


async def first_occurrences(
    expander: RecurrenceExpander, singles: Sequence[Event], series: Sequence[Event], query: EventQuery, *,
    after: OccurrenceKey | None, limit: int,
) -> list[Occurrence]:
    """The first `limit` occurrences by key of the one-off events the repository found and of the series;
    each series is expanded only as far as the page reaches."""
    found = sorted((Occurrence(e, e.start_time, e.end_time) for e in singles), key=_key)
    if not series:
        return found[:limit]

    def merge() -> list[Occurrence]:
        streams = [series_occurrences(expander, event, query, after=after) for event in series]
        return list(islice(heapq.merge(found, *streams, key=_key), limit))

    return await asyncio.to_thread(merge)


def _key(occurrence: Occurrence) -> OccurrenceKey:
    return occurrence.key


def series_occurrences(
    expander: RecurrenceExpander, event: Event, query: EventQuery, *, after: OccurrenceKey | None
) -> Iterator[Occurrence]:
    """The occurrences of a recurring event meeting the query, by start, strictly after the key."""
    # An occurrence running across window_from began at most its length (+ a DST shift) earlier.
    try:
        since = query.window_from - (event.end_time - event.start_time) - timedelta(days=1)
    except OverflowError:  # a window opening before year 1: no occurrence starts before the series does
        since = event.start_time
    if after is not None:
        since = max(since, after[0])
    for start in expander.starts(event, since):
        if query.window_to is not None and start >= query.window_to:
            return
        occurrence = Occurrence(event, start, event.occurrence_end(start))
        if query.meets(occurrence.start, occurrence.end) and (after is None or occurrence.key > after):
            yield occurrence
