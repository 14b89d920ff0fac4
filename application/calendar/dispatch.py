"""Delivering due reminders: claim, deliver outside any transaction, then record the outcome."""

from collections.abc import Mapping
from dataclasses import dataclass

from application.calendar.ports import CalendarUnitOfWork, Notifier, RecurrenceExpander, ReminderMessage
from application.calendar.aiming import reminder_target
from application.shared.clock import Clock
from application.shared.errors import UpstreamFailed
from application.shared.unit_of_work import Purpose, UowFactory
from domain.calendar.event import Event
from domain.calendar.reminder import MAX_ATTEMPTS, Channel, Reminder

_EVENT_GONE = "the event is gone"


@dataclass
class DispatchReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0


def _message(reminder: Reminder, event: Event) -> ReminderMessage:
    start = reminder.occurrence_start
    return ReminderMessage(
        reminder_id=reminder.id, owner_id=reminder.owner_id, event_id=event.id, channel=reminder.channel,
        title=event.title, location=event.location, occurrence_start=start,
        occurrence_end=None if start is None else event.occurrence_end(start),
        time_zone=event.time_zone, all_day=event.all_day, due_at=reminder.due_at or start or event.start_time,
    )


@dataclass
class DispatchDueReminders:
    """One pass: claim up to `batch_size` due reminders, deliver each through its channel's notifier, mark it sent.

    A failed delivery is retried with backoff, then marked failed; a series' reminder moves on to the next
    occurrence. A claim is exclusive, so concurrent passes never deliver one reminder twice.
    """

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    recurrence: RecurrenceExpander
    notifiers: Mapping[Channel, Notifier]
    batch_size: int = 100

    async def __call__(self) -> DispatchReport:
        now = self.clock.now()
        async with self.uow(purpose=Purpose.DISPATCH) as uow:
            claimed = await uow.reminders.claim_due(now, self.batch_size)
            events = await uow.events.get_many({(r.owner_id, r.event_id) for r in claimed})
            await uow.commit()
        outcomes: list[tuple[Reminder, str | None]] = []
        for reminder in claimed:
            event = events.get(reminder.event_id)
            if event is None or event.is_deleted:
                outcomes.append((reminder, _EVENT_GONE))
            else:
                outcomes.append((reminder, await self._deliver(reminder, event)))
        report = DispatchReport()
        async with self.uow(purpose=Purpose.DISPATCH) as uow:
            current = await uow.reminders.get_many({(r.owner_id, r.id) for r in claimed})
            events = await uow.events.get_many({(r.owner_id, r.event_id) for r in claimed})
            for reminder, error in outcomes:
                if current.get(reminder.id) != reminder:
                    continue  # edited, snoozed or deleted meanwhile: that change wins
                event = events.get(reminder.event_id)
                if error is _EVENT_GONE or event is None or event.is_deleted:
                    await uow.reminders.save(reminder.cancel(now))
                    report.cancelled += 1
                    continue
                following = await reminder_target(self.recurrence, event, reminder, now) if event.recurrence else None
                if error is None:
                    await uow.reminders.save(reminder.delivered(now, following))
                    report.delivered += 1
                    continue
                await uow.reminders.save(reminder.delivery_failed(now, error, following))
                if reminder.attempts >= MAX_ATTEMPTS:
                    report.failed += 1
                else:
                    report.retrying += 1
            await uow.commit()
        return report

    async def _deliver(self, reminder: Reminder, event: Event) -> str | None:
        """None when delivered, else why not."""
        notifier = self.notifiers.get(reminder.channel)
        if notifier is None:
            return f"no notifier is configured for the {reminder.channel} channel"
        try:
            await notifier.deliver(_message(reminder, event))
        except UpstreamFailed as error:
            return str(error) or type(error).__name__
        return None
