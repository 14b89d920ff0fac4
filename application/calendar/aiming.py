"""Which occurrence each reminder aims at: a single event's start, or a series' next one still ahead.

Expanding a rule runs in a worker thread, never on the event loop (see application.calendar.series).
"""

import asyncio
from datetime import datetime

from application.calendar.ports import CalendarUnitOfWork, RecurrenceExpander
from domain.calendar.event import Event
from domain.calendar.reminder import Reminder, ReminderStatus


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
