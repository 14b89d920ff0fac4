"""The default notifier: writes reminders to the owner's in-app inbox."""

from typing import final

from application.calendar.ports import CalendarUnitOfWork, Notifier, ReminderMessage
from application.shared.unit_of_work import UowFactory
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from domain.calendar.notification import Notification


@final
class InAppNotifier(Notifier):
    """Adds one inbox notification per delivery; a redelivery of the same key adds nothing."""

    def __init__(self, uow: UowFactory[CalendarUnitOfWork], clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def deliver(self, message: ReminderMessage) -> None:
        notification = Notification(
            id=self._ids.new_id(), owner_id=message.owner_id, reminder_id=message.reminder_id,
            event_id=message.event_id, title=message.title, body=message.summary(),
            occurrence_start=message.occurrence_start, due_at=message.due_at, created_at=self._clock.now(),
        )
        async with self._uow(account=message.owner_id) as uow:
            if await uow.notifications.add(notification):
                await uow.commit()
