"""Use cases on reminders: set, list, delete, snooze."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork, RecurrenceExpander, ReminderFilter
from application.calendar.aiming import reminder_target
from application.calendar.events import live_event
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.calendar.event import EventNotFound
from domain.calendar.reminder import (
    MAX_PER_EVENT, Channel, Reminder, ReminderNotFound, ReminderStatus, TooManyReminders,
)
from domain.calendar.webhook import ChannelUnavailable, WebhookNotConfigured
from domain.shared.dates import check_instant
from domain.shared.errors import InvalidValue



async def _live_reminder(uow: CalendarUnitOfWork, owner_id: UUID, reminder_id: UUID) -> Reminder:
    reminder = await uow.reminders.get(owner_id, reminder_id)
    if reminder is None:
        raise ReminderNotFound()
    try:
        await live_event(uow, owner_id, reminder.event_id)
    except EventNotFound:
        raise ReminderNotFound() from None
    return reminder


@dataclass
class CreateReminder:
    """Remind `minutes_before` the event (a series: before its next occurrence); at most five per event.

    Due at the occurrence's start minus the offset; already past at creation, it is `skipped`. A channel this
    server does not deliver on, or a webhook reminder without the owner's webhook, is a Conflict.
    """

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    ids: IdGenerator
    recurrence: RecurrenceExpander
    channels: frozenset[Channel] = frozenset(Channel)

    async def __call__(
        self, owner_id: UUID, event_id: UUID, *, minutes_before: int, channel: str = "in_app"
    ) -> Reminder:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            event = await live_event(uow, owner_id, event_id, for_update=True)
            reminder = Reminder.create(
                id=self.ids.new_id(), owner_id=owner_id, event_id=event_id,
                minutes_before=minutes_before, channel=channel, occurrence_start=None, now=now,
            )
            if reminder.channel not in self.channels:
                raise ChannelUnavailable(reminder.channel)
            if reminder.channel is Channel.WEBHOOK and await uow.calendar_webhooks.get(owner_id) is None:
                raise WebhookNotConfigured()
            reminder = reminder.aim_at(await reminder_target(self.recurrence, event, reminder, now), now)
            if len(await uow.reminders.for_event(owner_id, event_id)) >= MAX_PER_EVENT:
                raise TooManyReminders()
            await uow.reminders.add(reminder)
            await uow.commit()
        return reminder


@dataclass
class ListEventReminders:
    """Every reminder of one live event, in creation order."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID, event_id: UUID) -> list[Reminder]:
        async with self.uow(account=owner_id) as uow:
            await live_event(uow, owner_id, event_id)
            return await uow.reminders.for_event(owner_id, event_id)


@dataclass
class ListReminders:
    """The owner's reminders of live events, optionally by status and due before an instant, in creation order."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, status: str | None = None, due_before: datetime | None = None,
        cursor: str | None = None, limit: int = 50,
    ) -> Page[Reminder]:
        check_limit(limit)
        try:
            wanted = None if status is None else ReminderStatus(status)
        except ValueError:
            raise InvalidValue("status", "must be one of " + ", ".join(ReminderStatus)) from None
        if due_before is not None and due_before.utcoffset() is None:
            raise InvalidValue("due_before", "must include a UTC offset")
        if due_before is not None:
            check_instant(due_before, "due_before")
        async with self.uow(account=owner_id) as uow:
            rows = await uow.reminders.page(owner_id, ReminderFilter(wanted, due_before),
                                            after=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda reminder: (reminder.id,))


@dataclass
class DeleteReminder:
    """Remove a reminder; it will not fire."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID, reminder_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            await _live_reminder(uow, owner_id, reminder_id)
            await uow.reminders.remove(owner_id, reminder_id)
            await uow.commit()


@dataclass
class SnoozeReminder:
    """Deliver the reminder (again) `minutes` from now; a series' reminder then goes back to its next occurrence."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, reminder_id: UUID, *, minutes: int) -> Reminder:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            reminder = (await _live_reminder(uow, owner_id, reminder_id)).snooze(minutes, now)
            await uow.reminders.save(reminder)
            await uow.commit()
        return reminder
