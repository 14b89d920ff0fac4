"""Use cases on the in-app inbox where reminders are delivered."""

from dataclasses import dataclass
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork
from application.shared.clock import Clock
from application.shared.pages import Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.calendar.notification import Notification, NotificationNotFound



@dataclass
class ListNotifications:
    """The owner's inbox, newest first; optionally only the unread."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, unread_only: bool = False, cursor: str | None = None, limit: int = 50
    ) -> Page[Notification]:
        check_limit(limit)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.notifications.page(owner_id, unread_only=unread_only,
                                                before=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda notification: (notification.id,))


@dataclass
class MarkNotificationRead:
    """Mark one notification read (again: no change)."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, notification_id: UUID) -> Notification:
        async with self.uow(account=owner_id) as uow:
            notification = await uow.notifications.get(owner_id, notification_id)
            if notification is None:
                raise NotificationNotFound()
            notification = notification.mark_read(self.clock.now())
            await uow.notifications.save(notification)
            await uow.commit()
        return notification
